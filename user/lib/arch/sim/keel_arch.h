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

/* A device that interrupts on demand, for tests of IRQHandlers: the
 * sim's interrupt generator (arch/sim/sim.h), at the start of the device
 * region.  raise: make the line fire (once); clear: the device's own
 * acknowledgement (none needed here). */
#define KEEL_ARCH_TEST_IRQ 5u
#define KEEL_ARCH_TEST_IRQ_PADDR (SIM_DEV_PHYS + SIM_DEV_IRQ_RAISE)

static inline void keel_arch_test_irq_raise(volatile void *dev)
{
    *(volatile uint32_t *)dev = 1u << KEEL_ARCH_TEST_IRQ;
}

static inline void keel_arch_test_irq_clear(volatile void *dev)
{
    (void)dev;
}

#endif /* KEEL_USER_ARCH_SIM_H */
