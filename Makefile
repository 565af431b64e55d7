# mmsim: the familiar entry points over CMake.
#   make          build (build/mmsim, build/libmmsim.a, build/libmmsim.so)
#   make run      build and run the main job on the built-in default workload
#   make test     build and pass every test, then the same suite under ASan+UBSan
#   make bench    speed and memory figures (never part of the tests)
#   make web      the browser explorer in web/dist (emscripten; open web/dist/index.html)
#   make install  cmake --install (PREFIX=/usr/local)
#   make format   lay out every C file as .clang-format says (a test checks it)
#   make fuzz     run the fuzzers (not part of make test; make test replays their corpora)
#   make fuzz-ci  each libFuzzer target for FUZZ_SECONDS (60) with ASan+UBSan, as CI does
#   make coverage line coverage per folder (gcovr); fails under 90% for arch, mm, kernel
#   make stress SECONDS=600   the long data-shadow stress (tests/stress/; not in make test)
# Missing Debian packages are installed with apt-get when run as root; otherwise the exact
# command is printed.

BUILD ?= build
ASAN_BUILD ?= build-asan
PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_FLAGS ?= --output-on-failure -j$(JOBS)

.PHONY: web all deps-build deps-test configure run test test-plain test-asan bench install clean fuzz \
	format

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

test: deps-test
	$(MAKE) --no-print-directory test-plain
	$(MAKE) --no-print-directory test-asan

test-plain:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)
	cd $(BUILD) && ctest $(CTEST_FLAGS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DMMSIM_SANITIZE=ON -DMMSIM_TESTS=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest $(CTEST_FLAGS)

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
	for t in trace_din trace_pages trace_oracle trace_champsim; do tests/fuzz/run_fuzz.sh 30 $$t; done
	tests/fuzz/run_fuzz.sh 60 script
	tests/fuzz/run_fuzz.sh 60 kernel
	tests/fuzz/run_fuzz.sh 60 walk
	cd $(BUILD) && python3 ../tests/fuzz/random_scripts.py ./mmsim 1 500

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
