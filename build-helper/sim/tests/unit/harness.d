build-helper/sim/tests/unit/harness.o: tests/unit/harness.c \
 tests/unit/harness.h tests/unit/../../kernel/state.h \
 tests/unit/../../kernel/objects.h tests/unit/../../kernel/cap.h \
 tests/unit/../../kernel/kernel.h kernel/include/keel/abi.h \
 kernel/include/keel/types.h kernel/include/keel/objects.h \
 kernel/include/keel/syscall.h kernel/include/keel/invocation.h \
 kernel/include/keel/errors.h kernel/include/keel/msginfo.h \
 kernel/include/keel/ipcbuf.h kernel/include/keel/bootinfo.h arch/arch.h \
 arch/sim/arch_types.h tests/unit/../../kernel/config.h \
 tests/unit/../../kernel/cspace.h arch/sim/sim.h
tests/unit/harness.h:
tests/unit/../../kernel/state.h:
tests/unit/../../kernel/objects.h:
tests/unit/../../kernel/cap.h:
tests/unit/../../kernel/kernel.h:
kernel/include/keel/abi.h:
kernel/include/keel/types.h:
kernel/include/keel/objects.h:
kernel/include/keel/syscall.h:
kernel/include/keel/invocation.h:
kernel/include/keel/errors.h:
kernel/include/keel/msginfo.h:
kernel/include/keel/ipcbuf.h:
kernel/include/keel/bootinfo.h:
arch/arch.h:
arch/sim/arch_types.h:
tests/unit/../../kernel/config.h:
tests/unit/../../kernel/cspace.h:
arch/sim/sim.h:
