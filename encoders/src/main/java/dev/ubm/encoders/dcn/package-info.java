/**
 * The DCN tabular encoder: PLE-embedded numeric features plus a frozen sequence vector through DCN-v2, trained
 * multi-task on labels from the last days of the input period plus a masking-contrastive loss; a hidden layer is
 * the block.
 */
package dev.ubm.encoders.dcn;
