# arch/riscv64/riscv64.mk - building and running the riscv64 port on QEMU
# virt (included by the top-level Makefile; `make ARCH=riscv64 run|test|debug`
# map onto the rv64-* targets here, and `make test` runs rv64-test too).
#
# One kernel image per system: the kernel objects, arch/riscv64, and the
# system's user program (libkeel + every program, --gc-sections, its root
# task named with --defsym) packed in by entry.S's .incbin.
#
#   build/rv64/kernel/...          kernel and port objects
#   build/rv64/user/...            user objects
#   build/rv64/<system>/user.elf   the user program
#   build/rv64/<system>/keel.elf   the bootable kernel image (QEMU -kernel)
#   build/rv64/<system>/serial.log what the last run printed

RV_CC := riscv64-unknown-elf-gcc
# Zbb (count leading zeros: the scheduler's bitmap lookup; without it
# libgcc's __clzdi2 costs ~57 instructions a call) is on QEMU virt's CPU;
# for a hart without it: make RV_MARCH=rv64imac_zicsr_zifencei ...
RV_MARCH ?= rv64imac_zicsr_zifencei_zbb
RV_ARCHFLAGS := -march=$(RV_MARCH) -mabi=lp64 -mcmodel=medany -mno-relax
RV_CFLAGS_REL := -std=c11 -O2 -flto -g $(WARN) $(RV_ARCHFLAGS) -ffreestanding -nostdlib \
                 -ffunction-sections -fdata-sections -MMD -MP
# The kernel treats s1-s11 as caller-saved.  Every kernel entry lands in
# rv_trap, whose prologue would otherwise save the user's s-registers to
# the stack again (they are in the thread's context already), and nothing
# calls the kernel but entry.S, which reloads every register from the
# context after rv_trap returns.  (libgcc, with the standard ABI, may still
# be called: it preserves more than the kernel expects.)  44 of the 776
# instructions of a round trip.
RV_KCALLUSED := $(foreach r,1 2 3 4 5 6 7 8 9 10 11,-fcall-used-s$(r))
RV_CFLAGS := $(RV_CFLAGS_REL) -DKEEL_DEBUG
RV_KINC := -Ikernel/include -Iarch -Iarch/riscv64
RV_UINC := -Ikernel/include -Iarch/riscv64 -Iuser/include -Iuser/lib/arch/riscv64
# Links name libgcc's soft-float rv64imac multilib by path: gcc picks a
# multilib by the plain -march string, and the link needs the full one
# (for -flto's code generation).
RV_LIBGCC = $(shell $(RV_CC) -march=rv64imac -mabi=lp64 -print-libgcc-file-name 2>/dev/null)
RV_LDFLAGS := $(RV_ARCHFLAGS) -O2 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments \
              -Wl,--gc-sections
RV_B := $(B)/rv64
RV_SYSTEMS := hello systest pingpong passive_server rv64faults uart_driver

