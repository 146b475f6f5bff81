/*
 * tests/unit/test_cspace.c - kernel/cspace.c: resolving capability
 * pointers through CNodes by guard and radix.  cspace_lookup_slot resolves
 * exactly `depth` bits (CNode method and Retype addresses);
 * cspace_lookup_cap resolves a full word from a thread's CSpace root and
 * stops at the first non-CNode cap (invoked and extra caps).  Failures
 * carry the kind of lookup failure, the bits left and the bits resolved,
 * and name the argument the caller passed.
 *
 * Layouts are built with real invocations; the lookups are then called
 * directly and through CNode methods.
 */
#include "harness.h"

static struct kerr e;

static int cn_copy(word_t cnode, word_t di, word_t dd, word_t sroot, word_t si, word_t sd)
{
    word_t w[] = {di, dd, si, sd, KEEL_RIGHTS_ALL};
    return h_invoke(cnode, KEEL_CNODE_COPY, 5, w, 1, &sroot);
}

static int cn_mutate(word_t cnode, word_t di, word_t dd, word_t sroot, word_t si, word_t sd,
                     word_t data)
{
    word_t w[] = {di, dd, si, sd, data};
    return h_invoke(cnode, KEEL_CNODE_MUTATE, 5, w, 1, &sroot);
}

static int lookup(word_t root_slot, word_t cptr, word_t depth, slot_t **out)
{
    e = (struct kerr){0};
    return cspace_lookup_slot(capof(root_slot), cptr, depth, 7, out, &e);
}

/* A lookup failed with this detail (a macro: failures name the caller). */
#define expect_fail(r, a, kind, left, resolved)      \
    do {                                             \
        ck_assert_int_eq((r), KEEL_FAILED_LOOKUP);   \
        ck_assert_uint_eq(e.arg, (a));               \
        ck_assert_uint_eq(e.v1, (kind));             \
        ck_assert_uint_eq(e.v2, (left));             \
        ck_assert_uint_eq(e.v3, (resolved));         \
    } while (0)

/* L1 (radix 4, no guard) holds L2 (radix 4) in slot 3 and an endpoint in
 * slot 2; returns L1's root slot, and L2's in *l2. */
static word_t two_levels(word_t *l2, word_t *ep)
{
    word_t l1 = obj(0, KEEL_OBJ_CNODE, 4);
    *l2 = obj(1, KEEL_OBJ_CNODE, 4);
    *ep = obj(2, KEEL_OBJ_ENDPOINT, 0);
    ck_assert_int_eq(cn_copy(l1, 3, 4, ROOT, *l2, WB), KEEL_OK);
    ck_assert_int_eq(cn_copy(l1, 2, 4, ROOT, *ep, WB), KEEL_OK);
    return l1;
}

/* The root CNode guard makes a slot index a valid cptr at depth WB. */
START_TEST(root_index_at_full_depth)
{
    h_boot();
    slot_t *out;
    ck_assert_int_eq(lookup(ROOT, 5, WB, &out), KEEL_OK);
    ck_assert_ptr_eq(out, h_slot(5));
    ck_assert_int_eq(lookup(ROOT, 4095, WB, &out), KEEL_OK);
    ck_assert_ptr_eq(out, h_slot(4095));
    ck_assert_int_eq(lookup(ROOT, KEEL_SLOT_INIT_TCB, WB, &out), KEEL_OK);
    ck_assert_uint_eq(out->cap.type, KEEL_CAP_TCB);
    /* Destinations may be empty: lookup_slot does not require a cap. */
    ck_assert_int_eq(lookup(ROOT, h_free_slot(0), WB, &out), KEEL_OK);
    ck_assert(cap_is_null(&out->cap));
}
END_TEST

