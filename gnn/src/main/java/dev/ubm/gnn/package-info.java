/** ubm gnn module: see docs/architecture.md. */
package dev.ubm.gnn;
