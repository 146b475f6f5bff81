/*
 * tests/sys/tcb.c - the TCB methods (docs/ipc.md "Threads"): Configure
 * and SetIPCBuffer checks, priorities against the authority's MCP,
 * Read/WriteRegisters, Suspend and Resume.
 */
#include "systest.h"

static struct {
    keel_cptr_t ep, n, self;
    volatile keel_word_t count;
    volatile keel_word_t arg;
} g;

static void reset(void)
{
    __builtin_memset((void *)&g, 0, sizeof(g));
}

static keel_word_t frame_vaddr(struct systest_env *env, keel_cptr_t frame)
{
    keel_word_t va = 0;
    EXPECT_OK(keel_frame_vaddr(&env->alloc, frame, KEEL_PAGE_BITS, &va));
    return va;
}

static void configure_errors(struct systest_env *env)
{
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t va = frame_vaddr(env, fr);
    /* cspace_root must be a CNode. */
    keel_error_t e = keel_tcb_configure(t, 0, ep, 0, 0, 0, 0, 0);
    EXPECT(e == KEEL_INVALID_CAPABILITY || e == KEEL_ILLEGAL_OPERATION);
    EXPECT_EQ(keel_last_error().v1, KEEL_CAP_ENDPOINT);
    /* The buffer aligned to its size (1 KiB on 64-bit). */
    EXPECT_ERR(keel_tcb_configure(t, 0, ROOT, 0, 0, 0, va + 8, fr), KEEL_ALIGNMENT_ERROR);
    EXPECT_EQ(keel_last_error().v1, va + 8);
    EXPECT_ERR(keel_tcb_configure(t, 0, ROOT, 0, 0, 0, va + 512, fr), KEEL_ALIGNMENT_ERROR);
    /* A fault endpoint needs Write and Grant or GrantReply. */
    keel_cptr_t wo = mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_READ, 0);
    EXPECT(keel_tcb_configure(t, wo, ROOT, 0, 0, 0, va, fr) != KEEL_OK);
    keel_cptr_t go = mint(env, ep, KEEL_RIGHT_GRANT | KEEL_RIGHT_READ, 0);
    EXPECT(keel_tcb_configure(t, go, ROOT, 0, 0, 0, va, fr) != KEEL_OK);
    keel_cptr_t n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT(keel_tcb_configure(t, n, ROOT, 0, 0, 0, va, fr) != KEEL_OK);
    /* No vspace on sim; buffer_frame must be a frame. */
    EXPECT(keel_tcb_configure(t, 0, ROOT, 0, fr, 0, va, fr) != KEEL_OK);
    EXPECT(keel_tcb_configure(t, 0, ROOT, 0, 0, 0, va, ep) != KEEL_OK);
    /* The good ones. */
    keel_cptr_t wg = mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 0);
    keel_cptr_t wgr = mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT_REPLY, 0);
    EXPECT_OK(keel_tcb_configure(t, wg, ROOT, 0, 0, 0, va, fr));
    EXPECT_OK(keel_tcb_configure(t, wgr, ROOT, 0, 0, 0, va + 1024, fr));
    EXPECT_OK(keel_tcb_configure(t, 0, ROOT, 0, 0, 0, 0, 0));
}

static void set_ipc_buffer_checks(struct systest_env *env)
{
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t va = frame_vaddr(env, fr);
    EXPECT_ERR(keel_tcb_set_ipc_buffer(t, va + 16, fr), KEEL_ALIGNMENT_ERROR);
    EXPECT_OK(keel_tcb_set_ipc_buffer(t, va + 3072, fr));
    EXPECT_OK(keel_tcb_set_ipc_buffer(t, 0, 0));
}

static void set_priority_above_mcp(struct systest_env *env)
{
    keel_cptr_t auth = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_OK(keel_tcb_set_mc_priority(auth, KEEL_SLOT_INIT_TCB, 50));
    EXPECT_ERR(keel_tcb_set_priority(t, auth, 51), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v1, 0);
    EXPECT_EQ(keel_last_error().v2, 50);
    EXPECT_EQ(keel_last_error().v3, 51);
    EXPECT_OK(keel_tcb_set_priority(t, auth, 50));
    EXPECT_OK(keel_tcb_set_priority(t, auth, 0));
    EXPECT_ERR(keel_tcb_set_priority(t, KEEL_SLOT_INIT_TCB, 256), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v3, 256);
    EXPECT_OK(keel_tcb_set_priority(t, KEEL_SLOT_INIT_TCB, 255));
    /* The authority must be a TCB. */
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT(keel_tcb_set_priority(t, ep, 1) != KEEL_OK);
}

