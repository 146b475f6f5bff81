/*
 * tests/unit/test_untyped.c - kernel/untyped.c (and object.c's sizes):
 * Untyped_Retype.  Every object type and its size range, 1..256 objects
 * into contiguous empty slots of a CNode named by (index, depth), the
 * watermark (alignment, exhaustion with the bytes left, reset when the
 * untyped has no children), device untyped, and copies of untyped caps
 * (only the newest copy allocates; deleting a copy hands its watermark
 * back).  Each error is checked with its argument index and detail words.
 */
#include "harness.h"

#include <string.h>

/* A fresh untyped of 2^bits bytes in free slot i. */
static word_t make_ut(unsigned i, unsigned bits)
{
    word_t s = h_free_slot(i);
    ck_assert_int_eq(h_retype(h_big_untyped(), KEEL_OBJ_UNTYPED, bits, s, 1), KEEL_OK);
    return s;
}

/* Retype with an explicit destination root, (index, depth), offset. */
static int retype_to(word_t ut, word_t type, word_t bits, word_t root, word_t index,
                     word_t depth, word_t offset, word_t n)
{
    word_t w[] = {type, bits, index, depth, offset, n};
    return h_invoke(ut, KEEL_UNTYPED_RETYPE, 6, w, 1, &root);
}

/* The last invocation failed with `code` and this detail (a macro, so
 * that a failure names the caller's line). */
/* Every object type is created as documented: cap type, size, rights, alignment, MDB. */
START_TEST(every_object_type)
{
    h_boot();
    static const struct {
        word_t type, bits;
        uint8_t cap, cap_bits;
        unsigned size;
    } objs[] = {
        {KEEL_OBJ_UNTYPED, 12, KEEL_CAP_UNTYPED, 12, 12},
        {KEEL_OBJ_TCB, 0, KEEL_CAP_TCB, 0, KEEL_TCB_BITS},
        {KEEL_OBJ_ENDPOINT, 0, KEEL_CAP_ENDPOINT, 0, KEEL_ENDPOINT_BITS},
        {KEEL_OBJ_NOTIFICATION, 0, KEEL_CAP_NOTIFICATION, 0, KEEL_NOTIFICATION_BITS},
        {KEEL_OBJ_CNODE, 3, KEEL_CAP_CNODE, 3, 3 + KEEL_SLOT_BITS},
        {KEEL_OBJ_SCHED_CONTEXT, 9, KEEL_CAP_SCHED_CONTEXT, 9, 9},
        {KEEL_OBJ_REPLY, 0, KEEL_CAP_REPLY, 0, KEEL_REPLY_BITS},
        {KEEL_OBJ_FRAME, KEEL_PAGE_BITS, KEEL_CAP_FRAME, KEEL_PAGE_BITS, KEEL_PAGE_BITS},
    };
    word_t ut = make_ut(0, 16);
    for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
        word_t s = h_free_slot(1 + i), before = capof(ut)->data;
        ck_assert_int_eq(h_retype(ut, objs[i].type, objs[i].bits, s, 1), KEEL_OK);
        const cap_t *c = capof(s);
        ck_assert_uint_eq(c->type, objs[i].cap);
        ck_assert_uint_eq(c->bits, objs[i].cap_bits);
        ck_assert_uint_eq(c->rights, KEEL_RIGHTS_ALL);
        ck_assert_uint_eq(c->flags, CAP_F_REVOCABLE);
        ck_assert_uint_eq(cap_obj_size_bits(c), objs[i].size);
        ck_assert(is_aligned(c->obj, objs[i].size));
        ck_assert_uint_eq(c->obj, capof(ut)->obj + align_up(before, objs[i].size));
        ck_assert_uint_eq(capof(ut)->data, c->obj - capof(ut)->obj + BIT(objs[i].size));
        ck_assert_ptr_eq(h_slot(ut)->mdb_next, h_slot(s)); /* newest child first */
        ck_assert(mdb_is_parent(h_slot(ut), h_slot(s)));
    }
    ck_assert_uint_eq(((struct tcb *)capof(h_free_slot(2))->obj)->state, THREAD_INACTIVE);
}
END_TEST

