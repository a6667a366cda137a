/* unit_parse.c - reading unit files into struct unit: the file is read
 * whole (bounded: base/file_read), pxinit's systemd syntax reader
 * (unit_reader.c) finds its sections and assignments, and each assignment of
 * a section pxinit reads goes through that section's key table
 * (unit_keys.c). Also unit_finalize(), the checks once every file is in.
 */
#include "unit/unit_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/file_read.h"
#include "base/timespan.h"
#include "unit/unit_keys.h"
#include "unit/unit_reader.h"
#include "unit/unit_wants.h"

/* A file that could not be read: one error, and the unit will not load. */
static int unit_parse_fail(struct unit *u, const char *path, struct diag_sink *sink,
                           const char *what, const char *why)
{
    struct diag_file d = {.path = path ? path : "-", .sink = sink};

    diag_report(&d, DIAG_ERROR, 0, "%s%s", what, why);
    u->loaded = false;
    return -1;
}

int unit_parse_text(struct unit *u, const char *text, size_t len, const char *path,
                    struct diag_sink *sink)
{
    struct unit_parse_ctx ctx = {.u = u, .diag = {.path = path ? path : "-", .sink = sink}};
    const struct unit_section *section = NULL;
    struct unit_reader r;
    struct unit_item item;

    unit_reader_init(&r, text, len, &ctx.diag);
    while (unit_reader_next(&r, &item) > 0) {
        if (item.kind == UNIT_ITEM_SECTION) {
            /* X- sections are systemd's convention for extensions: silent. */
            section = unit_section_find(item.section);
            if (section && !unit_section_fits(u, item.section))
                section = NULL; /* [Service] in a target is unknown there */
            if (!section && strncmp(item.section, "X-", 2) != 0)
                unit_diag(&ctx, DIAG_WARNING, item.lineno, "unknown section [%s], ignoring",
                          item.section);
            continue;
        }
        if (!section)
            continue;
        ctx.lineno = item.lineno;
        if (unit_keys_apply(&ctx, section, item.key, item.value) < 0)
            break; /* out of memory, reported */
    }
    unit_reader_free(&r);
    unit_keys_finish(&ctx);
    if (ctx.diag.failed)
        u->loaded = false; /* the reader's own errors (a bad header) count too */
    return ctx.diag.failed ? -1 : 0;
}

int unit_parse_stream(struct unit *u, FILE *f, const char *path, struct diag_sink *sink)
{
    size_t len = 0, cap = 0, n;
    char *buf = NULL;
    int r;

    /* One byte past the cap tells a file at the cap from a larger one. */
    do {
        if (len == cap) {
            char *p;
            cap = cap ? cap * 2 : 4096;
            if (cap > FILE_READ_UNIT_MAX + 1)
                cap = FILE_READ_UNIT_MAX + 1;
            if (!(p = realloc(buf, cap))) {
                free(buf);
                return unit_parse_fail(u, path, sink, "out of memory", "");
            }
            buf = p;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0 && len <= FILE_READ_UNIT_MAX);
    if (ferror(f) || len > FILE_READ_UNIT_MAX) {
        free(buf);
        return unit_parse_fail(
            u, path, sink, "read error: ",
            ferror(f) ? strerror(errno) : file_read_strerror(EFBIG, FILE_READ_UNIT_MAX));
    }
    r = unit_parse_text(u, buf ? buf : "", len, path, sink);
    free(buf);
    return r;
}

int unit_parse_file(struct unit *u, const char *path, struct diag_sink *sink)
{
    size_t len;
    /* Read whole, and only a regular file of bounded size: a FIFO among the
     * drop-ins would block PID 1 at boot, /dev/zero keep it reading. */
    char *buf = file_read_regular(path, FILE_READ_UNIT_MAX, &len);
    int r;

    if (!buf)
        return unit_parse_fail(u, path, sink,
                               "cannot open: ", file_read_strerror(errno, FILE_READ_UNIT_MAX));
    if (!u->in_dir && !u->own_path && !(u->own_path = strdup(path))) {
        free(buf);
        return unit_parse_fail(u, path, sink, "out of memory", "");
    }
    r = unit_parse_text(u, buf, len, path, sink);
    free(buf);
    return r;
}

static const char *const type_names[] = {
    [UNIT_TYPE_SIMPLE] = "simple",   [UNIT_TYPE_EXEC] = "exec",     [UNIT_TYPE_FORKING] = "forking",
    [UNIT_TYPE_ONESHOT] = "oneshot", [UNIT_TYPE_NOTIFY] = "notify",
};

/* What services and sockets share: StandardError= following StandardOutput=,
 * and the command lines packed. */
static void finalize_exec(struct unit *u, struct unit_parse_ctx *ctx)
{
    if (u->std_error == OUTPUT_DEFAULT) {
        u->std_error = u->std_output;
        if (u->output) {
            struct unit_output *o = u->output;
            free(o->std_error_path);
            o->std_error_path = NULL;
            if (o->std_output_path && !(o->std_error_path = strdup(o->std_output_path)))
                unit_diag(ctx, DIAG_ERROR, 0, "out of memory");
        }
    }
    exec_list_pack(&u->exec_start);
    if (u->cmds) {
        struct unit_cmds *c = u->cmds;
        struct exec_list *lists[] = {&c->exec_start_pre, &c->exec_start_post, &c->exec_stop,
                                     &c->exec_stop_post, &c->exec_reload,     &c->exec_condition};
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
            exec_list_pack(lists[i]);
    }
}

int unit_finalize(struct unit *u, struct diag_sink *sink)
{
    char pb[4096];
    const char *path = unit_path(u, pb, sizeof(pb));
    struct unit_parse_ctx ctx = {.u = u, .diag = {.path = path ? path : u->name, .sink = sink}};

    if (!ctx.diag.path)
        ctx.diag.path = "-";
    if (u->kind == UNIT_KIND_TARGET) {
        if (unit_target_finalize(u) < 0)
            unit_diag(&ctx, DIAG_ERROR, 0, "out of memory");
        return u->loaded ? 0 : -1;
    }
    if (u->kind == UNIT_KIND_TIMER)
        return unit_timer_finalize(&ctx);
    if (u->kind == UNIT_KIND_SOCKET) {
        finalize_exec(u, &ctx);
        return unit_socket_finalize(&ctx);
    }
    /* systemd.exec(5): with StandardInput=socket, output goes to the
     * connection too unless StandardOutput= says otherwise. */
    if (unit_exec(u)->std_input == INPUT_SOCKET && !u->std_output_set)
        u->std_output = OUTPUT_SOCKET;
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

    if (!u->notify_access_set && (u->type == UNIT_TYPE_NOTIFY || u->watchdog_usec > 0))
        u->notify_access = NOTIFY_ACCESS_MAIN;
    finalize_exec(u, &ctx);
    return u->loaded ? 0 : -1;
}
