/* journalctl_run.c - the journalctl personality's query: `journal`
 * requests to the daemon (doc/protocol.md) and the entries printed.
 *
 * The daemon filters by unit name, time and count. What it does not know
 * is done here: a unit glob is matched against the units the remembered
 * lines name (journalctl matches globs against the journal's units, and
 * fails when none does); -t, -p and _PID= filter, -r reverses. When this
 * side filters, the count (-n) is taken here from all that match, and -f
 * follows with a second request that starts at the last time seen.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "client/journalctl_int.h"
#include "wire/protocol.h"

/* A kept entry (its message owned). */
struct kept {
    struct proto_entry e;
    char *msg;
};

struct run {
    struct jctl_opts *o;
    bool keep;         /* keep entries (for the count, -r) rather than print */
    struct kept *ents; /* kept entries */
    size_t n, cap;
    size_t shown;        /* printed */
    int64_t last_usec;   /* the newest time seen (every entry, filtered or not) */
    size_t at_last;      /* entries seen at exactly last_usec */
    size_t skip_at_last; /* second request of -f: entries at last_usec already seen */
    int64_t skip_usec;
    struct strv *names; /* glob expansion: the units seen */
    bool oom;
};

static bool entry_wanted(const struct jctl_opts *o, const struct proto_entry *e)
{
    if (!(o->prio_mask & (1 << (e->prio & 7))))
        return false;
    if (o->idents.n && !strv_contains(&o->idents, e->ident))
        return false;
    if (o->pids.n) {
        char pid[16];
        snprintf(pid, sizeof(pid), "%d", (int)e->pid);
        if (!strv_contains(&o->pids, pid))
            return false;
    }
    return true;
}

static bool on_line(void *ctx, char *line)
{
    struct run *r = ctx;
    if (strncmp(line, "entry ", 6) != 0)
        return false;
    struct proto_entry e;
    if (proto_parse_entry(line + 6, &e) < 0)
        return true; /* a malformed line is dropped, not shown */
    if (r->names) {
        if (!strv_contains(r->names, e.unit) && strv_push(r->names, e.unit) < 0)
            r->oom = true;
        return true;
    }
    if (r->skip_at_last > 0 && e.usec == r->skip_usec) {
        r->skip_at_last--;
        return true;
    }
    r->skip_at_last = 0;
    if (e.usec == r->last_usec) {
        r->at_last++;
    } else {
        r->last_usec = e.usec;
        r->at_last = 1;
    }
    if (!entry_wanted(r->o, &e))
        return true;
    if (!r->keep) {
        jf_print(stdout, &r->o->fmt, &e);
        if (r->o->follow)
            fflush(stdout);
        r->shown++;
        return true;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct kept *p = realloc(r->ents, cap * sizeof(*p));
        if (!p) {
            r->oom = true;
            return true;
        }
        r->ents = p;
        r->cap = cap;
    }
    struct kept *k = &r->ents[r->n];
    k->e = e;
    k->msg = malloc(e.msg_len + 1);
    if (!k->msg) {
        r->oom = true;
        return true;
    }
    memcpy(k->msg, e.msg, e.msg_len + 1);
    k->e.msg = k->msg;
    r->n++;
    return true;
}

/* "journal [-n N] [-f] [-S USEC] [-U USEC] [UNIT...]\n"; NULL when too
 * long or out of memory. */
static char *request(const struct jctl_opts *o, int lines, bool follow, bool since_set,
                     int64_t since, const struct strv *units)
{
    size_t size = 128;
    for (size_t i = 0; i < units->n; i++)
        size += strlen(units->v[i]) + 1;
    if (size > PROTO_MAX_REQUEST)
        return NULL;
    char *s = malloc(size);
    if (!s)
        return NULL;
    int n = snprintf(s, size, "journal");
    if (lines >= 0)
        n += snprintf(s + n, size - (size_t)n, " -n %d", lines);
    if (follow)
        n += snprintf(s + n, size - (size_t)n, " -f");
    if (since_set)
        n += snprintf(s + n, size - (size_t)n, " -S %lld", (long long)since);
    if (o->until_set)
        n += snprintf(s + n, size - (size_t)n, " -U %llu", (unsigned long long)o->until);
    for (size_t i = 0; i < units->n; i++)
        n += snprintf(s + n, size - (size_t)n, " %s", units->v[i]);
    snprintf(s + n, size - (size_t)n, "\n");
    return s;
}

