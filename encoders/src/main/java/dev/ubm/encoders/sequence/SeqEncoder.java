package dev.ubm.encoders.sequence;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.Fingerprint;
import dev.ubm.data.ClientSequences;
import dev.ubm.data.EventStore;
import dev.ubm.data.Npy;
import dev.ubm.data.SequenceOptions;
import dev.ubm.nn.Engines;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sequence encoder stage: reads a data dir's input events into a {@link SeqCorpus}, trains the Argus-like
 * {@link SeqModel} (resuming from the last epoch checkpoint after a kill), and writes a block dir with one
 * L2-normalised row per relevant client. Work files (corpus, checkpoint) live in {@code <embeddings>/.seq-work};
 * the loss curves ({@code train_loss.csv/.png}) sit beside the block.
 */
public final class SeqEncoder {
    /** Component name in block.json. */
    public static final String COMPONENT = "seq";
    static final String WORK = ".seq-work";

    private SeqEncoder() {
    }

    /**
     * Run options that do not change the model.
     *
     * @param fresh ignore an existing checkpoint and corpus
     * @param keepWork keep the corpus after a successful run (the checkpoint is always kept)
     * @param stopAfterEpochs stop after this many epochs as if killed (tests); negative = never
     */
    public record Options(boolean fresh, boolean keepWork, int stopAfterEpochs) {
        public static Options defaults() {
            return new Options(false, false, -1);
        }
    }

    /** What a run did. */
    public record Result(BlockDir block, long rows, int dims, int startEpoch, int epochsTrained, long trainTokens,
            double trainSeconds, double trainTokensPerSecond, double inferSeconds, double inferClientsPerSecond,
            String device) {
    }

    public static Result run(ChallengeDataDir data, Path embeddingsDir, SeqConfig cfg, long seed, Options opts,
            PrintStream log) {
        long t0 = System.nanoTime();
        BlockDir block = new BlockDir(embeddingsDir);
        Path work = block.dir().resolve(WORK);
        String fingerprint = Fingerprint.of(data.eventsDir(), data.propertiesFile());
        long[] relevant = Npy.readLongs(data.relevantClientsFile());
        if (opts.fresh()) {
            SeqCorpus.deleteTree(work);
        }
        SeqCorpus corpus = loadCorpus(data, work.resolve("corpus"), cfg, fingerprint, log);
        ItemVocab skus = ItemVocab.skus(corpus);
        ItemVocab urls = cfg.has(Objective.NEXT_URL) ? ItemVocab.urls(corpus) : null;
        log.printf(Locale.ROOT, "seq: %d clients, %d events in the corpus; %d skus, %s urls; %d relevant clients%n",
                corpus.clients(), corpus.events(), skus.size(), urls == null ? "-" : Integer.toString(urls.size()),
                relevant.length);
        BatchBuilder builder = new BatchBuilder(corpus, skus, urls, cfg);
        Device device = Engines.device();
        try (NDManager manager = Engines.newManager(device)) {
            Engines.seed(seed);
            SeqModel model = new SeqModel(cfg);
            model.init(manager);
            SeqTrainer trainer = new SeqTrainer(cfg, seed, corpus, builder, work, block.createDirs(),
                    SeqTrainer.identity(cfg, seed, fingerprint));
            int resumeFrom = trainer.resumableEpoch();
            if (resumeFrom > 0) {
                log.printf(Locale.ROOT, "seq: resuming from the checkpoint after epoch %d of %d%n", resumeFrom,
                        cfg.epochs());
            }
            log.printf(Locale.ROOT, "seq: training on %s (%d parameters)%n", Engines.describe(device),
                    parameterCount(model));
            SeqTrainer.Outcome out = trainer.train(model, manager, opts.stopAfterEpochs());
            if (opts.stopAfterEpochs() >= 0 && out.startEpoch() + out.epochs() < cfg.epochs()) {
                return new Result(block, 0, cfg.dim(), out.startEpoch(), out.epochs(), out.tokens(), out.seconds(),
                        out.tokensPerSecond(), 0, 0, device.toString());
            }
            long ti = System.nanoTime();
            SeqInference inf = new SeqInference(model, manager, corpus, builder, cfg.inferBatch());
            long rows = inf.writeBlock(relevant, block);
            double inferSeconds = (System.nanoTime() - ti) / 1e9;
            double wall = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
            config.put("device", device.toString());
            config.put("corpus_clients", corpus.clients());
            config.put("corpus_events", corpus.events());
            config.put("train_tokens_per_second", Math.round(out.tokensPerSecond()));
            config.put("infer_clients_per_second", Math.round(rows / Math.max(inferSeconds, 1e-9)));
            block.writeMeta(BlockDir.Meta.of(COMPONENT, cfg.dim(), rows, "float32", config, seed, fingerprint, wall));
            if (!opts.keepWork()) {
                SeqCorpus.deleteTree(work.resolve("corpus"));
            }
            return new Result(block, rows, cfg.dim(), out.startEpoch(), out.epochs(), out.tokens(), out.seconds(),
                    out.tokensPerSecond(), inferSeconds, rows / Math.max(inferSeconds, 1e-9), device.toString());
        }
    }

    static long parameterCount(SeqModel model) {
        long n = 0;
        for (var p : model.getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }

    /** Reuses the corpus when it was built from the same input with the same settings, else builds it. */
    static SeqCorpus loadCorpus(ChallengeDataDir data, Path dir, SeqConfig cfg, String fingerprint,
            PrintStream log) {
        Map<String, Object> expect = new LinkedHashMap<>();
        expect.put("version", SeqCorpus.VERSION);
        expect.put("input_fingerprint", fingerprint);
        expect.put("history_len", cfg.historyLen());
        expect.put("train_on", cfg.trainOnAll() ? "all" : "relevant");
        var existing = SeqCorpus.openIfMatches(dir, expect);
        if (existing.isPresent()) {
            log.println("seq: reusing the corpus in " + dir);
            return existing.get();
        }
        try (EventStore store = EventStore.open(data)) {
            long cutoff = store.cutoff().toEpochSecond(ZoneOffset.UTC);
            SeqCorpus.Builder b = SeqCorpus.builder(dir, expect, cutoff, cfg.historyLen());
            try {
                // all events (lastN 0): the builder counts every event and keeps the last historyLen
                ClientSequences.forEach(store, new SequenceOptions(!cfg.trainOnAll(), 0, null), b::add);
            } catch (RuntimeException | Error e) {
                b.abort();
                throw e;
            }
            return b.finish();
        }
    }
}
