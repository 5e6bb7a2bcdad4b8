# ubm — the pipeline as make targets. `make demo` runs everything on the embedded synthetic world;
# `make test` runs the test suite (what CI runs). Variables can be overridden: make demo WORK=/tmp/ubm SEED=7
SHELL := /bin/bash
MVN ?= mvn -B
UBM := bin/ubm
WORK ?= work
SEED ?= 42
CLIENTS ?= 50000
RELEVANT ?= 10000
DAYS ?= 150
PROFILE ?= default
DATA ?= $(WORK)/data
EMB ?= $(WORK)/emb
SCORES ?= $(WORK)/scores
PROBE ?= fast
export OPT_OUT_TRACKING := true
export DJL_OFFLINE := true
export OMP_WAIT_POLICY := PASSIVE

.PHONY: build test test-quick demo demo-full synth split validate-data features seq gnn gnn-walks bench-gnn dcn combine probe ablate compare validate bench clean

build: cli/target/classpath.txt

cli/target/classpath.txt: $(shell find . -name pom.xml -not -path './work/*') $(shell find */src/main -type f 2>/dev/null)
	$(MVN) -q package -DskipTests

# The full test suite, libtorch tests included (what CI runs).
test:
	$(MVN) verify

# Skips tests tagged "torch" (they load libtorch).
test-quick:
	$(MVN) verify -Dubm.excludedGroups=torch

# The whole pipeline on the embedded default world: synth -> split -> validate-data -> features -> seq -> gnn
# -> gnn-walks -> dcn -> combine -> validate -> probe (fast) of the submission, ending with its score table against
# the random control and the oracle. Stages whose output exists are rerun (each is deterministic for SEED).
DEMO_BLOCKS ?= features seq gnn gnn-walks dcn
demo: build
	$(MAKE) synth split validate-data $(DEMO_BLOCKS) combine validate
	$(MAKE) probe EMB=$(SUBMISSION) SCORES=$(SCORES)/submission
	@echo; echo "== $(SCORES)/submission/report.md"; cat $(SCORES)/submission/report.md

# The same world with three times more relevant clients (30,000 of the 50,000), into $(WORK)/r30: enough buyers per
# label for the propensity tasks (new sku above all) to be measured beyond the probe's noise, and a DCN trained on
# four label windows instead of two (docs/quality.md measures both). About 22 min on two cores (measured; docs/quality.md); then
# `make compare WORK=$(WORK)/r30` (about 19 min). The structured profile needs twice that many relevant clients for
# its new-sku labels: `make demo-full PROFILE=structured DEMO_FULL_CLIENTS=100000 DEMO_FULL_RELEVANT=60000`, into
# $(WORK)/r60 (about 34 min for the chain, then `make compare WORK=$(WORK)/r60`, about 38 min).
DEMO_FULL_DCN_WINDOWS ?= 4
DEMO_FULL_CLIENTS ?= $(CLIENTS)
DEMO_FULL_RELEVANT ?= 30000
DEMO_FULL_DIR ?= $(WORK)/r$(patsubst %000,%,$(DEMO_FULL_RELEVANT))
demo-full: build
	$(MAKE) demo WORK=$(DEMO_FULL_DIR) CLIENTS=$(DEMO_FULL_CLIENTS) RELEVANT=$(DEMO_FULL_RELEVANT) \
	  DCN_WINDOWS=$(DEMO_FULL_DCN_WINDOWS)

synth: build
	@if [ -f $(DATA)/.synth-done ]; then echo "synth: $(DATA) exists (rm -r $(DATA) to regenerate)"; else \
	  $(UBM) synth --clients $(CLIENTS) --relevant-clients $(RELEVANT) --days $(DAYS) --seed $(SEED) --profile $(PROFILE) --out-dir $(DATA) && touch $(DATA)/.synth-done; fi

split: build
	$(UBM) split --data-dir $(DATA) --seed $(SEED)

validate-data: build
	$(UBM) validate-data --data-dir $(DATA)

# --- features (owned by its issue) ---
# Both feature sets of the data dir: ubm's own block (emb/features) and the organisers' baseline (emb/baseline).
features: build
	$(UBM) features --data-dir $(DATA) --embeddings-dir $(EMB)/features --set full --seed $(SEED)
	$(UBM) features --data-dir $(DATA) --embeddings-dir $(EMB)/baseline --set baseline --seed $(SEED)

