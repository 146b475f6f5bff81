/*
 * tests/tools/json-check.c - checks a Chrome trace-event file as written
 * by `ktrace chrome`, for tests/tools/test-ktrace: `json-check FILE`.
 *
 * The file must be valid JSON: an object whose "traceEvents" is an array
 * of objects, each with a string "ph" and "name", a "pid" and a "tid", and
 * a numeric "ts" unless it is metadata ("ph":"M"); complete events ("X")
 * need a non-negative numeric "dur"; flow events ("s", "f") need an "id",
 * and every id that starts a flow must end one and the other way round.
 * It prints one line: the first problem (exit 1), or "ok" with the number
 * of events of each phase (exit 0).  Built on jansson, like ktrace.
 */
#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *path;

static void problem(size_t index, const char *what)
{
    printf("json-check: %s: event %zu: %s\n", path, index, what);
    exit(1);
}

/* A key naming a flow id: its JSON text, so 1 and "1" differ. */
static char *id_key(json_t *id)
{
    char *k = json_dumps(id, JSON_ENCODE_ANY | JSON_COMPACT);
    if (!k) {
        printf("json-check: out of memory\n");
        exit(1);
    }
    return k;
}

/* Every key of `from` is a key of `to`; else report it. */
static void all_in(json_t *from, json_t *to, const char *what)
{
    const char *key;
    json_t *value;
    json_object_foreach(from, key, value) {
        if (!json_object_get(to, key)) {
            printf("json-check: %s: flow id %s %s\n", path, key, what);
            exit(1);
        }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    json_error_t err;

    if (argc != 2) {
        fprintf(stderr, "usage: json-check FILE\n");
        return 2;
    }
    path = argv[1];
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        printf("json-check: %s:%d:%d: not valid JSON: %s\n", path, err.line, err.column, err.text);
        return 1;
    }
    json_t *events = json_object_get(root, "traceEvents");
    if (!json_is_object(root) || !json_is_array(events)) {
        printf("json-check: %s: no \"traceEvents\" array\n", path);
        return 1;
    }

    json_t *counts = json_object(), *starts = json_object(), *ends = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) {
        if (!json_is_object(e))
            problem(i, "not an object");
        json_t *ph = json_object_get(e, "ph");
        if (!json_is_string(ph) || json_string_length(ph) == 0)
            problem(i, "no \"ph\" string");
        const char *p = json_string_value(ph);
        if (!json_is_string(json_object_get(e, "name")))
            problem(i, "no \"name\" string");
        if (!json_object_get(e, "pid"))
            problem(i, "no \"pid\"");
        if (!json_object_get(e, "tid"))
            problem(i, "no \"tid\"");
        if (strcmp(p, "M") != 0 && !json_is_number(json_object_get(e, "ts")))
            problem(i, "no numeric \"ts\"");
        if (strcmp(p, "X") == 0) {
            json_t *dur = json_object_get(e, "dur");
            if (!json_is_number(dur))
                problem(i, "an \"X\" event without a numeric \"dur\"");
            if (json_number_value(dur) < 0)
                problem(i, "an \"X\" event with a negative \"dur\"");
        }
        if (strcmp(p, "s") == 0 || strcmp(p, "f") == 0) {
            json_t *id = json_object_get(e, "id");
            if (!id)
                problem(i, "a flow event without an \"id\"");
            char *k = id_key(id);
            json_object_set_new(p[0] == 's' ? starts : ends, k, json_true());
            free(k);
        }
        json_t *n = json_object_get(counts, p);
        json_object_set_new(counts, p, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
    all_in(starts, ends, "starts (\"s\") but never ends (\"f\")");
    all_in(ends, starts, "ends (\"f\") but never starts (\"s\")");

    /* ok, N events (C 6, M 5, ...), phases in byte order */
    size_t nph = json_object_size(counts), k = 0;
    const char **phases = malloc((nph ? nph : 1) * sizeof *phases);
    const char *key;
    json_t *value;
    json_object_foreach(counts, key, value)
        phases[k++] = key;
    qsort(phases, nph, sizeof *phases, cmp_str);
    printf("json-check: %s: ok, %zu events", path, json_array_size(events));
    for (k = 0; k < nph; k++)
        printf("%s%s %lld", k ? ", " : " (", phases[k],
               (long long)json_integer_value(json_object_get(counts, phases[k])));
    printf("%s\n", nph ? ")" : "");

    free(phases);
    json_decref(counts);
    json_decref(starts);
    json_decref(ends);
    json_decref(root);
    return 0;
}
