/*
 * kernel/objects.h - layouts of the kernel objects that Retype creates and
 * the operations every object type supports: create (from untyped memory)
 * and finalise (when its last capability is deleted).
 *
 * Objects live in untyped memory and are addressed by kernel pointers;
 * their capabilities carry those pointers.  Endpoint, Notification, Reply
 * and SchedContext keep the fields their full behaviour needs (IPC and MCS
 * fill them in); today they are created, named by capabilities, derived and
 * destroyed.
 */
#ifndef KEEL_OBJECTS_H_INTERNAL
#define KEEL_OBJECTS_H_INTERNAL

#include "cap.h"

/* Capability slots every TCB holds (its CSpace root, address space root,
 * IPC buffer frame, fault and timeout endpoints), as seL4's TCB CNode. */
enum tcb_slot {
    TCB_SLOT_CSPACE = 0,
    TCB_SLOT_VSPACE = 1,
    TCB_SLOT_IPC_BUFFER = 2,
    TCB_SLOT_FAULT_EP = 3,
    TCB_SLOT_TIMEOUT_EP = 4,
    TCB_SLOT_COUNT = 5
};

enum thread_state {
    THREAD_INACTIVE = 0,  /* created or suspended: never scheduled */
    THREAD_RUNNING = 1,   /* runnable: current or in the ready queue */
    THREAD_IDLE = 2       /* the idle thread */
};

struct tcb {
    arch_ctx_t ctx;                 /* saved user context: first, for ports */
    slot_t slots[TCB_SLOT_COUNT];
    uint8_t state;                  /* enum thread_state */
    uint8_t priority;
    uint8_t mcp;
    word_t ipc_buffer_user;         /* user address of the IPC buffer, inside the
                                     * frame in slots[TCB_SLOT_IPC_BUFFER] */
    struct tcb *sched_next;         /* ready queue link */
    struct tcb *sched_prev;
};

struct endpoint {
    struct tcb *queue_head;
    struct tcb *queue_tail;
    word_t state;
};

struct notification {
    word_t word;                    /* pending badge bits */
    struct tcb *queue_head;
    struct tcb *queue_tail;
    struct tcb *bound_tcb;
};

struct reply {
    struct tcb *caller;
    struct reply *prev;
    struct reply *next;
};

struct sched_context {
    uint64_t budget_ns;
    uint64_t period_ns;
    uint64_t consumed_ns;
    struct tcb *tcb;
    word_t refill_max;              /* refills that fit the object */
};

_Static_assert(sizeof(struct tcb) <= (1u << KEEL_TCB_BITS), "TCB too large");
_Static_assert(sizeof(struct endpoint) <= (1u << KEEL_ENDPOINT_BITS), "endpoint too large");
_Static_assert(sizeof(struct notification) <= (1u << KEEL_NOTIFICATION_BITS), "ntfn too large");
_Static_assert(sizeof(struct reply) <= (1u << KEEL_REPLY_BITS), "reply too large");
_Static_assert(sizeof(struct sched_context) <= (1u << KEEL_SCHED_CONTEXT_MIN_BITS), "SC too large");

/* object.c */
int object_size_bits(word_t type, word_t user_bits, word_t *bits, struct kerr *e);
cap_t object_create(word_t type, unsigned bits, word_t addr, bool device);
void object_finalise(const cap_t *c);
bool object_is_container(const cap_t *c);
word_t container_nslots(const cap_t *zombie);
slot_t *container_slot(const cap_t *zombie, word_t i);

#endif /* KEEL_OBJECTS_H_INTERNAL */
