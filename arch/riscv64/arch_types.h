/*
 * arch/riscv64/arch_types.h - the riscv64 port's types for the core (see
 * arch/arch.h).  A thread's context is its 31 integer registers plus the
 * pc to resume at (kept in slot 0, where x0 would be) and how far that pc
 * is past the trapping instruction (4 after an ecall, 0 after a fault or
 * an interrupt), which makes "execute the syscall again" idempotent.
 *
 * Syscall ABI: a0..a7 hold the eight syscall registers (enum keel_sysreg),
 * t0 the syscall number, tp the thread pointer (libkeel: the IPC buffer).
 */
#ifndef KEEL_RISCV64_ARCH_TYPES_H
#define KEEL_RISCV64_ARCH_TYPES_H

#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/types.h>

#define ARCH_FRAME_SIZE_MASK ((1ul << 12) | (1ul << 21)) /* 4 KiB and 2 MiB frames */
#define ARCH_IRQ_TIMER 0u   /* PLIC source 0 does not exist: the kernel timer's number */
#define ARCH_NUM_IRQS 64u   /* QEMU virt's PLIC sources 1..63 */
#define ARCH_USER_REGS 32u  /* the portable 11, then ra gp t0-t2 s0-s1 s2-s11 t3-t6 */
#define ARCH_PAGE_TABLE_BITS 12u /* Sv39: 512 entries of 8 bytes at every level */

#define RV_CTX_PC 0         /* x[0]: the pc (x0 reads as zero and is not saved) */
#define RV_REG_SP 2
#define RV_REG_TP 4
#define RV_REG_T0 5
#define RV_REG_A0 10

/* Test hooks (libkeel's keel_test_user_exception and keel_test_vm_fault):
 * an ecall with one of these in t0 is taken as that fault, with a0 and a1
 * as its words, and a reply that resumes the thread returns from the
 * ecall, as on the sim.  Real faults are taken as themselves. */
#define RV_TRAP_USER_EXCEPTION 0x1000ul
#define RV_TRAP_VM_FAULT 0x1001ul

typedef struct arch_ctx {
    keel_word_t x[32];      /* x[0] = pc, x[1..31] = x1..x31 */
    keel_word_t advance;    /* bytes x[0] is past the trapping ecall (restart: step back) */
} arch_ctx_t;

static inline keel_word_t arch_ctx_sysno(const arch_ctx_t *c)
{
    return c->x[RV_REG_T0];
}

static inline keel_word_t arch_ctx_get(const arch_ctx_t *c, unsigned i)
{
    return i < KEEL_REG_COUNT ? c->x[RV_REG_A0 + i] : 0;
}

static inline void arch_ctx_set(arch_ctx_t *c, unsigned i, keel_word_t v)
{
    if (i < KEEL_REG_COUNT)
        c->x[RV_REG_A0 + i] = v;
}

#endif /* KEEL_RISCV64_ARCH_TYPES_H */
