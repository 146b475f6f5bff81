/*
 * kernel/vspace.c - address spaces: the Frame and PageTable methods, the
 * ASID table, and what deleting a mapped frame or table undoes.
 *
 * The portable half of virtual memory.  A VSpace is a PageTable given an
 * ASID by ASIDPool_Assign.  ASIDs come in pools of 512, each an object
 * that ASIDControl_MakePool makes from 4 KiB of untyped memory (seL4's
 * design: the authority to create address spaces is a capability, and a
 * pool's memory is accounted to whoever gave the untyped); ks.asid_pool[n]
 * is the pool of ASIDs n*512.., and its entries name the roots.  Mappings are recorded in capabilities,
 * after seL4: a mapped Frame cap holds (asid, vaddr) of its one mapping, a
 * mapped PageTable cap the same for its link, a root cap its ASID.  So
 * undoing a mapping is: find the root through the ASID (gone: nothing to
 * undo), and ask the port to clear the entry at vaddr if it still points at
 * this object.  The port (arch_vspace_*) owns the page-table format.
 *
 * Rules that keep stale entries from outliving an object:
 *  - deleting a mapped Frame cap unmaps that cap's mapping, final or not;
 *    a copy (Copy/Mint, a TCB's slot) starts unmapped;
 *  - a PageTable is unlinked (and, with everything below it, made
 *    unreachable) when unmapped or when its last cap goes; an unmapped
 *    table is zeroed, so an unlinked table is always empty;
 *  - an unmapped, non-root PageTable cap cannot be copied: only one cap
 *    can ever map a table.
 * On ports without page tables (ARCH_PAGE_TABLE_BITS 0: sim, MPU ports)
 * PageTables cannot be created and Map/Unmap are refused; Frame_GetAddress
 * reports the address every thread sees the frame at.
 *
 * Callers: syscall.c (frame_decode, page_table_decode), thread.c (the
 * vspace check of TCB_Configure), delete.c and object.c (deletion), cnode.c
 * (copying), boot.c (the root task's VSpace).
 */
#include "invoke.h"
#include "state.h"

#define HAS_VSPACES (ARCH_PAGE_TABLE_BITS != 0)

static int no_vspaces(word_t type, struct kerr *e)
{
    return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, type, 0, 0,
                    "this arch has no page tables: every thread sees every frame");
}

/* The root that ASID asid names, or 0 (no such pool, or a free entry). */
word_t vspace_asid_root(word_t asid)
{
    word_t n = asid / KEEL_ASID_POOL_ENTRIES;
    const word_t *pool = n < CONFIG_NUM_ASID_POOLS ? ks.asid_pool[n] : 0;
    return pool ? pool[asid % KEEL_ASID_POOL_ENTRIES] : 0;
}

bool vspace_is_root(const cap_t *c)
{
    return c->type == KEEL_CAP_PAGE_TABLE && (c->flags & CAP_F_PT_ROOT) && c->aux &&
           vspace_asid_root(c->aux) == c->obj;
}

/* Coverage: `make coverage` measures the sim, which has no page tables;
 * the code between the LCOV_EXCL markers runs only on ports with them and
 * is covered by the riscv64 system suite (tests/sys/vspace.c). */
/* LCOV_EXCL_START */

/* The live root a mapping recorded as (asid) lives in, or 0. */
static word_t asid_root(word_t asid)
{
    return asid ? vspace_asid_root(asid) : 0;
}

/* Extra cap 0: the VSpace to map into. */
static int decode_vspace(const struct invocation *inv, word_t *root, word_t *asid,
                         struct kerr *e)
{
    const cap_t *v = &inv->extra[0]->cap;
    if (!vspace_is_root(v))
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), v->type, 0, 0,
                        "map: the VSpace must be a PageTable with an ASID (ASIDPool_Assign)");
    *root = v->obj;
    *asid = v->aux;
    return KEEL_OK;
}

/* The port's verdict on a map, as an error for the caller. */
static int map_error(int code, word_t vaddr, struct kerr *e)
{
    switch (code) {
    case KEEL_OK:
        return KEEL_OK;
    case KEEL_RANGE_ERROR:
        return kerr_set(e, KEEL_RANGE_ERROR, 0, 0, 0, vaddr,
                        "map: the address is not in user space");
    case KEEL_FAILED_LOOKUP:
        return kerr_set(e, KEEL_FAILED_LOOKUP, 0, vaddr, 0, 0,
                        "map: a page table on the way is missing (map one first)");
    default:
        return kerr_set(e, KEEL_DELETE_FIRST, 0, vaddr, 0, 0,
                        "map: something is mapped there already");
    }
}