# --- bench-features (owned by the features issue) ---
# Time and peak memory of both feature sets on BENCH_DATA (default: the demo world, made by synth + split when
# missing). Any other world: make bench-features BENCH_DATA=DIR. The 1M-relevant-client chain (features, combine,
# validate; generates a ~100M-event world when missing): bench/features/large.sh.
BENCH_DATA ?= $(DATA)
bench-features: build
	@test -f $(BENCH_DATA)/input/relevant_clients.npy || $(MAKE) synth split DATA=$(BENCH_DATA)
	@for set in full baseline; do \
	  /usr/bin/time -v $(UBM) features --data-dir $(BENCH_DATA) --embeddings-dir $(WORK)/bench/features-$$set \
	    --set $$set --seed $(SEED) --quiet 2>&1 | grep -E '^features|Elapsed|Maximum resident|User time|System time' || exit 1; \
	done

# --- seq (owned by its issue) ---
# make seq: the Argus-like sequence block of $(DATA) in $(EMB)/seq (checkpoints each epoch; rerun resumes).
# Extra flags: make seq SEQ_ARGS="--epochs 6 --dim 128"
SEQ_ARGS ?=
# Target-aware settings that read the structured profile's intent drift (docs/seq.md, "The sequence block alone on
# the structured profile"; ~1.5x the seq stage's CPU, a 364-column block): make seq SEQ_ARGS='$(SEQ_TARGET_ARGS)'
SEQ_TARGET_ARGS := --max-len 128 --objectives next_item=1,future_window=1,next_type=0.3,time_gap=0.3,activity=1,volume=0.3,targets=1.5 --readout now+targets
SEQ_PY ?= $$(bench/venv.sh $(WORK)/bench/venv)
seq: build
	$(UBM) encode seq --data-dir $(DATA) --embeddings-dir $(EMB)/seq --seed $(SEED) $(SEQ_ARGS)

# Java (DJL) vs Python (PyTorch) training step on the same model and batch (SEQ_BENCH_STEPS steps in rounds of
# 10; the best round is the least disturbed by other load), plus inference clients/s over every relevant client.
# Python + torch for the comparison come from bench/venv.sh ($(WORK)/bench/venv, made on first use).
SEQ_BENCH_STEPS ?= 60
.PHONY: bench-seq
bench-seq: build synth split
	$(UBM) encode seq --data-dir $(DATA) --embeddings-dir $(WORK)/bench/seq --bench-dir $(WORK)/bench/seq \
	  --bench-steps $(SEQ_BENCH_STEPS) --seed $(SEED) --quiet $(SEQ_ARGS)
	OMP_WAIT_POLICY=PASSIVE $(SEQ_PY) bench/seq/seq_torch.py $(WORK)/bench/seq --steps $(SEQ_BENCH_STEPS)

# --- gnn (owned by its issue) ---
# make gnn: the TwHIN graph block of $(DATA) in $(EMB)/gnn; GNN_METHOD=svd writes the SVD baseline to $(EMB)/gnn-svd.
# Extra flags go in GNN_ARGS, e.g. GNN_ARGS="--epochs 5 --relations buy,remove_from_cart,visit,search" (cart ablation).
# make gnn-walks: the target walks over the same graph (`ubm gnn --method walks`, no training) in $(EMB)/gnn-walks: a
# block of the submission beside the TwHIN block, and the DCN's graph side (docs/quality.md measures why). Flags:
# WALKS_ARGS. $(call walks_cmd,DATA,OUT DIR,EXTRA FLAGS) is that command (shared with dcn and submission).
GNN_METHOD ?= twhin
GNN_ARGS ?=
GNN_OUT ?= $(EMB)/$(if $(filter twhin,$(GNN_METHOD)),gnn,gnn-$(GNN_METHOD))
# The Vector API kernels (about 1.5x) and huge pages for the embedding table (about 1.25x on large graphs); without
# these flags TwHIN runs its plain-Java kernels.
GNN_JVM ?= --add-modules jdk.incubator.vector -XX:+UseTransparentHugePages
gnn: build
	$(UBM) gnn --data-dir $(DATA) --embeddings-dir $(GNN_OUT) --method $(GNN_METHOD) --seed $(SEED) $(GNN_ARGS)
WALKS_ARGS ?=
walks_cmd = $(UBM) gnn --data-dir $(1) --embeddings-dir $(2) --method walks --seed $(SEED) $(3) $(WALKS_ARGS)
gnn-walks: build
	$(call walks_cmd,$(DATA),$(EMB)/gnn-walks,)