/* Fixed-size object types ignore the size argument. */
START_TEST(fixed_sizes_ignore_size_arg)
{
    h_boot();
    word_t ut = make_ut(0, 14);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_TCB, 99, h_free_slot(1), 1), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, ~(word_t)0, h_free_slot(2), 1), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_REPLY, 3, h_free_slot(3), 1), KEEL_OK);
    ck_assert_uint_eq(capof(ut)->data, BIT(KEEL_TCB_BITS) + 2 * BIT(KEEL_ENDPOINT_BITS));
}
END_TEST

/* Sizes out of range: RangeError arg 1 (min, max, value); bad Frame sizes InvalidArgument. */
START_TEST(size_ranges_per_type)
{
    h_boot();
    word_t ut = h_big_untyped(), s = h_free_slot(0);
    static const struct {
        word_t type, bits, lo, hi;
    } bad[] = {
        {KEEL_OBJ_UNTYPED, 3, KEEL_UNTYPED_MIN_BITS, KEEL_UNTYPED_MAX_BITS},
        {KEEL_OBJ_UNTYPED, KEEL_UNTYPED_MAX_BITS + 1, KEEL_UNTYPED_MIN_BITS, KEEL_UNTYPED_MAX_BITS},
        {KEEL_OBJ_CNODE, 0, KEEL_CNODE_MIN_RADIX, KEEL_CNODE_MAX_RADIX},
        {KEEL_OBJ_CNODE, KEEL_CNODE_MAX_RADIX + 1, KEEL_CNODE_MIN_RADIX, KEEL_CNODE_MAX_RADIX},
        {KEEL_OBJ_SCHED_CONTEXT, 7, KEEL_SCHED_CONTEXT_MIN_BITS, KEEL_SCHED_CONTEXT_MAX_BITS},
        {KEEL_OBJ_SCHED_CONTEXT, 17, KEEL_SCHED_CONTEXT_MIN_BITS, KEEL_SCHED_CONTEXT_MAX_BITS},
        {KEEL_OBJ_UNTYPED, ~(word_t)0, KEEL_UNTYPED_MIN_BITS, KEEL_UNTYPED_MAX_BITS},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_err(h_retype(ut, bad[i].type, bad[i].bits, s, 1), KEEL_RANGE_ERROR, 1, bad[i].lo,
                   bad[i].hi, bad[i].bits);
    static const word_t frames[] = {0, 11, 13, 20, 22, 63, 64, 200};
    for (unsigned i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
        expect_err(h_retype(ut, KEEL_OBJ_FRAME, frames[i], s, 1), KEEL_INVALID_ARGUMENT, 1,
                   frames[i], ARCH_FRAME_SIZE_MASK, 0);
    ck_assert(cap_is_null(capof(s)));
    ck_assert_uint_eq(capof(ut)->data, 0);
    /* The limits themselves are accepted. */
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_UNTYPED, KEEL_UNTYPED_MIN_BITS, h_free_slot(1), 1),
                     KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_CNODE, KEEL_CNODE_MIN_RADIX, h_free_slot(2), 1),
                     KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MIN_BITS,
                              h_free_slot(3), 1), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_SCHED_CONTEXT, KEEL_SCHED_CONTEXT_MAX_BITS,
                              h_free_slot(4), 1), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 21, h_free_slot(5), 1), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(5))->bits, 21);
}
END_TEST

