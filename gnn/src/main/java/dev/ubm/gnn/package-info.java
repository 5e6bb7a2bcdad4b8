/**
 * The graph block: a heterogeneous graph of clients, products, categories, URLs, search queries and price buckets
 * built from the events ({@link dev.ubm.gnn.GraphBuilder}), TwHIN translation embeddings trained on it with
 * Hogwild-style Adagrad over flat float tables ({@link dev.ubm.gnn.TwhinTrainer}), and a deterministic randomized
 * SVD baseline ({@link dev.ubm.gnn.SvdBaseline}) so TwHIN has to earn its cost. {@link dev.ubm.gnn.GnnStage} runs
 * it all and writes a block dir with a row for every relevant client.
 */
package dev.ubm.gnn;
