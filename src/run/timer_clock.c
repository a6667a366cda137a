/* timer_clock.c - one kernel timer per clock for the nearest elapse
 * (timer_clock.h). */
#include "run/timer_clock.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timespan.h"

struct clock_heaps {
    struct minheap early, late;
    int fd; /* timerfd, -1 until first needed */
    ev_io io;
    uint64_t programmed; /* the time the fd is set to, USEC_INFINITY: disarmed */
};

struct timer_clocks {
    struct ev_loop *loop;
    const struct timer_clock_events *ev;
    void *ctx;
    uint64_t perturb;
    struct clock_heaps c[TIMER_CLOCK__COUNT];
    bool watch_clock;
    int zone_fd; /* inotify on /etc, -1 until needed */
    ev_io zone_io;
    bool warned;      /* about a timerfd */
    bool zone_failed; /* no inotify: tried once */
};

/* Far enough to never fire, near enough for any timerfd: the realtime fd
 * stays set, so that a clock change is still seen. */
#define FAR_FUTURE_USEC (UINT64_C(1) << 52) /* the year 2112 */

static const clockid_t clock_ids[TIMER_CLOCK__COUNT] = {CLOCK_MONOTONIC, CLOCK_REALTIME};

uint64_t timer_clock_now(enum timer_clock c)
{
    struct timespec ts;
    if (clock_gettime(clock_ids[c], &ts) < 0)
        return 0;
    return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t timer_clock_wake_between(uint64_t a, uint64_t b, uint64_t perturb)
{
    /* The latest point in [a, b] on a grid, coarsest first: timers of
     * every unit, and of every machine with the same perturbation, meet
     * there and share the wake-up. */
    static const uint64_t grid[] = {60 * USEC_PER_SEC, 10 * USEC_PER_SEC, USEC_PER_SEC,
                                    250 * USEC_PER_MSEC};
    if (b <= a || b == USEC_INFINITY)
        return a;
    for (size_t i = 0; i < sizeof(grid) / sizeof(grid[0]); i++) {
        uint64_t g = grid[i], off = perturb % g;
        uint64_t c = b / g * g + off;
        if (c > b) {
            if (c < g)
                continue;
            c -= g;
        }
        if (c >= a)
            return c;
    }
    return b;
}

static struct timer_clock_entry *entry_of_early(struct minheap_item *it)
{
    return (struct timer_clock_entry *)((char *)it - offsetof(struct timer_clock_entry, early));
}

static void clock_cb(struct ev_loop *loop, ev_io *w, int revents);

static int clock_open(struct timer_clocks *tc, enum timer_clock c)
{
    struct clock_heaps *h = &tc->c[c];
    if (h->fd >= 0)
        return 0;
    h->fd = timerfd_create(clock_ids[c], TFD_CLOEXEC | TFD_NONBLOCK);
    if (h->fd < 0) {
        if (!tc->warned)
            log_warn("timers: cannot make a timerfd");
        tc->warned = true;
        return -1;
    }
    ev_io_init(&h->io, clock_cb, h->fd, EV_READ);
    h->io.data = tc;
    ev_io_start(tc->loop, &h->io);
    return 0;
}

/* Sets the clock's fd to the wake-up its heaps need now. */
static void clock_program(struct timer_clocks *tc, enum timer_clock c)
{
    struct clock_heaps *h = &tc->c[c];
    struct minheap_item *e = minheap_top(&h->early), *l = minheap_top(&h->late);
    uint64_t at = e ? timer_clock_wake_between(e->key, l->key, tc->perturb) : USEC_INFINITY;
    if (at == USEC_INFINITY && c == TIMER_CLOCK_REALTIME && tc->watch_clock)
        at = FAR_FUTURE_USEC;
    if (at == h->programmed || h->fd < 0)
        return;
    struct itimerspec its = {{0, 0}, {0, 0}};
    if (at != USEC_INFINITY) {
        /* 0 would disarm: the earliest a timerfd can be set to is 1 ns. */
        its.it_value.tv_sec = (time_t)(at / USEC_PER_SEC);
        its.it_value.tv_nsec = (long)(at % USEC_PER_SEC) * 1000;
        if (at == 0)
            its.it_value.tv_nsec = 1;
    }
    int flags = TFD_TIMER_ABSTIME | (c == TIMER_CLOCK_REALTIME ? TFD_TIMER_CANCEL_ON_SET : 0);
    if (timerfd_settime(h->fd, flags, &its, NULL) < 0) {
        log_warn("timers: timerfd_settime");
        h->programmed = USEC_INFINITY;
        return;
    }
    h->programmed = at;
}

/* Fires what is due on c: each entry whose window opened, at most as many
 * as were armed when it began (an entry re-armed in the past by its own
 * elapse waits for the next round, so the loop goes on). */
static void clock_dispatch(struct timer_clocks *tc, enum timer_clock c)
{
    struct clock_heaps *h = &tc->c[c];
    uint64_t now = timer_clock_now(c);
    size_t budget = h->early.n;
    struct minheap_item *top;
    while (budget-- > 0 && (top = minheap_top(&h->early)) && top->key <= now) {
        struct timer_clock_entry *e = entry_of_early(top);
        minheap_remove(&h->early, &e->early);
        minheap_remove(&h->late, &e->late);
        tc->ev->fire(tc->ctx, e, c);
    }
    clock_program(tc, c);
}

static void clock_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct timer_clocks *tc = w->data;
    enum timer_clock c =
        w == &tc->c[TIMER_CLOCK_REALTIME].io ? TIMER_CLOCK_REALTIME : TIMER_CLOCK_MONOTONIC;
    struct clock_heaps *h = &tc->c[c];
    uint64_t n;
    ssize_t r = read(h->fd, &n, sizeof(n));
    /* Expired or cancelled, the fd is set no more: clock_program() sets it
     * again, even to the same time. */
    h->programmed = USEC_INFINITY;
    if (r < 0 && errno == ECANCELED) {
        log_info("the system clock was set: computing calendar elapses again");
        tc->ev->clock_set(tc->ctx);
    } else if (r < 0 && errno != EAGAIN && errno != EINTR) {
        log_warn("timers: reading the timerfd");
    }
    clock_dispatch(tc, c);
}

