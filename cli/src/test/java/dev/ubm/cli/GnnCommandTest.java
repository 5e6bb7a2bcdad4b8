package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BlockDir;
import dev.ubm.core.EventType;
import dev.ubm.core.Progress;
import dev.ubm.data.Duck;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GnnCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    /** A tiny raw-layout world: 40 clients in two shopping communities, 30 relevant. */
    @BeforeAll
    static void world() throws Exception {
        Progress.setEnabled(false);
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("input"));
        try (Connection c = Duck.open()) {
            String clients = "(SELECT range AS client_id, range % 2 AS side FROM range(40))";
            Duck.exec(c, "COPY (SELECT client_id, strftime(TIMESTAMP '2024-03-01' + to_days(CAST(k AS INTEGER)), "
                    + "'%Y-%m-%d %H:%M:%S') AS timestamp, side * 10 + (client_id * 7 + k) % 10 AS sku FROM " + clients
                    + ", range(6) r(k)) TO " + Duck.sqlPath(data.resolve("product_buy.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT client_id, '2024-03-05 10:00:00' AS timestamp, side * 10 + client_id % 10 AS sku "
                    + "FROM " + clients + ") TO " + Duck.sqlPath(data.resolve("add_to_cart.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT client_id, '2024-03-04 10:00:00' AS timestamp, sku FROM read_parquet("
                    + Duck.sqlPath(data.resolve("add_to_cart.parquet")) + ") WHERE client_id < 5) TO "
                    + Duck.sqlPath(data.resolve("remove_from_cart.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT client_id, '2024-03-06 10:00:00' AS timestamp, 500 + side * 3 + k AS url FROM "
                    + clients + ", range(3) r(k)) TO " + Duck.sqlPath(data.resolve("page_visit.parquet"))
                    + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT client_id, '2024-03-06 11:00:00' AS timestamp, '[' || side || ' 4 2 7]' AS query "
                    + "FROM " + clients + ") TO " + Duck.sqlPath(data.resolve("search_query.parquet")) + " (FORMAT parquet)");
            Duck.exec(c, "COPY (SELECT range AS sku, range // 5 AS category, range % 4 AS price, '[1 2]' AS name "
                    + "FROM range(20)) TO " + Duck.sqlPath(data.resolve("product_properties.parquet")) + " (FORMAT parquet)");
        }
        long[] relevant = new long[30];
        for (int i = 0; i < 30; i++) {
            relevant[i] = 29 - i;
        }
        relevant[0] = 1000; // a relevant client without events
        Npy.writeLongs(data.resolve("input/relevant_clients.npy"), relevant);
        assertTrue(Files.exists(data.resolve(EventType.PAGE_VISIT.stem() + ".parquet")));
    }

    @Test
    void twhinWritesABlockForEveryRelevantClient() {
        Path out = tmp.resolve("twhin");
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir", out.toString(),
                "--method", "twhin", "--dim", "8", "--epochs", "2", "--threads", "1", "--seed", "3", "--quiet");
        assertEquals(0, r.code(), r.err());
        BlockDir b = new BlockDir(out);
        assertTrue(b.isComplete());
        assertArrayEquals(Npy.readLongs(data.resolve("input/relevant_clients.npy")), Npy.readLongs(b.clientIdsFile()));
        Npy.FloatMatrix e = Npy.readFloats(b.embeddingsFile());
        assertEquals(30, e.rows());
        assertEquals(9, e.cols());
        assertEquals(1f, e.get(0, 8));
        assertEquals(3, b.readMeta().seed());
        assertTrue(r.err().contains("twhin: epoch losses"), r.err());
        assertTrue(r.out().contains("1 without edges"), r.out());
    }

    @Test
    void svdAndTheCartAblationRun() {
        Path out = tmp.resolve("svd");
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir", out.toString(),
                "--method", "svd", "--dim", "4", "--relations", "buy,remove_from_cart,visit,search,sku_category");
        assertEquals(0, r.code(), r.err());
        assertEquals(3 * 4 + 1, Npy.readFloats(new BlockDir(out).embeddingsFile()).cols());
    }

    @Test
    void badInputExitsWithTwo() {
        CliRunner.Result r = CliRunner.run("gnn", "--data-dir", tmp.resolve("nope").toString(), "--embeddings-dir",
                tmp.resolve("x").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("[ERROR]"), r.err());
        CliRunner.Result bad = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("y").toString(), "--relations", "buy,likes");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown relation 'likes'"), bad.err());
        CliRunner.Result dim = CliRunner.run("gnn", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("z").toString(), "--dim", "0");
        assertEquals(2, dim.code());
    }
}
