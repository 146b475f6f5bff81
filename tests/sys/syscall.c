/*
 * tests/sys/syscall.c - the invocation path itself: message length, extra
 * capabilities, unknown methods, Send versus Call, the debug calls.
 */
#include "systest.h"

static void truncated_messages(struct systest_env *env)
{
    keel_word_t w[6] = {KEEL_OBJ_ENDPOINT, 0, 0, 0, slot(env), 1};
    keel_cptr_t root = ROOT;
    EXPECT_ERR(keel_invoke(env->ut, KEEL_UNTYPED_RETYPE, 5, w, 1, &root),
               KEEL_TRUNCATED_MESSAGE);
    EXPECT_EQ(keel_last_error().v1, 6); /* words needed */
    EXPECT_EQ(keel_last_error().v2, 5); /* words given */
    EXPECT_ERR(keel_invoke(env->ut, KEEL_UNTYPED_RETYPE, 6, w, 0, 0), KEEL_TRUNCATED_MESSAGE);
    EXPECT_EQ(keel_last_error().v1, 1); /* caps needed */
    EXPECT_OK(keel_invoke(env->ut, KEEL_UNTYPED_RETYPE, 6, w, 1, &root));
    /* A length beyond the 120 message registers. */
    keel_word_t mr[4] = {0};
    keel_msginfo_t info = keel_call(ROOT, keel_msginfo(KEEL_CNODE_DELETE, 0, 0, 127), mr);
    EXPECT_EQ(keel_msginfo_label(info), KEEL_RANGE_ERROR);
    EXPECT_EQ(mr[2], KEEL_MSG_MAX_LENGTH); /* the longest message allowed */
}

static void unknown_methods(struct systest_env *env)
{
    keel_word_t w[2] = {0, WB};
    EXPECT_ERR(keel_invoke(ROOT, 999, 2, w, 0, 0), KEEL_ILLEGAL_OPERATION);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_SERVICE);
    EXPECT_ERR(keel_invoke(env->ut, KEEL_CNODE_DELETE, 2, w, 0, 0), KEEL_ILLEGAL_OPERATION);
    EXPECT_ERR(keel_invoke(ROOT, KEEL_UNTYPED_RETYPE, 2, w, 0, 0), KEEL_ILLEGAL_OPERATION);
    /* Control caps have no methods yet. */
    EXPECT_ERR(keel_invoke(KEEL_SLOT_IRQ_CONTROL, 1, 0, 0, 0, 0), KEEL_ILLEGAL_OPERATION);
    EXPECT_EQ(keel_last_error().v1, KEEL_CAP_IRQ_CONTROL);
}

static void extra_cap_lookup(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t empty = slot(env);
    /* The source root given as an empty slot: the failure names extra cap 0. */
    EXPECT_ERR(keel_cnode_copy(ROOT, slot(env), WB, empty, ep, WB, KEEL_RIGHTS_ALL),
               KEEL_FAILED_LOOKUP);
    EXPECT_EQ(keel_last_error().arg, KEEL_ARG_CAP(0));
    EXPECT_EQ(keel_last_error().v1, KEEL_LOOKUP_MISSING_CAP);
}

static void send_performs_invocation(struct systest_env *env)
{
    keel_cptr_t ep = object(env, KEEL_OBJ_ENDPOINT, 0);
    keel_word_t d = slot(env), d2 = slot(env);
    struct keel_ipc_buffer *b = keel_ipc_buffer();
    keel_word_t mr[4] = {d, WB, ep, WB};
    b->msg[4] = KEEL_RIGHTS_ALL;
    b->caps_or_badges[0] = ROOT;
    keel_send(ROOT, keel_msginfo(KEEL_CNODE_COPY, 0, 1, 5), mr);
    EXPECT_EQ(cap_type(d), KEEL_CAP_ENDPOINT);
    keel_word_t mr2[4] = {d2, WB, ep, WB};
    keel_nbsend(ROOT, keel_msginfo(KEEL_CNODE_COPY, 0, 1, 5), mr2);
    EXPECT_EQ(cap_type(d2), KEEL_CAP_ENDPOINT);
}

static void debug_calls(struct systest_env *env)
{
    keel_word_t snap[4], snap2[4];
    EXPECT_EQ(cap_type(~(keel_word_t)0), KEEL_CAP_NULL);
    EXPECT_EQ(cap_type(slot(env)), KEEL_CAP_NULL);
    keel_debug_snapshot(snap);
    keel_yield();
    keel_debug_snapshot(snap2);
    EXPECT(snap2[KEEL_DBG_KERNEL_ENTRIES] >= snap[KEEL_DBG_KERNEL_ENTRIES] + 2);
    EXPECT(snap2[KEEL_DBG_TIME_NS] > snap[KEEL_DBG_TIME_NS]);
}

const struct systest syscall_tests[] = {
    {"truncated_messages", "too few words or caps is TruncatedMessage; too long is a RangeError", truncated_messages},
    {"unknown_methods", "a label the object does not know is IllegalOperation", unknown_methods},
    {"extra_cap_lookup", "a bad extra cap fails lookup naming that cap", extra_cap_lookup},
    {"send_performs_invocation", "Send and NBSend invoke objects like Call", send_performs_invocation},
    {"debug_calls", "identify, snapshot and yield answer sensibly", debug_calls},
    {0, 0, 0},
};
