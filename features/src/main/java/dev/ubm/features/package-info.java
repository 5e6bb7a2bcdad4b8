/** ubm features module: see docs/architecture.md. */
package dev.ubm.features;
