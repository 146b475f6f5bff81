/*
 * libkeel.h - Keel's user library: syscall stubs, a typed wrapper for every
 * kernel invocation, error details, a CSpace slot allocator, an object
 * allocator over untyped memory, and printf over the debug console.
 *
 * Conventions: every invocation wrapper returns a keel_error_t (KEEL_OK or
 * an enum keel_error code); after a failure, keel_last_error() gives the
 * detail the kernel returned (argument index and three code-specific
 * words, see keel/errors.h) and keel_perror() prints it.  CSpace addresses
 * are (cptr, depth) pairs as in seL4; for slots of the root CNode use the
 * slot index with depth KEEL_WORD_BITS.
 */
#ifndef LIBKEEL_H
#define LIBKEEL_H

#include <keel/abi.h>

typedef int keel_error_t;

struct keel_error_detail {
    keel_error_t code;
    keel_word_t arg, v1, v2, v3;
};

/* ---- the runtime ---- */
/* A root task program: its name, a one-line summary, and its main, which
 * gets the boot info; returning from main halts the system with that
 * status.  Each program defines one with KEEL_ROOT_TASK(name, summary, fn);
 * keel-sim lists them in sim/systems.c. */
struct keel_root_task {
    const char *name;
    const char *summary;
    int (*main)(const struct keel_bootinfo *bi);
};
#define KEEL_ROOT_TASK(id, summary, fn) \
    const struct keel_root_task id##_root_task = {#id, summary, fn}

void keel_runtime_init(const struct keel_bootinfo *bi);
struct keel_ipc_buffer *keel_ipc_buffer(void);
void keel_set_ipc_buffer(struct keel_ipc_buffer *b);

/* ---- raw syscalls (arch stub: keel_arch_syscall) ---- */
void keel_arch_syscall(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT]);
/* Call: send (info, MR0..) to cap and wait for the reply; MRs beyond the
 * first four and extra caps go through the IPC buffer.  Returns the reply
 * info; reply MRs are left in mr[0..3] and the IPC buffer. */
keel_msginfo_t keel_call(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
void keel_send(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
void keel_nbsend(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
void keel_yield(void);

/* Invoke a kernel object: label, nwords argument words, ncaps extra caps. */
keel_error_t keel_invoke(keel_cptr_t cap, keel_word_t label, unsigned nwords,
                         const keel_word_t *words, unsigned ncaps, const keel_cptr_t *caps);
struct keel_error_detail keel_last_error(void);
const char *keel_error_name(keel_error_t code);
void keel_perror(const char *what);

/* ---- Untyped ---- */
keel_error_t keel_untyped_retype(keel_cptr_t untyped, keel_word_t type, keel_word_t size_bits,
                                 keel_cptr_t root, keel_word_t node_index,
                                 keel_word_t node_depth, keel_word_t node_offset,
                                 keel_word_t num_objects);

/* ---- CNode (the invoked CNode is the destination's root) ---- */
keel_error_t keel_cnode_copy(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights);
keel_error_t keel_cnode_mint(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth, keel_word_t rights, keel_word_t badge);
keel_error_t keel_cnode_move(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                             keel_cptr_t src_root, keel_word_t src_index,
                             keel_word_t src_depth);
keel_error_t keel_cnode_mutate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_cptr_t src_root, keel_word_t src_index,
                               keel_word_t src_depth, keel_word_t data);
keel_error_t keel_cnode_rotate(keel_cptr_t root, keel_word_t dest_index, keel_word_t dest_depth,
                               keel_word_t dest_badge, keel_cptr_t pivot_root,
                               keel_word_t pivot_index, keel_word_t pivot_depth,
                               keel_word_t pivot_badge, keel_cptr_t src_root,
                               keel_word_t src_index, keel_word_t src_depth);
keel_error_t keel_cnode_delete(keel_cptr_t root, keel_word_t index, keel_word_t depth);
keel_error_t keel_cnode_revoke(keel_cptr_t root, keel_word_t index, keel_word_t depth);

/* ---- debug syscalls ---- */
void keel_debug_putchar(char c);
void keel_debug_halt(int status);
int keel_debug_cap_identify(keel_cptr_t cap); /* enum keel_cap_type; 0 if none */
void keel_debug_snapshot(keel_word_t out[4]); /* enum keel_debug_counter */

/* ---- slot allocator: a bitmap over slots [start, end) of one CNode ---- */
#define KEEL_SLOTS_MAX 4096
struct keel_slots {
    keel_cptr_t cnode;     /* the CNode's cap (root task: KEEL_SLOT_INIT_CNODE) */
    keel_word_t start, end, hint, free;
    keel_word_t used[KEEL_SLOTS_MAX / (8 * sizeof(keel_word_t))];
};
void keel_slots_init(struct keel_slots *s, keel_cptr_t cnode, keel_word_t start, keel_word_t end);
/* A free slot index, or 0 when none is left (slot 0 is never handed out). */
keel_word_t keel_slot_alloc(struct keel_slots *s);
void keel_slot_free(struct keel_slots *s, keel_word_t slot);

/* ---- object allocator: objects from the boot untyped regions ---- */
struct keel_alloc {
    struct keel_slots slots;
    unsigned count;
    struct {
        keel_cptr_t cap;
        uint8_t size_bits, is_device;
        keel_word_t used; /* bytes, mirroring the kernel's watermark */
    } ut[KEEL_BOOTINFO_MAX_UNTYPED];
};
/* Use the root task's boot untyped and its empty slots. */
void keel_alloc_init(struct keel_alloc *a, const struct keel_bootinfo *bi);
/* Create one object in a fresh slot of the root CNode (best fit over the
 * untyped regions; device memory only for Frames and Untyped). */
keel_error_t keel_alloc_object(struct keel_alloc *a, keel_word_t type, keel_word_t size_bits,
                               keel_cptr_t *out);
/* The object size in log2 bytes, as the kernel computes it, or 0. */
unsigned keel_object_bits(keel_word_t type, keel_word_t size_bits);

/* ---- printf over the debug console ---- */
int keel_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int keel_snprintf(char *buf, unsigned long size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* LIBKEEL_H */
