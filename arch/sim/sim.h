/*
 * arch/sim/sim.h - the sim machine's interface for its host-side users:
 * the keel-sim runner, the unit-test harness, and libkeel's sim syscall
 * stub (which stands for the trap instruction of a real port).
 *
 * The machine: one host process; the kernel runs on the host's main stack
 * and each user thread is a fiber on its own stack.  Physical memory is an
 * aligned host arena presented at SIM_PHYS_BASE, so addresses the kernel
 * reports are the same in every run.  Time is virtual: it advances only by
 * the cost model below, never with the host clock.
 */
#ifndef KEEL_SIM_H
#define KEEL_SIM_H

#include <arch.h>
#include <keel/bootinfo.h>
#include <keel/trace.h>

#define SIM_PHYS_BASE 0x80000000ul   /* where RAM appears */
#define SIM_DEV_PHYS 0x10000000ul    /* where the device region appears */
#define SIM_DEV_BYTES (1ul << 20)
/* The device region's first word is an interrupt generator: user code
 * (a driver with a device frame over it) writes a mask of lines, and each
 * of them (the timer's excepted) becomes pending at the next kernel entry;
 * the word reads 0 again then.  The system tests drive IRQHandlers with it. */
#define SIM_DEV_IRQ_RAISE 0ul         /* offset in the device region */

/* Cost model, in virtual ns. */
#define SIM_COST_KERNEL_ENTRY_NS 200 /* each syscall or interrupt entry */
#define SIM_COST_PREEMPT_POLL_NS 20000 /* per preemption poll: 100 work units of 200 ns */
#define SIM_COST_EDGE_NS 2           /* each branch edge of user code (a preemption point) */

typedef int (*sim_main_fn)(const struct keel_bootinfo *bi);

/* Fault injection: every random choice comes from sim_config.seed, so a
 * seed reproduces the run.  0 turns an injection off. */
struct sim_inject {
    uint64_t jitter_ns;      /* the timer fires up to this late (uniform) */
    uint64_t spurious_every; /* a spurious timer interrupt at 1 in N user traps */
    uint64_t storm_every;    /* a storm of storm_len timer interrupts, 1 in N traps */
    uint64_t storm_len;
    uint64_t crash_within;   /* one user trap, among the first N, becomes a user
                              * exception (SIM_CRASH_NUMBER) instead of its syscall */
    uint64_t retype_fail_at; /* the Nth valid Untyped_Retype fails: NotEnoughMemory */
};
#define SIM_CRASH_NUMBER 0xc0ffee /* the exception number of an injected crash */

struct sim_config {
    void (*root_entry)(keel_word_t bootinfo); /* the root task's first code (libkeel:
                                               * sim_entry_root); 0 in unit tests */
    sim_main_fn root_main;        /* the root task's main, which root_entry calls */
    keel_word_t ram_bytes;        /* physical memory (power of two) */
    keel_word_t root_stack_bytes;
    unsigned root_cnode_radix;    /* 0: kernel default */
    bool log_user_errors;
    bool console_off;             /* drop the kernel's console output (fuzzing) */
    uint64_t max_entries;         /* 0: no limit */
    /* Called after every kernel entry; a non-null result stops the run
     * with SIM_STATUS_CHECK (keel-sim --check runs the invariant checker). */
    const char *(*after_entry)(void);
    /* The kernel trace (keel/trace.h): every record, in order, in batches
     * (the machine buffers them); 0: the kernel does not emit records
     * (keel-sim --trace writes a file). */
    void (*trace)(const struct keel_trace_rec *recs, size_t n, void *arg);
    void *trace_arg;
    uint64_t until_ns;            /* stop when virtual time reaches it; 0: never */
    uint64_t seed;                /* for injection (and anything random to come) */
    struct sim_inject inject;
};

struct sim_result {
    int status;                   /* DebugHalt status, or a SIM_STATUS_* below */
    bool halted;                  /* the system called DebugHalt */
    const char *failure;          /* SIM_STATUS_CHECK: what after_entry reported */
    uint64_t entries;
    uint64_t time_ns;
    uint64_t injected;            /* injected events (interrupts, crashes) */
};

#define SIM_STATUS_IDLE 120       /* no runnable thread and no timer: nothing can happen */
#define SIM_STATUS_LIMIT 121      /* max_entries reached */
#define SIM_STATUS_CHECK 122      /* after_entry reported a failure */
#define SIM_STATUS_TIME 123       /* until_ns reached */

/* Boot the kernel on a fresh arena and run until halt or idle. */
struct sim_result sim_run(const struct sim_config *cfg);

/* Boot only (for the unit-test harness, which drives kentry_* itself).
 * Returns the arena's kernel address; sim_shutdown() frees it. */
void *sim_boot(const struct sim_config *cfg, struct kboot_params *out);
void sim_shutdown(void);
uint64_t *sim_clock(void);       /* the virtual clock, for tests */
uint64_t sim_deadline(void);     /* the timer's deadline (UINT64_MAX: off), for tests */
void sim_raise_irq(unsigned irq);
/* Deliver every pending, unmasked interrupt to the kernel now. */
void sim_deliver_irqs(void);
/* For harnesses without user code: c (the current thread, its registers
 * set) makes syscall `sysno`; a syscall stopped at a kernel preemption
 * point is executed again once the interrupt is taken, as the run loop
 * would, while c stays current. */
void sim_kernel_syscall(arch_ctx_t *c, keel_word_t sysno);
const char *sim_switch_kind(void);

/* Trap numbers above every syscall: the port raises these faults instead
 * of entering the syscall path (regs[0], regs[1]: the fault's words). */
#define SIM_TRAP_USER_EXCEPTION 0x1000ul
#define SIM_TRAP_VM_FAULT 0x1001ul
/* Not a kernel entry: the thread computes for regs[0] ns of virtual time
 * without a syscall.  The clock advances up to the timer deadline; what
 * is left comes back in regs[0] once the thread runs again (the timer
 * interrupt may switch it out in between). */
#define SIM_TRAP_COMPUTE 0x1002ul
/* Not a kernel entry either: user code reached a preemption point with
 * the timer due; the interrupt is taken, then the thread goes on. */
#define SIM_TRAP_PREEMPT 0x1003ul

/* ---- user side: called on a user thread's fiber ---- */
/* Enter the kernel with syscall `sysno`; regs in: arguments, out: results. */
void sim_syscall(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT]);
/* A preemption point: user code calls it at every branch edge (preempt.c). */
void sim_preempt_point(void);
keel_word_t sim_tls_get(void);
void sim_tls_set(keel_word_t v);
/* The system's root main, for the user runtime's start routine. */
sim_main_fn sim_root_main(void);
void sim_entry_root(keel_word_t bootinfo); /* libkeel's root task start on sim */

/* ctx.c: fibers (internal to the port) */
void sim_fiber_resume(arch_ctx_t *c);     /* kernel -> thread, until it traps */
void sim_fiber_trap(arch_ctx_t *c);       /* thread -> kernel */
void sim_fiber_forget(arch_ctx_t *c);
void sim_fiber_thread_main(arch_ctx_t *c) __attribute__((noreturn));

#endif /* KEEL_SIM_H */
