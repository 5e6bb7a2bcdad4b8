/** ubm cli module: see docs/architecture.md. */
package dev.ubm.cli;
