# incident-tui - a war-room incident dashboard for the terminal.
#
#   make run      install what is missing, build, open the demo database
#   make check    install what the tests need, build, run every test
#   make bench    print the speed figures (bench/)
#   make asan     run the tests under AddressSanitizer and UBSan
#   make fuzz     run every fuzz target (fuzz/) for FUZZ_SECS seconds each
#   make tsan     run the tests under ThreadSanitizer
#   make memcheck valgrind on the command line and a dashboard session
#   make install  PREFIX=/usr/local DESTDIR= (binary, share/, man page)

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DATAROOT  ?= $(PREFIX)/share
DATADIR   ?= $(DATAROOT)/incident-tui
MANDIR    ?= $(DATAROOT)/man/man1
DESTDIR   ?=
PKG_CONFIG ?= pkg-config
CC        ?= cc
BUILD     ?= build

# libcurl is compiled against but not linked: only the metrics poller needs
# HTTP, and linking it (with OpenSSL, Kerberos, LDAP...) costs every process
# ~4 ms at start-up, more than a whole timeline write.  It is dlopen()ed on
# first use instead.  So is GNU libmicrohttpd, which only the webhook
# receiver needs, and libpq (~4.5 ms), which only a PostgreSQL location
# needs.
PKGS      = ncursesw sqlite3 libcurl libmicrohttpd jansson nettle libpq
LINK_PKGS = ncursesw sqlite3 jansson nettle
CFLAGS   ?= -O2 -g
WARN      = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wundef -Wpointer-arith \
            -Wcast-qual -Wvla
ALL_CPPFLAGS = -Iinclude -D_GNU_SOURCE -DITUI_VERSION='"$(VERSION)"' \
            -DITUI_DATADIR='"$(DATADIR)"' $(CPPFLAGS)
ALL_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -MMD -MP
# Evaluated when a recipe runs, i.e. after scripts/deps.sh installed them.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(LINK_PKGS)) -lpthread -ldl

