/*
 * tests/unit/test_cnode.c - kernel/cnode.c: decoding and performing the
 * CNode methods Copy, Mint, Move, Mutate and Rotate (Delete and Revoke are
 * in test_delete.c), following docs/abi.md section 5: rights masking,
 * badges set once, CNode guard data, caps that cannot be copied, the
 * derivation-tree position of moved caps, and every error row of each
 * method with its argument index and detail words.
 *
 * Addresses are root slots at depth WB unless a test builds another CNode;
 * a zombie is made by stopping a Delete at a preemption point.
 */
#include "harness.h"

/* A CNode method with explicit roots and depths. */
static int cn(word_t invoked, word_t label, unsigned n, const word_t *w, word_t src_root)
{
    return h_invoke(invoked, label, n, w, 1, &src_root);
}

static int rotate(word_t dest, word_t dbadge, word_t pivot, word_t pbadge, word_t src)
{
    word_t w[] = {dest, WB, dbadge, pivot, WB, pbadge, src, WB}, caps[] = {ROOT, ROOT};
    return h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 2, caps);
}

/* Leave a Zombie in root slot `s`: a 256-slot CNode full of endpoints
 * whose Delete stops at its first preemption point. */
static void make_zombie(word_t s)
{
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_CNODE, 8, s, 1), KEEL_OK);
    word_t w[] = {KEEL_OBJ_ENDPOINT, 0, s, WB, 0, 256}, root = ROOT;
    ck_assert_int_eq(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 1, &root), KEEL_OK);
    arch_ctx_t *c = kentry_exit_ctx();
    c->sysno = KEEL_SYS_CALL;
    c->regs[KEEL_REG_CPTR] = ROOT;
    c->regs[KEEL_REG_INFO] = keel_msginfo(KEEL_CNODE_DELETE, 0, 0, 2);
    c->regs[KEEL_REG_MR0] = s;
    c->regs[KEEL_REG_MR1] = WB;
    c->restart = 0;
    ks.work_units = 0;
    sim_raise_irq(ARCH_IRQ_TIMER);
    kentry_syscall();
    ck_assert(c->restart);
    ck_assert_uint_eq(capof(s)->type, KEEL_CAP_ZOMBIE);
    sim_deliver_irqs();
    ck_assert_str_eq(h_invariants(), "");
}

/* Copy masks rights (never regained) and makes a non-revocable child after the source. */
START_TEST(copy_masks_rights)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), ro = h_free_slot(1), again = h_free_slot(2);
    ck_assert_int_eq(h_copy(ro, ep, KEEL_RIGHT_READ | KEEL_RIGHT_GRANT), KEEL_OK);
    ck_assert_uint_eq(capof(ro)->rights, KEEL_RIGHT_READ | KEEL_RIGHT_GRANT);
    ck_assert_uint_eq(capof(ro)->obj, capof(ep)->obj);
    ck_assert_uint_eq(capof(ro)->flags, 0);
    ck_assert_ptr_eq(h_slot(ep)->mdb_next, h_slot(ro));
    ck_assert_int_eq(h_copy(again, ro, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(capof(again)->rights, KEEL_RIGHT_READ | KEEL_RIGHT_GRANT);
    ck_assert_int_eq(h_copy(h_free_slot(3), ep, 0), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(3))->rights, 0);
}
END_TEST

