package dev.ubm.encoders.sequence;

/** Builds small vocabularies for tests through a corpus-free path. */
final class TestVocabs {
    private TestVocabs() {
    }

    static ItemVocab of(long[] ids, long[] counts) {
        return ItemVocab.ofCounts(ItemHashing.Kind.SKU, ids, counts);
    }
}
