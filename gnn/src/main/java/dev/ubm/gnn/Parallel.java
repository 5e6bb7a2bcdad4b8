package dev.ubm.gnn;

import dev.ubm.core.UnexpectedStateException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Splits index ranges over a few threads; the split never changes what each index computes. */
final class Parallel {
    private Parallel() {
    }

    /** A task over indices [from, to). */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /** Runs task over [0, n) in contiguous blocks of at most 4096 indices on up to {@code threads} threads. */
    static void range(int n, int threads, RangeTask task) {
        int block = 4096;
        int blocks = (n + block - 1) / block;
        int t = Math.max(1, Math.min(threads, blocks));
        if (t == 1) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        ExecutorService ex = Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "ubm-gnn");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int b = 0; b < blocks; b++) {
                int from = b * block;
                int to = Math.min(n, from + block);
                fs.add(ex.submit(() -> task.run(from, to)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnexpectedStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error er) {
                throw er;
            }
            throw new UnexpectedStateException("worker failed: " + c, c);
        } finally {
            ex.shutdownNow();
        }
    }
}