/* ---- frames ---- */

static void frame_unmap(cap_t *c)
{
    word_t root = asid_root(c->aux);
    if (root)
        arch_vspace_unmap_frame(root, c->data, c->obj, c->bits);
    c->aux = 0;
    c->data = 0;
}

/* Frame_Map(vspace: extra cap 0, vaddr, rights, attributes). */
static int decode_frame_map(struct invocation *inv, struct kerr *e)
{
    cap_t *f = &inv->slot->cap;
    word_t root, asid;
    int r = inv_need(inv, 3, 1, e);
    if (r == KEEL_OK)
        r = decode_vspace(inv, &root, &asid, e);
    if (r != KEEL_OK)
        return r;
    word_t vaddr = inv_mr(inv, 0), rights = inv_mr(inv, 1), attr = inv_mr(inv, 2);
    if (f->aux)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_SERVICE, f->aux, f->data, 0,
                        "Frame_Map: this cap is mapped already (unmap it, or map a copy)");
    if (!is_aligned(vaddr, f->bits))
        return kerr_set(e, KEEL_ALIGNMENT_ERROR, 0, vaddr, f->bits, 0,
                        "Frame_Map: the address is not aligned to the frame's size");
    if (rights & ~(word_t)(KEEL_RIGHT_READ | KEEL_RIGHT_WRITE))
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 1, rights, 0, 0,
                        "Frame_Map: rights other than Read and Write");
    if (attr & ~(word_t)KEEL_MAP_ATTRS_ALL)
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 2, attr, 0, 0,
                        "Frame_Map: unknown attribute bits");
    rights &= f->rights;
    if (!(rights & KEEL_RIGHT_READ))
        return kerr_set(e, KEEL_INVALID_ARGUMENT, 1, rights, f->rights, 0,
                        "Frame_Map: a mapping needs Read, in the cap and the argument");
    bool exec = !(attr & KEEL_MAP_EXECUTE_NEVER) && !(f->flags & CAP_F_DEVICE);
    r = map_error(arch_vspace_map_frame(root, vaddr, f->obj, f->bits,
                                        rights & KEEL_RIGHT_WRITE, exec), vaddr, e);
    if (r == KEEL_OK) {
        f->aux = (uint32_t)asid;
        f->data = vaddr;
    }
    return r;
}

/* LCOV_EXCL_STOP */

/* Frame_GetAddress: the physical address, and where this cap's frame is
 * mapped (else where every thread reaches it, on arches without page
 * tables, else 0). */
int frame_decode(struct invocation *inv, struct kerr *e)
{
    cap_t *f = &inv->slot->cap;
    switch (inv->label) {
    case KEEL_FRAME_GET_ADDRESS:
        inv_set_result(inv, 0, arch_kptr_to_paddr((const void *)f->obj));
        inv_set_result(inv, 1, f->aux ? f->data : arch_frame_user_addr((const void *)f->obj));
        return KEEL_OK;
    case KEEL_FRAME_MAP:
        return HAS_VSPACES ? decode_frame_map(inv, e) : no_vspaces(KEEL_CAP_FRAME, e);
    case KEEL_FRAME_UNMAP:
        if (!HAS_VSPACES)
            return no_vspaces(KEEL_CAP_FRAME, e);
        if (f->aux)
            frame_unmap(f);
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_FRAME, 0, 0,
                        "Frame: unknown method");
    }
}

/* ---- page tables (LCOV_EXCL: see above) ---- */
/* LCOV_EXCL_START */

static void table_unmap(cap_t *c)
{
    word_t root = asid_root(c->aux);
    if (root)
        arch_vspace_unmap_table(root, c->data, c->obj);
    kmemset((void *)c->obj, 0, BIT(c->bits)); /* what was below is unreachable */
    c->aux = 0;
    c->data = 0;
}

