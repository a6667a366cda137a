/* fdstore.c - services' FDSTORE=1 descriptors (fdstore.h).
 *
 * Each service that stored something has a list of entries in the order
 * stored. Entries are watched for EPOLLERR/EPOLLHUP through an epoll set of
 * the store's own, registered with no event bits (those two always come),
 * which libev watches as one fd: libev's ev_io cannot ask for hangups only.
 */
#include "run/fdstore.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/fd_close.h"
#include "base/log.h"
#include "base/ratelimit.h"

#ifndef KCMP_FILE
#define KCMP_FILE 0
#endif

struct fd_entry {
    struct fd_entry *next;
    struct fdstore *store;
    int fd;
    bool polled; /* in the epoll set */
    char name[];
};

struct fdstore {
    struct fdstore *next;
    struct service *s;
    struct fd_entry *head, **tail;
    size_t n;
    bool release_check; /* went inactive: closed if still so before the loop waits */
};

struct fdstores {
    struct fdstore *list;
    size_t total, cap; /* fds held by all stores, and the most they may hold */
    int epfd;
    size_t npolled;
    ev_io ep_watcher;
    ev_prepare release;
    struct ratelimit warnings; /* refusals, per service */
};

bool fdstore_name_valid(const char *name, size_t len)
{
    if (len == 0 || len > FDSTORE_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (name[i] == ':' || name[i] < ' ' || name[i] > '~')
            return false;
    return true;
}

/* Half of the descriptors pxinit has left now. */
static size_t global_cap(void)
{
    struct rlimit rl;
    size_t limit = 1024, open = 0;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        limit = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (1u << 20) ? (1u << 20)
                                                                         : (size_t)rl.rlim_cur;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        while (readdir(d))
            open++;
        closedir(d);
    } else {
        open = limit / 2; /* unknown: assume half is used */
    }
    return limit > open ? (limit - open) / 2 : 0;
}

static struct fdstore *store_of(const struct pxinit *px, const struct service *s)
{
    if (!px->fdstores)
        return NULL;
    for (struct fdstore *st = px->fdstores->list; st; st = st->next)
        if (st->s == s)
            return st;
    return NULL;
}

static void entry_drop(struct pxinit *px, struct fdstore *st, struct fd_entry *e)
{
    struct fdstores *all = px->fdstores;
    struct fd_entry **pp = &st->head;
    while (*pp != e)
        pp = &(*pp)->next;
    *pp = e->next;
    if (st->tail == &e->next)
        st->tail = pp;
    if (e->polled) {
        /* Before the close: the service may hold the same file open, and
         * the set would keep reporting it. */
        (void)epoll_ctl(all->epfd, EPOLL_CTL_DEL, e->fd, NULL);
        if (--all->npolled == 0)
            ev_io_stop(px->loop, &all->ep_watcher);
    }
    fd_close_foreign(e->fd); /* a socket its service made linger */
    st->n--;
    all->total--;
    free(e);
}

static void store_release(struct pxinit *px, struct fdstore *st)
{
    while (st->head)
        entry_drop(px, st, st->head);
    struct fdstore **pp = &px->fdstores->list;
    while (*pp != st)
        pp = &(*pp)->next;
    *pp = st->next;
    free(st);
}

static void ep_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    struct epoll_event ev[32];
    (void)revents;
    int n = epoll_wait(w->fd, ev, 32, 0);
    for (int i = 0; i < n; i++) {
        struct fd_entry *e = ev[i].data.ptr;
        log_unit_debug(e->store->s->name, "stored fd '%s' hung up, dropping it", e->name);
        entry_drop(px, e->store, e);
    }
}

/* Closes the stores of units that are still inactive: a restart's stop has
 * started them again by now. */
static void release_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    (void)revents;
    ev_prepare_stop(loop, w);
    struct fdstore *st = px->fdstores->list;
    while (st) {
        struct fdstore *next = st->next;
        if (st->release_check) {
            st->release_check = false;
            if (st->s->sub == SUB_DEAD || st->s->sub == SUB_FAILED) {
                log_unit_debug(st->s->name, "stopped: closing %zu stored fds", st->n);
                store_release(px, st);
            }
        }
        st = next;
    }
}

static struct fdstores *stores_get(struct pxinit *px)
{
    if (px->fdstores)
        return px->fdstores;
    struct fdstores *all = calloc(1, sizeof(*all));
    if (!all)
        return NULL;
    all->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (all->epfd < 0) {
        free(all);
        return NULL;
    }
    all->cap = global_cap();
    ev_io_init(&all->ep_watcher, ep_cb, all->epfd, EV_READ);
    ev_prepare_init(&all->release, release_cb);
    ratelimit_init(&all->warnings, 10.0, 3, 10);
    px->fdstores = all;
    return all;
}

static void refuse(struct pxinit *px, struct service *s, size_t n, const char *why)
{
    unsigned long held = 0;
    struct fdstores *all = px->fdstores;
    if (all && !ratelimit_allow(&all->warnings, (int64_t)(intptr_t)s, ev_now(px->loop), &held))
        return;
    if (held)
        log_unit_warn(s->name, "%lu fd store warnings suppressed", held);
    log_unit_warn(s->name, "FDSTORE=1: %zu fd%s refused: %s", n, n == 1 ? "" : "s", why);
}

