/* systemctl_props.c - talking to the daemon for systemctl: one request and
 * its reply lines (through client_request.c), and a unit's properties from
 * the daemon's `show` (doc/protocol.md), or, from a daemon without `show`,
 * the few its `status` and `list` records carry.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "client/systemctl_int.h"
#include "wire/escape.h"
#include "wire/protocol.h"
#include "wire/unit_state.h"

const char *sc_get(const struct sc_unit *u, const char *key)
{
    for (size_t i = 0; u && i < u->n; i++)
        if (strcmp(u->props[i].key, key) == 0)
            return u->props[i].value;
    return NULL;
}

int64_t sc_get_num(const struct sc_unit *u, const char *key)
{
    const char *v = sc_get(u, key);
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    return errno || *end ? 0 : (int64_t)n;
}

int sc_set_add(struct sc_set *s, const char *name, const char *key, const char *value)
{
    if (s->n == 0 || strcmp(s->units[s->n - 1].name, name) != 0) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 8;
            struct sc_unit *u = realloc(s->units, cap * sizeof(*u));
            if (!u)
                return -1;
            s->units = u;
            s->cap = cap;
        }
        struct sc_unit *u = &s->units[s->n];
        memset(u, 0, sizeof(*u));
        if (!(u->name = strdup(name)))
            return -1;
        s->n++;
    }
    struct sc_unit *u = &s->units[s->n - 1];
    if (u->n == u->cap) {
        size_t cap = u->cap ? 2 * u->cap : 32;
        struct sc_prop *p = realloc(u->props, cap * sizeof(*p));
        if (!p)
            return -1;
        u->props = p;
        u->cap = cap;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    u->props[u->n++] = (struct sc_prop){k, v};
    return 0;
}

void sc_set_free(struct sc_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t j = 0; j < s->units[i].n; j++) {
            free(s->units[i].props[j].key);
            free(s->units[i].props[j].value);
        }
        free(s->units[i].props);
        free(s->units[i].name);
    }
    free(s->units);
    memset(s, 0, sizeof(*s));
}

void sc_unit_name(const char *in, char *out, size_t size)
{
    static const char *const types[] = {".service", ".socket", ".timer",    ".target",
                                        ".path",    ".mount",  ".slice",    ".scope",
                                        ".device",  ".swap",   ".automount"};
    const char *dot = strrchr(in, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(dot, types[i]) == 0) {
            snprintf(out, size, "%s", in);
            return;
        }
    }
    snprintf(out, size, "%s.service", in);
}

/* `prop UNIT KEY VALUE`, each an esc_word(). */
static void take_prop(struct sc_reply *r, char *rest)
{
    char *w[4];
    if (proto_split(rest, w, 4) != 3)
        return;
    if (esc_word_decode(w[0]) < 0 || esc_word_decode(w[2]) < 0)
        return;
    if (sc_set_add(r->props, w[0], w[1], w[2]) < 0)
        fprintf(stderr, "systemctl: out of memory\n");
}

static void push(char ***list, size_t *n, const char *text)
{
    char **l = realloc(*list, (*n + 1) * sizeof(*l));
    if (!l)
        return;
    *list = l;
    if ((l[*n] = strdup(text)))
        (*n)++;
}

static bool reply_hook(void *ctx, char *line)
{
    struct sc_reply *r = ctx;
    r->answered = true;
    if (strncmp(line, "prop ", 5) == 0) {
        if (r->props)
            take_prop(r, line + 5);
    } else if (strncmp(line, "line ", 5) == 0) {
        if (r->print_lines)
            printf("%s\n", line + 5);
        else if (r->keep_lines)
            push(&r->lines, &r->nlines, line + 5);
    } else if (strncmp(line, "entry ", 6) == 0) {
        if (r->keep_lines) /* the journal request's lines, parsed by the caller */
            push(&r->lines, &r->nlines, line + 6);
    } else if (strncmp(line, "msg ", 4) == 0) {
        if (r->print_msgs)
            printf("%s\n", line + 4);
    } else if (strncmp(line, "error ", 6) == 0) {
        push(&r->errors, &r->nerrors, line + 6);
        if (!r->first_error[0]) {
            char *text = strchr(line + 6, ' ');
            r->first_error_code = atoi(line + 6);
            snprintf(r->first_error, sizeof(r->first_error), "%s", text ? text + 1 : "");
        }
    } else {
        return false; /* unit, timer, socket, listen: the client's parser */
    }
    return true;
}

void sc_unreachable(const struct systemctl *sc)
{
    if (sc->quiet)
        return;
    fprintf(stderr,
            "System has not been booted with pxinit (no daemon at %s/control). Can't operate.\n",
            sc->runtime_dir);
}

int sc_call(struct systemctl *sc, const char *req, bool waits, struct sc_reply *r)
{
    r->cl.verb = "systemctl";
    r->cl.runtime_dir = sc->runtime_dir;
    r->cl.quiet = true; /* its messages say "pxinit VERB"; systemctl's are ours */
    r->cl.line_hook = reply_hook;
    r->cl.hook_ctx = r;
    int code = client_request(&r->cl, req, waits);
    if (code == PROTO_EXIT_UNREACHABLE && !r->answered) {
        sc_unreachable(sc);
        return -1;
    }
    return code;
}