/* An unknown type is InvalidArgument arg 0; an unknown method IllegalOperation. */
START_TEST(unknown_type_and_method)
{
    h_boot();
    word_t s = h_free_slot(0);
    expect_err(h_retype(h_big_untyped(), KEEL_OBJ_TYPE_COUNT, 0, s, 1), KEEL_INVALID_ARGUMENT,
               0, KEEL_OBJ_TYPE_COUNT, 0, 0);
    expect_err(h_retype(h_big_untyped(), 99, 0, s, 1), KEEL_INVALID_ARGUMENT, 0, 99, 0, 0);
    word_t w[] = {KEEL_OBJ_ENDPOINT, 0, 0, 0, s, 1}, root = ROOT;
    expect_err(h_invoke(h_big_untyped(), KEEL_CNODE_COPY, 6, w, 1, &root),
               KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_UNTYPED, 0, 0);
    ck_assert(cap_is_null(capof(s)));
}
END_TEST

/* Retype needs six words and one extra cap (TruncatedMessage otherwise). */
START_TEST(retype_truncated)
{
    h_boot();
    word_t w[] = {KEEL_OBJ_ENDPOINT, 0, 0, 0, h_free_slot(0), 1}, root = ROOT;
    expect_err(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 5, w, 1, &root),
               KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, 6, 5, 0);
    expect_err(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 0, 0),
               KEEL_TRUNCATED_MESSAGE, KEEL_ARG_SERVICE, 1, 0, 0);
    ck_assert(cap_is_null(capof(h_free_slot(0))));
    ck_assert_int_eq(h_invoke(h_big_untyped(), KEEL_UNTYPED_RETYPE, 6, w, 1, &root), KEEL_OK);
}
END_TEST

/* 1..256 objects per call go to contiguous slots; 0 and 257 are RangeError arg 5. */
START_TEST(many_objects_contiguous)
{
    h_boot();
    word_t ut = make_ut(0, 16), base = h_free_slot(8);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base, 256), KEEL_OK);
    for (word_t i = 0; i < 256; i++) {
        ck_assert_uint_eq(capof(base + i)->type, KEEL_CAP_ENDPOINT);
        ck_assert_uint_eq(capof(base + i)->obj, capof(ut)->obj + (i << KEEL_ENDPOINT_BITS));
        ck_assert(mdb_is_parent(h_slot(ut), h_slot(base + i)));
    }
    ck_assert(cap_is_null(capof(base + 256)));
    ck_assert(cap_is_null(capof(base - 1)));
    ck_assert_uint_eq(capof(ut)->data, 256u << KEEL_ENDPOINT_BITS);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base + 300, 257), KEEL_RANGE_ERROR, 5, 1,
               KEEL_RETYPE_MAX_OBJECTS, 257);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base + 300, 0), KEEL_RANGE_ERROR, 5, 1,
               KEEL_RETYPE_MAX_OBJECTS, 0);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base + 300, 1), KEEL_OK);
}
END_TEST

/* Offset must lie in the CNode (arg 4) and the count must fit after it (arg 5). */
START_TEST(offset_and_count_ranges)
{
    h_boot();
    word_t ut = h_big_untyped(), n = BIT(h_bi()->root_cnode_radix);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, n, 1), KEEL_RANGE_ERROR, 4, 0, n - 1, n);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, ~(word_t)0, 1), KEEL_RANGE_ERROR, 4, 0, n - 1,
               ~(word_t)0);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, n - 6, 10), KEEL_RANGE_ERROR, 5, 1, 6, 10);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, n - 6, 6), KEEL_OK);
    ck_assert_uint_eq(capof(n - 1)->type, KEEL_CAP_ENDPOINT);
}
END_TEST

/* An occupied destination is DeleteFirst with the slot index; nothing is created. */
START_TEST(occupied_destination)
{
    h_boot();
    word_t ut = make_ut(0, 14), base = h_free_slot(4);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base + 2, 1), KEEL_OK);
    word_t mark = capof(ut)->data;
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base, 4), KEEL_DELETE_FIRST, 4, base + 2, 0, 0);
    ck_assert(cap_is_null(capof(base)));
    ck_assert(cap_is_null(capof(base + 1)));
    ck_assert(cap_is_null(capof(base + 3)));
    ck_assert_uint_eq(capof(ut)->data, mark);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, ut, 1), KEEL_DELETE_FIRST, 4, ut, 0, 0);
}
END_TEST

