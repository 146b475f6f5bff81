/*
 * keel/bootinfo.h - what the kernel tells the root task at boot.
 *
 * The root task starts with one argument: the address of a struct
 * keel_bootinfo in its own memory.  Its CNode (the CSpace root) holds the
 * fixed capabilities below, then one untyped capability per free memory
 * region, then empty slots.  The CNode's guard is set so that a slot index
 * is also a valid cptr at depth KEEL_WORD_BITS.
 */
#ifndef KEEL_BOOTINFO_H
#define KEEL_BOOTINFO_H

#include <keel/types.h>

/* Fixed slots of the root task's CNode. */
enum keel_boot_slot {
    KEEL_SLOT_NULL = 0,
    KEEL_SLOT_INIT_TCB = 1,       /* the root task's own TCB */
    KEEL_SLOT_INIT_CNODE = 2,     /* its CSpace root (this CNode) */
    KEEL_SLOT_INIT_VSPACE = 3,    /* its address space root (a PageTable with ASID 1),
                                   * on ports with page tables; empty on sim */
    KEEL_SLOT_IRQ_CONTROL = 4,
    KEEL_SLOT_SCHED_CONTROL = 5,  /* for CPU 0 */
    KEEL_SLOT_INIT_IPC_BUFFER = 6,/* the frame holding its IPC buffer */
    KEEL_SLOT_BOOTINFO_FRAME = 7, /* the frame holding this structure */
    KEEL_SLOT_INIT_SC = 8,        /* its scheduling context (budget = period = 1 ms) */
    KEEL_SLOT_ASID_CONTROL = 9,   /* ports with page tables: makes ASID pools */
    KEEL_SLOT_INIT_ASID_POOL = 10,/* ... and the first pool, whose ASID 1 is the root task's */
    KEEL_SLOT_FIRST_UNTYPED = 11
};

#define KEEL_BOOTINFO_MAGIC 0x6b65656c626f6f74ull /* "keelboot" */
#define KEEL_BOOTINFO_VERSION 3
#define KEEL_BOOTINFO_MAX_UNTYPED 96

struct keel_slot_range {
    keel_word_t start; /* first slot */
    keel_word_t end;   /* one past the last slot */
};

struct keel_untyped_desc {
    keel_word_t paddr;     /* physical address of the region */
    uint8_t size_bits;     /* log2 of its size */
    uint8_t is_device;     /* 1: device memory, only Frames or Untyped */
    uint8_t pad[sizeof(keel_word_t) - 2];
};

struct keel_bootinfo {
    uint64_t magic;
    keel_word_t version;
    keel_word_t root_cnode_radix;       /* the root CNode has 2^radix slots */
    struct keel_slot_range empty;       /* free slots of the root CNode */
    struct keel_slot_range untyped;     /* slots holding untyped caps, in list order */
    keel_word_t ipc_buffer;             /* address of the root task's IPC buffer */
    keel_word_t frame_size_mask;        /* bit n set: Frames of 2^n bytes exist */
    /* Ports with page tables (else all 0): the frames of the root task's
     * image (code, data and its first stack), one 4 KiB frame cap per page
     * in order, mapped from image_vaddr on; and the user addresses
     * [map_start, map_end) where nothing is mapped yet. */
    struct keel_slot_range image_frames;
    keel_word_t image_vaddr;
    keel_word_t map_start, map_end;
    keel_word_t untyped_count;
    struct keel_untyped_desc untyped_list[KEEL_BOOTINFO_MAX_UNTYPED];
};

#endif /* KEEL_BOOTINFO_H */
