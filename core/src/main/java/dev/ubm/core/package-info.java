/** ubm core module: see docs/architecture.md. */
package dev.ubm.core;