/* Sends req; 0, or the exit code (the daemon said no, or was not there). */
static int ask(struct jctl_opts *o, struct run *r, const char *req, bool follow)
{
    struct client cl = {
        .verb = "journalctl",
        .id = VERB_JOURNAL,
        .runtime_dir = o->runtime_dir,
        .follow = follow,
        .line_hook = on_line,
        .hook_ctx = r,
    };
    int code = client_request(&cl, req, follow);
    if (r->oom) {
        fprintf(stderr, "journalctl: out of memory\n");
        return 1;
    }
    return code == PROTO_EXIT_OK ? 0 : 1;
}

/* Replaces the globs among o->units by the units of the remembered lines
 * they match. 0, or the exit code. */
static int expand_globs(struct jctl_opts *o)
{
    bool any = false;
    for (size_t i = 0; i < o->units.n; i++)
        any = any || strpbrk(o->units.v[i], "*?[") != NULL;
    if (!any)
        return 0;
    struct strv seen = {0}, out = {0};
    struct run r = {.o = o, .names = &seen};
    struct strv none = {0};
    char *req = request(o, -1, false, false, 0, &none);
    int rc = req ? ask(o, &r, req, false) : 1;
    free(req);
    for (size_t i = 0; rc == 0 && i < o->units.n; i++) {
        const char *u = o->units.v[i];
        if (!strpbrk(u, "*?[")) {
            if (!strv_contains(&out, u) && strv_push(&out, u) < 0)
                rc = 1;
            continue;
        }
        for (size_t j = 0; j < seen.n; j++)
            if (fnmatch(u, seen.v[j], FNM_NOESCAPE) == 0 && !strv_contains(&out, seen.v[j]) &&
                strv_push(&out, seen.v[j]) < 0)
                rc = 1;
    }
    if (rc == 0 && out.n == 0) {
        fprintf(stderr, "Failed to add filter for units: No data available\n");
        rc = 1;
    }
    strv_clear(&seen);
    strv_clear(&o->units);
    o->units = out;
    return rc;
}

static void print_kept(struct run *r)
{
    size_t from = 0;
    int lines = r->o->lines;
    if (lines >= 0 && r->n > (size_t)lines)
        from = r->n - (size_t)lines;
    for (size_t i = from; i < r->n; i++) {
        size_t k = r->o->reverse ? r->n - 1 - (i - from) : i;
        jf_print(stdout, &r->o->fmt, &r->ents[k].e);
        r->shown++;
    }
}

static void free_kept(struct run *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->ents[i].msg);
    free(r->ents);
    r->ents = NULL;
    r->n = r->cap = 0;
}

int jctl_run(struct jctl_opts *o)
{
    int rc = expand_globs(o);
    if (rc != 0)
        return rc;
    bool filters = o->idents.n || o->pids.n || o->prio_mask != 0xff;
    struct run r = {.o = o, .last_usec = -1};
    r.keep = filters || o->reverse;
    int lines = o->lines == JCTL_LINES_DEFAULT ? JCTL_LINES_ALL : o->lines;
    o->lines = lines;

    /* The daemon counts unless this side filters; it follows at once
     * unless the count is to be taken here first. */
    bool follow_now = o->follow && !r.keep;
    char *req =
        request(o, r.keep ? -1 : lines, follow_now, o->since_set, (int64_t)o->since, &o->units);
    if (!req) {
        fprintf(stderr, "journalctl: too many units for one request\n");
        return 1;
    }
    rc = ask(o, &r, req, follow_now);
    free(req);
    if (r.keep)
        print_kept(&r);
    free_kept(&r);
    if (rc == 0 && o->follow && !follow_now) {
        /* Go on from the newest time seen, past the entries already seen
         * there. */
        fflush(stdout);
        r.keep = false;
        r.skip_usec = r.last_usec;
        r.skip_at_last = r.last_usec >= 0 ? r.at_last : 0;
        bool since_set = o->since_set || r.last_usec >= 0;
        int64_t since = r.last_usec >= 0 ? r.last_usec : (int64_t)o->since;
        req = request(o, r.last_usec >= 0 ? -1 : 0, true, since_set, since, &o->units);
        rc = req ? ask(o, &r, req, true) : 1;
        free(req);
    }
    fflush(stdout);
    if (rc == 0 && r.shown == 0 && !o->quiet && !o->follow)
        printf("-- No entries --\n");
    return rc;
}