RV_PORT_SRC := arch/riscv64/machine.c arch/common/memfuncs.c
RV_KOBJS := $(patsubst %.c,$(RV_B)/kernel/%.o,$(KERNEL_SRC) $(RV_PORT_SRC))
RV_KOBJS_REL := $(patsubst %.c,$(RV_B)/kernel-rel/%.o,$(KERNEL_SRC) $(RV_PORT_SRC))
RV_ULIB_SRC := $(wildcard user/lib/*.c) $(wildcard user/lib/arch/riscv64/*.c) arch/common/memfuncs.c
RV_PROG_SRC := $(wildcard examples/*/*.c) $(wildcard tests/sys/*.c) bench/rv64-bench.c \
               $(wildcard tests/rv64/*.c)
RV_UOBJS := $(patsubst %.c,$(RV_B)/user/%.o,$(RV_ULIB_SRC) $(RV_PROG_SRC))

RV_QEMU := qemu-system-riscv64 -M virt -m 256M -smp 1 -bios default -display none \
           -icount shift=0,sleep=off \
           -monitor none -nic none
RV_TIMEOUT ?= 120

$(RV_B)/kernel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  RV-CC   $<"
	$(Q)$(RV_CC) $(RV_CFLAGS) $(RV_KCALLUSED) $(RV_KINC) -c $< -o $@
$(RV_B)/kernel-rel/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  RV-CC   $< (release)"
	$(Q)$(RV_CC) $(RV_CFLAGS_REL) $(RV_KCALLUSED) $(RV_KINC) -c $< -o $@
$(RV_B)/user/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  RV-CC   $<"
	$(Q)$(RV_CC) $(RV_CFLAGS) -flto $(RV_UINC) -c $< -o $@

$(RV_B)/%/user.elf: $(RV_UOBJS) user/lib/arch/riscv64/user.ld
	@mkdir -p $(dir $@)
	@echo "  RV-LD   $@"
	$(Q)$(RV_CC) $(RV_LDFLAGS) -flto=auto -T user/lib/arch/riscv64/user.ld \
	  -Wl,--defsym=rv_root_task=$*_root_task -Wl,--undefined=$*_root_task \
	  $(RV_UOBJS) $(RV_LIBGCC) -o $@
rv_entry = $(RV_CC) $(RV_ARCHFLAGS) -DRV_USER_ELF='"$(RV_B)/$(1)/user.elf"' \
           -DRV_SYSTEM='"$(1)"' -DRV_TRACE=$(2) -c $< -o $@
$(RV_B)/%/entry.o: arch/riscv64/entry.S $(RV_B)/%/user.elf
	@echo "  RV-AS   $@"
	$(Q)$(call rv_entry,$*,0)
$(RV_B)/%/entry-trace.o: arch/riscv64/entry.S $(RV_B)/%/user.elf
	@echo "  RV-AS   $@"
	$(Q)$(call rv_entry,$*,1)
$(RV_B)/%/keel.elf: $(RV_KOBJS) $(RV_B)/%/entry.o arch/riscv64/kernel.ld
	@echo "  RV-LD   $@"
	$(Q)$(RV_CC) $(RV_LDFLAGS) $(RV_KCALLUSED) -T arch/riscv64/kernel.ld $(RV_B)/$*/entry.o $(RV_KOBJS) $(RV_LIBGCC) -o $@
$(RV_B)/%/keel-trace.elf: $(RV_KOBJS) $(RV_B)/%/entry-trace.o arch/riscv64/kernel.ld
	@echo "  RV-LD   $@"
	$(Q)$(RV_CC) $(RV_LDFLAGS) $(RV_KCALLUSED) -T arch/riscv64/kernel.ld $(RV_B)/$*/entry-trace.o $(RV_KOBJS) $(RV_LIBGCC) -o $@
# The benchmark's image: a release kernel (no debug checks or messages).
$(RV_B)/rv64bench/keel.elf: $(RV_KOBJS_REL) $(RV_B)/rv64bench/entry.o arch/riscv64/kernel.ld
	@echo "  RV-LD   $@ (release kernel)"
	$(Q)$(RV_CC) $(RV_LDFLAGS) $(RV_KCALLUSED) -flto=auto -T arch/riscv64/kernel.ld $(RV_B)/rv64bench/entry.o $(RV_KOBJS_REL) $(RV_LIBGCC) -o $@
.PRECIOUS: $(RV_B)/%/user.elf $(RV_B)/%/entry.o $(RV_B)/%/keel.elf $(RV_B)/%/entry-trace.o \
           $(RV_B)/%/keel-trace.elf
.SECONDARY: $(RV_KOBJS) $(RV_KOBJS_REL) $(RV_UOBJS)


# Boot a system; its serial output goes to serial.log.  QEMU's exit status
# is the system's (the sifive_test device): 0 when the root task returned 0.
rv64_boot = timeout $(RV_TIMEOUT) $(RV_QEMU) -serial file:$(RV_B)/$(1)/serial.log \
            -kernel $(RV_B)/$(1)/keel.elf </dev/null

.PHONY: deps-riscv64 rv64-all rv64-run rv64-test rv64-debug rv64-bench
deps-riscv64:
	@tools/deps riscv64
rv64-all: deps-riscv64 $(foreach s,$(RV_SYSTEMS),$(RV_B)/$(s)/keel.elf)

# With TRACE=FILE: a tracing image of hello; its trace, printed on the
# console at the end, is extracted into FILE and summarised by ktrace.
# SYSTEM=name boots another system (one of RV_SYSTEMS), e.g. uart_driver.
SYSTEM ?= hello
ifeq ($(TRACE),)
rv64-run: deps-riscv64 $(RV_B)/$(SYSTEM)/keel.elf
	@$(call rv64_boot,$(SYSTEM)); rc=$$?; tr -d '\r' < $(RV_B)/$(SYSTEM)/serial.log | \
	  sed -n '/^Boot HART MEDELEG/,$$p' | tail -n +2; \
	  test $$rc -eq 0 || { echo "make ARCH=riscv64 run: QEMU exited with $$rc"; exit 1; }
else
rv64-run: deps-riscv64 deps $(RV_B)/hello/keel-trace.elf $(BIN)/ktrace
	@timeout $(RV_TIMEOUT) $(RV_QEMU) -serial file:$(RV_B)/hello/serial.log \
	  -kernel $(RV_B)/hello/keel-trace.elf </dev/null; rc=$$?; \
	  tr -d '\r' < $(RV_B)/hello/serial.log | sed -n '/^Hello from Keel/,/^Done/p'; \
	  test $$rc -eq 0 || { echo "make ARCH=riscv64 run: QEMU exited with $$rc"; exit 1; }
	$(BIN)/ktrace serial $(RV_B)/hello/serial.log -o $(TRACE)
	$(BIN)/ktrace stats $(TRACE)
endif

rv64-test: deps-riscv64 deps $(RV_B)/systest/keel.elf $(RV_B)/hello/keel.elf $(RV_B)/rv64faults/keel.elf \
           $(RV_B)/uart_driver/keel.elf $(RV_B)/hello/keel-trace.elf $(BIN)/ktrace
	@$(call rv64_boot,systest); rc=$$?; \
	  tr -d '\r' < $(RV_B)/systest/serial.log | grep -E '^ *FAIL|^keel riscv64' ; \
	  echo "riscv64 (QEMU virt, -icount): $$(tr -d '\r' < $(RV_B)/systest/serial.log | grep '^systest:')"; \
	  test $$rc -eq 0 || { echo "riscv64: the system tests failed (QEMU exit $$rc; $(RV_B)/systest/serial.log)"; exit 1; }
	@$(call rv64_boot,rv64faults); rc=$$?; tr -d '\r' < $(RV_B)/rv64faults/serial.log | grep -E '^FAIL|^keel' ; \
	  test $$rc -eq 0 || { echo "riscv64: the hardware-fault test failed (QEMU exit $$rc; $(RV_B)/rv64faults/serial.log)"; exit 1; }; \
	  echo "riscv64 (QEMU virt): $$(tr -d '\r' < $(RV_B)/rv64faults/serial.log | grep -c '^ok ') hardware-fault checks passed"
	@$(call rv64_boot,uart_driver); rc=$$?; tr -d '\r' < $(RV_B)/uart_driver/serial.log > $(RV_B)/uart_driver/serial.txt; \
	  grep -q '^uart-driver: this line was written by a user-level driver, one byte per interrupt$$' \
	    $(RV_B)/uart_driver/serial.txt && test $$rc -eq 0 || \
	    { echo "riscv64: the UART driver example failed (QEMU exit $$rc; $(RV_B)/uart_driver/serial.log)"; exit 1; }; \
	  echo "riscv64 (QEMU virt): $$(grep '^uart-driver: [0-9]* bytes' $(RV_B)/uart_driver/serial.txt)"
	@$(call rv64_boot,hello) > /dev/null; rc=$$?; grep -q '^Done\.' $(RV_B)/hello/serial.log && \
	  test $$rc -eq 0 || { echo "riscv64: hello failed (QEMU exit $$rc; $(RV_B)/hello/serial.log)"; exit 1; }
	@timeout $(RV_TIMEOUT) $(RV_QEMU) -serial file:$(RV_B)/hello/serial-trace.log \
	  -kernel $(RV_B)/hello/keel-trace.elf </dev/null && \
	  $(BIN)/ktrace serial $(RV_B)/hello/serial-trace.log -o $(RV_B)/hello/trace.ktrace > /dev/null && \
	  $(BIN)/ktrace stats $(RV_B)/hello/trace.ktrace | grep -q '^ *1  root .* [1-9][0-9]* *0 *0 *0' || \
	  { echo "riscv64: the traced hello run gave no usable trace ($(RV_B)/hello/serial-trace.log)"; exit 1; }
	@echo "riscv64 (QEMU virt): hello ran, and again with its trace read back by ktrace:" \
	  "$$($(BIN)/ktrace stats $(RV_B)/hello/trace.ktrace | tail -1)"

# QEMU waits for gdb on :1234; gdb-multiarch attaches with the kernel's
# symbols (add-symbol-file $(RV_B)/hello/user.elf for the user program's).
RV_SYSTEM ?= hello
rv64-debug: deps-riscv64 $(RV_B)/$(RV_SYSTEM)/keel.elf
	@echo "QEMU on :1234 (serial output: $(RV_B)/$(RV_SYSTEM)/serial.log)"
	$(RV_QEMU) -serial file:$(RV_B)/$(RV_SYSTEM)/serial.log -kernel $(RV_B)/$(RV_SYSTEM)/keel.elf -s -S </dev/null & \
	  gdb-multiarch -q -ex 'file $(RV_B)/$(RV_SYSTEM)/keel.elf' -ex 'target remote :1234' \
	    -ex 'add-symbol-file $(RV_B)/$(RV_SYSTEM)/user.elf'; kill %1 2>/dev/null; true

# The riscv64 figures of `make bench` (bench/rv64-bench.c): instruction
# counts under -icount shift=0,sleep=off, and the kernel's .text size
# (the release kernel, arch/riscv64 included, without the packed user image).
rv64-bench: deps-riscv64 $(RV_B)/rv64bench/keel.elf
	@$(call rv64_boot,rv64bench); rc=$$?; \
	  test $$rc -eq 0 || { echo "riscv64: the benchmark failed (QEMU exit $$rc; $(RV_B)/rv64bench/serial.log)"; exit 1; }
	@echo "keel-bench: riscv64: QEMU virt, -smp 1 -icount shift=0,sleep=off, rdinstret, release kernel"
	@tr -d '\r' < $(RV_B)/rv64bench/serial.log | grep '^bench: '
	@echo "bench: rv64_kernel_text_bytes $$(riscv64-unknown-elf-size -A $(RV_B)/rv64bench/keel.elf | awk '$$1 == ".text" { print $$2 }') bytes"
