package dev.ubm.encoders.sequence;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import dev.ubm.core.AtomicFiles;
import dev.ubm.core.BadInputException;
import dev.ubm.core.BlockDir;
import dev.ubm.core.ChallengeDataDir;
import dev.ubm.core.StageListener;
import dev.ubm.data.ClientSequences;
import dev.ubm.data.EventStore;
import dev.ubm.data.RelevantClients;
import dev.ubm.data.SequenceOptions;
import dev.ubm.nn.Checkpoint;
import dev.ubm.nn.Engines;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The sequence encoder stage: reads a data dir's input events into a {@link SeqCorpus}, trains the Argus-like
 * {@link SeqModel} (resuming from the last epoch checkpoint after a kill), and writes a block dir with one
 * L2-normalised row per relevant client. Work files (corpus, checkpoint, the loss curves as training goes) live in
 * {@code <embeddings>/.seq-work} and survive a kill; the block is built beside the dir and swapped in at the end, with
 * the loss curves ({@code train_loss.csv/.png}) beside it.
 */
public final class SeqEncoder {
    /** Component name in block.json. */
    public static final String COMPONENT = "seq";
    static final String WORK = ".seq-work";
    /** Identity key of the targets head's width (the model's shape depends on the data dir's target lists). */
    static final String TARGET_LABELS = "target_labels";

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

    /**
     * The stage: trains (or resumes) and writes the block.
     *
     * @param seed the training seed (block.json's seed)
     */
    public static Result run(ChallengeDataDir data, SeqConfig cfg, Path embeddingsDir, StageListener log, long seed,
            Options opts) {
        long t0 = System.nanoTime();
        // read (and check) the target lists before the corpus, which can take minutes to build
        TargetLabels targets = cfg.has(Objective.TARGETS) ? TargetLabels.of(data) : null;
        Setup in = Setup.of(data, embeddingsDir, cfg, opts, log);
        BlockDir block = in.block();
        Path work = in.work();
        String fingerprint = in.fingerprint();
        long[] relevant = in.relevant();
        SeqCorpus corpus = in.corpus();
        ItemVocab skus = ItemVocab.skus(corpus);
        ItemVocab urls = cfg.has(Objective.NEXT_URL) ? ItemVocab.urls(corpus) : null;
        log.progress(String.format(Locale.ROOT, "seq: %d clients, %d events in the corpus; %d skus, %s urls; %d "
                + "relevant clients", corpus.clients(), corpus.events(), skus.size(), urls == null ? "-" : Integer.toString(urls.size()),
                relevant.length));
        log.progress(cfg.trainClients() > 0 && cfg.trainClients() < corpus.clients()
                ? String.format(Locale.ROOT, "seq: each epoch trains on a fresh random sample of %d of the %d corpus "
                        + "clients (--train-clients)", cfg.trainClients(), corpus.clients())
                : String.format(Locale.ROOT, "seq: each epoch trains on all %d corpus clients (--train-on %s, "
                        + "--train-clients 0)", corpus.clients(), cfg.trainOnAll() ? "all" : "relevant"));
        BatchBuilder builder = new BatchBuilder(corpus, skus, urls, cfg, targets);
        Map<String, Object> identity = SeqTrainer.identity(cfg, seed, fingerprint);
        if (targets != null) {
            identity.put(TARGET_LABELS, targets.size());
        }
        Device device = Engines.device();
        try (NDManager manager = Engines.newManager(device)) {
            Engines.seed(seed);
            SeqModel model = new SeqModel(cfg, targets == null ? 0 : targets.size());
            model.init(manager);
            SeqTrainer trainer = new SeqTrainer(cfg, seed, corpus, builder, work, work, identity);
            int resumeFrom = trainer.resumableEpoch();
            if (resumeFrom > 0) {
                log.progress(String.format(Locale.ROOT, "seq: resuming from the checkpoint after epoch %d of %d",
                        resumeFrom, cfg.epochs()));
            }
            log.progress(String.format(Locale.ROOT, "seq: training on %s (%d parameters)", Engines.describe(device),
                    parameterCount(model)));
            SeqTrainer.Outcome out = trainer.train(model, manager, opts.stopAfterEpochs());
            if (opts.stopAfterEpochs() >= 0 && out.startEpoch() + out.epochs() < cfg.epochs()) {
                return new Result(block, 0, model.outputDim(), out.startEpoch(), out.epochs(), out.tokens(),
                        out.seconds(), out.tokensPerSecond(), 0, 0, device.toString());
            }
            try (BlockDir.Build build = block.build()) {
                long ti = System.nanoTime();
                SeqInference inf = new SeqInference(model, manager, corpus, builder, cfg.inferBatch());
                long rows = inf.writeBlock(relevant, build.block());
                double inferSeconds = (System.nanoTime() - ti) / 1e9;
                double wall = (System.nanoTime() - t0) / 1e9;
                Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
                config.put("device", device.toString());
                if (targets != null) {
                    config.put(TARGET_LABELS, targets.size());
                }
                config.put("corpus_clients", corpus.clients());
                config.put("corpus_events", corpus.events());
                config.put("train_tokens_per_second", Math.round(out.tokensPerSecond()));
                config.put("infer_clients_per_second", Math.round(rows / Math.max(inferSeconds, 1e-9)));
                for (String curve : new String[] {SeqTrainer.CURVE_CSV, SeqTrainer.CURVE_PNG}) {
                    AtomicFiles.copyIfExists(work.resolve(curve), build.block().dir().resolve(curve));
                }
                build.publish(BlockDir.Meta.of(COMPONENT, model.outputDim(), rows, "float32", config, seed,
                        fingerprint, wall).withEvents(data));
                if (!opts.keepWork()) {
                    AtomicFiles.deleteTreeQuietly(work.resolve("corpus"));
                }
                return new Result(block, rows, model.outputDim(), out.startEpoch(), out.epochs(), out.tokens(),
                        out.seconds(), out.tokensPerSecond(), inferSeconds, rows / Math.max(inferSeconds, 1e-9),
                        device.toString());
            }
        }
    }