/* Exhaustion is NotEnoughMemory (arg 5, bytes left); too big an object names arg 1. */
START_TEST(not_enough_memory)
{
    h_boot();
    word_t ut = make_ut(0, 16), base = h_free_slot(4);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, base, 15), KEEL_OK);
    expect_err(h_retype(ut, KEEL_OBJ_FRAME, 12, base + 15, 2), KEEL_NOT_ENOUGH_MEMORY, 5, 4096,
               0, 0);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, base + 15, 1), KEEL_OK);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, base + 16, 1), KEEL_NOT_ENOUGH_MEMORY, 5, 0,
               0, 0);
    ck_assert(cap_is_null(capof(base + 16)));
    word_t u2 = make_ut(1, 13);
    expect_err(h_retype(u2, KEEL_OBJ_UNTYPED, 14, base + 16, 1), KEEL_NOT_ENOUGH_MEMORY, 1,
               8192, 0, 0);
    expect_err(h_retype(u2, KEEL_OBJ_CNODE, 8, base + 16, 1), KEEL_NOT_ENOUGH_MEMORY, 1, 8192,
               0, 0);
    ck_assert_int_eq(h_retype(u2, KEEL_OBJ_ENDPOINT, 0, base + 16, 1), KEEL_OK);
    expect_err(h_retype(u2, KEEL_OBJ_UNTYPED, 14, base + 17, 1), KEEL_NOT_ENOUGH_MEMORY, 1,
               8192 - BIT(KEEL_ENDPOINT_BITS), 0, 0);
}
END_TEST

/* Objects are aligned to their size at the watermark; padding is not reused. */
START_TEST(alignment_at_watermark)
{
    h_boot();
    word_t ut = make_ut(0, 14), a = h_free_slot(1), b = h_free_slot(2);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, a, 1), KEEL_OK);
    ck_assert_uint_eq(capof(a)->obj, capof(ut)->obj);
    /* Bytes available ignore the padding: 16 KiB - 32, yet only 3 pages fit. */
    expect_err(h_retype(ut, KEEL_OBJ_FRAME, 12, b, 4), KEEL_NOT_ENOUGH_MEMORY, 5,
               16384 - BIT(KEEL_ENDPOINT_BITS), 0, 0);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, b, 1), KEEL_OK);
    ck_assert_uint_eq(capof(b)->obj, capof(ut)->obj + 4096);
    ck_assert_uint_eq(capof(ut)->data, 8192);
    expect_err(h_retype(ut, KEEL_OBJ_FRAME, 12, h_free_slot(3), 3), KEEL_NOT_ENOUGH_MEMORY, 5,
               8192, 0, 0);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_NOTIFICATION, 0, h_free_slot(3), 1), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(3))->obj, capof(ut)->obj + 8192);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_UNTYPED, 12, h_free_slot(4), 1), KEEL_OK);
    ck_assert_uint_eq(capof(h_free_slot(4))->obj, capof(ut)->obj + 12288);
}
END_TEST

/* An untyped with no children left restarts at offset 0. */
START_TEST(watermark_reset_when_childless)
{
    h_boot();
    word_t ut = make_ut(0, 13), f = h_free_slot(1), g = h_free_slot(2);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, f, 1), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, g, 1), KEEL_OK);
    word_t gobj = capof(g)->obj;
    ck_assert_int_eq(h_delete(f), KEEL_OK);
    expect_err(h_retype(ut, KEEL_OBJ_FRAME, 12, f, 1), KEEL_NOT_ENOUGH_MEMORY, 5, 0, 0, 0);
    ck_assert_int_eq(h_delete(g), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, f, 1), KEEL_OK);
    ck_assert_uint_eq(capof(f)->obj, capof(ut)->obj);
    ck_assert_uint_eq(capof(ut)->data, 4096);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, g, 1), KEEL_OK);
    ck_assert_uint_eq(capof(g)->obj, gobj);
    ck_assert_int_eq(h_revoke(ut), KEEL_OK);
    ck_assert(cap_is_null(capof(f)));
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_UNTYPED, 13, f, 1), KEEL_OK);
}
END_TEST

