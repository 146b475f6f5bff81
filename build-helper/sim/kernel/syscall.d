build-helper/sim/kernel/syscall.o: kernel/syscall.c kernel/invoke.h \
 kernel/cspace.h kernel/objects.h kernel/cap.h kernel/kernel.h \
 kernel/include/keel/abi.h kernel/include/keel/types.h \
 kernel/include/keel/objects.h kernel/include/keel/syscall.h \
 kernel/include/keel/invocation.h kernel/include/keel/errors.h \
 kernel/include/keel/msginfo.h kernel/include/keel/ipcbuf.h \
 kernel/include/keel/bootinfo.h arch/arch.h arch/sim/arch_types.h \
 kernel/config.h kernel/state.h
kernel/invoke.h:
kernel/cspace.h:
kernel/objects.h:
kernel/cap.h:
kernel/kernel.h:
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
kernel/config.h:
kernel/state.h:
