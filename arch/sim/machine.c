/*
 * arch/sim/machine.c - the sim machine: physical memory (an aligned host
 * arena), a virtual clock with a one-shot timer, an interrupt controller
 * (pending and mask bits), the debug console, and the run loop that enters
 * the kernel for every trap and interrupt.  Implements arch/arch.h.
 *
 * Determinism: nothing here reads the host clock or takes signals.  The
 * clock moves by SIM_COST_* at kernel entries and preemption polls, and
 * jumps to the next timer deadline when the kernel idles.  Kernel pointers
 * differ between runs (the arena is where mmap puts it), but everything the
 * kernel reports uses physical addresses, which do not.
 */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static struct {
    unsigned char *ram, *dev;      /* host addresses of RAM and the device region */
    size_t ram_bytes, map_bytes;
    void *map;
    uint64_t now, deadline;        /* virtual ns; deadline UINT64_MAX: timer off */
    uint32_t pending, masked;
    bool irq_on;                   /* "interrupts enabled": true while user code runs */
    bool halted;
    int status;
    uint64_t entries;              /* kernel entries in this run */
    arch_ctx_t *cur;               /* the thread running (user side) */
    sim_main_fn root_main;
    char line[256];                /* console line buffer */
    size_t line_len;
    void (*trace)(const struct keel_trace_rec *recs, size_t n, void *arg); /* sim_config */
    void *trace_arg;
    size_t trace_n;                /* records in trace_buf */
    struct sim_inject inject;      /* sim_config.inject */
    bool injecting;                /* any injection configured */
    bool console_off;              /* sim_config.console_off */
    uint64_t rng;                  /* the injection's random state, from the seed */
    uint64_t crash_at;             /* the user trap that crashes (0: none) */
    uint64_t traps;                /* user traps so far */
    uint64_t storm_left;           /* storm interrupts still to come */
    uint64_t retypes;              /* valid retypes so far (retype_fail_at) */
    uint64_t injected;
} m;

/* ---- randomness: splitmix64 from the seed (deterministic) ---- */

static uint64_t rng_next(void)
{
    uint64_t z = (m.rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in 0..n-1 (n > 0; the modulo bias is irrelevant here). */
static uint64_t rng_below(uint64_t n)
{
    return rng_next() % n;
}

/* ---- memory ---- */

keel_word_t arch_kptr_to_paddr(const void *p)
{
    const unsigned char *b = p;
    if (b >= m.dev && b < m.dev + SIM_DEV_BYTES)
        return SIM_DEV_PHYS + (keel_word_t)(b - m.dev);
    return SIM_PHYS_BASE + (keel_word_t)(b - m.ram);
}

void *arch_paddr_to_kptr(keel_word_t pa)
{
    if (pa >= SIM_DEV_PHYS && pa < SIM_DEV_PHYS + SIM_DEV_BYTES)
        return m.dev + (pa - SIM_DEV_PHYS);
    return m.ram + (pa - SIM_PHYS_BASE);
}

keel_word_t arch_frame_user_addr(const void *frame)
{
    return (keel_word_t)frame;
}

/* No page tables (ARCH_PAGE_TABLE_BITS 0): the core never maps, and every
 * thread runs in the host process's one address space. */
void arch_vspace_init(keel_word_t root)
{
    (void)root;
}

int arch_vspace_map_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame, unsigned bits,
                          bool writable, bool executable)
{
    (void)root, (void)vaddr, (void)frame, (void)bits, (void)writable, (void)executable;
    return KEEL_RANGE_ERROR;
}

void arch_vspace_unmap_frame(keel_word_t root, keel_word_t vaddr, keel_word_t frame,
                             unsigned bits)
{
    (void)root, (void)vaddr, (void)frame, (void)bits;
}

int arch_vspace_map_table(keel_word_t root, keel_word_t vaddr, keel_word_t table)
{
    (void)root, (void)vaddr, (void)table;
    return KEEL_RANGE_ERROR;
}

void arch_vspace_unmap_table(keel_word_t root, keel_word_t vaddr, keel_word_t table)
{
    (void)root, (void)vaddr, (void)table;
}

void arch_vspace_forget(keel_word_t root)
{
    (void)root;
}

void arch_vspace_activate(keel_word_t root)
{
    (void)root;
}

/* Can the thread's host execution start?  Its pc must be in the program's
 * code and its stack in writable memory (the RAM arena or the program's
 * data), else starting it would crash the host: it takes a VM fault
 * instead, as a bad pc or sp would on hardware. */
extern char __executable_start[], etext[], __data_start[], _end[];

static bool ctx_startable(const arch_ctx_t *c)
{
    keel_word_t lo = c->stack_top - c->stack_bytes, hi = c->stack_top;
    bool pc_ok = c->entry >= (keel_word_t)__executable_start && c->entry < (keel_word_t)etext;
    bool in_ram = lo >= (keel_word_t)m.ram && hi <= (keel_word_t)(m.ram + m.ram_bytes);
    bool in_data = lo >= (keel_word_t)__data_start && hi <= (keel_word_t)_end;
    return pc_ok && lo < hi && (hi & 15) == 0 && (in_ram || in_data);
}

/* RAM and the device region in one mapping, both aligned to the RAM size so
 * that natural alignment in physical and host addresses agree. */
static void arena_map(size_t ram_bytes)
{
    size_t align = ram_bytes > SIM_DEV_BYTES ? ram_bytes : SIM_DEV_BYTES;
    m.map_bytes = 3 * align;
    m.map = mmap(0, m.map_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
    if (m.map == MAP_FAILED) {
        (void)fprintf(stderr, "keel-sim: cannot map %zu bytes of simulated memory\n", m.map_bytes);
        exit(2);
    }
    uintptr_t base = ((uintptr_t)m.map + align - 1) & ~(uintptr_t)(align - 1);
    m.ram = (unsigned char *)base;
    m.dev = m.ram + align;
    m.ram_bytes = ram_bytes;
}

/* ---- contexts ---- */

void arch_ctx_init(arch_ctx_t *c, keel_word_t entry, keel_word_t stack_top, keel_word_t arg0)
{
    keel_word_t keep = c->stack_bytes;
    sim_fiber_forget(c);
    memset(c, 0, sizeof(*c));
    c->entry = entry;
    c->stack_top = stack_top;
    c->regs[KEEL_REG_CPTR] = arg0;
    c->stack_bytes = keep ? keep : 64ul * 1024;
}

/* The frame: pc = entry, sp = stack_top, tls, then the syscall registers.
 * A thread's host execution cannot be moved to another pc, so writing a
 * new pc or sp discards it: the thread starts afresh at entry(regs[0]). */
keel_word_t arch_ctx_user_get(const arch_ctx_t *c, unsigned i)
{
    switch (i) {
    case KEEL_UREG_PC:
        return c->entry;
    case KEEL_UREG_SP:
        return c->stack_top;
    case KEEL_UREG_TLS:
        return c->tls;
    default:
        return i - KEEL_UREG_SYSREG < KEEL_REG_COUNT ? c->regs[i - KEEL_UREG_SYSREG] : 0;
    }
}

void arch_ctx_user_set(arch_ctx_t *c, unsigned i, keel_word_t v)
{
    switch (i) {
    case KEEL_UREG_PC:
    case KEEL_UREG_SP:
        if (v == (i == KEEL_UREG_PC ? c->entry : c->stack_top))
            return;
        sim_fiber_forget(c);
        c->restart = 0;
        if (i == KEEL_UREG_PC)
            c->entry = v;
        else
            c->stack_top = v;
        return;
    case KEEL_UREG_TLS:
        c->tls = v;
        return;
    default:
        if (i - KEEL_UREG_SYSREG < KEEL_REG_COUNT)
            c->regs[i - KEEL_UREG_SYSREG] = v;
    }
}

void arch_ctx_release(arch_ctx_t *c)
{
    sim_fiber_forget(c);
}

void arch_ctx_restart_syscall(arch_ctx_t *c)
{
    c->restart = 1;
}

/* ---- interrupts and time ---- */

bool arch_irq_enabled(void)
{
    return m.irq_on;
}

static void timer_check(void)
{
    if (m.now >= m.deadline) {
        m.pending |= 1u << ARCH_IRQ_TIMER;
        m.deadline = UINT64_MAX;
    }
}

bool arch_irq_pending(void)
{
    m.now += SIM_COST_PREEMPT_POLL_NS;
    timer_check();
    return (m.pending & ~m.masked) != 0;
}

void arch_irq_mask(unsigned irq, bool masked)
{
    if (irq >= ARCH_NUM_IRQS)
        return;
    if (masked)
        m.masked |= 1u << irq;
    else
        m.masked &= ~(1u << irq);
}

void arch_irq_ack(unsigned irq)
{
    if (irq < ARCH_NUM_IRQS)
        m.pending &= ~(1u << irq);
}

uint64_t arch_time_now(void)
{
    return m.now;
}

void arch_timer_set(uint64_t deadline)
{
    if (m.injecting && m.inject.jitter_ns && deadline != UINT64_MAX)
        deadline += rng_below(m.inject.jitter_ns + 1); /* a late timer */
    m.deadline = deadline;
}

/* Trace records collect here and go to sim_config.trace in batches. */
#define TRACE_BATCH 4096
static struct keel_trace_rec trace_buf[TRACE_BATCH];

static void trace_flush(void)
{
    if (m.trace && m.trace_n)
        m.trace(trace_buf, m.trace_n, m.trace_arg);
    m.trace_n = 0;
}

void arch_trace_write(const struct keel_trace_rec *r)
{
    trace_buf[m.trace_n++] = *r;
    if (m.trace_n == TRACE_BATCH)
        trace_flush();
}

uint64_t sim_deadline(void)
{
    return m.deadline;
}

void sim_raise_irq(unsigned irq)
{
    if (irq < ARCH_NUM_IRQS)
        m.pending |= 1u << irq;
}

uint64_t *sim_clock(void)
{
    return &m.now;
}

/* ---- console and halt ---- */

static void console_flush(void)
{
    /* Console output is best effort: a closed stdout does not stop the run. */
    (void)fwrite(m.line, 1, m.line_len, stdout);
    (void)fflush(stdout);
    m.line_len = 0;
}

void arch_putc(char ch)
{
    if (m.console_off)
        return;
    m.line[m.line_len++] = ch;
    if (ch == '\n' || m.line_len == sizeof(m.line))
        console_flush();
}

void arch_halt(int status)
{
    m.halted = true;
    m.status = status;
}

/* ---- the user side's trap ---- */

void sim_syscall(keel_word_t sysno, keel_word_t regs[KEEL_REG_COUNT])
{
    arch_ctx_t *c = m.cur;
    c->sysno = sysno;
    memcpy(c->regs, regs, sizeof(c->regs));
    /* A restart executes the trap again with the registers as they are
     * now (a fault handler may have changed them), as hardware would
     * after backing the pc onto the trap instruction. */
    do {
        c->restart = 0;
        sim_fiber_trap(c);
    } while (c->restart);
    /* The kernel writes CPTR, INFO and MR0-3; REPLY and SRC are inputs. */
    _Static_assert(KEEL_REG_MR3 + 1 == KEEL_REG_REPLY, "results first in the register file");
    memcpy(regs, c->regs, (KEEL_REG_MR3 + 1) * sizeof(c->regs[0]));
}

keel_word_t sim_tls_get(void)
{
    return m.cur->tls;
}

void sim_tls_set(keel_word_t v)
{
    m.cur->tls = v;
}

sim_main_fn sim_root_main(void)
{
    return m.root_main;
}

/* ---- boot and the run loop ---- */

static const struct sim_config *run_cfg; /* set while sim_run() runs */
static bool entry_checks; /* the run has an after_entry hook or an entry limit */
static const char *run_failure;

void *sim_boot(const struct sim_config *cfg, struct kboot_params *p)
{
    sim_shutdown();
    memset(&m, 0, sizeof(m));
    run_cfg = 0;
    entry_checks = false;
    m.deadline = UINT64_MAX;
    m.root_main = cfg->root_main;
    arena_map(cfg->ram_bytes);
    /* The root task's stack is the first part of RAM ("its image"). */
    keel_word_t stack = cfg->root_stack_bytes ? cfg->root_stack_bytes : 256ul * 1024;
    memset(p, 0, sizeof(*p));
    p->ram[0] = (struct kboot_region){SIM_PHYS_BASE + stack, cfg->ram_bytes - stack};
    p->ram_count = 1;
    p->dev[0] = (struct kboot_region){SIM_DEV_PHYS, SIM_DEV_BYTES};
    p->dev_count = 1;
    p->root_entry = (keel_word_t)cfg->root_entry;
    p->root_stack_top = (keel_word_t)(m.ram + stack);
    p->root_cnode_radix = cfg->root_cnode_radix;
    p->log_user_errors = cfg->log_user_errors;
    p->trace = cfg->trace != 0;
    m.trace = cfg->trace;
    m.trace_arg = cfg->trace_arg;
    m.inject = cfg->inject;
    m.console_off = cfg->console_off;
    m.injecting = m.inject.jitter_ns || m.inject.spurious_every || m.inject.storm_every ||
                  m.inject.crash_within || m.inject.retype_fail_at;
    m.rng = cfg->seed;
    if (m.inject.crash_within)
        m.crash_at = 1 + rng_below(m.inject.crash_within);
    kentry_boot(p);
    arch_ctx_t *root = kentry_exit_ctx();
    if (root)
        root->stack_bytes = stack;
    return m.ram;
}

void sim_shutdown(void)
{
    if (m.map)
        munmap(m.map, m.map_bytes);
    m.map = 0;
}

/* After every kernel entry: the configured check, and the entry limit. */
static bool after_entry_slow(void)
{
    if (run_cfg->after_entry && (run_failure = run_cfg->after_entry()))
        m.status = SIM_STATUS_CHECK;
    else if (run_cfg->max_entries && m.entries >= run_cfg->max_entries && !m.halted)
        m.status = SIM_STATUS_LIMIT;
    else
        return true;
    return false;
}

static inline bool after_entry(void)
{
    m.entries++;
    return !entry_checks || after_entry_slow();
}

/* Deliver pending, unmasked interrupts, lowest number first. */
static bool deliver_irqs(void)
{
    timer_check();
    volatile uint32_t *raise = (volatile uint32_t *)(m.dev + SIM_DEV_IRQ_RAISE);
    if (*raise) { /* the interrupt generator (sim.h) */
        m.pending |= *raise & ~(1u << ARCH_IRQ_TIMER);
        *raise = 0;
    }
    uint32_t ready;
    if (!(m.pending & ~m.masked)) /* the common case: nothing pending */
        return true;
    while (!m.halted && (ready = m.pending & ~m.masked)) {
        unsigned irq = (unsigned)__builtin_ctz(ready);
        m.pending &= ~(1u << irq);
        m.now += SIM_COST_KERNEL_ENTRY_NS;
        kentry_irq(irq);
        timer_check();
        if (!after_entry())
            return false;
    }
    return true;
}

bool arch_inject_retype_failure(void)
{
    if (!m.inject.retype_fail_at || ++m.retypes != m.inject.retype_fail_at)
        return false;
    m.injected++;
    return true;
}

/* A preemption point in user code (arch/sim/preempt.c): each costs
 * SIM_COST_EDGE_NS of virtual time, and when the timer is due the thread
 * traps, so that a loop without syscalls is preempted, at the same point
 * in every run.  Outside user code (the kernel, the host) it does
 * nothing. */
void sim_preempt_point(void)
{
    if (!m.irq_on)
        return;
    m.now += SIM_COST_EDGE_NS;
    if (m.now >= m.deadline) {
        arch_ctx_t *c = m.cur;
        c->sysno = SIM_TRAP_PREEMPT;
        sim_fiber_trap(c);
    }
}

/* Injection at a user trap (a syscall or exception entering the kernel):
 * maybe a spurious timer interrupt or the start of a storm (taken after
 * this entry); true if this trap is the injected crash. */
static bool inject_at_trap(void)
{
    m.traps++;
    if (m.inject.spurious_every && rng_below(m.inject.spurious_every) == 0) {
        m.pending |= 1u << ARCH_IRQ_TIMER;
        m.injected++;
    }
    if (m.inject.storm_every && !m.storm_left && rng_below(m.inject.storm_every) == 0)
        m.storm_left = m.inject.storm_len;
    if (m.traps != m.crash_at)
        return false;
    m.injected++;
    return true;
}

/* SIM_TRAP_COMPUTE: user code running for c->regs[0] ns, cut short by
 * the timer deadline (the interrupt is then taken at the top of the run
 * loop, as if it had arrived in the middle of the computation). */
static void compute(arch_ctx_t *c)
{
    uint64_t want = c->regs[0], room = m.deadline > m.now ? m.deadline - m.now : 0;
    uint64_t step = want < room ? want : room;
    m.now += step;
    c->regs[0] = want - step;
}

void sim_deliver_irqs(void)
{
    deliver_irqs();
}

void sim_kernel_syscall(arch_ctx_t *c, keel_word_t sysno)
{
    c->sysno = sysno;
    do {
        c->restart = 0;
        kentry_syscall(); /* may set c->restart (arch_ctx_restart_syscall) */
        /* cppcheck-suppress knownConditionTrueFalse ; the kernel sets it, see above */
        if (c->restart)
            deliver_irqs();
    } while (c->restart && kentry_exit_ctx() == c);
}

struct sim_result sim_run(const struct sim_config *cfg)
{
    struct kboot_params p;
    sim_boot(cfg, &p);
    run_cfg = cfg;
    run_failure = 0;
    entry_checks = cfg->after_entry || cfg->max_entries;
    uint64_t until = cfg->until_ns ? cfg->until_ns : UINT64_MAX;
    for (;;) {
        if (m.injecting && m.storm_left) {
            m.storm_left--;
            m.injected++;
            m.pending |= 1u << ARCH_IRQ_TIMER;
        }
        if (!deliver_irqs() || m.halted)
            break;
        if (m.now >= until) {
            m.status = SIM_STATUS_TIME;
            break;
        }
        arch_ctx_t *c = kentry_exit_ctx();
        if (!c) {
            if (m.deadline == UINT64_MAX) { /* nothing can ever happen again */
                m.status = SIM_STATUS_IDLE;
                break;
            }
            m.now = m.deadline;
            continue;
        }
        if (!c->started && !ctx_startable(c)) {
            m.now += SIM_COST_KERNEL_ENTRY_NS;
            kentry_fault(KEEL_FAULT_VM, c->entry, 1, 0);
        } else {
            m.cur = c;
            m.irq_on = true;
            sim_fiber_resume(c);
            m.irq_on = false;
            if (c->sysno >= SIM_TRAP_COMPUTE) { /* not a kernel entry */
                if (c->sysno == SIM_TRAP_COMPUTE)
                    compute(c);
                continue;
            }
            m.now += SIM_COST_KERNEL_ENTRY_NS;
            if (m.injecting && inject_at_trap())
                kentry_fault(KEEL_FAULT_USER_EXCEPTION, SIM_CRASH_NUMBER, 0, 0);
            else if (c->sysno < SIM_TRAP_USER_EXCEPTION)
                kentry_syscall();
            else if (c->sysno == SIM_TRAP_USER_EXCEPTION)
                kentry_fault(KEEL_FAULT_USER_EXCEPTION, c->regs[0], c->regs[1], 0);
            else
                kentry_fault(KEEL_FAULT_VM, c->regs[0], 0, 0);
        }
        if (!after_entry())
            break;
    }
    console_flush();
    trace_flush();
    return (struct sim_result){.status = m.status, .halted = m.halted && !run_failure,
                               .failure = run_failure, .entries = m.entries, .time_ns = m.now,
                               .injected = m.injected};
}
