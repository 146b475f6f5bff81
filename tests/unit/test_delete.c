/*
 * tests/unit/test_delete.c - kernel/delete.c: CNode_Delete and
 * CNode_Revoke.  Deleting a non-final cap only removes it; deleting the
 * last cap to a container (CNode, TCB) empties it through zombies, without
 * recursion, for chains, self-containing CNodes and cycles; Revoke deletes
 * every descendant and stops if the revoked slot itself disappears.
 *
 * Preemption is driven by hand: a pending interrupt (sim_raise_irq) makes
 * the next preemption point stop the operation; the syscall is entered
 * once with kentry_syscall() on the root context to see c->restart, the
 * partial progress and a consistent kernel (kinv_check) at every stop, and
 * then executed again until it finishes, as a port would.
 */
#include "harness.h"

static word_t obj_from(word_t ut, unsigned i, word_t type, word_t bits)
{
    word_t s = h_free_slot(i);
    ck_assert_int_eq(h_retype(ut, type, bits, s, 1), KEEL_OK);
    return s;
}

/* Retype n objects into slots offset.. of the CNode in root slot cn. */
static void fill_bits(word_t ut, word_t cn, word_t type, word_t bits, word_t offset, word_t n)
{
    word_t w[] = {type, bits, cn, WB, offset, n}, root = ROOT;
    ck_assert_int_eq(h_invoke(ut, KEEL_UNTYPED_RETYPE, 6, w, 1, &root), KEEL_OK);
}

static void fill(word_t ut, word_t cn, word_t type, word_t offset, word_t n)
{
    fill_bits(ut, cn, type, 0, offset, n);
}

/* ---- driving one syscall by hand ---- */

/* Put a Delete or Revoke of (index, depth) in `cnode` into the root
 * thread's registers; returns its context. */
static arch_ctx_t *prepare(word_t label, word_t cnode, word_t index, word_t depth)
{
    arch_ctx_t *c = kentry_exit_ctx();
    ck_assert_ptr_nonnull(c);
    c->sysno = KEEL_SYS_CALL;
    c->regs[KEEL_REG_CPTR] = cnode;
    c->regs[KEEL_REG_INFO] = keel_msginfo(label, 0, 0, 2);
    c->regs[KEEL_REG_MR0] = index;
    c->regs[KEEL_REG_MR1] = depth;
    return c;
}

/* Enter the kernel once, with an interrupt pending if `irq`; checks the
 * invariants; returns whether the syscall must be executed again (and
 * then takes the interrupt, as the port does). */
static bool enter_once(arch_ctx_t *c, bool irq)
{
    word_t info = c->regs[KEEL_REG_INFO], stops = ks.preemptions;
    if (irq)
        sim_raise_irq(ARCH_IRQ_TIMER);
    c->restart = 0;
    kentry_syscall();
    const char *why = kinv_check();
    ck_assert_msg(why == NULL, "invariant violated at a stop: %s", why);
    if (!c->restart) {
        ck_assert_uint_eq(ks.preemptions, stops);
        sim_deliver_irqs();
        return false;
    }
    ck_assert_uint_eq(ks.preemptions, stops + 1);
    ck_assert_uint_eq(c->regs[KEEL_REG_INFO], info); /* no result written */
    sim_deliver_irqs();
    ck_assert_ptr_eq(kentry_exit_ctx(), c);
    return true;
}

/* The zombies in the tree; each one's back pointer must lead to a zombie (or be 0). */
static unsigned count_zombies(void)
{
    unsigned n = 0;
    for (const slot_t *s = ks.mdb_head.mdb_next; s != &ks.mdb_head; s = s->mdb_next)
        if (s->cap.type == KEEL_CAP_ZOMBIE) {
            n++;
            if (s->cap.data)
                ck_assert_uint_eq(((const slot_t *)s->cap.data)->cap.type, KEEL_CAP_ZOMBIE);
        }
    return n;
}

/* A chain of n (<= 256) CNodes of radix 4 starting in root slot `head`:
 * each holds `eps` endpoints in slots 0.. and the only cap to the next
 * CNode in slot 15.  Uses root slots head..head+n-1 while building. */