# make bench-gnn: TwHIN positive-edge updates/s on a synthetic power-law graph (1M clients, 20M edges, 2 threads,
# dim 64, 10 negatives, TwHIN's default chunk; add e.g. --chunk 128 to GNN_BENCH_ARGS to compare; no data needed),
# then, if $(GNN_BENCH_WORLD) holds a world (e.g. bin/ubm synth --clients 1000000 ...), wall time and peak RSS of
# `ubm gnn` on it.
GNN_BENCH_WORLD ?= $(WORK)/synth1m
GNN_BENCH_ARGS ?= --clients 1000000 --skus 200000 --urls 300000 --edges 20000000 --threads 2 --dim 64 --negatives 10 --epochs 3
bench-gnn: build
	java -Xmx6g $(GNN_JVM) -cp "core/target/classes:data/target/classes:gnn/target/classes:$$(cat cli/target/classpath.txt)" \
	  dev.ubm.gnn.TwhinBench $(GNN_BENCH_ARGS) 2>&1 | grep -v '^twhin \['
	@if [ -f $(GNN_BENCH_WORLD)/input/relevant_clients.npy ]; then \
	  for m in twhin svd; do echo "bench-gnn: ubm gnn --method $$m on $(GNN_BENCH_WORLD)"; \
	  /usr/bin/time -v $(UBM) gnn --data-dir $(GNN_BENCH_WORLD) --embeddings-dir $(WORK)/bench-gnn-$$m --method $$m \
	    --threads 2 --epochs 3 --quiet 2>&1 | grep -E 'gnn:|twhin:|svd:|graph:|Elapsed|Maximum resident'; done; \
	else echo "bench-gnn: no world at $(GNN_BENCH_WORLD); skipping the end-to-end run"; fi

# --- dcn (owned by its issue) ---
# make dcn: the DCN-v2 tabular block in $(EMB)/dcn, trained on the labels of DCN_WINDOWS windows of 14 days going back
# from the end of the input, over $(EMB)/features and the frozen side blocks of DCN_SIDES present in $(EMB). For each
# window k (0 = the most recent) it first builds, in $(EMB)/dcn-asof/k: the as-of dir (`ubm asof`: the events before
# the window, listing the relevant clients plus DCN_TRAIN_CLIENTS in all), its feature block and each side block's
# twin made on that dir (DCN_TWIN_<name>), so the DCN never trains on vectors that saw its labels; the blocks at the
# real cutoff embed. Extra flags: DCN_ARGS. Measured choices (docs/dcn.md): DCN_WINDOWS, DCN_TRAIN_CLIENTS.
DCN_ARGS ?=
DCN_WINDOWS ?= 2
# relevant, all or N (the relevant clients plus a seeded sample of the other clients with history, N in all)
DCN_TRAIN_CLIENTS ?= 20000
DCN_SIDES ?= seq gnn-walks
# $(call DCN_TWIN_<name>,EMB DIR,EVENTS FLAG): the twin of side block <name> made on the as-of dir $$a/data (the
# events before the window): the same seq model, a graph trained there, the walks over its graph to its target
# lists, the baseline feature set there.
DCN_TWIN_seq = $(UBM) encode seq --data-dir $$a/data --model-from $(1)/seq --embeddings-dir $$a/seq --seed $(SEED) --quiet $(2)
DCN_TWIN_gnn = $(UBM) gnn --data-dir $$a/data --embeddings-dir $$a/gnn --method $(GNN_METHOD) --seed $(SEED) --quiet $(GNN_ARGS) $(2)
DCN_TWIN_gnn-walks = $(call walks_cmd,$$a/data,$$a/gnn-walks,--quiet $(2))
DCN_TWIN_baseline = $(UBM) features --data-dir $$a/data --embeddings-dir $$a/baseline --set baseline --seed $(SEED) --quiet $(2)
dcn_ks = $(shell seq 0 $$(( $(DCN_WINDOWS) - 1 )))
# $(call dcn_chain,DATA,EMB DIR,EVENTS FLAG): the as-of dirs, their blocks and `encode dcn` (shared with submission).
dcn_sides = $(foreach s,$(DCN_SIDES),$(if $(wildcard $(2)/$(s)/block.json),$(s)))
define dcn_chain
	@set -ex; for k in $(dcn_ks); do a=$(2)/dcn-asof/$$k; rm -rf $$a; mkdir -p $$a; \
	  $(UBM) asof --data-dir $(1) --out-dir $$a/data --end-offset-days $$(( 14 * k )) --train-clients $(DCN_TRAIN_CLIENTS) --seed $(SEED) $(3); \
	  $(UBM) features --data-dir $$a/data --embeddings-dir $$a/features --set full --seed $(SEED) --quiet $(3); \
	  $(foreach s,$(call dcn_sides,$(1),$(2)),$(call DCN_TWIN_$(s),$(2),$(3)); ) \
	done
	$(UBM) encode dcn --data-dir $(1) --features $(2)/features --windows $(DCN_WINDOWS) --train-clients $(DCN_TRAIN_CLIENTS) \
	  --train-features $(foreach k,$(dcn_ks),$(2)/dcn-asof/$(k)/features) \
	  $(foreach s,$(call dcn_sides,$(1),$(2)),--side $(2)/$(s) --side-train $(foreach k,$(dcn_ks),$(2)/dcn-asof/$(k)/$(s))) \
	  --embeddings-dir $(2)/dcn --seed $(SEED) $(3) $(DCN_ARGS)
