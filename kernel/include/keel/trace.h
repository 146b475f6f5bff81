/*
 * keel/trace.h - the kernel trace: one record format on every arch.
 *
 * The kernel emits fixed-size records (struct keel_trace_rec) at the
 * events below; the arch stores them (the sim appends them to the file
 * given by `keel-sim --trace FILE`, behind a struct keel_trace_header).
 * docs/trace-format.md is the reference for readers; build/bin/ktrace
 * dumps a trace, summarises it and converts it for the Perfetto UI.
 *
 * Threads are named by a trace id (tid): 0 is the idle thread, 1 the root
 * task, then every TCB retyped gets the next number; ids are never
 * reused within a run.  Times are the kernel clock in ns (virtual on sim)
 * and never decrease from one record to the next.  All fields are
 * little-endian in the file (the sim's hosts are); reserved fields are 0.
 */
#ifndef KEEL_TRACE_H
#define KEEL_TRACE_H

#include <keel/types.h>

#define KEEL_TRACE_MAGIC "KEELTRC"     /* 8 bytes with the terminating 0 */
#define KEEL_TRACE_VERSION 1u

/* The file header: one, at offset 0, followed by records to the end. */
struct keel_trace_header {
    char magic[8];                    /* KEEL_TRACE_MAGIC */
    uint32_t version;                 /* KEEL_TRACE_VERSION */
    uint32_t record_bytes;            /* sizeof(struct keel_trace_rec) = 40 */
    uint64_t seed;                    /* the run's seed (keel-sim --seed) */
    uint32_t word_bits;               /* the kernel's word size: 32 or 64 */
    uint32_t reserved;
    char system[32];                  /* the system's name, 0-terminated */
};

/* One event.  a0..a2 depend on the type (below). */
struct keel_trace_rec {
    uint64_t time_ns;
    uint16_t type;                    /* enum keel_trace_type */
    uint16_t cpu;                     /* always 0: one CPU */
    uint32_t tid;                     /* the thread the event is about */
    uint64_t a0, a1, a2;
};

enum keel_trace_type {
    /* tid starts running; a0 = the thread that stopped (0 also when it
     * was destroyed: reason STOPPED), a1 = why it stopped (enum
     * keel_trace_switch), a2 = threads ready (queued to run) after the
     * switch. */
    KEEL_TRACE_SWITCH = 1,
    /* tid entered the kernel with a syscall: a0 = syscall number
     * (enum keel_syscall), a1 = its CPTR register. */
    KEEL_TRACE_SYSCALL = 2,
    /* The kernel finished tid's syscall: a0 = the syscall number, a1 =
     * the reply label in INFO (an error code, or the message label),
     * a2 = tid's thread state afterwards (enum keel_trace_state). */
    KEEL_TRACE_SYSCALL_EXIT = 3,
    /* tid's message went to a receiver: a0 = message id (unique in the
     * run), a1 = its info word (label, caps, length), a2 = the badge. */
    KEEL_TRACE_IPC_SEND = 4,
    /* tid received message a0 (the IPC_SEND with that id, at the same
     * instant), from thread a1; a2 = 1 if it is a reply. */
    KEEL_TRACE_IPC_RECV = 5,
    /* tid signalled a notification: a0 = the notification's kernel
     * address, a1 = the badge, a2 = the thread woken (tid + 1), or 0. */
    KEEL_TRACE_SIGNAL = 6,
    /* An interrupt: a0 = its number; tid = the thread it interrupted. */
    KEEL_TRACE_IRQ = 7,
    /* tid's scheduling context ran out of budget: a0 = the context's
     * badge, a1 = its consumed time in us, a2 = 1 if a timeout fault
     * follows. */
    KEEL_TRACE_BUDGET = 8,
    /* tid faulted: a0 = fault type (enum keel_fault_type), a1, a2 =
     * its first two words. */
    KEEL_TRACE_FAULT = 9,
    /* tid's state changed outside its own syscall: a0 = the new state,
     * a1 = the old one (enum keel_trace_state).  Emitted when a thread
     * becomes runnable (woken by IPC, a signal, a reply, a fault reply,
     * Resume) and when it is suspended. */
    KEEL_TRACE_STATE = 10,
    /* tid's priority is now a0 (0..255).  Emitted for the root task at
     * boot and whenever a thread's priority is set (TCB_SetPriority); a
     * thread with no such record has priority 0, as every new TCB. */
    KEEL_TRACE_PRIORITY = 11,
    KEEL_TRACE_TYPE_COUNT
};

/* Why the previous thread stopped (SWITCH a1). */
enum keel_trace_switch {
    KEEL_TRACE_SW_BLOCKED = 0,        /* it blocked in IPC or a wait */
    KEEL_TRACE_SW_PREEMPTED = 1,      /* a higher priority became ready */
    KEEL_TRACE_SW_YIELDED = 2,        /* Yield, or YieldTo */
    KEEL_TRACE_SW_BUDGET = 3,         /* its budget ran out */
    KEEL_TRACE_SW_STOPPED = 4,        /* suspended, faulted, or without a context */
    KEEL_TRACE_SW_IDLE = 5            /* the idle thread stopped */
};

/* Thread states as the trace reports them (the kernel's own values). */
enum keel_trace_state {
    KEEL_TRACE_ST_INACTIVE = 0,
    KEEL_TRACE_ST_RUNNING = 1,        /* running or ready */
    KEEL_TRACE_ST_BLOCKED_SEND = 2,
    KEEL_TRACE_ST_BLOCKED_RECV = 3,
    KEEL_TRACE_ST_BLOCKED_REPLY = 4,
    KEEL_TRACE_ST_BLOCKED_NTFN = 5,
    KEEL_TRACE_ST_IDLE = 6
};

#endif /* KEEL_TRACE_H */
