/*
 * sim/systems.h - the systems keel-sim can run: root task programs
 * (struct keel_root_task, see libkeel.h) linked into keel-sim.  To add
 * one, define it with KEEL_ROOT_TASK in its program and list it in
 * systems.c.
 */
#ifndef KEEL_SIM_SYSTEMS_H
#define KEEL_SIM_SYSTEMS_H

#include <libkeel.h>

extern const struct keel_root_task *const keel_systems[];

#endif /* KEEL_SIM_SYSTEMS_H */
