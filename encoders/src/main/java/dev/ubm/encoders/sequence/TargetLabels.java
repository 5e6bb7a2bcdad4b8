package dev.ubm.encoders.sequence;

import dev.ubm.core.BadInputException;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Task;
import dev.ubm.data.Npy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The label space of the {@link Objective#TARGETS} head: the public target lists of the propensity tasks (target
 * categories, then target skus, then target price buckets, as in {@code target/propensity_*.npy}, repeats
 * counted once) laid end to end.
 * A buy is labelled with the index of its category, its sku and its price bucket where each is on its list. Only
 * the lists are read, never the target windows: the labels come from the input events themselves.
 */
final class TargetLabels {
    /** The propensity tasks whose lists make up the label space, in label order. */
    static final List<Task> TASKS = List.of(Task.PROPENSITY_CATEGORY, Task.PROPENSITY_SKU, Task.PROPENSITY_PRICE);
    private final LongIntMap category;
    private final LongIntMap sku;
    private final LongIntMap price;
    private final int skuOffset;
    private final int priceOffset;
    private final int size;

    TargetLabels(long[] categories, long[] skus, long[] prices) {
        category = index(categories);
        sku = index(skus);
        price = index(prices);
        skuOffset = category.size();
        priceOffset = skuOffset + sku.size();
        size = priceOffset + price.size();
    }

    /** Reads the three lists of a data dir; a missing list is bad input naming the file. */
    static TargetLabels of(ChallengeDataDir data) {
        List<long[]> lists = new ArrayList<>();
        for (Task t : TASKS) {
            Path f = data.targetListFile(t);
            if (!Files.isRegularFile(f)) {
                throw new BadInputException("the seq objective 'targets' needs the target list " + f
                        + " (missing); turn it off with --objectives without targets");
            }
            lists.add(Npy.readLongs(f));
        }
        return new TargetLabels(lists.get(0), lists.get(1), lists.get(2));
    }

    private static LongIntMap index(long[] list) {
        LongIntMap m = new LongIntMap(Math.max(1, list.length));
        for (long v : list) {
            m.putIfAbsent(v);
        }
        return m;
    }

    /** Labels in all: the head's width. */
    int size() {
        return size;
    }

    /**
     * Writes the label indices of a buy of {@code skuId} (category {@code cat}, price bucket {@code priceBucket};
     * negative when unknown) into {@code out} from position 0 and returns how many (0..3).
     */
    int labelsOf(long skuId, int cat, int priceBucket, int[] out) {
        int n = 0;
        int c = cat < 0 ? -1 : category.get(cat);
        if (c >= 0) {
            out[n++] = c;
        }
        int s = sku.get(skuId);
        if (s >= 0) {
            out[n++] = skuOffset + s;
        }
        int p = priceBucket < 0 ? -1 : price.get(priceBucket);
        if (p >= 0) {
            out[n++] = priceOffset + p;
        }
        return n;
    }
}