/* Whether fd is the same open file as one s stored already (kcmp); no
 * when that cannot be told. */
static bool already_stored(const struct fdstore *st, int fd)
{
    pid_t self = getpid();
    for (const struct fd_entry *e = st->head; e; e = e->next)
        if (syscall(SYS_kcmp, self, self, KCMP_FILE, e->fd, fd) == 0)
            return true;
    return false;
}

size_t fdstore_add(struct pxinit *px, struct service *s, int *fds, size_t n, const char *name,
                   size_t name_len, bool poll)
{
    unsigned max = unit_exec(s->unit)->fd_store_max;
    if (n == 0)
        return 0;
    if (max == 0) {
        if (stores_get(px))
            refuse(px, s, n, "FileDescriptorStoreMax= is 0");
        return 0;
    }
    if (s->sub == SUB_DEAD || s->sub == SUB_FAILED) {
        refuse(px, s, n, "the unit is not running");
        return 0;
    }
    if (name && !fdstore_name_valid(name, name_len)) {
        log_unit_warn(s->name, "FDNAME= invalid, using \"%s\"", FDSTORE_NAME_DEFAULT);
        name = NULL;
    }
    if (!name) {
        name = FDSTORE_NAME_DEFAULT;
        name_len = strlen(name);
    }
    struct fdstores *all = stores_get(px);
    struct fdstore *st = store_of(px, s);
    if (!all)
        return 0;
    if (!st) {
        if (!(st = calloc(1, sizeof(*st))))
            return 0;
        st->s = s;
        st->tail = &st->head;
        st->next = all->list;
        all->list = st;
    }
    size_t kept = 0, full = 0;
    for (size_t i = 0; i < n; i++) {
        if (fds[i] < 0)
            continue;
        if (already_stored(st, fds[i]))
            continue; /* the caller closes the copy */
        if (st->n >= max || all->total >= all->cap) {
            full++;
            continue;
        }
        struct fd_entry *e = malloc(sizeof(*e) + name_len + 1);
        if (!e) {
            full++;
            continue;
        }
        e->next = NULL;
        e->store = st;
        e->fd = fds[i];
        e->polled = false;
        memcpy(e->name, name, name_len);
        e->name[name_len] = '\0';
        if (poll) {
            struct epoll_event ev = {.events = 0, .data.ptr = e};
            /* EPERM: a regular file or directory, which cannot hang up. */
            if (epoll_ctl(all->epfd, EPOLL_CTL_ADD, e->fd, &ev) == 0) {
                e->polled = true;
                if (all->npolled++ == 0)
                    ev_io_start(px->loop, &all->ep_watcher);
            }
        }
        *st->tail = e;
        st->tail = &e->next;
        st->n++;
        all->total++;
        fds[i] = -1;
        kept++;
    }
    if (full)
        refuse(px, s, full,
               st->n >= max ? "FileDescriptorStoreMax= reached" : "pxinit's fd store is full");
    if (kept)
        log_unit_debug(s->name, "stored %zu fd%s as '%s' (%zu held)", kept, kept == 1 ? "" : "s",
                       name, st->n);
    if (st->n == 0)
        store_release(px, st);
    return kept;
}

void fdstore_remove(struct pxinit *px, struct service *s, const char *name, size_t len)
{
    struct fdstore *st = store_of(px, s);
    if (!name || !fdstore_name_valid(name, len)) {
        log_unit_warn(s->name, "FDSTOREREMOVE=1 without a valid FDNAME=, ignoring");
        return;
    }
    if (!st)
        return;
    struct fd_entry *e = st->head;
    while (e) {
        struct fd_entry *next = e->next;
        if (strlen(e->name) == len && memcmp(e->name, name, len) == 0)
            entry_drop(px, st, e);
        e = next;
    }
    if (st->n == 0)
        store_release(px, st);
}

int fdstore_collect(struct pxinit *px, struct service *s, struct fd_pass *fp)
{
    struct fdstore *st = store_of(px, s);
    for (struct fd_entry *e = st ? st->head : NULL; e; e = e->next)
        if (fd_pass_add(fp, e->fd, e->name) < 0)
            return -1;
    return 0;
}

size_t fdstore_count(const struct pxinit *px, const struct service *s)
{
    if (!px->fdstores)
        return 0;
    if (!s)
        return px->fdstores->total;
    const struct fdstore *st = store_of(px, s);
    return st ? st->n : 0;
}

void fdstore_unit_changed(struct pxinit *px, struct service *s)
{
    if (s->sub != SUB_DEAD && s->sub != SUB_FAILED)
        return;
    struct fdstore *st = store_of(px, s);
    if (!st)
        return;
    st->release_check = true;
    ev_prepare_start(px->loop, &px->fdstores->release);
}

void fdstore_forget(struct pxinit *px, struct service *s)
{
    struct fdstore *st = store_of(px, s);
    if (st)
        store_release(px, st);
}

void fdstore_free(struct pxinit *px)
{
    struct fdstores *all = px->fdstores;
    if (!all)
        return;
    while (all->list)
        store_release(px, all->list);
    ev_io_stop(px->loop, &all->ep_watcher);
    ev_prepare_stop(px->loop, &all->release);
    close(all->epfd);
    free(all);
    px->fdstores = NULL;
}
