package dev.ubm.data;

import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ValidationFailedException;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one check of an embeddings dir ({@code client_ids.npy} + {@code embeddings.npy}), the organisers' submission
 * rules ({@code validator/} in Synerise/recsys2025) with ubm's additions: client ids 1-D int64; embeddings 2-D, of an
 * allowed dtype, with 1 to {@link #MAX_DIMS} columns, no NaN or Inf, one row per id; ids unique and, given the
 * relevant clients, a permutation of them. Unlike the organisers' validator (which stops at the first failed check of
 * each file) it returns every problem, each naming the file, what was expected and what was found.
 */
public final class BlockCheck {
    /** The organisers' MAX_EMBEDDING_DIM. */
    public static final int MAX_DIMS = 2048;
    private static final int EXAMPLES = 5;

    private BlockCheck() {
    }

    /**
     * What a dir must satisfy.
     *
     * @param dtypes the embedding dtypes accepted
     * @param cOrder whether the embeddings must be C-ordered (to be memory-mapped by rows)
     */
    public record Rules(int maxDims, Set<Npy.Dtype> dtypes, boolean cOrder) {
        public Rules {
            dtypes = Set.copyOf(dtypes);
        }

        /** The organisers' rules for a submission: float16, at most {@code maxDims} columns. */
        public static Rules submission(int maxDims) {
            return new Rules(maxDims, EnumSet.of(Npy.Dtype.FLOAT16), false);
        }

        /** What a probe reads: a block (float32) or a submission (float16), C-ordered. */
        public static Rules probe(int maxDims) {
            return new Rules(maxDims, EnumSet.of(Npy.Dtype.FLOAT16, Npy.Dtype.FLOAT32), true);
        }

        String expectedDtypes() {
            return dtypes.stream().map(Npy.Dtype::numpyName).sorted().collect(Collectors.joining(" or "));
        }
    }

    /** What the check found: every problem, the shape it could read and the client ids (null when unreadable). */
    public record Report(Path dir, List<String> problems, long rows, long cols, String dtype, long[] clientIds) {
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

        /** This report, or {@link ValidationFailedException} (exit 1) listing every problem. */
        public Report requireValid() {
            if (!ok()) {
                throw new ValidationFailedException("submission " + dir + " breaks the organisers' rules", problems);
            }
            return this;
        }

        /** This report, or {@link BadInputException} (exit 2) listing every problem. */
        public Report requireUsable() {
            if (!ok()) {
                throw BadInputException.of("embeddings in " + dir + " failed the checks", problems);
            }
            return this;
        }
    }