endef
DCN_EVENTS ?=
dcn: build
	$(call dcn_chain,$(DATA),$(EMB),$(DCN_EVENTS))

# --- combine (owned by its issue) ---
# Every block dir present in EMB (features, seq, gnn, gnn-walks, dcn; the baseline is kept apart as the peer to beat),
# scaled by component, weighted, PCA above 1024 dims, <= 2048 dims, float16, rows shuffled with SEED.
# Block weights (by dir name; a block without one gets 1): the supervised DCN block at 1, the others small, because
# both probes read the propensity tasks best from the compact supervised dims (docs/dcn.md "Submission weights": over
# five fast-probe seeds mean AUROC 0.7682 vs 0.7665 for 0.3/0.3/0.1, and ahead on 4 of 6 tasks with the organisers'
# probe); the walks block at the TwHIN block's weight (docs/quality.md). WEIGHT_<name>= (empty) drops a default.
SUBMISSION ?= $(WORK)/submission
COMBINE_BLOCKS ?= $(strip $(foreach b,features seq gnn gnn-walks dcn,$(if $(wildcard $(EMB)/$(b)/block.json),$(EMB)/$(b))))
WEIGHT_features ?= 0.1
WEIGHT_seq ?= 0.2
WEIGHT_gnn ?= 0.05
WEIGHT_gnn-walks ?= 0.05
WEIGHT_dcn ?= 1
# NAME=W for every listed block dir (or NAME=DIR) whose name has a WEIGHT_<name>.
block_name = $(if $(findstring =,$(1)),$(firstword $(subst =, ,$(1))),$(notdir $(1)))
weights_of = $(strip $(foreach b,$(1),$(foreach n,$(call block_name,$(b)),$(if $(WEIGHT_$(n)),$(n)=$(WEIGHT_$(n))))))
COMBINE_WEIGHTS ?= $(call weights_of,$(COMBINE_BLOCKS))
combine: build
	@test -n "$(COMBINE_BLOCKS)" || { echo "make combine: no block dirs in $(EMB) (run make features first)" >&2; exit 2; }
	$(UBM) combine --blocks $(COMBINE_BLOCKS) $(if $(COMBINE_WEIGHTS),--weights $(COMBINE_WEIGHTS)) --embeddings-dir $(SUBMISSION) --data-dir $(DATA) --seed $(SEED)

# --- probe (owned by its issue) ---
# Scores $(EMB) on all six tasks with $(PROBE) (fast by default; official, xgboost, linear) into $(SCORES).
probe: build
	$(UBM) probe --data-dir $(DATA) --embeddings-dir $(EMB) --score-dir $(SCORES) --probe $(PROBE) --seed $(SEED)

# --- bench-probe (owned by the probes issue) ---
# Official probe throughput DJL vs Python PyTorch on this CPU (BENCH_STEPS steps, BENCH_ROUNDS alternations),
# and the fast probe on the default world; results in $(WORK)/bench/probe/results.md.
BENCH_STEPS ?= 10
BENCH_ROUNDS ?= 2
.PHONY: bench-probe
bench-probe: build synth split
	BENCH_STEPS=$(BENCH_STEPS) BENCH_ROUNDS=$(BENCH_ROUNDS) bench/probe/bench.sh $(WORK) $(DATA)

