package dev.ubm.probes;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.UbmException;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks an embeddings dir before any probing, as the organisers' validator does, and reports every problem at
 * once with the file, row and client it concerns: client_ids 1-D int64; embeddings 2-D float16/float32 with at
 * most {@code maxDims} columns; one row per id; no NaN or Inf; no duplicate id; the ids exactly the relevant
 * clients (none missing, none extra).
 */
public final class EmbeddingCheck {
    /** The organisers' MAX_EMBEDDING_DIM. */
    public static final int MAX_DIMS = 2048;
    private static final int SHOW = 5;

    /** A checked embedding: ids and rows, aligned. */
    public record Checked(long[] clientIds, Embeddings embeddings) {
    }

    private EmbeddingCheck() {
    }

    /**
     * Opens and checks a block dir against the relevant clients.
     *
     * @throws BadInputException listing every problem found
     */
    public static Checked open(Path embeddingsDir, long[] relevantClients, int maxDims) {
        BlockDir block = new BlockDir(embeddingsDir);
        Path idsFile = block.clientIdsFile();
        Path embFile = block.embeddingsFile();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(block.dir())) {
            throw new BadInputException("embeddings dir " + block.dir() + " does not exist");
        }
        for (Path p : new Path[] {idsFile, embFile}) {
            if (!Files.isRegularFile(p)) {
                problems.add("missing file " + p);
            }
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("embeddings dir " + block.dir() + " is not usable", problems);
        }
        long[] ids = null;
        Npy.Header ih = header(idsFile, problems);
        if (ih != null) {
            if (ih.shape().length != 1) {
                problems.add(idsFile + ": client ids must be 1-D, found shape " + ih.shapeString());
            } else if (ih.dtype() != Npy.Dtype.INT64) {
                problems.add(idsFile + ": client ids must be int64, found " + ih.dtype().numpyName());
            } else {
                ids = Npy.readLongs(idsFile);
            }
        }
        Embeddings emb = null;
        Npy.Header eh = header(embFile, problems);
        if (eh != null) {
            if (eh.shape().length != 2) {
                problems.add(embFile + ": embeddings must be 2-D (clients x dims), found shape " + eh.shapeString());
            } else if (eh.dtype() != Npy.Dtype.FLOAT16 && eh.dtype() != Npy.Dtype.FLOAT32) {
                problems.add(embFile + ": embeddings must be float16 (a submission) or float32 (a block), found "
                        + eh.dtype().numpyName());
            } else if (eh.fortranOrder()) {
                problems.add(embFile + ": embeddings are in Fortran order; save them C-contiguous");
            } else if (eh.cols() < 1) {
                problems.add(embFile + ": embeddings have no columns (shape " + eh.shapeString() + ")");
            } else if (eh.cols() > maxDims) {
                problems.add(embFile + ": " + eh.cols() + " dims exceed the limit of " + maxDims);
            } else {
                try {
                    emb = Embeddings.map(embFile);
                } catch (UbmException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (ids != null && eh != null && eh.shape().length == 2 && ids.length != eh.rows()) {
            problems.add(embFile + " has " + eh.rows() + " rows but " + idsFile + " has " + ids.length + " ids");
        }
        if (emb != null) {
            nonFinite(emb, embFile, ids, problems);
        }
        if (ids != null) {
            duplicates(ids, idsFile, problems);
            coverage(ids, relevantClients, idsFile, problems);
        }
        if (!problems.isEmpty()) {
            throw BadInputException.of("embeddings in " + block.dir() + " failed the checks", problems);
        }
        return new Checked(ids, emb);
    }

    private static Npy.Header header(Path file, List<String> problems) {
        try {
            return Npy.header(file);
        } catch (UbmException e) {
            problems.add(e.getMessage());
            return null;
        }
    }

    private static void nonFinite(Embeddings emb, Path file, long[] ids, List<String> problems) {
        int dims = emb.dims();
        int batch = Math.max(1, (1 << 20) / dims);
        float[] buf = new float[batch * dims];
        int[] rows = new int[emb.rows()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        long nan = 0;
        long inf = 0;
        List<String> first = new ArrayList<>();
        for (int from = 0; from < rows.length; from += batch) {
            int count = Math.min(batch, rows.length - from);
            emb.read(rows, from, count, buf);
            for (int i = 0; i < count * dims; i++) {
                float v = buf[i];
                if (!Float.isFinite(v)) {
                    if (Float.isNaN(v)) {
                        nan++;
                    } else {
                        inf++;
                    }
                    if (first.size() < SHOW) {
                        int r = from + i / dims;
                        first.add(String.format(Locale.ROOT, "row %d (client %s), column %d = %s", r,
                                ids != null && r < ids.length ? Long.toString(ids[r]) : "?", i % dims, v));
                    }
                }
            }
        }
        if (nan + inf > 0) {
            problems.add(file + ": " + nan + " NaN and " + inf + " Inf value(s), first at " + String.join("; ", first)
                    + " (a float16 overflows above 65504)");
        }
    }

    private static void duplicates(long[] ids, Path file, List<String> problems) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        int dups = 0;
        List<Long> firstIds = new ArrayList<>();
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                dups++;
                if (firstIds.size() < SHOW && (firstIds.isEmpty() || firstIds.get(firstIds.size() - 1) != sorted[i])) {
                    firstIds.add(sorted[i]);
                }
            }
        }
        if (dups == 0) {
            return;
        }
        List<String> shown = new ArrayList<>();
        for (long id : firstIds) {
            List<Integer> rows = new ArrayList<>();
            for (int r = 0; r < ids.length && rows.size() < 3; r++) {
                if (ids[r] == id) {
                    rows.add(r);
                }
            }
            shown.add("client " + id + " at rows " + rows);
        }
        problems.add(file + ": " + dups + " duplicate client id(s), e.g. " + String.join("; ", shown));
    }

    private static void coverage(long[] ids, long[] relevant, Path file, List<String> problems) {
        long[] have = ids.clone();
        Arrays.sort(have);
        long[] want = relevant.clone();
        Arrays.sort(want);
        long missing = 0;
        List<Long> firstMissing = new ArrayList<>();
        for (long id : want) {
            if (Arrays.binarySearch(have, id) < 0) {
                missing++;
                if (firstMissing.size() < SHOW) {
                    firstMissing.add(id);
                }
            }
        }
        long extra = 0;
        List<String> firstExtra = new ArrayList<>();
        for (int r = 0; r < ids.length; r++) {
            if (Arrays.binarySearch(want, ids[r]) < 0) {
                extra++;
                if (firstExtra.size() < SHOW) {
                    firstExtra.add("client " + ids[r] + " at row " + r);
                }
            }
        }
        if (missing > 0) {
            problems.add(file + ": " + missing + " of " + want.length + " relevant client(s) have no embedding, e.g. "
                    + firstMissing);
        }
        if (extra > 0) {
            problems.add(file + ": " + extra + " id(s) are not relevant clients, e.g. " + String.join("; ", firstExtra));
        }
    }
}