SRCS  := $(sort $(wildcard src/*.c))
OBJS  := $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS := $(filter-out $(BUILD)/main.o,$(OBJS))
TSRCS := $(sort $(wildcard tests/*.c))
TOBJS := $(TSRCS:tests/%.c=$(BUILD)/tests/%.o)
BIN   := $(BUILD)/incident-tui
TBIN  := $(BUILD)/unit-tests
# fuzz/NAME.c is a target; fuzz_util.c and replay.c are shared by them.
FUZZ_TARGETS := $(sort $(basename $(notdir $(filter-out fuzz/replay.c \
                    fuzz/fuzz_util.c,$(wildcard fuzz/*.c)))))
FUZZ_SECS ?= 30
DEMO_DB ?= $(BUILD)/demo.db

.PHONY: all run check test deps deps-test bench bench-pg bench-writers asan tsan install \
        uninstall \
        clean format format-check lint-man lint-layers fuzz fuzz-run \
        fuzz-replay memcheck

all: $(BIN)

$(BIN): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(PKG_LIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)/tests
	$(CC) $(ALL_CPPFLAGS) -std=c11 -Wall -Wextra $(CFLAGS) -MMD -MP \
	    $(PKG_CFLAGS) -c -o $@ $<

$(TBIN): $(LIBOBJS) $(TOBJS)
	$(CC) $(LDFLAGS) -o $@ $(LIBOBJS) $(TOBJS) $(PKG_LIBS) -lcriterion

$(BUILD) $(BUILD)/tests:
	mkdir -p $@

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory all
	@test -f $(DEMO_DB) || ./$(BIN) --db $(DEMO_DB) demo
	./$(BIN) --db $(DEMO_DB)

check: deps-test
	@$(MAKE) --no-print-directory all $(TBIN)
	@$(MAKE) --no-print-directory lint-man lint-layers format-check
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory fuzz-replay

# One Criterion binary, so the run ends with one summary line.
# The PostgreSQL suites use a throwaway cluster that lives for the run.
test: $(BIN) $(TBIN)
	ITUI_BIN=$(abspath $(BIN)) ITUI_SRCDIR=$(CURDIR) \
	    INCIDENT_TUI_SHARE=$(CURDIR)/share/incident-tui \
	    scripts/pg-cluster.sh run ./$(TBIN) --jobs 2 $(TESTFLAGS)

lint-man:
	mandoc -Tlint -W warning incident-tui.1

# Only the interface may include curses; only the store and db speak SQL;
# the interface reaches the store only through dash.h and the verbs.
lint-layers:
	@bad=$$(grep -lE '#include <(n?curses|ncursesw/curses)\.h>' src/*.c include/itui/*.h | grep -vE '/(ui|view)[^/]*\.[ch]$$' || true); \
	if [ -n "$$bad" ]; then echo "curses included outside the interface: $$bad" >&2; exit 1; fi
	@bad=$$(grep -l 'sqlite3\.h' src/*.c include/itui/*.h | grep -vE '/(store|db)[^/]*\.[ch]$$' || true); \
	if [ -n "$$bad" ]; then echo "SQLite used outside the store: $$bad" >&2; exit 1; fi
	@bad=$$(grep -l 'itui/store-int\.h' src/*.c include/itui/*.h | grep -vE '/store[^/]*\.[ch]$$' || true); \
	if [ -n "$$bad" ]; then echo "the store's internals used outside the store: $$bad" >&2; exit 1; fi
	@bad=$$(grep -lE '\bstore_[a-z_]+ *\(' src/ui*.c src/view*.c 2>/dev/null || true); \
	if [ -n "$$bad" ]; then echo "the interface calls the store (use dash.h and the verbs): $$bad" >&2; exit 1; fi

format:
	clang-format -i src/*.c include/itui/*.h tests/*.c tests/*.h fuzz/*.c fuzz/*.h

format-check:
	@clang-format --dry-run -Werror src/*.c include/itui/*.h tests/*.c tests/*.h \
	    fuzz/*.c fuzz/*.h

asan: deps-test
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    $(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
	    LDFLAGS='-fsanitize=address,undefined' test fuzz-replay

# ThreadSanitizer on the program (the poller is its other thread), driven
# by the ordinary test binary: Criterion's runner cannot start under TSan.
tsan: deps-test
	@$(MAKE) --no-print-directory BUILD=build-tsan \
	    CFLAGS='-O1 -g -fsanitize=thread' LDFLAGS='-fsanitize=thread' \
	    build-tsan/incident-tui
	@$(MAKE) --no-print-directory $(TBIN)
	@rm -f build-tsan/tsan.*
	TSAN_OPTIONS=log_path=$(CURDIR)/build-tsan/tsan \
	    ITUI_BIN=$(abspath build-tsan/incident-tui) ITUI_SRCDIR=$(CURDIR) \
	    INCIDENT_TUI_SHARE=$(CURDIR)/share/incident-tui \
	    ./$(TBIN) --jobs 2 $(TESTFLAGS)
	@if ls build-tsan/tsan.* >/dev/null 2>&1; then cat build-tsan/tsan.*; \
	    echo "ThreadSanitizer reported the races above" >&2; exit 1; fi

# The dashboard figures are measured beside a reference build in the same
# run: by default the last commit before the verb layer (issue 9), so a
# regression it brought shows as a ratio.  BENCH_REF= measures this build only.
BENCH_REF ?= 054cba8
REF_DIR    = $(BUILD)/ref
# The writers' figures (bench/writers.sh) beside the last commit before the
# writers' queue (issue 16).  BENCH_WRITERS_REF= measures this build only.
BENCH_WRITERS_REF ?= 743f7f0
WREF_DIR    = $(BUILD)/ref-writers

# No invalid access and no definite or indirect leak (scripts/memcheck.sh).
memcheck: deps-test
	@$(MAKE) --no-print-directory all
	INCIDENT_TUI_SHARE=$(CURDIR)/share/incident-tui \
	    scripts/memcheck.sh $(abspath $(BIN))

# The checked-in corpus (fuzz/corpus/TARGET/, with every crash once found)
# replayed through each target by a plain main(): no clang needed.
fuzz-replay: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%-replay)
	@for t in $(FUZZ_TARGETS); do \
	    $(BUILD)/fuzz/$$t-replay fuzz/corpus/$$t || exit 1; done

$(BUILD)/fuzz/%-replay: fuzz/%.c fuzz/replay.c fuzz/fuzz_util.c $(LIBOBJS) \
    | $(BUILD)/fuzz
	$(CC) $(ALL_CPPFLAGS) -Ifuzz -std=c11 -Wall -Wextra $(CFLAGS) \
	    $(PKG_CFLAGS) $(LDFLAGS) -o $@ fuzz/$*.c fuzz/replay.c \
	    fuzz/fuzz_util.c $(LIBOBJS) $(PKG_LIBS)

# libFuzzer (Debian's clang) with ASan and UBSan, FUZZ_SECS per target.
# New inputs go to build-fuzz/corpus-TARGET; a crash is written into
# fuzz/corpus/TARGET/, where make check replays it once it is fixed.
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	    CFLAGS='-O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer' \
	    fuzz-run

fuzz-run: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%-fuzz)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD)/fuzz/corpus-$$t; \
	    echo "fuzzing $$t for $(FUZZ_SECS) s"; \
	    $(BUILD)/fuzz/$$t-fuzz -max_total_time=$(FUZZ_SECS) \
	        -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	        -artifact_prefix=fuzz/corpus/$$t/crash- \
	        $(BUILD)/fuzz/corpus-$$t fuzz/corpus/$$t 2>$(BUILD)/fuzz/$$t.log \
	        || { tail -40 $(BUILD)/fuzz/$$t.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' \
	        $(BUILD)/fuzz/$$t.log | tail -2; \
	done

$(BUILD)/fuzz/%-fuzz: fuzz/%.c fuzz/fuzz_util.c $(LIBOBJS) | $(BUILD)/fuzz
	$(CC) $(ALL_CPPFLAGS) -Ifuzz -std=c11 -Wall -Wextra $(CFLAGS) \
	    $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ \
	    fuzz/$*.c fuzz/fuzz_util.c $(LIBOBJS) $(PKG_LIBS)

$(BUILD)/fuzz:
	mkdir -p $@

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all $(BUILD)/propagate $(BUILD)/reload
	bench/run.sh $(abspath $(BIN))
	@echo
	@if [ -n "$(BENCH_REF)" ]; then bench/ref.sh $(BENCH_REF) $(REF_DIR); fi
	bench/dashboard.sh $(abspath $(BIN)) $(abspath $(BUILD)/propagate) \
	    $(if $(BENCH_REF),$(abspath $(REF_DIR)/build/incident-tui) $(abspath $(REF_DIR)/build/propagate))
	@echo
	bench/metrics.sh $(abspath $(BIN))
	@echo
	bench/deliver.sh $(abspath $(BIN))
	@echo
	@$(MAKE) --no-print-directory bench-writers

# Fair writers (issue 16), beside BENCH_WRITERS_REF built in the same run.
bench-writers: all $(BUILD)/writers
	@if [ -n "$(BENCH_WRITERS_REF)" ]; then \
	    bench/ref.sh $(BENCH_WRITERS_REF) $(WREF_DIR) && \
	    $(MAKE) --no-print-directory $(WREF_DIR)/build/writers; fi
	bench/writers.sh $(abspath $(BIN)) $(abspath $(BUILD)/writers) \
	    $(if $(BENCH_WRITERS_REF),$(abspath $(WREF_DIR)/build/incident-tui) $(abspath $(WREF_DIR)/build/writers))

# The PostgreSQL figures (issue 10) on a throwaway cluster, beside SQLite
# and the reference build measured in the same run.
bench-pg:
	@scripts/deps.sh bench
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory all $(BUILD)/propagate $(BUILD)/pgfloor
	@if [ -n "$(BENCH_REF)" ]; then bench/ref.sh $(BENCH_REF) $(REF_DIR); fi
	BENCH_PGFLOOR=$(abspath $(BUILD)/pgfloor) \
	    scripts/pg-cluster.sh run bench/pg.sh $(abspath $(BIN)) \
	    $(abspath $(BUILD)/propagate) \
	    $(if $(BENCH_REF),$(abspath $(REF_DIR)/build/incident-tui))
	bench/pg-failover.sh $(abspath $(BIN))

$(BUILD)/propagate $(BUILD)/reload $(BUILD)/writers: $(BUILD)/%: bench/%.c \
    bench/benchutil.h $(LIBOBJS)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PKG_CFLAGS) -o $@ $< \
	    $(LIBOBJS) $(PKG_LIBS)

# The floor of a process per commit on PostgreSQL: libpq linked, nothing else.
$(BUILD)/pgfloor: bench/pgfloor.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(shell $(PKG_CONFIG) --cflags libpq) -o $@ $< \
	    $(shell $(PKG_CONFIG) --libs libpq)

# The same helper on the reference's store (built by bench/ref.sh).
$(WREF_DIR)/build/writers: bench/writers.c bench/benchutil.h
	$(CC) $(subst -Iinclude,-I$(WREF_DIR)/include,$(ALL_CPPFLAGS)) \
	    $(ALL_CFLAGS) $(PKG_CFLAGS) -o $@ bench/writers.c \
	    $(filter-out %/main.o,$(wildcard $(WREF_DIR)/build/*.o)) $(PKG_LIBS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/policies $(DESTDIR)$(MANDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/incident-tui
	install -m 644 share/incident-tui/policies/*.ini $(DESTDIR)$(DATADIR)/policies/
	install -d $(DESTDIR)$(DATADIR)/templates
	install -m 644 share/incident-tui/templates/*.tmpl $(DESTDIR)$(DATADIR)/templates/
	install -m 644 incident-tui.1 $(DESTDIR)$(MANDIR)/incident-tui.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/incident-tui $(DESTDIR)$(MANDIR)/incident-tui.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(OBJS:.o=.d) $(TOBJS:.o=.d)
