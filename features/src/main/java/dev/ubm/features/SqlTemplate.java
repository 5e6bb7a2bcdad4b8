package dev.ubm.features;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands ubm's feature SQL templates into plain SQL. Two constructs only, so the resources stay readable SQL:
 * {@code ${name}} is replaced by a scalar parameter everywhere, and a line ending in
 * {@code -- @each v in list[, w in list2]} is repeated once per combination (first variable outermost) with
 * {@code {v}} (the item's name) and {@code {v.attr}} (one of its attributes) filled in. Repeated select items start
 * with a comma ({@code , SUM(...) AS x_{v}}), so no trailing comma needs special handling.
 */
public final class SqlTemplate {
    private static final Pattern PARAM = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern EACH = Pattern.compile("--\\s*@each\\s+(.+)$");
    private static final Pattern BINDING = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s+in\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern VAR = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?:\\.([A-Za-z_][A-Za-z0-9_]*))?}");

    /** One value of a list: its name (what {@code {v}} becomes) and named attributes ({@code {v.attr}}). */
    public record Item(String name, Map<String, String> attrs) {
        public Item {
            attrs = Map.copyOf(attrs);
        }

        public static Item of(String name, String... keyValues) {
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("attributes come in key, value pairs");
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put(keyValues[i], keyValues[i + 1]);
            }
            return new Item(name, m);
        }
    }

    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, List<Item>> lists = new LinkedHashMap<>();

    public SqlTemplate param(String name, Object value) {
        params.put(name, String.valueOf(value));
        return this;
    }

    public SqlTemplate list(String name, List<Item> items) {
        lists.put(name, List.copyOf(items));
        return this;
    }

    /** A list of plain values whose name is the value itself (e.g. windows 1, 7, 30). */
    public SqlTemplate values(String name, List<?> values) {
        List<Item> items = new ArrayList<>();
        for (Object v : values) {
            items.add(Item.of(String.valueOf(v)));
        }
        return list(name, items);
    }

    /** Expands a template; {@code what} names it in error messages. */
    public String expand(String template, String what) {
        StringBuilder out = new StringBuilder();
        String[] lines = template.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = substituteParams(lines[ln], what, ln + 1);
            Matcher each = EACH.matcher(line);
            if (!each.find()) {
                checkNoVars(line, what, ln + 1);
                out.append(line);
            } else {
                String body = stripTrailing(line.substring(0, each.start()));
                List<String> vars = new ArrayList<>();
                List<List<Item>> domains = new ArrayList<>();
                for (String b : each.group(1).split(",")) {
                    Matcher m = BINDING.matcher(b);
                    if (!m.matches()) {
                        throw new IllegalArgumentException(what + ":" + (ln + 1) + ": bad @each binding '" + b.trim()
                                + "' (expected 'v in list')");
                    }
                    List<Item> domain = lists.get(m.group(2));
                    if (domain == null) {
                        throw new IllegalArgumentException(what + ":" + (ln + 1) + ": unknown list '" + m.group(2) + "'");
                    }
                    vars.add(m.group(1));
                    domains.add(domain);
                }
                List<String> expanded = new ArrayList<>();
                product(body, vars, domains, 0, new LinkedHashMap<>(), expanded, what, ln + 1);
                out.append(String.join("\n", expanded));
            }
            if (ln < lines.length - 1) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    private void product(String body, List<String> vars, List<List<Item>> domains, int k, Map<String, Item> bound,
            List<String> out, String what, int ln) {
        if (k == vars.size()) {
            Matcher m = VAR.matcher(body);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                Item it = bound.get(m.group(1));
                if (it == null) {
                    throw new IllegalArgumentException(what + ":" + ln + ": placeholder {" + m.group(1)
                            + "} is not bound by the @each directive");
                }
                String v = m.group(2) == null ? it.name() : it.attrs().get(m.group(2));
                if (v == null) {
                    throw new IllegalArgumentException(what + ":" + ln + ": item " + it.name() + " has no attribute '"
                            + m.group(2) + "'");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            out.add(sb.toString());
            return;
        }
        for (Item it : domains.get(k)) {
            bound.put(vars.get(k), it);
            product(body, vars, domains, k + 1, bound, out, what, ln);
        }
        bound.remove(vars.get(k));
    }

    private String substituteParams(String line, String what, int ln) {
        Matcher m = PARAM.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = params.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(what + ":" + ln + ": unknown parameter ${" + m.group(1) + "}");
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static void checkNoVars(String line, String what, int ln) {
        String code = line.contains("--") ? line.substring(0, line.indexOf("--")) : line;
        Matcher m = VAR.matcher(code);
        if (m.find()) {
            throw new IllegalArgumentException(what + ":" + ln + ": placeholder " + m.group()
                    + " outside an @each line");
        }
    }

    private static String stripTrailing(String s) {
        int e = s.length();
        while (e > 0 && Character.isWhitespace(s.charAt(e - 1))) {
            e--;
        }
        return s.substring(0, e);
    }
}
