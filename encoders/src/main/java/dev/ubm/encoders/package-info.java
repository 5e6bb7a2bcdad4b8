/** ubm encoders module: see docs/architecture.md. */
package dev.ubm.encoders;