/* Copy keeps badges and CNode guards; a root CNode copy takes full-depth cptrs. */
START_TEST(copy_keeps_badge_and_guard)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), b = h_free_slot(1), bc = h_free_slot(2);
    word_t rc = h_free_slot(3), d = h_free_slot(4);
    ck_assert_int_eq(h_mint(b, ep, KEEL_RIGHTS_ALL, 42), KEEL_OK);
    ck_assert_int_eq(h_copy(bc, b, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(capof(bc)->data, 42);
    ck_assert_uint_eq(capof(bc)->flags, 0);
    ck_assert_int_eq(h_copy(rc, ROOT, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(capof(rc)->aux, capof(ROOT)->aux);
    ck_assert_uint_eq(capof(rc)->data, capof(ROOT)->data);
    word_t w[] = {d, WB, ep, WB, KEEL_RIGHTS_ALL};
    ck_assert_int_eq(cn(rc, KEEL_CNODE_COPY, 5, w, rc), KEEL_OK);
    ck_assert_uint_eq(capof(d)->type, KEEL_CAP_ENDPOINT);
}
END_TEST

/* Rights bits outside KEEL_RIGHTS_ALL are InvalidArgument (arg 4, the value). */
START_TEST(copy_unknown_rights)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1);
    expect_err(h_copy(d, ep, 0x10), KEEL_INVALID_ARGUMENT, 4, 0x10, 0, 0);
    expect_err(h_mint(d, ep, KEEL_RIGHTS_ALL | 0x100, 0), KEEL_INVALID_ARGUMENT, 4,
               KEEL_RIGHTS_ALL | 0x100, 0, 0);
    ck_assert(cap_is_null(capof(d)));
}
END_TEST

/* Reply, IRQControl and Zombie caps and untyped with children cannot be copied. */
START_TEST(uncopyable_caps)
{
    h_boot();
    word_t rp = obj(0, KEEL_OBJ_REPLY, 0), d = h_free_slot(1), z = h_free_slot(2);
    expect_err(h_copy(d, rp, KEEL_RIGHTS_ALL), KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_REPLY, 0, 0);
    expect_err(h_mint(d, KEEL_SLOT_IRQ_CONTROL, KEEL_RIGHTS_ALL, 0), KEEL_ILLEGAL_OPERATION, 2,
               KEEL_CAP_IRQ_CONTROL, 0, 0);
    expect_err(h_copy(d, h_big_untyped(), KEEL_RIGHTS_ALL), KEEL_REVOKE_FIRST, 2, 0, 0, 0);
    make_zombie(z);
    expect_err(h_copy(d, z, KEEL_RIGHTS_ALL), KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_ZOMBIE, 0, 0);
    ck_assert(cap_is_null(capof(d)));
    ck_assert_int_eq(h_delete(z), KEEL_OK);
    ck_assert(cap_is_null(capof(z)));
}
END_TEST

/* Every other cap type (and childless untyped) can be copied as a child of the source. */
START_TEST(copyable_caps)
{
    h_boot();
    word_t src[] = {KEEL_SLOT_SCHED_CONTROL, KEEL_SLOT_INIT_TCB, KEEL_SLOT_BOOTINFO_FRAME,
                    obj(0, KEEL_OBJ_SCHED_CONTEXT, 8), obj(1, KEEL_OBJ_CNODE, 2),
                    obj(2, KEEL_OBJ_NOTIFICATION, 0), obj(3, KEEL_OBJ_UNTYPED, 12)};
    for (unsigned i = 0; i < sizeof(src) / sizeof(src[0]); i++) {
        word_t d = h_free_slot(10 + i);
        ck_assert_int_eq(h_copy(d, src[i], KEEL_RIGHTS_ALL), KEEL_OK);
        ck_assert_uint_eq(capof(d)->type, capof(src[i])->type);
        ck_assert(mdb_is_parent(h_slot(src[i]), h_slot(d)));
    }
}
END_TEST

/* Copy/Mint errors, in order, with their argument index and detail words. */
START_TEST(copy_error_paths)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1), e = h_free_slot(2);
    word_t w[] = {d, WB, ep, WB, KEEL_RIGHTS_ALL, 0}, root = ROOT;
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 4, w, ROOT), KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE,
               5, 4, 0);
    expect_err(cn(ROOT, KEEL_CNODE_MINT, 5, w, ROOT), KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE,
               6, 5, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_COPY, 5, w, 0, &root), KEEL_TRUNCATED_MESSAGE,
               KEEL_ARG_SERVICE, 1, 0, 0);
    expect_err(h_copy(ep, ep, KEEL_RIGHTS_ALL), KEEL_DELETE_FIRST, 0, 0, 0, 0);
    word_t bad_dest[] = {d, 0, ep, WB, KEEL_RIGHTS_ALL};
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, bad_dest, ROOT), KEEL_RANGE_ERROR, 1, 1, WB, 0);
    word_t guard[] = {d | (1ul << 30), WB, ep, WB, KEEL_RIGHTS_ALL};
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, guard, ROOT), KEEL_FAILED_LOOKUP, 0,
               KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    /* A source root that is not a CNode, checked before the source depth. */
    word_t src0[] = {d, WB, ep, 0, KEEL_RIGHTS_ALL};
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, src0, ep), KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(0),
               KEEL_LOOKUP_INVALID_ROOT, 0, 0);
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, src0, ROOT), KEEL_RANGE_ERROR, 3, 1, WB, 0);
    word_t src_deep[] = {d, WB, ep, WB + 5, KEEL_RIGHTS_ALL};
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, src_deep, ROOT), KEEL_RANGE_ERROR, 3, 1, WB, WB + 5);
    word_t src_short[] = {d, WB, ep, 40, KEEL_RIGHTS_ALL};
    expect_err(cn(ROOT, KEEL_CNODE_COPY, 5, src_short, ROOT), KEEL_FAILED_LOOKUP, 2,
               KEEL_LOOKUP_DEPTH_MISMATCH, 40, 0);
    expect_err(h_copy(d, e, KEEL_RIGHTS_ALL), KEEL_FAILED_LOOKUP, 2, KEEL_LOOKUP_MISSING_CAP, 0,
               WB);
    ck_assert(cap_is_null(capof(d)));
}
END_TEST