/* New objects are zeroed, even over memory an earlier object dirtied. */
START_TEST(objects_are_zeroed)
{
    h_boot();
    word_t ut = make_ut(0, 12), f = h_free_slot(1);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, f, 1), KEEL_OK);
    unsigned char *mem = (unsigned char *)capof(f)->obj;
    memset(mem, 0xab, 4096);
    ck_assert_int_eq(h_delete(f), KEEL_OK);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_CNODE, 4, f, 1), KEEL_OK);
    ck_assert_ptr_eq((void *)capof(f)->obj, mem);
    for (unsigned i = 0; i < BIT(4 + KEEL_SLOT_BITS); i++)
        ck_assert_uint_eq(mem[i], 0);
}
END_TEST

/* Device untyped becomes only Frames or Untyped, device and not overwritten. */
START_TEST(device_untyped_rule)
{
    h_boot();
    const struct keel_bootinfo *bi = h_bi();
    word_t dev = 0;
    for (word_t i = 0; i < bi->untyped_count; i++)
        if (bi->untyped_list[i].is_device)
            dev = bi->untyped.start + i;
    ck_assert_uint_ne(dev, 0);
    ck_assert(capof(dev)->flags & CAP_F_DEVICE);
    static const word_t refused[][2] = {{KEEL_OBJ_TCB, 0}, {KEEL_OBJ_ENDPOINT, 0},
                                        {KEEL_OBJ_NOTIFICATION, 0}, {KEEL_OBJ_CNODE, 2},
                                        {KEEL_OBJ_SCHED_CONTEXT, 8}, {KEEL_OBJ_REPLY, 0}};
    word_t s = h_free_slot(0), u = h_free_slot(1);
    for (unsigned i = 0; i < 6; i++)
        expect_err(h_retype(dev, refused[i][0], refused[i][1], s, 1), KEEL_INVALID_ARGUMENT, 0,
                   refused[i][0], 0, 0);
    unsigned char *mem = (unsigned char *)capof(dev)->obj;
    mem[0] = 0x5a;
    ck_assert_int_eq(h_retype(dev, KEEL_OBJ_UNTYPED, 13, u, 1), KEEL_OK);
    ck_assert(capof(u)->flags & CAP_F_DEVICE);
    ck_assert_int_eq(h_retype(u, KEEL_OBJ_FRAME, 12, s, 1), KEEL_OK);
    ck_assert(capof(s)->flags & CAP_F_DEVICE);
    ck_assert_uint_eq(mem[0], 0x5a);
    expect_err(h_retype(u, KEEL_OBJ_TCB, 0, h_free_slot(2), 1), KEEL_INVALID_ARGUMENT, 0,
               KEEL_OBJ_TCB, 0, 0);
    ck_assert_int_eq(h_revoke(dev), KEEL_OK);
    ck_assert(cap_is_null(capof(u)));
}
END_TEST

