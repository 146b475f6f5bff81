/*
 * arch/common/memfuncs.c - memset and memcpy for freestanding builds: the
 * compiler may emit calls to them for structure copies and clears even
 * where no libc exists.  Linked into every freestanding kernel image
 * (arch/template, arch/riscv64) and into the riscv64 user programs; the
 * sim links the host's.  Byte loops: the kernel's own bulk clearing is
 * kmemset (kernel/klib.c), which stores words.  "used": with -flto the
 * calls appear only after the link-time optimiser ran, so nothing else
 * would keep these.
 */
void *memset(void *p, int c, unsigned long n) __attribute__((used));
void *memcpy(void *d, const void *s, unsigned long n) __attribute__((used));

void *memset(void *p, int c, unsigned long n)
{
    unsigned char *b = p;
    while (n--)
        *b++ = (unsigned char)c;
    return p;
}

void *memcpy(void *d, const void *s, unsigned long n)
{
    unsigned char *db = d;
    const unsigned char *sb = s;
    while (n--)
        *db++ = *sb++;
    return d;
}
