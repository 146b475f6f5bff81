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
    THREAD_INACTIVE = 0,      /* created or suspended: never scheduled */
    THREAD_RUNNING = 1,       /* runnable: current, or in its ready queue */
    THREAD_BLOCKED_SEND = 2,  /* queued on blocked_on (an endpoint) to send */
    THREAD_BLOCKED_RECV = 3,  /* queued on blocked_on (an endpoint) to receive */
    THREAD_BLOCKED_REPLY = 4, /* its Call was received; waits on reply_obj */
    THREAD_BLOCKED_NTFN = 5,  /* queued on blocked_on (a notification) */
    THREAD_IDLE = 6           /* the idle thread */
};

/* What a thread blocked in a send remembers about it. */
#define IPC_F_CALL 0x01
#define IPC_F_GRANT 0x02
#define IPC_F_GRANT_REPLY 0x04
#define IPC_F_DONATE 0x08      /* NBSendRecv/NBSendWait: give the context away */

#define FAULT_WORDS 6

struct reply;
struct notification;

struct tcb {
    arch_ctx_t ctx;                 /* saved user context: first, for ports */
    slot_t slots[TCB_SLOT_COUNT];
    uint8_t state;                  /* enum thread_state */
    uint8_t priority;
    uint8_t mcp;
    uint8_t ipc_flags;              /* IPC_F_*, while blocked in a send */
    uint8_t fault_type;             /* enum keel_fault_type: a fault being delivered */
    uint8_t in_release;             /* waiting in the release queue for budget */
    word_t ipc_buffer_user;         /* user address of the IPC buffer, inside the
                                     * frame in slots[TCB_SLOT_IPC_BUFFER] */
    word_t ipc_badge;               /* the badge of a blocked send */
    void *blocked_on;               /* endpoint or notification it is queued on */
    struct tcb *ipc_next;           /* that object's queue */
    struct tcb *ipc_prev;
    struct reply *reply_obj;        /* BLOCKED_RECV: the Reply object offered;
                                     * BLOCKED_REPLY: the one holding this caller */
    struct notification *bound_ntfn;
    struct sched_context *sc;       /* bound scheduling context (MCS) */
    struct tcb *sched_next;         /* ready queue link */
    struct tcb *sched_prev;
    struct sched_context *yield_to; /* YieldTo: the context it waits on (MCS) */
    uint32_t tid;                   /* trace id (keel/trace.h) */
    word_t fault[FAULT_WORDS];      /* the fault's words (keel/fault.h) */
};

/* Thread queues of endpoints and notifications: FIFO, doubly linked
 * through tcb.ipc_next/ipc_prev. */
struct tcb_queue {
    struct tcb *head;
    struct tcb *tail;
};

enum ep_state { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 };

struct endpoint {
    struct tcb_queue queue;         /* senders (EP_SEND) or receivers (EP_RECV) */
    word_t state;
};

enum ntfn_state { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 };

struct notification {
    struct tcb_queue queue;         /* waiters (NTFN_WAITING) */
    word_t state;
    word_t word;                    /* pending badge bits (NTFN_ACTIVE) */
    struct tcb *bound_tcb;
    struct sched_context *sc;       /* bound scheduling context (MCS) */
};

/* A Reply object links a caller to whoever received its Call; while a
 * receiver waits with it, it names that receiver. */
struct reply {
    struct tcb *tcb;                /* the caller (BLOCKED_REPLY) or receiver (BLOCKED_RECV) */
    struct sched_context *donated;  /* the caller's context, lent to the server (MCS) */
    struct reply *donated_prev;     /* the older loan of the same context (a call chain) */
};

/* One refill of a scheduling context: `amount` ns usable from `release`. */
struct refill {
    uint64_t release_ns;
    uint64_t amount_ns;
};

/* A scheduling context: its parameters, the thread and notification it
 * is bound to, and a circular buffer of refills filling the rest of the
 * object (refill_max of them, KEEL_SC_HEADER_BYTES in). */
struct sched_context {
    uint64_t budget_ns;
    uint64_t period_ns;
    uint64_t consumed_ns;           /* since the last SchedContext_Consumed */
    uint64_t charged_at_ns;         /* when it was last charged: in use until then */
    word_t badge;                   /* identifies it in timeout faults */
    word_t flags;                   /* KEEL_SC_FLAG_* */
    struct tcb *tcb;
    struct notification *ntfn;
    struct reply *reply;            /* the newest loan: Reply objects from donated_prev */
    struct tcb *yield_from;         /* the thread whose YieldTo waits on this context */
    word_t refill_max;              /* refills that fit the object */
    word_t refill_used;             /* refills Configure allows (<= refill_max) */
    word_t refill_head, refill_count;
};
_Static_assert(sizeof(struct sched_context) <= KEEL_SC_HEADER_BYTES, "SC header too large");
_Static_assert(sizeof(struct refill) == KEEL_SC_REFILL_BYTES, "refill size");

static inline struct refill *sc_refill(struct sched_context *sc, word_t i)
{
    return (struct refill *)((char *)sc + KEEL_SC_HEADER_BYTES) + i;
}

_Static_assert(sizeof(struct tcb) <= (1u << KEEL_TCB_BITS), "TCB too large");
_Static_assert(sizeof(struct endpoint) <= (1u << KEEL_ENDPOINT_BITS), "endpoint too large");
_Static_assert(sizeof(struct notification) <= (1u << KEEL_NOTIFICATION_BITS), "ntfn too large");
_Static_assert(sizeof(struct reply) <= (1u << KEEL_REPLY_BITS), "reply too large");

/* object.c */
int object_size_bits(word_t type, word_t user_bits, word_t *bits, struct kerr *e);
cap_t object_create(word_t type, unsigned bits, word_t addr, bool device);
void object_finalise(const cap_t *c);
bool object_is_container(const cap_t *c);
word_t container_nslots(const cap_t *zombie);
slot_t *container_slot(const cap_t *zombie, word_t i);

#endif /* KEEL_OBJECTS_H_INTERNAL */