static int decode_table_map(struct invocation *inv, struct kerr *e)
{
    cap_t *t = &inv->slot->cap;
    word_t root, asid;
    int r = inv_need(inv, 1, 1, e);
    if (r == KEEL_OK)
        r = decode_vspace(inv, &root, &asid, e);
    if (r != KEEL_OK)
        return r;
    word_t vaddr = inv_mr(inv, 0);
    if (t->aux)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_SERVICE, t->aux, t->data,
                        t->flags & CAP_F_PT_ROOT,
                        "PageTable_Map: the table is mapped already or is a root");
    r = map_error(arch_vspace_map_table(root, vaddr, t->obj), vaddr, e);
    if (r == KEEL_OK) {
        t->aux = (uint32_t)asid;
        t->data = vaddr;
    }
    return r;
}

/* Turn the (empty, unmapped) table c names into the root of ASID asid,
 * an entry of pool. */
void vspace_make_root(cap_t *c, word_t *pool, word_t asid)
{
    arch_vspace_init(c->obj);
    pool[asid % KEEL_ASID_POOL_ENTRIES] = c->obj;
    c->aux = (uint32_t)asid;
    c->data = 0;
    c->flags |= CAP_F_PT_ROOT;
}

/* ASIDPool_Assign(table: extra cap 0): the lowest free ASID of the pool. */
static int decode_assign(struct invocation *inv, struct kerr *e)
{
    const cap_t *p = &inv->slot->cap;
    int r = inv_need(inv, 0, 1, e);
    if (r != KEEL_OK)
        return r;
    cap_t *t = &inv->extra[0]->cap;
    if (t->type != KEEL_CAP_PAGE_TABLE || t->aux)
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), t->type,
                        t->type == KEEL_CAP_PAGE_TABLE ? t->aux : 0, 0,
                        "ASIDPool_Assign: needs a PageTable neither mapped nor a root");
    word_t *pool = (word_t *)p->obj, i = p->data == 0 ? 1 : 0; /* ASID 0 means none */
    while (i < KEEL_ASID_POOL_ENTRIES && pool[i])
        i++;
    if (i == KEEL_ASID_POOL_ENTRIES)
        return kerr_set(e, KEEL_DELETE_FIRST, KEEL_ARG_SERVICE, p->data, 0, 0,
                        "ASIDPool_Assign: every ASID of the pool is in use");
    word_t asid = p->data * KEEL_ASID_POOL_ENTRIES + i;
    vspace_make_root(t, pool, asid);
    inv_set_result(inv, 0, asid);
    return KEEL_OK;
}

int asid_pool_decode(struct invocation *inv, struct kerr *e)
{
    if (inv->label != KEEL_ASID_POOL_ASSIGN)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_ASID_POOL, 0, 0,
                        "ASIDPool: unknown method");
    return decode_assign(inv, e);
}

/* ASIDControl_MakePool(untyped: extra cap 0, dest: extra cap 1 = CNode
 * root, index, depth): the untyped (4 KiB of RAM, nothing made from it)
 * becomes an ASID pool, its child, for the next 512 ASIDs. */
int asid_control_decode(struct invocation *inv, struct kerr *e)
{
    slot_t *dest;
    if (inv->label != KEEL_ASID_CONTROL_MAKE_POOL)
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_ASID_CONTROL, 0, 0,
                        "ASIDControl: unknown method");
    int r = inv_need(inv, 2, 2, e);
    if (r != KEEL_OK)
        return r;
    slot_t *us = inv->extra[0];
    const cap_t *u = &us->cap, *root = &inv->extra[1]->cap;
    if (u->type != KEEL_CAP_UNTYPED || u->bits != KEEL_ASID_POOL_BITS || (u->flags & CAP_F_DEVICE))
        return kerr_set(e, KEEL_INVALID_CAPABILITY, KEEL_ARG_CAP(0), u->type,
                        u->type == KEEL_CAP_UNTYPED ? u->bits : 0, 0,
                        "ASIDControl_MakePool: needs an untyped of 4 KiB of RAM");
    if (mdb_has_children(us)) /* (a copy of it is a child too) */
        return kerr_set(e, KEEL_REVOKE_FIRST, KEEL_ARG_CAP(0), 0, 0, 0,
                        "ASIDControl_MakePool: the untyped has children or a copy");
    if (root->type != KEEL_CAP_CNODE)
        return kerr_set(e, KEEL_FAILED_LOOKUP, KEEL_ARG_CAP(1), KEEL_LOOKUP_INVALID_ROOT,
                        inv_mr(inv, 1), 0, "ASIDControl_MakePool: the destination root is not a CNode");
    if ((r = cspace_lookup_slot(root, inv_mr(inv, 0), inv_mr(inv, 1), 0, &dest, e)) != KEEL_OK)
        return r;
    if (!cap_is_null(&dest->cap))
        return kerr_set(e, KEEL_DELETE_FIRST, 0, 0, 0, 0,
                        "ASIDControl_MakePool: destination slot not empty");
    word_t n = 0;
    while (n < CONFIG_NUM_ASID_POOLS && ks.asid_pool[n])
        n++;
    if (n == CONFIG_NUM_ASID_POOLS)
        return kerr_set(e, KEEL_DELETE_FIRST, KEEL_ARG_SERVICE, CONFIG_NUM_ASID_POOLS, 0, 0,
                        "ASIDControl_MakePool: every pool of ASIDs exists");
    kmemset((void *)u->obj, 0, BIT(KEEL_ASID_POOL_BITS));
    us->cap.data = BIT(KEEL_ASID_POOL_BITS); /* the untyped is used up */
    cap_t c = {.obj = u->obj, .data = n, .type = KEEL_CAP_ASID_POOL, .rights = KEEL_RIGHTS_ALL,
               .bits = KEEL_ASID_POOL_BITS, .flags = CAP_F_REVOCABLE};
    mdb_insert_after(us, dest, &c);
    ks.asid_pool[n] = (word_t *)c.obj;
    return KEEL_OK;
}

