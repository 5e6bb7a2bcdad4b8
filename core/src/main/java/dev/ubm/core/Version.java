package dev.ubm.core;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The code version written into every output's metadata (from the Maven build). */
public final class Version {
    /** e.g. {@code 0.1.0-SNAPSHOT}; "dev" when run outside a Maven build. */
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
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
