/* unit_values_socket.c - the [Socket] keys of a .socket (systemd.socket(5))
 * that need more than a boolean, a number or a mode: the Listen*= entries,
 * Service=, FileDescriptorName=, BindIPv6Only=, Symlinks=,
 * MaxConnections*=, the buffer sizes, TriggerLimitBurst=; the keys of
 * [Service] that name sockets (Sockets=, StandardInput=); and a socket's
 * checks once every file of it is read.
 *
 * As in systemd, an empty assignment of any Listen*= key empties the whole
 * list, not only that key's entries; a malformed value is an error where
 * systemd often only warns, as for every key pxinit reads.
 */
#include "unit/unit_values.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "unit/unit_socket.h"

#define SOCK(ctx) ((struct unit_socket *)unit_part((ctx)->u, UNIT_PART_SOCKET))

/* A path-valued entry: absolute, normalized (no "..": an instance name
 * must not walk it out of its directory). A copy, or NULL (errno set). */
static char *socket_path(struct unit_parse_ctx *ctx, const char *value)
{
    if (value[0] != '/') {
        unit_key_invalid(ctx, "not an absolute path");
        return NULL;
    }
    char *copy = strdup(value);
    if (!copy)
        return NULL;
    if (value_path_normalize(ctx, copy) < 0) {
        free(copy);
        return NULL;
    }
    return copy;
}

int value_parse_listen(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    struct socket_listen l = {.kind = (enum socket_listen_kind)k->arg, .lineno = ctx->lineno};
    const char *err = NULL;

    if (!*value) {
        unit_socket_clear_listen(s);
        return 0;
    }
    if (l.kind == SOCKET_LISTEN_FIFO || value[0] == '/') {
        if (!(l.text = socket_path(ctx, value)))
            return -1;
    } else if (!(l.text = strdup(value))) {
        return -1;
    }
    if (l.kind != SOCKET_LISTEN_FIFO && sock_addr_parse(l.text, &l.addr, &err) < 0) {
        free(l.text);
        return unit_key_invalid(ctx, err);
    }
    if (l.kind == SOCKET_LISTEN_SEQPACKET && l.addr.sa.sa_family != AF_UNIX) {
        free(l.text);
        return unit_key_invalid(ctx,
                                "sequential packet sockets are unix sockets only: "
                                "a path or @name");
    }
    struct socket_listen *nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
    if (!nv) {
        free(l.text);
        errno = ENOMEM;
        return -1;
    }
    s->v = nv;
    s->v[s->n++] = l;
    return 0;
}

/* True for a service name (not a template) systemd accepts. */
static bool service_name_ok(const char *name)
{
    const char *at = strchr(name, '@');
    return unit_name_valid(name) && !(at && at[1] == '.');
}

int value_parse_socket_service(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    char *copy = NULL;

    (void)k;
    if (*value) {
        if (!service_name_ok(value))
            return unit_key_invalid(ctx, strchr(value, '@') && strstr(value, "@.")
                                             ? "a template: name a service, not a template"
                                             : "not a .service unit name");
        if (!(copy = strdup(value)))
            return -1;
    }
    free(s->service);
    s->service = copy;
    return 0;
}

/* systemd's fdname_is_valid(): printable ASCII, no ':', at most 255. */
int value_parse_fd_name(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    char *copy = NULL;

    (void)k;
    if (*value) {
        if (strlen(value) > 255)
            return unit_key_invalid(ctx, "longer than 255 characters");
        for (const char *p = value; *p; p++)
            if (*p < ' ' || *p > '~' || *p == ':')
                return unit_key_invalid(ctx, "printable ASCII without ':' only");
        if (!(copy = strdup(value)))
            return -1;
    }
    free(s->fd_name);
    s->fd_name = copy;
    return 0;
}

