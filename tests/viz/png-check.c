/*
 * tests/viz/png-check.c - reads a PNG (SDL2_image) and answers questions
 * about its pixels for tests/viz/test-viz, one query a line on stdin, one
 * answer a line on stdout:
 *
 *   size                          "W H"
 *   pixel X Y                     "R G B"
 *   count X0 Y0 X1 Y1 R G B       pixels of exactly that colour in the
 *                                 rectangle (corners included, clipped)
 *   dark X0 Y0 X1 Y1              pixels darker than mid-grey (text, lines)
 *   colours X0 Y0 X1 Y1           distinct colours
 *
 *   png-check FILE < QUERIES
 * A file that cannot be read: one line on stderr, exit 1; a bad query: exit 2.
 */
#include <SDL.h>
#include <SDL_image.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static SDL_Surface *img;

static Uint32 at(int x, int y)
{
    return ((const Uint32 *)((const Uint8 *)img->pixels + (size_t)y * img->pitch))[x];
}

static void clip(int *x0, int *y0, int *x1, int *y1)
{
    *x0 = *x0 < 0 ? 0 : *x0;
    *y0 = *y0 < 0 ? 0 : *y0;
    *x1 = *x1 >= img->w ? img->w - 1 : *x1;
    *y1 = *y1 >= img->h ? img->h - 1 : *y1;
}

static int cmp_u32(const void *a, const void *b)
{
    Uint32 x = *(const Uint32 *)a, y = *(const Uint32 *)b;
    return x < y ? -1 : x > y;
}

/* One query; 0, or -1 if it is not one. */
static int query(const char *line)
{
    int x0, y0, x1, y1, r, g, b;
    char word[16];
    if (sscanf(line, "%15s", word) != 1)
        return -1;
    if (!strcmp(word, "size")) {
        printf("%d %d\n", img->w, img->h);
    } else if (!strcmp(word, "pixel") && sscanf(line, "%*s %d %d", &x0, &y0) == 2) {
        if (x0 < 0 || y0 < 0 || x0 >= img->w || y0 >= img->h)
            return -1;
        Uint32 p = at(x0, y0);
        printf("%u %u %u\n", (unsigned)(p >> 16 & 255), (unsigned)(p >> 8 & 255),
               (unsigned)(p & 255));
    } else if (!strcmp(word, "count") &&
               sscanf(line, "%*s %d %d %d %d %d %d %d", &x0, &y0, &x1, &y1, &r, &g, &b) == 7) {
        Uint32 want = (Uint32)r << 16 | (Uint32)g << 8 | (Uint32)b;
        long n = 0;
        clip(&x0, &y0, &x1, &y1);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                n += (at(x, y) & 0xffffff) == want;
        printf("%ld\n", n);
    } else if (!strcmp(word, "dark") && sscanf(line, "%*s %d %d %d %d", &x0, &y0, &x1, &y1) == 4) {
        long n = 0;
        clip(&x0, &y0, &x1, &y1);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                Uint32 p = at(x, y);
                n += (p >> 16 & 255) + (p >> 8 & 255) + (p & 255) < 3 * 110;
            }
        printf("%ld\n", n);
    } else if (!strcmp(word, "colours") &&
               sscanf(line, "%*s %d %d %d %d", &x0, &y0, &x1, &y1) == 4) {
        clip(&x0, &y0, &x1, &y1);
        size_t n = 0, distinct = 0;
        Uint32 *v = malloc(((size_t)img->w * img->h + 1) * sizeof *v);
        if (!v)
            return -1;
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
                v[n++] = at(x, y) & 0xffffff;
        qsort(v, n, sizeof *v, cmp_u32);
        for (size_t i = 0; i < n; i++)
            distinct += i == 0 || v[i] != v[i - 1];
        free(v);
        printf("%zu\n", distinct);
    } else {
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char line[256];
    if (argc != 2) {
        fprintf(stderr, "usage: png-check FILE < QUERIES\n");
        return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    if (!raw) {
        fprintf(stderr, "png-check: %s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!img) {
        fprintf(stderr, "png-check: %s: %s\n", argv[1], SDL_GetError());
        return 1;
    }
    while (fgets(line, sizeof line, stdin)) {
        if (query(line) != 0) {
            fprintf(stderr, "png-check: bad query: %s", line);
            return 2;
        }
    }
    SDL_FreeSurface(img);
    return 0;
}
