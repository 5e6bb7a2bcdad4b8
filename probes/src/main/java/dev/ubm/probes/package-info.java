/** ubm probes module: see docs/architecture.md. */
package dev.ubm.probes;
