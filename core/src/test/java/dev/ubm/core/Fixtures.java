package dev.ubm.core;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * Locates the golden fixtures (values from the organisers' metric code and numpy's {@code .npy} files), which live in
 * the test resources of the module whose tests use them ({@code src/test/resources/fixtures/}). Nothing outside the
 * repository is read.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** The fixture file at {@code fixtures/<relative>} on the test classpath; fails naming it when it is absent. */
    public static Path file(String relative) {
        String name = "fixtures/" + relative;
        URL url = Thread.currentThread().getContextClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " not found on the test classpath");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + ": " + e.getMessage(), e);
        }
    }
}
