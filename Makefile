# The README's commands. Each installs what is missing (Debian packages,
# scripts/install-deps.sh), builds with meson, and runs.
#   make run        build, then `mamori audit` on this machine and examples/
#   make test       build and run every test: release, ASan+UBSan (and each
#                   allocation made to fail), ThreadSanitizer, fuzzers
#   make bench      benchmarks against the peers named in each issue
#   make fuzz       run every fuzzer for a long time (FUZZ_SECONDS each)
#   make install    the command, libmamori, headers, mamori.pc, man pages,
#                   completion under PREFIX (/usr/local), staged under
#                   DESTDIR if set; pam_mamori.so always where PAM looks
#   make uninstall  removes what the last `make install` installed
#   make wordlists  fetch the npm word lists again and rebuild the
#                   password data (after an offline first build)
#   make deb        the Debian packages (debian/) into DEB_DIR, checked
#                   by lintian, then installed, run and purged in a
#                   throwaway root (scripts/deb-test.sh; needs root)
# `make run` installs only what building and running need; `make test`,
# `make fuzz` and `make bench` add the test stack (and bench's peers).
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 600
DEB_DIR    ?= build-deb
PREFIX     ?= /usr/local
DESTDIR    ?=
MESON_SETUP = meson setup --wipe

.PHONY: all deps deps-test build run test bench fuzz install uninstall \
	wordlists deb clean

all: build

deps:
	@sh scripts/install-deps.sh

deps-test:
	@sh scripts/install-deps.sh --test

# `make run` builds without the tests (their libraries come with `make
# test`, which switches them on in the same build directory).
$(BUILD)/build.ninja: deps
	meson setup $(BUILD) -Dbuildtype=release -Db_ndebug=true -Dtests=false \
		--prefix=$(PREFIX)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@sh scripts/run-audit.sh $(BUILD)

test: deps-test
	@sh scripts/run-tests.sh

bench: build
	@sh scripts/install-deps.sh --bench
	@sh bench/run.sh $(BUILD)

fuzz: deps-test
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh scripts/fuzz.sh $(FUZZ_BUILD)

# meson install does the work; DESTDIR stages (packaging, tests). On a
# real install, ldconfig makes libmamori.so.1 known to ld.so and mandb
# indexes the man pages for apropos (`man mamori` works without it).
install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	meson install -C $(BUILD) --destdir "$(DESTDIR)"
	@if [ -z "$(DESTDIR)" ]; then \
		ldconfig; command -v mandb >/dev/null && mandb -q || true; fi

# meson's uninstall removes the files its last install wrote (the list is
# in $(BUILD)/meson-logs/install-log.txt, DESTDIR included).
uninstall:
	ninja -C $(BUILD) uninstall
	@rmdir "$(DESTDIR)$(PREFIX)/include/mamori" 2>/dev/null || true
	@if [ -z "$(DESTDIR)" ]; then ldconfig; fi

wordlists:
	@sh scripts/fetch-wordlists.sh
	rm -f $(BUILD)/lib/password/pw_dict_data.c
	@[ ! -f $(BUILD)/build.ninja ] || ninja -C $(BUILD)

# The packages are built from a copy of the tree, without the tests
# (nocheck: they are `make test`'s); the throwaway root is an overlay on
# / in a private namespace, so this machine's / is never written.
deb: deps-test
	DEB_BUILD_OPTIONS="nocheck parallel=$$(nproc) $(DEB_BUILD_OPTIONS)" sh scripts/build-deb.sh $(DEB_DIR)
	sh scripts/deb-test.sh $(DEB_DIR)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(DEB_DIR)
