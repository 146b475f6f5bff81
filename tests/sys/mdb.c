/*
 * tests/sys/mdb.c - the capability derivation tree: revoke, finalisation
 * of containers on their last delete, and reuse of revoked memory.
 */
#include "systest.h"

/* 1,000 capabilities derived from one endpoint (100 badged originals with
 * nine copies each), all in a 1024-slot CNode: one Revoke removes them. */
static void revoke_tree_of_1000(struct systest_env *env)
{
    keel_cptr_t cn = object(env, KEEL_OBJ_CNODE, 10), ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t before = live_caps();
    for (keel_word_t i = 0; i < 1000; i++) {
        if (i % 10 == 0)
            EXPECT_OK(keel_cnode_mint(cn, i, 10, ROOT, ep, WB, KEEL_RIGHTS_ALL, i + 1));
        else
            EXPECT_OK(keel_cnode_copy(cn, i, 10, cn, i - i % 10, 10, KEEL_RIGHT_WRITE));
    }
    EXPECT_EQ(live_caps(), before + 1000);
    EXPECT_OK(keel_cnode_revoke(ROOT, ep, WB));
    EXPECT_EQ(live_caps(), before);
    EXPECT_EQ(cap_type(ep), KEEL_CAP_ENDPOINT);
    for (keel_word_t i = 0; i < 1000; i += 97) {
        EXPECT_ERR(keel_cnode_copy(ROOT, slot(env), WB, cn, i, 10, KEEL_RIGHTS_ALL),
                   KEEL_FAILED_LOOKUP);
    }
}

/* 1,000 objects retyped from one untyped, then revoked: all gone, and the
 * whole untyped is reusable for one object of its full size. */
static void revoke_untyped_reuse(struct systest_env *env)
{
    keel_word_t u = slot(env), f = slot(env);
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 20, ROOT, 0, 0, u, 1));
    keel_word_t cn_slot = slot(env);
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_CNODE, 10, ROOT, 0, 0, cn_slot, 1));
    keel_word_t before = live_caps();
    for (keel_word_t i = 0; i < 1000; i += 250)
        EXPECT_OK(keel_untyped_retype(u, i % 500 ? KEEL_OBJ_NOTIFICATION : KEEL_OBJ_ENDPOINT, 0,
                                      cn_slot, 0, 0, i, 250));
    EXPECT_EQ(live_caps(), before + 1000);
    EXPECT_ERR(keel_untyped_retype(u, KEEL_OBJ_UNTYPED, 20, ROOT, 0, 0, f, 1),
               KEEL_NOT_ENOUGH_MEMORY);
    EXPECT_OK(keel_cnode_revoke(ROOT, u, WB));
    EXPECT_EQ(live_caps(), before - 1); /* the CNode went too */
    EXPECT_EQ(cap_type(cn_slot), KEEL_CAP_NULL);
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_UNTYPED, 20, ROOT, 0, 0, f, 1));
}

/* Deleting the last cap to a CNode deletes what it holds. */
static void delete_cnode_deletes_contents(struct systest_env *env)
{
    keel_cptr_t cn = object(env, KEEL_OBJ_CNODE, 3), ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    for (keel_word_t i = 0; i < 8; i++)
        EXPECT_OK(keel_cnode_copy(cn, i, 3, ROOT, ep, WB, KEEL_RIGHTS_ALL));
    keel_word_t before = live_caps();
    EXPECT_OK(keel_cnode_delete(ROOT, cn, WB));
    EXPECT_EQ(live_caps(), before - 9);
    EXPECT_EQ(cap_type(ep), KEEL_CAP_ENDPOINT);
}

/* A chain of 64 CNodes, each holding the only cap to the next: deleting
 * the head finalises all of them without recursion limits. */
static void delete_cnode_chain(struct systest_env *env)
{
    keel_word_t before = live_caps();
    keel_cptr_t head = object(env, KEEL_OBJ_CNODE, 1), prev = head;
    for (int i = 0; i < 64; i++) {
        keel_cptr_t next = object(env, KEEL_OBJ_CNODE, 1);
        EXPECT_OK(keel_cnode_move(prev, 1, 1, ROOT, next, WB));
        keel_slot_free(&env->alloc.slots, next);
        /* Continue through the chain: copy a cap to reach the new CNode. */
        keel_word_t tmp = slot(env);
        EXPECT_OK(keel_cnode_copy(ROOT, tmp, WB, prev, 1, 1, KEEL_RIGHTS_ALL));
        if (prev != head)
            EXPECT_OK(keel_cnode_delete(ROOT, prev, WB));
        prev = tmp;
    }
    EXPECT_OK(keel_cnode_delete(ROOT, prev, WB));
    EXPECT_EQ(live_caps(), before + 65); /* the head and 64 caps inside the chain */
    EXPECT_OK(keel_cnode_delete(ROOT, head, WB));
    EXPECT_EQ(live_caps(), before);
}

