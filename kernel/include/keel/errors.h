/*
 * keel/errors.h - error codes and the error detail every failed invocation
 * returns, in release builds as in debug builds.
 *
 * A failed invocation returns a message whose label is the error code and
 * whose four message registers hold the detail:
 *   MR0  the index of the offending argument (message register number, or
 *        KEEL_ARG_CAP(n) for the n-th extra capability, or KEEL_ARG_SERVICE
 *        for the invoked capability itself);
 *   MR1..MR3  code-specific, see the table below and docs/abi.md.
 */
#ifndef KEEL_ERRORS_H
#define KEEL_ERRORS_H

enum keel_error {
    KEEL_OK = 0,
    KEEL_INVALID_ARGUMENT = 1,   /* MR1: the offending value */
    KEEL_INVALID_CAPABILITY = 2, /* MR1: the capability type found */
    KEEL_ILLEGAL_OPERATION = 3,  /* MR1: the type of the capability at fault */
    KEEL_RANGE_ERROR = 4,        /* MR1: min allowed, MR2: max allowed, MR3: the value */
    KEEL_ALIGNMENT_ERROR = 5,    /* MR1: the value, MR2: required alignment (log2) */
    KEEL_FAILED_LOOKUP = 6,      /* MR1: keel_lookup_failure, MR2: bits left, MR3: bits resolved */
    KEEL_TRUNCATED_MESSAGE = 7,  /* MR1: words or caps needed, MR2: words or caps given */
    KEEL_DELETE_FIRST = 8,       /* the destination slot is occupied */
    KEEL_REVOKE_FIRST = 9,       /* the capability has children */
    KEEL_NOT_ENOUGH_MEMORY = 10, /* MR1: bytes available in the untyped */
    KEEL_IPC_ABORTED = 11,       /* the IPC object the thread was blocked on was
                                  * deleted or its sends cancelled; MR1: its cap type */
    KEEL_ERROR_COUNT
};

/* Why a CSpace lookup failed (MR1 of KEEL_FAILED_LOOKUP). */
enum keel_lookup_failure {
    KEEL_LOOKUP_INVALID_ROOT = 1,    /* the root capability is not a CNode */
    KEEL_LOOKUP_MISSING_CAP = 2,     /* the slot reached is empty, or lacks the
                                      * kind of capability required there */
    KEEL_LOOKUP_DEPTH_MISMATCH = 3,  /* a non-CNode reached with bits left, or too few bits */
    KEEL_LOOKUP_GUARD_MISMATCH = 4   /* the cptr does not match a CNode's guard */
};

/* Argument indices for the invoked capability and extra capabilities. */
#define KEEL_ARG_SERVICE 0x100u
#define KEEL_ARG_CAP(n) (0x101u + (n))

#endif /* KEEL_ERRORS_H */
