/*
 * kernel/klib.c - kmemset and a small printf for the kernel's debug
 * console.  The core links no libc; compilers may still emit calls to
 * memset/memcpy for structure copies, so those are provided by each port's
 * build (the sim links the host's, freestanding ports link these under the
 * standard names, see arch/<port>/).
 *
 * kprintf understands %s %c %d %u %x %p and the l/z length modifiers, which
 * is all the kernel prints with.
 */
#include "kernel.h"
#include <stdarg.h>

/* Word stores for the aligned middle: boot and Retype clear whole
 * objects (a CNode, a frame) through here.  The alias-anything type keeps
 * the word stores honest for objects later read as structures. */
typedef word_t __attribute__((may_alias)) word_alias_t;

void kmemset(void *p, int c, word_t n)
{
    unsigned char *b = p;
    for (; n && ((word_t)b & (sizeof(word_t) - 1)); n--)
        *b++ = (unsigned char)c;
    word_alias_t *w = (word_alias_t *)b;
    word_t pattern = (word_t)(unsigned char)c * (~(word_t)0 / 0xff);
    for (; n >= sizeof(word_t); n -= sizeof(word_t))
        *w++ = pattern;
    for (b = (unsigned char *)w; n; n--)
        *b++ = (unsigned char)c;
}

static void put_str(const char *s)
{
    if (!s)
        s = "(null)";
    while (*s)
        arch_putc(*s++);
}

static void put_num(word_t v, unsigned base, bool neg)
{
    char buf[sizeof(word_t) * 8 + 2];
    int i = 0;
    if (neg)
        v = (word_t)(-(keel_sword_t)v);
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[i++] = '-';
    while (i > 0)
        arch_putc(buf[--i]);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            arch_putc(*fmt);
            continue;
        }
        int longs = 0;
        while (fmt[1] == 'l' || fmt[1] == 'z') {
            longs++;
            fmt++;
        }
        switch (*++fmt) {
        case 's':
            put_str(va_arg(ap, const char *));
            break;
        case 'c':
            arch_putc((char)va_arg(ap, int));
            break;
        case 'd': {
            keel_sword_t v;
            if (longs > 0)
                v = va_arg(ap, long);
            else
                v = va_arg(ap, int);
            put_num((word_t)v, 10, v < 0);
            break;
        }
        case 'u':
        case 'x': {
            word_t v;
            if (longs > 0)
                v = va_arg(ap, unsigned long);
            else
                v = va_arg(ap, unsigned);
            put_num(v, *fmt == 'u' ? 10 : 16, false);
            break;
        }
        case 'p':
            put_str("0x");
            put_num((word_t)va_arg(ap, void *), 16, false);
            break;
        case '%':
            arch_putc('%');
            break;
        default:
            arch_putc('?');
            break;
        }
    }
    va_end(ap);
}

void kpanic_at(const char *file, int line, const char *msg)
{
    kprintf("keel: PANIC %s:%d: %s\n", file, line, msg);
    arch_halt(99);
    __builtin_trap(); /* sim: arch_halt returns; stop here, loudly */
}
