/* control_journal.c - the `journal` request (doc/protocol.md), what
 * journalctl asks: the remembered lines of several units (none: all) as
 * `entry` lines (wire/proto_journal.h), merged by time, filtered by -S/-U,
 * the last -n; with -f, then every new line of those units as it comes.
 *
 * Entry lines are written raw: their message keeps its UTF-8, which
 * ctl_reply() would turn into '?'. A reply holds at most about half of
 * CTL_MAX_OUTPUT (the oldest lines are left out past it), so that a whole
 * dump never gets its reader dropped as too slow. A follower is one
 * output follower per unit; like `logs -f`, it is dropped once it lets
 * CTL_MAX_OUTPUT pile up, so it never holds PID 1 up nor grows without end.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/control_int.h"
#include "control/journal_merge.h"
#include "core/service.h"
#include "unit/unit.h"
#include "wire/proto_journal.h"

/* One followed unit. */
struct journal_src {
    struct output_follower f;
    struct ctl_client *c;
    struct service *s; /* valid while followed: the follower hears when it goes */
};

struct ctl_journal {
    struct journal_pick pick; /* -S/-U apply to followed lines too */
    size_t n, live;
    struct journal_src src[];
};

/* The entry line of one remembered line, written raw to c. Returns false
 * when c was dropped (a follower too slow). */
static bool send_entry(struct ctl_client *c, struct service *s, const char *line, size_t len,
                       const struct logbuf_meta *m)
{
    struct proto_entry e = {.usec = m->usec, .pid = m->pid, .prio = m->prio};
    snprintf(e.unit, sizeof(e.unit), "%s", s->unit->name);
    snprintf(e.ident, sizeof(e.ident), "%s",
             (m->flags & LOGBUF_PXINIT) ? "pxinit" : output_ident(s->output));
    char small[1024], *buf = small;
    int n = proto_format_entry(small, sizeof(small), &e, line, len);
    if ((size_t)n >= sizeof(small)) {
        /* A long line (or many escapes): its exact size, once. */
        if (!(buf = malloc((size_t)n + 1)))
            return true; /* out of memory: this line is not sent */
        proto_format_entry(buf, (size_t)n + 1, &e, line, len);
    }
    bool alive = ctl_reply_raw(c, buf, (size_t)n);
    if (buf != small)
        free(buf);
    return alive;
}

/* --- what is remembered ------------------------------------------------------ */

struct dump {
    struct ctl_client *c;
    struct service **svc;
    const struct logbuf **rings;
};

static void dump_line(void *ctx, size_t src, size_t idx)
{
    struct dump *d = ctx;
    const char *line;
    struct logbuf_meta m;
    size_t len = logbuf_get(d->rings[src], idx, &line, &m);
    (void)send_entry(d->c, d->svc[src], line, len, &m);
}

static void journal_free(struct ctl_client *c);

/* --- following ----------------------------------------------------------------- */

static void follow_line(void *ctx, const char *line, size_t len)
{
    struct journal_src *js = ctx;
    struct ctl_client *c = js->c;
    struct ctl_journal *j = c->journal;
    if (!line) {
        /* The unit went away (daemon-reload, shutdown). */
        js->s = NULL;
        if (--j->live > 0)
            return;
        /* None left: the request ends. */
        journal_free(c);
        ctl_follow_end(c);
        return;
    }
    const struct logbuf_meta *m = output_follow_meta();
    if (journal_in_range(&j->pick, m->usec))
        (void)send_entry(c, js->s, line, len, m); /* may free c: nothing after it */
}

static void journal_free(struct ctl_client *c)
{
    struct ctl_journal *j = c->journal;
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        output_unfollow(&j->src[i].f);
    free(j);
    c->journal = NULL;
    c->journal_free = NULL;
}

/* --- the request ----------------------------------------------------------------- */

static int parse_usec(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static bool listed(struct service **v, size_t n, const struct service *s)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == s)
            return true;
    return false;
}

