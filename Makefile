# mmsim: the familiar entry points over CMake.
#   make          build (build/mmsim, build/libmmsim.a, build/libmmsim.so)
#   make run      build and run the main job on the built-in default workload
#   make test     build and pass every test (with the coverage gate), then the same suite
#                 under ASan+UBSan at -O1 (less the browser and source checks; the
#                 heaviest differential tests run part of their cases there, "quick"),
#                 then each fuzz target for 30 s (make fuzz-ci)
#   make test-plain   the suite alone, on the plain build (quickest while developing)
#   make bench    speed and memory figures (never part of the tests)
#   make web      the browser explorer in web/dist (emscripten; open web/dist/index.html)
#   make install  cmake --install (PREFIX=/usr/local)
#   make format   lay out every C file as .clang-format says (a test checks it)
#   make fuzz     run the fuzzers (not part of make test; make test replays their corpora)
#   make fuzz-ci  each libFuzzer target for FUZZ_SECONDS (30) with ASan+UBSan, as CI does
#   make coverage line coverage per folder (gcovr); fails under 90% for arch, mm, kernel
#   make stress SECONDS=600   the long data-shadow stress (tests/stress/; not in make test)
# Missing Debian packages are installed with apt-get when run as root; otherwise the exact
# command is printed.

BUILD ?= build
ASAN_BUILD ?= build-asan
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_FLAGS ?= --output-on-failure -j$(JOBS)
COV_BUILD ?= build-cov
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 30
# Under ASan, the tests that run no instrumented mmsim code are left out: the browser page
# (its own emscripten build) and the source checks (format, layers, exports, test mirror).
# make test runs them in its coverage stage; make test-asan ASAN_CTEST_EXCLUDE= runs all.
ASAN_CTEST_EXCLUDE ?= -E '^(web_|style_)'
# -O1, as the sanitizers' documentation advises for usable speed: -O0 made the ASan stage
# about 1.5 times slower on compute-heavy tests (the sort workload: 5.5 s against 3.7 s).
ASAN_OPT ?= -O1 -g -fno-optimize-sibling-calls
FUZZ_TARGETS = trace trace_din trace_pages trace_oracle trace_champsim trace_csv script kernel walk
SECONDS ?= 60
SEEDS ?= 4

.PHONY: web all deps-build deps-test configure run test test-plain test-asan bench install clean fuzz \
	format fuzz-ci coverage stress

all: configure
	cmake --build $(BUILD) -j$(JOBS)

deps-build:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

configure: deps-build
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_TESTS=$(if $(filter test test-plain,$(MAKECMDGOALS)),ON,$(if $(wildcard /usr/include/criterion/criterion.h),ON,OFF)) >/dev/null

run: all
	$(BUILD)/mmsim run

# The suite runs on a build with line coverage (same optimisation as the plain build), so one
# pass both tests and checks the coverage gate; then again under ASan+UBSan; then every
# fuzz target for FUZZ_SECONDS (issue 17: CI fuzzes each target and gates coverage).
test: deps-test
	$(MAKE) --no-print-directory coverage
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory fuzz-ci

test-plain:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)
	cd $(BUILD) && ctest $(CTEST_FLAGS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="$(ASAN_OPT)" -DMMSIM_SANITIZE=ON -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest $(CTEST_FLAGS) $(ASAN_CTEST_EXCLUDE)

bench: configure
	cmake --build $(BUILD) -j$(JOBS) --target benches
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] && { echo "== $$(basename $$b)"; "$$b"; }; done

web:
	@scripts/deps.sh web
	web/build.sh web/dist

install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

format:
	git ls-files '*.c' '*.h' | xargs clang-format -i

fuzz: all
	tests/fuzz/run_fuzz.sh 60 trace
	for t in trace_din trace_pages trace_oracle trace_champsim trace_csv; do tests/fuzz/run_fuzz.sh 30 $$t; done
	tests/fuzz/run_fuzz.sh 60 script
	tests/fuzz/run_fuzz.sh 60 kernel
	tests/fuzz/run_fuzz.sh 60 walk
	cd $(BUILD) && python3 ../tests/fuzz/random_scripts.py ./mmsim 1 500

# Every libFuzzer target for FUZZ_SECONDS, JOBS at a time; any crash, leak or timeout fails
# (the input is kept as $(FUZZ_DIR)/crash-*, the log as $(FUZZ_DIR)/TARGET.log).
fuzz-ci:
	@scripts/deps.sh fuzz
	@mkdir -p $(FUZZ_DIR)
	@printf '%s\n' $(FUZZ_TARGETS) | xargs -P $(JOBS) -I{} sh -c \
		'if tests/fuzz/run_fuzz.sh $(FUZZ_SECONDS) {} >$(FUZZ_DIR)/{}.log 2>&1; then \
			echo "fuzz {}: $$(grep -m1 "stat::number_of_executed_units" $(FUZZ_DIR)/{}.log | \
				awk "{ print \$$2 }") runs in $(FUZZ_SECONDS) s, no crash"; \
		else tail -40 $(FUZZ_DIR)/{}.log; echo "fuzz {}: FAILED (log $(FUZZ_DIR)/{}.log)"; exit 255; fi'

# Line coverage of the whole suite per src/ folder; fails under 90% for arch, mm and kernel.
coverage:
	@scripts/deps.sh test
	@cmake -S . -B $(COV_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_COVERAGE=ON -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(COV_BUILD) -j$(JOBS)
	find $(COV_BUILD) -name '*.gcda' -delete
	cd $(COV_BUILD) && ctest $(CTEST_FLAGS)
	python3 scripts/coverage.py $(COV_BUILD) 90 arch mm kernel

# The long data-shadow stress: SEEDS machines a round, rounds for SECONDS.
stress:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS) --target mmsim_stress
	$(BUILD)/mmsim_stress --seconds $(SECONDS) --seeds $(SEEDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(COV_BUILD) $(FUZZ_DIR)