# --- ablate (owned by its issue) ---
# make ablate: every block of $(EMB) alone, all together and all but one, probed with $(PROBE); writes
# $(SCORES)/ablation/ablation.{md,csv,png}. ABLATE_BLOCKS="features=DIR seq=DIR ..." overrides; ABLATE_ARGS adds flags
# (e.g. --repeats 3, --tasks churn conversion).
ABLATE_BLOCKS ?= $(strip $(foreach b,features seq gnn gnn-walks dcn,$(if $(wildcard $(EMB)/$(b)/block.json),$(b)=$(EMB)/$(b))))
ABLATE_ARGS ?=
# The submission's block weights (see combine), so "all" is the submission.
ABLATE_WEIGHTS ?= $(call weights_of,$(ABLATE_BLOCKS))
ablate: build
	$(UBM) ablate --data-dir $(DATA) --blocks $(ABLATE_BLOCKS) $(if $(ABLATE_WEIGHTS),--weights $(ABLATE_WEIGHTS)) --probe $(PROBE) --score-dir $(SCORES)/ablation --seed $(SEED) $(ABLATE_ARGS)

# make compare: the submission against the organisers' baseline set and ubm's feature block, each probed alone with
# $(PROBE) and paired by probe seed (COMPARE_ARGS, default --repeats 5); writes $(SCORES)/compare/ablation.{md,csv,png}.
COMPARE_BLOCKS ?= submission=$(SUBMISSION) baseline=$(EMB)/baseline features=$(EMB)/features
COMPARE_ARGS ?= --repeats 5
compare: build
	$(UBM) ablate --compare --data-dir $(DATA) --blocks $(COMPARE_BLOCKS) --probe $(PROBE) --score-dir $(SCORES)/compare$(if $(filter-out fast,$(PROBE)),-$(PROBE)) --seed $(SEED) $(COMPARE_ARGS)

# --- validate (owned by its issue) ---
# The organisers' submission rules on SUBMISSION (exit 1 listing every problem).
validate: build
	$(UBM) validate --data-dir $(DATA) --embeddings-dir $(SUBMISSION)

# --- the challenge data: final submission and local evaluation ---
# make submission DATA=<challenge dir>: the final-submission chain on ALL events of DATA, as the organisers require
# (every embedding stage with --all-events; DATA need not be split and is never written): features (--set full),
# seq, gnn, gnn-walks and dcn (with its as-of dirs and their twins of seq and gnn-walks) as `make demo` builds them,
# combine with the submission weights (WEIGHT_<block>), validate; it ends with the two files the leaderboard takes.
# Resumable stage by stage: a stage whose block dir holds block.json, newer than the blocks it is made from, is skipped
# (rm -r the dir to redo it). Blocks go to $(FINAL)/emb, the submission to $(FINAL)/submission. Without DATA= it runs
# on the demo world (CLIENTS, RELEVANT, DAYS; made when missing).
FINAL ?= $(WORK)/final
FINAL_EMB ?= $(FINAL)/emb
FINAL_SUBMISSION ?= $(FINAL)/submission
FINAL_BLOCKS ?= features seq gnn gnn-walks dcn
# The target lists the chain needs (the DCN's category and sku heads, the walks' skus), checked before the first stage.
FINAL_LISTS ?= propensity_category.npy propensity_sku.npy
FINAL_CMD_features = $(UBM) features --data-dir $(DATA) --embeddings-dir $(FINAL_EMB)/features --set full --seed $(SEED) --all-events
FINAL_CMD_seq = $(UBM) encode seq --data-dir $(DATA) --embeddings-dir $(FINAL_EMB)/seq --seed $(SEED) --all-events $(SEQ_ARGS)
FINAL_CMD_gnn = $(UBM) gnn --data-dir $(DATA) --embeddings-dir $(FINAL_EMB)/gnn --method $(GNN_METHOD) --seed $(SEED) --all-events $(GNN_ARGS)
FINAL_CMD_gnn-walks = $(call walks_cmd,$(DATA),$(FINAL_EMB)/gnn-walks,--all-events)
# The DCN chain is `make dcn` on all events (DCN_EVENTS=--all-events): its labels are the last DCN_WINDOWS x 14 days of
# all events, and it trains on features and side-block twins made on the as-of dirs, never on vectors that saw them.
FINAL_CMD_dcn = $(MAKE) --no-print-directory dcn DATA=$(DATA) EMB=$(FINAL_EMB) DCN_EVENTS=--all-events
FINAL_CMD_combine = $(UBM) combine --blocks $(addprefix $(FINAL_EMB)/,$(FINAL_BLOCKS)) $(if $(call weights_of,$(FINAL_BLOCKS)),--weights $(call weights_of,$(FINAL_BLOCKS))) --embeddings-dir $(FINAL_SUBMISSION) --data-dir $(DATA) --seed $(SEED)
# $(call final_stage,NAME,DIR,INPUT DIRS): runs FINAL_CMD_NAME unless DIR/block.json exists and is newer than every
# INPUT DIR's block.json; says which.
final_stage = @stale=; for d in $(3); do if [ $$d/block.json -nt $(2)/block.json ]; then stale=$$d; fi; done; \
	if [ -f $(2)/block.json ] && [ -z "$$stale" ]; then echo "submission: $(1): done, $(2)/block.json exists (rm -r $(2) to redo it)"; \
	else echo "submission: $(1): $(FINAL_CMD_$(1))"; $(FINAL_CMD_$(1)) || exit $$?; fi
