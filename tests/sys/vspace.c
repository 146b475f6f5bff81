/*
 * tests/sys/vspace.c - address spaces (docs/abi.md "Address spaces"):
 * Frame and PageTable Map/Unmap, ASID pools, what copies and deletion do
 * to mappings, and threads in their own VSpace taking VM faults.
 *
 * The suite runs on every arch.  Where the boot info offers no user
 * addresses to map (map_end 0: the sim, MPU ports) the same tests check
 * the refusals instead: no PageTable objects, no Map/Unmap, frames
 * reachable where Frame_GetAddress says.
 */
#include "systest.h"

#define RW (KEEL_RIGHT_READ | KEEL_RIGHT_WRITE)
#define PAGE ((keel_word_t)1 << KEEL_PAGE_BITS)
#define MAGIC 0x5eed0000cafe0000ull
#define POOL KEEL_SLOT_INIT_ASID_POOL

static bool has_page_tables(const struct systest_env *env)
{
    return env->bi->map_end != 0;
}

/* A gigabyte of user addresses of its own: no page table covers it yet. */
static keel_word_t fresh_region(struct systest_env *env)
{
    keel_word_t va = keel_alloc_vaddr(&env->alloc, (keel_word_t)1 << 30, 30);
    EXPECT(va != 0);
    return va;
}

