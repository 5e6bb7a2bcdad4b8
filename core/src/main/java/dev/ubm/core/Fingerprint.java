package dev.ubm.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap fingerprint of input files, written next to every output so a result can be traced to its input. It
 * hashes each file's name, size and its first and last MiB (not timestamps, so copies fingerprint alike).
 */
public final class Fingerprint {
    private static final int CHUNK = 1 << 20;

    private Fingerprint() {
    }

    /** SHA-256 (first 16 hex digits) over the given files, or over all files below the given directories. */
    public static String of(Path... paths) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>();
            for (Path p : paths) {
                if (Files.isDirectory(p)) {
                    try (Stream<Path> s = Files.walk(p)) {
                        s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                                .sorted().forEach(files::add);
                    }
                } else if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
            for (Path f : files) {
                md.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                long size = Files.size(f);
                md.update(ByteBuffer.allocate(8).putLong(size).array());
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    digest(md, ch, 0, Math.min(size, CHUNK));
                    if (size > CHUNK) {
                        long start = Math.max(CHUNK, size - CHUNK);
                        digest(md, ch, start, size - start);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(MessageDigest md, FileChannel ch, long pos, long len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                break;
            }
        }
        buf.flip();
        md.update(buf);
    }
}
