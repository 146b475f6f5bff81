/*
 * fuzz/replay.c - runs fuzz inputs outside the fuzzer: each file given is
 * passed once to the harness's LLVMFuzzerTestOneInput, deterministically
 * (a fresh kernel per input).  With --list, the harness prints the
 * program it decodes, one operation per line with the thread that makes
 * it and the result, so that a crash file reads as a program and can be
 * stepped through in gdb.  Linked with one harness (make builds
 * build/bin/fuzz-<harness>-replay).
 *
 *   fuzz-syscalls-replay [--list | --boot] FILE...   (--boot: --list, after
 *                                                      the boot's untyped)
 *
 * Exit status 0 when every input ran (an invariant violation or a
 * sanitizer report aborts); 2 for bad usage or an unreadable file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int kfuzz_listing;

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *more = realloc(buf, cap *= 2);
            if (!more)
                free(buf);
            buf = more;
        }
    }
    if (ferror(f)) {
        free(buf);
        buf = 0;
    }
    fclose(f);
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    int files = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--list")) {
            kfuzz_listing = 1;
            continue;
        }
        if (!strcmp(argv[i], "--boot")) { /* --list, and what the boot gave first */
            kfuzz_listing = 2;
            continue;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "%s: unknown option '%s' (usage: %s [--list] FILE...)\n", argv[0],
                    argv[i], argv[0]);
            return 2;
        }
        size_t size;
        unsigned char *data = read_file(argv[i], &size);
        if (!data) {
            fprintf(stderr, "%s: cannot read '%s'\n", argv[0], argv[i]);
            return 2;
        }
        if (kfuzz_listing)
            printf("== %s (%zu bytes)\n", argv[i], size);
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        files++;
    }
    if (!files) {
        fprintf(stderr, "usage: %s [--list] FILE...\n", argv[0]);
        return 2;
    }
    if (!kfuzz_listing)
        printf("%s: %d inputs ran, no invariant violated\n", argv[0], files);
    return 0;
}