static void without_page_tables(struct systest_env *env)
{
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t pa = 0, va = 0;
    EXPECT_OK(keel_frame_get_address(fr, &pa, &va));
    EXPECT(va != 0); /* every thread reaches it there */
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_PAGE_TABLE, 0, ROOT, 0, 0, slot(env), 1),
               KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().v1, KEEL_OBJ_PAGE_TABLE);
    EXPECT_ERR(keel_frame_map(fr, KEEL_SLOT_INIT_CNODE, 0x10000, RW, 0), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_frame_unmap(fr), KEEL_ILLEGAL_OPERATION);
    EXPECT_EQ(cap_type(KEEL_SLOT_INIT_VSPACE), KEEL_CAP_NULL);
    EXPECT_EQ(cap_type(KEEL_SLOT_ASID_CONTROL), KEEL_CAP_NULL);
    EXPECT_EQ(cap_type(KEEL_SLOT_INIT_ASID_POOL), KEEL_CAP_NULL);
    keel_cptr_t t = object(env, KEEL_OBJ_TCB, 0);
    EXPECT_ERR(keel_tcb_configure(t, 0, ROOT, 0, fr, 0, 0, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_EQ(keel_last_error().arg, 3);
}

/* ---- Frame_Map and Frame_Unmap ---- */

static void frame_map_rules(struct systest_env *env)
{
    if (!has_page_tables(env)) {
        without_page_tables(env);
        return;
    }
    keel_cptr_t vs = KEEL_SLOT_INIT_VSPACE;
    EXPECT_EQ(cap_type(vs), KEEL_CAP_PAGE_TABLE);
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t pa = 0, va = 1;
    EXPECT_OK(keel_frame_get_address(fr, &pa, &va));
    EXPECT_EQ(va, 0); /* not mapped anywhere yet */
    EXPECT(pa != 0);

    /* Tables first: the missing level is named by FailedLookup. */
    keel_word_t at = fresh_region(env);
    EXPECT_ERR(keel_frame_map(fr, vs, at, RW, 0), KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().v1, at);
    keel_cptr_t l1 = object(env, KEEL_OBJ_PAGE_TABLE, 0), l0 = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    EXPECT_OK(keel_page_table_map(l1, vs, at));
    EXPECT_ERR(keel_frame_map(fr, vs, at, RW, 0), KEEL_FAILED_LOOKUP);
    EXPECT_OK(keel_page_table_map(l0, vs, at));
    EXPECT_OK(keel_frame_map(fr, vs, at, RW, 0));
    EXPECT_OK(keel_frame_get_address(fr, 0, &va));
    EXPECT_EQ(va, at);

    /* Bad arguments, each with its error. */
    keel_cptr_t other = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_ERR(keel_frame_map(fr, vs, at + PAGE, RW, 0), KEEL_INVALID_CAPABILITY); /* mapped */
    EXPECT_ERR(keel_frame_map(other, vs, at, RW, 0), KEEL_DELETE_FIRST);
    EXPECT_ERR(keel_frame_map(other, vs, at + 8, RW, 0), KEEL_ALIGNMENT_ERROR);
    EXPECT_ERR(keel_frame_map(other, vs, 0x1000, RW, 0), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_frame_map(other, vs, 0x80000000ul, RW, 0), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_frame_map(other, vs, (keel_word_t)1 << 38, RW, 0), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_frame_map(other, vs, ~(keel_word_t)0 << 12, RW, 0), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_frame_map(other, vs, at + PAGE, RW | KEEL_RIGHT_GRANT, 0),
               KEEL_INVALID_ARGUMENT);
    EXPECT_ERR(keel_frame_map(other, vs, at + PAGE, KEEL_RIGHT_WRITE, 0), KEEL_INVALID_ARGUMENT);
    EXPECT_ERR(keel_frame_map(other, vs, at + PAGE, RW, 0x80), KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().arg, 2);
    EXPECT_ERR(keel_frame_map(other, l1, at + PAGE, RW, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_CAP(0));
    EXPECT_ERR(keel_frame_map(other, fr, at + PAGE, RW, 0), KEEL_INVALID_CAPABILITY);
    /* A read-only cap maps read-only: Write in the argument is dropped. */
    keel_cptr_t ro = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, ro, WB, ROOT, other, WB, KEEL_RIGHT_READ));
    EXPECT_OK(keel_frame_map(ro, vs, at + PAGE, RW, KEEL_MAP_EXECUTE_NEVER));
    EXPECT_EQ(*(volatile keel_word_t *)(at + PAGE), 0);

    /* Two mappings of one frame: a copy maps it again, the memory is one. */
    keel_cptr_t copy = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, copy, WB, ROOT, fr, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_frame_get_address(copy, 0, &va));
    EXPECT_EQ(va, 0); /* a copy starts unmapped */
    EXPECT_OK(keel_frame_map(copy, vs, at + 2 * PAGE, RW, 0));
    *(volatile keel_word_t *)at = MAGIC;
    EXPECT_EQ(*(volatile keel_word_t *)(at + 2 * PAGE), MAGIC);

    /* Unmap is per cap; unmapping twice is harmless; the slot is free again. */
    EXPECT_OK(keel_frame_unmap(copy));
    EXPECT_OK(keel_frame_unmap(copy));
    EXPECT_OK(keel_frame_get_address(copy, 0, &va));
    EXPECT_EQ(va, 0);
    EXPECT_EQ(*(volatile keel_word_t *)at, MAGIC); /* the original is still mapped */
    EXPECT_OK(keel_frame_map(other, vs, at + 2 * PAGE, RW, 0));
}

/* ---- PageTable_Map and Unmap, ASIDPool_Assign ---- */

