/* systemctl_list.c - `systemctl list-units` as systemd 252 prints it
 * (systemctl-list-units.c): a table UNIT LOAD ACTIVE SUB DESCRIPTION,
 * columns one space apart, a first column with ● for failed units (none
 * with --plain), then the legend and "N loaded units listed."; and
 * list-timers/list-sockets, whose tables timer_list.c and socket_list.c
 * already print for `pxinit`.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/socket_list.h"
#include "client/systemctl_int.h"
#include "client/timer_list.h"

struct row {
    const char *id, *load, *active, *sub, *desc;
};

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static bool in_list(char **list, const char *s)
{
    for (char **p = list; p && *p; p++)
        if (s && strcmp(*p, s) == 0)
            return true;
    return false;
}

/* systemd's filter: inactive units only with --all (or a --state naming
 * them), --type by suffix, --state by any of the three states, patterns
 * by glob on the name. */
static bool shown(const struct systemctl *sc, const struct row *r)
{
    if (sc->types) {
        const char *dot = strrchr(r->id, '.');
        if (!dot || !in_list(sc->types, dot + 1))
            return false;
    }
    if (sc->states) {
        if (!in_list(sc->states, r->load) && !in_list(sc->states, r->active) &&
            !in_list(sc->states, r->sub))
            return false;
    } else if (!sc->all && strcmp(r->active, "inactive") == 0) {
        return false;
    }
    if (sc->nargs == 0)
        return true;
    for (int i = 0; i < sc->nargs; i++)
        if (fnmatch(sc->args[i], r->id, FNM_NOESCAPE) == 0)
            return true;
    return false;
}

/* By type (the suffix), then by name, as systemd sorts. */
static int row_cmp(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    const char *dx = strrchr(x->id, '.'), *dy = strrchr(y->id, '.');
    if (dx && dy) {
        int r = strcasecmp(dx, dy);
        if (r)
            return r;
    }
    return strcasecmp(x->id, y->id);
}

static bool marked(const struct row *r)
{
    return strcmp(r->active, "failed") == 0 ||
           (strcmp(r->load, "loaded") != 0 && strcmp(r->load, "stub") != 0);
}

static void print_table(FILE *f, const struct systemctl *sc, const struct row *rows, size_t n,
                        bool color)
{
    size_t w[4] = {4, 4, 6, 3}; /* UNIT LOAD ACTIVE SUB */
    for (size_t i = 0; i < n; i++) {
        const char *c[4] = {rows[i].id, rows[i].load, rows[i].active, rows[i].sub};
        for (int k = 0; k < 4; k++)
            if (strlen(c[k]) > w[k])
                w[k] = strlen(c[k]);
    }
    const char *circle = sc->plain ? "" : "  ";
    if (!sc->no_legend)
        fprintf(f, "%s%-*s %-*s %-*s %-*s DESCRIPTION\n", circle, (int)w[0], "UNIT", (int)w[1],
                "LOAD", (int)w[2], "ACTIVE", (int)w[3], "SUB");
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        bool red = color && marked(r);
        if (!sc->plain)
            fprintf(f, "%s%s%s ", red ? "\x1b[0;1;31m" : "", marked(r) ? "●" : " ",
                    red ? "\x1b[0m" : "");
        fprintf(f, "%-*s %-*s %-*s %-*s %s\n", (int)w[0], r->id, (int)w[1], r->load, (int)w[2],
                r->active, (int)w[3], r->sub, r->desc);
    }
    if (sc->no_legend)
        return;
    if (n > 0)
        fprintf(f,
                "\nLOAD   = Reflects whether the unit definition was properly loaded.\n"
                "ACTIVE = The high-level unit activation state, i.e. generalization of SUB.\n"
                "SUB    = The low-level unit activation state, values depend on unit type.\n");
    const char *more = "To show all installed unit files use 'systemctl list-unit-files'.\n";
    if (sc->all || in_list(sc->states, "inactive"))
        fprintf(f, "%zu loaded units listed.\n%s", n, more);
    else if (!sc->states)
        fprintf(f, "%zu loaded units listed. Pass --all to see loaded but inactive units, too.\n%s",
                n, more);
    else
        fprintf(f, "%zu loaded units listed.\n", n);
}

int sc_list_units(struct systemctl *sc)
{
    static char *const props[] = {"Id",       "LoadState",   "ActiveState",
                                  "SubState", "Description", NULL};
    struct sc_set set = {0};
    int code = sc_fetch(sc, NULL, 0, true, (char **)props, &set);
    if (code != 0) {
        sc_set_free(&set);
        return SC_EXIT_FAILURE;
    }
    struct row *rows = calloc(set.n ? set.n : 1, sizeof(*rows));
    if (!rows) {
        sc_set_free(&set);
        fprintf(stderr, "systemctl: out of memory\n");
        return SC_EXIT_FAILURE;
    }
    size_t n = 0;
    for (size_t i = 0; i < set.n; i++) {
        const struct sc_unit *u = &set.units[i];
        struct row r = {sc_get(u, "Id"), or_empty(sc_get(u, "LoadState")),
                        or_empty(sc_get(u, "ActiveState")), or_empty(sc_get(u, "SubState")),
                        or_empty(sc_get(u, "Description"))};
        if (!r.id || !*r.id)
            r.id = u->name;
        if (shown(sc, &r))
            rows[n++] = r;
    }
    qsort(rows, n, sizeof(*rows), row_cmp);
    print_table(stdout, sc, rows, n, isatty(STDOUT_FILENO));
    free(rows);
    sc_set_free(&set);
    return SC_EXIT_OK;
}

int sc_list_timers(struct systemctl *sc)
{
    struct sc_reply r = {0};
    int code = sc_call(sc, "list-timers\n", false, &r);
    if (code != 0) {
        sc_reply_free(&r);
        return SC_EXIT_FAILURE;
    }
    struct sb_unit *t = r.cl.units;
    size_t n = 0;
    for (size_t i = 0; i < r.cl.nunits; i++)
        if (t[i].timer && (sc->all || t[i].state != UNIT_STATE_INACTIVE))
            t[n++] = t[i];
    tl_sort(t, n);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    tl_print_table(stdout, t, n, (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000, sc->all);
    sc_reply_free(&r);
    return SC_EXIT_OK;
}

int sc_list_sockets(struct systemctl *sc)
{
    struct sc_reply r = {0};
    int code = sc_call(sc, "list-sockets\n", false, &r);
    if (code != 0) {
        sc_reply_free(&r);
        return SC_EXIT_FAILURE;
    }
    size_t n;
    struct socket_row *rows = socket_rows(r.cl.units, r.cl.nunits, sc->all, &n);
    if (n == (size_t)-1) {
        fprintf(stderr, "systemctl: out of memory\n");
        sc_reply_free(&r);
        return SC_EXIT_FAILURE;
    }
    socket_list_print_table(stdout, rows, n, sc->all);
    free(rows);
    sc_reply_free(&r);
    return SC_EXIT_OK;
}
