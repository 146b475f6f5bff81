# visualizer/viz.mk - keel-viz, the SDL2 scheduling-trace viewer (issue 8).
# Included by the top-level Makefile, whose B, BIN, Q, WARN, CFLAGS_COMMON
# and SAN it uses.  Objects go to $(B)/viz/ (the ASan+UBSan build of the
# reader for the fuzz test to $(B)/viz-asan/).
#
#   make viz         a traced 20 ms passive_server run in the sim, then the
#                    viewer (or $(B)/viz.png when there is no display)
#   make viz-test    render tests, error tests, a fuzz of the reader
#                    (tests/viz/test-viz); one summary line
#   make viz-bench   load and frame timings for a 1M-record trace
#
# SDL2, SDL2_ttf and SDL2_image flags come from pkg-config; tools/deps viz
# installs the packages first (the flags are expanded only in recipes, so
# after it has run).

VIZ_SRC := $(wildcard visualizer/*.c)
VIZ_OBJ := $(patsubst visualizer/%.c,$(B)/viz/%.o,$(VIZ_SRC))
VIZ_PKGS := sdl2 SDL2_ttf SDL2_image
VIZ_PKG_CFLAGS = $(shell pkg-config --cflags $(VIZ_PKGS))
VIZ_LIBS = $(shell pkg-config --libs $(VIZ_PKGS)) -lm
VIZ_CFLAGS = $(CFLAGS_COMMON) -O2 $(VIZ_PKG_CFLAGS)
# the reader, index and drawing code, for the sanitized fuzz program
VIZ_FUZZ_SRC := visualizer/trace.c visualizer/index.c visualizer/draw.c visualizer/ui.c \
                visualizer/bench.c tests/viz/viz-fuzz.c
VIZ_SAN_CC := $(if $(shell command -v clang 2>/dev/null),clang,gcc)

.PHONY: viz viz-test viz-bench viz-deps

viz-deps:
	@tools/deps viz

$(B)/viz/%.o: visualizer/%.c | viz-deps
	@mkdir -p $(dir $@)
	@echo "  CC-VIZ  $<"
	$(Q)gcc $(VIZ_CFLAGS) -c $< -o $@
$(BIN)/keel-viz: $(VIZ_OBJ)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^ $(VIZ_LIBS)

# test helpers: synthetic traces, a PNG pixel reader, the sanitized fuzz
$(B)/viz/tests/%.o: tests/viz/%.c | viz-deps
	@mkdir -p $(dir $@)
	@echo "  CC-VIZ  $<"
	$(Q)gcc $(VIZ_CFLAGS) -Ivisualizer -c $< -o $@
$(BIN)/viz-gen: $(B)/viz/tests/viz-gen.o
	@mkdir -p $(BIN)
	$(Q)gcc -o $@ $^
$(BIN)/viz-png-check: $(B)/viz/tests/png-check.o
	@mkdir -p $(BIN)
	$(Q)gcc -o $@ $^ $(VIZ_LIBS)
$(B)/viz-asan/%.o: %.c | viz-deps
	@mkdir -p $(dir $@)
	@echo "  CC-SAN  $<"
	$(Q)$(VIZ_SAN_CC) $(CFLAGS_COMMON) -O1 $(SAN) $(VIZ_PKG_CFLAGS) -Ivisualizer -c $< -o $@
$(BIN)/viz-fuzz: $(patsubst %.c,$(B)/viz-asan/%.o,$(VIZ_FUZZ_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)$(VIZ_SAN_CC) $(SAN) -o $@ $^ $(VIZ_LIBS)

viz: viz-deps $(BIN)/keel-viz $(BIN)/keel-sim
	@$(BIN)/keel-sim --trace $(B)/viz.ktrace --until 20ms passive_server > /dev/null 2>&1; \
	  test $$? -eq 123 || { echo "make viz: the traced passive_server run failed"; exit 1; }
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ] && \
	  echo "make viz: $(BIN)/keel-viz $(B)/viz.ktrace (20 ms of passive_server; q quits)" && \
	  $(BIN)/keel-viz $(B)/viz.ktrace; then :; \
	else \
	  $(BIN)/keel-viz --png $(B)/viz.png $(B)/viz.ktrace && \
	  echo "make viz: no window (no display, or it could not be opened): wrote $(B)/viz.png," \
	    "20 ms of passive_server (trace: $(B)/viz.ktrace)"; \
	fi

viz-test: viz-deps deps $(BIN)/keel-viz $(BIN)/viz-gen $(BIN)/viz-png-check $(BIN)/viz-fuzz \
          $(BIN)/keel-sim $(BIN)/ktrace
	@tests/viz/test-viz $(BIN) $(B)/viz-test

viz-bench: viz-deps $(BIN)/keel-viz
	@$(BIN)/keel-viz --bench
