package dev.ubm.encoders.sequence;

import dev.ubm.core.UnexpectedStateException;
import dev.ubm.data.EventStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.function.Consumer;

/**
 * TEMPORARY stand-in for {@code dev.ubm.data.ClientSequences} until it lands in main: streams each client's last
 * N events (all types, time-ordered) from the event store's {@code events} view, joined with product properties.
 */
final class TmpClientSequences {
    private TmpClientSequences() {
    }

    static long forEach(EventStore store, boolean relevantOnly, int lastN, LocalDateTime before,
            Consumer<TmpClientEvents> each) {
        String where = (relevantOnly ? " WHERE client_id IN (SELECT client_id FROM relevant_clients)" : "")
                + (before == null ? "" : (relevantOnly ? " AND " : " WHERE ") + "timestamp < TIMESTAMP '"
                        + before.toString().replace('T', ' ') + "'");
        String sql = "WITH props AS (SELECT sku, any_value(category) AS category, any_value(price) AS price, "
                + "any_value(name) AS name FROM product_properties GROUP BY sku), "
                + "ev AS (SELECT client_id, timestamp, event_type, sku, url, query, row_number() OVER "
                + "(PARTITION BY client_id ORDER BY timestamp DESC, event_type DESC) AS rn FROM events" + where + ") "
                + "SELECT ev.client_id, epoch(ev.timestamp)::BIGINT, ev.event_type, ev.sku, ev.url, ev.query, "
                + "p.category, p.price, p.name FROM ev LEFT JOIN props p ON ev.sku = p.sku WHERE rn <= " + lastN
                + " ORDER BY ev.client_id, ev.timestamp, ev.event_type";
        long clients = 0;
        TmpClientEvents ce = new TmpClientEvents();
        ce.clear(Long.MIN_VALUE);
        boolean any = false;
        try (Statement st = store.connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                long id = rs.getLong(1);
                if (!any || id != ce.clientId) {
                    if (any) {
                        each.accept(ce);
                        clients++;
                    }
                    ce.clear(id);
                    any = true;
                }
                int i = ce.append();
                ce.ts[i] = rs.getLong(2);
                ce.type[i] = rs.getByte(3);
                long sku = rs.getLong(4);
                ce.sku[i] = rs.wasNull() ? -1 : sku;
                long url = rs.getLong(5);
                ce.url[i] = rs.wasNull() ? -1 : url;
                String query = rs.getString(6);
                long cat = rs.getLong(7);
                ce.cat[i] = rs.wasNull() ? -1 : cat;
                int price = rs.getInt(8);
                ce.price[i] = rs.wasNull() ? -1 : price;
                String name = rs.getString(9);
                ce.ncodes[i] = parseCodes(query != null ? query : name, ce.codes, i * TokenLayout.CODES);
            }
            if (any) {
                each.accept(ce);
                clients++;
            }
        } catch (SQLException e) {
            throw new UnexpectedStateException("cannot stream client sequences: " + e.getMessage(), e);
        }
        return clients;
    }

    static int parseCodes(String s, byte[] out, int off) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        int v = -1;
        for (int k = 0; k <= s.length(); k++) {
            char c = k < s.length() ? s.charAt(k) : ' ';
            if (c >= '0' && c <= '9') {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
            } else if (v >= 0) {
                if (n < TokenLayout.CODES) {
                    out[off + n++] = (byte) Math.min(v, 255);
                }
                v = -1;
            }
        }
        return n;
    }
}
