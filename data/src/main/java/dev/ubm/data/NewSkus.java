package dev.ubm.data;

/**
 * The challenge's rule for new skus, in one place: a sku is new in a window when it had no product_buy, add_to_cart
 * or remove_from_cart event before the window starts. The split's {@code propensity_new_sku} list and the as-of
 * dirs' proxy lists are both made from these queries (over the {@code product_buy}, {@code add_to_cart} and
 * {@code remove_from_cart} views of a store). Timestamps are SQL expressions, e.g. {@code TIMESTAMP '...'}.
 */
public final class NewSkus {
    private NewSkus() {
    }

    /** SQL for the skus with a product_buy, add_to_cart or remove_from_cart event before {@code start}. */
    public static String seenBefore(String start) {
        String before = " WHERE sku IS NOT NULL AND timestamp < " + start;
        return "SELECT sku FROM product_buy" + before + " UNION SELECT sku FROM add_to_cart" + before
                + " UNION SELECT sku FROM remove_from_cart" + before;
    }

    /** SQL {@code (id, n)}: every sku new at {@code start} bought in [start, end), with its number of buys. */
    public static String boughtIn(String start, String end) {
        return "SELECT b.sku AS id, count(*) AS n FROM product_buy b WHERE b.timestamp >= " + start
                + " AND b.timestamp < " + end + " AND b.sku IS NOT NULL AND b.sku NOT IN (" + seenBefore(start)
                + ") GROUP BY 1";
    }
}
