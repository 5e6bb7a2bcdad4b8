package dev.ubm.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDirTest {
    @TempDir
    Path tmp;

    private static BlockDir.Meta meta(String component) {
        return BlockDir.Meta.of(component, 2, 3, "float32", Map.of("k", 1), 7, "fp", 0.5);
    }

    /** A stand-in for a stage: writes its two arrays (here: text) into the build, then publishes. */
    private static void finish(BlockDir.Build b, String content) throws Exception {
        Files.writeString(b.block().clientIdsFile(), content);
        Files.writeString(b.block().embeddingsFile(), content);
        b.publish(meta(content));
    }

    private long siblings() throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.count();
        }
    }

    @Test
    void aPublishedBuildReplacesThePreviousBlockWholeAndKeepsItsWorkDirs() throws Exception {
        BlockDir out = new BlockDir(tmp.resolve("out"));
        try (BlockDir.Build b = out.build()) {
            finish(b, "old");
        }
        Files.writeString(out.dir().resolve("old-only.txt"), "stale");
        Files.createDirectories(out.dir().resolve(".seq-work"));
        Files.writeString(out.dir().resolve(".seq-work/model.ckpt"), "checkpoint");
        try (BlockDir.Build b = out.build()) {
            assertFalse(b.block().dir().equals(out.dir()), "the block is built beside the output");
            assertEquals(out.dir().getParent(), b.block().dir().getParent());
            finish(b, "new");
        }
        assertTrue(out.isComplete());
        assertEquals("new", Files.readString(out.embeddingsFile()));
        assertEquals("new", out.readMeta().component());
        assertFalse(Files.exists(out.dir().resolve("old-only.txt")), "nothing of the old block is left");
        assertEquals("checkpoint", Files.readString(out.dir().resolve(".seq-work/model.ckpt")),
                "hidden work dirs (checkpoints) survive the swap");
        assertEquals(1, siblings(), "no temp dir is left beside the output");
    }

    @Test
    void aFailedRerunLeavesThePreviousBlockIntact() throws Exception {
        BlockDir out = new BlockDir(tmp.resolve("out"));
        try (BlockDir.Build b = out.build()) {
            finish(b, "old");
        }
        assertThrows(IllegalStateException.class, () -> {
            try (BlockDir.Build b = out.build()) {
                Files.writeString(b.block().embeddingsFile(), "half");
                throw new IllegalStateException("killed midway");
            }
        });
        assertTrue(out.isComplete());
        assertEquals("old", Files.readString(out.embeddingsFile()));
        assertEquals("old", out.readMeta().component());
        assertEquals(1, siblings(), "the failed build is removed");
    }

    @Test
    void aKilledRunLeavesThePreviousBlockAndItsLeftoverIsClearedByTheNextRun() throws Exception {
        BlockDir out = new BlockDir(tmp.resolve("out"));
        try (BlockDir.Build b = out.build()) {
            finish(b, "old");
        }
        BlockDir.Build killed = out.build(); // never closed: what kill -9 leaves
        Files.writeString(killed.block().embeddingsFile(), "half");
        assertEquals("old", Files.readString(out.embeddingsFile()));
        assertEquals("old", out.readMeta().component());
        out.requireFinished();
        try (BlockDir.Build b = out.build()) {
            assertFalse(Files.exists(b.block().embeddingsFile()), "the next run starts from an empty build");
            finish(b, "new");
        }
        assertEquals("new", Files.readString(out.embeddingsFile()));
        assertEquals(1, siblings());
    }

    @Test
    void aFirstRunKilledMidwayLeavesNoBlockAtAll() throws Exception {
        BlockDir out = new BlockDir(tmp.resolve("out"));
        BlockDir.Build killed = out.build();
        Files.writeString(killed.block().embeddingsFile(), "half");
        assertFalse(Files.exists(out.dir()));
    }

    @Test
    void aDirWithoutBlockJsonIsAnUnfinishedStageExitThree() throws Exception {
        BlockDir out = new BlockDir(tmp.resolve("out"));
        Files.createDirectories(out.dir().resolve(".gnn-checkpoint"));
        UnexpectedStateException e = assertThrows(UnexpectedStateException.class, out::requireFinished);
        assertEquals(ExitCode.UNEXPECTED_STATE, e.exitCode());
        assertTrue(e.getMessage().startsWith("unfinished stage: rerun"), e.getMessage());
        assertTrue(e.getMessage().contains(out.dir().toString()), e.getMessage());
        Files.writeString(out.clientIdsFile(), "stale");
        Files.writeString(out.embeddingsFile(), "stale");
        assertThrows(UnexpectedStateException.class, out::requireFinished);
        BadInputException missing = assertThrows(BadInputException.class,
                () -> new BlockDir(tmp.resolve("nope")).requireFinished());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    @Test
    void anOutputPathThatIsAFileIsBadInput() throws Exception {
        Path f = Files.writeString(tmp.resolve("file"), "x");
        BadInputException e = assertThrows(BadInputException.class, () -> new BlockDir(f).build());
        assertTrue(e.getMessage().contains("exists and is a file"), e.getMessage());
    }
}
