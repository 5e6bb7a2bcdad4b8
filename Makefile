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
DATA ?= $(WORK)/data
EMB ?= $(WORK)/emb
SCORES ?= $(WORK)/scores
PROBE ?= fast
export OPT_OUT_TRACKING := true
export DJL_OFFLINE := true
export OMP_WAIT_POLICY := PASSIVE

.PHONY: build test test-quick demo synth split validate-data features seq gnn dcn combine probe ablate validate bench clean

build: cli/target/classpath.txt

cli/target/classpath.txt: $(shell find . -name pom.xml -not -path './work/*') $(shell find */src/main -type f 2>/dev/null)
	$(MVN) -q package -DskipTests

# The full test suite, libtorch tests included (what CI runs).
test:
	$(MVN) verify

# Skips tests tagged "torch" (they load libtorch).
test-quick:
	$(MVN) verify -Dubm.excludedGroups=torch

# The whole pipeline on the embedded default world.
demo: build
	$(MAKE) synth split validate-data
	@echo "demo: synth, split and validate-data done; later stages land with their issues"

synth: build
	@if [ -f $(DATA)/.synth-done ]; then echo "synth: $(DATA) exists (rm -r $(DATA) to regenerate)"; else \
	  $(UBM) synth --clients $(CLIENTS) --relevant-clients $(RELEVANT) --days $(DAYS) --seed $(SEED) --out $(DATA) && touch $(DATA)/.synth-done; fi

split: build
	$(UBM) split --data-dir $(DATA) --seed $(SEED)

validate-data: build
	$(UBM) validate-data --data-dir $(DATA)

# --- features (owned by its issue) ---
features:
	@echo "make $@: not built yet" >&2; exit 2

# --- seq (owned by its issue) ---
seq:
	@echo "make $@: not built yet" >&2; exit 2

# --- gnn (owned by its issue) ---
gnn:
	@echo "make $@: not built yet" >&2; exit 2

# --- dcn (owned by its issue) ---
dcn:
	@echo "make $@: not built yet" >&2; exit 2

# --- combine (owned by its issue) ---
combine:
	@echo "make $@: not built yet" >&2; exit 2

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
ablate:
	@echo "make $@: not built yet" >&2; exit 2

# --- validate (owned by its issue) ---
validate:
	@echo "make $@: not built yet" >&2; exit 2

# --- bench (owned by its issue) ---
bench:
	@echo "make $@: not built yet" >&2; exit 2


clean:
	$(MVN) -q clean
	rm -rf $(WORK)
