/*
 * tests/unit/harness.c - the unit-test harness (see harness.h) and the
 * test program's main: runs every suite, prints Check's summary and the
 * number of checks executed.
 */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct h_result h_last;
static const struct keel_bootinfo *bi;
static struct tcb *root_tcb;
static word_t root_cnode;

void h_boot_with(word_t ram_bytes, unsigned radix)
{
    struct sim_config cfg = {.ram_bytes = ram_bytes, .root_cnode_radix = radix};
    struct kboot_params p;
    sim_boot(&cfg, &p);
    root_tcb = (struct tcb *)kentry_exit_ctx(); /* the context is the TCB's first member */
    root_cnode = ks.root_cnode->cap.obj;
    bi = (const struct keel_bootinfo *)root_tcb->ctx.regs[KEEL_REG_CPTR];
    ck_assert_ptr_nonnull(bi);
    ck_assert_uint_eq(bi->magic, KEEL_BOOTINFO_MAGIC);
}

void h_boot(void)
{
    h_boot_with(16ul << 20, 0);
}

const struct keel_bootinfo *h_bi(void)
{
    return bi;
}

struct tcb *h_root_tcb(void)
{
    return root_tcb;
}

const char *h_invariants(void)
{
    const char *why = kinv_check();
    return why ? why : "";
}

/* Enter the kernel as the root thread would. */
word_t h_syscall(word_t sysno, word_t cptr, word_t info)
{
    arch_ctx_t *c = kentry_exit_ctx();
    ck_assert_msg(c != NULL, "the root thread is not runnable");
    c->regs[KEEL_REG_CPTR] = cptr;
    c->regs[KEEL_REG_INFO] = info;
    for (int i = 0; i < 4; i++)
        c->regs[KEEL_REG_MR0 + i] = h_last.mr[i];
    sim_kernel_syscall(c, sysno);
    for (int i = 0; i < 4; i++)
        h_last.mr[i] = c->regs[KEEL_REG_MR0 + i];
    const char *why = kinv_check();
    ck_assert_msg(why == NULL, "kernel invariant violated: %s", why);
    return c->regs[KEEL_REG_INFO];
}

int h_invoke(word_t cap, word_t label, unsigned n, const word_t *w, unsigned ncaps,
             const word_t *caps)
{
    struct keel_ipc_buffer *b = tcb_ipc_buffer(h_root_tcb()); /* 0 if its cap is gone */
    for (unsigned i = 0; i < n; i++) {
        if (i < 4)
            h_last.mr[i] = w[i];
        else if (b)
            b->msg[i] = w[i];
    }
    for (unsigned i = 0; b && i < ncaps; i++)
        b->caps_or_badges[i] = caps[i];
    word_t info = h_syscall(KEEL_SYS_CALL, cap, keel_msginfo(label, 0, ncaps, n));
    h_last.code = (int)keel_msginfo_label(info);
    h_last.arg = h_last.mr[0];
    h_last.v1 = h_last.mr[1];
    h_last.v2 = h_last.mr[2];
    h_last.v3 = h_last.mr[3];
    return h_last.code;
}

int h_retype(word_t ut, word_t type, word_t bits, word_t dest, word_t n)
{
    word_t w[] = {type, bits, 0, 0, dest, n}, root = ROOT;
    return h_invoke(ut, KEEL_UNTYPED_RETYPE, 6, w, 1, &root);
}

int h_copy(word_t dest, word_t src, word_t rights)
{
    word_t w[] = {dest, WB, src, WB, rights}, root = ROOT;
    return h_invoke(ROOT, KEEL_CNODE_COPY, 5, w, 1, &root);
}

int h_mint(word_t dest, word_t src, word_t rights, word_t badge)
{
    word_t w[] = {dest, WB, src, WB, rights, badge}, root = ROOT;
    return h_invoke(ROOT, KEEL_CNODE_MINT, 6, w, 1, &root);
}

int h_move(word_t dest, word_t src)
{
    word_t w[] = {dest, WB, src, WB}, root = ROOT;
    return h_invoke(ROOT, KEEL_CNODE_MOVE, 4, w, 1, &root);
}

int h_mutate(word_t dest, word_t src, word_t data)
{
    word_t w[] = {dest, WB, src, WB, data}, root = ROOT;
    return h_invoke(ROOT, KEEL_CNODE_MUTATE, 5, w, 1, &root);
}

int h_delete(word_t s)
{
    word_t w[] = {s, WB};
    return h_invoke(ROOT, KEEL_CNODE_DELETE, 2, w, 0, 0);
}

int h_revoke(word_t s)
{
    word_t w[] = {s, WB};
    return h_invoke(ROOT, KEEL_CNODE_REVOKE, 2, w, 0, 0);
}

slot_t *h_slot(word_t i)
{
    return cnode_slot(root_cnode, i);
}

const cap_t *capof(word_t i)
{
    return &h_slot(i)->cap;
}

word_t obj(unsigned i, word_t type, word_t bits)
{
    word_t s = h_free_slot(i);
    ck_assert_int_eq(h_retype(h_big_untyped(), type, bits, s, 1), KEEL_OK);
    return s;
}

struct sched_context *h_give_time(struct tcb *t, unsigned i, uint64_t budget_ns)
{
    struct sched_context *sc =
        (struct sched_context *)capof(obj(i, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS))->obj;
    sc_configure(sc, budget_ns, budget_ns, KEEL_SC_MIN_REFILLS, 0, 0);
    sc_bind_tcb(sc, t);
    return sc;
}

word_t h_big_untyped(void)
{
    word_t best = 0;
    unsigned bits = 0;
    for (word_t i = 0; i < bi->untyped_count; i++)
        if (!bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits > bits) {
            bits = bi->untyped_list[i].size_bits;
            best = bi->untyped.start + i;
        }
    return best;
}

word_t h_free_slot(unsigned i)
{
    ck_assert_uint_lt(bi->empty.start + i, bi->empty.end);
    return bi->empty.start + i;
}

int main(void)
{
    static const struct {
        const char *name;
        Suite *(*make)(void);
    } suites[] = {{"cap", cap_suite},       {"cspace", cspace_suite},   {"untyped", untyped_suite},
                  {"cnode", cnode_suite},   {"delete", delete_suite},   {"boot", boot_suite},
                  {"syscall", syscall_suite}, {"robust", robust_suite},
                  {"sched", sched_suite},     {"refill", refill_suite}};
    SRunner *sr = srunner_create(0);
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        if (!suites[i].make) {
            fprintf(stderr, "unit-tests: suite '%s' is not linked in\n", suites[i].name);
            return EXIT_FAILURE;
        }
        srunner_add_suite(sr, suites[i].make());
    }
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    sim_shutdown();
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
