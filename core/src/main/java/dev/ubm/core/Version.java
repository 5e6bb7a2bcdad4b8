package dev.ubm.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The code version written into every output's metadata: the git commit the build was made from (with
 * {@code -dirty} when the work tree had uncommitted changes), or the Maven version when built outside a git clone.
 */
public final class Version {
    /** e.g. {@code 3f2a1c9e0b7d} or {@code 3f2a1c9e0b7d-dirty}; the Maven version without git; "dev" outside Maven. */
    public static final String CODE = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/ubm/core/version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return of(p.getProperty("version", "dev"), p.getProperty("commit", ""), p.getProperty("dirty", ""));
        } catch (IOException e) {
            return "dev";
        }
    }

    /** The commit when the build knew one (an unfiltered {@code ${...}} placeholder means it did not), else the version. */
    static String of(String version, String commit, String dirty) {
        if (commit.isBlank() || commit.startsWith("${")) {
            return version;
        }
        return "true".equals(dirty) ? commit + "-dirty" : commit;
    }
}
