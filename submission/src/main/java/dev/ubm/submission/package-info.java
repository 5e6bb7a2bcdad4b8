/** ubm submission module: see docs/architecture.md. */
package dev.ubm.submission;
