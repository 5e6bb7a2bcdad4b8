package dev.ubm.probes.ablation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One embedding the ablation probes: a subset of the blocks. {@code all} uses every block, {@code X alone} one block,
 * {@code without X} every block but X; leave-one-out minus all is the block's contribution.
 */
public record Variant(String name, Kind kind, List<String> blocks) {
    /** How a variant relates to the full set of blocks. */
    public enum Kind {
        ALL, ALONE, WITHOUT
    }

    public Variant {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a variant needs at least one block");
        }
        blocks = List.copyOf(blocks);
    }

    /**
     * The variants of a list of block names, in report order: all, each block alone, then each block left out.
     * With two blocks, "without A" is "B alone" and is not repeated; with one block there is only "all".
     */
    public static List<Variant> of(List<String> names) {
        Set<String> unique = new LinkedHashSet<>(names);
        if (unique.size() != names.size() || names.isEmpty()) {
            throw new IllegalArgumentException("block names must be distinct and non-empty: " + names);
        }
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("all", Kind.ALL, names));
        if (names.size() == 1) {
            return out;
        }
        for (String n : names) {
            out.add(new Variant(n + " alone", Kind.ALONE, List.of(n)));
        }
        if (names.size() > 2) {
            for (String n : names) {
                List<String> rest = new ArrayList<>(names);
                rest.remove(n);
                out.add(new Variant("without " + n, Kind.WITHOUT, rest));
            }
        }
        return out;
    }

    /**
     * The variants of {@code ubm ablate --compare}: each block alone, in the order given (the first is the reference
     * the others are paired against); at least two distinct names.
     */
    public static List<Variant> alone(List<String> names) {
        Set<String> unique = new LinkedHashSet<>(names);
        if (unique.size() != names.size() || names.size() < 2) {
            throw new IllegalArgumentException("--compare needs at least two distinct block names: " + names);
        }
        List<Variant> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Variant(n + " alone", Kind.ALONE, List.of(n)));
        }
        return out;
    }

    /** The block left out (WITHOUT variants), or null. */
    public String leftOut(List<String> all) {
        if (kind != Kind.WITHOUT) {
            return null;
        }
        for (String n : all) {
            if (!blocks.contains(n)) {
                return n;
            }
        }
        return null;
    }

    /** A file-name-safe key. */
    public String key() {
        return name.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }
}