static void set_mcp_above_mcp(struct systest_env *env)
{
    keel_cptr_t auth = object(env, KEEL_OBJ_TCB, 0);
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_OK(keel_tcb_set_mc_priority(auth, KEEL_SLOT_INIT_TCB, 40));
    EXPECT_ERR(keel_tcb_set_mc_priority(t, auth, 41), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v2, 40);
    EXPECT_EQ(keel_last_error().v3, 41);
    EXPECT_OK(keel_tcb_set_mc_priority(t, auth, 40));
    /* t's MCP is now 40: as authority it allows 40, not 41. */
    keel_cptr_t u = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_ERR(keel_tcb_set_priority(u, t, 41), KEEL_RANGE_ERROR);
    EXPECT_OK(keel_tcb_set_priority(u, t, 40));
    EXPECT_ERR(keel_tcb_set_mc_priority(t, KEEL_SLOT_INIT_TCB, 256), KEEL_RANGE_ERROR);
}

static void record_arg(keel_word_t arg)
{
    g.arg = arg;
    g.count++;
    park();
}

static void registers_round_trip(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn_with(env, record_arg, 0x1234, PRIO, 0, false);
    keel_word_t regs[KEEL_UREG_PORTABLE];
    for (unsigned i = 0; i < KEEL_UREG_PORTABLE; i++)
        regs[i] = 0xdead;
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, KEEL_UREG_PORTABLE, regs));
    EXPECT_EQ(regs[KEEL_UREG_PC], (keel_word_t)record_arg);
    EXPECT_EQ(regs[KEEL_UREG_TLS], (keel_word_t)t.ipc_buffer);
    EXPECT_EQ(regs[KEEL_UREG_ARG0], 0x1234);
    EXPECT(regs[KEEL_UREG_SP] != 0);
    /* Change the argument and the other syscall registers; read back. */
    regs[KEEL_UREG_ARG0] = 0x5678;
    for (unsigned i = KEEL_UREG_SYSREG + 1; i < KEEL_UREG_PORTABLE; i++)
        regs[i] = 0x100 + i;
    EXPECT_OK(keel_tcb_write_registers(t.tcb, false, KEEL_UREG_PORTABLE, regs));
    keel_word_t back[KEEL_UREG_PORTABLE] = {0};
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, KEEL_UREG_PORTABLE, back));
    unsigned bad = 0;
    for (unsigned i = 0; i < KEEL_UREG_PORTABLE; i++)
        bad += back[i] != regs[i];
    EXPECT_EQ(bad, 0);
    /* Reading fewer registers is fine. */
    keel_word_t two[2] = {0};
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, 2, two));
    EXPECT_EQ(two[KEEL_UREG_PC], (keel_word_t)record_arg);
    /* The thread starts with what was written. */
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_EQ(g.arg, 0x5678);
}

static void register_count_range(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn_with(env, record_arg, 1, PRIO, 0, false);
    /* The frame's size is the arch's (KEEL_UREG_PORTABLE and more): the
     * RangeError's detail names it. */
    keel_word_t regs[64] = {0};
    EXPECT_ERR(keel_tcb_read_registers(t.tcb, false, 1000, regs), KEEL_RANGE_ERROR);
    keel_word_t n = keel_last_error().v2; /* RangeError: v1..v2 allowed */
    EXPECT(n >= KEEL_UREG_PORTABLE && n < 64);
    if (n < KEEL_UREG_PORTABLE || n >= 64)
        return;
    EXPECT_ERR(keel_tcb_read_registers(t.tcb, false, n + 1, regs), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_tcb_write_registers(t.tcb, false, n + 1, regs), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v2, n);
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, n, regs));
    /* The failed write changed nothing. */
    EXPECT_EQ(regs[KEEL_UREG_PC], (keel_word_t)record_arg);
    EXPECT_EQ(regs[KEEL_UREG_ARG0], 1);
}

static void read_registers_self(struct systest_env *env)
{
    keel_word_t regs[2];
    EXPECT_ERR(keel_tcb_read_registers(KEEL_SLOT_INIT_TCB, false, 2, regs),
               KEEL_ILLEGAL_OPERATION);
}

static void write_registers_resume_target(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn_with(env, record_arg, 1, PRIO, 0, false);
    settle(env);
    EXPECT_EQ(g.count, 0); /* Inactive until resumed */
    keel_word_t regs[KEEL_UREG_PORTABLE];
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, KEEL_UREG_PORTABLE, regs));
    regs[KEEL_UREG_ARG0] = 77;
    EXPECT_OK(keel_tcb_write_registers(t.tcb, true, KEEL_UREG_PORTABLE, regs));
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_EQ(g.arg, 77);
}

/* Yields on every round, so that run_for's ticker gets the CPU even
 * without time slices (those are tested in sched.c). */
static void spinner(keel_word_t unused)
{
    for (;;) {
        g.count++;
        keel_yield();
    }
}

static void suspend_stops_progress(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn(env, spinner, 0, PRIO);
    run_for(env, PRIO, 3000000);
    keel_word_t c1 = g.count;
    EXPECT(c1 > 0);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    keel_word_t c2 = g.count;
    run_for(env, PRIO, 3000000);
    EXPECT_EQ(g.count, c2);
    EXPECT_OK(keel_tcb_resume(t.tcb));
    run_for(env, PRIO, 3000000);
    EXPECT(g.count > c2);
    /* ReadRegisters with suspend_source stops it too. */
    keel_word_t regs[1];
    EXPECT_OK(keel_tcb_read_registers(t.tcb, true, 1, regs));
    keel_word_t c3 = g.count;
    run_for(env, PRIO, 3000000);
    EXPECT_EQ(g.count, c3);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
}