    /**
     * Encodes the relevant clients of {@code data} with the model trained in block dir {@code modelDir} (its
     * checkpoint {@code .seq-work/model.ckpt}), without training, into {@code embeddingsDir}. For a data dir cut
     * at an earlier date (an as-of dir, {@link dev.ubm.data.AsOf}), this gives the vectors a downstream stage
     * trains on without their inputs having seen the label window (the model itself was trained on events up to
     * the real cutoff).
     *
     * @param inferBatch sequences per inference batch
     */
    public static Result encodeWith(ChallengeDataDir data, Path modelDir, Path embeddingsDir, StageListener log,
            int inferBatch, SeqConfig.Readout readout, Options opts) {
        long t0 = System.nanoTime();
        Path ckpt = requireCheckpoint(modelDir);
        if (embeddingsDir.toAbsolutePath().normalize().equals(modelDir.toAbsolutePath().normalize())) {
            throw new BadInputException("--model-from must name another block dir than --embeddings-dir");
        }
        Map<String, Object> meta = Checkpoint.readMeta(ckpt).orElse(Map.of());
        if (!(meta.get("identity") instanceof Map<?, ?> idm) || !(meta.get("epoch") instanceof Number epoch)) {
            throw new BadInputException("checkpoint " + ckpt + " has no readable metadata (model identity and "
                    + "epoch); retrain it with ubm encode seq --embeddings-dir " + modelDir);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> identity = (Map<String, Object>) idm;
        if (!SeqModel.ARCH.equals(identity.get("model"))) {
            throw new BadInputException("checkpoint " + ckpt + " holds model " + identity.get("model")
                    + ", this version reads " + SeqModel.ARCH + " (retrain it)");
        }
        SeqConfig.Builder cb = SeqConfig.fromMap(identity).toBuilder().epochs(epoch.intValue()).inferBatch(inferBatch);
        SeqConfig cfg = (readout == null ? cb : cb.readout(readout)).build();
        long seed = ((Number) identity.getOrDefault("seed", 0L)).longValue();
        Setup in = Setup.of(data, embeddingsDir, cfg, opts, log);
        BlockDir block = in.block();
        SeqCorpus corpus = in.corpus();
        log.progress(String.format(Locale.ROOT, "seq: encoding %d relevant clients of %s (%d events in the corpus) "
                + "with the model of %s (%d epochs)", in.relevant().length, data.root(), corpus.events(), modelDir,
                epoch.intValue()));
        BatchBuilder builder = new BatchBuilder(corpus, ItemVocab.skus(corpus), null, cfg);
        Device device = Engines.device();
        try (NDManager manager = Engines.newManager(device)) {
            Engines.seed(seed);
            SeqModel model = new SeqModel(cfg, ((Number) identity.getOrDefault(TARGET_LABELS, 0)).intValue());
            model.init(manager);
            Checkpoint.loadParameters(ckpt, model, manager);
            try (BlockDir.Build build = block.build()) {
                long ti = System.nanoTime();
                long rows = new SeqInference(model, manager, corpus, builder, cfg.inferBatch())
                        .writeBlock(in.relevant(), build.block());
                double inferSeconds = (System.nanoTime() - ti) / 1e9;
                Map<String, Object> config = new LinkedHashMap<>(cfg.toMap());
                config.put("device", device.toString());
                config.put("model_from", modelDir.toAbsolutePath().normalize().toString());
                config.put("model_input_fingerprint", identity.get("input_fingerprint"));
                config.put("corpus_clients", corpus.clients());
                config.put("corpus_events", corpus.events());
                config.put("infer_clients_per_second", Math.round(rows / Math.max(inferSeconds, 1e-9)));
                build.publish(BlockDir.Meta.of(COMPONENT, model.outputDim(), rows, "float32", config, seed, in.fingerprint(),
                        (System.nanoTime() - t0) / 1e9).withEvents(data));
                if (!opts.keepWork()) {
                    AtomicFiles.deleteTreeQuietly(in.work());
                }
                return new Result(block, rows, model.outputDim(), epoch.intValue(), 0, 0, 0, 0, inferSeconds,
                        rows / Math.max(inferSeconds, 1e-9), device.toString());
            }
        }
    }

    /** What training and encoding both start from: the output block, its work dir, the input and its corpus. */
    private record Setup(BlockDir block, Path work, String fingerprint, long[] relevant, SeqCorpus corpus) {
        static Setup of(ChallengeDataDir data, Path embeddingsDir, SeqConfig cfg, Options opts, StageListener log) {
            BlockDir block = new BlockDir(embeddingsDir);
            Path work = block.dir().resolve(WORK);
            String fingerprint = data.inputFingerprint();
            long[] relevant = RelevantClients.read(data);
            if (opts.fresh()) {
                AtomicFiles.deleteTreeQuietly(work);
            }
            return new Setup(block, work, fingerprint, relevant,
                    loadCorpus(data, work.resolve("corpus"), cfg, fingerprint, log));
        }
    }

    /** The checkpoint of the model trained in block dir {@code modelDir}; bad input when there is none. */
    public static Path requireCheckpoint(Path modelDir) {
        Path ckpt = modelDir.resolve(WORK).resolve(SeqTrainer.CHECKPOINT);
        if (!java.nio.file.Files.isRegularFile(ckpt)) {
            throw new BadInputException("no sequence model checkpoint " + ckpt + " (train one with ubm encode seq "
                    + "--embeddings-dir " + modelDir + ")");
        }
        return ckpt;
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
            StageListener log) {
        Map<String, Object> expect = new LinkedHashMap<>();
        expect.put("version", SeqCorpus.VERSION);
        expect.put("input_fingerprint", fingerprint);
        expect.put("history_len", cfg.historyLen());
        expect.put("train_on", cfg.trainOnAll() ? "all" : "relevant");
        var existing = SeqCorpus.openIfMatches(dir, expect);
        if (existing.isPresent()) {
            log.progress("seq: reusing the corpus in " + dir);
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
