package dev.ubm.nn;

/**
 * Learning rate per step: linear warm-up over {@code warmup} steps, then cosine decay to {@code floor * peak} at
 * {@code total} steps. A pure function of the step, so a resumed run follows the same curve.
 */
public record LrSchedule(float peak, long warmup, long total, float floor) {
    public LrSchedule {
        if (peak <= 0 || warmup < 0 || total < 1 || floor < 0 || floor > 1) {
            throw new IllegalArgumentException("bad schedule peak=" + peak + " warmup=" + warmup + " total=" + total
                    + " floor=" + floor);
        }
    }

    /** The same rate at every step. */
    public static LrSchedule constant(float rate) {
        return new LrSchedule(rate, 0, 1, 1f);
    }

    /** The rate for 0-based step {@code step}. */
    public float at(long step) {
        if (step < warmup) {
            return peak * (step + 1) / (float) warmup;
        }
        double span = Math.max(1, total - warmup);
        double progress = Math.min(1.0, (step - warmup) / span);
        double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (peak * (floor + (1 - floor) * cos));
    }
}