    /**
     * Checks an embeddings dir. {@code relevant} is input/relevant_clients.npy, or null to skip the permutation check
     * (the organisers' {@code --disable-relevant-clients-check}).
     */
    public static Report check(Path embeddingsDir, long[] relevant, Rules rules) {
        BlockDir dir = new BlockDir(embeddingsDir);
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir.dir())) {
            problems.add("embeddings dir " + dir.dir() + " does not exist");
            return new Report(dir.dir(), problems, 0, 0, "?", null);
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
        if (idValues != null) {
            idProblems(idsFile, idValues, relevant, problems);
        }
        long rows = 0;
        long cols = 0;
        if (emb != null) {
            rows = emb.rows();
            cols = emb.cols();
            if (emb.shape().length != 2) {
                problems.add(embFile + ": embeddings have shape " + emb.shapeString()
                        + ", expected 2-dimensional (clients x dims)");
            } else if (emb.shape()[1] > rules.maxDims()) {
                problems.add(embFile + ": embeddings have " + emb.shape()[1] + " columns, the maximum is "
                        + rules.maxDims());
            } else if (emb.shape()[1] < 1) {
                problems.add(embFile + ": embeddings have no columns (shape " + emb.shapeString()
                        + "), expected 1 to " + rules.maxDims());
            }
            if (!rules.dtypes().contains(emb.dtype())) {
                problems.add(embFile + ": embeddings dtype is " + emb.dtype().numpyName() + ", expected "
                        + rules.expectedDtypes());
            }
            if (rules.cOrder() && emb.fortranOrder()) {
                problems.add(embFile + ": embeddings are in Fortran order, expected C order (save them with "
                        + "np.ascontiguousarray)");
            }
            nonFiniteProblems(embFile, emb, idValues, problems);
            long idCount = idValues != null ? idValues.length : ids != null ? ids.rows() : -1;
            if (idCount >= 0 && emb.shape().length >= 1 && emb.rows() != idCount) {
                problems.add(embFile + ": " + emb.rows() + " embedding rows but " + idCount
                        + " client ids (row i belongs to client_ids[i])");
            }
        }
        return new Report(dir.dir(), problems, rows, cols, emb == null ? "?" : emb.dtype().numpyName(), idValues);
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

    /** Repeated ids always; with the relevant clients, also missing and extra ones: one problem, every count. */
    private static void idProblems(Path idsFile, long[] ids, long[] relevant, List<String> problems) {
        long[] a = ids.clone();
        Arrays.sort(a);
        List<String> parts = new ArrayList<>();
        long dupCount = 0;
        List<Long> dups = new ArrayList<>();
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                dupCount++;
                if (dups.size() < EXAMPLES && (dups.isEmpty() || dups.get(dups.size() - 1) != a[i])) {
                    dups.add(a[i]);
                }
            }
        }
        if (dupCount > 0) {
            List<String> shown = new ArrayList<>();
            for (long id : dups) {
                List<Integer> rows = new ArrayList<>();
                for (int r = 0; r < ids.length && rows.size() < 3; r++) {
                    if (ids[r] == id) {
                        rows.add(r);
                    }
                }
                shown.add("client " + id + " at rows " + rows);
            }
            parts.add(dupCount + " repeated, e.g. " + String.join("; ", shown));
        }
        if (relevant != null) {
            long[] want = relevant.clone();
            Arrays.sort(want);
            long missing = 0;
            List<Long> firstMissing = new ArrayList<>();
            for (long id : want) {
                if (Arrays.binarySearch(a, id) < 0) {
                    missing++;
                    if (firstMissing.size() < EXAMPLES) {
                        firstMissing.add(id);
                    }
                }
            }
            long extra = 0;
            List<String> firstExtra = new ArrayList<>();
            for (int r = 0; r < ids.length; r++) {
                if (Arrays.binarySearch(want, ids[r]) < 0) {
                    extra++;
                    if (firstExtra.size() < EXAMPLES) {
                        firstExtra.add("client " + ids[r] + " at row " + r);
                    }
                }
            }
            if (missing > 0) {
                parts.add(missing + " of " + want.length + " relevant client(s) have no embedding, e.g. "
                        + firstMissing);
            }
            if (extra > 0) {
                parts.add(extra + " id(s) are not relevant clients, e.g. " + String.join("; ", firstExtra));
            }
            if (!parts.isEmpty() || ids.length != relevant.length) {
                problems.add(idsFile + ": client ids are not a permutation of the relevant clients (" + ids.length
                        + " ids, " + relevant.length + " relevant clients, expected each once)"
                        + (parts.isEmpty() ? "" : "; " + String.join("; ", parts)));
            }
        } else if (!parts.isEmpty()) {
            problems.add(idsFile + ": client ids must be unique, found " + parts.get(0));
        }
    }

    /** Streams the data once, counting NaN and Inf (any float dtype) and naming the first few. */
    private static void nonFiniteProblems(Path file, Npy.Header h, long[] ids, List<String> problems) {
        if (h.dtype() != Npy.Dtype.FLOAT16 && h.dtype() != Npy.Dtype.FLOAT32 && h.dtype() != Npy.Dtype.FLOAT64) {
            return;
        }
        long nan = 0;
        long inf = 0;
        List<String> first = new ArrayList<>();
        int size = h.dtype().size();
        long total = h.count();
        long rows = Math.max(1, h.rows());
        long cols = Math.max(1, h.shape().length == 2 ? h.cols() : 1);
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
                        if (isNan) {
                            nan++;
                        } else {
                            inf++;
                        }
                        if (first.size() < EXAMPLES) {
                            long k = index + i;
                            long r = h.fortranOrder() ? k % rows : k / cols;
                            long c = h.fortranOrder() ? k / rows : k % cols;
                            first.add(String.format(Locale.ROOT, "row %d (client %s), column %d = %s", r,
                                    ids != null && r < ids.length ? Long.toString(ids[(int) r]) : "?", c,
                                    isNan ? "NaN" : "Inf"));
                        }
                    }
                }
                index += n;
                pos += (long) n * size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (nan + inf > 0) {
            problems.add(file + ": embeddings contain " + nan + " NaN and " + inf + " Inf value(s), expected none; "
                    + "first at " + String.join("; ", first)
                    + (inf > 0 && h.dtype() == Npy.Dtype.FLOAT16 ? " (float16 overflows to Inf beyond ±65504)" : ""));
        }
    }
}
