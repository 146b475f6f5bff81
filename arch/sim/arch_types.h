/*
 * arch/sim/arch_types.h - the sim port's types for the core (see
 * arch/arch.h).  Included by kernel/, so it uses no libc header: the host
 * context of a thread is kept as opaque, aligned bytes.
 */
#ifndef KEEL_SIM_ARCH_TYPES_H
#define KEEL_SIM_ARCH_TYPES_H

#include <keel/fault.h>
#include <keel/syscall.h>
#include <keel/types.h>

#define ARCH_FRAME_SIZE_MASK ((1ul << 12) | (1ul << 21)) /* 4 KiB and 2 MiB frames */
#define ARCH_IRQ_TIMER 0u
#define ARCH_NUM_IRQS 32u
#define ARCH_USER_REGS 11u /* KEEL_UREG_PORTABLE: pc, sp, tls, the syscall registers */
#define ARCH_PAGE_TABLE_BITS 0u /* one host address space: no page tables */
#define SIM_HOST_CTX_BYTES 1024 /* room for a glibc ucontext_t (fallback switch) */

/* A sim thread: the syscall register file the user stub fills and reads,
 * how the thread starts (entry(regs[0]) on the stack below stack_top: its
 * "pc" and "sp"), and its host execution state (a fiber). */
typedef struct arch_ctx {
    keel_word_t regs[KEEL_REG_COUNT];
    keel_word_t sysno;
    keel_word_t entry, stack_top;
    keel_word_t tls;               /* user-writable thread pointer */
    keel_word_t stack_bytes;       /* stack extent below stack_top, for the tools */
    void *host_sp;                 /* saved stack pointer (hand-written switch) */
    void *asan_fake_stack;         /* ASan's fake-stack handle while switched out */
    unsigned valgrind_stack_id;
    uint8_t started;
    uint8_t restart;               /* re-execute the syscall on resume */
    _Alignas(16) unsigned char host[SIM_HOST_CTX_BYTES]; /* ucontext_t (fallback) */
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

#endif /* KEEL_SIM_ARCH_TYPES_H */