static void page_table_rules(struct systest_env *env)
{
    if (!has_page_tables(env)) {
        without_page_tables(env);
        return;
    }
    keel_cptr_t vs = KEEL_SLOT_INIT_VSPACE;
    keel_word_t at = fresh_region(env), va;
    keel_cptr_t l1 = object(env, KEEL_OBJ_PAGE_TABLE, 0), l0 = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    keel_cptr_t extra = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    /* Only one cap may ever map a table: unmapped tables are not copied. */
    EXPECT_ERR(keel_cnode_copy(ROOT, slot(env), WB, ROOT, l1, WB, KEEL_RIGHTS_ALL),
               KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_page_table_map(l1, vs, 0x80000000ul), KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_page_table_map(l1, l0, at), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_page_table_map(l1, vs, at));
    EXPECT_ERR(keel_page_table_map(l1, vs, at + ((keel_word_t)1 << 30)), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_page_table_map(l0, vs, at));
    EXPECT_ERR(keel_page_table_map(extra, vs, at), KEEL_DELETE_FIRST); /* both levels there */
    EXPECT_ERR(keel_asid_pool_assign(POOL, l1, 0), KEEL_INVALID_CAPABILITY);
    /* A mapped table's copies share its one mapping; Unmap needs the last. */
    keel_cptr_t l0_copy = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, l0_copy, WB, ROOT, l0, WB, KEEL_RIGHTS_ALL));
    EXPECT_ERR(keel_page_table_unmap(l0), KEEL_REVOKE_FIRST);
    EXPECT_OK(keel_cnode_delete(ROOT, l0_copy, WB));

    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_OK(keel_frame_map(fr, vs, at, RW, 0));
    *(volatile keel_word_t *)at = MAGIC;
    /* Unmapping the table takes the frame's mapping with it.  The frame cap
     * still names where it was; unmapping it finds nothing and frees it. */
    EXPECT_OK(keel_page_table_unmap(l0));
    EXPECT_OK(keel_frame_get_address(fr, 0, &va));
    EXPECT_EQ(va, at);
    EXPECT_ERR(keel_frame_map(fr, vs, at + PAGE, RW, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_frame_unmap(fr));
    EXPECT_ERR(keel_frame_map(fr, vs, at, RW, 0), KEEL_FAILED_LOOKUP);
    /* The unmapped table comes back empty, wherever it is mapped next. */
    EXPECT_OK(keel_page_table_map(l0, vs, at));
    EXPECT_OK(keel_frame_map(fr, vs, at + PAGE, RW, 0));
    EXPECT_EQ(*(volatile keel_word_t *)(at + PAGE), MAGIC); /* the memory stayed */
    EXPECT_OK(keel_frame_map(object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS), vs, at, RW, 0));

    /* Roots: Assign gives the pool's lowest free ASID (1 is the root task's). */
    keel_word_t asid = 0, asid2 = 0;
    EXPECT_OK(keel_asid_pool_assign(POOL, extra, &asid));
    EXPECT(asid >= 2);
    EXPECT_ERR(keel_asid_pool_assign(POOL, extra, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_page_table_unmap(extra), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_page_table_map(extra, vs, at), KEEL_INVALID_CAPABILITY);
    keel_cptr_t extra_copy = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, extra_copy, WB, ROOT, extra, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_delete(ROOT, extra, WB));
    keel_cptr_t next = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    EXPECT_OK(keel_asid_pool_assign(POOL, next, &asid2));
    EXPECT(asid2 != asid); /* the copy keeps the root (and its ASID) alive */
    keel_cptr_t fr2 = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t at2 = fresh_region(env);
    EXPECT_OK(keel_map_frame(&env->alloc, extra_copy, fr2, at2, RW, 0));
    EXPECT_OK(keel_cnode_delete(ROOT, extra_copy, WB));
    /* The last cap gone, the ASID is free; the frame's stale mapping
     * names a root that is gone: unmap finds nothing, map works again. */
    keel_cptr_t again = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    keel_word_t asid3 = 0;
    EXPECT_OK(keel_asid_pool_assign(POOL, again, &asid3));
    EXPECT_EQ(asid3, asid);
    EXPECT_ERR(keel_frame_map(fr2, again, at2, RW, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_frame_unmap(fr2));
    EXPECT_OK(keel_map_frame(&env->alloc, again, fr2, at2, RW, 0));
}

/* ---- threads in their own address space ---- */

static keel_word_t stack[2048] __attribute__((aligned(16)));
static volatile keel_word_t *shared_x, *shared_y;

/* In its own VSpace: write and read its private page, then touch one more
 * page (a VM fault the test answers by mapping it), then the private page
 * again (after the test unmapped it: a fault nobody answers). */
