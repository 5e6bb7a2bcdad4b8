package dev.ubm.encoders.sequence;

/**
 * One batch as plain arrays (no NDArrays cross this boundary): right-padded token indices into the shared table,
 * the flat position ({@code b * time + t}) of each row's NOW token, and per objective the positions that have a
 * label, their labels and, for the sampled-softmax heads, the candidate columns with their log Q.
 *
 * @param rows the distinct table rows this batch reads (sorted); every other index is a position in rows
 * @param tokens batch x time x {@link TokenLayout#FIELDS} indices into rows
 * @param codes batch x time x {@link TokenLayout#CODES} table rows (averaged into one vector per token)
 * @param relTime batch x time x time log-bucket of the time from key to query (0: key is BOS), or null
 * @param last flat position of each row's last token (the client vector)
 * @param typeRows positions with a next event; {@code typeLabels}/{@code gapLabels} their next type / gap bucket
 * @param gapRows positions whose gap to the next event is a label (BOS has none)
 * @param itemRows next-item positions, {@code itemLabels} their sku column
 * @param windowRows future-window positions, {@code windowLabels} their sku column
 * @param skuFields columns x {@link TokenLayout#SKU_FIELDS}, {@code skuCodes} columns x 16 (item tower input)
 * @param urlFields url columns x 2 (url tower input)
 * @param activityRows positions with a fully observed window; {@code activityLabels} 4 per row (see
 *     {@link Objective#ACTIVITY}); {@code volumeLabels} the count bucket of events in the window, per activity row
 * @param targetLabels per activity row the multi-hot target buys of its window ({@link TargetLabels#size()} floats
 *     a row), or null when the targets objective is off
 * @param realTokens tokens that are not padding
 */
record SeqBatch(long[] rows, int batch, int time, int[] tokens, int[] codes, int[] relTime, long[] last,
        long[] typeRows, int[] typeLabels, long[] gapRows, int[] gapLabels, long[] itemRows, int[] itemLabels,
        long[] windowRows, int[] windowLabels, int[] skuFields, int[] skuCodes, float[] skuLogQ, long[] urlRows,
        int[] urlLabels, int[] urlFields, float[] urlLogQ, long[] activityRows, float[] activityLabels,
        int[] volumeLabels, float[] targetLabels, long realTokens) {

    int skuColumns() {
        return skuLogQ == null ? 0 : skuLogQ.length;
    }

    int urlColumns() {
        return urlLogQ == null ? 0 : urlLogQ.length;
    }
}