int value_parse_bind_ipv6_only(struct unit_parse_ctx *ctx, const struct unit_key *k,
                               const char *value)
{
    static const struct value_name names[] = {
        {"default", BIND_IPV6_DEFAULT},
        {"both", BIND_IPV6_BOTH},
        {"ipv6-only", BIND_IPV6_ONLY},
        {NULL, 0},
    };
    int v = BIND_IPV6_DEFAULT;

    (void)k;
    if (*value && !value_lookup(names, value, &v)) {
        /* systemd takes a boolean too: yes is ipv6-only, no is both. */
        int b = value_parse_bool(value);
        if (b < 0)
            return unit_key_invalid(ctx, "want default, both or ipv6-only");
        v = b ? BIND_IPV6_ONLY : BIND_IPV6_BOTH;
    }
    SOCK(ctx)->bind_ipv6_only = (enum bind_ipv6_only)v;
    return 0;
}

int value_parse_symlinks(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    struct strv words = {0};
    int r = 0;

    (void)k;
    if (!*value) {
        strv_clear(&s->symlinks);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n && r == 0; i++) {
        char *path = socket_path(ctx, words.v[i]);
        if (!path)
            r = -1;
        else if (strv_contains(&s->symlinks, path))
            free(path);
        else
            r = strv_push_owned(&s->symlinks, path);
    }
    strv_clear(&words);
    return r;
}

/* arg 0: MaxConnections= (at least 1, empty: 64), arg 1:
 * MaxConnectionsPerSource= (empty: MaxConnections='s value). */
int value_parse_max_connections(struct unit_parse_ctx *ctx, const struct unit_key *k,
                                const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    unsigned long long v = 0;

    if (*value && (value_parse_ull(value, 10, UINT_MAX, &v) < 0 || (k->arg == 0 && v == 0)))
        return unit_key_invalid(ctx, k->arg == 0 ? "not a number above 0" : "not a number");
    if (k->arg == 0) {
        s->max_connections = *value ? (unsigned)v : unit_socket_default.max_connections;
    } else {
        s->max_connections_per_source = (unsigned)v;
        s->max_connections_per_source_set = *value != '\0';
    }
    return 0;
}

int value_parse_trigger_burst(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    unsigned long long v = 0;

    (void)k;
    if (*value && value_parse_ull(value, 10, UINT_MAX, &v) < 0)
        return unit_key_invalid(ctx, "not a number");
    s->trigger_limit_burst = (unsigned)v;
    s->trigger_limit_burst_set = *value != '\0';
    return 0;
}

/* systemd's parse_size() with base 1024: "1.5M", "64K", "1G 512M"; the
 * sum of the parts. The kernel takes an int: at most INT_MAX bytes. */
static int parse_iec_size(const char *s, uint64_t *out)
{
    static const char suffixes[] = "KMGTPE";
    long double total = 0;
    bool any = false;

    while (*s) {
        s += strspn(s, " \t");
        if (!*s)
            break;
        if (*s < '0' || *s > '9')
            return -1;
        char *end;
        errno = 0;
        unsigned long long whole = strtoull(s, &end, 10);
        if (errno)
            return -1;
        long double v = (long double)whole, frac = 0, scale = 1;
        s = end;
        if (*s == '.') {
            s++;
            if (*s < '0' || *s > '9')
                return -1;
            for (; *s >= '0' && *s <= '9'; s++)
                if (scale < 1e18L) {
                    scale *= 10;
                    frac += (long double)(*s - '0') / scale;
                }
        }
        s += strspn(s, " \t");
        long double mult = 1;
        const char *sfx = *s ? strchr(suffixes, *s) : NULL;
        if (sfx) {
            for (const char *p = suffixes; p <= sfx; p++)
                mult *= 1024;
            s++;
        } else if (*s == 'B') {
            s++;
        }
        total += (v + frac) * mult;
        if (total > (long double)INT_MAX)
            return -1;
        any = true;
    }
    if (!any)
        return -1;
    *out = (uint64_t)total;
    return 0;
}

