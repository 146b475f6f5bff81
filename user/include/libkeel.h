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
/* A new thread's first register frame: regs[0..3] (pc, sp, tls, arg0) are
 * set; the arch may add registers after KEEL_UREG_PORTABLE - 1 (regs has
 * room for KEEL_UREG_PORTABLE + 1) so that returning from the entry
 * function is an unknown-syscall fault with number 0 on every arch.
 * Returns how many registers to write. */
unsigned keel_arch_thread_frame(keel_word_t *regs);

/* ---- IPC (docs/abi.md section 2) ----
 * Message registers: mr[0..3] travel in registers (in and out); MR4 and up,
 * extra caps (cptrs out, badges of unwrapped caps in) and the receive slot
 * live in the IPC buffer.  Every function returns the message info the
 * kernel left: for a receive, the message received (label, length, caps);
 * for Call, the reply; for a send, KEEL_OK or the error in the label.
 * `badge` (may be 0) gets the sender's badge, or a notification's word. */
keel_msginfo_t keel_call(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_send(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_nbsend(keel_cptr_t cap, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_recv(keel_cptr_t src, keel_word_t *badge, keel_cptr_t reply,
                         keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_nbrecv(keel_cptr_t src, keel_word_t *badge, keel_cptr_t reply,
                           keel_word_t mr[KEEL_MSG_REGS]);
/* Reply through `reply` with info/mr, then receive on src into mr. */
keel_msginfo_t keel_reply_recv(keel_cptr_t src, keel_msginfo_t info, keel_word_t *badge,
                               keel_cptr_t reply, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_nbsend_recv(keel_cptr_t dest, keel_msginfo_t info, keel_cptr_t src,
                                keel_word_t *badge, keel_cptr_t reply,
                                keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_nbsend_wait(keel_cptr_t dest, keel_msginfo_t info, keel_cptr_t src,
                                keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_wait(keel_cptr_t src, keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS]);
keel_msginfo_t keel_nbwait(keel_cptr_t src, keel_word_t *badge, keel_word_t mr[KEEL_MSG_REGS]);
void keel_yield(void);
/* Reply through a Reply object (a Send on its cap). */
keel_msginfo_t keel_reply(keel_cptr_t reply, keel_msginfo_t info, keel_word_t mr[KEEL_MSG_REGS]);
/* Where a capability received with the next message goes: slot `index`
 * at `depth` under the CNode `cnode` (a cptr in this thread's CSpace). */
void keel_set_receive_slot(keel_cptr_t cnode, keel_word_t index, keel_word_t depth);
/* Notifications: Signal is a Send of an empty message; Poll an NBWait. */
keel_error_t keel_signal(keel_cptr_t ntfn);
keel_word_t keel_poll(keel_cptr_t ntfn);

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
keel_error_t keel_cnode_cancel_badged_sends(keel_cptr_t root, keel_word_t index,
                                           keel_word_t depth);

/* ---- TCB (cptrs name caps in the caller's CSpace; 0: none) ---- */
keel_error_t keel_tcb_configure(keel_cptr_t tcb, keel_cptr_t fault_ep, keel_cptr_t cspace_root,
                                keel_word_t cspace_root_data, keel_cptr_t vspace_root,
                                keel_word_t vspace_root_data, keel_word_t buffer,
                                keel_cptr_t buffer_frame);
keel_error_t keel_tcb_set_priority(keel_cptr_t tcb, keel_cptr_t authority, keel_word_t prio);
keel_error_t keel_tcb_set_mc_priority(keel_cptr_t tcb, keel_cptr_t authority, keel_word_t mcp);
keel_error_t keel_tcb_set_ipc_buffer(keel_cptr_t tcb, keel_word_t buffer,
                                     keel_cptr_t buffer_frame);
/* Read `count` registers of the frame (enum keel_user_reg) into regs;
 * suspend_source: suspend the thread first. */
keel_error_t keel_tcb_read_registers(keel_cptr_t tcb, bool suspend_source, keel_word_t count,
                                     keel_word_t *regs);
/* Write registers 0..count-1; resume_target: resume the thread after. */
keel_error_t keel_tcb_write_registers(keel_cptr_t tcb, bool resume_target, keel_word_t count,
                                      const keel_word_t *regs);
keel_error_t keel_tcb_resume(keel_cptr_t tcb);
keel_error_t keel_tcb_suspend(keel_cptr_t tcb);
keel_error_t keel_tcb_bind_notification(keel_cptr_t tcb, keel_cptr_t ntfn);
keel_error_t keel_tcb_unbind_notification(keel_cptr_t tcb);
/* Where timeout faults (budget exhausted) go; 0: none. */
keel_error_t keel_tcb_set_timeout_endpoint(keel_cptr_t tcb, keel_cptr_t ep);

/* ---- Frame ---- */
/* The frame's physical address, and the address user code reaches it at
 * on arches without per-thread translation (sim, MPU ports), else 0. */
keel_error_t keel_frame_get_address(keel_cptr_t frame, keel_word_t *paddr, keel_word_t *vaddr);
/* Interrupts: a handler for line irq into (root, index, depth). */
keel_error_t keel_irq_control_get(keel_cptr_t irq_control, keel_word_t irq, keel_cptr_t root,
                                  keel_word_t index, keel_word_t depth);
keel_error_t keel_irq_handler_ack(keel_cptr_t handler);
keel_error_t keel_irq_handler_set_notification(keel_cptr_t handler, keel_cptr_t ntfn);
keel_error_t keel_irq_handler_clear(keel_cptr_t handler);
/* Address spaces (ports with page tables; docs/abi.md).  rights: Read,
 * Write; attr: KEEL_MAP_*. */
keel_error_t keel_frame_map(keel_cptr_t frame, keel_cptr_t vspace, keel_word_t vaddr,
                            keel_word_t rights, keel_word_t attr);
keel_error_t keel_frame_unmap(keel_cptr_t frame);
keel_error_t keel_page_table_map(keel_cptr_t table, keel_cptr_t vspace, keel_word_t vaddr);
keel_error_t keel_page_table_unmap(keel_cptr_t table);
/* A pool of 512 ASIDs from a 4 KiB RAM untyped, into (root, index, depth);
 * and a table made a VSpace root with the pool's lowest free ASID. */
keel_error_t keel_asid_control_make_pool(keel_cptr_t asid_control, keel_cptr_t untyped,
                                         keel_cptr_t root, keel_word_t index, keel_word_t depth);
keel_error_t keel_asid_pool_assign(keel_cptr_t pool, keel_cptr_t table, keel_word_t *asid);

struct keel_alloc;

/* ---- SchedControl and SchedContext (MCS) ---- */
keel_error_t keel_sched_control_configure(keel_cptr_t sched_control, keel_cptr_t sc,
                                          keel_word_t budget_us, keel_word_t period_us,
                                          keel_word_t extra_refills, keel_word_t badge,
                                          keel_word_t flags);
keel_error_t keel_sched_context_bind(keel_cptr_t sc, keel_cptr_t tcb_or_ntfn);
keel_error_t keel_sched_context_unbind(keel_cptr_t sc);
keel_error_t keel_sched_context_unbind_object(keel_cptr_t sc, keel_cptr_t tcb_or_ntfn);
/* Time charged to sc since the last call, in microseconds. */
keel_error_t keel_sched_context_consumed(keel_cptr_t sc, keel_word_t *us);
/* Let the thread on sc run in the caller's place (if its priority is at
 * least the caller's) or next at its priority; *us: the time consumed on
 * sc, including that run. */
keel_error_t keel_sched_context_yield_to(keel_cptr_t sc, keel_word_t *us);


/* ---- threads: a TCB, an IPC buffer frame, a stack and a start ---- */
struct keel_thread {
    keel_cptr_t tcb;          /* the thread's TCB cap (in the creator's CNode) */
    keel_cptr_t ipc_frame;    /* the frame holding its IPC buffer */
    struct keel_ipc_buffer *ipc_buffer;
    keel_cptr_t sc;           /* its own scheduling context (0: none yet) */
};
/* keel_thread_create_in, in the allocator's VSpace. */
keel_error_t keel_thread_create(struct keel_alloc *a, struct keel_thread *t,
                                void (*entry)(keel_word_t), keel_word_t arg, void *stack_top,
                                keel_word_t prio, keel_cptr_t fault_ep);
/* Create a thread in the caller's CSpace and VSpace `vspace` (0 when the
 * arch has no page tables) with objects from
 * `a`, priority `prio` (authority: the caller's own TCB), fault endpoint
 * `fault_ep` (0: none), ready to run entry(arg) on the stack that ends at
 * stack_top.  It has no scheduling context: it runs once resumed
 * (keel_thread_start) and given time (keel_thread_give_time), or as a
 * passive server on its callers' time.  Its IPC buffer is set up as
 * libkeel expects (mapped into vspace; t->ipc_buffer is its address there). */
keel_error_t keel_thread_create_in(struct keel_alloc *a, struct keel_thread *t,
                                   keel_cptr_t vspace, void (*entry)(keel_word_t),
                                   keel_word_t arg, void *stack_top, keel_word_t prio,
                                   keel_cptr_t fault_ep);
/* Give t a scheduling context of its own from `a`, configured through
 * sched_control: budget_us every period_us (equal: round-robin with that
 * time slice; else a sporadic server with `flags`). */
keel_error_t keel_thread_give_time(struct keel_alloc *a, struct keel_thread *t,
                                   keel_cptr_t sched_control, keel_word_t budget_us,
                                   keel_word_t period_us, keel_word_t flags);
keel_error_t keel_thread_start(struct keel_thread *t);

/* ---- arch test hooks: make the calling thread take a user exception
 * (illegal instruction) or a VM fault (bad access at addr).  On sim these
 * are traps the port turns into the same faults hardware would raise. ---- */
void keel_test_user_exception(keel_word_t number, keel_word_t code);
void keel_test_vm_fault(keel_word_t addr);
/* Stand for ns nanoseconds of computation without a syscall (on sim:
 * virtual time passes and the timer may preempt the thread anywhere in
 * it; a hardware port spins that long). */
void keel_test_compute(keel_word_t ns);

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
    const struct keel_bootinfo *bi;
    keel_cptr_t vspace;          /* the root task's VSpace (0: no page tables) */
    keel_cptr_t asid_pool;       /* where keel_vspace_create takes ASIDs from */
    keel_word_t map_next, map_end; /* user addresses not yet handed out */
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
 * RAM untyped regions; never device memory: a driver retypes the device
 * untyped that covers its registers itself). */
keel_error_t keel_alloc_object(struct keel_alloc *a, keel_word_t type, keel_word_t size_bits,
                               keel_cptr_t *out);
/* The object size in log2 bytes, as the kernel computes it, or 0. */
unsigned keel_object_bits(keel_word_t type, keel_word_t size_bits);

/* ---- memory: frames the caller can touch, and address spaces
 * (user/lib/vspace.c).  Without page tables (sim) a frame is reachable
 * where Frame_GetAddress says and none of this maps anything. ---- */
/* Where the caller reaches frame (2^size_bits bytes): its address if it
 * has one, else mapped (read-write, no execute) into a->vspace at the
 * next free address. */
keel_error_t keel_frame_vaddr(struct keel_alloc *a, keel_cptr_t frame, keel_word_t size_bits,
                              keel_word_t *vaddr);
/* A frame over the device registers at paddr, for a driver: retyped from
 * the boot info's device untyped that covers it (the frames before it in
 * that untyped too, kept in slots of `a`).  FailedLookup: no device
 * untyped covers paddr; NotEnoughMemory: its frame was taken already. */
keel_error_t keel_device_frame(struct keel_alloc *a, keel_word_t paddr, keel_cptr_t *frame);
/* A new frame from `a`, and keel_frame_vaddr's address for it. */
keel_error_t keel_alloc_frame(struct keel_alloc *a, keel_word_t size_bits, keel_cptr_t *frame,
                              keel_word_t *vaddr);
/* Map frame into vspace at vaddr, creating the page tables on the way. */
keel_error_t keel_map_frame(struct keel_alloc *a, keel_cptr_t vspace, keel_cptr_t frame,
                            keel_word_t vaddr, keel_word_t rights, keel_word_t attr);
/* A user address range of `bytes` (aligned to 2^align_bits) that nothing
 * from `a` uses in any address space, or 0 when none is left. */
keel_word_t keel_alloc_vaddr(struct keel_alloc *a, keel_word_t bytes, keel_word_t align_bits);
/* A new VSpace (a PageTable with an ASID from a->asid_pool) with the root task's image
 * mapped into it as in the root task's own (copies of the image frame
 * caps, so the program's code and data are shared). */
keel_error_t keel_vspace_create(struct keel_alloc *a, keel_cptr_t *vspace);

/* ---- printf over the debug console ---- */
int keel_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int keel_snprintf(char *buf, unsigned long size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* LIBKEEL_H */
