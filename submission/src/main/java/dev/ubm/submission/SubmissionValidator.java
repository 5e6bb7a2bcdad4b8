package dev.ubm.submission;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ValidationFailedException;
import dev.ubm.data.Npy;
import dev.ubm.data.RelevantClients;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The organisers' submission rules ({@code validator/} in Synerise/recsys2025), applied to an embeddings dir:
 * {@code client_ids.npy} is a 1-D int64 array and a permutation of relevant_clients; {@code embeddings.npy} is a 2-D
 * float16 array with at most 2048 columns, no NaN and no Inf, one row per client id; both load without pickle.
 * Unlike the organisers' validator (which stops at the first failed check of each file) it reports every problem.
 */
public final class SubmissionValidator {
    /** The organisers' MAX_EMBEDDING_DIM. */
    public static final int MAX_DIMS = 2048;
    private static final int EXAMPLES = 5;

    private SubmissionValidator() {
    }

    /** What the validator found: every problem, and the shape of what it could read. */
    public record Report(Path dir, List<String> problems, long rows, long cols, String dtype) {
        public Report {
            problems = List.copyOf(problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }

        /** One line for a passing submission. */
        public String summary() {
            return "OK " + dir + ": " + rows + " clients x " + cols + " dims " + dtype
                    + ", every organisers' rule holds";
        }
    }

    /**
     * Checks a submission dir. {@code relevantClients} is input/relevant_clients.npy, or null to skip the
     * permutation check (the organisers' {@code --disable-relevant-clients-check}).
     */
    public static Report check(Path embeddingsDir, Path relevantClients, int maxDims) {
        BlockDir dir = new BlockDir(embeddingsDir);
        long[] relevant = null;
        if (relevantClients != null) {
            if (!Files.isRegularFile(relevantClients)) {
                throw new BadInputException("missing file " + relevantClients + " (the relevant clients to check against)");
            }
            relevant = RelevantClients.read(relevantClients);
        }
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir.dir())) {
            problems.add("embeddings dir " + dir.dir() + " does not exist");
            return new Report(dir.dir(), problems, 0, 0, "?");
        }
        Path idsFile = dir.clientIdsFile();
        Path embFile = dir.embeddingsFile();
        Npy.Header ids = load(idsFile, "client ids", problems);
        Npy.Header emb = load(embFile, "embeddings", problems);

