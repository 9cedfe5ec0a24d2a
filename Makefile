# The README's commands. Each installs what is missing (Debian packages,
# scripts/install-deps.sh), builds with meson, and runs.
#   make run    build, then `mamori audit` on this machine and examples/
#   make test   build and run every test: release, ASan+UBSan, fuzzers
#   make bench  benchmarks against the peers named in each issue
#   make fuzz   run every fuzzer for a long time (FUZZ_SECONDS each)
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
MESON_SETUP = meson setup --wipe

.PHONY: all deps build run test bench fuzz clean

all: build

deps:
	@sh scripts/install-deps.sh

$(BUILD)/build.ninja:
	@sh scripts/install-deps.sh
	meson setup $(BUILD) -Dbuildtype=release -Db_ndebug=true

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@sh scripts/run-audit.sh $(BUILD)

test: deps
	@sh scripts/run-tests.sh

bench: build
	@sh scripts/install-deps.sh --bench
	@sh bench/run.sh $(BUILD)

fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz.sh $(FUZZ_BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
