package dev.ubm.data;

import dev.ubm.core.BadInputException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * product_properties held as sorted primitive arrays (sku → category, price, name codes), so the per-client
 * sequences join properties in Java with a binary search instead of carrying them through DuckDB's sort.
 * About 40 bytes per SKU: 1.3M SKUs take ~50 MB. The first row wins when a sku repeats (validation flags it).
 */
final class ProductTable {
    final long[] skus;
    final long[] category;
    final int[] price;
    final int[] codeOffset;
    final byte[] codes;

    private ProductTable(long[] skus, long[] category, int[] price, int[] codeOffset, byte[] codes) {
        this.skus = skus;
        this.category = category;
        this.price = price;
        this.codeOffset = codeOffset;
        this.codes = codes;
    }

    int size() {
        return skus.length;
    }

    /** Row of a sku, or -1 when product_properties does not list it. */
    int indexOf(long sku) {
        int i = Arrays.binarySearch(skus, sku);
        return i < 0 ? -1 : i;
    }

    int codeCount(int row) {
        return codeOffset[row + 1] - codeOffset[row];
    }

    int code(int row, int j) {
        return codes[codeOffset[row] + j] & 0xff;
    }

    /** Loads the {@code product_properties} view of a store connection. */
    static ProductTable load(Connection conn, String where) {
        int n;
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM product_properties")) {
            rs.next();
            n = Math.toIntExact(rs.getLong(1));
        } catch (SQLException e) {
            throw EventStore.failure(where, "count product_properties", e);
        }
        long[] skus = new long[n];
        long[] cat = new long[n];
        int[] price = new int[n];
        int[] off = new int[n + 1];
        byte[] codes = new byte[Math.max(16, n * 16)];
        int rows = 0;
        int used = 0;
        long prev = Long.MIN_VALUE;
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT sku, category, price, name FROM product_properties "
                        + "WHERE sku IS NOT NULL ORDER BY sku")) {
            while (rs.next()) {
                long sku = rs.getLong(1);
                if (rows > 0 && sku == prev) {
                    continue;
                }
                prev = sku;
                long c = rs.getLong(2);
                cat[rows] = rs.wasNull() ? -1 : c;
                long p = rs.getLong(3);
                price[rows] = rs.wasNull() ? -1 : (int) p;
                String name = rs.getString(4);
                int k = 0;
                if (name != null) {
                    while ((k = Codes.parse(name, codes, used)) == -2) {
                        codes = Arrays.copyOf(codes, codes.length * 2);
                    }
                    if (k < 0) {
                        throw new BadInputException("product_properties: sku " + sku + ": column 'name': malformed code "
                                + "string '" + name + "' (expected \"[c1 c2 ...]\" of integers 0..255); run "
                                + "'ubm validate-data' to list every problem");
                    }
                }
                skus[rows] = sku;
                used += k;
                off[rows + 1] = used;
                rows++;
            }
        } catch (SQLException e) {
            throw EventStore.failure(where, "read product_properties", e);
        }
        return new ProductTable(Arrays.copyOf(skus, rows), Arrays.copyOf(cat, rows), Arrays.copyOf(price, rows),
                Arrays.copyOf(off, rows + 1), Arrays.copyOf(codes, used));
    }
}
