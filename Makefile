# Makefile for the activation-policy simulator. Plain GNU make; pkg-config for
# gsl, libconfig and hdf5. `make run` and `make test` are the two set-up commands.

# Optional MPI sweeps (sim sweep under mpirun): `make WITH_MPI=1` builds with mpicc
# and -DSIM_WITH_MPI into build-mpi/ (Debian libopenmpi-dev); `make test-mpi` tests it.
ifeq ($(WITH_MPI),1)
CC      := mpicc
BUILD   ?= build-mpi
MPI_CFLAGS := -DSIM_WITH_MPI
endif
CC      ?= cc
BUILD   ?= build
PKGS    := gsl libconfig hdf5 nlopt libmicrohttpd
WARN    := -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
GEN     := $(BUILD)/gen
CFLAGS  = -std=c11 $(WARN) $(OPT) -fopenmp -MMD -MP -DHAVE_INLINE -I$(GEN) \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(MPI_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhdf5_hl -lm
LDFLAGS = -fopenmp $(EXTRA_LDFLAGS)

# The layers (docs/architecture.md): sim/core (the engine), sim/io (scenario
# reader and output writer), models/, sim/app (the commands; cli.c holds main).
CORE_SRC  := $(wildcard sim/core/*.c)
IO_SRC    := $(wildcard sim/io/*.c)
MODEL_SRC := $(wildcard models/*.c)
APP_SRC   := $(filter-out sim/app/cli.c,$(wildcard sim/app/*.c))
LIB_SRC   := $(CORE_SRC) $(IO_SRC) $(MODEL_SRC) $(APP_SRC)
OBJ       := $(BUILD)/obj
LIB_OBJ   := $(LIB_SRC:%.c=$(OBJ)/%.o)
CORE_OBJ  := $(CORE_SRC:%.c=$(OBJ)/%.o)
TEST_SRC  := $(wildcard tests/test_*.c)
TESTS     := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
# The core's unit tests link against the core library alone, with GSL as the only
# library: they prove the core builds without sim/io, models/ and sim/app.
CORE_TESTS := $(patsubst %,$(BUILD)/tests/%,test_evq test_rng test_engine test_pages)
CORE_LDLIBS = $(shell pkg-config --libs gsl 2>/dev/null) -lm
BENCH     := $(BUILD)/bench/mm1

.PHONY: all run test bench check-asan clean deps test-deps shuffle
all: $(BUILD)/sim $(TESTS) $(BENCH)

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

# Every object waits for the generated headers (order-only); the files that
# include them depend on them through their .d files and recompile when they change.
$(OBJ)/%.o: %.c | $(GEN)/sim_git.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The source revision (sim/io/version.h): scripts/version.sh runs at every make and
# rewrites the header only when the commit or its -dirty mark changed.
$(GEN)/sim_git.h: FORCE
	@scripts/version.sh $@

.PHONY: FORCE
FORCE:

# Objects built on the way to a program (tests/, bench/) are kept: as intermediate files make
# deleted them after a fresh build, and the next `make all` or `make run` compiled them again.
.SECONDARY:

$(BUILD)/libsim.a: $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libsimcore.a: $(CORE_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/sim: $(OBJ)/sim/app/cli.o $(BUILD)/libsim.a
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(CORE_TESTS): $(BUILD)/tests/%: $(OBJ)/tests/%.o $(BUILD)/libsimcore.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(CORE_LDLIBS) -o $@

$(BUILD)/tests/%: $(OBJ)/tests/%.o $(BUILD)/libsim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/bench/%: $(OBJ)/bench/%.o $(BUILD)/libsim.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The national baseline once the labour-market model exists; until then M/M/1.
RUN_SCENARIO ?= $(firstword $(wildcard scenarios/base.cfg) scenarios/mm1.cfg)
run: deps
	@$(MAKE) --no-print-directory all
	$(BUILD)/sim run $(RUN_SCENARIO)
	@o=results/$(basename $(notdir $(RUN_SCENARIO))); py=$$(for p in python3 /usr/bin/python3; do $$p -c 'import h5py, matplotlib' 2>/dev/null && { echo $$p; break; }; done); if [ -n "$$py" ] && $$py -m analysis.charts series $$o.h5 -o $$o-series.png; then echo "chart: $$o-series.png"; else echo "chart: not written (needs python3 with h5py and matplotlib: apt-get install python3-matplotlib)"; fi

# Tests run JOBS at a time (tests/run-all.sh); `make test JOBS=1` runs them one after another.
JOBS ?= $(shell nproc 2>/dev/null || echo 1)
test: test-deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory shuffle
	@BUILD=$(BUILD) JOBS=$(JOBS) tests/run-all.sh

# Determinism stress: the same sources with equal-time events processed in a
# scrambled order (SIM_SHUFFLE_TIES in sim/core/evq.c); tests/test_shuffle.sh compares.
shuffle:
	@$(MAKE) --no-print-directory BUILD=build-shuffle EXTRA_CFLAGS=-DSIM_SHUFFLE_TIES build-shuffle/sim

# The sweep tests with the MPI build, including mpirun -np 1 and 2 (not part of `make test`).
.PHONY: test-mpi
test-mpi: test-deps
	@command -v mpicc >/dev/null 2>&1 || { echo "test-mpi: installing OpenMPI (Debian)"; \
	  $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq libopenmpi-dev openmpi-bin >/dev/null; }
	@$(MAKE) --no-print-directory WITH_MPI=1 all
	@BUILD=build-mpi SWEEP_MPI=1 tests/test_sweep.sh

# The Slurm scripts on a real single-node Slurm: installs slurm-wlm and munge if needed,
# starts private daemons on localhost, runs the array + merge (needs root; not part of `make test`).
.PHONY: test-slurm
test-slurm: test-deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	@BUILD=$(BUILD) tests/slurm/test-slurm.sh

# The calibrated history against public statistics at full scale (issue 13): the table
# of docs/validation.md (about 20 seconds on 2 cores with 8 replications, 2026-12-02).
VALIDATE_REPS ?= 8
.PHONY: validate
validate: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	$(BUILD)/sim calibrate --check scenarios/history.cfg scenarios/targets/history.cfg \
	  -r $(VALIDATE_REPS) --markdown docs/validation-table.md; true
	@python3 scripts/validation-doc.py docs/validation-table.md docs/validation.md && rm -f docs/validation-table.md

# docs/validation.md's prose again from the table it already holds (after a page it quotes changed).
VALIDATION_PROSE = awk '/^<!-- generated by/ {on = 1} on {print} /^[0-9]+ replications at population scale/ {exit}' \
  docs/validation.md > docs/validation-table.md && python3 scripts/validation-doc.py docs/validation-table.md \
  docs/validation.md && rm -f docs/validation-table.md

# Can a labour-market channel make the model's outflow fall as CBS's did in 2022-2023
# (docs/validation.md, "Where the 2023 miss comes from")? Depletion, adaptation and no exit
# response, each a change to the fitted model, scale 0.2, 4 replications (under a minute on 2
# cores). Writes docs/outflow-channels.md, then docs/validation.md's prose from its own table.
.PHONY: outflow-channels
outflow-channels: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	python3 scripts/outflow-channels.py --sim $(BUILD)/sim -o docs/outflow-channels.md
	@$(VALIDATION_PROSE)

# Two of those channels refitted (the 14 parameters and one more, scale 0.2, 8 replications; about
# 15 minutes on 2 cores): docs/outflow-refits.md, then docs/validation.md's prose.
.PHONY: outflow-refits
outflow-refits: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	python3 scripts/outflow-channels.py --refits --sim $(BUILD)/sim -o docs/outflow-refits.md
	@$(VALIDATION_PROSE)

# The outflow and young-inflow channels fitted to 2022-2023 and tested on CBS's 2024
# (scenarios/history-2024.cfg) and, nothing refitted, on 2025 (scenarios/history-2025.cfg): the
# fit again (checked against the levels in the two parts) and from a second start, the full-scale
# table, the model without the channels, CBS's own 2023-2024 tension, the held-out year 2025, the
# levels' uncertainty (4-5 minutes on 2 cores: 4.7 measured with a test suite sharing them, 2026-12-03; 11 on busier ones). Writes docs/validation-2024.md.
.PHONY: validate-2024
validate-2024: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	python3 scripts/validation-2024.py --sim $(BUILD)/sim -o docs/validation-2024.md

# How well the history pins the calibrated parameters down (docs/calibration.md): the
# targets' Jacobian at the shipped values, scale 0.2, 8 replications, 2 runs per
# parameter, and 40 parameter sets drawn from the result to check the linearisation (about
# 5 minutes on 2 cores). Writes docs/calibration-uncertainty.md,
# results/history.h5 and results/history-uncertainty.cfg (all 14 parameters), and
# scenarios/parts/uncertainty-calibration.cfg (the parameters the policy scenarios use),
# and docs/parameters.md and docs/validation.md (its prose quotes the spread), from their
# own tables.
CALIB_UNC_KEYS = labour_market.population.inflow_per_month labour_market.hazards.self_exit_median_months \
  labour_market.hazards.other_exit_per_month labour_market.population.inflow_young_share \
  'labour_market.hazards.age_multipliers.[0]'
.PHONY: calibration-uncertainty
calibration-uncertainty: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	@mkdir -p results
	$(BUILD)/sim calibrate --check --uncertainty --draws 40 scenarios/history.cfg scenarios/targets/history.cfg -r 8 --scale 0.2 \
	  -o results/history.h5 --markdown docs/calibration-uncertainty.md
	@PY=$$(sh -c '. tests/pyfind.sh; echo $$PY'); [ -n "$$PY" ] || { echo "make calibration-uncertainty: no python3 with h5py"; exit 1; }; \
	  $$PY scripts/uncertainty-part.py results/history.h5 scenarios/parts/uncertainty-calibration.cfg $(CALIB_UNC_KEYS)
	python3 scripts/params-table.py scenarios/base.cfg > docs/parameters.md
	@$(VALIDATION_PROSE)

# The calibrated parameters' posterior by simulation (docs/calibration.md, "The posterior
# through an emulator"): two records of runs around the fit (`sim calibrate --posterior`
# with 4 adaptive rounds, and with 1 round and 40 draws; each exits 1 when its own
# importance sampling is not usable, which is expected here and keeps the record), then
# four rounds of scripts/emulator-posterior.py, each fitting the emulator to every run
# before it and adding its own (sequential design: the runs go where the chain goes, and
# the emulator learns where it was wrong). The last round's weighted runs become the 5
# parameters of CALIB_UNC_KEYS as one sample entry in
# scenarios/parts/uncertainty-calibration-posterior.cfg (refused when the posterior is not
# to be used). Writes docs/calibration-posterior.md and results/history-*.h5 (about 75
# minutes on 2 cores).
EMU = $$PY scripts/emulator-posterior.py scenarios/history.cfg scenarios/targets/history.cfg
EMU_RUNS = --sim $(BUILD)/sim -- -r 8 --scale 0.2
.PHONY: calibration-posterior
calibration-posterior: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	@mkdir -p results
	$(BUILD)/sim calibrate --check --uncertainty --posterior 200 scenarios/history.cfg scenarios/targets/history.cfg \
	  -r 8 --scale 0.2 -q -o results/history-posterior.h5 || [ $$? -eq 1 ]
	$(BUILD)/sim calibrate --check --uncertainty --posterior 200 --rounds 1 --draws 40 scenarios/history.cfg \
	  scenarios/targets/history.cfg -r 8 --scale 0.2 -q -o results/history-posterior-1.h5 || [ $$? -eq 1 ]
	@PY=$$(sh -c '. tests/pyfind.sh; echo $$PY'); [ -n "$$PY" ] || { echo "make calibration-posterior: no python3 with h5py"; exit 1; }; \
	  R=results/history; set -e; \
	  $(EMU) $$R-posterior.h5 $$R-posterior-1.h5 -o $$R-emulator.h5 $(EMU_RUNS); \
	  $(EMU) $$R-posterior.h5 $$R-posterior-1.h5 $$R-emulator.h5 -o $$R-emulator-2.h5 --seed 2 $(EMU_RUNS); \
	  $(EMU) $$R-posterior.h5 $$R-posterior-1.h5 -o $$R-emulator-120.h5 --runs 120 $(EMU_RUNS); \
	  $(EMU) $$R-posterior.h5 $$R-posterior-1.h5 $$R-emulator.h5 $$R-emulator-2.h5 $$R-emulator-120.h5 \
	    -o $$R-emulator-3.h5 --runs 120 --seed 3 --markdown docs/calibration-posterior.md $(EMU_RUNS); \
	  $$PY scripts/uncertainty-part.py --sample $$R-emulator-3.h5 \
	    scenarios/parts/uncertainty-calibration-posterior.cfg $(CALIB_UNC_KEYS)

# What the posterior of make calibration-posterior predicts for every target, the blind test
# of 2023 included (docs/validation.md): round 3's 120 weighted draws run again, scale 0.2, 8
# replications (about 15 minutes on 2 cores). Writes docs/posterior-predictive.md.
.PHONY: posterior-predictive
posterior-predictive: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	@for f in results/history-emulator-3.h5 results/history-posterior.h5; do [ -f $$f ] || \
	  { echo "make posterior-predictive: no $$f (make calibration-posterior writes it)"; exit 1; }; done
	@PY=$$(sh -c '. tests/pyfind.sh; echo $$PY'); [ -n "$$PY" ] || { echo "make posterior-predictive: no python3 with h5py"; exit 1; }; \
	  $$PY scripts/posterior-predict.py scenarios/history.cfg scenarios/targets/history.cfg results/history-emulator-3.h5 \
	    --uncertainty results/history-posterior.h5 --markdown docs/posterior-predictive.md --sim $(BUILD)/sim -- -r 8 --scale 0.2

# The headline table of docs/scenarios.md: 10 scenarios x 20 national replications (about 4 minutes
# on 2 cores: the policy scenarios continue from a shared burn-in; 2026-12-02).
.PHONY: headline
headline: deps
	@$(MAKE) --no-print-directory $(BUILD)/sim
	@PY=$$(sh -c '. tests/pyfind.sh; echo $$PY'); [ -n "$$PY" ] || { echo "make headline: no python3 with h5py"; exit 1; }; \
	  BUILD=$(BUILD) $$PY scripts/headline.py --doc docs/scenarios.md

bench: deps
	@$(MAKE) --no-print-directory all
	$(BENCH)
	SIM=$(BUILD)/sim bench/model.sh

# Sanitizer tier: a separate build tree, the whole suite.
check-asan: test-deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" all
	@BUILD=build-asan JOBS=$(JOBS) ASAN_OPTIONS=detect_leaks=1 tests/run-all.sh

# Fuzzing (libFuzzer, clang from Debian): scenario text -> sim_config_parse -> the
# models' configure -> unknown keys, built from the library sources with ASan+UBSan.
# Seeds: the scenarios (includes flattened) and tests/bad-input; findings (crash-*,
# leak-*, timeout-*) land in build-fuzz/. `make fuzz FUZZ_SECONDS=900` for a long run.
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -std=c11 -g -O1 -fno-omit-frame-pointer -fopenmp -DHAVE_INLINE \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
.PHONY: fuzz
fuzz: deps
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "fuzz: installing clang (Debian)"; \
	  $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@$(MAKE) --no-print-directory build-fuzz/fuzz_config
	@mkdir -p build-fuzz/corpus && rm -rf build-fuzz/seeds
	@python3 tests/bad-input/make-corpus.py --fuzz-seeds build-fuzz/seeds
	LSAN_OPTIONS=suppressions=tests/fuzz/lsan.supp:print_suppressions=0 \
	build-fuzz/fuzz_config -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	  -dict=build-fuzz/seeds/scenario.dict -artifact_prefix=build-fuzz/ \
	  $(FUZZ_ARGS) build-fuzz/corpus build-fuzz/seeds/cfg tests/bad-input

build-fuzz/fuzz_config: tests/fuzz/fuzz_config.c $(LIB_SRC) $(wildcard sim/*/*.h models/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	  tests/fuzz/fuzz_config.c $(LIB_SRC) $(LDLIBS) -o $@

# The HDF5 reader side (sim info, sim compare, sim merge) on mutated output files.
.PHONY: fuzz-h5
fuzz-h5: all
	@command -v $(FUZZ_CC) >/dev/null 2>&1 || { echo "fuzz: installing clang (Debian)"; \
	  $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y -qq clang libclang-rt-14-dev >/dev/null; }
	@$(MAKE) --no-print-directory build-fuzz/fuzz_h5
	@mkdir -p build-fuzz/h5seeds build-fuzz/h5corpus
	@$(BUILD)/sim run scenarios/baseline.cfg -q -r 2 --set labour_market.scale=0.005 -o build-fuzz/h5seeds/base.h5
	@$(BUILD)/sim run scenarios/mm1.cfg -q -r 2 -d events --set mm1.customers=200 -o build-fuzz/h5seeds/mm1.h5
	@$(BUILD)/sim sweep tests/fuzz/sweep-seed.cfg -q --force -o build-fuzz/h5seeds/sweep
	@$(BUILD)/sim merge --series build-fuzz/h5seeds/sweep -o build-fuzz/h5seeds/merged.h5 -q   # sim info's merged-file path
	# Leak checks off while fuzzing: HDF5 1.10.8 itself leaks on some error paths of
	# damaged files; the replay below separates those from ours. The harness checks
	# that no HDF5 handle stays open. -close_fd_mask=3: the target's own messages are
	# silenced; libFuzzer's and the sanitizers' reports still print.
	ASAN_OPTIONS=detect_leaks=0 build-fuzz/fuzz_h5 -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	  -print_final_stats=1 -detect_leaks=0 -close_fd_mask=3 \
	  -artifact_prefix=build-fuzz/ $(FUZZ_ARGS) build-fuzz/h5corpus build-fuzz/h5seeds
	@tests/fuzz/replay-leaks.sh build-fuzz/fuzz_h5 build-fuzz/h5corpus build-fuzz/h5seeds

build-fuzz/fuzz_h5: tests/fuzz/fuzz_h5.c $(LIB_SRC) $(wildcard sim/*/*.h models/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
	  tests/fuzz/fuzz_h5.c $(LIB_SRC) $(LDLIBS) -o $@

# Install (issue 16): the binary, the Python analysis package (sim report runs it as
# `python3 -m analysis.report` from PREFIX/share/bijstand-sim; others put that directory
# on PYTHONPATH), a man page generated by help2man from `sim --help`, and bash
# completion. `make uninstall` removes exactly these files (and Python's bytecode cache).
PREFIX  ?= /usr/local
DESTDIR ?=
INST_BIN  = $(DESTDIR)$(PREFIX)/bin
INST_DATA = $(DESTDIR)$(PREFIX)/share/bijstand-sim
INST_MAN  = $(DESTDIR)$(PREFIX)/share/man/man1
INST_COMP = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
ANALYSIS_PY := $(wildcard analysis/*.py)
ANALYSIS_TPL := $(wildcard analysis/templates/*.j2)
.PHONY: install uninstall
$(BUILD)/sim.1: $(BUILD)/sim
	@command -v help2man >/dev/null 2>&1 || scripts/deps.sh install
	help2man --no-info --no-discard-stderr --name="discrete-event simulator of activation policy (Dutch bijstand)" \
	  --output=$@.tmp $(BUILD)/sim && mv $@.tmp $@
install: $(BUILD)/sim $(BUILD)/sim.1
	install -d $(INST_BIN) $(INST_DATA)/analysis/templates $(INST_MAN) $(INST_COMP)
	install -m 755 $(BUILD)/sim $(INST_BIN)/sim
	install -m 644 $(ANALYSIS_PY) analysis/README.md $(INST_DATA)/analysis/
	install -m 644 $(ANALYSIS_TPL) $(INST_DATA)/analysis/templates/
	install -m 644 $(BUILD)/sim.1 $(INST_MAN)/sim.1
	install -m 644 scripts/sim-completion.bash $(INST_COMP)/sim
uninstall:
	rm -f $(INST_BIN)/sim $(INST_MAN)/sim.1 $(INST_COMP)/sim \
	  $(addprefix $(INST_DATA)/analysis/,$(notdir $(ANALYSIS_PY)) README.md) \
	  $(addprefix $(INST_DATA)/analysis/templates/,$(notdir $(ANALYSIS_TPL)))
	rm -rf $(INST_DATA)/analysis/__pycache__
	-rmdir $(INST_DATA)/analysis/templates $(INST_DATA)/analysis $(INST_DATA) 2>/dev/null

# Build trees only: the user's results/ (run outputs) are never deleted.
clean:
	rm -rf build build-asan build-fuzz build-mpi build-shuffle

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