/* Only the newest untyped copy allocates; deleting a copy hands its watermark back. */
START_TEST(untyped_copies)
{
    h_boot();
    word_t ut = make_ut(0, 14), cp = h_free_slot(1), f = h_free_slot(2), g = h_free_slot(3);
    ck_assert_int_eq(h_copy(cp, ut, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_uint_eq(capof(cp)->obj, capof(ut)->obj);
    expect_err(h_retype(ut, KEEL_OBJ_FRAME, 12, f, 1), KEEL_REVOKE_FIRST, KEEL_ARG_SERVICE, 0,
               0, 0);
    ck_assert_int_eq(h_retype(cp, KEEL_OBJ_FRAME, 12, f, 2), KEEL_OK);
    ck_assert_uint_eq(capof(cp)->data, 8192);
    ck_assert_int_eq(h_delete(cp), KEEL_OK);
    ck_assert_uint_eq(capof(ut)->data, 8192);
    ck_assert(mdb_is_parent(h_slot(ut), h_slot(f)));
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_FRAME, 12, g + 1, 1), KEEL_OK);
    ck_assert_uint_eq(capof(g + 1)->obj, capof(ut)->obj + 8192);
    /* A copy of a copy: the middle one may not allocate either. */
    ck_assert_int_eq(h_revoke(ut), KEEL_OK);
    word_t c2 = h_free_slot(10);
    ck_assert_int_eq(h_copy(cp, ut, KEEL_RIGHTS_ALL), KEEL_OK);
    ck_assert_int_eq(h_copy(c2, cp, KEEL_RIGHTS_ALL), KEEL_OK);
    expect_err(h_retype(cp, KEEL_OBJ_FRAME, 12, f, 1), KEEL_REVOKE_FIRST, KEEL_ARG_SERVICE, 0,
               0, 0);
    ck_assert_int_eq(h_retype(c2, KEEL_OBJ_FRAME, 12, f, 1), KEEL_OK);
    ck_assert_uint_eq(capof(f)->obj, capof(ut)->obj);
    /* Revoking the original removes the copies and what they made. */
    ck_assert_int_eq(h_revoke(ut), KEEL_OK);
    ck_assert(cap_is_null(capof(cp)));
    ck_assert(cap_is_null(capof(c2)));
    ck_assert(cap_is_null(capof(f)));
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_UNTYPED, 14, f, 1), KEEL_OK);
}
END_TEST

/* A full-size untyped child blocks its parent with RevokeFirst until gone. */
START_TEST(full_size_untyped_child)
{
    h_boot();
    word_t ut = make_ut(0, 13), child = h_free_slot(1);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_UNTYPED, 13, child, 1), KEEL_OK);
    ck_assert_uint_eq(capof(child)->obj, capof(ut)->obj);
    expect_err(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, h_free_slot(2), 1), KEEL_REVOKE_FIRST,
               KEEL_ARG_SERVICE, 0, 0, 0);
    ck_assert_int_eq(h_retype(child, KEEL_OBJ_ENDPOINT, 0, h_free_slot(2), 1), KEEL_OK);
    ck_assert_int_eq(h_revoke(ut), KEEL_OK);
    ck_assert(cap_is_null(capof(h_free_slot(2))));
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, h_free_slot(2), 1), KEEL_OK);
}
END_TEST

/* Retype places objects in the CNode at (index, depth), or the root at depth 0. */
START_TEST(destination_cnode_by_index_depth)
{
    h_boot();
    word_t cn = h_free_slot(0), ut = h_big_untyped();
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_CNODE, 4, cn, 1), KEEL_OK);
    word_t cobj = capof(cn)->obj;
    ck_assert_int_eq(retype_to(ut, KEEL_OBJ_NOTIFICATION, 0, ROOT, cn, WB, 3, 3), KEEL_OK);
    for (word_t i = 0; i < 16; i++)
        ck_assert_uint_eq(cnode_slot(cobj, i)->cap.type,
                          i >= 3 && i < 6 ? KEEL_CAP_NOTIFICATION : KEEL_CAP_NULL);
    /* Depth 0: the root cap itself is the destination. */
    ck_assert_int_eq(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, cn, 0, 0, 15, 1), KEEL_OK);
    ck_assert_uint_eq(cnode_slot(cobj, 15)->cap.type, KEEL_CAP_ENDPOINT);
    /* Two levels: L1 (root slot) holds cn's cap in slot 2; (2, 4) from L1. */
    word_t l1 = h_free_slot(1);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_CNODE, 4, l1, 1), KEEL_OK);
    word_t w[] = {2, 4, cn, WB, KEEL_RIGHTS_ALL}, root = ROOT;
    ck_assert_int_eq(h_invoke(l1, KEEL_CNODE_COPY, 5, w, 1, &root), KEEL_OK);
    ck_assert_int_eq(retype_to(ut, KEEL_OBJ_REPLY, 0, l1, 2, 4, 8, 2), KEEL_OK);
    ck_assert_uint_eq(cnode_slot(cobj, 8)->cap.type, KEEL_CAP_REPLY);
    ck_assert_uint_eq(cnode_slot(cobj, 9)->cap.type, KEEL_CAP_REPLY);
    /* Ranges are the destination CNode's. */
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, cn, WB, 16, 1), KEEL_RANGE_ERROR, 4, 0,
               15, 16);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, cn, WB, 14, 3), KEEL_RANGE_ERROR, 5, 1,
               2, 3);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, cn, WB, 4, 1), KEEL_DELETE_FIRST, 4, 4,
               0, 0);
}
END_TEST

