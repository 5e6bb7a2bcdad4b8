package dev.ubm.gnn;

/** Called after each finished (and checkpointed) epoch; tests use it to interrupt a run as a kill would. */
@FunctionalInterface
public interface EpochListener {
    /** @param epoch 0-based epoch just finished; loss its mean loss per positive edge */
    void onEpoch(int epoch, double loss);
}
