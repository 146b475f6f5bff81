# Keel - top-level build.  `make run` runs the hello example in the sim;
# `make test` builds and runs every test.  Outputs go under build/; host
# programs land in build/bin/.  Missing Debian packages are installed by
# tools/deps (see README.md).
#
#   make [ARCH=sim] all | run | test | bench | clean
#   make ARCH=riscv64 all | run | test | debug | bench   (QEMU virt: arch/riscv64/riscv64.mk)
#   make unit | systest | asan | valgrind | aarch64-host | freestanding | layering |
#        static-check | rv64-test | fuzz-regress | testbed | viz-test   (parts of test)
#   make viz                        a traced run shown by keel-viz (or a PNG: build/viz.png)
#   make coverage | check-all       (coverage gate; every gate)
#   V=1 shows the full compiler command lines.

ARCH ?= sim
ifeq ($(filter $(ARCH),sim riscv64),)
$(error ARCH=$(ARCH): the ports are sim and riscv64 (armv8m and aarch64 are planned))
endif

B := build
BIN := $(B)/bin

KERNEL_SRC := $(wildcard kernel/*.c)
SIM_SRC := $(wildcard arch/sim/*.c)
ULIB_SRC := $(wildcard user/lib/*.c) $(wildcard user/lib/arch/sim/*.c)
PROG_SRC := $(wildcard examples/*/*.c) $(wildcard tests/sys/*.c) $(wildcard sim/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
BENCH_SRC := bench/keel-bench.c bench/bench-task.c examples/pingpong/pingpong.c
# User programs get the sim's preemption points: a call at every branch
# edge (arch/sim/machine.c, __sanitizer_cov_trace_pc), so that loops
# without syscalls are preempted deterministically.  Not in the benchmark.
USER_SRC := $(ULIB_SRC) $(wildcard examples/*/*.c) $(wildcard tests/sys/*.c)
ucov = $(if $(filter $(USER_SRC),$<),-fsanitize-coverage=trace-pc)
# With -flto the instrumentation would be left to the link step, which
# does not ask for it: user code in the release build is compiled without.
ucov_rel = $(if $(filter $(USER_SRC),$<),-fsanitize-coverage=trace-pc -fno-lto)

INC := -Ikernel/include -Iarch -Iarch/sim -Iuser/include -Iuser/lib/arch/sim
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS_COMMON := -std=c11 -g $(WARN) $(INC) -MMD -MP -D_DEFAULT_SOURCE
CFLAGS_sim := $(CFLAGS_COMMON) -O2 -DKEEL_DEBUG
CFLAGS_rel := $(CFLAGS_COMMON) -O2 -flto
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS_asan := $(CFLAGS_COMMON) -O1 -DKEEL_DEBUG $(SAN)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

objs = $(patsubst %.c,$(B)/$(1)/%.o,$(2))

# The riscv64 port's images and targets (rv64-*); its variables are used below.
.DEFAULT_GOAL := all
include arch/riscv64/riscv64.mk
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: valgrind check-all coverage static-check all run test debug bench clean deps deps-test deps-bench unit systest asan memcheck aarch64-host freestanding layering testbed fuzz fuzz-regress fuzz-seeds fuzz-afl
ifeq ($(ARCH),riscv64)
all: rv64-all
run: rv64-run
test: rv64-test
debug: rv64-debug
bench: rv64-bench
else
all: deps $(BIN)/keel-sim $(BIN)/ktrace
endif

deps:
	@tools/deps sim
deps-test:
	@tools/deps test
deps-bench:
	@tools/deps bench

# The main demo, then a traced run: 5 ms of virtual time of the
# passive-server example, summarised by ktrace and converted for Perfetto.
ifeq ($(ARCH),sim)
run: all
	$(BIN)/keel-sim hello
	@echo
	@echo "make run: 5 ms of examples/passive-server with the kernel trace on:"
	@$(BIN)/keel-sim --trace $(B)/run.ktrace --until 5ms passive_server > /dev/null 2>&1; \
	  test $$? -eq 123 || { echo "make run: the traced run failed"; exit 1; }
	$(BIN)/ktrace stats $(B)/run.ktrace
	$(BIN)/ktrace chrome $(B)/run.ktrace -o $(B)/run-trace.json
	@echo "make run: open $(B)/run-trace.json in https://ui.perfetto.dev (Open trace file);" \
	  "$(BIN)/ktrace dump $(B)/run.ktrace lists every record; make viz shows a run in keel-viz"
endif

# ---- host tools: ktrace (reads kernel traces) and its test helpers ----
$(B)/host/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-HOST $<"
	$(Q)gcc $(CFLAGS_COMMON) -O2 -c $< -o $@
$(BIN)/ktrace: $(B)/host/tools/ktrace/ktrace.o
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^ -ljansson
$(BIN)/ktrace-gen: $(B)/host/tests/tools/ktrace-gen.o
	@mkdir -p $(BIN)
	$(Q)gcc -o $@ $^
$(BIN)/json-check: $(B)/host/tests/tools/json-check.o
	@mkdir -p $(BIN)
	$(Q)gcc -o $@ $^ -ljansson

# ---- host builds: normal (gcc) and sanitized (clang) ----
$(B)/sim/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)gcc $(CFLAGS_sim) $(ucov) -c $< -o $@
$(B)/asan/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-ASAN $<"
	$(Q)clang $(CFLAGS_asan) $(ucov) -c $< -o $@

$(BIN)/keel-sim: $(call objs,sim,$(KERNEL_SRC) $(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^
$(BIN)/keel-sim-asan: $(call objs,asan,$(KERNEL_SRC) $(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)clang $(SAN) -o $@ $^
# release build: no kassert, no one-line reasons; error details all the same.
# Link-time optimisation lets the core inline the port's small accessors
# (arch_ctx_get/set, the clock), as a kernel built in one unit would.
$(B)/rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-REL  $<"
	$(Q)gcc $(CFLAGS_rel) $(ucov_rel) -c $< -o $@
$(BIN)/keel-sim-release: $(call objs,rel,$(KERNEL_SRC) $(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -O2 -flto=auto -o $@ $^

# the IPC benchmark: the release build without preemption points in user
# code (they would count in the instructions per round trip), plus a host
# program (bench/keel-bench.c)
$(B)/bench/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-BNCH $<"
	$(Q)gcc $(CFLAGS_rel) -c $< -o $@
$(BIN)/keel-bench: $(call objs,bench,$(KERNEL_SRC) $(SIM_SRC) $(ULIB_SRC) $(BENCH_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -O2 -flto=auto -o $@ $^ -lpthread

# the sim built for an aarch64 host, run under qemu-user: tests the aarch64 switch
$(B)/a64/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-A64  $<"
	$(Q)aarch64-linux-gnu-gcc $(CFLAGS_sim) $(ucov) -c $< -o $@
$(BIN)/keel-sim-aarch64: $(call objs,a64,$(KERNEL_SRC) $(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)aarch64-linux-gnu-gcc -o $@ $^

# the portable fallback switch (makecontext/swapcontext), same program otherwise
$(B)/uc/arch/sim/ctx.o: arch/sim/ctx.c
	@mkdir -p $(dir $@)
	@echo "  CC-UC   $<"
	$(Q)gcc $(CFLAGS_sim) -DSIM_SWITCH_UCONTEXT -c $< -o $@
$(BIN)/keel-sim-uc: $(call objs,sim,$(KERNEL_SRC) $(filter-out arch/sim/ctx.c,$(SIM_SRC)) $(ULIB_SRC) $(PROG_SRC)) $(B)/uc/arch/sim/ctx.o
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^
# the slow path only: the kernel without its IPC fastpath, same program otherwise
$(B)/nofast/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-NOFP $<"
	$(Q)gcc $(CFLAGS_sim) -DKEEL_NO_FASTPATH -c $< -o $@
$(BIN)/keel-sim-nofast: $(call objs,nofast,$(KERNEL_SRC)) $(call objs,sim,$(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^
$(BIN)/unit-tests: $(call objs,sim,$(KERNEL_SRC) $(SIM_SRC) $(UNIT_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc -o $@ $^ $(CHECK_LIBS)
$(BIN)/unit-tests-asan: $(call objs,asan,$(KERNEL_SRC) $(SIM_SRC) $(UNIT_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)clang $(SAN) -o $@ $^ $(CHECK_LIBS)

# ---- the kernel alone, freestanding, for riscv64 (no host headers) ----
RV_CC := riscv64-unknown-elf-gcc
RV_FLAGS := -std=c11 -O2 $(WARN) -ffreestanding -nostdlib -mcmodel=medany \
            -Ikernel/include -Iarch -Iarch/template
$(BIN)/kernel-rv64-freestanding.elf: $(KERNEL_SRC) arch/template/template.c arch/common/memfuncs.c
	@mkdir -p $(BIN)
	@echo "  RV64    $@"
	$(Q)$(RV_CC) $(RV_FLAGS) -Wl,-e,template_start -Wl,-Ttext=0x80200000 -Wl,--no-warn-rwx-segments $^ -lgcc -o $@
# The same as a 32-bit kernel (rv32, ilp32): the word-size-dependent
# layouts (slots, SchedContext header) must hold there too.
$(BIN)/kernel-rv32-freestanding.elf: $(KERNEL_SRC) arch/template/template.c arch/common/memfuncs.c
	@mkdir -p $(BIN)
	@echo "  RV32    $@"
	$(Q)$(RV_CC) $(subst -mcmodel=medany,-march=rv32imac -mabi=ilp32,$(RV_FLAGS)) -Wl,-e,template_start -Wl,-Ttext=0x80200000 -Wl,--no-warn-rwx-segments $^ -lgcc -o $@

# ---- tests ----
unit: deps-test $(BIN)/unit-tests
	$(BIN)/unit-tests
systest: deps-test $(BIN)/keel-sim $(BIN)/keel-sim-uc $(BIN)/keel-sim-release $(BIN)/keel-sim-nofast
	$(BIN)/keel-sim --check --quiet-kernel systest
	@$(BIN)/keel-sim-nofast --check --quiet-kernel systest > $(B)/systest-nofast.out || \
	  { cat $(B)/systest-nofast.out; echo "systest failed without the IPC fastpath"; exit 1; }
	@echo "without the IPC fastpath: $$(tail -1 $(B)/systest-nofast.out)"
	@$(BIN)/keel-sim-release systest > $(B)/systest-rel.out || \
	  { cat $(B)/systest-rel.out; echo "systest failed in the release build"; exit 1; }
	@echo "release build: $$(tail -1 $(B)/systest-rel.out)"
	@$(BIN)/keel-sim-uc --quiet-kernel systest > $(B)/systest-uc.out || \
	  { cat $(B)/systest-uc.out; echo "systest failed with the ucontext switch"; exit 1; }
	@echo "ucontext switch: $$(tail -1 $(B)/systest-uc.out)"
aarch64-host: deps-test $(BIN)/keel-sim-aarch64
	@qemu-aarch64 -L /usr/aarch64-linux-gnu $(BIN)/keel-sim-aarch64 --quiet-kernel systest \
	  > $(B)/systest-a64.out || { cat $(B)/systest-a64.out; echo "systest failed on an aarch64 host"; exit 1; }
	@echo "aarch64 host (qemu-user): $$(tail -1 $(B)/systest-a64.out)"
asan: deps-test $(BIN)/unit-tests-asan $(BIN)/keel-sim-asan
	$(BIN)/unit-tests-asan
	$(BIN)/keel-sim-asan --check --quiet-kernel systest
	$(BIN)/keel-sim-asan hello > /dev/null
# Valgrind's memcheck over the system tests (uninitialised reads, bad
# accesses the sanitizers' build does not see; the sim registers every
# fiber stack with Valgrind)
# (make valgrind: the same; errors and definite, indirect or possible leaks
# in the host process fail it, so do unregistered stack switches)
VALGRIND := valgrind -q --error-exitcode=9 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect,possible \
            --show-leak-kinds=definite,indirect,possible
memcheck valgrind: deps-test $(BIN)/keel-sim
	@$(VALGRIND) $(BIN)/keel-sim --quiet-kernel systest > $(B)/systest-vg.out 2>&1 || \
	  { cat $(B)/systest-vg.out; echo "systest failed under valgrind memcheck"; exit 1; }
	@$(VALGRIND) $(BIN)/keel-sim hello > $(B)/hello-vg.out 2>&1 || \
	  { cat $(B)/hello-vg.out; echo "hello failed under valgrind memcheck"; exit 1; }
	@echo "valgrind memcheck (no errors, no leaks): $$(grep '^systest:' $(B)/systest-vg.out); hello too"
freestanding: deps-test $(BIN)/kernel-rv64-freestanding.elf $(BIN)/kernel-rv32-freestanding.elf
	@echo "freestanding: kernel/ links for riscv64 with -ffreestanding -nostdlib:" \
	  "$$(riscv64-unknown-elf-size $(BIN)/kernel-rv64-freestanding.elf | tail -1 | awk '{print $$1}') bytes of text;" \
	  "as a 32-bit kernel (rv32): $$(riscv64-unknown-elf-size $(BIN)/kernel-rv32-freestanding.elf | tail -1 | awk '{print $$1}')"
# ---- coverage: kernel/ built with gcc --coverage (build/cov/), driven by
# the unit tests, the system tests, the examples and both fuzz corpora;
# tools/coverage runs them and writes build/coverage/ (HTML, uncovered.txt) ----
CFLAGS_cov := $(CFLAGS_COMMON) -O0 -DKEEL_DEBUG --coverage
COV_KOBJS := $(call objs,cov,$(KERNEL_SRC))
COV_HOSTFLAGS := -std=c11 -g -O1 $(WARN) $(INC) -Ifuzz -D_DEFAULT_SOURCE -DKEEL_DEBUG
$(B)/cov/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC-COV  $<"
	$(Q)gcc $(CFLAGS_cov) -c $< -o $@
$(BIN)/unit-tests-cov: $(COV_KOBJS) $(call objs,sim,$(SIM_SRC) $(UNIT_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc --coverage -o $@ $^ $(CHECK_LIBS)
$(BIN)/keel-sim-cov: $(COV_KOBJS) $(call objs,sim,$(SIM_SRC) $(ULIB_SRC) $(PROG_SRC))
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc --coverage -o $@ $^
$(BIN)/fuzz-%-replay-cov: fuzz/%.c fuzz/replay.c fuzz/kfuzz.h $(COV_KOBJS)
	@mkdir -p $(BIN)
	@echo "  LD      $@"
	$(Q)gcc $(COV_HOSTFLAGS) --coverage fuzz/$*.c fuzz/replay.c arch/sim/ctx.c arch/sim/machine.c \
	  $(ULIB_SRC) $(COV_KOBJS) -o $@
coverage: deps-test
	@tools/deps coverage
	@$(MAKE) --no-print-directory $(BIN)/unit-tests-cov $(BIN)/keel-sim-cov \
	  $(foreach h,$(FUZZ_HARNESSES),$(BIN)/fuzz-$(h)-replay-cov)
	@tools/coverage

# Every quality gate: make test (layering, static analysis, unit and system
# tests, sanitizers, Valgrind, the other builds, the testbed, the fuzz
# corpora, riscv64) and coverage.  .ci/run runs all of it.
check-all: test coverage
	@echo "make check-all: every gate passed"

# cppcheck and clang-tidy over kernel/ and arch/: zero findings
# (configuration: .clang-tidy, tools/cppcheck.supp; tools/static-check)
static-check: deps-test
	@tools/static-check
layering: deps-test $(call objs,sim,$(KERNEL_SRC) $(SIM_SRC)) $(RV_KOBJS)
	tools/check-layering
	tests/tools/test-check-layering
	tests/tools/test-deps
	@tools/check-port-symbols nm $(call objs,sim,$(KERNEL_SRC)) -- $(call objs,sim,$(SIM_SRC))
	@tools/check-port-symbols riscv64-unknown-elf-nm $(filter $(RV_B)/kernel/kernel/%,$(RV_KOBJS)) \
	  -- $(filter $(RV_B)/kernel/arch/%,$(RV_KOBJS))

# Host timings and Valgrind instruction counts (tools/bench).  The binary is
# built by a second make once the packages are in: arch/sim/ctx.c registers
# fiber stacks with Valgrind only if <valgrind/valgrind.h> was there.
ifeq ($(ARCH),sim)
bench: deps-bench
	@$(MAKE) --no-print-directory $(BIN)/keel-bench $(BIN)/fuzz-syscalls
	@tools/bench $(BIN)/keel-bench
	@tools/fuzz-bench
	@$(MAKE) --no-print-directory rv64-bench viz-bench
endif

# The deterministic testbed: identical traces from identical runs, seeds
# and replays; then the soak (SOAK_ENTRIES kernel entries under injection
# with the invariant checker; `make testbed SOAK_ENTRIES=100000000` for a
# long one).
SOAK_ENTRIES ?= 1000000
testbed: deps-test $(BIN)/keel-sim $(BIN)/ktrace $(BIN)/ktrace-gen $(BIN)/json-check
	tests/tools/test-determinism $(BIN)/keel-sim $(B)/testbed
	tests/tools/test-ktrace $(BIN)/ktrace $(BIN)/ktrace-gen $(BIN)/json-check
	@$(BIN)/keel-sim --trace $(B)/testbed/ps.ktrace --until 20ms passive_server > /dev/null 2>&1; \
	  test $$? -eq 123 && $(BIN)/ktrace chrome $(B)/testbed/ps.ktrace -o $(B)/testbed/ps.json && \
	  $(BIN)/json-check $(B)/testbed/ps.json && $(BIN)/ktrace stats $(B)/testbed/ps.ktrace > /dev/null && \
	  echo "testbed: a real trace (20 ms of passive_server) converts to valid Chrome JSON" || \
	  { echo "testbed: ktrace failed on a real trace ($(B)/testbed/ps.ktrace)"; exit 1; }
	tests/tools/soak $(BIN)/keel-sim $(SOAK_ENTRIES)

# ---- fuzzing: fuzz/<harness>.c, with libFuzzer (make fuzz) and as a
# replay program (build/bin/fuzz-<harness>-replay [--list] FILE...) ----
FUZZ_HARNESSES := syscalls concurrent
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 10
# The invariant checker is the oracle, not a target, and kmemset is a
# loop over bytes whose every compare the fuzzer would trace: both are
# compiled without the fuzzer's coverage instrumentation (the checker
# alone was 2.5x the executions).  (libkeel is in: harness 2 runs user code.)
FUZZ_UNINST := kernel/invariants.c kernel/klib.c
FUZZ_KSRC := $(filter-out $(FUZZ_UNINST),$(KERNEL_SRC)) arch/sim/ctx.c arch/sim/machine.c \
             $(ULIB_SRC)
FUZZ_DEPS := $(FUZZ_KSRC) fuzz/kfuzz.h $(wildcard kernel/*.h kernel/include/keel/*.h arch/*.h arch/sim/*.h)
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) $(INC) -Ifuzz -D_DEFAULT_SOURCE -DKEEL_DEBUG
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_INV := $(patsubst kernel/%.c,$(B)/fuzz/%.o,$(FUZZ_UNINST))
.PRECIOUS: $(B)/fuzz/%.o
$(B)/fuzz/%.o: kernel/%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(Q)clang $(FUZZ_CFLAGS) -O2 $(FUZZ_SAN) -c $< -o $@
$(BIN)/fuzz-%-replay: fuzz/%.c fuzz/replay.c $(FUZZ_DEPS) $(FUZZ_INV)
	@mkdir -p $(BIN)
	@echo "  FUZZ-RP $@"
	$(Q)clang $(FUZZ_CFLAGS) $(FUZZ_SAN) fuzz/$*.c fuzz/replay.c $(FUZZ_KSRC) $(FUZZ_INV) -o $@
$(BIN)/fuzz-%: fuzz/%.c $(FUZZ_DEPS) $(FUZZ_INV)
	@mkdir -p $(BIN)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) fuzz/$*.c $(FUZZ_KSRC) $(FUZZ_INV) -o $@
$(BIN)/fuzz-seeds: fuzz/seeds.c fuzz/syscalls.h
	@mkdir -p $(BIN)
	$(Q)gcc -std=c11 $(WARN) -Ifuzz $< -o $@
fuzz-seeds: $(BIN)/fuzz-seeds
	rm -f fuzz/corpus/syscalls/*
	$(BIN)/fuzz-seeds fuzz/corpus/syscalls fuzz/syscalls.dict
fuzz: deps-test $(foreach h,$(FUZZ_HARNESSES),$(BIN)/fuzz-$(h) $(BIN)/fuzz-$(h)-replay)
	tools/fuzz $(FUZZ_SECONDS) $(FUZZ_HARNESSES)
# AFL++: the same harnesses through AFL++'s libFuzzer driver (persistent
# mode), a plain build for the main instance and an ASan+UBSan build for a
# secondary one, side by side for FUZZ_SECONDS (tools/fuzz-afl).
$(B)/afl/fuzz-%: fuzz/%.c $(FUZZ_DEPS) $(FUZZ_UNINST)
	@mkdir -p $(dir $@)
	@echo "  AFL     $@"
	$(Q)AFL_QUIET=1 afl-clang-fast $(FUZZ_CFLAGS) -O2 -fsanitize=fuzzer fuzz/$*.c $(FUZZ_KSRC) $(FUZZ_UNINST) -o $@
$(B)/afl-asan/fuzz-%: fuzz/%.c $(FUZZ_DEPS) $(FUZZ_UNINST)
	@mkdir -p $(dir $@)
	@echo "  AFL-SAN $@"
	$(Q)AFL_QUIET=1 AFL_USE_ASAN=1 AFL_USE_UBSAN=1 afl-clang-fast $(FUZZ_CFLAGS) -fsanitize=fuzzer fuzz/$*.c $(FUZZ_KSRC) $(FUZZ_UNINST) -o $@
fuzz-afl:
	@tools/deps afl
	@$(MAKE) --no-print-directory $(foreach h,$(FUZZ_HARNESSES),$(B)/afl/fuzz-$(h) $(B)/afl-asan/fuzz-$(h) $(BIN)/fuzz-$(h)-replay)
	tools/fuzz-afl $(FUZZ_SECONDS) $(FUZZ_HARNESSES)
# Every corpus input and every regression input through the sanitized
# replay build (no mutation), then a short fuzz run.
fuzz-regress: deps-test $(foreach h,$(FUZZ_HARNESSES),$(BIN)/fuzz-$(h) $(BIN)/fuzz-$(h)-replay)
	@for h in $(FUZZ_HARNESSES); do \
	  $(BIN)/fuzz-$$h-replay fuzz/corpus/$$h/* $$(ls tests/regress/$$h/* 2>/dev/null) || exit 1; \
	done
	tools/fuzz $(FUZZ_TEST_SECONDS) $(FUZZ_HARNESSES)

# (the riscv64 port's system tests too: both arches in every `make test`)
ifeq ($(ARCH),sim)
test: deps-test layering static-check unit systest asan memcheck aarch64-host freestanding testbed fuzz-regress \
      rv64-test viz-test
	$(BIN)/keel-sim hello > $(B)/hello.out && grep -q '^Done.' $(B)/hello.out
	$(BIN)/keel-sim --check passive_server > $(B)/passive.out || { cat $(B)/passive.out; exit 1; }
	@grep '% of the CPU' $(B)/passive.out
	@echo "make test: all passed"
endif

include visualizer/viz.mk

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
