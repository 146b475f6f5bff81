/*
 * tests/sys/cnode.c - the CNode methods: Copy, Mint, Move, Mutate, Rotate,
 * Delete and their error paths.
 */
#include "systest.h"

static void copy_and_rights_shrink(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t ro = slot(env), ro2 = slot(env), bad = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, ro, WB, ROOT, ep, WB, KEEL_RIGHT_READ));
    EXPECT_EQ(cap_type(ro), KEEL_CAP_ENDPOINT);
    /* Asking for more rights than the source has gives the intersection:
     * copying the read-only cap with all rights yields read-only again,
     * and a child can never get back what was dropped. */
    EXPECT_OK(keel_cnode_copy(ROOT, ro2, WB, ROOT, ro, WB, KEEL_RIGHTS_ALL));
    keel_word_t w = slot(env);
    EXPECT_OK(keel_cnode_mint(ROOT, w, WB, ROOT, ro2, WB, KEEL_RIGHT_WRITE, 0));
    /* The kernel checks rights containment on every entry (--check), and
     * rights bits outside the four are refused. */
    EXPECT_ERR(keel_cnode_copy(ROOT, bad, WB, ROOT, ep, WB, 0x10), KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().arg, 4);
}

static void mint_badges(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t nt = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_word_t b1 = slot(env), b2 = slot(env), b1copy = slot(env), re = slot(env), n1 = slot(env);
    EXPECT_OK(keel_cnode_mint(ROOT, b1, WB, ROOT, ep, WB, KEEL_RIGHTS_ALL, 7));
    EXPECT_OK(keel_cnode_mint(ROOT, b2, WB, ROOT, ep, WB, KEEL_RIGHT_WRITE, 8));
    EXPECT_OK(keel_cnode_mint(ROOT, n1, WB, ROOT, nt, WB, KEEL_RIGHT_WRITE, 0x80));
    /* A badge is set once: no rebadging, and Mint with badge 0 keeps it. */
    EXPECT_ERR(keel_cnode_mint(ROOT, re, WB, ROOT, b1, WB, KEEL_RIGHTS_ALL, 9),
               KEEL_ILLEGAL_OPERATION);
    EXPECT_OK(keel_cnode_mint(ROOT, b1copy, WB, ROOT, b1, WB, KEEL_RIGHT_WRITE, 0));
    /* Revoking the badged original removes its copies, not other badges. */
    EXPECT_OK(keel_cnode_revoke(ROOT, b1, WB));
    EXPECT_EQ(cap_type(b1copy), KEEL_CAP_NULL);
    EXPECT_EQ(cap_type(b1), KEEL_CAP_ENDPOINT);
    EXPECT_EQ(cap_type(b2), KEEL_CAP_ENDPOINT);
    /* Badges are for endpoints and notifications only. */
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, 12);
    EXPECT_ERR(keel_cnode_mint(ROOT, re, WB, ROOT, fr, WB, KEEL_RIGHTS_ALL, 5),
               KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().arg, 5);
}

static void move_keeps_derivation(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t c = slot(env), moved = slot(env), orig_moved = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, c, WB, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_move(ROOT, moved, WB, ROOT, c, WB));
    EXPECT_EQ(cap_type(c), KEEL_CAP_NULL);
    EXPECT_EQ(cap_type(moved), KEEL_CAP_ENDPOINT);
    /* Moving the original too: revoking it still finds the moved child. */
    EXPECT_OK(keel_cnode_move(ROOT, orig_moved, WB, ROOT, ep, WB));
    EXPECT_OK(keel_cnode_revoke(ROOT, orig_moved, WB));
    EXPECT_EQ(cap_type(moved), KEEL_CAP_NULL);
    /* Moving onto an occupied slot or from an empty one fails. */
    EXPECT_ERR(keel_cnode_move(ROOT, orig_moved, WB, ROOT, orig_moved, WB), KEEL_DELETE_FIRST);
    EXPECT_ERR(keel_cnode_move(ROOT, slot(env), WB, ROOT, c, WB), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_MISSING_CAP);
}

static void mutate_rules(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t cn = object(env, KEEL_OBJ_CNODE, 2);
    keel_word_t d = slot(env), d2 = slot(env);
    /* Mutate cannot badge. */
    EXPECT_ERR(keel_cnode_mutate(ROOT, d, WB, ROOT, ep, WB, 5), KEEL_ILLEGAL_OPERATION);
    EXPECT_OK(keel_cnode_mutate(ROOT, d, WB, ROOT, ep, WB, 0));
    EXPECT_EQ(cap_type(ep), KEEL_CAP_NULL);
    /* Mutate can set a CNode guard, within the word. */
    EXPECT_ERR(keel_cnode_mutate(ROOT, d2, WB, ROOT, cn, WB, keel_cnode_guard(0, WB - 1)),
               KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_cnode_mutate(ROOT, d2, WB, ROOT, cn, WB, keel_cnode_guard(4, 2)),
               KEEL_INVALID_ARGUMENT);
    EXPECT_OK(keel_cnode_mutate(ROOT, d2, WB, ROOT, cn, WB, keel_cnode_guard(3, 2)));
    EXPECT_EQ(cap_type(d2), KEEL_CAP_CNODE);
}