static void build_chain(word_t head, unsigned n, unsigned eps)
{
    word_t ut = h_big_untyped();
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_CNODE, 4, head, n), KEEL_OK);
    for (unsigned i = 0; eps && i < n; i++)
        fill(ut, head + i, KEEL_OBJ_ENDPOINT, 0, eps);
    for (unsigned i = n - 1; i > 0; i--) {
        word_t w[] = {15, 4, head + i, WB}, root = ROOT;
        ck_assert_int_eq(h_invoke(head + i - 1, KEEL_CNODE_MOVE, 4, w, 1, &root), KEEL_OK);
    }
}

/* ---- Delete ---- */

/* Deleting one of several caps to an object only removes that cap. */
START_TEST(delete_non_final)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), c = h_free_slot(1);
    ck_assert_int_eq(h_copy(c, ep, KEEL_RIGHTS_ALL), KEEL_OK);
    word_t before = kinv_count_caps();
    ck_assert(!mdb_is_final(h_slot(ep)));
    ck_assert_int_eq(h_delete(ep), KEEL_OK);
    ck_assert(cap_is_null(capof(ep)));
    ck_assert_ptr_null(h_slot(ep)->mdb_prev);
    ck_assert_uint_eq(capof(c)->type, KEEL_CAP_ENDPOINT);
    ck_assert(mdb_is_final(h_slot(c)));
    ck_assert_uint_eq(kinv_count_caps(), before - 1);
}
END_TEST

/* Deleting the last cap finalises the object; its untyped hands the memory out again. */
START_TEST(delete_final)
{
    h_boot();
    word_t ut = obj(0, KEEL_OBJ_UNTYPED, 12), ep = obj_from(ut, 1, KEEL_OBJ_ENDPOINT, 0);
    word_t addr = capof(ep)->obj, before = kinv_count_caps();
    ck_assert_int_eq(h_delete(ep), KEEL_OK);
    ck_assert(cap_is_null(capof(ep)));
    ck_assert_uint_eq(kinv_count_caps(), before - 1);
    ck_assert(!mdb_has_children(h_slot(ut)));
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_NOTIFICATION, 0, ep, 1), KEEL_OK);
    ck_assert_uint_eq(capof(ep)->obj, addr);
}
END_TEST