/* ReceiveBuffer= (arg 0), SendBuffer= (arg 1); empty: the kernel's. */
int value_parse_socket_buffer(struct unit_parse_ctx *ctx, const struct unit_key *k,
                              const char *value)
{
    struct unit_socket *s = SOCK(ctx);
    uint64_t v = 0;

    if (*value && parse_iec_size(value, &v) < 0)
        return unit_key_invalid(ctx, "not a size (bytes, or with K, M, G), at most 2G-1");
    if (k->arg)
        s->send_buffer = v;
    else
        s->receive_buffer = v;
    return 0;
}

/* [Service] Sockets=: .socket names, appended; empty resets. */
int value_parse_sockets(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    struct strv *field = UNIT_KEY_FIELD(ctx, k, struct strv);
    struct strv words = {0};
    int r = 0;

    if (!*value) {
        strv_clear(field);
        return 0;
    }
    if (value_words(ctx, value, &words) < 0)
        return -1;
    for (size_t i = 0; i < words.n && r == 0; i++) {
        if (!unit_socket_name_valid(words.v[i]))
            r = unit_key_invalid(ctx, "not a .socket unit name");
        else if (!strv_contains(field, words.v[i]))
            r = strv_push(field, words.v[i]);
    }
    strv_clear(&words);
    return r;
}

/* [Service] StandardInput=: null or socket; the terminal and data kinds
 * are read as null, with a warning. */
int value_parse_input(struct unit_parse_ctx *ctx, const struct unit_key *k, const char *value)
{
    static const char *const unsupported[] = {"tty", "tty-force", "tty-fail", "data", NULL};
    struct unit_exec *x = UNIT_KEY_FIELD(ctx, k, struct unit_exec);

    if (!*value || strcmp(value, "null") == 0) {
        x->std_input = INPUT_NULL;
        return 0;
    }
    if (strcmp(value, "socket") == 0) {
        x->std_input = INPUT_SOCKET;
        return 0;
    }
    bool known = strncmp(value, "file:", 5) == 0 || strncmp(value, "fd:", 3) == 0;
    for (const char *const *p = unsupported; *p && !known; p++)
        known = strcmp(*p, value) == 0;
    if (!known)
        return unit_key_invalid(ctx, "want null or socket");
    unit_diag(ctx, DIAG_WARNING, ctx->lineno,
              "StandardInput=%s is not supported, /dev/null is used", value);
    x->std_input = INPUT_NULL;
    return 0;
}

int unit_socket_finalize(struct unit_parse_ctx *ctx)
{
    struct unit *u = ctx->u;
    const struct unit_socket *s = unit_socket(u);

    /* systemd's checks and words (socket_verify()). */
    if (s->n == 0)
        unit_diag(ctx, DIAG_ERROR, 0,
                  "Unit has no Listen setting (ListenStream=, ListenDatagram=, ListenFIFO=, "
                  "...). Refusing.");
    for (size_t i = 0; s->accept && i < s->n; i++) {
        if (s->v[i].kind == SOCKET_LISTEN_DATAGRAM || s->v[i].kind == SOCKET_LISTEN_FIFO) {
            unit_diag(ctx, DIAG_ERROR, s->v[i].lineno,
                      "Unit configured for accepting sockets, but sockets are non-accepting. "
                      "Refusing.");
            break;
        }
    }
    if (s->accept && s->service)
        unit_diag(ctx, DIAG_ERROR, 0,
                  "Explicit service configuration for accepting socket units not supported. "
                  "Refusing.");
    char buf[512];
    if (!unit_socket_activates(u, buf, sizeof(buf)))
        unit_diag(ctx, DIAG_ERROR, 0, "a socket's name must end in .socket");
    if (u->loaded && u->socket) {
        struct unit_socket *w = u->socket;
        w->trigger_limit_burst = unit_socket_trigger_burst(w);
        if (!w->max_connections_per_source_set)
            w->max_connections_per_source = w->max_connections;
    }
    return u->loaded ? 0 : -1;
}