/* Mint sets a badge once (a badged original); badge 0 keeps an existing badge. */
START_TEST(mint_badge_once)
{
    h_boot();
    word_t nt = obj(0, KEEL_OBJ_NOTIFICATION, 0), b = h_free_slot(1), d = h_free_slot(2);
    ck_assert_int_eq(h_mint(b, nt, KEEL_RIGHT_WRITE, 0x80), KEEL_OK);
    ck_assert_uint_eq(capof(b)->data, 0x80);
    ck_assert_uint_eq(capof(b)->rights, KEEL_RIGHT_WRITE);
    ck_assert_uint_eq(capof(b)->flags, CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    expect_err(h_mint(d, b, KEEL_RIGHTS_ALL, 9), KEEL_ILLEGAL_OPERATION, 5, KEEL_CAP_NOTIFICATION,
               0, 0);
    expect_err(h_mint(d, b, KEEL_RIGHTS_ALL, 0x80), KEEL_ILLEGAL_OPERATION, 5,
               KEEL_CAP_NOTIFICATION, 0, 0);
    ck_assert_int_eq(h_mint(d, b, KEEL_RIGHTS_ALL, 0), KEEL_OK);
    ck_assert_uint_eq(capof(d)->data, 0x80);
    ck_assert_uint_eq(capof(d)->rights, KEEL_RIGHT_WRITE);
    ck_assert_uint_eq(capof(d)->flags, 0);
    /* Mint badge 0 of an unbadged cap is a plain copy. */
    ck_assert_int_eq(h_mint(h_free_slot(3), nt, KEEL_RIGHTS_ALL, 0), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(3))->data, 0);
    ck_assert_uint_eq(capof(h_free_slot(3))->flags, 0);
}
END_TEST

/* Non-zero Mint data on caps without badge or guard is InvalidArgument (arg 5). */
START_TEST(mint_data_on_other_types)
{
    h_boot();
    word_t fr = obj(0, KEEL_OBJ_FRAME, 12), ut = obj(1, KEEL_OBJ_UNTYPED, 12), d = h_free_slot(2);
    expect_err(h_mint(d, fr, KEEL_RIGHTS_ALL, 5), KEEL_INVALID_ARGUMENT, 5, 5, 0, 0);
    expect_err(h_mint(d, ut, KEEL_RIGHTS_ALL, 1), KEEL_INVALID_ARGUMENT, 5, 1, 0, 0);
    expect_err(h_mint(d, KEEL_SLOT_INIT_TCB, KEEL_RIGHTS_ALL, 77), KEEL_INVALID_ARGUMENT, 5, 77,
               0, 0);
    ck_assert(cap_is_null(capof(d)));
    ck_assert_int_eq(h_mint(d, fr, KEEL_RIGHT_READ, 0), KEEL_OK);
    ck_assert_uint_eq(capof(d)->rights, KEEL_RIGHT_READ);
}
END_TEST