/* Delete/Revoke of an empty slot do nothing; bad addresses give slot-lookup errors. */
START_TEST(delete_revoke_errors)
{
    h_boot();
    static const word_t labels[] = {KEEL_CNODE_DELETE, KEEL_CNODE_REVOKE};
    word_t before = kinv_count_caps(), empty = h_free_slot(0);
    for (unsigned i = 0; i < 2; i++) {
        word_t w[] = {empty, WB};
        ck_assert_int_eq(h_invoke(ROOT, labels[i], 2, w, 0, 0), KEEL_OK);
        ck_assert_uint_eq(kinv_count_caps(), before);
        expect_err(h_invoke(ROOT, labels[i], 1, w, 0, 0), KEEL_TRUNCATED_MESSAGE,
                   KEEL_ARG_SERVICE, 2, 1, 0);
        word_t d0[] = {ROOT, 0}, d65[] = {ROOT, WB + 1}, d63[] = {ROOT, WB - 1};
        word_t g[] = {ROOT | (1ul << 50), WB};
        expect_err(h_invoke(ROOT, labels[i], 2, d0, 0, 0), KEEL_RANGE_ERROR, 1, 1, WB, 0);
        expect_err(h_invoke(ROOT, labels[i], 2, d65, 0, 0), KEEL_RANGE_ERROR, 1, 1, WB, WB + 1);
        expect_err(h_invoke(ROOT, labels[i], 2, d63, 0, 0), KEEL_FAILED_LOOKUP, 0,
                   KEEL_LOOKUP_DEPTH_MISMATCH, WB - 1, 0);
        expect_err(h_invoke(ROOT, labels[i], 2, g, 0, 0), KEEL_FAILED_LOOKUP, 0,
                   KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    }
    ck_assert_uint_eq(capof(ROOT)->type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(kinv_count_caps(), before);
}
END_TEST

/* The last delete of a CNode deletes everything it holds, final or not. */
START_TEST(delete_cnode_contents)
{
    h_boot();
    word_t cn = obj(0, KEEL_OBJ_CNODE, 4), ep = obj(1, KEEL_OBJ_ENDPOINT, 0);
    word_t k = obj(2, KEEL_OBJ_CNODE, 2), root = ROOT;
    for (word_t i = 0; i < 8; i++) {
        word_t w[] = {i, 4, ep, WB, KEEL_RIGHTS_ALL};
        ck_assert_int_eq(h_invoke(cn, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_OK);
    }
    word_t w[] = {8, 4, k, WB, KEEL_RIGHTS_ALL};
    ck_assert_int_eq(h_invoke(cn, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_OK);
    fill(h_big_untyped(), cn, KEEL_OBJ_NOTIFICATION, 9, 7);
    word_t cobj = capof(cn)->obj, before = kinv_count_caps();
    ck_assert_int_eq(h_delete(cn), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before - 17);
    for (word_t i = 0; i < 16; i++)
        ck_assert(cap_is_null(&cnode_slot(cobj, i)->cap));
    ck_assert_uint_eq(capof(ep)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(capof(k)->type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(count_zombies(), 0);
}
END_TEST

/* One delete finalises a chain of CNodes each holding the next, without recursion. */
START_TEST(delete_cnode_chain)
{
    h_boot();
    word_t before = kinv_count_caps(), head = h_free_slot(10);
    build_chain(head, 200, 0);
    ck_assert_uint_eq(kinv_count_caps(), before + 200);
    ck_assert(cap_is_null(capof(head + 1)));
    ck_assert_int_eq(h_delete(head), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before);
    build_chain(head, 30, 5);
    ck_assert_uint_eq(kinv_count_caps(), before + 30 * 6);
    ck_assert_int_eq(h_delete(head), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before);
    ck_assert_uint_eq(count_zombies(), 0);
}
END_TEST

/* Revoking their untyped reclaims self-containing CNodes and CNode/TCB cycles. */
START_TEST(self_containing_and_cycles)
{
    h_boot();
    word_t before = kinv_count_caps(), u = obj(0, KEEL_OBJ_UNTYPED, 16);
    word_t a = obj_from(u, 1, KEEL_OBJ_CNODE, 2), b = obj_from(u, 2, KEEL_OBJ_CNODE, 2);
    word_t c = obj_from(u, 3, KEEL_OBJ_CNODE, 2), t = obj_from(u, 4, KEEL_OBJ_TCB, 0);
    word_t d = obj_from(u, 5, KEEL_OBJ_CNODE, 2), root = ROOT;
    struct tcb *tcb = (struct tcb *)capof(t)->obj;
    word_t self[] = {0, 2, c, WB}, ab[] = {1, 2, b, WB}, back[] = {b, WB, 1, 2, KEEL_RIGHTS_ALL};
    word_t ba[] = {2, 2, a, WB}, td[] = {0, 2, t, WB};
    ck_assert_int_eq(h_invoke(c, KEEL_CNODE_MOVE, 4, self, 1, &root), KEEL_OK);
    ck_assert_int_eq(h_invoke(a, KEEL_CNODE_MOVE, 4, ab, 1, &root), KEEL_OK);
    ck_assert_int_eq(h_invoke(ROOT, KEEL_CNODE_COPY, 5, back, 1, &a), KEEL_OK);
    ck_assert_int_eq(h_invoke(b, KEEL_CNODE_MOVE, 4, ba, 1, &root), KEEL_OK);
    ck_assert_int_eq(h_delete(b), KEEL_OK);
    ck_assert_int_eq(h_invoke(d, KEEL_CNODE_MOVE, 4, td, 1, &root), KEEL_OK);
    mdb_move(h_slot(d), &tcb->slots[TCB_SLOT_CSPACE], capof(d)); /* as a TCB method would */
    ck_assert_str_eq(h_invariants(), "");
    ck_assert_uint_eq(kinv_count_caps(), before + 1 + 5);
    ck_assert_int_eq(h_revoke(u), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before + 1);
    ck_assert_uint_eq(tcb->state, THREAD_INACTIVE);
    ck_assert(cap_is_null(&tcb->slots[TCB_SLOT_CSPACE].cap));
    ck_assert_uint_eq(count_zombies(), 0);
    ck_assert_int_eq(h_retype(u, KEEL_OBJ_UNTYPED, 16, a, 1), KEEL_OK);
}
END_TEST

/* A TCB is finalised (suspended, dequeued, emptied) only when its last cap goes. */
START_TEST(delete_tcb)
{
    h_boot();
    word_t t = obj(0, KEEL_OBJ_TCB, 0), cp = h_free_slot(1), ep = obj(2, KEEL_OBJ_ENDPOINT, 0);
    struct tcb *tcb = (struct tcb *)capof(t)->obj;
    cap_t epc = *capof(ep);
    epc.flags = 0;
    mdb_insert_after(h_slot(ep), &tcb->slots[TCB_SLOT_FAULT_EP], &epc);
    h_give_time(tcb, 3, 1000000);
    sched_make_runnable(tcb);
    ck_assert_ptr_eq(sched_highest(), tcb);
    ck_assert_int_eq(h_copy(cp, t, KEEL_RIGHTS_ALL), KEEL_OK);
    word_t before = kinv_count_caps();
    ck_assert_int_eq(h_delete(t), KEEL_OK);
    ck_assert_uint_eq(tcb->state, THREAD_RUNNING);
    ck_assert_ptr_eq(sched_highest(), tcb);
    ck_assert_int_eq(h_delete(cp), KEEL_OK);
    ck_assert_uint_eq(tcb->state, THREAD_INACTIVE);
    ck_assert_ptr_null(sched_highest());
    ck_assert(cap_is_null(&tcb->slots[TCB_SLOT_FAULT_EP].cap));
    ck_assert_uint_eq(capof(ep)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(kinv_count_caps(), before - 3);
}
END_TEST

/* Deleting the root TCB's only cap suspends the caller during the call. */
START_TEST(delete_own_tcb)
{
    h_boot();
    struct tcb *root = h_root_tcb();
    word_t before = kinv_count_caps();
    ck_assert_int_eq(h_delete(KEEL_SLOT_INIT_TCB), KEEL_OK);
    ck_assert_ptr_null(kentry_exit_ctx());
    ck_assert_uint_eq(root->state, THREAD_INACTIVE);
    ck_assert(cap_is_null(&root->slots[TCB_SLOT_CSPACE].cap));
    ck_assert(cap_is_null(&root->slots[TCB_SLOT_IPC_BUFFER].cap));
    ck_assert_uint_eq(capof(ROOT)->type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(kinv_count_caps(), before - 3);
}
END_TEST

/* Deleting an untyped or badged original leaves its children to its parent. */
START_TEST(delete_parent_keeps_children)
{
    h_boot();
    word_t big = h_big_untyped(), u = obj(0, KEEL_OBJ_UNTYPED, 14);
    word_t e = obj_from(u, 1, KEEL_OBJ_ENDPOINT, 0), b = h_free_slot(2), c = h_free_slot(3);
    ck_assert_int_eq(h_delete(u), KEEL_OK);
    ck_assert_uint_eq(capof(e)->type, KEEL_CAP_ENDPOINT);
    ck_assert(mdb_is_parent(h_slot(big), h_slot(e)));
    ck_assert_int_eq(h_mint(b, e, KEEL_RIGHTS_ALL, 3), KEEL_OK);
    ck_assert_int_eq(h_copy(c, b, KEEL_RIGHT_READ), KEEL_OK);
    ck_assert_int_eq(h_delete(b), KEEL_OK);
    ck_assert_uint_eq(capof(c)->type, KEEL_CAP_ENDPOINT);
    ck_assert(mdb_is_parent(h_slot(e), h_slot(c)));
    ck_assert_int_eq(h_revoke(e), KEEL_OK);
    ck_assert(cap_is_null(capof(c)));
    ck_assert_int_eq(h_revoke(big), KEEL_OK);
    ck_assert(cap_is_null(capof(e)));
}
END_TEST

/* ---- Revoke ---- */

/* Revoke removes all 1,000 caps derived from an endpoint and keeps the endpoint. */
START_TEST(revoke_tree)
{
    h_boot();
    word_t cn = obj(0, KEEL_OBJ_CNODE, 10), ep = obj(1, KEEL_OBJ_ENDPOINT, 0), root = ROOT;
    word_t before = kinv_count_caps();
    for (word_t i = 0; i < 1000; i++) {
        word_t mint[] = {i, 10, ep, WB, KEEL_RIGHTS_ALL, i + 1};
        word_t copy[] = {i, 10, i - i % 10, 10, KEEL_RIGHT_WRITE};
        if (i % 10 == 0)
            ck_assert_int_eq(h_invoke(cn, KEEL_CNODE_MINT, 6, mint, 1, &root), KEEL_OK);
        else
            ck_assert_int_eq(h_invoke(cn, KEEL_CNODE_COPY, 5, copy, 1, &cn), KEEL_OK);
    }
    ck_assert_uint_eq(kinv_count_caps(), before + 1000);
    ck_assert_int_eq(h_revoke(ep), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before);
    ck_assert_uint_eq(capof(ep)->type, KEEL_CAP_ENDPOINT);
    ck_assert(!mdb_has_children(h_slot(ep)));
}
END_TEST

/* Revoking an untyped deletes all its objects and frees its whole size. */
START_TEST(revoke_untyped_reuse)
{
    h_boot();
    word_t u = obj(0, KEEL_OBJ_UNTYPED, 20), cn = obj_from(u, 1, KEEL_OBJ_CNODE, 10);
    word_t before = kinv_count_caps();
    for (word_t i = 0; i < 1000; i += 250)
        fill(u, cn, i % 500 ? KEEL_OBJ_NOTIFICATION : KEEL_OBJ_ENDPOINT, i, 250);
    ck_assert_uint_eq(kinv_count_caps(), before + 1000);
    ck_assert_int_eq(h_revoke(u), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before - 1);
    ck_assert(cap_is_null(capof(cn)));
    ck_assert_int_eq(h_retype(u, KEEL_OBJ_UNTYPED, 20, cn, 1), KEEL_OK);
    ck_assert_uint_eq(capof(cn)->obj, capof(u)->obj);
}
END_TEST

/* Revoking a cap without children, or a plain copy, deletes nothing. */
START_TEST(revoke_without_children)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), c1 = h_free_slot(1), c2 = h_free_slot(2);
    word_t before = kinv_count_caps();
    ck_assert_int_eq(h_revoke(ep), KEEL_OK);
    ck_assert_int_eq(h_copy(c1, ep, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_int_eq(h_copy(c2, c1, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_int_eq(h_revoke(c1), KEEL_OK);
    ck_assert_uint_eq(capof(c2)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(kinv_count_caps(), before + 2);
    ck_assert_int_eq(h_revoke(ep), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before);
}
END_TEST

/* Revoke stops (OK) when deleting a descendant empties the revoked slot. */
START_TEST(revoke_stops_when_slot_disappears)
{
    h_boot();
    word_t big = h_big_untyped(), u = obj(0, KEEL_OBJ_UNTYPED, 14);
    word_t e = obj_from(u, 1, KEEL_OBJ_ENDPOINT, 0), c = obj_from(u, 2, KEEL_OBJ_CNODE, 2);
    word_t mv[] = {0, 2, u, WB}, rv[] = {0, 2}, root = ROOT;
    ck_assert_int_eq(h_invoke(c, KEEL_CNODE_MOVE, 4, mv, 1, &root), KEEL_OK);
    word_t before = kinv_count_caps();
    ck_assert_int_eq(h_invoke(c, KEEL_CNODE_REVOKE, 2, rv, 0, 0), KEEL_OK);
    ck_assert(cap_is_null(capof(c)));
    ck_assert_uint_eq(capof(e)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(kinv_count_caps(), before - 2);
    ck_assert(mdb_is_parent(h_slot(big), h_slot(e)));
}
END_TEST

/* ---- preemption ---- */

/* A pending interrupt stops Revoke within one poll of work; re-executed, it finishes. */
START_TEST(revoke_preempted_and_restarted)
{
    h_boot();
    word_t u = obj(0, KEEL_OBJ_UNTYPED, 16), cn = obj(1, KEEL_OBJ_CNODE, 10);
    for (word_t i = 0; i < 1000; i += 250)
        fill(u, cn, KEEL_OBJ_ENDPOINT, i, 250);
    word_t before = kinv_count_caps();
    arch_ctx_t *c = prepare(KEEL_CNODE_REVOKE, ROOT, u, WB);
    ks.work_units = 0;
    ck_assert(enter_once(c, true));
    word_t removed = before - kinv_count_caps();
    ck_assert_uint_gt(removed, 0);
    ck_assert_uint_le(removed, CONFIG_PREEMPT_WORK_UNITS);
    unsigned runs = 1;
    while (enter_once(c, false))
        ck_assert_uint_lt(++runs, 100);
    ck_assert_uint_eq(keel_msginfo_label(c->regs[KEEL_REG_INFO]), KEEL_OK);
    ck_assert_uint_eq(kinv_count_caps(), before - 1000);
    ck_assert_uint_eq(capof(cn)->type, KEEL_CAP_CNODE);
}
END_TEST

/* A preempted CNode delete leaves a consistent Zombie that a new Delete finishes. */
START_TEST(delete_preempted_leaves_zombie)
{
    h_boot();
    word_t cn = obj(0, KEEL_OBJ_CNODE, 10);
    for (word_t i = 0; i < 1000; i += 250)
        fill(h_big_untyped(), cn, KEEL_OBJ_ENDPOINT, i, 250);
    word_t before = kinv_count_caps();
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, cn, WB);
    ks.work_units = 0;
    ck_assert(enter_once(c, true));
    const cap_t *z = capof(cn);
    ck_assert_uint_eq(z->type, KEEL_CAP_ZOMBIE);
    ck_assert_uint_eq(z->bits, 10 + KEEL_SLOT_BITS);
    ck_assert_uint_lt(z->aux, 1024);
    /* Slots done: the 24 empty ones at the top, then one per endpoint removed. */
    ck_assert_uint_eq(1024 - z->aux, 24 + before - kinv_count_caps());
    ck_assert_uint_eq(count_zombies(), 1);
    word_t aux = z->aux;
    h_syscall(KEEL_SYS_DEBUG_CAP_IDENTIFY, cn, 0);
    ck_assert_uint_eq(h_last.mr[0], KEEL_CAP_ZOMBIE);
    word_t w[] = {0, 10};
    expect_err(h_invoke(cn, KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_ILLEGAL_OPERATION,
               KEEL_ARG_SERVICE, KEEL_CAP_ZOMBIE, 0, 0);
    ck_assert_int_eq(h_revoke(cn), KEEL_OK);
    ck_assert_uint_eq(capof(cn)->aux, aux);
    ck_assert_int_eq(h_delete(cn), KEEL_OK);
    ck_assert(cap_is_null(capof(cn)));
    ck_assert_uint_eq(kinv_count_caps(), before - 1001);
}
END_TEST

/* Deleting a zombie chain under interrupts is consistent and progresses at every stop. */
START_TEST(zombie_chain_consistent_at_every_stop)
{
    h_boot();
    word_t before = kinv_count_caps(), head = h_free_slot(10);
    build_chain(head, 40, 8);
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, head, WB);
    word_t left = kinv_count_caps();
    unsigned stops = 0;
    while (enter_once(c, true)) {
        ck_assert_uint_eq(capof(head)->type, KEEL_CAP_ZOMBIE);
        ck_assert_uint_ge(count_zombies(), 1);
        ck_assert_uint_lt(kinv_count_caps(), left);
        left = kinv_count_caps();
        ck_assert_uint_lt(++stops, 1000);
    }
    ck_assert_uint_ge(stops, 3);
    ck_assert_uint_eq(kinv_count_caps(), before);
    ck_assert_uint_eq(count_zombies(), 0);
}
END_TEST

/* A revoke stopped inside a container child resumes from its zombie in the tree. */
START_TEST(revoke_preempted_inside_container)
{
    h_boot();
    word_t u = obj(0, KEEL_OBJ_UNTYPED, 16), e = obj_from(u, 1, KEEL_OBJ_ENDPOINT, 0);
    word_t cn = obj_from(u, 2, KEEL_OBJ_CNODE, 9);
    fill(h_big_untyped(), cn, KEEL_OBJ_NOTIFICATION, 0, 256);
    fill(h_big_untyped(), cn, KEEL_OBJ_NOTIFICATION, 256, 144);
    word_t before = kinv_count_caps();
    arch_ctx_t *c = prepare(KEEL_CNODE_REVOKE, ROOT, u, WB);
    *sim_clock() = ks.time_end;
    ks.work_units = 0;
    ck_assert(enter_once(c, false));
    ck_assert_uint_eq(capof(cn)->type, KEEL_CAP_ZOMBIE);
    ck_assert_ptr_eq(h_slot(u)->mdb_next, h_slot(cn));
    ck_assert(mdb_has_children(h_slot(u)));
    while (enter_once(c, true))
        ;
    ck_assert(cap_is_null(capof(cn)));
    ck_assert(cap_is_null(capof(e)));
    ck_assert_uint_eq(kinv_count_caps(), before - 402);
    ck_assert_uint_eq(count_zombies(), 0);
}
END_TEST

/* A 10,000-cap revoke is preempted by the timer alone and still completes. */
START_TEST(long_revoke_preempted_by_timer)
{
    h_boot();
    word_t u = obj(0, KEEL_OBJ_UNTYPED, 19), cn = obj(1, KEEL_OBJ_CNODE, 14);
    for (word_t i = 0; i < 10000; i += 250)
        fill(u, cn, KEEL_OBJ_ENDPOINT, i, 250);
    word_t before = kinv_count_caps(), preemptions = ks.preemptions;
    ck_assert_int_eq(h_revoke(u), KEEL_OK);
    ck_assert_uint_gt(ks.preemptions, preemptions);
    ck_assert_uint_eq(kinv_count_caps(), before - 10000);
}
END_TEST

/* A TCB whose CSpace slot holds the only cap to a CNode of 300 endpoints;
 * returns the TCB. */
static struct tcb *tcb_with_big_cspace(word_t t, word_t b)
{
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_TCB, 0, t, 1), KEEL_OK);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_CNODE, 9, b, 1), KEEL_OK);
    fill(h_big_untyped(), b, KEEL_OBJ_ENDPOINT, 0, 256);
    fill(h_big_untyped(), b, KEEL_OBJ_ENDPOINT, 256, 44);
    struct tcb *tcb = (struct tcb *)capof(t)->obj;
    mdb_move(h_slot(b), &tcb->slots[TCB_SLOT_CSPACE], capof(b)); /* as a TCB method would */
    return tcb;
}

/* Delete it with an interrupt at every entry: the zombie in `z` stays a
 * TCB zombie at every stop, and the TCB ends suspended. */
static void delete_tcb_preempted(word_t root_slot, const slot_t *z, struct tcb *tcb)
{
    word_t before = kinv_count_caps();
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, root_slot, WB);
    unsigned stops = 0;
    while (enter_once(c, true)) {
        ck_assert_uint_eq(z->cap.type, KEEL_CAP_ZOMBIE);
        ck_assert(z->cap.flags & CAP_F_ZOMBIE_TCB);
        ck_assert_uint_le(z->cap.aux, TCB_SLOT_COUNT);
        ck_assert_uint_eq(z->cap.bits, KEEL_TCB_BITS);
        ck_assert_uint_lt(++stops, 100);
    }
    ck_assert_uint_ge(stops, 2);
    ck_assert_uint_eq(tcb->state, THREAD_INACTIVE);
    ck_assert(cap_is_null(capof(root_slot)));
    ck_assert_uint_eq(kinv_count_caps(), before - 302 - (z != h_slot(root_slot)));
}

/* A TCB deletion stopped inside its CSpace CNode stays a TCB zombie across restarts. */
START_TEST(delete_preempted_inside_tcb)
{
    h_boot();
    word_t t = h_free_slot(0), x = h_free_slot(2), root = ROOT;
    struct tcb *tcb = tcb_with_big_cspace(t, h_free_slot(1));
    delete_tcb_preempted(t, h_slot(t), tcb);
    tcb = tcb_with_big_cspace(t, h_free_slot(1));
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_CNODE, 2, x, 1), KEEL_OK);
    word_t mv[] = {1, 2, t, WB};
    ck_assert_int_eq(h_invoke(x, KEEL_CNODE_MOVE, 4, mv, 1, &root), KEEL_OK);
    delete_tcb_preempted(x, cnode_slot(capof(x)->obj, 1), tcb);
}
END_TEST

/* Visiting the slots of a container being deleted counts as preemptible work. */
START_TEST(regress_empty_slots_visited_are_preemptible)
{
    h_boot();
    /* Regression: empty slots of a container being deleted used to be
     * skipped without counting as work, so a 16,384-slot empty CNode was
     * deleted in one go even with an interrupt pending. */
    word_t cn = obj(0, KEEL_OBJ_CNODE, 14);
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, cn, WB);
    ks.work_units = 0;
    bool stopped = enter_once(c, true);
    while (c->restart && enter_once(c, false))
        ;
    ck_assert(cap_is_null(capof(cn)));
    ck_assert_msg(stopped, "deleting a CNode of 16384 empty slots never polled for interrupts");
}
END_TEST

/* Every re-execution of a deep chain delete under interrupts makes progress. */
START_TEST(regress_deep_zombie_chain_progresses_under_interrupts)
{
    h_boot();
    /* Regression: a restarted Delete used to re-descend the whole zombie
     * chain from the top, spending a work unit per level; with a chain deeper
     * than one poll interval and an interrupt pending at each poll, no
     * execution made progress and the delete never finished. */
    unsigned depth = CONFIG_PREEMPT_WORK_UNITS + CONFIG_PREEMPT_WORK_UNITS / 2;
    ck_assert_uint_le(depth, 256);
    word_t before = kinv_count_caps(), head = h_free_slot(10);
    build_chain(head, depth, 0);
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, head, WB);
    unsigned runs = 0, limit = 20 * depth;
    while (enter_once(c, true) && runs < limit)
        runs++;
    bool finished = !c->restart;
    if (!finished) { /* let the same delete finish without interrupts */
        while (enter_once(c, false))
            ;
    }
    ck_assert_uint_eq(kinv_count_caps(), before);
    ck_assert_msg(finished, "no progress after %u executions of a %u-deep chain delete", runs,
                  depth);
}
END_TEST

/* With the timer alone, a delete of a chain deeper than a slice still progresses. */
START_TEST(regress_deep_zombie_chain_progresses_with_timer_only)
{
    h_boot();
    /* Regression: each restart used to re-descend the chain at one work unit per level;
     * a slice holds CONFIG_ROOT_BUDGET_NS / SIM_COST_PREEMPT_POLL_NS polls of
     * CONFIG_PREEMPT_WORK_UNITS units (5,000 levels), so a deeper chain never got further. */
    word_t per_slice = CONFIG_ROOT_BUDGET_NS / SIM_COST_PREEMPT_POLL_NS * CONFIG_PREEMPT_WORK_UNITS;
    word_t n = per_slice + per_slice / 5, holder = h_free_slot(0), head = h_free_slot(1);
    unsigned radix = 1;
    while (BIT(radix) < n)
        radix++;
    ck_assert_uint_le(radix, 16);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_CNODE, radix, holder, 1), KEEL_OK);
    for (word_t i = 0; i < n; i += KEEL_RETYPE_MAX_OBJECTS) {
        word_t k = n - i < KEEL_RETYPE_MAX_OBJECTS ? n - i : KEEL_RETYPE_MAX_OBJECTS;
        fill_bits(h_big_untyped(), holder, KEEL_OBJ_CNODE, 1, i, k);
    }
    word_t hobj = capof(holder)->obj;
    for (word_t i = n - 1; i > 0; i--) { /* CNode i-1 holds the only cap to CNode i */
        slot_t *from = cnode_slot(hobj, i);
        mdb_move(from, cnode_slot(cnode_slot(hobj, i - 1)->cap.obj, 1), &from->cap);
    }
    mdb_move(cnode_slot(hobj, 0), h_slot(head), &cnode_slot(hobj, 0)->cap);
    ck_assert_int_eq(h_delete(holder), KEEL_OK);
    word_t before = kinv_count_caps();
    arch_ctx_t *c = prepare(KEEL_CNODE_DELETE, ROOT, head, WB);
    unsigned runs = 0;
    while (runs < 6 && enter_once(c, false))
        runs++;
    ck_assert_msg(!c->restart || kinv_count_caps() < before,
                  "%u executions of a %lu-deep chain delete removed nothing", runs,
                  (unsigned long)n);
}
END_TEST

