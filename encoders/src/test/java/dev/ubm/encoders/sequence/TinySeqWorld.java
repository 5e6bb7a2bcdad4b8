package dev.ubm.encoders.sequence;

import dev.ubm.core.ChallengeDataDir;
import dev.ubm.data.Npy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny raw data dir (csv) with learnable structure for the sequence encoder's tests: each client prefers one
 * category, and visits, searches, adds and buys mostly inside it. Clients {@code 1..clients} have events; the
 * relevant list also names {@link #EMPTY} clients without any event. target/ holds the three propensity lists the
 * targets objective reads (every category, the first four skus of each, the price buckets 0..59).
 */
final class TinySeqWorld {
    static final int CATEGORIES = 6;
    static final int SKUS_PER_CATEGORY = 12;
    static final int URLS = 60;
    static final long[] EMPTY = {900_001L, 900_002L, 900_003L};
    static final LocalDateTime START = LocalDateTime.of(2022, 6, 1, 0, 0);
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TinySeqWorld() {
    }

    static ChallengeDataDir write(Path root, int clients, int days, long seed) {
        Random rnd = new Random(seed);
        try {
            Files.createDirectories(root.resolve("input"));
            try (Writer w = Files.newBufferedWriter(root.resolve("product_properties.csv"), StandardCharsets.UTF_8)) {
                w.write("sku,category,price,name\n");
                for (int c = 0; c < CATEGORIES; c++) {
                    for (int k = 0; k < SKUS_PER_CATEGORY; k++) {
                        w.write(sku(c, k) + "," + (100 + c) + "," + (10 * c + k % 10) + "," + codes(c, k, rnd) + "\n");
                    }
                }
            }
            List<String[]> buys = new ArrayList<>();
            List<String[]> adds = new ArrayList<>();
            List<String[]> removes = new ArrayList<>();
            List<String[]> visits = new ArrayList<>();
            List<String[]> searches = new ArrayList<>();
            for (int id = 1; id <= clients; id++) {
                int pref = rnd.nextInt(CATEGORIES);
                int n = 8 + rnd.nextInt(40);
                long t = rnd.nextInt(days * 86_400 / 2);
                for (int e = 0; e < n; e++) {
                    t += 60 + (long) (rnd.nextDouble() * rnd.nextDouble() * 4 * 86_400);
                    if (t >= days * 86_400L) {
                        break;
                    }
                    String ts = START.plusSeconds(t).format(TS);
                    int cat = rnd.nextDouble() < 0.85 ? pref : rnd.nextInt(CATEGORIES);
                    double r = rnd.nextDouble();
                    String cid = Long.toString(id);
                    if (r < 0.55) {
                        visits.add(new String[] {cid, ts, Integer.toString(cat + CATEGORIES * rnd.nextInt(URLS / CATEGORIES))});
                    } else if (r < 0.65) {
                        searches.add(new String[] {cid, ts, codes(cat, 99, rnd)});
                    } else if (r < 0.82) {
                        adds.add(new String[] {cid, ts, Long.toString(sku(cat, rnd.nextInt(SKUS_PER_CATEGORY)))});
                    } else if (r < 0.95) {
                        buys.add(new String[] {cid, ts, Long.toString(sku(cat, rnd.nextInt(SKUS_PER_CATEGORY)))});
                    } else {
                        removes.add(new String[] {cid, ts, Long.toString(sku(cat, rnd.nextInt(SKUS_PER_CATEGORY)))});
                    }
                }
            }
            // every event type needs at least one row
            String last = START.plusDays(days - 1).format(TS);
            for (List<String[]> l : List.of(buys, adds, removes, visits)) {
                if (l.isEmpty()) {
                    l.add(new String[] {"1", last, l == visits ? "1" : Long.toString(sku(0, 0))});
                }
            }
            if (searches.isEmpty()) {
                searches.add(new String[] {"1", last, codes(0, 1, rnd)});
            }
            csv(root.resolve("product_buy.csv"), "client_id,timestamp,sku", buys);
            csv(root.resolve("add_to_cart.csv"), "client_id,timestamp,sku", adds);
            csv(root.resolve("remove_from_cart.csv"), "client_id,timestamp,sku", removes);
            csv(root.resolve("page_visit.csv"), "client_id,timestamp,url", visits);
            csv(root.resolve("search_query.csv"), "client_id,timestamp,query", searches);
            long[] relevant = new long[clients * 3 / 4 + EMPTY.length];
            for (int i = 0; i < clients * 3 / 4; i++) {
                relevant[i] = i + 1;
            }
            System.arraycopy(EMPTY, 0, relevant, clients * 3 / 4, EMPTY.length);
            Npy.writeLongs(root.resolve("input/relevant_clients.npy"), relevant);
            Files.createDirectories(root.resolve("target"));
            long[] cats = new long[CATEGORIES];
            long[] skus = new long[CATEGORIES * 4];
            for (int c = 0; c < CATEGORIES; c++) {
                cats[c] = 100 + c;
                for (int k = 0; k < 4; k++) {
                    skus[4 * c + k] = sku(c, k);
                }
            }
            Npy.writeLongs(root.resolve("target/propensity_category.npy"), cats);
            Npy.writeLongs(root.resolve("target/propensity_sku.npy"), skus);
            Npy.writeLongs(root.resolve("target/propensity_price.npy"), java.util.stream.LongStream.range(0, 60)
                    .toArray());
            return ChallengeDataDir.open(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long sku(int cat, int k) {
        return 1000L + cat * 100L + k;
    }

    private static String codes(int cat, int k, Random rnd) {
        StringBuilder sb = new StringBuilder("\"[");
        for (int j = 0; j < 16; j++) {
            sb.append(j == 0 ? "" : " ").append((cat * 37 + j * 11 + (j < 4 ? k : 0) + rnd.nextInt(2)) % 256);
        }
        return sb.append("]\"").toString();
    }

    private static void csv(Path file, String header, List<String[]> rows) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header + "\n");
            for (String[] r : rows) {
                w.write(String.join(",", r) + "\n");
            }
        }
    }
}