/* Mint applies CNode guard data with its range and width checks; 0 removes the guard. */
START_TEST(mint_cnode_guard)
{
    h_boot();
    word_t c = obj(0, KEEL_OBJ_CNODE, 4), d = h_free_slot(1), r0 = h_free_slot(2);
    ck_assert_int_eq(h_mint(d, c, KEEL_RIGHTS_ALL, keel_cnode_guard(3, 2)), KEEL_OK);
    ck_assert_uint_eq(capof(d)->data, 3);
    ck_assert_uint_eq(capof(d)->aux, 2);
    ck_assert_uint_eq(capof(d)->flags, 0);
    ck_assert_int_eq(h_delete(d), KEEL_OK);
    expect_err(h_mint(d, c, KEEL_RIGHTS_ALL, keel_cnode_guard(0, WB - 3)), KEEL_RANGE_ERROR, 5, 0,
               WB - 4, WB - 3);
    expect_err(h_mint(d, c, KEEL_RIGHTS_ALL, keel_cnode_guard(4, 2)), KEEL_INVALID_ARGUMENT, 5,
               keel_cnode_guard(4, 2), 0, 0);
    expect_err(h_mint(d, c, KEEL_RIGHTS_ALL, keel_cnode_guard(1, 0)), KEEL_INVALID_ARGUMENT, 5,
               keel_cnode_guard(1, 0), 0, 0);
    ck_assert_int_eq(h_mint(d, c, KEEL_RIGHTS_ALL, keel_cnode_guard(0, WB - 4)), KEEL_OK);
    ck_assert_uint_eq(capof(d)->aux, WB - 4);
    ck_assert_int_eq(h_mint(r0, ROOT, KEEL_RIGHTS_ALL, 0), KEEL_OK);
    ck_assert_uint_eq(capof(r0)->aux, 0);
    ck_assert_uint_eq(capof(r0)->data, 0);
    /* Without its guard, the root copy resolves radix bits only. */
    word_t radix = h_bi()->root_cnode_radix, f = h_free_slot(6);
    word_t w[] = {f, radix, KEEL_SLOT_INIT_TCB, WB, KEEL_RIGHTS_ALL};
    ck_assert_int_eq(cn(r0, KEEL_CNODE_COPY, 5, w, ROOT), KEEL_OK);
    ck_assert_uint_eq(capof(f)->type, KEEL_CAP_TCB);
    word_t w2[] = {h_free_slot(7), WB, KEEL_SLOT_INIT_TCB, WB, KEEL_RIGHTS_ALL};
    expect_err(cn(r0, KEEL_CNODE_COPY, 5, w2, ROOT), KEEL_FAILED_LOOKUP, 0,
               KEEL_LOOKUP_DEPTH_MISMATCH, WB - radix, radix);
}
END_TEST

/* Move keeps the cap unchanged at its MDB position, so its children stay its children. */
START_TEST(move_keeps_position)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), c = h_free_slot(1), to = h_free_slot(2);
    ck_assert_int_eq(h_mint(c, ep, KEEL_RIGHT_READ, 0), KEEL_OK);
    cap_t before = *capof(ep);
    slot_t *prev = h_slot(ep)->mdb_prev, *next = h_slot(ep)->mdb_next;
    ck_assert_int_eq(h_move(to, ep), KEEL_OK);
    ck_assert(cap_is_null(capof(ep)));
    ck_assert_ptr_null(h_slot(ep)->mdb_next);
    ck_assert_mem_eq(capof(to), &before, sizeof(cap_t));
    ck_assert_ptr_eq(h_slot(to)->mdb_prev, prev);
    ck_assert_ptr_eq(h_slot(to)->mdb_next, next);
    ck_assert_int_eq(h_revoke(to), KEEL_OK);
    ck_assert(cap_is_null(capof(c)));
}
END_TEST