Suite *delete_suite(void)
{
    Suite *su = suite_create("delete");
    TCase *tc = tcase_create("delete");
    tcase_add_test(tc, delete_non_final);
    tcase_add_test(tc, delete_final);
    tcase_add_test(tc, delete_revoke_errors);
    tcase_add_test(tc, delete_cnode_contents);
    tcase_add_test(tc, delete_cnode_chain);
    tcase_add_test(tc, self_containing_and_cycles);
    tcase_add_test(tc, delete_tcb);
    tcase_add_test(tc, delete_own_tcb);
    tcase_add_test(tc, delete_parent_keeps_children);
    tcase_add_test(tc, revoke_tree);
    tcase_add_test(tc, revoke_untyped_reuse);
    tcase_add_test(tc, revoke_without_children);
    tcase_add_test(tc, revoke_stops_when_slot_disappears);
    tcase_add_test(tc, revoke_preempted_and_restarted);
    tcase_add_test(tc, delete_preempted_leaves_zombie);
    tcase_add_test(tc, zombie_chain_consistent_at_every_stop);
    tcase_add_test(tc, revoke_preempted_inside_container);
    tcase_add_test(tc, long_revoke_preempted_by_timer);
    tcase_add_test(tc, delete_preempted_inside_tcb);
    tcase_add_test(tc, regress_empty_slots_visited_are_preemptible);
    tcase_add_test(tc, regress_deep_zombie_chain_progresses_under_interrupts);
    tcase_add_test(tc, regress_deep_zombie_chain_progresses_with_timer_only);
    suite_add_tcase(su, tc);
    return su;
}
