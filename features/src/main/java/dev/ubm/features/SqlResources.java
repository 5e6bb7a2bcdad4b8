package dev.ubm.features;

import dev.ubm.core.UnexpectedStateException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads a feature set's SQL files and its manifest (the order they run in) from the classpath. */
final class SqlResources {
    /** One manifest line: a prep table or a feature group, optionally needing a target list. */
    record Step(String kind, String name, String needs) {
        boolean isPrep() {
            return kind.equals("prep");
        }
    }

    private SqlResources() {
    }

    static String read(FeatureSet set, String file) {
        String path = set.resourceDir() + file;
        try (InputStream in = SqlResources.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new UnexpectedStateException("missing SQL resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnexpectedStateException("cannot read SQL resource " + path + ": " + e.getMessage(), e);
        }
    }

    static List<Step> manifest(FeatureSet set) {
        List<Step> out = new ArrayList<>();
        for (String line : read(set, "manifest.txt").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] p = l.split("\\s+");
            if (p.length < 2 || !(p[0].equals("prep") || p[0].equals("group"))) {
                throw new UnexpectedStateException("bad manifest line in " + set.resourceDir() + ": " + l);
            }
            String needs = null;
            if (p.length > 2) {
                if (!p[2].startsWith("needs=")) {
                    throw new UnexpectedStateException("bad manifest line in " + set.resourceDir() + ": " + l);
                }
                needs = p[2].substring("needs=".length());
            }
            out.add(new Step(p[0], p[1], needs));
        }
        return out;
    }
}