static void wait_loop(keel_word_t unused)
{
    for (;;) {
        keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
        g.count++;
        keel_wait(g.n, &badge, mr);
        g.arg = badge;
    }
}

static void resume_twice_harmless(struct systest_env *env)
{
    reset();
    g.n = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_cptr_t b = mint(env, g.n, KEEL_RIGHT_WRITE, 3);
    struct keel_thread t = spawn_with(env, wait_loop, 0, PRIO, 0, false);
    EXPECT_OK(keel_tcb_resume(t.tcb));
    EXPECT_OK(keel_tcb_resume(t.tcb)); /* runnable already: nothing */
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_OK(keel_tcb_resume(t.tcb)); /* blocked: nothing */
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_EQ(g.arg, 0);
    EXPECT_OK(keel_signal(b));
    settle(env);
    EXPECT_EQ(g.count, 2);
    EXPECT_EQ(g.arg, 3);
}

static void recv_loop(keel_word_t unused)
{
    for (;;) {
        keel_word_t mr[KEEL_MSG_REGS] = {0}, badge = 0;
        rec[1].stage++;
        keel_msginfo_t info = keel_recv(g.ep, &badge, 0, mr);
        rec[1].info = info;
        rec[1].w[rec[1].stage & 7] = keel_msginfo_label(info);
    }
}

static void suspend_blocked_recv_reexecutes(struct systest_env *env)
{
    reset();
    g.ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    struct keel_thread t = spawn(env, recv_loop, 0, PRIO);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    EXPECT_EQ(keel_msginfo_label(keel_nbsend(g.ep, keel_msginfo(1, 0, 0, 0), mr)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[1].info, 0); /* it left the queue: the message was dropped */
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1); /* back in the same Recv, not returned from it */
    EXPECT_EQ(rec[1].info, 0);
    keel_word_t mr2[KEEL_MSG_REGS] = {0};
    keel_nbsend(g.ep, keel_msginfo(2, 0, 0, 0), mr2);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(keel_msginfo_label(rec[1].info), 2);
}

static void suspend_self_main(keel_word_t tcb)
{
    g.count = 1;
    keel_tcb_suspend(tcb);
    g.count = 2;
    park();
}

static void suspend_self(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn_with(env, suspend_self_main, 0, PRIO, 0, false);
    keel_word_t regs[KEEL_UREG_PORTABLE];
    EXPECT_OK(keel_tcb_read_registers(t.tcb, false, KEEL_UREG_PORTABLE, regs));
    regs[KEEL_UREG_ARG0] = t.tcb;
    EXPECT_OK(keel_tcb_write_registers(t.tcb, true, KEEL_UREG_PORTABLE, regs));
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(g.count, 2);
}

static void suspend_inactive_and_twice(struct systest_env *env)
{
    reset();
    struct keel_thread t = spawn_with(env, record_arg, 9, PRIO, 0, false);
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    EXPECT_OK(keel_tcb_suspend(t.tcb));
    settle(env);
    EXPECT_EQ(g.count, 0);
    EXPECT_OK(keel_tcb_resume(t.tcb));
    settle(env);
    EXPECT_EQ(g.count, 1);
    EXPECT_EQ(g.arg, 9);
}

const struct systest tcb_tests[] = {
    {"configure_errors", "Configure checks cspace root, buffer alignment, fault endpoint rights", configure_errors},
    {"set_ipc_buffer_checks", "SetIPCBuffer: aligned inside the frame, or none", set_ipc_buffer_checks},
    {"set_priority_above_mcp", "SetPriority above the authority's MCP or 255 is a RangeError", set_priority_above_mcp},
    {"set_mcp_above_mcp", "SetMCPriority above the authority's MCP is a RangeError", set_mcp_above_mcp},
    {"registers_round_trip", "WriteRegisters then ReadRegisters give the same frame; the thread uses it", registers_round_trip},
    {"register_count_range", "register counts above the frame are RangeErrors", register_count_range},
    {"read_registers_self", "ReadRegisters on the invoker itself is IllegalOperation", read_registers_self},
    {"write_registers_resume_target", "WriteRegisters with resume_target starts the thread", write_registers_resume_target},
    {"suspend_stops_progress", "a suspended thread stops; resumed it continues", suspend_stops_progress},
    {"resume_twice_harmless", "Resume of a runnable or blocked thread does nothing", resume_twice_harmless},
    {"suspend_blocked_recv_reexecutes", "Suspend takes a thread out of Recv; Resume re-executes it", suspend_blocked_recv_reexecutes},
    {"suspend_self", "a thread may suspend itself and continue when resumed", suspend_self},
    {"suspend_inactive_and_twice", "Suspend of an Inactive thread, twice, is harmless", suspend_inactive_and_twice},
    {0, 0, 0},
};
