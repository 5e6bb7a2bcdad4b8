package dev.ubm.probes.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.data.Duck;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.TestWorlds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    /** A window of product_buy rows (client, sku, category, price) written as the split writes it. */
    private static void window(Path file, long[][] rows) throws Exception {
        StringBuilder v = new StringBuilder();
        for (long[] r : rows) {
            v.append(v.length() == 0 ? "" : ", ").append(String.format(
                    "(%d, TIMESTAMP '2022-10-20 10:00:00', %d, %d, %d, '[1 2]')", r[0], r[1], r[2], r[3]));
        }
        try (Connection c = Duck.open()) {
            Duck.exec(c, "COPY (SELECT * FROM (VALUES " + v + ") t(client_id, timestamp, sku, category, price, name)) "
                    + "TO " + Duck.sqlPath(file) + " (FORMAT parquet)");
        }
    }

    private static ChallengeDataDir handDir(Path dir) throws Exception {
        Path t = dir.resolve("target");
        Files.createDirectories(t);
        Files.createDirectories(dir.resolve("input"));
        Npy.writeLongs(dir.resolve("input/relevant_clients.npy"), new long[] {10, 20, 30, 40});
        Npy.writeLongs(t.resolve("active_clients.npy"), new long[] {40, 20, 99});
        // train: 10 buys sku 5 (cat 7, price 1); 20 buys sku 6 twice (cat 8, price 2); a non-relevant client
        window(t.resolve("train_target.parquet"), new long[][] {{10, 5, 7, 1}, {20, 6, 8, 2}, {20, 6, 8, 2},
            {77, 5, 7, 1}});
        // validation: 30 buys sku 5 and sku 9 (cat 7 and 8); 40 buys sku 9
        window(t.resolve("validation_target.parquet"), new long[][] {{30, 5, 7, 1}, {30, 9, 8, 3}, {40, 9, 8, 3}});
        for (Task task : Task.values()) {
            if (task.isBinary()) {
                continue;
            }
            long[] list = switch (task.targetColumn()) {
                case "sku" -> new long[] {9, 5, 6};
                case "category" -> new long[] {8, 7};
                default -> new long[] {1, 2, 3, 4};
            };
            Npy.writeLongs(t.resolve(task.listStem() + ".npy"), list);
            long[] pop = new long[list.length];
            java.util.Arrays.fill(pop, 1);
            Npy.writeLongs(t.resolve(task.popularityStem() + ".npy"), pop);
        }
        return ChallengeDataDir.open(dir);
    }

    @Test
    void labelsFollowTheOrganisersRules(@TempDir Path dir) throws Exception {
        ChallengeDataDir d = handDir(dir);
        long[] ids = {40, 30, 20, 10};
        Map<Task, TaskTargets> t = Targets.compute(d, ids, List.of(Task.values()));

        TaskTargets churn = t.get(Task.CHURN);
        assertArrayEquals(new int[] {0, 2}, churn.rows(), "churn keeps active clients 40 and 20, in row order");
        assertArrayEquals(new byte[] {1, 0}, churn.train().dense(), "40 did not buy in train, 20 did");
        assertArrayEquals(new byte[] {0, 1}, churn.validation().dense(), "40 bought in validation, 20 did not");

        TaskTargets conv = t.get(Task.CONVERSION);
        assertArrayEquals(new int[] {0, 1, 2, 3}, conv.rows());
        assertArrayEquals(new byte[] {1, 1, 0, 0}, conv.train().dense());
        assertArrayEquals(new byte[] {0, 0, 1, 1}, conv.validation().dense());

        TaskTargets sku = t.get(Task.PROPENSITY_SKU);
        assertArrayEquals(new byte[] {0, 0, 0, /*30*/ 0, 0, 0, /*20*/ 0, 0, 1, /*10*/ 0, 1, 0}, sku.train().dense());
        assertArrayEquals(new byte[] {1, 0, 0, /*30*/ 1, 1, 0, 0, 0, 0, 0, 0, 0}, sku.validation().dense());
        TaskTargets cat = t.get(Task.PROPENSITY_CATEGORY);
        assertArrayEquals(new byte[] {1, 0, 1, 1, 0, 0, 0, 0}, cat.validation().dense());
        TaskTargets price = t.get(Task.PROPENSITY_PRICE);
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0}, price.train().dense());
        assertArrayEquals(new byte[] {0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, price.validation().dense());
        assertEquals(4, price.width());
    }

    @Test
    void missingFilesAreListedTogether(@TempDir Path dir) throws Exception {
        ChallengeDataDir d = handDir(dir);
        Files.delete(d.trainTargetFile());
        Files.delete(d.targetListFile(Task.PROPENSITY_PRICE));
        BadInputException e = assertThrows(BadInputException.class,
                () -> Targets.compute(d, new long[] {10}, List.of(Task.values())));
        assertTrue(e.getMessage().contains("train_target"), e.getMessage());
        assertTrue(e.getMessage().contains("propensity_price.npy"), e.getMessage());
        assertEquals(2, e.problems().size(), e.problems().toString());
    }

    @Test
    void tinyWorldTargetsMatchAPerClientFilter() throws Exception {
        ChallengeDataDir d = TestWorlds.shared(5);
        long[] ids = Npy.readLongs(d.relevantClientsFile());
        Map<Task, TaskTargets> t = Targets.compute(d, ids, List.of(Task.values()));
        Set<Long> active = new HashSet<>();
        for (long a : Npy.readLongs(d.activeClientsFile())) {
            active.add(a);
        }
        assertEquals(ids.length, t.get(Task.CONVERSION).samples());
        int nActive = 0;
        for (long id : ids) {
            nActive += active.contains(id) ? 1 : 0;
        }
        assertEquals(nActive, t.get(Task.CHURN).samples());
        assertTrue(nActive > 50, "the tiny world has active clients: " + nActive);
        for (int w = 0; w < 2; w++) {
            Path file = w == 0 ? d.trainTargetFile() : d.validationTargetFile();
            Map<Long, List<long[]>> byClient = rows(file);
            for (Task task : Task.values()) {
                TaskTargets tt = t.get(task);
                Labels labels = w == 0 ? tt.train() : tt.validation();
                int col = task.isBinary() ? -1 : switch (task.targetColumn()) {
                    case "sku" -> 0;
                    case "category" -> 1;
                    default -> 2;
                };
                for (int s = 0; s < tt.samples(); s++) {
                    List<long[]> bought = byClient.getOrDefault(ids[tt.rows()[s]], List.of());
                    if (task.isBinary()) {
                        assertEquals(bought.isEmpty(), labels.get(s, 0), task + " sample " + s);
                    } else {
                        Set<Long> vals = new HashSet<>();
                        for (long[] b : bought) {
                            vals.add(b[col]);
                        }
                        for (int j = 0; j < tt.width(); j++) {
                            assertEquals(vals.contains(tt.targetList()[j]), labels.get(s, j), task + " " + s + "," + j);
                        }
                    }
                }
            }
        }
        int positives = t.get(Task.PROPENSITY_CATEGORY).validation().positives();
        assertTrue(positives > 0, "some category labels are positive");
    }

    private static Map<Long, List<long[]>> rows(Path file) throws Exception {
        Map<Long, List<long[]>> out = new HashMap<>();
        try (Connection c = Duck.open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT client_id, sku, category, price FROM "
                        + EventStore.reader(file))) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
            }
        }
        return out;
    }
}
