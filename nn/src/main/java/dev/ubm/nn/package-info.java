/** ubm nn module: see docs/architecture.md. */
package dev.ubm.nn;