/* The services named in argv (as typed; unknown ones left out), or every
 * unit that has output when none is named. NULL (ENOMEM) or the array. */
static struct service **pick_units(struct pxinit *px, char **names, size_t nnames, size_t *n)
{
    size_t cap = nnames ? nnames : px->table.n;
    struct service **v = calloc(cap ? cap : 1, sizeof(*v));
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; !nnames && i < px->table.n; i++)
        if (px->table.svc[i]->output)
            v[(*n)++] = px->table.svc[i];
    for (size_t i = 0; i < nnames; i++) {
        char *full = proto_unit_name_ok(names[i]) ? unit_name_normalize(names[i]) : NULL;
        struct service *s = full ? unit_table_find(&px->table, full) : NULL;
        free(full);
        if (s && s->output && !listed(v, *n, s))
            v[(*n)++] = s;
    }
    return v;
}

static void usage(struct ctl_client *c, const char *what)
{
    ctl_error(c, PROTO_EXIT_USAGE, "journal: %s", what);
    ctl_request_done(c);
}

/* journal [-n N] [-f] [-S USEC] [-U USEC] [UNIT...] */
void ctl_verb_journal(struct ctl_client *c, int argc, char **argv)
{
    struct journal_pick pick = {.since = INT64_MIN,
                                .until = INT64_MAX,
                                .max_lines = SIZE_MAX,
                                .max_bytes = CTL_MAX_OUTPUT / 2};
    bool follow = false;
    char **names = calloc((size_t)argc, sizeof(*names));
    size_t nnames = 0;
    if (!names) {
        ctl_error(c, PROTO_EXIT_FAILED, "journal: out of memory");
        ctl_request_done(c);
        return;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-f") == 0) {
            follow = true;
        } else if (strcmp(a, "-n") == 0 || strcmp(a, "-S") == 0 || strcmp(a, "-U") == 0) {
            int64_t v;
            if (i + 1 >= argc || parse_usec(argv[++i], &v) < 0 || (a[1] == 'n' && v < 0)) {
                free(names);
                usage(c, a[1] == 'n' ? "-n wants a number" : "-S and -U want microseconds");
                return;
            }
            if (a[1] == 'n')
                pick.max_lines = (size_t)v;
            else if (a[1] == 'S')
                pick.since = v;
            else
                pick.until = v;
        } else {
            names[nnames++] = argv[i];
        }
    }
    size_t n;
    struct service **svc = pick_units(c->ctl->px, names, nnames, &n);
    const struct logbuf **rings = calloc(n ? n : 1, sizeof(*rings));
    struct ctl_journal *j = follow ? calloc(1, sizeof(*j) + n * sizeof(j->src[0])) : NULL;
    free(names);
    if (!svc || !rings || (follow && !j)) {
        free(svc);
        free(rings);
        free(j);
        ctl_error(c, PROTO_EXIT_FAILED, "journal: out of memory");
        ctl_request_done(c);
        return;
    }
    for (size_t i = 0; i < n; i++)
        rings[i] = output_ring(svc[i]->output);
    struct dump d = {c, svc, rings};
    if (journal_merge(rings, n, &pick, dump_line, &d) < 0)
        ctl_error(c, PROTO_EXIT_FAILED, "journal: out of memory");
    free(rings);
    /* A reader already dropped as too slow (its earlier replies piled up)
     * follows nothing: the request ends and the client goes. */
    if (!follow || c->closing) {
        free(j);
        free(svc);
        ctl_request_done(c);
        return;
    }
    /* No loop iteration between the dump and the follow: no line lost or
     * doubled. Units that come later (daemon-reload) are not followed. */
    j->pick = pick;
    j->n = j->live = n;
    for (size_t i = 0; i < n; i++) {
        j->src[i].c = c;
        j->src[i].s = svc[i];
        output_follow(svc[i]->output, &j->src[i].f, follow_line, &j->src[i]);
    }
    free(svc);
    c->journal = j;
    c->journal_free = journal_free;
    c->busy = true;
    c->following = true;
}
