/** ubm data module: see docs/architecture.md. */
package dev.ubm.data;