void sc_reply_free(struct sc_reply *r)
{
    for (size_t i = 0; i < r->nlines; i++)
        free(r->lines[i]);
    free(r->lines);
    r->lines = NULL;
    r->nlines = 0;
    for (size_t i = 0; i < r->nerrors; i++)
        free(r->errors[i]);
    free(r->errors);
    r->errors = NULL;
    r->nerrors = 0;
    free(r->cl.units);
    r->cl.units = NULL;
    r->cl.nunits = 0;
    client_sockets_free(&r->cl);
}

/* --- a daemon without `show`: what its records say --- */

static void add_num(struct sc_set *s, const char *name, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    (void)sc_set_add(s, name, key, buf);
}

/* The properties a `unit` record carries, under systemd's names. */
static void props_from_record(struct sc_set *s, const struct sb_unit *u)
{
    char id[300];
    sc_unit_name(u->name, id, sizeof(id));
    const char *state = unit_state_name(u->state);
    bool up = u->state == UNIT_STATE_ACTIVE || u->state == UNIT_STATE_ACTIVATING ||
              u->state == UNIT_STATE_DEACTIVATING;
    int64_t since = u->since > 0 ? u->since * 1000000 : 0;
    (void)sc_set_add(s, id, "Id", id);
    (void)sc_set_add(s, id, "Names", id);
    (void)sc_set_add(s, id, "Description", id);
    (void)sc_set_add(s, id, "LoadState", "loaded");
    (void)sc_set_add(s, id, "ActiveState", state);
    (void)sc_set_add(s, id, "SubState", unit_sub_name(u->sub));
    add_num(s, id, "MainPID", up && u->pid > 0 ? u->pid : 0);
    add_num(s, id, "ExecMainPID", u->pid > 0 ? u->pid : 0);
    add_num(s, id, "NRestarts", u->restarts);
    /* systemd's si_code: CLD_EXITED 1, CLD_KILLED 2. */
    add_num(s, id, "ExecMainCode", u->exit_signal > 0 ? 2 : u->exit_code >= 0 ? 1 : 0);
    add_num(s, id, "ExecMainStatus",
            u->exit_signal > 0 ? u->exit_signal
            : u->exit_code > 0 ? u->exit_code
                               : 0);
    add_num(s, id, "StateChangeTimestamp", since);
    add_num(s, id, "ActiveEnterTimestamp", u->state == UNIT_STATE_ACTIVE ? since : 0);
    add_num(s, id, "InactiveEnterTimestamp",
            u->state == UNIT_STATE_INACTIVE || u->state == UNIT_STATE_FAILED ? since : 0);
    add_num(s, id, "InactiveExitTimestamp", u->state == UNIT_STATE_ACTIVATING ? since : 0);
}

static void props_not_found(struct sc_set *s, const char *arg)
{
    char id[300];
    sc_unit_name(arg, id, sizeof(id));
    (void)sc_set_add(s, id, "Id", id);
    (void)sc_set_add(s, id, "Names", id);
    (void)sc_set_add(s, id, "LoadState", "not-found");
    (void)sc_set_add(s, id, "ActiveState", "inactive");
    (void)sc_set_add(s, id, "SubState", "dead");
}

static int fetch_old(struct systemctl *sc, char **units, int n, bool all, struct sc_set *out)
{
    if (!all && n == 0) {
        (void)sc_set_add(out, "", "Version", "pxinit");
        (void)sc_set_add(out, "", "SystemState", "");
        return PROTO_EXIT_OK;
    }
    if (all) {
        struct sc_reply r = {0};
        int code = sc_call(sc, "list\n", false, &r);
        for (size_t i = 0; code == 0 && i < r.cl.nunits; i++)
            props_from_record(out, &r.cl.units[i]);
        sc_reply_free(&r);
        return code;
    }
    for (int i = 0; i < n; i++) {
        char req[PROTO_MAX_REQUEST];
        struct sc_reply r = {0};
        snprintf(req, sizeof(req), "status %s\n", units[i]);
        int code = sc_call(sc, req, false, &r);
        if (code < 0) {
            sc_reply_free(&r);
            return code;
        }
        if (r.cl.nunits > 0) /* `end 3` when it is not active */
            props_from_record(out, &r.cl.units[0]);
        else
            props_not_found(out, units[i]);
        sc_reply_free(&r);
    }
    return PROTO_EXIT_OK;
}

int sc_fetch(struct systemctl *sc, char **units, int n, bool all, char **props, struct sc_set *out)
{
    char req[PROTO_MAX_REQUEST];
    size_t len = (size_t)snprintf(req, sizeof(req), "show");
    for (char **p = props; p && *p && len < sizeof(req); p++)
        len += (size_t)snprintf(req + len, sizeof(req) - len, " -p %s", *p);
    if (all && len < sizeof(req))
        len += (size_t)snprintf(req + len, sizeof(req) - len, " --all-units");
    for (int i = 0; !all && i < n && len < sizeof(req); i++)
        len += (size_t)snprintf(req + len, sizeof(req) - len, " %s", units[i]);
    if (len + 2 > sizeof(req)) {
        fprintf(stderr, "systemctl: too many units for one request\n");
        return SC_EXIT_FAILURE;
    }
    strcpy(req + len, "\n");
    struct sc_reply r = {.props = out};
    int code = sc_call(sc, req, false, &r);
    bool old = code == PROTO_EXIT_USAGE && strstr(r.first_error, "unknown request");
    if (code > 0 && !old && !sc->quiet && r.first_error[0])
        fprintf(stderr, "systemctl: %s\n", r.first_error);
    sc_reply_free(&r);
    if (old) {
        sc_set_free(out);
        return fetch_old(sc, units, n, all, out);
    }
    return code;
}
