/*
 * user/lib/alloc.c - the slot allocator (a bitmap over a range of one
 * CNode's slots) and the object allocator (Retype from the boot untyped
 * regions, best fit; never device memory, whose frames would be some
 * device's registers).
 *
 * The object allocator mirrors the kernel's watermark rule (each object
 * aligned to its size, allocated from the untyped's watermark) so it can
 * pick a region that fits without asking; if the kernel disagrees (say,
 * another party retyped the same untyped) the region is marked full and
 * the next one is tried.  Memory is given back only by revoking an
 * untyped, which this allocator does not do.
 */
#include <libkeel.h>

#define WORD_BITS (8 * sizeof(keel_word_t))

void keel_slots_init(struct keel_slots *s, keel_cptr_t cnode, keel_word_t start, keel_word_t end)
{
    if (start == 0)
        start = 1;
    if (end > KEEL_SLOTS_MAX)
        end = KEEL_SLOTS_MAX;
    s->cnode = cnode;
    s->start = s->hint = start;
    s->end = end;
    s->free = end > start ? end - start : 0;
    for (unsigned i = 0; i < sizeof(s->used) / sizeof(s->used[0]); i++)
        s->used[i] = 0;
}

static bool slot_used(const struct keel_slots *s, keel_word_t i)
{
    return (s->used[i / WORD_BITS] >> (i % WORD_BITS)) & 1;
}

keel_word_t keel_slot_alloc(struct keel_slots *s)
{
    if (s->free == 0)
        return 0;
    keel_word_t i = s->hint;
    for (keel_word_t n = 0; n < s->end - s->start; n++, i++) {
        if (i >= s->end)
            i = s->start;
        if (!slot_used(s, i)) {
            s->used[i / WORD_BITS] |= (keel_word_t)1 << (i % WORD_BITS);
            s->free--;
            s->hint = i + 1;
            return i;
        }
    }
    return 0;
}

void keel_slot_free(struct keel_slots *s, keel_word_t i)
{
    if (i < s->start || i >= s->end || !slot_used(s, i))
        return;
    s->used[i / WORD_BITS] &= ~((keel_word_t)1 << (i % WORD_BITS));
    s->free++;
}

void keel_alloc_init(struct keel_alloc *a, const struct keel_bootinfo *bi)
{
    keel_slots_init(&a->slots, KEEL_SLOT_INIT_CNODE, bi->empty.start, bi->empty.end);
    a->bi = bi;
    a->vspace = bi->map_end ? KEEL_SLOT_INIT_VSPACE : 0;
    a->asid_pool = bi->map_end ? KEEL_SLOT_INIT_ASID_POOL : 0;
    a->map_next = bi->map_start;
    a->map_end = bi->map_end;
    a->count = 0;
    for (keel_word_t i = 0; i < bi->untyped_count && i < KEEL_BOOTINFO_MAX_UNTYPED; i++) {
        a->ut[a->count].cap = bi->untyped.start + i;
        a->ut[a->count].size_bits = bi->untyped_list[i].size_bits;
        a->ut[a->count].is_device = bi->untyped_list[i].is_device;
        a->ut[a->count].used = 0;
        a->count++;
    }
}

unsigned keel_object_bits(keel_word_t type, keel_word_t size_bits)
{
    switch (type) {
    case KEEL_OBJ_UNTYPED:
    case KEEL_OBJ_SCHED_CONTEXT:
    case KEEL_OBJ_FRAME:
        return (unsigned)size_bits;
    case KEEL_OBJ_PAGE_TABLE:
        return KEEL_PAGE_BITS; /* every port with page tables so far */
    case KEEL_OBJ_CNODE:
        return (unsigned)size_bits + KEEL_SLOT_BITS;
    case KEEL_OBJ_TCB:
        return KEEL_TCB_BITS;
    case KEEL_OBJ_ENDPOINT:
        return KEEL_ENDPOINT_BITS;
    case KEEL_OBJ_NOTIFICATION:
        return KEEL_NOTIFICATION_BITS;
    case KEEL_OBJ_REPLY:
        return KEEL_REPLY_BITS;
    default:
        return 0;
    }
}

/* Bytes the untyped would use after making one object of 2^bits, or 0. */
static keel_word_t fits(const struct keel_alloc *a, unsigned i, unsigned bits)
{
    keel_word_t size = (keel_word_t)1 << a->ut[i].size_bits;
    keel_word_t start = (a->ut[i].used + ((keel_word_t)1 << bits) - 1) &
                        ~(((keel_word_t)1 << bits) - 1);
    if (bits > a->ut[i].size_bits || start + ((keel_word_t)1 << bits) > size)
        return 0;
    return start + ((keel_word_t)1 << bits);
}

keel_error_t keel_alloc_object(struct keel_alloc *a, keel_word_t type, keel_word_t size_bits,
                               keel_cptr_t *out)
{
    unsigned bits = keel_object_bits(type, size_bits);
    keel_word_t slot = keel_slot_alloc(&a->slots);
    if (!slot)
        return KEEL_NOT_ENOUGH_MEMORY;
    for (;;) {
        int best = -1;
        for (unsigned i = 0; i < a->count; i++)
            if (!a->ut[i].is_device && fits(a, i, bits) &&
                (best < 0 || a->ut[i].size_bits < a->ut[best].size_bits))
                best = (int)i;
        if (best < 0) {
            keel_slot_free(&a->slots, slot);
            return KEEL_NOT_ENOUGH_MEMORY;
        }
        keel_error_t r = keel_untyped_retype(a->ut[best].cap, type, size_bits, a->slots.cnode,
                                             0, 0, slot, 1);
        if (r == KEEL_OK) {
            a->ut[best].used = fits(a, (unsigned)best, bits);
            *out = slot;
            return KEEL_OK;
        }
        if (r != KEEL_NOT_ENOUGH_MEMORY && r != KEEL_REVOKE_FIRST) {
            keel_slot_free(&a->slots, slot);
            return r;
        }
        a->ut[best].used = (keel_word_t)1 << a->ut[best].size_bits; /* full: skip it */
    }
}
