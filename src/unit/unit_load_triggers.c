/* unit_load_triggers.c - what loaded timers, sockets and services bring
 * along (unit_load_triggers.h). With --systemd, logrotate.timer is enabled
 * in timers.target.wants/ and ssh.socket in sockets.target.wants/, but
 * logrotate.service and ssh.service may be in no .wants/: they are loaded
 * because something activates them, as systemd loads a unit that another
 * names. */
#include "unit/unit_load_triggers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit/unit_files.h"
#include "unit/unit_socket.h"

static int unit_ptr_cmp(const void *a, const void *b)
{
    const struct unit *ua = *(const struct unit *const *)a;
    const struct unit *ub = *(const struct unit *const *)b;
    return strcmp(ua->name, ub->name);
}

/* The unit named name among v (sorted), or NULL. */
static struct unit *find(struct unit *const *v, size_t n, const char *name)
{
    struct unit key = {.name = (char *)name}, *k = &key;
    struct unit *const *hit = n ? bsearch(&k, v, n, sizeof(*v), unit_ptr_cmp) : NULL;
    return hit ? *hit : NULL;
}

static int want_one(struct unit *const *v, size_t n, const struct strv *dirs,
                    const struct strv *skip, struct strv *want, const char *name)
{
    if (!name || find(v, n, name) || strv_contains(skip, name) || strv_contains(want, name) ||
        unit_first_file(dirs, name) >= 0)
        return 0;
    return strv_push(want, name);
}

int unit_triggers_wanted(struct unit *const *v, size_t n, const struct strv *dirs,
                         const struct strv *skip, struct strv *want)
{
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        const struct unit *u = v[i];
        char buf[512];
        if (u->kind == UNIT_KIND_TIMER) {
            r = want_one(v, n, dirs, skip, want, unit_timer(u)->unit);
        } else if (u->kind == UNIT_KIND_SOCKET) {
            /* Accept=yes starts instances of a template, made at runtime. */
            if (!unit_socket(u)->accept)
                r = want_one(v, n, dirs, skip, want, unit_socket_activates(u, buf, sizeof(buf)));
        } else if (u->kind == UNIT_KIND_SERVICE) {
            const struct strv *socks = &unit_deps(u)->sockets;
            for (size_t k = 0; k < socks->n && r == 0; k++)
                r = want_one(v, n, dirs, skip, want, socks->v[k]);
        }
    }
    if (r < 0)
        errno = ENOMEM;
    return r;
}

const char *unit_triggers_missing_template(const struct unit *u, const struct strv *search,
                                           char *buf, size_t size)
{
    if (u->kind != UNIT_KIND_SOCKET || !unit_socket(u)->accept)
        return NULL;
    const char *tmpl = unit_socket_activates(u, buf, size);
    if (!tmpl)
        return NULL; /* not NAME.socket: finalize refused it already */
    return unit_first_file(search, tmpl) == 0 ? NULL : tmpl;
}

/* Adds name to list unless it is there. */
static int dep_add(struct unit *u, size_t list_offset, const char *name)
{
    struct unit_deps *d = unit_part(u, UNIT_PART_DEPS);
    if (!d)
        return -1;
    struct strv *list = (struct strv *)(void *)((char *)d + list_offset);
    return strv_contains(list, name) ? 0 : strv_push(list, name);
}

#define BEFORE offsetof(struct unit_deps, before)
#define AFTER offsetof(struct unit_deps, after)
#define WANTS offsetof(struct unit_deps, wants)

int unit_triggers_add_deps(struct unit *const *v, size_t n)
{
    int r = 0;
    for (size_t i = 0; i < n && r == 0; i++) {
        struct unit *u = v[i];
        char buf[512];
        if (u->kind == UNIT_KIND_SOCKET && !unit_socket(u)->accept) {
            const char *svc = unit_socket_activates(u, buf, sizeof(buf));
            struct unit *x = svc ? find(v, n, svc) : NULL;
            if (svc)
                r = dep_add(u, BEFORE, svc);
            if (r == 0 && x)
                r = dep_add(x, AFTER, u->name);
        } else if (u->kind == UNIT_KIND_SERVICE) {
            const struct strv *socks = &unit_deps(u)->sockets;
            for (size_t k = 0; k < socks->n && r == 0; k++) {
                struct unit *s = find(v, n, socks->v[k]);
                r = dep_add(u, WANTS, socks->v[k]);
                if (r == 0)
                    r = dep_add(u, AFTER, socks->v[k]);
                if (r == 0 && s)
                    r = dep_add(s, BEFORE, u->name);
            }
        }
    }
    if (r < 0)
        errno = ENOMEM;
    return r;
}
