/*
 * kernel/config.h - build-time configuration of the core.  The only place
 * in kernel/ where preprocessor conditionals decide values; code uses
 * `if (CONFIG_X)` so that every configuration is compiled and type-checked.
 */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

#ifdef KEEL_DEBUG
#define CONFIG_DEBUG 1            /* kassert() checks and one-line error reasons */
#else
#define CONFIG_DEBUG 0
#endif

#ifndef KEEL_ROOT_CNODE_RADIX
#define KEEL_ROOT_CNODE_RADIX 12  /* the root task's CNode: 4096 slots */
#endif
#define CONFIG_ROOT_CNODE_RADIX KEEL_ROOT_CNODE_RADIX
#define CONFIG_ROOT_CNODE_MIN_RADIX 4 /* the fixed slots and some untyped must fit */

/* Work units (capabilities deleted, slots visited) between two polls for a
 * pending interrupt in long operations, as seL4's preemption points. */
#ifndef KEEL_PREEMPT_WORK_UNITS
#define KEEL_PREEMPT_WORK_UNITS 100
#endif
#define CONFIG_PREEMPT_WORK_UNITS KEEL_PREEMPT_WORK_UNITS

/* The IPC fastpath (fastpath.c) for Call and ReplyRecv; the slow path is
 * the reference and the system tests pass with either. */
#ifdef KEEL_NO_FASTPATH
#define CONFIG_FASTPATH 0
#else
#define CONFIG_FASTPATH 1
#endif

/* ASID pools at once (ports with page tables): ASIDs 1 .. 512 * this - 1. */
#define CONFIG_NUM_ASID_POOLS 32

/* The root task's scheduling context: round-robin with this budget. */
#define CONFIG_ROOT_BUDGET_NS 1000000ull

/* Kernel trace records (keel/trace.h): compiled in unless KEEL_NO_TRACE;
 * emitted only when boot switches them on (kboot_params.trace). */
#ifdef KEEL_NO_TRACE
#define CONFIG_TRACE 0
#else
#define CONFIG_TRACE 1
#endif

#endif /* KEEL_CONFIG_H */
