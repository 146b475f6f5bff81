/*
 * user/lib/arch/sim/keel_arch.h - libkeel's trap instruction on the sim:
 * a call into the sim machine (arch/sim/sim.h), which switches from this
 * thread's fiber to the kernel.  Inline for symmetry with the hardware
 * ports, whose trap is an instruction.
 */
#ifndef KEEL_USER_ARCH_SIM_H
#define KEEL_USER_ARCH_SIM_H

#include "sim.h"

static inline void keel_arch_trap(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT])
{
    sim_syscall(sysno, regs);
}

#endif /* KEEL_USER_ARCH_SIM_H */
