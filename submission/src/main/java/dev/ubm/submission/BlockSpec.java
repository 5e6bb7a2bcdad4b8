package dev.ubm.submission;

import dev.ubm.core.BadInputException;

import java.nio.file.Path;

/**
 * One input block of {@code ubm combine}: its dir, the name used in flags and reports (the dir's name), how it is
 * scaled (null = by its block.json component), its weight, and its PCA size (null = the global rule, 0 = never).
 */
public record BlockSpec(Path dir, String name, Scaling scaling, double weight, Integer pcaDims) {
    public BlockSpec {
        if (dir == null) {
            throw new BadInputException("a block dir is required");
        }
        if (name == null || name.isBlank()) {
            name = dir.toAbsolutePath().normalize().getFileName().toString();
        }
        if (!Double.isFinite(weight) || weight <= 0) {
            throw new BadInputException("block " + name + ": weight must be a positive number, got " + weight);
        }
        if (pcaDims != null && pcaDims < 0) {
            throw new BadInputException("block " + name + ": PCA dims must be >= 0, got " + pcaDims);
        }
    }

    public static BlockSpec of(Path dir) {
        return new BlockSpec(dir, null, null, 1.0, null);
    }

    public BlockSpec withScaling(Scaling s) {
        return new BlockSpec(dir, name, s, weight, pcaDims);
    }

    public BlockSpec withWeight(double w) {
        return new BlockSpec(dir, name, scaling, w, pcaDims);
    }

    public BlockSpec withPcaDims(Integer k) {
        return new BlockSpec(dir, name, scaling, weight, k);
    }
}
