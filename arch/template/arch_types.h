/*
 * arch/template/arch_types.h - the template port: the smallest types that
 * satisfy arch/arch.h.  Not a machine: `make test` compiles and links the
 * core against it for riscv64 with -ffreestanding -nostdlib, which proves
 * kernel/ needs nothing from any host.  Copy this directory to start a
 * new port.
 */
#ifndef KEEL_TEMPLATE_ARCH_TYPES_H
#define KEEL_TEMPLATE_ARCH_TYPES_H

#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/types.h>

#define ARCH_FRAME_SIZE_MASK (1ul << 12)
#define ARCH_IRQ_TIMER 0u
#define ARCH_NUM_IRQS 32u
#define ARCH_USER_REGS 11u /* KEEL_UREG_PORTABLE: pc, sp, tp, the syscall registers */
#define ARCH_PAGE_TABLE_BITS 0u /* an MMU port: the size of its page tables */

typedef struct arch_ctx {
    keel_word_t regs[KEEL_REG_COUNT];
    keel_word_t sysno, pc, sp, tp;
} arch_ctx_t;

static inline keel_word_t arch_ctx_sysno(const arch_ctx_t *c)
{
    return c->sysno;
}

static inline keel_word_t arch_ctx_get(const arch_ctx_t *c, unsigned i)
{
    return i < KEEL_REG_COUNT ? c->regs[i] : 0;
}

static inline void arch_ctx_set(arch_ctx_t *c, unsigned i, keel_word_t v)
{
    if (i < KEEL_REG_COUNT)
        c->regs[i] = v;
}

#endif
