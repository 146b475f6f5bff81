/*
 * tests/sys/cspace.c - addressing through multi-level CSpaces: guards,
 * radix, depth, and the lookup failures with their detail.
 */
#include "systest.h"

/* L1 (16 slots, no guard) holds L2 (16 slots) in its slot 3. */
static void two_levels(struct systest_env *env, keel_cptr_t *l1, keel_cptr_t *l2)
{
    *l1 = object(env, KEEL_OBJ_CNODE, 4);
    *l2 = object(env, KEEL_OBJ_CNODE, 4);
    EXPECT_OK(keel_cnode_copy(*l1, 3, 4, ROOT, *l2, WB, KEEL_RIGHTS_ALL));
}

static void address_two_levels(struct systest_env *env)
{
    keel_cptr_t l1, l2, ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t back = slot(env);
    two_levels(env, &l1, &l2);
    /* cptr 0x35 at depth 8 from L1: slot 3 of L1 (a CNode), then slot 5 of L2. */
    EXPECT_OK(keel_cnode_copy(l1, 0x35, 8, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_copy(ROOT, back, WB, l1, 0x35, 8, KEEL_RIGHT_READ));
    EXPECT_EQ(cap_type(back), KEEL_CAP_ENDPOINT);
    /* The same slot through L2 directly at depth 4. */
    EXPECT_OK(keel_cnode_delete(l2, 5, 4));
    EXPECT_ERR(keel_cnode_copy(ROOT, slot(env), WB, l1, 0x35, 8, KEEL_RIGHTS_ALL),
               KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_MISSING_CAP);
    /* Depth 4 from L1 stops at the CNode cap in slot 3 itself. */
    EXPECT_OK(keel_cnode_copy(ROOT, slot(env), WB, l1, 3, 4, KEEL_RIGHTS_ALL));
}

static void guards(struct systest_env *env)
{
    keel_cptr_t l1, l2, ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    two_levels(env, &l1, &l2);
    /* Give the L2 cap inside L1 a 3-bit guard 0b101 (move it to slot 4). */
    EXPECT_OK(keel_cnode_mutate(l1, 4, 4, l1, 3, 4, keel_cnode_guard(5, 3)));
    /* Path: 4 bits (L1 slot 4), 3 guard bits, 4 bits (L2 slot 6): depth 11. */
    keel_word_t good = (4u << 7) | (5u << 4) | 6, bad = (4u << 7) | (1u << 4) | 6;
    EXPECT_OK(keel_cnode_copy(l1, good, 11, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    EXPECT_ERR(keel_cnode_copy(l1, bad, 11, ROOT, ep, WB, KEEL_RIGHTS_ALL), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_GUARD_MISMATCH);
    EXPECT_EQ(keel_last_error().v2, 7);  /* bits left when the guard failed */
    EXPECT_EQ(keel_last_error().v3, 4);  /* bits resolved before it */
    /* Too few bits for the second level: depth mismatch. */
    EXPECT_ERR(keel_cnode_copy(l1, good >> 2, 9, ROOT, ep, WB, KEEL_RIGHTS_ALL),
               KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_DEPTH_MISMATCH);
}

static void depth_mismatch_at_leaf(struct systest_env *env)
{
    keel_cptr_t l1 = object(env, KEEL_OBJ_CNODE, 4), ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_OK(keel_cnode_copy(l1, 2, 4, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    /* Slot 2 holds an endpoint, so 4 more bits cannot be resolved. */
    EXPECT_ERR(keel_cnode_delete(l1, 0x21, 8), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_DEPTH_MISMATCH);
    EXPECT_EQ(keel_last_error().v2, 4);
    EXPECT_EQ(cap_type(ep), KEEL_CAP_ENDPOINT);
}

static void invalid_roots(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t d = slot(env);
    /* A source root that is not a CNode. */
    EXPECT_ERR(keel_cnode_copy(ROOT, d, WB, ep, 0, 4, KEEL_RIGHTS_ALL), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_INVALID_ROOT);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_CAP(0));
    /* The invoked cap must exist. */
    EXPECT_ERR(keel_cnode_copy(d, 0, 4, ROOT, ep, WB, KEEL_RIGHTS_ALL), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_SERVICE);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_MISSING_CAP);
    /* A cptr beyond the root's guard fails the guard. */
    EXPECT_ERR(keel_cnode_copy((keel_word_t)1 << (WB - 1), 0, 4, ROOT, ep, WB, KEEL_RIGHTS_ALL),
               KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_GUARD_MISMATCH);
}

static void root_slot_as_cptr(struct systest_env *env)
{
    /* The root CNode's guard makes a slot index a full-depth cptr. */
    EXPECT_EQ(cap_type(KEEL_SLOT_INIT_CNODE), KEEL_CAP_CNODE);
    EXPECT_EQ(cap_type(KEEL_SLOT_INIT_TCB), KEEL_CAP_TCB);
    EXPECT_EQ(cap_type(KEEL_SLOT_IRQ_CONTROL), KEEL_CAP_IRQ_CONTROL);
    EXPECT_EQ(cap_type(KEEL_SLOT_SCHED_CONTROL), KEEL_CAP_SCHED_CONTROL);
    EXPECT_EQ(cap_type(KEEL_SLOT_INIT_IPC_BUFFER), KEEL_CAP_FRAME);
    EXPECT_EQ(cap_type(KEEL_SLOT_BOOTINFO_FRAME), KEEL_CAP_FRAME);
    EXPECT_EQ(cap_type(env->bi->untyped.start), KEEL_CAP_UNTYPED);
    EXPECT_EQ(cap_type(env->bi->empty.end - 1), KEEL_CAP_NULL);
    EXPECT_EQ(env->bi->magic, KEEL_BOOTINFO_MAGIC);
}

const struct systest cspace_tests[] = {
    {"address_two_levels", "a cptr resolves through two CNodes by (cptr, depth)", address_two_levels},
    {"guards", "a CNode guard must match; failures report bits left and resolved", guards},
    {"depth_mismatch_at_leaf", "bits left at a non-CNode slot are a depth mismatch", depth_mismatch_at_leaf},
    {"invalid_roots", "non-CNode roots and empty invoked slots fail lookup, naming the argument", invalid_roots},
    {"root_slot_as_cptr", "boot caps sit at their documented root slots", root_slot_as_cptr},
    {0, 0, 0},
};
