/*
 * tests/sys/systest.h - the user-level system test framework.  Tests run
 * as the root task, through libkeel only, so the same sources run on the
 * sim and on every hardware port.
 *
 * Each test gets a sandbox: an untyped region of its own (env->ut, also
 * behind env->alloc) and a range of free root-CNode slots.  After the test
 * the runner revokes the sandbox, deletes everything left in the slot
 * range and checks that the kernel holds exactly as many capabilities as
 * before: a test that leaks capabilities fails.
 */
#ifndef KEEL_SYSTEST_H
#define KEEL_SYSTEST_H

#include <libkeel.h>

#define ROOT KEEL_SLOT_INIT_CNODE
#define WB KEEL_WORD_BITS

struct systest_env {
    const struct keel_bootinfo *bi;
    keel_cptr_t ut;              /* the sandbox untyped */
    unsigned ut_bits;
    struct keel_alloc alloc;     /* objects from the sandbox, slots from the range */
    unsigned failures;
};

struct systest {
    const char *name;
    const char *rule;            /* the rule the test checks, in one line */
    void (*fn)(struct systest_env *env);
};

bool systest_expect(struct systest_env *env, bool ok, const char *what, const char *file,
                    int line);
bool systest_expect_err(struct systest_env *env, keel_error_t got, keel_error_t want,
                        const char *what, const char *file, int line);
bool systest_expect_eq(struct systest_env *env, keel_word_t got, keel_word_t want,
                       const char *what, const char *file, int line);

#define EXPECT(c) systest_expect(env, (c), #c, __FILE__, __LINE__)
#define EXPECT_OK(e) systest_expect_err(env, (e), KEEL_OK, #e, __FILE__, __LINE__)
#define EXPECT_ERR(e, code) systest_expect_err(env, (e), (code), #e, __FILE__, __LINE__)
#define EXPECT_EQ(a, b) systest_expect_eq(env, (keel_word_t)(a), (keel_word_t)(b), #a " == " #b, \
                                          __FILE__, __LINE__)

/* Helpers: a fresh slot of the test's range, an object in a fresh slot,
 * the type of a slot's cap, the kernel's live capability count. */
keel_word_t slot(struct systest_env *env);
keel_cptr_t object(struct systest_env *env, keel_word_t type, keel_word_t size_bits);
int cap_type(keel_cptr_t slot);
keel_word_t live_caps(void);

/* The test tables, one per file. */
extern const struct systest untyped_tests[], cnode_tests[], cspace_tests[], mdb_tests[],
    syscall_tests[];

#endif
