/*
 * keel/objects.h - kernel object types, capability types and object sizes.
 *
 * Object types name what Untyped_Retype can create.  Capability types name
 * what a slot can hold (every object type, plus the kernel's singleton
 * control caps).  Sizes are log2 bytes and differ by word size; fixed-size
 * objects ignore the size_bits argument of Retype, variable-size ones
 * (Untyped, CNode, SchedContext, Frame) take it as documented in docs/abi.md.
 */
#ifndef KEEL_OBJECTS_H
#define KEEL_OBJECTS_H

#include <keel/types.h>

/* Object types accepted by Untyped_Retype. */
enum keel_object_type {
    KEEL_OBJ_UNTYPED = 0,
    KEEL_OBJ_TCB = 1,
    KEEL_OBJ_ENDPOINT = 2,
    KEEL_OBJ_NOTIFICATION = 3,
    KEEL_OBJ_CNODE = 4,
    KEEL_OBJ_SCHED_CONTEXT = 5,
    KEEL_OBJ_REPLY = 6,
    KEEL_OBJ_FRAME = 7,
    KEEL_OBJ_PAGE_TABLE = 8,    /* ports with page tables only (bootinfo map_end != 0) */
    KEEL_OBJ_TYPE_COUNT = 9
};

/* Capability types, as reported by the DebugCapIdentify syscall. */
enum keel_cap_type {
    KEEL_CAP_NULL = 0,
    KEEL_CAP_UNTYPED = 1,
    KEEL_CAP_TCB = 2,
    KEEL_CAP_ENDPOINT = 3,
    KEEL_CAP_NOTIFICATION = 4,
    KEEL_CAP_CNODE = 5,
    KEEL_CAP_SCHED_CONTEXT = 6,
    KEEL_CAP_REPLY = 7,
    KEEL_CAP_FRAME = 8,
    KEEL_CAP_SCHED_CONTROL = 9,
    KEEL_CAP_IRQ_CONTROL = 10,
    KEEL_CAP_IRQ_HANDLER = 11,
    KEEL_CAP_ZOMBIE = 12,   /* a container object being deleted */
    KEEL_CAP_PAGE_TABLE = 13,
    KEEL_CAP_ASID_CONTROL = 14, /* makes ASID pools (boot only) */
    KEEL_CAP_ASID_POOL = 15,    /* 512 ASIDs: gives them to VSpace roots */
    KEEL_CAP_TYPE_COUNT = 16
};

#if UINTPTR_MAX > 0xffffffffu
#define KEEL_SLOT_BITS 6            /* one CNode slot: a capability + its MDB node */
#define KEEL_TCB_BITS 11
#define KEEL_ENDPOINT_BITS 5
#define KEEL_NOTIFICATION_BITS 6
#define KEEL_REPLY_BITS 5
#define KEEL_SCHED_CONTEXT_MIN_BITS 8
#define KEEL_UNTYPED_MAX_BITS 38
#else
#define KEEL_SLOT_BITS 5
#define KEEL_TCB_BITS 10
#define KEEL_ENDPOINT_BITS 4
#define KEEL_NOTIFICATION_BITS 5
#define KEEL_REPLY_BITS 4
#define KEEL_SCHED_CONTEXT_MIN_BITS 7
#define KEEL_UNTYPED_MAX_BITS 29
#endif

#define KEEL_UNTYPED_MIN_BITS 4
#define KEEL_SCHED_CONTEXT_MAX_BITS 16
#define KEEL_CNODE_MIN_RADIX 1
#define KEEL_CNODE_MAX_RADIX 24
#define KEEL_PAGE_BITS 12           /* the smallest Frame on every arch */
#define KEEL_ASID_POOL_BITS 12      /* an ASID pool: the untyped ASIDControl_MakePool takes */
#define KEEL_ASID_POOL_ENTRIES 512u /* ASIDs per pool (pool n: n*512 .. n*512+511) */
#define KEEL_RETYPE_MAX_OBJECTS 256 /* Untyped_Retype fan-out limit */
#define KEEL_NUM_PRIORITIES 256     /* thread priorities 0 (lowest) .. 255 */

/* Scheduling contexts (MCS).  A SchedContext of 2^bits bytes holds a
 * header and (2^bits - KEEL_SC_HEADER_BYTES) / KEEL_SC_REFILL_BYTES refills;
 * SchedControl_Configure uses KEEL_SC_MIN_REFILLS + extra_refills of them.
 * Budgets and periods are in microseconds. */
#define KEEL_SC_HEADER_BYTES (24u * sizeof(keel_word_t)) /* 192 B on 64-bit, 96 B on 32-bit */
#define KEEL_SC_REFILL_BYTES 16u
#define KEEL_SC_MIN_REFILLS 2u
#define KEEL_SC_MIN_BUDGET_US 20u           /* about 2 x the kernel's worst case, as seL4 */
#define KEEL_SC_MAX_PERIOD_US 3600000000u   /* one hour: fits a 32-bit word */
#define KEEL_SC_FLAG_SPORADIC 0x1u          /* strict sporadic server (else constant bandwidth) */
static inline keel_word_t keel_sc_refills(keel_word_t size_bits)
{
    return (((keel_word_t)1 << size_bits) - KEEL_SC_HEADER_BYTES) / KEEL_SC_REFILL_BYTES;
}

/* Capability rights (seL4's four bits). */
#define KEEL_RIGHT_READ 0x1u        /* endpoint: receive; notification: wait; frame: read */
#define KEEL_RIGHT_WRITE 0x2u       /* endpoint: send; notification: signal; frame: write */
#define KEEL_RIGHT_GRANT 0x4u       /* endpoint: send any capability */
#define KEEL_RIGHT_GRANT_REPLY 0x8u /* endpoint: send reply capabilities only */
#define KEEL_RIGHTS_ALL 0xfu

/* Frame_Map attributes. */
#define KEEL_MAP_EXECUTE_NEVER 0x1u /* no instruction fetch from the page */
#define KEEL_MAP_ATTRS_ALL 0x1u

/*
 * CNode guard data for Mint/Mutate/Rotate on a CNode capability: the guard
 * size in the low 6 bits, the guard value above it.
 */
#define KEEL_GUARD_SIZE_BITS 6
static inline keel_word_t keel_cnode_guard(keel_word_t guard, keel_word_t guard_size)
{
    return (guard << KEEL_GUARD_SIZE_BITS) | (guard_size & 0x3fu);
}

#endif /* KEEL_OBJECTS_H */
