/* unit_parse.c - reading .service files: the systemd-aware line reader in
 * front of inih, the inih handler, diagnostics and unit_finalize().
 *
 * Debian's libinih is built with inih's defaults, which suit unit files
 * badly: 200-byte lines, " ;" starting an inline comment, indented lines
 * continuing the previous value, no line numbers in the handler, names cut at
 * 49 characters. So inih never sees a real assignment. Our reader (an
 * ini_reader for ini_parse_stream) reads physical lines itself, joins
 * backslash continuations as systemd does (comment lines inside are skipped),
 * strips leading blanks and a BOM, accepts LF, CRLF and CR endings, keeps line
 * numbers, and keeps each key=value in a side table. inih gets section headers
 * as written and, for each assignment, a short synthetic line "k=<index>";
 * the handler looks the real key, value and line number up by that index.
 * This relies on nothing but inih's compiled-in defaults.
 */
#include "unit/unit_parse.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file_read.h"
#include "base/log.h"
#include "base/timespan.h"
#include "unit/unit_keys.h"
#include "unit/unit_wants.h"

#define LINE_MAX_BYTES (1024 * 1024) /* systemd's limit for a (joined) line */
#define SECTION_NAME_MAX 48          /* inih keeps 49 characters; never let it cut */

/* One assignment waiting for inih to hand its index back. */
struct ini_entry {
    char *key;
    char *value;
    unsigned lineno;
};

enum section_state {
    SECTION_NONE,    /* before the first header */
    SECTION_KNOWN,   /* [Unit], [Service], [Install]: keys go to inih */
    SECTION_IGNORED, /* unknown, X-, or invalid: keys are dropped */
};

struct unit_reader {
    struct unit_parse_ctx *ctx;
    FILE *f;
    unsigned lineno; /* physical lines read so far */
    enum section_state section;
    bool stop;  /* a fatal problem (ENOMEM, read error): hand inih EOF */
    char *phys; /* the current physical line */
    size_t phys_len, phys_cap;
    char *logical; /* physical lines joined at trailing backslashes */
    size_t logical_len, logical_cap;
    struct ini_entry *entries;
    size_t nentries, cap_entries;
};

void unit_diag(struct unit_parse_ctx *ctx, enum diag_level level, unsigned lineno, const char *fmt,
               ...)
{
    char msg[4096];
    size_t len;
    int n;
    va_list ap;

    if (lineno)
        n = snprintf(msg, sizeof(msg), "%s:%u: ", ctx->path, lineno);
    else
        n = snprintf(msg, sizeof(msg), "%s: ", ctx->path);
    len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
    va_start(ap, fmt);
    vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
    va_end(ap);

    if (level == DIAG_ERROR) {
        ctx->failed = true;
        ctx->u->loaded = false;
    }
    if (!ctx->sink) {
        log_msg(level == DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING, NULL, "%s", msg);
        return;
    }
    if (level == DIAG_ERROR)
        ctx->sink->errors++;
    else
        ctx->sink->warnings++;
    if (ctx->sink->emit)
        ctx->sink->emit(ctx->sink->ctx, level, msg);
}

static int grow(char **buf, size_t *cap, size_t need)
{
    size_t c = *cap ? *cap : 256;
    char *p;

    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    p = realloc(*buf, c);
    if (!p)
        return -1;
    *buf = p;
    *cap = c;
    return 0;
}

/* Reads one physical line into r->phys without its terminator: LF, CRLF, CR
 * or NUL end a line, as in systemd. Returns 1, 0 at end of file, -1 on error
 * (reported). */