static void isolated(keel_word_t i)
{
    *shared_x = MAGIC + i;
    rec[i].w[0] = *shared_x;
    rec[i].stage = 1;
    rec[i].w[1] = *shared_y; /* faults; resumes here once mapped */
    rec[i].stage = 2;
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_wait(rec[i].w[7], 0, mr); /* until the test has unmapped x */
    rec[i].stage = 3;
    rec[i].w[2] = *shared_x;
    rec[i].stage = 4;
    park();
}

static void thread_in_own_vspace(struct systest_env *env)
{
    if (!has_page_tables(env)) {
        without_page_tables(env);
        return;
    }
    keel_cptr_t vs, ep = object(env, KEEL_OBJ_ENDPOINT, 0), reply = object(env, KEEL_OBJ_REPLY, 0);
    keel_cptr_t go = object(env, KEEL_OBJ_NOTIFICATION, 0);
    EXPECT_OK(keel_vspace_create(&env->alloc, &vs));
    /* x: a page only the new space maps; y: an address nothing maps yet. */
    keel_word_t x = keel_alloc_vaddr(&env->alloc, PAGE, KEEL_PAGE_BITS);
    keel_word_t y = keel_alloc_vaddr(&env->alloc, PAGE, KEEL_PAGE_BITS);
    keel_cptr_t fx = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_OK(keel_map_frame(&env->alloc, vs, fx, x, RW, KEEL_MAP_EXECUTE_NEVER));
    shared_x = (volatile keel_word_t *)x;
    shared_y = (volatile keel_word_t *)y;
    rec[1].w[7] = go;

    struct keel_thread t;
    keel_cptr_t fault_ep = mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 0x77);
    EXPECT_OK(keel_thread_create_in(&env->alloc, &t, vs, isolated, 1, stack + 2048, PRIO,
                                    fault_ep));
    EXPECT_OK(keel_thread_give_time(&env->alloc, &t, KEEL_SLOT_SCHED_CONTROL, SPAWN_SLICE_US,
                                    SPAWN_SLICE_US, 0));
    EXPECT_OK(keel_thread_start(&t));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    EXPECT_EQ(rec[1].w[0], MAGIC + 1);

    /* Its fault: the address and a load, to its fault endpoint. */
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(ep, &badge, reply, mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_VM);
    EXPECT_EQ(badge, 0x77);
    EXPECT_EQ(mr[KEEL_VM_FAULT_ADDR], y);
    EXPECT_EQ(mr[KEEL_VM_FAULT_PREFETCH], 0);

    /* The root task's own space is another one: x is free there. */
    keel_cptr_t mine = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_OK(keel_map_frame(&env->alloc, KEEL_SLOT_INIT_VSPACE, mine, x, RW, 0));
    EXPECT_EQ(*shared_x, 0);
    *shared_x = 1;

    /* Map y for it and resume it: the load runs again and reads the page. */
    keel_cptr_t fy = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    keel_word_t fy_va;
    EXPECT_OK(keel_frame_vaddr(&env->alloc, fy, KEEL_PAGE_BITS, &fy_va));
    *(volatile keel_word_t *)fy_va = 0x1234;
    keel_cptr_t fy_copy = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, fy_copy, WB, ROOT, fy, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_map_frame(&env->alloc, vs, fy_copy, y, KEEL_RIGHT_READ, 0));
    EXPECT_EQ(keel_msginfo_label(keel_reply(reply, keel_msginfo(0, 0, 0, 0), mr)), KEEL_OK);
    settle(env);
    EXPECT_EQ(rec[1].stage, 2);
    EXPECT_EQ(rec[1].w[1], 0x1234);

    /* Unmap x from its space: its next access faults, nothing else does. */
    EXPECT_OK(keel_frame_unmap(fx));
    keel_signal(go);
    settle(env);
    EXPECT_EQ(rec[1].stage, 3);
    info = keel_nbrecv(ep, &badge, reply, mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_VM);
    EXPECT_EQ(mr[KEEL_VM_FAULT_ADDR], x);
    EXPECT_EQ(*shared_x, 1); /* the root's own page at x is untouched */
    EXPECT_OK(keel_tcb_suspend(t.tcb));
}

