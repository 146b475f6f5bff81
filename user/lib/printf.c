/*
 * user/lib/printf.c - keel_printf and keel_snprintf for programs without a
 * libc.  Supports %d %i %u %x %X %p %s %c %% with the flags '-' and '0', a
 * field width, and the length modifiers l, ll and z.  keel_printf writes
 * through the DebugPutChar syscall.
 */
#include <libkeel.h>
#include <stdarg.h>

struct out {
    char *buf;          /* 0: the debug console */
    unsigned long size, len;
};

static void emit(struct out *o, char c)
{
    if (!o->buf)
        keel_debug_putchar(c);
    else if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void emit_num(struct out *o, unsigned long long v, unsigned base, bool upper, bool neg,
                     int width, char pad, bool left)
{
    char tmp[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int total = n + neg;
    if (neg && pad == '0')
        emit(o, '-');
    for (; !left && total < width; width--)
        emit(o, pad);
    if (neg && pad != '0')
        emit(o, '-');
    while (n)
        emit(o, tmp[--n]);
    for (; left && total < width; width--)
        emit(o, ' ');
}

static unsigned long format(struct out *o, const char *f, va_list ap)
{
    for (; *f; f++) {
        if (*f != '%') {
            emit(o, *f);
            continue;
        }
        bool left = false;
        char pad = ' ';
        int width = 0, lng = 0;
        for (f++; *f == '-' || *f == '0'; f++)
            *f == '-' ? (left = true) : (pad = '0');
        for (; *f >= '0' && *f <= '9'; f++)
            width = width * 10 + (*f - '0');
        for (; *f == 'l' || *f == 'z'; f++)
            lng++;
        switch (*f) {
        case 'd':
        case 'i': {
            long long v = lng >= 2 ? va_arg(ap, long long) : lng ? va_arg(ap, long) : va_arg(ap, int);
            emit_num(o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, 10, false,
                     v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = lng >= 2 ? va_arg(ap, unsigned long long)
                                   : lng    ? va_arg(ap, unsigned long)
                                            : va_arg(ap, unsigned);
            emit_num(o, v, *f == 'u' ? 10 : 16, *f == 'X', false, width, pad, left);
            break;
        }
        case 'p':
            emit(o, '0');
            emit(o, 'x');
            emit_num(o, (unsigned long long)(keel_word_t)va_arg(ap, void *), 16, false, false,
                     0, ' ', false);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            int n = 0;
            if (!s)
                s = "(null)";
            while (s[n])
                n++;
            for (; !left && n < width; width--)
                emit(o, ' ');
            while (*s)
                emit(o, *s++);
            for (; left && n < width; width--)
                emit(o, ' ');
            break;
        }
        case 'c':
            emit(o, (char)va_arg(ap, int));
            break;
        case '%':
            emit(o, '%');
            break;
        default:
            if (!*f)
                return o->len;
            emit(o, '%');
            emit(o, *f);
        }
    }
    return o->len;
}

int keel_printf(const char *fmt, ...)
{
    struct out o = {0, 0, 0};
    va_list ap;
    va_start(ap, fmt);
    unsigned long n = format(&o, fmt, ap);
    va_end(ap);
    return (int)n;
}

int keel_snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
    struct out o = {buf, size, 0};
    va_list ap;
    va_start(ap, fmt);
    unsigned long n = format(&o, fmt, ap);
    va_end(ap);
    if (size)
        buf[n < size ? n : size - 1] = 0;
    return (int)n;
}