static void rotate_three_slots(struct systest_env *env)
{
    keel_cptr_t a = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_cptr_t b = object(env, KEEL_OBJ_NOTIFICATION, 0);
    keel_word_t dest = slot(env);
    /* b -> dest, a -> b's slot. */
    EXPECT_OK(keel_cnode_rotate(ROOT, dest, WB, 0, ROOT, b, WB, 0, ROOT, a, WB));
    EXPECT_EQ(cap_type(dest), KEEL_CAP_NOTIFICATION);
    EXPECT_EQ(cap_type(b), KEEL_CAP_ENDPOINT);
    EXPECT_EQ(cap_type(a), KEEL_CAP_NULL);
    /* dest == src swaps. */
    EXPECT_OK(keel_cnode_rotate(ROOT, dest, WB, 0, ROOT, b, WB, 0, ROOT, dest, WB));
    EXPECT_EQ(cap_type(dest), KEEL_CAP_ENDPOINT);
    EXPECT_EQ(cap_type(b), KEEL_CAP_NOTIFICATION);
    /* pivot equal to src is refused; an occupied dest needs deleting first. */
    EXPECT_ERR(keel_cnode_rotate(ROOT, a, WB, 0, ROOT, b, WB, 0, ROOT, b, WB),
               KEEL_ILLEGAL_OPERATION);
    keel_cptr_t c = object(env, KEEL_OBJ_REPLY, 0);
    EXPECT_ERR(keel_cnode_rotate(ROOT, c, WB, 0, ROOT, b, WB, 0, ROOT, dest, WB),
               KEEL_DELETE_FIRST);
}

static void delete_rules(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t c = slot(env), empty = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, c, WB, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    keel_word_t before = live_caps();
    EXPECT_OK(keel_cnode_delete(ROOT, ep, WB)); /* the original goes, the copy stays */
    EXPECT_EQ(live_caps(), before - 1);
    EXPECT_EQ(cap_type(c), KEEL_CAP_ENDPOINT);
    EXPECT_OK(keel_cnode_delete(ROOT, empty, WB)); /* deleting nothing is fine */
    EXPECT_ERR(keel_cnode_delete(ROOT, c, 0), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_cnode_delete(ROOT, c, WB + 1), KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v2, WB); /* the maximum depth */
}

static void uncopyable_caps(struct systest_env *env)
{
    keel_cptr_t rp = object(env, KEEL_OBJ_REPLY, 0);
    keel_word_t d = slot(env);
    EXPECT_ERR(keel_cnode_copy(ROOT, d, WB, ROOT, rp, WB, KEEL_RIGHTS_ALL),
               KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_cnode_copy(ROOT, d, WB, ROOT, KEEL_SLOT_IRQ_CONTROL, WB, KEEL_RIGHTS_ALL),
               KEEL_ILLEGAL_OPERATION);
    EXPECT_EQ(cap_type(d), KEEL_CAP_NULL);
    /* SchedControl and the root TCB can be copied. */
    EXPECT_OK(keel_cnode_copy(ROOT, d, WB, ROOT, KEEL_SLOT_SCHED_CONTROL, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_delete(ROOT, d, WB));
}

/* Regression: Copy used to apply Mint's data rules with data 0, which
 * removed a CNode cap's guard; a copy of the root CNode cap then failed to
 * resolve slot indices at full depth. */
static void copy_keeps_cnode_guard(struct systest_env *env)
{
    keel_word_t c = slot(env), d = slot(env);
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_OK(keel_cnode_copy(ROOT, c, WB, ROOT, ROOT, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_copy(c, d, WB, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    EXPECT_EQ(cap_type(d), KEEL_CAP_ENDPOINT);
    /* Mint with data 0 does set the guard to none: depth = radix only. */
    keel_word_t m = slot(env);
    EXPECT_OK(keel_cnode_mint(ROOT, m, WB, ROOT, ROOT, WB, KEEL_RIGHTS_ALL, 0));
    EXPECT_ERR(keel_cnode_delete(m, d, WB), KEEL_FAILED_LOOKUP);
    EXPECT_OK(keel_cnode_delete(m, d, env->bi->root_cnode_radix));
    EXPECT_EQ(cap_type(d), KEEL_CAP_NULL);
}

const struct systest cnode_tests[] = {
    {"copy_keeps_cnode_guard", "Copy keeps a CNode cap's guard (regression)", copy_keeps_cnode_guard},
    {"copy_and_rights_shrink", "copies never gain rights; unknown rights bits are refused", copy_and_rights_shrink},
    {"mint_badges", "a badge is set once, on endpoints and notifications only", mint_badges},
    {"move_keeps_derivation", "moved caps keep their place in the derivation tree", move_keeps_derivation},
    {"mutate_rules", "Mutate moves, may set a CNode guard, never a badge", mutate_rules},
    {"rotate_three_slots", "Rotate moves pivot->dest and src->pivot, or swaps", rotate_three_slots},
    {"delete_rules", "Delete removes one cap; depth must be 1..word bits", delete_rules},
    {"uncopyable_caps", "reply and IRQControl caps cannot be copied", uncopyable_caps},
    {0, 0, 0},
};