/* Guard mismatch at the first CNode: all bits left, none resolved. */
START_TEST(root_guard_mismatch)
{
    h_boot();
    slot_t *out;
    expect_fail(lookup(ROOT, 4096, WB, &out), 7, KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    expect_fail(lookup(ROOT, (word_t)1 << (WB - 1), WB, &out), 7, KEEL_LOOKUP_GUARD_MISMATCH,
                WB, 0);
}
END_TEST

/* Depth 0 or > WB is RangeError on the depth argument (arg + 1) with 1..WB. */
START_TEST(depth_out_of_range)
{
    h_boot();
    slot_t *out;
    static const word_t bad[] = {0, WB + 1, 1000};
    for (unsigned i = 0; i < 3; i++) {
        ck_assert_int_eq(lookup(ROOT, 5, bad[i], &out), KEEL_RANGE_ERROR);
        ck_assert_uint_eq(e.arg, 8);
        ck_assert_uint_eq(e.v1, 1);
        ck_assert_uint_eq(e.v2, WB);
        ck_assert_uint_eq(e.v3, bad[i]);
    }
}
END_TEST

/* Fewer bits than a CNode's guard + radix is a depth mismatch. */
START_TEST(too_few_bits_for_root)
{
    h_boot();
    slot_t *out;
    expect_fail(lookup(ROOT, 5, WB - 1, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, WB - 1, 0);
    expect_fail(lookup(ROOT, 5, 12, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 12, 0);
}
END_TEST

/* A non-CNode root is an invalid root with depth bits left. */
START_TEST(invalid_root)
{
    h_boot();
    slot_t *out;
    word_t ep = obj(0, KEEL_OBJ_ENDPOINT, 0);
    expect_fail(lookup(ep, 0, 4, &out), 7, KEEL_LOOKUP_INVALID_ROOT, 4, 0);
    expect_fail(lookup(h_free_slot(1), 0, WB, &out), 7, KEEL_LOOKUP_INVALID_ROOT, WB, 0);
}
END_TEST

/* Two levels resolve by (cptr, depth); bits above the depth are ignored. */
START_TEST(two_level_resolution)
{
    h_boot();
    word_t l2, ep, l1 = two_levels(&l2, &ep);
    slot_t *out;
    word_t l2obj = capof(l2)->obj;
    ck_assert_int_eq(lookup(l1, 0x35, 8, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(l2obj, 5));
    ck_assert_int_eq(lookup(l1, 0xf35, 8, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(l2obj, 5));
    ck_assert_int_eq(lookup(l1, 3, 4, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(l1)->obj, 3));
    ck_assert_uint_eq(out->cap.type, KEEL_CAP_CNODE);
    /* And the same through a CNode method: copy into L2 via L1, read back. */
    ck_assert_int_eq(cn_copy(l1, 0x35, 8, ROOT, ep, WB), KEEL_OK);
    ck_assert_uint_eq(cnode_slot(l2obj, 5)->cap.type, KEEL_CAP_ENDPOINT);
}
END_TEST

/* Bits left at a non-CNode or empty slot are a depth mismatch (left, resolved). */
START_TEST(depth_mismatch_at_leaf)
{
    h_boot();
    word_t l2, ep, l1 = two_levels(&l2, &ep);
    slot_t *out;
    expect_fail(lookup(l1, 0x21, 8, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 4, 4);
    expect_fail(lookup(l1, 0x91, 8, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 4, 4);
    /* Into L2 with 2 bits: fewer than its radix. */
    expect_fail(lookup(l1, 0xd, 6, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 2, 4);
    /* Through a CNode method: MR0/MR1 address the destination. */
    word_t w[] = {0x21, 8, ep, WB, KEEL_RIGHTS_ALL}, root = ROOT;
    ck_assert_int_eq(h_invoke(l1, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_FAILED_LOOKUP);
    ck_assert_uint_eq(h_last.arg, 0);
    ck_assert_uint_eq(h_last.v1, KEEL_LOOKUP_DEPTH_MISMATCH);
    ck_assert_uint_eq(h_last.v2, 4);
    ck_assert_uint_eq(h_last.v3, 4);
}
END_TEST

/* An inner CNode guard must match; a mismatch reports bits left and resolved there. */
START_TEST(inner_guard)
{
    h_boot();
    word_t l2, ep, l1 = two_levels(&l2, &ep);
    ck_assert_int_eq(cn_mutate(l1, 4, 4, l1, 3, 4, keel_cnode_guard(5, 3)), KEEL_OK);
    ck_assert_uint_eq(cnode_slot(capof(l1)->obj, 4)->cap.data, 5);
    ck_assert_uint_eq(cnode_slot(capof(l1)->obj, 4)->cap.aux, 3);
    slot_t *out;
    word_t good = (4u << 7) | (5u << 4) | 6, bad = (4u << 7) | (1u << 4) | 6;
    ck_assert_int_eq(lookup(l1, good, 11, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(l2)->obj, 6));
    expect_fail(lookup(l1, bad, 11, &out), 7, KEEL_LOOKUP_GUARD_MISMATCH, 7, 4);
    /* Depth 9 leaves 5 bits at L2: fewer than guard + radix. */
    expect_fail(lookup(l1, good >> 2, 9, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 5, 4);
}
END_TEST

/* Three levels with guards resolve; failures report the failing level's bits. */
START_TEST(three_levels)
{
    h_boot();
    word_t l1 = obj(0, KEEL_OBJ_CNODE, 2), l2 = obj(1, KEEL_OBJ_CNODE, 3);
    word_t l3 = obj(2, KEEL_OBJ_CNODE, 4), ep = obj(3, KEEL_OBJ_ENDPOINT, 0);
    word_t l3obj = capof(l3)->obj; /* the Mutates below move L2 and L3 out of the root */
    ck_assert_int_eq(cn_mutate(l2, 6, 3, ROOT, l3, WB, keel_cnode_guard(1, 1)), KEEL_OK);
    ck_assert_int_eq(cn_mutate(l1, 1, 2, ROOT, l2, WB, keel_cnode_guard(2, 2)), KEEL_OK);
    /* slot 1 of L1 | guard 10 | slot 6 of L2 | guard 1 | slot 9 of L3 */
    word_t path = (1u << 10) | (2u << 8) | (6u << 5) | (1u << 4) | 9;
    ck_assert_int_eq(cn_copy(l1, path, 12, ROOT, ep, WB), KEEL_OK);
    ck_assert_uint_eq(cnode_slot(l3obj, 9)->cap.type, KEEL_CAP_ENDPOINT);
    slot_t *out;
    ck_assert_int_eq(lookup(l1, path, 12, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(l3obj, 9));
    expect_fail(lookup(l1, path ^ (1u << 9), 12, &out), 7, KEEL_LOOKUP_GUARD_MISMATCH, 10, 2);
    expect_fail(lookup(l1, path ^ (1u << 4), 12, &out), 7, KEEL_LOOKUP_GUARD_MISMATCH, 5, 7);
    expect_fail(lookup(l1, path >> 1, 11, &out), 7, KEEL_LOOKUP_DEPTH_MISMATCH, 4, 7);
    /* 7 bits stop at the CNode cap of L3 itself. */
    ck_assert_int_eq(lookup(l1, path >> 5, 7, &out), KEEL_OK);
    ck_assert_uint_eq(out->cap.type, KEEL_CAP_CNODE);
    ck_assert_uint_eq(out->cap.obj, l3obj);
}
END_TEST

/* A CNode holding itself resolves one level per radix bit and stops after depth bits. */
START_TEST(self_referencing_cnode)
{
    h_boot();
    word_t c = obj(0, KEEL_OBJ_CNODE, 1);
    ck_assert_int_eq(cn_copy(c, 1, 1, ROOT, c, WB), KEEL_OK);
    slot_t *out;
    ck_assert_int_eq(lookup(c, MASK(WB), WB, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(c)->obj, 1));
    ck_assert_int_eq(lookup(c, MASK(WB) - 1, WB, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(c)->obj, 0));
    ck_assert_int_eq(lookup(c, 0x3fe, 10, &out), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(c)->obj, 0));
}
END_TEST

/* Invocation lookups from the root thread: found, missing cap, guard mismatch. */
START_TEST(lookup_cap_root_thread)
{
    h_boot();
    slot_t *out;
    e = (struct kerr){0};
    ck_assert_int_eq(cspace_lookup_cap(h_root_tcb(), ROOT, 3, &out, &e), KEEL_OK);
    ck_assert_ptr_eq(out, h_slot(ROOT));
    expect_fail(cspace_lookup_cap(h_root_tcb(), h_free_slot(0), 3, &out, &e), 3,
                KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_fail(cspace_lookup_cap(h_root_tcb(), 1ul << 20, KEEL_ARG_SERVICE, &out, &e),
                KEEL_ARG_SERVICE, KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    expect_fail(cspace_lookup_cap(h_root_tcb(), KEEL_SLOT_INIT_VSPACE, 3, &out, &e), 3,
                KEEL_LOOKUP_MISSING_CAP, 0, WB);
}
END_TEST

/* Invocation lookups descend CNodes and stop at the first non-CNode cap. */
START_TEST(lookup_cap_multi_level_thread)
{
    h_boot();
    word_t l2, ep, l1 = two_levels(&l2, &ep);
    word_t g = h_free_slot(3), tcb = obj(4, KEEL_OBJ_TCB, 0);
    struct tcb *t = (struct tcb *)capof(tcb)->obj;
    slot_t *out;
    e = (struct kerr){0};
    expect_fail(cspace_lookup_cap(t, 0x35, 9, &out, &e), 9, KEEL_LOOKUP_INVALID_ROOT, WB, 0);
    ck_assert_int_eq(h_mint(g, l1, KEEL_RIGHTS_ALL, keel_cnode_guard(0, 56)), KEEL_OK);
    mdb_move(h_slot(g), &t->slots[TCB_SLOT_CSPACE], capof(g));
    ck_assert_str_eq(h_invariants(), "");
    ck_assert_int_eq(cn_copy(l1, 0x35, 8, ROOT, ep, WB), KEEL_OK);
    ck_assert_int_eq(cspace_lookup_cap(t, 0x35, 9, &out, &e), KEEL_OK);
    ck_assert_ptr_eq(out, cnode_slot(capof(l2)->obj, 5));
    ck_assert_int_eq(cspace_lookup_cap(t, 0x25, 9, &out, &e), KEEL_OK); /* 4 bits left */
    ck_assert_ptr_eq(out, cnode_slot(capof(l1)->obj, 2));
    expect_fail(cspace_lookup_cap(t, 0x45, 9, &out, &e), 9, KEEL_LOOKUP_MISSING_CAP, 4, 60);
    expect_fail(cspace_lookup_cap(t, 0x36, 9, &out, &e), 9, KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_fail(cspace_lookup_cap(t, 1ul << 60, 9, &out, &e), 9, KEEL_LOOKUP_GUARD_MISMATCH,
                WB, 0);
}
END_TEST

Suite *cspace_suite(void)
{
    Suite *su = suite_create("cspace");
    TCase *tc = tcase_create("cspace");
    tcase_add_test(tc, root_index_at_full_depth);
    tcase_add_test(tc, root_guard_mismatch);
    tcase_add_test(tc, depth_out_of_range);
    tcase_add_test(tc, too_few_bits_for_root);
    tcase_add_test(tc, invalid_root);
    tcase_add_test(tc, two_level_resolution);
    tcase_add_test(tc, depth_mismatch_at_leaf);
    tcase_add_test(tc, inner_guard);
    tcase_add_test(tc, three_levels);
    tcase_add_test(tc, self_referencing_cnode);
    tcase_add_test(tc, lookup_cap_root_thread);
    tcase_add_test(tc, lookup_cap_multi_level_thread);
    suite_add_tcase(su, tc);
    return su;
}
