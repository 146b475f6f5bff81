/*
 * keel/msginfo.h - the message info word carried with every syscall.
 *
 * Layout (low bits first), as in seL4:
 *   length          7 bits   number of message registers used (the field holds
 *                            0..127; the kernel accepts up to KEEL_MSG_MAX_LENGTH)
 *   extra_caps      2 bits   capabilities sent through the IPC buffer (0..3)
 *   caps_unwrapped  3 bits   which received caps arrived as badges only
 *   label           the rest 52 bits on 64-bit, 20 on 32-bit: a method
 *                            label on the way in, an error code on the way
 *                            back from a failed invocation
 */
#ifndef KEEL_MSGINFO_H
#define KEEL_MSGINFO_H

#include <keel/types.h>

#define KEEL_MSGINFO_LENGTH_BITS 7
#define KEEL_MSGINFO_EXTRA_CAPS_BITS 2
#define KEEL_MSGINFO_UNWRAPPED_BITS 3
#define KEEL_MSGINFO_LABEL_SHIFT 12
#define KEEL_MSGINFO_LABEL_BITS (KEEL_WORD_BITS - KEEL_MSGINFO_LABEL_SHIFT)

typedef keel_word_t keel_msginfo_t;

static inline keel_msginfo_t keel_msginfo(keel_word_t label, keel_word_t unwrapped,
                                          keel_word_t extra_caps, keel_word_t length)
{
    return (label << KEEL_MSGINFO_LABEL_SHIFT) | ((unwrapped & 0x7u) << 9) |
           ((extra_caps & 0x3u) << 7) | (length & 0x7fu);
}

static inline keel_word_t keel_msginfo_label(keel_msginfo_t i)
{
    return i >> KEEL_MSGINFO_LABEL_SHIFT;
}

static inline keel_word_t keel_msginfo_unwrapped(keel_msginfo_t i)
{
    return (i >> 9) & 0x7u;
}

static inline keel_word_t keel_msginfo_extra_caps(keel_msginfo_t i)
{
    return (i >> 7) & 0x3u;
}

static inline keel_word_t keel_msginfo_length(keel_msginfo_t i)
{
    return i & 0x7fu;
}

#endif /* KEEL_MSGINFO_H */
