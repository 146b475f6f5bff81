/*
 * tests/sys/untyped.c - Untyped_Retype as a user sees it.
 */
#include "systest.h"

static void retype_every_type(struct systest_env *env)
{
    static const struct {
        keel_word_t type, bits;
        int cap;
    } objs[] = {
        {KEEL_OBJ_UNTYPED, 12, KEEL_CAP_UNTYPED},
        {KEEL_OBJ_TCB, 0, KEEL_CAP_TCB},
        {KEEL_OBJ_ENDPOINT, 0, KEEL_CAP_ENDPOINT},
        {KEEL_OBJ_NOTIFICATION, 0, KEEL_CAP_NOTIFICATION},
        {KEEL_OBJ_CNODE, 3, KEEL_CAP_CNODE},
        {KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS, KEEL_CAP_SCHED_CONTEXT},
        {KEEL_OBJ_REPLY, 0, KEEL_CAP_REPLY},
        {KEEL_OBJ_FRAME, KEEL_PAGE_BITS, KEEL_CAP_FRAME},
    };
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        keel_word_t s = slot(env);
        EXPECT_OK(keel_untyped_retype(env->ut, objs[i].type, objs[i].bits, ROOT, 0, 0, s, 1));
        EXPECT_EQ(cap_type(s), objs[i].cap);
    }
}

static void retype_many_contiguous(struct systest_env *env)
{
    keel_word_t base = env->alloc.slots.hint + 8;
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base, 256));
    EXPECT_EQ(cap_type(base), KEEL_CAP_ENDPOINT);
    EXPECT_EQ(cap_type(base + 255), KEEL_CAP_ENDPOINT);
    EXPECT_EQ(cap_type(base + 256), KEEL_CAP_NULL);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base + 300, 257),
               KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().arg, 5);
    EXPECT_EQ(keel_last_error().v2, 256); /* the maximum */
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base + 300, 0),
               KEEL_RANGE_ERROR);
}

static void retype_into_occupied_slot(struct systest_env *env)
{
    keel_word_t base = env->alloc.slots.hint + 8;
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base + 2, 1));
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base, 4),
               KEEL_DELETE_FIRST);
    EXPECT_EQ(keel_last_error().v1, base + 2); /* the occupied slot */
    EXPECT_EQ(cap_type(base), KEEL_CAP_NULL);  /* nothing was created */
}

static void retype_size_rules(struct systest_env *env)
{
    keel_word_t s = slot(env);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_CNODE, 0, ROOT, 0, 0, s, 1),
               KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().v1, KEEL_CNODE_MIN_RADIX);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 3, ROOT, 0, 0, s, 1),
               KEEL_RANGE_ERROR);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_FRAME, 13, ROOT, 0, 0, s, 1),
               KEEL_INVALID_ARGUMENT);
    EXPECT_ERR(keel_untyped_retype(env->ut, 99, 0, ROOT, 0, 0, s, 1), KEEL_INVALID_ARGUMENT);
    EXPECT_EQ(keel_last_error().arg, 0);
    /* An object bigger than the untyped itself. */
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, env->ut_bits + 1, ROOT, 0, 0, s, 1),
               KEEL_NOT_ENOUGH_MEMORY);
    EXPECT_EQ(cap_type(s), KEEL_CAP_NULL);
}

static void exhaust_untyped(struct systest_env *env)
{
    keel_word_t small = slot(env), base = env->alloc.slots.hint + 4;
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 16, ROOT, 0, 0, small, 1));
    /* 64 KiB holds exactly 16 pages. */
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, base, 15));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, base + 15, 1));
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, base + 16, 1),
               KEEL_NOT_ENOUGH_MEMORY);
    EXPECT_EQ(keel_last_error().v1, 0); /* bytes left */
    EXPECT_EQ(cap_type(base + 16), KEEL_CAP_NULL);
    /* Smaller objects do not fit either. */
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, base + 16, 1),
               KEEL_NOT_ENOUGH_MEMORY);
}

static void watermark_alignment(struct systest_env *env)
{
    keel_word_t small = slot(env), a = slot(env), b = slot(env), c = slot(env);
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 14, ROOT, 0, 0, small, 1));
    /* 16 KiB: an endpoint at 0, then a 4 KiB frame must start at 4 KiB,
     * so only three frames fit after it. */
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, a, 1));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, b, 1));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, c, 1));
    keel_word_t d = slot(env), e = slot(env);
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, d, 1));
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, e, 1),
               KEEL_NOT_ENOUGH_MEMORY);
}

static void reset_when_childless(struct systest_env *env)
{
    keel_word_t small = slot(env), f = slot(env);
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 13, ROOT, 0, 0, small, 1));
    keel_word_t g = slot(env);
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, f, 1));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, g, 1));
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, slot(env), 1),
               KEEL_NOT_ENOUGH_MEMORY);
    /* Deleting the children (not revoking) resets the watermark. */
    EXPECT_OK(keel_cnode_delete(ROOT, f, WB));
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, f, 1),
               KEEL_NOT_ENOUGH_MEMORY); /* g still holds the watermark up */
    EXPECT_OK(keel_cnode_delete(ROOT, g, WB));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, f, 1));
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, g, 1));
}

