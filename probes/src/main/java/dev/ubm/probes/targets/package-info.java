/** Task labels (churn, conversion, multi-hot propensity) computed once from the target windows with DuckDB. */
package dev.ubm.probes.targets;
