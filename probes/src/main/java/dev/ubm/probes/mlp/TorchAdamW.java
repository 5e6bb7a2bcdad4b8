package dev.ubm.probes.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * torch.optim.AdamW, step for step: decoupled weight decay {@code w *= 1 - lr*wd}, then
 * {@code w -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}. DJL's own AdamW adds epsilon to sqrt(v) before the
 * bias correction (an epsilon about 30x smaller on the first steps), so this class calls the same native update
 * with the epsilon scaled by sqrt(1-b2^t), which is exactly torch's formula. Weights are updated in place and
 * their gradients zeroed; moment buffers live with the weights and are closed with them.
 */
public final class TorchAdamW {
    private final float lr;
    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final double eps;
    private final Map<NDArray, NDArray[]> state = new IdentityHashMap<>();
    private int t;

    public TorchAdamW(MlpConfig cfg) {
        this.lr = (float) cfg.learningRate();
        this.weightDecay = (float) cfg.weightDecay();
        this.beta1 = (float) cfg.beta1();
        this.beta2 = (float) cfg.beta2();
        this.eps = cfg.epsilon();
    }

    /** Number of steps taken. */
    public int steps() {
        return t;
    }

    /** One optimiser step over all weights (gradients from the last backward pass). */
    public void step(Iterable<NDArray> weights) {
        t++;
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        float lrCorrected = (float) (lr * Math.sqrt(c2) / c1);
        float epsScaled = (float) (eps * Math.sqrt(c2));
        for (NDArray w : weights) {
            NDArray[] mv = state.computeIfAbsent(w, k -> new NDArray[] {k.zerosLike(), k.zerosLike()});
            try (NDArray g = w.getGradient()) {
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, mv[0], mv[1]), new NDList(w), lr,
                        lrCorrected, weightDecay, 1f, -1f, beta1, beta2, epsScaled, true, true);
            }
        }
    }
}