/* Any cap but a Zombie moves, Reply and IRQControl too, even into the CNode it names. */
START_TEST(move_any_type)
{
    h_boot();
    word_t rp = obj(0, KEEL_OBJ_REPLY, 0), c = obj(1, KEEL_OBJ_CNODE, 2);
    word_t d1 = h_free_slot(2), d2 = h_free_slot(3), z = h_free_slot(4);
    ck_assert_int_eq(h_move(d1, rp), KEEL_OK);
    ck_assert_uint_eq(capof(d1)->type, KEEL_CAP_REPLY);
    ck_assert_int_eq(h_move(d2, KEEL_SLOT_IRQ_CONTROL), KEEL_OK);
    ck_assert_uint_eq(capof(d2)->type, KEEL_CAP_IRQ_CONTROL);
    word_t cobj = capof(c)->obj;
    word_t w[] = {1, 2, c, WB};
    ck_assert_int_eq(cn(c, KEEL_CNODE_MOVE, 4, w, ROOT), KEEL_OK);
    ck_assert(cap_is_null(capof(c)));
    ck_assert_uint_eq(cnode_slot(cobj, 1)->cap.type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(cnode_slot(cobj, 1)->cap.obj, cobj);
    make_zombie(z);
    expect_err(h_move(h_free_slot(5), z), KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_ZOMBIE, 0, 0);
    expect_err(h_mutate(h_free_slot(5), z, 0), KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_ZOMBIE, 0, 0);
    ck_assert(cap_is_null(capof(h_free_slot(5))));
}
END_TEST

/* Move errors: too short, occupied destination, empty source, non-CNode source root. */
START_TEST(move_error_paths)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), d = h_free_slot(1), empty = h_free_slot(2);
    word_t w[] = {d, WB, ep, WB};
    expect_err(cn(ROOT, KEEL_CNODE_MOVE, 3, w, ROOT), KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE,
               4, 3, 0);
    expect_err(h_move(ep, ep), KEEL_DELETE_FIRST, 0, 0, 0, 0);
    expect_err(h_move(d, empty), KEEL_FAILED_LOOKUP, 2, KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(cn(ROOT, KEEL_CNODE_MOVE, 4, w, ep), KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(0),
               KEEL_LOOKUP_INVALID_ROOT, WB, 0);
    ck_assert_uint_eq(capof(ep)->type, KEEL_CAP_ENDPOINT);
    ck_assert(cap_is_null(capof(d)));
}
END_TEST

/* Mutate never badges (arg 4) but keeps a badge; other types take only data 0. */
START_TEST(mutate_badge_rules)
{
    h_boot();
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0), b = h_free_slot(1), d = h_free_slot(2);
    word_t fr = obj(3, KEEL_OBJ_FRAME, 12);
    ck_assert_int_eq(h_mint(b, ep, KEEL_RIGHTS_ALL, 6), KEEL_OK);
    expect_err(h_mutate(d, ep, 5), KEEL_ILLEGAL_OPERATION, 4, KEEL_CAP_ENDPOINT, 0, 0);
    expect_err(h_mutate(d, b, 7), KEEL_ILLEGAL_OPERATION, 4, KEEL_CAP_ENDPOINT, 0, 0);
    expect_err(h_mutate(d, fr, 3), KEEL_INVALID_ARGUMENT, 4, 3, 0, 0);
    ck_assert(cap_is_null(capof(d)));
    ck_assert_int_eq(h_mutate(d, b, 0), KEEL_OK);
    ck_assert_uint_eq(capof(d)->data, 6);
    ck_assert_uint_eq(capof(d)->flags, CAP_F_REVOCABLE | CAP_F_FIRST_BADGED);
    ck_assert(cap_is_null(capof(b)));
    expect_err(h_mutate(d, b, 0), KEEL_DELETE_FIRST, 0, 0, 0, 0);
    expect_err(h_mutate(h_free_slot(5), b, 0), KEEL_FAILED_LOOKUP, 2, KEEL_LOOKUP_MISSING_CAP, 0,
               WB);
    word_t w[] = {b, WB, d, WB, 0};
    expect_err(cn(ROOT, KEEL_CNODE_MUTATE, 4, w, ROOT), KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE,
               5, 4, 0);
}
END_TEST

