/** Fast tabular probes on the same targets and metrics: XGBoost4J trees and Tribuo logistic regression. */
package dev.ubm.probes.tabular;