        long[] idValues = null;
        if (ids != null) {
            if (ids.shape().length != 1) {
                problems.add(idsFile + ": client ids are " + ids.shape().length + "-dimensional (shape "
                        + ids.shapeString() + "), expected 1-dimensional");
            }
            if (ids.dtype() != Npy.Dtype.INT64) {
                problems.add(idsFile + ": client ids dtype is " + ids.dtype().numpyName() + ", expected int64");
            }
            if (ids.shape().length == 1 && (ids.dtype() == Npy.Dtype.INT64 || ids.dtype() == Npy.Dtype.INT32)) {
                try {
                    idValues = Npy.readLongs(idsFile);
                } catch (BadInputException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        if (idValues != null && relevant != null) {
            permutationProblems(idsFile, idValues, relevant, problems);
        }
        long rows = 0;
        long cols = 0;
        if (emb != null) {
            rows = emb.rows();
            cols = emb.cols();
            if (emb.shape().length != 2) {
                problems.add(embFile + ": embeddings have shape " + emb.shapeString() + ", expected 2-dimensional");
            } else if (emb.shape()[1] > maxDims) {
                problems.add(embFile + ": embeddings have " + emb.shape()[1] + " columns, the maximum is " + maxDims);
            }
            if (emb.dtype() != Npy.Dtype.FLOAT16) {
                problems.add(embFile + ": embeddings dtype is " + emb.dtype().numpyName() + ", expected float16");
            }
            nonFiniteProblems(embFile, emb, problems);
            long idCount = idValues != null ? idValues.length : ids != null ? ids.rows() : -1;
            if (idCount >= 0 && emb.shape().length >= 1 && emb.rows() != idCount) {
                problems.add(embFile + ": " + emb.rows() + " embedding rows but " + idCount
                        + " client ids (row i belongs to client_ids[i])");
            }
        }
        return new Report(dir.dir(), problems, rows, cols, emb == null ? "?" : emb.dtype().numpyName());
    }

    /** Checks and throws {@link ValidationFailedException} listing every problem. */
    public static Report requireValid(Path embeddingsDir, Path relevantClients, int maxDims) {
        Report r = check(embeddingsDir, relevantClients, maxDims);
        if (!r.ok()) {
            throw new ValidationFailedException("submission " + r.dir() + " breaks the organisers' rules",
                    r.problems());
        }
        return r;
    }

    private static Npy.Header load(Path file, String what, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(file + ": " + what + " are missing");
            return null;
        }
        try {
            Npy.Header h = Npy.header(file);
            long need = h.dataOffset() + h.count() * h.dtype().size();
            long size = Files.size(file);
            if (size < need) {
                problems.add(file + ": " + what + " cannot be loaded: truncated (shape " + h.shapeString() + " needs "
                        + need + " bytes, the file has " + size + ")");
                return null;
            }
            return h;
        } catch (BadInputException e) {
            String m = e.getMessage();
            String why = m.startsWith(file.toString()) ? m.substring(file.toString().length()).replaceFirst("^: ", "") : m;
            problems.add(file + ": " + what + " cannot be loaded without pickle as a plain array: " + why);
            return null;
        } catch (IOException e) {
            problems.add(file + ": " + what + " cannot be read: " + e.getMessage());
            return null;
        }
    }

    private static void permutationProblems(Path idsFile, long[] ids, long[] relevant, List<String> problems) {
        long[] a = ids.clone();
        long[] r = relevant.clone();
        Arrays.sort(a);
        Arrays.sort(r);
        List<Long> dups = new ArrayList<>();
        long dupCount = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                dupCount++;
                if (dups.size() < EXAMPLES && (dups.isEmpty() || dups.get(dups.size() - 1) != a[i])) {
                    dups.add(a[i]);
                }
            }
        }
        List<Long> missing = new ArrayList<>();
        long missingCount = 0;
        for (long x : r) {
            if (Arrays.binarySearch(a, x) < 0) {
                if (missing.size() < EXAMPLES) {
                    missing.add(x);
                }
                missingCount++;
            }
        }
        List<Long> extra = new ArrayList<>();
        long extraCount = 0;
        for (int i = 0; i < a.length; i++) {
            if ((i == 0 || a[i] != a[i - 1]) && Arrays.binarySearch(r, a[i]) < 0) {
                if (extra.size() < EXAMPLES) {
                    extra.add(a[i]);
                }
                extraCount++;
            }
        }
        if (ids.length != relevant.length || dupCount > 0 || missingCount > 0 || extraCount > 0) {
            StringBuilder sb = new StringBuilder(idsFile + ": client ids are not a permutation of relevant clients ("
                    + ids.length + " ids, " + relevant.length + " relevant clients)");
            if (dupCount > 0) {
                sb.append("; ").append(dupCount).append(" repeated, e.g. ").append(dups);
            }
            if (missingCount > 0) {
                sb.append("; ").append(missingCount).append(" relevant clients missing, e.g. ").append(missing);
            }
            if (extraCount > 0) {
                sb.append("; ").append(extraCount).append(" ids that are not relevant clients, e.g. ").append(extra);
            }
            problems.add(sb.toString());
        }
    }

    /** Streams the data once, counting NaN and Inf (any float dtype). */
    private static void nonFiniteProblems(Path file, Npy.Header h, List<String> problems) {
        if (h.dtype() != Npy.Dtype.FLOAT16 && h.dtype() != Npy.Dtype.FLOAT32 && h.dtype() != Npy.Dtype.FLOAT64) {
            return;
        }
        long nan = 0;
        long inf = 0;
        long firstBad = -1;
        int size = h.dtype().size();
        long total = h.count();
        long cols = Math.max(1, h.cols());
        ByteBuffer buf = ByteBuffer.allocate(1 << 23).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = h.dataOffset();
            long index = 0;
            while (index < total) {
                buf.clear();
                long want = Math.min(buf.capacity() / size, total - index) * size;
                buf.limit((int) want);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        break;
                    }
                }
                buf.flip();
                int n = buf.remaining() / size;
                if (n == 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    boolean isNan;
                    boolean isInf;
                    switch (h.dtype()) {
                        case FLOAT16 -> {
                            int bits = buf.getShort() & 0x7fff;
                            isNan = bits > 0x7c00;
                            isInf = bits == 0x7c00;
                        }
                        case FLOAT32 -> {
                            float v = buf.getFloat();
                            isNan = Float.isNaN(v);
                            isInf = Float.isInfinite(v);
                        }
                        default -> {
                            double v = buf.getDouble();
                            isNan = Double.isNaN(v);
                            isInf = Double.isInfinite(v);
                        }
                    }
                    if (isNan || isInf) {
                        if (firstBad < 0) {
                            firstBad = index + i;
                        }
                        if (isNan) {
                            nan++;
                        } else {
                            inf++;
                        }
                    }
                }
                index += n;
                pos += (long) n * size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String where = firstBad < 0 ? "" : String.format(Locale.ROOT, " (first at row %d, column %d)",
                firstBad / cols, firstBad % cols);
        if (nan > 0) {
            problems.add(file + ": embeddings contain " + nan + " NaN values" + where);
        }
        if (inf > 0) {
            problems.add(file + ": embeddings contain " + inf + " Inf values" + (nan > 0 ? "" : where)
                    + (h.dtype() == Npy.Dtype.FLOAT16 ? "; float16 overflows to Inf beyond ±65504" : ""));
        }
    }
}