/* Mutate sets or removes a CNode guard; a failed Mutate leaves the source in place. */
START_TEST(mutate_cnode_guard)
{
    h_boot();
    word_t c = obj(0, KEEL_OBJ_CNODE, 2), d = h_free_slot(1), d2 = h_free_slot(2);
    expect_err(h_mutate(d, c, keel_cnode_guard(0, WB - 1)), KEEL_RANGE_ERROR, 4, 0, WB - 2,
               WB - 1);
    expect_err(h_mutate(d, c, keel_cnode_guard(4, 2)), KEEL_INVALID_ARGUMENT, 4,
               keel_cnode_guard(4, 2), 0, 0);
    ck_assert_uint_eq(capof(c)->type, KEEL_CAP_CNODE);
    ck_assert_int_eq(h_mutate(d, c, keel_cnode_guard(3, 2)), KEEL_OK);
    ck_assert_uint_eq(capof(d)->data, 3);
    ck_assert_uint_eq(capof(d)->aux, 2);
    ck_assert_uint_eq(capof(d)->flags, CAP_F_REVOCABLE);
    ck_assert(cap_is_null(capof(c)));
    ck_assert_int_eq(h_mutate(d2, d, 0), KEEL_OK);
    ck_assert_uint_eq(capof(d2)->data, 0);
    ck_assert_uint_eq(capof(d2)->aux, 0);
}
END_TEST