/* Retype destination errors: depth range, lookup, not a CNode, bad root. */
START_TEST(destination_failures)
{
    h_boot();
    word_t ut = h_big_untyped(), ep = h_free_slot(0), empty = h_free_slot(1);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, ep, 1), KEEL_OK);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, ep, WB + 1, 0, 1), KEEL_RANGE_ERROR, 3,
               1, WB, WB + 1);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, 1ul << 40, WB, 0, 1), KEEL_FAILED_LOOKUP,
               2, KEEL_LOOKUP_GUARD_MISMATCH, WB, 0);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, ep, 12, 0, 1), KEEL_FAILED_LOOKUP, 2,
               KEEL_LOOKUP_DEPTH_MISMATCH, 12, 0);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, ep, WB, 0, 1), KEEL_FAILED_LOOKUP, 2,
               KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ROOT, empty, WB, 0, 1), KEEL_FAILED_LOOKUP, 2,
               KEEL_LOOKUP_MISSING_CAP, 0, WB);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ep, 0, 0, 0, 1), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(0), KEEL_LOOKUP_INVALID_ROOT, 0, 0);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, h_free_slot(5), 0, 0, 0, 1),
               KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(0), KEEL_LOOKUP_MISSING_CAP, 0, WB);
    ck_assert_uint_eq(capof(ut)->data, BIT(KEEL_ENDPOINT_BITS));
}
END_TEST

/* A non-CNode destination root is an invalid root named KEEL_ARG_CAP(0). */
START_TEST(destination_root_not_cnode_names_cap0)
{
    h_boot();
    word_t ut = h_big_untyped(), ep = h_free_slot(0);
    ck_assert_int_eq(h_retype(ut, KEEL_OBJ_ENDPOINT, 0, ep, 1), KEEL_OK);
    expect_err(retype_to(ut, KEEL_OBJ_ENDPOINT, 0, ep, 0, 4, 0, 1), KEEL_FAILED_LOOKUP,
               KEEL_ARG_CAP(0), KEEL_LOOKUP_INVALID_ROOT, 4, 0);
}
END_TEST

Suite *untyped_suite(void)
{
    Suite *su = suite_create("untyped");
    TCase *tc = tcase_create("untyped");
    tcase_add_test(tc, every_object_type);
    tcase_add_test(tc, fixed_sizes_ignore_size_arg);
    tcase_add_test(tc, size_ranges_per_type);
    tcase_add_test(tc, unknown_type_and_method);
    tcase_add_test(tc, retype_truncated);
    tcase_add_test(tc, many_objects_contiguous);
    tcase_add_test(tc, offset_and_count_ranges);
    tcase_add_test(tc, occupied_destination);
    tcase_add_test(tc, not_enough_memory);
    tcase_add_test(tc, alignment_at_watermark);
    tcase_add_test(tc, watermark_reset_when_childless);
    tcase_add_test(tc, objects_are_zeroed);
    tcase_add_test(tc, device_untyped_rule);
    tcase_add_test(tc, untyped_copies);
    tcase_add_test(tc, full_size_untyped_child);
    tcase_add_test(tc, destination_cnode_by_index_depth);
    tcase_add_test(tc, destination_failures);
    tcase_add_test(tc, destination_root_not_cnode_names_cap0);
    suite_add_tcase(su, tc);
    return su;
}