static void device_untyped_rules(struct systest_env *env)
{
    const struct keel_bootinfo *bi = env->bi;
    keel_cptr_t dev = 0;
    for (keel_word_t i = 0; i < bi->untyped_count; i++)
        if (bi->untyped_list[i].is_device && bi->untyped_list[i].size_bits >= 13)
            dev = bi->untyped.start + i;
    if (!EXPECT(dev != 0))
        return;
    keel_word_t s = slot(env), u = slot(env);
    EXPECT_ERR(keel_untyped_retype(dev, KEEL_OBJ_ENDPOINT, 0, ROOT, 0, 0, s, 1),
               KEEL_INVALID_ARGUMENT);
    EXPECT_ERR(keel_untyped_retype(dev, KEEL_OBJ_CNODE, 2, ROOT, 0, 0, s, 1),
               KEEL_INVALID_ARGUMENT);
    EXPECT_OK(keel_untyped_retype(dev, KEEL_OBJ_UNTYPED, 12, ROOT, 0, 0, u, 1));
    EXPECT_OK(keel_untyped_retype(u, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, s, 1));
    EXPECT_EQ(cap_type(s), KEEL_CAP_FRAME);
    /* Child untyped of device memory is device memory too. */
    EXPECT_OK(keel_cnode_delete(ROOT, s, WB));
    EXPECT_ERR(keel_untyped_retype(u, KEEL_OBJ_TCB, 0, ROOT, 0, 0, s, 1), KEEL_INVALID_ARGUMENT);
    EXPECT_OK(keel_cnode_revoke(ROOT, dev, WB));
}

static void untyped_copy_rules(struct systest_env *env)
{
    keel_word_t small = slot(env), copy = slot(env), f = slot(env), g = slot(env);
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_UNTYPED, 13, ROOT, 0, 0, small, 1));
    EXPECT_OK(keel_cnode_copy(ROOT, copy, WB, ROOT, small, WB, KEEL_RIGHTS_ALL));
    /* Only the copy allocates while it exists. */
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, f, 1),
               KEEL_REVOKE_FIRST);
    EXPECT_OK(keel_untyped_retype(copy, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, f, 1));
    /* A cap with children cannot be copied. */
    EXPECT_ERR(keel_cnode_copy(ROOT, g, WB, ROOT, copy, WB, KEEL_RIGHTS_ALL), KEEL_REVOKE_FIRST);
    /* Delete the copy: its frame stays, and the original continues after it. */
    EXPECT_OK(keel_cnode_delete(ROOT, copy, WB));
    EXPECT_EQ(cap_type(f), KEEL_CAP_FRAME);
    EXPECT_OK(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, g, 1));
    EXPECT_ERR(keel_untyped_retype(small, KEEL_OBJ_FRAME, 12, ROOT, 0, 0, slot(env), 1),
               KEEL_NOT_ENOUGH_MEMORY);
}

static void retype_into_other_cnode(struct systest_env *env)
{
    keel_cptr_t cn = object(env, KEEL_OBJ_CNODE, 4);
    /* Destination: the CNode at (cn, depth 64) in ROOT, slots 3..5. */
    EXPECT_OK(keel_untyped_retype(env->ut, KEEL_OBJ_NOTIFICATION, 0, ROOT, cn, WB, 3, 3));
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_NOTIFICATION, 0, ROOT, cn, WB, 16, 1),
               KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().arg, 4);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_NOTIFICATION, 0, ROOT, cn, WB, 14, 3),
               KEEL_RANGE_ERROR);
    EXPECT_EQ(keel_last_error().arg, 5);
    /* A non-CNode destination is a lookup failure. */
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    EXPECT_ERR(keel_untyped_retype(env->ut, KEEL_OBJ_NOTIFICATION, 0, ROOT, ep, WB, 0, 1),
               KEEL_FAILED_LOOKUP);
}

/* libkeel's allocator over the boot untyped never hands out device
 * memory (regression: best fit gave the 4 KiB RTC and UART blocks of
 * riscv64 out as the first frames, IPC buffers among them). */
static void allocator_skips_device_memory(struct systest_env *env)
{
    const struct keel_bootinfo *bi = env->bi;
    struct keel_alloc a;
    keel_alloc_init(&a, bi);
    a.slots = env->alloc.slots; /* the test's slots: the runner cleans up */
    unsigned device = 0;
    for (int n = 0; n < 8; n++) {
        keel_cptr_t f;
        keel_word_t pa = 0;
        if (!EXPECT_OK(keel_alloc_object(&a, KEEL_OBJ_FRAME, KEEL_PAGE_BITS, &f)))
            return;
        EXPECT_OK(keel_frame_get_address(f, &pa, 0));
        for (keel_word_t i = 0; i < bi->untyped_count; i++) {
            const struct keel_untyped_desc *u = &bi->untyped_list[i];
            device += u->is_device && pa >= u->paddr &&
                      pa - u->paddr < ((keel_word_t)1 << u->size_bits);
        }
    }
    EXPECT_EQ(device, 0);
}

const struct systest untyped_tests[] = {
    {"retype_every_type", "every object type can be retyped and is what it says", retype_every_type},
    {"retype_many_contiguous", "1..256 objects per call into contiguous slots", retype_many_contiguous},
    {"retype_into_occupied_slot", "an occupied destination fails DeleteFirst, creating nothing", retype_into_occupied_slot},
    {"retype_size_rules", "sizes outside the documented range fail with the range", retype_size_rules},
    {"exhaust_untyped", "exhaustion gives NotEnoughMemory with the bytes left", exhaust_untyped},
    {"watermark_alignment", "objects are aligned to their size at the watermark", watermark_alignment},
    {"reset_when_childless", "an untyped with no children restarts at offset 0", reset_when_childless},
    {"device_untyped_rules", "device untyped becomes only frames or untyped", device_untyped_rules},
    {"untyped_copy_rules", "only the newest copy of an untyped allocates", untyped_copy_rules},
    {"retype_into_other_cnode", "Retype places objects in any CNode by (index, depth)", retype_into_other_cnode},
    {"allocator_skips_device_memory", "libkeel's allocator never hands out device memory",
     allocator_skips_device_memory},
    {0, 0, 0},
};