int timer_clocks_arm(struct timer_clocks *tc, struct timer_clock_entry *e, enum timer_clock c,
                     uint64_t earliest, uint64_t latest)
{
    struct clock_heaps *h = &tc->c[c];
    if (earliest == USEC_INFINITY) {
        if (!minheap_item_queued(&e->early))
            return 0;
        minheap_remove(&h->early, &e->early);
        minheap_remove(&h->late, &e->late);
        clock_program(tc, c);
        return 0;
    }
    if (latest < earliest)
        latest = earliest;
    if (clock_open(tc, c) < 0)
        return -1;
    bool was = minheap_item_queued(&e->early);
    uint64_t old = e->early.key;
    if (minheap_set(&h->early, &e->early, earliest) < 0)
        return -1;
    if (minheap_set(&h->late, &e->late, latest) < 0) {
        if (was)
            minheap_set(&h->early, &e->early, old); /* moves back: allocates nothing */
        else
            minheap_remove(&h->early, &e->early);
        return -1;
    }
    clock_program(tc, c);
    return 0;
}

int timer_clocks_watch_clock(struct timer_clocks *tc)
{
    if (tc->watch_clock)
        return 0;
    if (clock_open(tc, TIMER_CLOCK_REALTIME) < 0)
        return -1;
    tc->watch_clock = true;
    clock_program(tc, TIMER_CLOCK_REALTIME);
    return 0;
}

static void zone_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct timer_clocks *tc = w->data;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    for (;;) {
        ssize_t n = read(tc->zone_fd, buf, sizeof(buf));
        if (n <= 0)
            break; /* EAGAIN: all read */
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            if ((ev->mask & IN_Q_OVERFLOW) || (ev->len && strcmp(ev->name, "localtime") == 0))
                changed = true;
            p += sizeof(*ev) + ev->len;
        }
    }
    if (changed)
        tc->ev->zone_changed(tc->ctx);
}

int timer_clocks_watch_zone(struct timer_clocks *tc)
{
    if (tc->zone_fd >= 0)
        return 0;
    if (tc->zone_failed)
        return -1;
    tc->zone_failed = true; /* until it worked: warned once */
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd < 0) {
        log_warn("timers: inotify_init1: time-zone changes are not seen");
        return -1;
    }
    /* /etc/localtime is usually a symlink replaced as a whole. */
    if (inotify_add_watch(fd, "/etc",
                          IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE |
                              IN_ATTRIB | IN_ONLYDIR) < 0) {
        log_warn("timers: watching /etc: time-zone changes are not seen");
        close(fd);
        return -1;
    }
    tc->zone_fd = fd;
    tc->zone_failed = false;
    ev_io_init(&tc->zone_io, zone_cb, fd, EV_READ);
    tc->zone_io.data = tc;
    ev_io_start(tc->loop, &tc->zone_io);
    return 0;
}

struct timer_clocks *timer_clocks_new(struct ev_loop *loop, const struct timer_clock_events *ev,
                                      void *ctx, uint64_t perturb)
{
    struct timer_clocks *tc = calloc(1, sizeof(*tc));
    if (!tc)
        return NULL;
    tc->loop = loop;
    tc->ev = ev;
    tc->ctx = ctx;
    tc->perturb = perturb;
    tc->zone_fd = -1;
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++) {
        tc->c[c].fd = -1;
        tc->c[c].programmed = USEC_INFINITY;
    }
    return tc;
}

void timer_clocks_free(struct timer_clocks *tc)
{
    if (!tc)
        return;
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++) {
        struct clock_heaps *h = &tc->c[c];
        if (h->fd >= 0) {
            ev_io_stop(tc->loop, &h->io);
            close(h->fd);
        }
        minheap_free(&h->early);
        minheap_free(&h->late);
    }
    if (tc->zone_fd >= 0) {
        ev_io_stop(tc->loop, &tc->zone_io);
        close(tc->zone_fd);
    }
    free(tc);
}
