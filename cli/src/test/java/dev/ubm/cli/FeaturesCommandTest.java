package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
    @TempDir
    static Path tmp;
    static Path data;
    static int relevant;

    @BeforeAll
    static void world() {
        data = TestWorlds.shared(4).root();
        relevant = Npy.readLongs(data.resolve("input/relevant_clients.npy")).length;
    }

    @Test
    void fullSetWritesABlockWithARowPerRelevantClient() {
        Path emb = tmp.resolve("full");
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--set", "full", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("features full: " + relevant + " clients x "), r.out());
        assertTrue(new BlockDir(emb).isComplete());
        assertEquals(relevant, Npy.readLongs(emb.resolve("client_ids.npy")).length);
        assertEquals("input", new BlockDir(emb).readMeta().events());
        assertTrue(r.err().contains("features: events: input, from " + data.resolve("input")), r.err());
    }

    /** A copy of a split world whose input/ lacks search_query.parquet (a split cut short, or a file lost). */
    static Path halfSplit(Path world, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(world)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(world.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        Files.delete(to.resolve("input/search_query.parquet"));
        return to;
    }

    @Test
    void aHalfSplitDataDirIsBadInputNamingTheMissingFileAndAllEventsReadsTheRoot() throws Exception {
        Path half = halfSplit(data, tmp.resolve("half"));
        CliRunner.Result r = CliRunner.run("features", "--data-dir", half.toString(), "--embeddings-dir",
                tmp.resolve("h").toString(), "--set", "full", "--quiet");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is half split") && r.err().contains(half.resolve("input/search_query.parquet")
                .toString()), r.err());
        assertTrue(!Files.exists(tmp.resolve("h/block.json")));

        Path all = tmp.resolve("all");
        r = CliRunner.run("features", "--data-dir", half.toString(), "--embeddings-dir", all.toString(), "--set",
                "full", "--all-events", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals("all", new BlockDir(all).readMeta().events());
        assertTrue(Files.readString(all.resolve("block.json")).contains("\"events\": \"all\""));
        assertTrue(r.err().contains("features: events: all, from " + half), r.err());
        assertEquals(List.of(), List.of(r.err().split("\n")).stream().filter(l -> l.contains("input,")).toList());
    }

    @Test
    void baselineSetHas320Dims() {
        Path emb = tmp.resolve("baseline");
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                emb.toString(), "--set", "baseline", "--num-days", "1", "7", "30", "--top-n", "10", "--quiet");
        assertEquals(0, r.code(), r.err());
        assertEquals(320, new BlockDir(emb).readMeta().dims());
    }

    @Test
    void unknownSetOrMissingDataAreBadInput() {
        CliRunner.Result r = CliRunner.run("features", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("x").toString(), "--set", "nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown feature set 'nope'"), r.err());
        r = CliRunner.run("features", "--data-dir", tmp.resolve("nodata").toString(), "--embeddings-dir",
                tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("[ERROR]"), r.err());
    }
}