int page_table_decode(struct invocation *inv, struct kerr *e)
{
    cap_t *t = &inv->slot->cap;
    switch (inv->label) {
    case KEEL_PAGE_TABLE_MAP:
        return decode_table_map(inv, e);
    case KEEL_PAGE_TABLE_UNMAP:
        if (t->flags & CAP_F_PT_ROOT)
            return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_PAGE_TABLE,
                            t->aux, 0, "PageTable_Unmap: a root is not mapped (delete it)");
        if (t->aux && !mdb_is_final(inv->slot))
            return kerr_set(e, KEEL_REVOKE_FIRST, KEEL_ARG_SERVICE, 0, 0, 0,
                            "PageTable_Unmap: other caps share this mapping (delete them first)");
        if (t->aux)
            table_unmap(t);
        return KEEL_OK;
    default:
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, KEEL_ARG_SERVICE, KEEL_CAP_PAGE_TABLE, 0, 0,
                        "PageTable: unknown method");
    }
}

/* LCOV_EXCL_STOP */

/* ---- copying and deleting ---- */

/* A copy of c (CNode Copy/Mint, a TCB's slot): a frame copy starts
 * unmapped; a page table may be copied only once it is mapped or a root
 * (the copies share that one mapping). */
int vspace_derive(cap_t *c, struct kerr *e)
{
    if (c->type == KEEL_CAP_FRAME) {
        c->aux = 0;
        c->data = 0;
    } else if (c->type == KEEL_CAP_PAGE_TABLE && !c->aux) {
        return kerr_set(e, KEEL_ILLEGAL_OPERATION, 2, KEEL_CAP_PAGE_TABLE, 0, 0,
                        "CNode: an unmapped page table cannot be copied (map it first)");
    }
    return KEEL_OK;
}

/* The cap in c is being deleted (final: it was the last cap to its
 * object).  A frame cap takes its own mapping with it; the last cap to a
 * table unlinks it, or frees its ASID if it is a root; the last cap to a
 * pool takes every ASID of it away from its roots (they are left with no
 * user mappings, as dead roots, and their threads fault). */
void vspace_cap_deleted(const cap_t *c, bool final)
{
    cap_t copy = *c;
    if (c->type == KEEL_CAP_FRAME && c->aux) {
        frame_unmap(&copy);
    } else if (c->type == KEEL_CAP_PAGE_TABLE && final && c->aux) {
        if (!(c->flags & CAP_F_PT_ROOT)) {
            table_unmap(&copy);
        } else if (vspace_asid_root(c->aux) == c->obj) {
            ks.asid_pool[c->aux / KEEL_ASID_POOL_ENTRIES][c->aux % KEEL_ASID_POOL_ENTRIES] = 0;
            arch_vspace_forget(c->obj);
        } else {
            arch_vspace_forget(c->obj); /* (its pool went first) */
        }
    } else if (c->type == KEEL_CAP_ASID_POOL && final) {
        word_t *pool = (word_t *)c->obj;
        ks.asid_pool[c->data] = 0;
        for (word_t i = 0; i < KEEL_ASID_POOL_ENTRIES; i++)
            if (pool[i])
                arch_vspace_forget(pool[i]);
    }
}
