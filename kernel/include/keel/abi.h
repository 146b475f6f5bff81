/*
 * keel/abi.h - the whole user/kernel ABI in one include.
 */
#ifndef KEEL_ABI_H
#define KEEL_ABI_H

#include <keel/types.h>
#include <keel/objects.h>
#include <keel/syscall.h>
#include <keel/invocation.h>
#include <keel/errors.h>
#include <keel/fault.h>
#include <keel/msginfo.h>
#include <keel/ipcbuf.h>
#include <keel/bootinfo.h>

#endif /* KEEL_ABI_H */
