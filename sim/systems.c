/*
 * sim/systems.c - the table of systems built into keel-sim.
 */
#include "systems.h"

extern const struct keel_root_task hello_root_task, systest_root_task, pingpong_root_task,
    passive_server_root_task;

const struct keel_root_task *const keel_systems[] = {
    &hello_root_task,
    &systest_root_task,
    &pingpong_root_task,
    &passive_server_root_task,
    0,
};
