package dev.ubm.probes.mlp;

import ai.djl.engine.Engine;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Training throughput of the official probe network in DJL, the Java side of {@code make bench-probe} (the
 * Python side is bench/probe/probe_torch.py): random inputs and labels, a fixed number of optimiser steps after a
 * warm-up. Prints one JSON line with wall and process CPU time (on a shared machine CPU time per step is the
 * steadier measure). Usage: {@code ProbeBench [--dim 320] [--out 100] [--steps 20] [--warmup 3]
 * [--thin 2048] [--wide 4096]}.
 */
public final class ProbeBench {
    private ProbeBench() {
    }

    /** CPU time of the whole process (all threads, libtorch's included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) {
        Map<String, Integer> a = new LinkedHashMap<>(Map.of("dim", 320, "out", 100, "steps", 20, "warmup", 3,
                "thin", MlpConfig.OFFICIAL.thin(), "wide", MlpConfig.OFFICIAL.wide()));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            if (!a.containsKey(k)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            a.put(k, Integer.parseInt(args[i + 1]));
        }
        MlpConfig cfg = MlpConfig.OFFICIAL.withWidths(a.get("thin"), a.get("wide"));
        int dim = a.get("dim");
        int out = a.get("out");
        int b = cfg.batch();
        Random rnd = new Random(1278);
        float[] x = new float[b * dim];
        float[] y = new float[b * out];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble() < 0.05 ? 1f : 0f;
        }
        MlpProbe probe = new MlpProbe("bench", cfg);
        try (MlpProbe.Session s = probe.open(dim, out)) {
            for (int i = 0; i < a.get("warmup"); i++) {
                s.step(x, y, b);
            }
            int steps = a.get("steps");
            long t0 = System.nanoTime();
            long c0 = cpuNanos();
            for (int i = 0; i < steps; i++) {
                s.step(x, y, b);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (cpuNanos() - c0) / 1e9;
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"djl\", \"engine\": \"%s %s\", \"device\": \"%s\", \"dim\": %d, \"out\": %d, "
                            + "\"batch\": %d, \"params\": %d, \"steps\": %d, \"seconds\": %.3f, \"steps_per_s\": %.4f, "
                            + "\"rows_per_s\": %.1f, \"cpu_seconds\": %.3f, \"cpu_s_per_step\": %.4f}",
                    Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), probe.device(), dim, out,
                    b, s.parameterCount(), steps, secs, steps / secs, steps * b / secs, cpu, cpu / steps));
        }
    }
}