/* Rotate moves pivot to dest and src to pivot, both keeping MDB positions. */
START_TEST(rotate_three_slots)
{
    h_boot();
    word_t a = obj(0, KEEL_OBJ_ENDPOINT, 0), b = obj(1, KEEL_OBJ_NOTIFICATION, 0);
    word_t dest = h_free_slot(2), acopy = h_free_slot(3);
    ck_assert_int_eq(h_copy(acopy, a, KEEL_RIGHT_READ), KEEL_OK);
    word_t aobj = capof(a)->obj, bobj = capof(b)->obj;
    slot_t *bprev = h_slot(b)->mdb_prev;
    ck_assert_int_eq(rotate(dest, 0, b, 0, a), KEEL_OK);
    ck_assert_uint_eq(capof(dest)->type, KEEL_CAP_NOTIFICATION);
    ck_assert_uint_eq(capof(dest)->obj, bobj);
    ck_assert_uint_eq(capof(b)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(capof(b)->obj, aobj);
    ck_assert(cap_is_null(capof(a)));
    ck_assert_ptr_eq(h_slot(dest)->mdb_prev, bprev);
    ck_assert_ptr_eq(h_slot(b)->mdb_next, h_slot(acopy));
    ck_assert_int_eq(h_revoke(b), KEEL_OK); /* the endpoint, now in b, keeps its child */
    ck_assert(cap_is_null(capof(acopy)));
}
END_TEST

/* Rotate with dest == src swaps two caps, each keeping its MDB position. */
START_TEST(rotate_swap)
{
    h_boot();
    word_t a = obj(0, KEEL_OBJ_ENDPOINT, 0), b = obj(1, KEEL_OBJ_CNODE, 3), ac = h_free_slot(2);
    ck_assert_int_eq(h_copy(ac, a, KEEL_RIGHTS_ALL), KEEL_OK);
    word_t aobj = capof(a)->obj, bobj = capof(b)->obj;
    slot_t *bprev = h_slot(b)->mdb_prev;
    ck_assert_int_eq(rotate(a, keel_cnode_guard(1, 1), b, 0, a), KEEL_OK);
    ck_assert_uint_eq(capof(a)->type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(capof(a)->obj, bobj);
    ck_assert_uint_eq(capof(a)->aux, 1); /* dest_badge applies to the pivot's cap */
    ck_assert_uint_eq(capof(b)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(capof(b)->obj, aobj);
    ck_assert_ptr_eq(h_slot(a)->mdb_prev, bprev);        /* the CNode kept its place */
    ck_assert_ptr_eq(h_slot(b)->mdb_next, h_slot(ac));   /* the endpoint kept its child */
    ck_assert_int_eq(rotate(a, 0, b, 0, a), KEEL_OK);
    ck_assert_uint_eq(capof(a)->obj, aobj);
    ck_assert_uint_eq(capof(b)->obj, bobj);
    ck_assert_uint_eq(capof(b)->aux, 0);
    ck_assert_ptr_eq(h_slot(a)->mdb_next, h_slot(ac));
    ck_assert_int_eq(h_revoke(a), KEEL_OK);
    ck_assert(cap_is_null(capof(ac)));
}
END_TEST

/* Rotate errors, in order, with their argument index and detail words. */
START_TEST(rotate_error_paths)
{
    h_boot();
    word_t a = obj(0, KEEL_OBJ_ENDPOINT, 0), b = obj(1, KEEL_OBJ_NOTIFICATION, 0);
    word_t c = obj(2, KEEL_OBJ_FRAME, 12), e = h_free_slot(3), z = h_free_slot(4);
    expect_err(rotate(e, 0, b, 0, b), KEEL_ILLEGAL_OPERATION, 3, KEEL_CAP_NOTIFICATION, 0, 0);
    expect_err(rotate(b, 0, b, 0, a), KEEL_ILLEGAL_OPERATION, 3, KEEL_CAP_NOTIFICATION, 0, 0);
    expect_err(rotate(e, 0, b, 0, h_free_slot(5)), KEEL_FAILED_LOOKUP, 6,
               KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(rotate(e, 0, h_free_slot(5), 0, a), KEEL_FAILED_LOOKUP, 3,
               KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(rotate(c, 0, b, 0, a), KEEL_DELETE_FIRST, 0, 0, 0, 0);
    expect_err(rotate(e, 5, b, 0, a), KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_NOTIFICATION, 0, 0);
    expect_err(rotate(e, 0, b, 5, a), KEEL_ILLEGAL_OPERATION, 5, KEEL_CAP_ENDPOINT, 0, 0);
    expect_err(rotate(e, 0, c, 9, a), KEEL_ILLEGAL_OPERATION, 5, KEEL_CAP_ENDPOINT, 0, 0);
    expect_err(rotate(e, 9, c, 0, a), KEEL_INVALID_ARGUMENT, 2, 9, 0, 0);
    make_zombie(z);
    expect_err(rotate(e, 0, b, 0, z), KEEL_ILLEGAL_OPERATION, 6, KEEL_CAP_ZOMBIE, 0, 0);
    expect_err(rotate(e, 0, z, 0, a), KEEL_ILLEGAL_OPERATION, 3, KEEL_CAP_ZOMBIE, 0, 0);
    word_t w[] = {e, WB, 0, b, WB, 0, a, WB}, caps[] = {a, ROOT}, caps2[] = {ROOT, b};
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 2, caps), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(0), KEEL_LOOKUP_INVALID_ROOT, WB, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 2, caps2), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(1), KEEL_LOOKUP_INVALID_ROOT, WB, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 7, w, 2, caps2), KEEL_TRUNCATED_MESSAGE,
               KEEL_ARG_SERVICE, 8, 7, 0);
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 1, caps2), KEEL_TRUNCATED_MESSAGE,
               KEEL_ARG_SERVICE, 2, 1, 0);
    w[4] = 0;
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 2, (word_t[]){ROOT, ROOT}),
               KEEL_RANGE_ERROR, 4, 1, WB, 0);
    w[4] = WB;
    w[7] = WB + 1;
    expect_err(h_invoke(ROOT, KEEL_CNODE_ROTATE, 8, w, 2, (word_t[]){ROOT, ROOT}),
               KEEL_RANGE_ERROR, 7, 1, WB, WB + 1);
    /* Nothing moved. */
    ck_assert_uint_eq(capof(a)->type, KEEL_CAP_ENDPOINT);
    ck_assert_uint_eq(capof(b)->type, KEEL_CAP_NOTIFICATION);
    ck_assert(cap_is_null(capof(e)));
}
END_TEST

/* Rotate applies guard data to the CNode caps it moves (args 2 and 5). */
START_TEST(rotate_sets_guards)
{
    h_boot();
    word_t c1 = obj(0, KEEL_OBJ_CNODE, 2), c2 = obj(1, KEEL_OBJ_CNODE, 3), d = h_free_slot(2);
    ck_assert_int_eq(rotate(d, keel_cnode_guard(2, 2), c1, keel_cnode_guard(5, 3), c2), KEEL_OK);
    ck_assert_uint_eq(capof(d)->bits, 2);
    ck_assert_uint_eq(capof(d)->data, 2);
    ck_assert_uint_eq(capof(d)->aux, 2);
    ck_assert_uint_eq(capof(c1)->bits, 3);
    ck_assert_uint_eq(capof(c1)->data, 5);
    ck_assert_uint_eq(capof(c1)->aux, 3);
    expect_err(rotate(c2, keel_cnode_guard(0, WB - 1), c1, 0, d), KEEL_RANGE_ERROR, 2, 0, WB - 3,
               WB - 1);
    ck_assert_uint_eq(capof(c1)->aux, 3);
}
END_TEST

