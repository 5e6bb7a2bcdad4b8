package dev.ubm.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A data dir in the challenge layout: event files ({@code .parquet} or {@code .csv}) and product_properties at the
 * root, {@code input/relevant_clients.npy}, and after {@code ubm split} the input/ events and target/ files. It
 * knows every path, so no other code builds them, and {@link #problems} lists everything missing at once.
 */
public final class ChallengeDataDir {
    /** File formats the event store reads. */
    public enum Format {
        PARQUET(".parquet"), CSV(".csv");

        private final String suffix;

        Format(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /** What a stage needs from a data dir. */
    public enum Need {
        /** Raw events at the root (what split and synth-checks need). */
        RAW_EVENTS,
        /** Events to embed: input/ after a split, else the root; plus properties and relevant clients. */
        EVENTS,
        /** The public target lists (target/propensity_*.npy, popularity_*.npy, active_clients.npy). */
        TARGET_LISTS,
        /** The hidden windows target/train_target and target/validation_target (probe and ablate only). */
        TARGET_WINDOWS
    }

    public static final String INPUT = "input";
    public static final String TARGET = "target";
    public static final String ORACLE = "oracle";

    private final Path root;
    private final boolean allEvents;

    private ChallengeDataDir(Path root, boolean allEvents) {
        this.root = root.toAbsolutePath().normalize();
        this.allEvents = allEvents;
    }

    /** Opens a data dir; embedding stages then read input/ events when a split exists. */
    public static ChallengeDataDir open(Path root) {
        return new ChallengeDataDir(root, false);
    }

    /** Opens a data dir whose root (raw) events are embedded even if a split exists (final submissions). */
    public static ChallengeDataDir openAllEvents(Path root) {
        return new ChallengeDataDir(root, true);
    }

    public Path root() {
        return root;
    }

    public Path inputDir() {
        return root.resolve(INPUT);
    }

    public Path targetDir() {
        return root.resolve(TARGET);
    }

    /** Where {@code ubm synth} writes its oracle (only synthetic worlds have one). */
    public Path oracleDir() {
        return root.resolve(ORACLE);
    }

    public boolean hasOracle() {
        return Files.isDirectory(oracleDir());
    }

    /** True when {@code ubm split} (or the organisers' split) has written input/ events. */
    public boolean isSplit() {
        for (EventType t : EventType.values()) {
            if (findFile(inputDir(), t.stem()).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The folder whose event files the embedding stages read. */
    public Path eventsDir() {
        return !allEvents && isSplit() ? inputDir() : root;
    }

    public boolean usesAllEvents() {
        return eventsDir().equals(root);
    }

    /** The event file of a type in {@link #eventsDir()}, parquet preferred over csv. */
    public Path eventFile(EventType type) {
        return findFile(eventsDir(), type.stem()).orElseThrow(() -> new BadInputException(
                "missing event file " + eventsDir().resolve(type.stem() + ".parquet") + " (or .csv)"));
    }

    /** The raw (root) event file of a type. */
    public Path rawEventFile(EventType type) {
        return findFile(root, type.stem()).orElseThrow(() -> new BadInputException(
                "missing event file " + root.resolve(type.stem() + ".parquet") + " (or .csv)"));
    }

    public Path propertiesFile() {
        Optional<Path> p = findFile(root, EventType.PROPERTIES_STEM);
        if (p.isEmpty()) {
            p = findFile(inputDir(), EventType.PROPERTIES_STEM);
        }
        return p.orElseThrow(() -> new BadInputException(
                "missing " + root.resolve(EventType.PROPERTIES_STEM + ".parquet") + " (or .csv)"));
    }

    public Path relevantClientsFile() {
        return inputDir().resolve("relevant_clients.npy");
    }

    public Path activeClientsFile() {
        return targetDir().resolve("active_clients.npy");
    }

    public Path trainTargetFile() {
        return findFile(targetDir(), "train_target").orElse(targetDir().resolve("train_target.parquet"));
    }

    public Path validationTargetFile() {
        return findFile(targetDir(), "validation_target").orElse(targetDir().resolve("validation_target.parquet"));
    }

    /** target/propensity_*.npy for a propensity task. */
    public Path targetListFile(Task task) {
        return targetDir().resolve(task.listStem() + ".npy");
    }

    public Path popularityFile(Task task) {
        return targetDir().resolve(task.popularityStem() + ".npy");
    }

    /** Format of a file by its suffix. */
    public static Format formatOf(Path file) {
        return file.toString().endsWith(".csv") ? Format.CSV : Format.PARQUET;
    }

    /** Every problem that stops a stage with these needs; empty when the dir is usable. */
    public List<String> problems(Need... needs) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            out.add("data dir " + root + " does not exist or is not a directory");
            return out;
        }
        for (Need need : needs) {
            switch (need) {
                case RAW_EVENTS -> {
                    for (EventType t : EventType.values()) {
                        missingFile(out, root, t.stem());
                    }
                    missingFile(out, root, EventType.PROPERTIES_STEM);
                    missing(out, relevantClientsFile());
                }
                case EVENTS -> {
                    for (EventType t : EventType.values()) {
                        missingFile(out, eventsDir(), t.stem());
                    }
                    if (findFile(root, EventType.PROPERTIES_STEM).isEmpty()
                            && findFile(inputDir(), EventType.PROPERTIES_STEM).isEmpty()) {
                        out.add("missing file " + root.resolve(EventType.PROPERTIES_STEM + ".parquet") + " (or .csv)");
                    }
                    missing(out, relevantClientsFile());
                }
                case TARGET_LISTS -> {
                    missing(out, activeClientsFile());
                    for (Task t : Task.values()) {
                        if (!t.isBinary()) {
                            missing(out, targetListFile(t));
                            missing(out, popularityFile(t));
                        }
                    }
                }
                case TARGET_WINDOWS -> {
                    missing(out, trainTargetFile());
                    missing(out, validationTargetFile());
                }
                default -> throw new IllegalStateException(need.toString());
            }
        }
        return out;
    }

    /** Throws {@link BadInputException} listing every problem if the dir lacks what the needs ask for. */
    public ChallengeDataDir require(Need... needs) {
        List<String> p = problems(needs);
        if (!p.isEmpty()) {
            throw BadInputException.of("data dir " + root + " is not usable", p);
        }
        return this;
    }

    /**
     * The input fingerprint written to every embedding block's block.json: the files an embedding stage may read
     * (events, properties, relevant clients, the public target lists), by {@link Fingerprint}. Missing files are
     * skipped.
     */
    public String inputFingerprint() {
        return fingerprint(Need.EVENTS, Need.TARGET_LISTS);
    }

    /** {@link Fingerprint} of the files the given needs name (the files {@link #problems} checks). */
    public String fingerprint(Need... needs) {
        List<Path> files = new ArrayList<>();
        for (Need need : needs) {
            switch (need) {
                case RAW_EVENTS -> {
                    for (EventType t : EventType.values()) {
                        files.add(rawEventFile(t));
                    }
                    files.add(propertiesFile());
                    files.add(relevantClientsFile());
                }
                case EVENTS -> {
                    for (EventType t : EventType.values()) {
                        files.add(eventFile(t));
                    }
                    files.add(propertiesFile());
                    files.add(relevantClientsFile());
                }
                case TARGET_LISTS -> {
                    files.add(activeClientsFile());
                    for (Task t : Task.values()) {
                        if (!t.isBinary()) {
                            files.add(targetListFile(t));
                            files.add(popularityFile(t));
                        }
                    }
                }
                case TARGET_WINDOWS -> {
                    files.add(trainTargetFile());
                    files.add(validationTargetFile());
                }
                default -> throw new IllegalStateException(need.toString());
            }
        }
        return Fingerprint.of(files.toArray(Path[]::new));
    }

    private static void missing(List<String> out, Path p) {
        if (!Files.isRegularFile(p)) {
            out.add("missing file " + p);
        }
    }

    private static void missingFile(List<String> out, Path dir, String stem) {
        if (findFile(dir, stem).isEmpty()) {
            out.add("missing file " + dir.resolve(stem + ".parquet") + " (or .csv)");
        }
    }

    /** {@code dir/stem.parquet} or {@code dir/stem.csv}, whichever exists (parquet first). */
    public static Optional<Path> findFile(Path dir, String stem) {
        for (Format f : Format.values()) {
            Path p = dir.resolve(stem + f.suffix());
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
