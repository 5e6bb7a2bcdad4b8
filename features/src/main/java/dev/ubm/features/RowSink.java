package dev.ubm.features;

import java.util.List;

/** Where a feature set streams its rows: the names once, then one row per client (the array is reused). */
interface RowSink {
    void begin(List<String> names);

    void row(long clientId, float[] values);
}
