package dev.ubm.gnn;

/**
 * The node types of the behaviour graph. Each type has its own dense id range 0..n-1; a model lays the types out
 * one after another in one table, in this order.
 */
public enum NodeType {
    CLIENT, SKU, CATEGORY, URL, QUERY, PRICE
}