/* CNodes that hold their own last cap, or each other's: unreachable, yet
 * revoking their untyped reclaims them completely. */
static void self_containing_cnodes(struct systest_env *env)
{
    keel_word_t u = slot(env), a = slot(env), b = slot(env);
    keel_word_t before = live_caps();
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 16, ROOT, 0, 0, u, 1));
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_CNODE, 2, ROOT, 0, 0, a, 1));
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_CNODE, 2, ROOT, 0, 0, b, 1));
    keel_word_t c = slot(env);
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_CNODE, 2, ROOT, 0, 0, c, 1));
    EXPECT_OK(keel_cnode_move(c, 0, 2, ROOT, c, WB));      /* c holds itself */
    EXPECT_OK(keel_cnode_move(a, 1, 2, ROOT, b, WB));      /* a holds b */
    EXPECT_OK(keel_cnode_copy(ROOT, b, WB, a, 1, 2, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_move(b, 2, 2, ROOT, a, WB));      /* b holds a */
    EXPECT_OK(keel_cnode_delete(ROOT, b, WB));             /* a <-> b, unreachable */
    EXPECT_EQ(live_caps(), before + 4);                    /* u, c-in-c, a-in-b, b-in-a */
    EXPECT_OK(keel_cnode_revoke(ROOT, u, WB));
    EXPECT_EQ(live_caps(), before + 1);
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_UNTYPED, 16, ROOT, 0, 0, a, 1));
}

/* A revoke of 10,000 caps is longer than a time slice: it stops at
 * preemption points and is restarted until done, with the same result. */
static void long_revoke_is_preempted(struct systest_env *env)
{
    keel_cptr_t cn = object(env, KEEL_OBJ_CNODE, 14), ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t snap[4], before = live_caps();
    for (keel_word_t i = 0; i < 10000; i++)
        if (!EXPECT_OK(keel_cnode_copy(cn, i, 14, ROOT, ep, WB, KEEL_RIGHTS_ALL)))
            return;
    keel_debug_snapshot(snap);
    keel_word_t preemptions = snap[KEEL_DBG_PREEMPTIONS];
    EXPECT_OK(keel_cnode_revoke(ROOT, ep, WB));
    keel_debug_snapshot(snap);
    EXPECT(snap[KEEL_DBG_PREEMPTIONS] > preemptions);
    EXPECT_EQ(live_caps(), before);
}

/* Deleting an untyped copy keeps objects made through it accounted. */
static void delete_parent_keeps_children(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t b = slot(env), c = slot(env);
    EXPECT_OK(keel_cnode_mint(ROOT, b, WB, ROOT, ep, WB, KEEL_RIGHTS_ALL, 3));
    EXPECT_OK(keel_cnode_copy(ROOT, c, WB, ROOT, b, WB, KEEL_RIGHTS_ALL));
    /* Deleting the badged original leaves its copy, now under the
     * unbadged original: revoking that removes it. */
    EXPECT_OK(keel_cnode_delete(ROOT, b, WB));
    EXPECT_EQ(cap_type(c), KEEL_CAP_ENDPOINT);
    EXPECT_OK(keel_cnode_revoke(ROOT, ep, WB));
    EXPECT_EQ(cap_type(c), KEEL_CAP_NULL);
}

const struct systest mdb_tests[] = {
    {"revoke_tree_of_1000", "Revoke removes every one of 1,000 derived caps", revoke_tree_of_1000},
    {"revoke_untyped_reuse", "revoking an untyped frees all its objects for reuse", revoke_untyped_reuse},
    {"delete_cnode_deletes_contents", "the last delete of a CNode deletes its contents", delete_cnode_deletes_contents},
    {"delete_cnode_chain", "a chain of 64 CNodes is finalised by one delete", delete_cnode_chain},
    {"self_containing_cnodes", "unreachable CNode cycles are reclaimed by Revoke", self_containing_cnodes},
    {"long_revoke_is_preempted", "a 10,000-cap revoke is preempted and restarted", long_revoke_is_preempted},
    {"delete_parent_keeps_children", "children of a deleted cap move to its parent", delete_parent_keeps_children},
    {0, 0, 0},
};
