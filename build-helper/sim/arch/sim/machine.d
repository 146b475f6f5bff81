build-helper/sim/arch/sim/machine.o: arch/sim/machine.c arch/sim/sim.h \
 arch/arch.h kernel/include/keel/types.h arch/sim/arch_types.h \
 kernel/include/keel/syscall.h kernel/include/keel/bootinfo.h
arch/sim/sim.h:
arch/arch.h:
kernel/include/keel/types.h:
arch/sim/arch_types.h:
kernel/include/keel/syscall.h:
kernel/include/keel/bootinfo.h:
