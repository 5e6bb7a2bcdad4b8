package dev.ubm.probes.metrics;

/**
 * The indices of the k largest values of a row, chosen exactly as {@code torch.topk} on CPU chooses them, ties
 * included. The organisers' novelty sums popularity over the top-10 labels, so when predictions tie (saturated or
 * constant logits) which tied labels are taken changes the score. torch (aten TopKImpl.h) builds (value, index)
 * pairs in index order and runs libstdc++'s {@code std::partial_sort} when {@code k * 64 <= n}, else
 * {@code std::nth_element} on position k-1; this class replays those two algorithms step by step.
 */
public final class TopK {
    private final float[] v;
    private final int[] ix;

    private TopK(int n) {
        v = new float[n];
        ix = new int[n];
    }

    /**
     * Writes into {@code out[0..k)} the indices (in no particular order) of the k largest of
     * {@code values[from..from+n)}, as torch.topk selects them.
     */
    public static void select(float[] values, int from, int n, int k, int[] out) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("k=" + k + " for n=" + n);
        }
        TopK t = new TopK(n);
        for (int i = 0; i < n; i++) {
            t.v[i] = values[from + i];
            t.ix[i] = i;
        }
        if (k == 0) {
            return;
        }
        if ((long) k * 64 <= n) {
            t.partialSort(0, k, n);
        } else {
            t.nthElement(0, k - 1, n);
        }
        System.arraycopy(t.ix, 0, out, 0, k);
    }

    /** torch's comparator for largest=true: NaN first, then greater values first. */
    private static boolean comp(float a, float b) {
        return (Float.isNaN(a) && !Float.isNaN(b)) || a > b;
    }

    private boolean comp(int i, int j) {
        return comp(v[i], v[j]);
    }

    private void swap(int i, int j) {
        float tv = v[i];
        v[i] = v[j];
        v[j] = tv;
        int ti = ix[i];
        ix[i] = ix[j];
        ix[j] = ti;
    }

    private static int lg(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    // ------------------------------------------------------------------ std::nth_element (introselect)

    private void nthElement(int first, int nth, int last) {
        if (first == last || nth == last) {
            return;
        }
        int depthLimit = lg(last - first) * 2;
        while (last - first > 3) {
            if (depthLimit == 0) {
                heapSelect(first, nth + 1, last);
                swap(first, nth);
                return;
            }
            --depthLimit;
            int cut = unguardedPartitionPivot(first, last);
            if (cut <= nth) {
                first = cut;
            } else {
                last = cut;
            }
        }
        insertionSort(first, last);
    }

    private int unguardedPartitionPivot(int first, int last) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(first, first + 1, mid, last - 1);
        return unguardedPartition(first + 1, last, first);
    }

    private void moveMedianToFirst(int result, int a, int b, int c) {
        if (comp(a, b)) {
            if (comp(b, c)) {
                swap(result, b);
            } else if (comp(a, c)) {
                swap(result, c);
            } else {
                swap(result, a);
            }
        } else if (comp(a, c)) {
            swap(result, a);
        } else if (comp(b, c)) {
            swap(result, c);
        } else {
            swap(result, b);
        }
    }

    private int unguardedPartition(int first, int last, int pivot) {
        while (true) {
            while (comp(first, pivot)) {
                ++first;
            }
            --last;
            while (comp(pivot, last)) {
                --last;
            }
            if (!(first < last)) {
                return first;
            }
            swap(first, last);
            ++first;
        }
    }

    private void insertionSort(int first, int last) {
        if (first == last) {
            return;
        }
        for (int i = first + 1; i != last; ++i) {
            if (comp(i, first)) {
                float tv = v[i];
                int ti = ix[i];
                System.arraycopy(v, first, v, first + 1, i - first);
                System.arraycopy(ix, first, ix, first + 1, i - first);
                v[first] = tv;
                ix[first] = ti;
            } else {
                unguardedLinearInsert(i);
            }
        }
    }

    private void unguardedLinearInsert(int last) {
        float tv = v[last];
        int ti = ix[last];
        int next = last - 1;
        while (comp(tv, v[next])) {
            v[last] = v[next];
            ix[last] = ix[next];
            last = next;
            --next;
        }
        v[last] = tv;
        ix[last] = ti;
    }

    // ------------------------------------------------------------------ std::partial_sort (heap select + sort_heap)

    private void partialSort(int first, int middle, int last) {
        heapSelect(first, middle, last);
        sortHeap(first, middle);
    }

    private void heapSelect(int first, int middle, int last) {
        makeHeap(first, middle);
        for (int i = middle; i < last; ++i) {
            if (comp(i, first)) {
                popHeap(first, middle, i);
            }
        }
    }

    private void makeHeap(int first, int last) {
        int len = last - first;
        if (len < 2) {
            return;
        }
        int parent = (len - 2) / 2;
        while (true) {
            float tv = v[first + parent];
            int ti = ix[first + parent];
            adjustHeap(first, parent, len, tv, ti);
            if (parent == 0) {
                return;
            }
            parent--;
        }
    }

    /** libstdc++ __pop_heap(first, last, result): moves *first to *result and re-heaps with the old *result. */
    private void popHeap(int first, int last, int result) {
        float tv = v[result];
        int ti = ix[result];
        v[result] = v[first];
        ix[result] = ix[first];
        adjustHeap(first, 0, last - first, tv, ti);
    }

    private void sortHeap(int first, int last) {
        while (last - first > 1) {
            --last;
            popHeap(first, last, last);
        }
    }

    private void adjustHeap(int first, int holeIndex, int len, float value, int index) {
        int topIndex = holeIndex;
        int secondChild = holeIndex;
        while (secondChild < (len - 1) / 2) {
            secondChild = 2 * (secondChild + 1);
            if (comp(first + secondChild, first + (secondChild - 1))) {
                secondChild--;
            }
            v[first + holeIndex] = v[first + secondChild];
            ix[first + holeIndex] = ix[first + secondChild];
            holeIndex = secondChild;
        }
        if ((len & 1) == 0 && secondChild == (len - 2) / 2) {
            secondChild = 2 * (secondChild + 1);
            v[first + holeIndex] = v[first + (secondChild - 1)];
            ix[first + holeIndex] = ix[first + (secondChild - 1)];
            holeIndex = secondChild - 1;
        }
        // __push_heap
        int parent = (holeIndex - 1) / 2;
        while (holeIndex > topIndex && comp(v[first + parent], value)) {
            v[first + holeIndex] = v[first + parent];
            ix[first + holeIndex] = ix[first + parent];
            holeIndex = parent;
            parent = (holeIndex - 1) / 2;
        }
        v[first + holeIndex] = value;
        ix[first + holeIndex] = index;
    }
}
