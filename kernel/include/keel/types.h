/*
 * keel/types.h - basic ABI types shared by the kernel and user space.
 *
 * Keel's ABI is word-based: every syscall argument, message register,
 * badge and capability pointer is one machine word (64 bits on sim, riscv64
 * and aarch64; 32 bits on armv8m).  Only compiler-provided freestanding
 * headers are used, so this file builds in the kernel, in user programs and
 * on the host alike.
 */
#ifndef KEEL_TYPES_H
#define KEEL_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef uintptr_t keel_word_t;
typedef intptr_t keel_sword_t;

/* A capability pointer: an address in a CSpace, resolved with a depth. */
typedef keel_word_t keel_cptr_t;

#define KEEL_WORD_BITS ((unsigned)(sizeof(keel_word_t) * 8u))

#endif /* KEEL_TYPES_H */
