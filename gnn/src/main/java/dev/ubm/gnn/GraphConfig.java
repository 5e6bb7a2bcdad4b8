package dev.ubm.gnn;

import dev.ubm.core.ConfigMap;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How the behaviour graph is built from events.
 *
 * @param relations      the relations to build (the cart-edges ablation drops {@link Relation#ADD_TO_CART})
 * @param halfLifeDays   an event's weight halves every this many days before the cutoff (edge weight = sum of
 *                       2^(-age/halfLife) over the pair's events)
 * @param queryPrefix    a search query node is the first k codes of the query (a coarse clustering of the
 *                       quantised text embedding)
 * @param minItemClients URL and query nodes seen by fewer distinct clients are dropped (they carry no
 *                       collaborative signal and dominate the node count on real data)
 * @param allClients     true: every client with events is a node (more signal for item nodes); false: only the
 *                       relevant clients
 */
public record GraphConfig(Set<Relation> relations, double halfLifeDays, int queryPrefix, int minItemClients,
        boolean allClients) {
    public GraphConfig {
        if (relations == null || relations.isEmpty()) {
            throw new IllegalArgumentException("at least one relation is required");
        }
        relations = Set.copyOf(EnumSet.copyOf(relations));
        if (!(halfLifeDays > 0) || Double.isInfinite(halfLifeDays)) {
            throw new IllegalArgumentException("halfLifeDays must be a positive number, got " + halfLifeDays);
        }
        if (queryPrefix < 1 || queryPrefix > 64) {
            throw new IllegalArgumentException("queryPrefix must be in 1..64, got " + queryPrefix);
        }
        if (minItemClients < 1) {
            throw new IllegalArgumentException("minItemClients must be >= 1, got " + minItemClients);
        }
    }

    /** All relations, 60-day half life, 3-code query prefix, items seen by 2+ clients, all clients. */
    public static GraphConfig defaults() {
        return new GraphConfig(EnumSet.allOf(Relation.class), 60, 3, 2, true);
    }

    public GraphConfig withRelations(Set<Relation> rels) {
        return new GraphConfig(rels, halfLifeDays, queryPrefix, minItemClients, allClients);
    }

    public boolean has(Relation r) {
        return relations.contains(r);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("relations", Relation.format(relations));
        m.put("half_life_days", halfLifeDays);
        m.put("query_prefix", queryPrefix);
        m.put("min_item_clients", minItemClients);
        m.put("all_clients", allClients);
        return m;
    }

    /** The config {@link #toMap()} wrote. */
    public static GraphConfig fromMap(Map<String, Object> map) {
        ConfigMap m = ConfigMap.of(map, "graph config");
        return new GraphConfig(Relation.parseList(m.getString("relations")), m.getDouble("half_life_days"),
                m.getInt("query_prefix"), m.getInt("min_item_clients"), m.getBoolean("all_clients"));
    }
}