/* A label that is not a CNode method is IllegalOperation on the service. */
START_TEST(unknown_cnode_method)
{
    h_boot();
    word_t w[] = {h_free_slot(0), WB};
    static const word_t labels[] = {KEEL_INVALID_METHOD, KEEL_UNTYPED_RETYPE,
                                    KEEL_METHOD_COUNT, 999};
    for (unsigned i = 0; i < 4; i++)
        expect_err(h_invoke(ROOT, labels[i], 2, w, 0, 0), KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE,
                   KEEL_CAP_CNODE, 0, 0);
}
END_TEST

/* CNode methods work through a non-root CNode addressed at its own depth. */
START_TEST(methods_in_other_cnode)
{
    h_boot();
    word_t c = obj(0, KEEL_OBJ_CNODE, 3), ep = obj(1, KEEL_OBJ_ENDPOINT, 0);
    word_t cobj = capof(c)->obj;
    word_t cp[] = {4, 3, ep, WB, KEEL_RIGHT_WRITE};
    ck_assert_int_eq(cn(c, KEEL_CNODE_COPY, 5, cp, ROOT), KEEL_OK);
    word_t mv[] = {7, 3, 4, 3};
    ck_assert_int_eq(cn(c, KEEL_CNODE_MOVE, 4, mv, c), KEEL_OK);
    ck_assert(cap_is_null(&cnode_slot(cobj, 4)->cap));
    ck_assert_uint_eq(cnode_slot(cobj, 7)->cap.rights, KEEL_RIGHT_WRITE);
    word_t back[] = {h_free_slot(2), WB, 7, 3, KEEL_RIGHTS_ALL, 0};
    ck_assert_int_eq(cn(ROOT, KEEL_CNODE_MINT, 6, back, c), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(2))->rights, KEEL_RIGHT_WRITE);
    word_t del[] = {7, 3};
    ck_assert_int_eq(h_invoke(c, KEEL_CNODE_DELETE, 2, del, 0, 0), KEEL_OK);
    ck_assert(cap_is_null(&cnode_slot(cobj, 7)->cap));
    word_t bad[] = {8, 4, ep, WB, KEEL_RIGHTS_ALL}; /* 1 bit left at empty slot 4 */
    expect_err(cn(c, KEEL_CNODE_COPY, 5, bad, ROOT), KEEL_FAILED_LOOKUP, 0,
               KEEL_LOOKUP_DEPTH_MISMATCH, 1, 3);
}
END_TEST

Suite *cnode_suite(void)
{
    Suite *su = suite_create("cnode");
    TCase *tc = tcase_create("cnode");
    tcase_add_test(tc, copy_masks_rights);
    tcase_add_test(tc, copy_keeps_badge_and_guard);
    tcase_add_test(tc, copy_unknown_rights);
    tcase_add_test(tc, uncopyable_caps);
    tcase_add_test(tc, copyable_caps);
    tcase_add_test(tc, copy_error_paths);
    tcase_add_test(tc, mint_badge_once);
    tcase_add_test(tc, mint_data_on_other_types);
    tcase_add_test(tc, mint_cnode_guard);
    tcase_add_test(tc, move_keeps_position);
    tcase_add_test(tc, move_any_type);
    tcase_add_test(tc, move_error_paths);
    tcase_add_test(tc, mutate_badge_rules);
    tcase_add_test(tc, mutate_cnode_guard);
    tcase_add_test(tc, rotate_three_slots);
    tcase_add_test(tc, rotate_swap);
    tcase_add_test(tc, rotate_error_paths);
    tcase_add_test(tc, rotate_sets_guards);
    tcase_add_test(tc, unknown_cnode_method);
    tcase_add_test(tc, methods_in_other_cnode);
    suite_add_tcase(su, tc);
    return su;
}