static int reader_read_physical(struct unit_reader *r)
{
    int c;

    r->phys_len = 0;
    c = getc(r->f);
    if (c == EOF) {
        if (ferror(r->f)) {
            unit_diag(r->ctx, DIAG_ERROR, 0, "read error: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    for (; c != EOF && c != '\n' && c != '\r' && c != '\0'; c = getc(r->f)) {
        if (r->phys_len + 2 > LINE_MAX_BYTES) {
            unit_diag(r->ctx, DIAG_ERROR, r->lineno + 1, "line too long");
            return -1;
        }
        if (grow(&r->phys, &r->phys_cap, r->phys_len + 2) < 0) {
            unit_diag(r->ctx, DIAG_ERROR, r->lineno + 1, "out of memory");
            return -1;
        }
        r->phys[r->phys_len++] = (char)c;
    }
    if (c == '\r') {
        c = getc(r->f);
        if (c != '\n' && c != EOF)
            ungetc(c, r->f);
    }
    if (grow(&r->phys, &r->phys_cap, r->phys_len + 1) < 0) {
        unit_diag(r->ctx, DIAG_ERROR, r->lineno + 1, "out of memory");
        return -1;
    }
    r->phys[r->phys_len] = '\0';
    r->lineno++;
    if (r->lineno == 1 && strncmp(r->phys, "\xef\xbb\xbf", 3) == 0) {
        memmove(r->phys, r->phys + 3, r->phys_len - 2);
        r->phys_len -= 3;
    }
    return 1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims blanks at both ends, in place; returns the new start. */
static char *strip(char *s)
{
    char *e;

    while (is_blank(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_blank(e[-1]))
        *--e = '\0';
    return s;
}

/* Reads the next logical line into r->logical and its first line number into
 * *start. Comment lines are skipped, also between continued lines. Returns 1,
 * 0 at end of file, -1 on error. */
static int reader_read_logical(struct unit_reader *r, unsigned *start)
{
    bool continued = false;

    r->logical_len = 0;
    for (;;) {
        const char *l;
        bool escaped = false;
        int rc = reader_read_physical(r);

        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (!continued)
                return 0;
            break; /* a file ending in a backslash: take what we have */
        }
        for (l = r->phys; is_blank(*l); l++)
            ;
        if (*l == '#' || *l == ';')
            continue;
        if (!continued)
            *start = r->lineno;
        if (r->logical_len + r->phys_len + 1 > LINE_MAX_BYTES) {
            unit_diag(r->ctx, DIAG_ERROR, *start, "continued line too long");
            return -1;
        }
        if (grow(&r->logical, &r->logical_cap, r->logical_len + r->phys_len + 1) < 0) {
            unit_diag(r->ctx, DIAG_ERROR, *start, "out of memory");
            return -1;
        }
        memcpy(r->logical + r->logical_len, r->phys, r->phys_len + 1);
        /* A final backslash that is not itself escaped continues the line;
         * systemd replaces it with a space. */
        for (size_t i = 0; i < r->phys_len; i++)
            escaped = !escaped && r->phys[i] == '\\';
        r->logical_len += r->phys_len;
        if (!escaped)
            break;
        r->logical[r->logical_len - 1] = ' ';
        continued = true;
    }
    if (grow(&r->logical, &r->logical_cap, r->logical_len + 1) < 0) {
        unit_diag(r->ctx, DIAG_ERROR, *start, "out of memory");
        return -1;
    }
    r->logical[r->logical_len] = '\0';
    return 1;
}

/* Handles a "[...]" line; returns the text to hand inih, or NULL for nothing. */
static const char *reader_section(struct unit_reader *r, char *line, unsigned lineno)
{
    size_t n = strlen(line);

    r->section = SECTION_IGNORED;
    if (n < 3 || line[n - 1] != ']') {
        unit_diag(r->ctx, DIAG_ERROR, lineno, "invalid section header '%s'", line);
        return NULL;
    }
    if (n - 2 > SECTION_NAME_MAX) {
        unit_diag(r->ctx, DIAG_ERROR, lineno, "section name too long: '%.*s...'", SECTION_NAME_MAX,
                  line + 1);
        return NULL;
    }
    line[n - 1] = '\0';
    if (unit_section_known(line + 1) && unit_section_fits(r->ctx->u, line + 1)) {
        r->section = SECTION_KNOWN;
        line[n - 1] = ']';
        return line;
    }
    if (strncmp(line + 1, "X-", 2) != 0)
        unit_diag(r->ctx, DIAG_WARNING, lineno, "unknown section [%s], ignoring", line + 1);
    return NULL;
}

/* Handles a key=value line: stores it and returns its index, or -1 when the
 * line is dropped (reported as needed), -2 on ENOMEM. */
static long reader_assignment(struct unit_reader *r, char *line, unsigned lineno)
{
    char *eq, *key, *value;
    struct ini_entry *e;

    if (r->section == SECTION_NONE) {
        unit_diag(r->ctx, DIAG_WARNING, lineno, "assignment outside of any section, ignoring");
        return -1;
    }
    eq = strchr(line, '=');
    if (!eq) {
        unit_diag(r->ctx, DIAG_WARNING, lineno, "missing '=', ignoring line");
        return -1;
    }
    *eq = '\0';
    key = strip(line);
    value = strip(eq + 1);
    if (*key == '\0') {
        unit_diag(r->ctx, DIAG_WARNING, lineno, "missing key name before '=', ignoring line");
        return -1;
    }
    if (r->section != SECTION_KNOWN)
        return -1;
    if (r->nentries == r->cap_entries) {
        size_t cap = r->cap_entries ? r->cap_entries * 2 : 32;
        e = realloc(r->entries, cap * sizeof(*e));
        if (!e)
            return -2;
        r->entries = e;
        r->cap_entries = cap;
    }
    e = &r->entries[r->nentries];
    e->key = strdup(key);
    e->value = strdup(value);
    e->lineno = lineno;
    if (!e->key || !e->value) {
        free(e->key);
        free(e->value);
        return -2;
    }
    return (long)r->nentries++;
}

/* The ini_reader: hands inih the next line it may see, or NULL at the end. */
static char *unit_ini_reader(char *str, int num, void *stream)
{
    struct unit_reader *r = stream;
    unsigned start = 0;

    while (!r->stop) {
        char *line;
        int rc = reader_read_logical(r, &start);

        if (rc <= 0) {
            r->stop = true;
            break;
        }
        line = strip(r->logical);
        if (*line == '\0')
            continue;
        if (*line == '[') {
            const char *hdr = reader_section(r, line, start);
            if (hdr && snprintf(str, (size_t)num, "%s\n", hdr) < num)
                return str;
            continue;
        }
        long idx = reader_assignment(r, line, start);
        if (idx == -2) {
            unit_diag(r->ctx, DIAG_ERROR, start, "out of memory");
            r->stop = true;
        } else if (idx >= 0 && snprintf(str, (size_t)num, "k=%ld\n", idx) < num) {
            return str;
        }
    }
    return NULL;
}

static int unit_ini_handler(void *user, const char *section, const char *name, const char *value)
{
    struct unit_reader *r = user;
    struct ini_entry *e;
    char *end;
    unsigned long idx;

    if (!name || !value || strcmp(name, "k") != 0)
        return 1; /* nothing we sent: ignore rather than guess */
    errno = 0;
    idx = strtoul(value, &end, 10);
    if (errno || *end || idx >= r->nentries || !r->entries[idx].key)
        return 1;
    e = &r->entries[idx];
    r->ctx->lineno = e->lineno;
    if (unit_keys_apply(r->ctx, section, e->key, e->value) < 0)
        r->stop = true;
    /* Done with it: a long file does not keep every value twice. */
    free(e->key);
    free(e->value);
    e->key = e->value = NULL;
    return 1;
}

int unit_parse_stream(struct unit *u, FILE *f, const char *path, struct diag_sink *sink)
{
    struct unit_parse_ctx ctx = {.u = u, .path = path ? path : "-", .sink = sink};
    struct unit_reader r = {.ctx = &ctx, .f = f};
    int ret;

    ret = ini_parse_stream(unit_ini_reader, &r, unit_ini_handler, &r);
    if (ret == -2)
        unit_diag(&ctx, DIAG_ERROR, 0, "out of memory");
    else if (ret != 0)
        unit_diag(&ctx, DIAG_ERROR, 0, "internal error: inih rejected line %d", ret);
    ctx.not_enforced[ctx.not_enforced_len] = '\0';
    if (ctx.not_enforced_len && ctx.not_enforced_more)
        unit_diag(&ctx, DIAG_WARNING, 0, "accepted, not enforced: %s and %u more", ctx.not_enforced,
                  ctx.not_enforced_more);
    else if (ctx.not_enforced_len)
        unit_diag(&ctx, DIAG_WARNING, 0, "accepted, not enforced: %s", ctx.not_enforced);

    for (size_t i = 0; i < r.nentries; i++) {
        free(r.entries[i].key);
        free(r.entries[i].value);
    }
    free(r.entries);
    free(r.phys);
    free(r.logical);
    return ctx.failed ? -1 : 0;
}

int unit_parse_file(struct unit *u, const char *path, struct diag_sink *sink)
{
    struct unit_parse_ctx ctx = {.u = u, .path = path, .sink = sink};
    size_t len;
    /* Read whole, and only a regular file of bounded size: a FIFO among the
     * drop-ins would block PID 1 at boot, /dev/zero keep it reading. */
    char *buf = file_read_regular(path, FILE_READ_UNIT_MAX, &len);
    FILE *f;
    int ret;

    if (!buf) {
        unit_diag(&ctx, DIAG_ERROR, 0, "cannot open: %s",
                  file_read_strerror(errno, FILE_READ_UNIT_MAX));
        return -1;
    }
    /* fmemopen() wants a size of at least 1; an empty file reads as "". */
    f = fmemopen(buf, len ? len : 1, "r");
    if (!f) {
        unit_diag(&ctx, DIAG_ERROR, 0, "cannot open: %s", strerror(errno));
        free(buf);
        return -1;
    }
    if (!u->in_dir && !u->own_path && !(u->own_path = strdup(path))) {
        unit_diag(&ctx, DIAG_ERROR, 0, "out of memory");
        fclose(f);
        free(buf);
        return -1;
    }
    ret = unit_parse_stream(u, f, path, sink);
    fclose(f);
    free(buf);
    return ret;
}

static const char *const type_names[] = {
    [UNIT_TYPE_SIMPLE] = "simple",   [UNIT_TYPE_EXEC] = "exec",     [UNIT_TYPE_FORKING] = "forking",
    [UNIT_TYPE_ONESHOT] = "oneshot", [UNIT_TYPE_NOTIFY] = "notify",
};

int unit_finalize(struct unit *u, struct diag_sink *sink)
{
    char pb[4096];
    const char *path = unit_path(u, pb, sizeof(pb));
    struct unit_parse_ctx ctx = {.u = u, .path = path ? path : u->name, .sink = sink};

    if (!ctx.path)
        ctx.path = "-";
    if (u->kind == UNIT_KIND_TARGET) {
        if (unit_target_finalize(u) < 0)
            unit_diag(&ctx, DIAG_ERROR, 0, "out of memory");
        return u->loaded ? 0 : -1;
    }
    if (!u->type_set)
        u->type = u->exec_start.n ? UNIT_TYPE_SIMPLE : UNIT_TYPE_ONESHOT;

    if (u->exec_start.n == 0 && unit_cmds(u)->exec_stop.n == 0 &&
        u->success_action == UNIT_ACTION_NONE)
        unit_diag(&ctx, DIAG_ERROR, 0,
                  "service has no ExecStart=, ExecStop= or SuccessAction=, "
                  "refusing");
    else if (u->type != UNIT_TYPE_ONESHOT && u->exec_start.n != 1)
        unit_diag(&ctx, DIAG_ERROR, 0,
                  "Type=%s needs exactly one ExecStart=, found %zu; "
                  "only Type=oneshot may have none or several",
                  type_names[u->type], (size_t)u->exec_start.n);
    if (u->type == UNIT_TYPE_ONESHOT &&
        (u->restart == RESTART_ALWAYS || u->restart == RESTART_ON_SUCCESS))
        unit_diag(&ctx, DIAG_ERROR, 0, "Restart=%s is not allowed for Type=oneshot, refusing",
                  u->restart == RESTART_ALWAYS ? "always" : "on-success");

    /* As systemd: a oneshot's start runs as long as it takes unless told otherwise. */
    if (u->type == UNIT_TYPE_ONESHOT && !u->timeout_start_set)
        u->timeout_start_usec = USEC_INFINITY;

    if (u->std_error == OUTPUT_DEFAULT) {
        u->std_error = u->std_output;
        if (u->output) {
            struct unit_output *o = u->output;
            free(o->std_error_path);
            o->std_error_path = NULL;
            if (o->std_output_path && !(o->std_error_path = strdup(o->std_output_path)))
                unit_diag(&ctx, DIAG_ERROR, 0, "out of memory");
        }
    }
    if (!u->notify_access_set && (u->type == UNIT_TYPE_NOTIFY || u->watchdog_usec > 0))
        u->notify_access = NOTIFY_ACCESS_MAIN;
    exec_list_pack(&u->exec_start);
    if (u->cmds) {
        struct unit_cmds *c = u->cmds;
        struct exec_list *lists[] = {&c->exec_start_pre, &c->exec_start_post, &c->exec_stop,
                                     &c->exec_stop_post, &c->exec_reload,     &c->exec_condition};
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
            exec_list_pack(lists[i]);
    }
    return u->loaded ? 0 : -1;
}
