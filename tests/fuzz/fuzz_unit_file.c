/* fuzz_unit_file.c - the unit file reader, with drop-ins and specifiers.
 *
 * Input: the first line is a unit name as a client gives it to `pxinit
 * start` (an instance "app@inst" is the interesting case: %i, %I, %j, %f
 * expand it); the rest is the unit file, then its drop-ins, separated by
 * lines "--". They are read in memory (fmemopen) through the parser's public
 * entry points in the order unit_load.c's load_one() uses: the file, every
 * drop-in (a drop-in's error does not stop the next), then unit_finalize().
 * Property: reading the same files twice gives equal units (daemon-reload
 * compares units with unit_equal() to decide what changed).
 */
#include "fuzz.h"

#include <stdio.h>

#include "wire/status_line.h"
#include "unit/unit.h"
#include "unit/unit_parse.h"

#define PART_DELIM "\n--\n"
#define MAX_PARTS 8

static void ignore_diag(void *ctx, enum diag_level level, const char *message)
{
    (void)ctx;
    (void)level;
    FUZZ_ASSERT(message && strlen(message) < 1u << 20);
}

struct part {
    const char *text;
    size_t len;
};

static struct unit *load(const char *name, struct unit_dir *dir, const struct part *parts,
                         size_t nparts)
{
    struct unit *u = unit_new(name);
    if (!u)
        return NULL;
    unit_set_dir(u, dir);
    struct diag_sink sink = {.emit = ignore_diag};
    int r = -1;
    for (size_t i = 0; i < nparts; i++) {
        char path[64];
        if (i == 0)
            snprintf(path, sizeof(path), "/etc/pxinit/units/fuzz.service");
        else
            snprintf(path, sizeof(path), "/etc/pxinit/units/fuzz.service.d/%zu.conf", i);
        /* fmemopen() wants a buffer even for an empty file. */
        FILE *f = fmemopen((void *)(parts[i].len ? parts[i].text : "\n"),
                           parts[i].len ? parts[i].len : 1, "r");
        if (!f)
            continue;
        int ri = unit_parse_stream(u, f, path, &sink);
        fclose(f);
        if (i == 0)
            r = ri;
    }
    if (r == 0 && u->loaded)
        r = unit_finalize(u, &sink);
    if (r < 0 || !u->loaded) {
        unit_free(u);
        return NULL;
    }
    return u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct unit_dir *dir;
    if (!dir && !(dir = unit_dir_new("/etc/pxinit/units")))
        return 0;
    /* The files keep any NUL bytes (the reader ends a line at one); the
     * name is a C string as a request word is. */
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    char *end = s + size;

    /* The name line, checked and completed as control_verbs.c does. */
    char *body = memchr(s, '\n', size);
    if (body)
        *body++ = '\0';
    else
        body = end;
    char *name = NULL;
    if (proto_unit_name_ok(s))
        name = strchr(s, '.') ? strdup(s) : unit_name_normalize(s);
    else
        name = strdup("app@fuzz-inst.service");

    struct part parts[MAX_PARTS];
    size_t nparts = 0;
    for (const char *p = body; nparts < MAX_PARTS;) {
        const char *d = nparts + 1 < MAX_PARTS
                            ? memmem(p, (size_t)(end - p), PART_DELIM, strlen(PART_DELIM))
                            : NULL;
        parts[nparts].text = p;
        parts[nparts].len = d ? (size_t)(d - p) + 1 : (size_t)(end - p); /* keep its newline */
        nparts++;
        if (!d)
            break;
        p = d + strlen(PART_DELIM);
    }

    if (name) {
        struct unit *a = load(name, dir, parts, nparts);
        struct unit *b = a ? load(name, dir, parts, nparts) : NULL;
        if (a && b)
            FUZZ_ASSERT(unit_equal(a, b));
        unit_free(a);
        unit_free(b);
    }
    free(name);
    free(s);
    return 0;
}
