package dev.ubm.core;

import java.util.List;

/**
 * The one enum of event types in the challenge layout. Each constant knows its file stem, the column that
 * names what the event is about, and that column's kind, so no other code spells these names.
 */
public enum EventType {
    PRODUCT_BUY("product_buy", "sku", ItemKind.SKU),
    ADD_TO_CART("add_to_cart", "sku", ItemKind.SKU),
    REMOVE_FROM_CART("remove_from_cart", "sku", ItemKind.SKU),
    PAGE_VISIT("page_visit", "url", ItemKind.URL),
    SEARCH_QUERY("search_query", "query", ItemKind.QUERY);

    /** What the item column of an event type holds. */
    public enum ItemKind {
        /** int64 product id, joined to product_properties. */
        SKU,
        /** int64 url id. */
        URL,
        /** string of quantised text-embedding codes, {@code "[c1 c2 ...]"}. */
        QUERY
    }

    /** Columns every event file has, in this order, before the item column. */
    public static final List<String> COMMON_COLUMNS = List.of("client_id", "timestamp");
    /** Stem of the product properties file. */
    public static final String PROPERTIES_STEM = "product_properties";
    /** Columns of product_properties. */
    public static final List<String> PROPERTIES_COLUMNS = List.of("sku", "category", "price", "name");

    private final String stem;
    private final String itemColumn;
    private final ItemKind itemKind;

    EventType(String stem, String itemColumn, ItemKind itemKind) {
        this.stem = stem;
        this.itemColumn = itemColumn;
        this.itemKind = itemKind;
    }

    /** File stem, e.g. {@code product_buy} for {@code product_buy.parquet}. */
    public String stem() {
        return stem;
    }

    /** Name of the item column: sku, url or query. */
    public String itemColumn() {
        return itemColumn;
    }

    public ItemKind itemKind() {
        return itemKind;
    }

    /** True for buy, add and remove: events about a product with properties. */
    public boolean isProductEvent() {
        return itemKind == ItemKind.SKU;
    }

    /** All columns of this event type's file, in order. */
    public List<String> columns() {
        return List.of("client_id", "timestamp", itemColumn);
    }

    /** Small stable code (0..4) used in event streams and tokens. */
    public int code() {
        return ordinal();
    }

    public static EventType ofCode(int code) {
        return values()[code];
    }

    /** Looks up a type by file stem; throws {@link BadInputException} naming the stem otherwise. */
    public static EventType ofStem(String stem) {
        for (EventType t : values()) {
            if (t.stem.equals(stem)) {
                return t;
            }
        }
        throw new BadInputException("unknown event type '" + stem + "' (expected one of product_buy, add_to_cart, "
                + "remove_from_cart, page_visit, search_query)");
    }
}
