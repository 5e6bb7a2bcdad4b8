package dev.ubm.gnn;

import dev.ubm.core.BadInputException;
import dev.ubm.core.EventType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The relations (edge types) of the behaviour graph: one per client event type, the client's product events
 * aggregated by category, and the two product attributes. Each knows its source and target node type and, for
 * event relations, the event type its edges count.
 */
public enum Relation {
    BUY("buy", NodeType.CLIENT, NodeType.SKU, EventType.PRODUCT_BUY),
    ADD_TO_CART("add_to_cart", NodeType.CLIENT, NodeType.SKU, EventType.ADD_TO_CART),
    REMOVE_FROM_CART("remove_from_cart", NodeType.CLIENT, NodeType.SKU, EventType.REMOVE_FROM_CART),
    VISIT("visit", NodeType.CLIENT, NodeType.URL, EventType.PAGE_VISIT),
    SEARCH("search", NodeType.CLIENT, NodeType.QUERY, EventType.SEARCH_QUERY),
    /** A client's buy/cart events aggregated by the product's category (only the enabled product relations). */
    CLIENT_CATEGORY("client_category", NodeType.CLIENT, NodeType.CATEGORY, null),
    SKU_CATEGORY("sku_category", NodeType.SKU, NodeType.CATEGORY, null),
    SKU_PRICE("sku_price", NodeType.SKU, NodeType.PRICE, null);

    private final String cliName;
    private final NodeType source;
    private final NodeType target;
    private final EventType eventType;

    Relation(String cliName, NodeType source, NodeType target, EventType eventType) {
        this.cliName = cliName;
        this.source = source;
        this.target = target;
        this.eventType = eventType;
    }

    /** Name on the command line and in block.json, e.g. {@code add_to_cart}. */
    public String cliName() {
        return cliName;
    }

    public NodeType source() {
        return source;
    }

    public NodeType target() {
        return target;
    }

    /** The event type whose rows become this relation's edges; null for aggregated and attribute relations. */
    public EventType eventType() {
        return eventType;
    }

    /** True for relations whose source is a client. */
    public boolean isClientRelation() {
        return source == NodeType.CLIENT;
    }

    /** Parses a name (cli name or enum name, any case). */
    public static Relation of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Relation r : values()) {
            if (r.cliName.equals(n) || r.name().toLowerCase(Locale.ROOT).equals(n)) {
                return r;
            }
        }
        throw new BadInputException("unknown relation '" + name + "' (expected some of " + Arrays.stream(values())
                .map(Relation::cliName).collect(Collectors.joining(", ")) + ")");
    }

    /** Parses a comma-separated list; "all" means every relation. */
    public static Set<Relation> parseList(String list) {
        if (list == null || list.isBlank() || list.trim().equalsIgnoreCase("all")) {
            return EnumSet.allOf(Relation.class);
        }
        EnumSet<Relation> out = EnumSet.noneOf(Relation.class);
        for (String p : list.split(",")) {
            if (!p.isBlank()) {
                out.add(of(p));
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException("no relation given in '" + list + "'");
        }
        return out;
    }

    /** Comma-separated cli names, in enum order. */
    public static String format(Set<Relation> rels) {
        return rels.stream().sorted().map(Relation::cliName).collect(Collectors.joining(","));
    }
}
