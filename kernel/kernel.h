/*
 * kernel/kernel.h - what every file of the core includes: the ABI, the
 * arch contract, configuration, basic helpers, the error-detail type and
 * the kernel-wide state.
 *
 * Error convention: functions that can fail return an int (enum
 * keel_error, or KEEL_PREEMPTED) and fill a struct kerr passed by pointer.
 * Decoders (<obj>_decode_*) check everything and change nothing; invokers
 * (<obj>_invoke_*) change state and return only KEEL_OK or KEEL_PREEMPTED.
 */
#ifndef KEEL_KERNEL_H
#define KEEL_KERNEL_H

#include <keel/abi.h>
#include <arch.h>
#include "config.h"

typedef keel_word_t word_t;

#define BIT(n) ((word_t)1 << (n))
#define MASK(n) ((n) >= KEEL_WORD_BITS ? ~(word_t)0 : BIT(n) - 1)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED __attribute__((unused))

/* Not a user-visible error: the operation stopped at a preemption point
 * and the syscall will be executed again. */
#define KEEL_PREEMPTED 0x1000

/* The detail of a failed operation (see keel/errors.h for the meaning of
 * v1..v3 per code), and in debug builds a one-line reason. */
struct kerr {
    word_t arg;
    word_t v1, v2, v3;
    const char *why;
};

static inline int kerr_set(struct kerr *e, int code, word_t arg, word_t v1, word_t v2,
                           word_t v3, const char *why)
{
    e->arg = arg;
    e->v1 = v1;
    e->v2 = v2;
    e->v3 = v3;
    e->why = CONFIG_DEBUG ? why : 0;
    return code;
}

/* klib.c: the few library routines the core needs (no libc). */
void kmemset(void *p, int c, word_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kpanic_at(const char *file, int line, const char *msg) __attribute__((noreturn));

#define kpanic(msg) kpanic_at(__FILE__, __LINE__, msg)
#define kassert(x)                                  \
    do {                                            \
        if (CONFIG_DEBUG && !(x))                   \
            kpanic_at(__FILE__, __LINE__, #x);      \
    } while (0)

static inline bool is_aligned(word_t v, unsigned bits)
{
    return (v & MASK(bits)) == 0;
}

static inline word_t align_up(word_t v, unsigned bits)
{
    return (v + MASK(bits)) & ~MASK(bits);
}

#endif /* KEEL_KERNEL_H */
