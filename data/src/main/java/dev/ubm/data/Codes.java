package dev.ubm.data;

/**
 * Parses the challenge's code strings, {@code "[c1 c2 ...]"} (numpy's array repr: integers 0..255 separated by
 * spaces, optionally commas), used for search queries and product names. The length is whatever the string holds
 * (16 in the challenge release, 20 in the raw one), never assumed.
 */
public final class Codes {
    /** RE2 pattern (DuckDB {@code regexp_full_match}) of a well-formed code string with at least one code. */
    public static final String SQL_PATTERN;

    static {
        String code = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        SQL_PATTERN = "\\s*\\[\\s*" + code + "([\\s,]+" + code + ")*[\\s,]*\\]\\s*";
    }

    private Codes() {
    }

    /**
     * Parses {@code s} into {@code out} starting at {@code offset}, growing nothing: returns the number of codes,
     * or -1 if {@code s} is malformed (no brackets, a non-digit, a code above 255, no code at all), or -2 if
     * {@code out} is too small from {@code offset}.
     */
    public static int parse(CharSequence s, byte[] out, int offset) {
        int n = s.length();
        int i = 0;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= n || s.charAt(i) != '[') {
            return -1;
        }
        i++;
        int count = 0;
        int value = -1;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return -1;
                }
            } else if (c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r' || c == ']') {
                if (value >= 0) {
                    if (offset + count >= out.length) {
                        return -2;
                    }
                    out[offset + count++] = (byte) value;
                    value = -1;
                }
                if (c == ']') {
                    for (int k = i + 1; k < n; k++) {
                        if (!Character.isWhitespace(s.charAt(k))) {
                            return -1;
                        }
                    }
                    return count == 0 ? -1 : count;
                }
            } else {
                return -1;
            }
        }
        return -1;
    }

    /** Parses a code string into a new array; throws IllegalArgumentException naming the value if malformed. */
    public static int[] parse(String s) {
        byte[] buf = new byte[Math.max(1, s.length() / 2 + 1)];
        int n = parse(s, buf, 0);
        if (n < 0) {
            throw new IllegalArgumentException("malformed code string (expected \"[c1 c2 ...]\" of integers 0..255): '"
                    + s + "'");
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf[i] & 0xff;
        }
        return out;
    }
}