/* ---- ASID pools ---- */

static keel_word_t dead_stack[2048] __attribute__((aligned(16)));

/* In a VSpace whose pool the test deletes: runs, waits, runs again. */
static void in_doomed_space(keel_word_t i)
{
    rec[i].stage = 1;
    keel_word_t mr[KEEL_MSG_REGS] = {0};
    keel_wait(rec[i].w[7], 0, mr);
    rec[i].stage = 2; /* never: its code is no longer mapped */
    park();
}

static void asid_pool_rules(struct systest_env *env)
{
    if (!has_page_tables(env)) {
        without_page_tables(env);
        return;
    }
    keel_cptr_t ut = object(env, KEEL_OBJ_UNTYPED, 12), big = object(env, KEEL_OBJ_UNTYPED, 13);
    keel_cptr_t pool = slot(env), pool2 = slot(env);
    EXPECT_ERR(keel_asid_control_make_pool(KEEL_SLOT_ASID_CONTROL, big, ROOT, pool, WB),
               KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_asid_control_make_pool(KEEL_SLOT_ASID_CONTROL, ut, ROOT, ut, WB),
               KEEL_DELETE_FIRST);
    EXPECT_OK(keel_asid_control_make_pool(KEEL_SLOT_ASID_CONTROL, ut, ROOT, pool, WB));
    EXPECT_EQ(cap_type(pool), KEEL_CAP_ASID_POOL);
    /* The untyped is used up, and makes one pool only. */
    EXPECT_ERR(keel_untyped_retype(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, slot(env), 1),
               KEEL_NOT_ENOUGH_MEMORY);
    EXPECT_ERR(keel_asid_control_make_pool(KEEL_SLOT_ASID_CONTROL, ut, ROOT, pool2, WB),
               KEEL_REVOKE_FIRST);
    EXPECT_ERR(keel_invoke(pool, 99, 0, 0, 0, 0), KEEL_ILLEGAL_OPERATION);

    /* A new pool's first ASID is a multiple of 512 (only pool 0 skips 0). */
    keel_cptr_t root = object(env, KEEL_OBJ_PAGE_TABLE, 0), ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t asid = 0;
    EXPECT_ERR(keel_asid_pool_assign(pool, ep, &asid), KEEL_INVALID_CAPABILITY);
    EXPECT_OK(keel_asid_pool_assign(pool, root, &asid));
    EXPECT(asid >= KEEL_ASID_POOL_ENTRIES && asid % KEEL_ASID_POOL_ENTRIES == 0);

    /* A thread in a VSpace of that pool. */
    keel_cptr_t vs, reply = object(env, KEEL_OBJ_REPLY, 0), go = object(env, KEEL_OBJ_NOTIFICATION, 0);
    env->alloc.asid_pool = pool;
    EXPECT_OK(keel_vspace_create(&env->alloc, &vs));
    env->alloc.asid_pool = POOL;
    rec[1].w[7] = go;
    struct keel_thread t;
    EXPECT_OK(keel_thread_create_in(&env->alloc, &t, vs, in_doomed_space, 1, dead_stack + 2048,
                                    PRIO, mint(env, ep, KEEL_RIGHT_WRITE | KEEL_RIGHT_GRANT, 9)));
    EXPECT_OK(keel_thread_give_time(&env->alloc, &t, KEEL_SLOT_SCHED_CONTROL, SPAWN_SLICE_US,
                                    SPAWN_SLICE_US, 0));
    EXPECT_OK(keel_thread_start(&t));
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);

    /* Deleting the pool takes the ASIDs: the roots are dead, their
     * mappings gone; the thread faults on its next instruction. */
    EXPECT_OK(keel_cnode_delete(ROOT, pool, WB));
    keel_cptr_t fr = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_ERR(keel_frame_map(fr, vs, fresh_region(env), RW, 0), KEEL_INVALID_CAPABILITY);
    EXPECT_ERR(keel_asid_pool_assign(POOL, root, 0), KEEL_INVALID_CAPABILITY);
    keel_signal(go);
    settle(env);
    EXPECT_EQ(rec[1].stage, 1);
    keel_word_t badge = 0, mr[KEEL_MSG_REGS] = {0};
    keel_msginfo_t info = keel_nbrecv(ep, &badge, reply, mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_FAULT_VM);
    EXPECT_EQ(badge, 9);
    EXPECT_OK(keel_tcb_suspend(t.tcb));

    /* The pool's place is free again: a new pool gets the same ASIDs. */
    keel_cptr_t ut2 = object(env, KEEL_OBJ_UNTYPED, 12), fresh = object(env, KEEL_OBJ_PAGE_TABLE, 0);
    keel_word_t asid2 = 0;
    EXPECT_OK(keel_asid_control_make_pool(KEEL_SLOT_ASID_CONTROL, ut2, ROOT, pool2, WB));
    EXPECT_OK(keel_asid_pool_assign(pool2, fresh, &asid2));
    EXPECT_EQ(asid2, asid);
}