.PHONY: submission evaluate
submission: build
	@if [ "$(origin DATA)" = file ]; then echo "submission: no DATA=<challenge dir> given: the demo world $(DATA) stands in (split, for its target lists)"; $(MAKE) synth || exit $$?; \
	  test -f $(DATA)/target/run.json || $(MAKE) split || exit $$?; fi
	@test -d $(DATA) || { echo "make submission: DATA=$(DATA) is not a directory" >&2; exit 2; }
	@for f in $(FINAL_LISTS); do test -f $(DATA)/target/$$f || { echo "make submission: missing $(DATA)/target/$$f (the organisers ship it; ubm split --data-dir $(DATA) computes only the missing lists)" >&2; exit 2; }; done
	$(call final_stage,features,$(FINAL_EMB)/features,)
	$(call final_stage,seq,$(FINAL_EMB)/seq,)
	$(call final_stage,gnn,$(FINAL_EMB)/gnn,)
	$(call final_stage,gnn-walks,$(FINAL_EMB)/gnn-walks,)
	$(call final_stage,dcn,$(FINAL_EMB)/dcn,$(FINAL_EMB)/features $(FINAL_EMB)/seq $(FINAL_EMB)/gnn-walks)
	$(call final_stage,combine,$(FINAL_SUBMISSION),$(addprefix $(FINAL_EMB)/,$(FINAL_BLOCKS)))
	$(UBM) validate --data-dir $(DATA) --embeddings-dir $(FINAL_SUBMISSION)
	@echo; echo "== the two files the leaderboard takes (all events of $(DATA)):"; \
	for f in client_ids.npy embeddings.npy; do p=$$(cd $(FINAL_SUBMISSION) && pwd)/$$f; \
	  printf '%s  %s bytes (%s)\n' "$$p" "$$(stat -c %s $$p)" "$$(numfmt --to=iec-i --suffix=B $$(stat -c %s $$p))"; done

# make evaluate DATA=<challenge dir>: the local loop on the same dir: split (the target lists the dir ships are kept
# as they are; see docs/store.md), validate-data, the blocks from input/ events ($(EMB)), combine, validate and the
# fast probe of that submission ($(SUBMISSION): for scoring only, never for the leaderboard). Without DATA= it runs on
# the demo world (= make demo).
evaluate: build
	@if [ "$(origin DATA)" = file ]; then $(MAKE) synth || exit $$?; fi
	$(MAKE) split validate-data $(DEMO_BLOCKS) combine validate
	$(MAKE) probe EMB=$(SUBMISSION) SCORES=$(SCORES)/submission
	@echo; echo "== $(SCORES)/submission/report.md"; cat $(SCORES)/submission/report.md

# --- fault-test ---
# kill -9 each block-writing stage (features, encode seq, gnn, encode dcn, combine) at a few points on a tiny world in
# $(WORK)/fault, check that no killed dir holds a block another stage would accept, rerun and compare byte for byte
# with an uninterrupted run (bench/fault/kill.sh; a table, exit 1 on any failure).
.PHONY: fault-test
fault-test: build
	bench/fault/kill.sh $(WORK)/fault

# --- bench ---
# Every benchmark, one after the other (speed and memory targets are checked here, not in unit tests).
BENCHES ?= bench-features bench-seq bench-gnn bench-probe
bench: build
	$(MAKE) $(BENCHES)


clean:
	$(MVN) -q clean
	rm -rf $(WORK)