/* Deleting a mapped frame cap removes its mapping; deleting the thread's
 * VSpace cap while the TCB holds a copy keeps the space alive. */
static void delete_frame_unmaps(struct systest_env *env)
{
    if (!has_page_tables(env)) {
        without_page_tables(env);
        return;
    }
    keel_cptr_t fr;
    keel_word_t va;
    EXPECT_OK(keel_alloc_frame(&env->alloc, KEEL_PAGE_BITS, &fr, &va));
    *(volatile keel_word_t *)va = MAGIC;
    /* A second frame at the same address only fits once the first is gone. */
    keel_cptr_t other = object(env, KEEL_OBJ_FRAME, KEEL_PAGE_BITS);
    EXPECT_ERR(keel_frame_map(other, KEEL_SLOT_INIT_VSPACE, va, RW, 0), KEEL_DELETE_FIRST);
    keel_cptr_t copy = slot(env);
    EXPECT_OK(keel_cnode_copy(ROOT, copy, WB, ROOT, fr, WB, KEEL_RIGHTS_ALL));
    EXPECT_OK(keel_cnode_delete(ROOT, copy, WB)); /* an unmapped copy: nothing changes */
    EXPECT_ERR(keel_frame_map(other, KEEL_SLOT_INIT_VSPACE, va, RW, 0), KEEL_DELETE_FIRST);
    EXPECT_OK(keel_cnode_delete(ROOT, fr, WB));
    EXPECT_OK(keel_frame_map(other, KEEL_SLOT_INIT_VSPACE, va, RW, 0));
    EXPECT_EQ(*(volatile keel_word_t *)va, 0); /* another frame's memory */
}

const struct systest vspace_tests[] = {
    {"frame_map_rules", "Frame_Map/Unmap: tables first, alignment, range, rights, copies",
     frame_map_rules},
    {"page_table_rules", "PageTable Map/Unmap, ASIDPool_Assign: one mapping per table, ASIDs reused",
     page_table_rules},
    {"thread_in_own_vspace", "a thread in its own VSpace: private pages, VM faults, unmap",
     thread_in_own_vspace},
    {"delete_frame_unmaps", "deleting a mapped frame cap removes its mapping", delete_frame_unmaps},
    {"asid_pool_rules", "ASID pools from 4 KiB untyped; deleting one kills its VSpaces",
     asid_pool_rules},
    {0, 0, 0},
};
