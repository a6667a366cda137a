/* timer_run.c - timer units in the running daemon (timer_run.h): the real
 * struct timer_ops, and the glue between timers, the clocks
 * (timer_clock.c) and the units they start. */
#include "run/timer_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/timespan.h"
#include "base/tz.h"
#include "base/virt.h"
#include "core/timer.h"
#include "core/unit_type.h"
#include "run/timer_clock.h"
#include "run/timer_stamp.h"

/* A timer's record beside its struct service. */
struct timer_run {
    struct timer_rt rt;
    struct service *s;
    size_t pos; /* in timers->all */
    /* What the index sorted it by (compared as a pointer only: Unit= of a
     * definition a reload replaced may be freed). */
    const char *indexed_as;
    struct timer_clock_entry clk[TIMER_CLOCK__COUNT];
};

struct timers {
    struct timer_clocks *clocks;
    struct timer_run **all; /* every attached timer */
    size_t n, cap;
    struct service **index; /* the timers in the table, by the unit they activate */
    size_t nindex;
    bool index_dirty;
    uint64_t start_mono, start_real; /* pxinit's start, near enough */
    uint64_t boot_mono;              /* OnBootSec='s origin */
    uint64_t machine_hash;
    bool stamp_warned;
};

static struct timer_run *tr_of(const struct service *s)
{
    return (struct timer_run *)s->timer_rt; /* rt is its first member */
}

static struct pxinit *px_of_timer(struct service *t)
{
    return t->ctx; /* the supervisor's record: struct pxinit */
}

/* --- what a timer counts from ------------------------------------------------ */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(0x100000001b3);
    return h;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

static uint64_t machine_hash(void)
{
    char buf[64] = "";
    int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        buf[n > 0 ? n : 0] = '\0';
        close(fd);
    }
    return hash_bytes(UINT64_C(0xcbf29ce484222325), buf, strlen(buf));
}

/* The inode of the initial PID namespace (the kernel's PROC_PID_INIT_INO). */
#define PID_NS_INIT_INO 0xEFFFFFFCu

/* In a container (or as PID 1 of a PID namespace) the boot is pxinit's
 * start, as systemd maps OnBootSec= (SPEC). */
static bool in_container(const struct pxinit *px)
{
    if (virt_get()->kind == VIRT_CONTAINER)
        return true;
    struct stat st;
    return px->is_pid1 && stat("/proc/self/ns/pid", &st) == 0 && st.st_ino != PID_NS_INIT_INO;
}

static struct timers *timers_get(struct pxinit *px);

/* --- the ops ------------------------------------------------------------------ */

static uint64_t op_now(struct service *t, enum timer_clock c)
{
    return timer_clock_now(c);
}

static int op_arm(struct service *t, enum timer_clock c, uint64_t earliest, uint64_t latest)
{
    struct pxinit *px = px_of_timer(t);
    struct timers *ts = px->timers;
    /* Set up with the first timer that needs them, armed or not (one with
     * OnClockChange= alone waits for nothing else). */
    if (timer_wants_clock(t))
        timer_clocks_watch_clock(ts->clocks);
    if (timer_wants_zone(t))
        timer_clocks_watch_zone(ts->clocks);
    if (timer_clocks_arm(ts->clocks, &tr_of(t)->clk[c], c, earliest, latest) < 0)
        return -1;
    /* A new elapse while it waits changes no state: tell the control plane
     * (what shows the next elapse) here; otherwise the change that follows
     * does. */
    if (earliest != USEC_INFINITY && t->timer_rt->sub == TIMER_SUB_WAITING)
        run_hooks_unit_changed(&px->hooks, t);
    return 0;
}

static struct service *activated(struct service *t)
{
    const char *name = timer_activates(t);
    return name ? unit_table_find(&px_of_timer(t)->table, name) : NULL;
}

static bool op_unit_loaded(struct service *t)
{
    return activated(t) != NULL;
}

static bool op_unit_active(struct service *t)
{
    struct service *u = activated(t);
    return u && !svc_is_settled(u);
}

static int op_trigger(struct service *t)
{
    struct pxinit *px = px_of_timer(t);
    struct service *u = activated(t);
    if (!u)
        return -1;
    if (px->phase >= PHASE_STOPPING) {
        log_unit_debug(t->name, "shutting down: %s is not started", u->name);
        return 0;
    }
    /* Not an explicit request: a unit past its start limit stays down. */
    unit_start(u, false);
    return 0;
}

/* STATE/timers/stamp-NAME.timer, as systemd's /var/lib/systemd/timers. */
static void stamp_warn(struct pxinit *px, const char *what, const char *name)
{
    struct timers *ts = px->timers;
    if (ts->stamp_warned) {
        log_debug("timers: %s the stamp of %s: %s", what, name, strerror(errno));
        return;
    }
    ts->stamp_warned = true;
    log_warn("timers: %s the stamp of %s under %s (Persistent= stamps are not kept)", what, name,
             px->opts.state_dir);
}

static uint64_t op_stamp_read(struct service *t)
{
    struct pxinit *px = px_of_timer(t);
    uint64_t usec = 0;
    if (timer_stamp_read(px->opts.state_dir, t->unit->name, &usec) < 0)
        stamp_warn(px, "cannot read", t->unit->name);
    return usec;
}

static void op_stamp_write(struct service *t, uint64_t realtime)
{
    struct pxinit *px = px_of_timer(t);
    if (timer_stamp_write(px->opts.state_dir, t->unit->name, realtime) < 0)
        stamp_warn(px, "cannot write", t->unit->name);
}

static uint64_t op_origin(struct service *t, enum timer_base base)
{
    struct timers *ts = px_of_timer(t)->timers;
    return base == TIMER_BOOT ? ts->boot_mono : ts->start_mono;
}

static uint64_t op_start_realtime(struct service *t)
{
    return px_of_timer(t)->timers->start_real;
}

static uint64_t op_random(struct service *t, bool fixed)
{
    struct timers *ts = px_of_timer(t)->timers;
    if (fixed)
        return mix(hash_bytes(ts->machine_hash, t->unit->name, strlen(t->unit->name)));
    uint64_t r;
    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
        return r;
    return mix(timer_clock_now(TIMER_CLOCK_MONOTONIC) ^ (uint64_t)getpid() ^ (uintptr_t)t);
}

static const struct timer_ops real_timer_ops = {
    .now = op_now,
    .arm = op_arm,
    .unit_loaded = op_unit_loaded,
    .unit_active = op_unit_active,
    .trigger = op_trigger,
    .stamp_read = op_stamp_read,
    .stamp_write = op_stamp_write,
    .origin = op_origin,
    .start_realtime = op_start_realtime,
    .random = op_random,
};

/* --- the clocks' events ----------------------------------------------------- */

static void clock_fire(void *ctx, struct timer_clock_entry *e, enum timer_clock c)
{
    struct timer_run *tr = (struct timer_run *)((char *)(e - c) - offsetof(struct timer_run, clk));
    timer_elapsed(tr->s, c);
}

/* Every timer hears of it; they may change state, never the list. */
static void clock_set(void *ctx)
{
    struct timers *ts = ((struct pxinit *)ctx)->timers;
    for (size_t i = 0; i < ts->n; i++)
        timer_clock_changed(ts->all[i]->s);
}

static void zone_changed(void *ctx)
{
    struct timers *ts = ((struct pxinit *)ctx)->timers;
    if (tz_local_reload())
        log_info("the local time zone changed: computing calendar elapses again");
    for (size_t i = 0; i < ts->n; i++)
        timer_zone_changed(ts->all[i]->s);
}

static const struct timer_clock_events clock_events = {
    .fire = clock_fire,
    .clock_set = clock_set,
    .zone_changed = zone_changed,
};

static struct timers *timers_get(struct pxinit *px)
{
    if (px->timers)
        return px->timers;
    struct timers *ts = calloc(1, sizeof(*ts));
    if (!ts)
        return NULL;
    ts->machine_hash = machine_hash();
    ts->clocks = timer_clocks_new(px->loop, &clock_events, px, mix(ts->machine_hash));
    if (!ts->clocks) {
        free(ts);
        return NULL;
    }
    ts->start_mono = timer_clock_now(TIMER_CLOCK_MONOTONIC);
    ts->start_real = timer_clock_now(TIMER_CLOCK_REALTIME);
    ts->boot_mono = in_container(px) ? ts->start_mono : 0;
    ts->index_dirty = true;
    px->timers = ts;
    return ts;
}

/* --- attach, detach ----------------------------------------------------------- */

int timer_run_attach(struct pxinit *px, struct service *s)
{
    if (s->unit->kind != UNIT_KIND_TIMER)
        return 0;
    struct timers *ts = timers_get(px);
    struct timer_run *tr = ts ? calloc(1, sizeof(*tr)) : NULL;
    if (!tr)
        return -1;
    if (ts->n == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 16;
        struct timer_run **v = realloc(ts->all, cap * sizeof(*v));
        if (!v) {
            free(tr);
            return -1;
        }
        ts->all = v;
        ts->cap = cap;
    }
    if (timer_rt_init(&tr->rt, s->unit, &real_timer_ops) < 0) {
        free(tr);
        return -1;
    }
    tr->s = s;
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++)
        timer_clock_entry_init(&tr->clk[c]);
    tr->pos = ts->n;
    ts->all[ts->n++] = tr;
    ts->index_dirty = true;
    s->timer_rt = &tr->rt;
    return 0;
}

void timer_run_detach(struct pxinit *px, struct service *s)
{
    struct timers *ts = px->timers;
    if (s->unit->kind != UNIT_KIND_TIMER || !s->timer_rt || !ts)
        return;
    struct timer_run *tr = tr_of(s);
    for (int c = 0; c < TIMER_CLOCK__COUNT; c++)
        timer_clocks_arm(ts->clocks, &tr->clk[c], (enum timer_clock)c, USEC_INFINITY, 0);
    ts->all[tr->pos] = ts->all[--ts->n];
    ts->all[tr->pos]->pos = tr->pos;
    ts->index_dirty = true;
    timer_rt_release(&tr->rt);
    free(tr);
    s->timer_rt = NULL;
}

/* --- the units timers activate ------------------------------------------------- */

static int by_activated(const void *a, const void *b)
{
    const char *x = timer_activates(*(struct service *const *)a);
    const char *y = timer_activates(*(struct service *const *)b);
    return strcmp(x ? x : "", y ? y : "");
}

/* The timers of the table, sorted by the unit each activates; false
 * without memory (then nobody hears: logged once per build). */
static bool index_fresh(struct pxinit *px, struct timers *ts)
{
    if (!ts->index_dirty)
        return true;
    struct service **v = realloc(ts->index, (ts->n ? ts->n : 1) * sizeof(*v));
    if (!v) {
        log_warnx("timers: out of memory: the units they start are not followed");
        return false;
    }
    ts->index = v;
    ts->nindex = 0;
    for (size_t i = 0; i < ts->n; i++) {
        struct service *t = ts->all[i]->s;
        tr_of(t)->indexed_as = timer_activates(t);
        if (unit_table_find(&px->table, t->unit->name) == t)
            v[ts->nindex++] = t;
    }
    qsort(v, ts->nindex, sizeof(*v), by_activated);
    ts->index_dirty = false;
    return true;
}

/* The first index entry for the unit named name, and how many there are. */
static size_t index_find(const struct timers *ts, const char *name, size_t *count)
{
    size_t lo = 0, hi = ts->nindex;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *m = timer_activates(ts->index[mid]);
        if (strcmp(m ? m : "", name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < ts->nindex && timer_activates(ts->index[end]) &&
           strcmp(timer_activates(ts->index[end]), name) == 0)
        end++;
    *count = end - lo;
    return lo;
}

void timer_run_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old)
{
    struct timers *ts = px->timers;
    if (!ts || !ts->n)
        return;
    if (s->unit->kind == UNIT_KIND_TIMER) {
        /* A timer started on a new definition may activate another unit. */
        if (s->timer_rt && tr_of(s)->indexed_as != timer_activates(s))
            ts->index_dirty = true;
        return;
    }
    bool was = svc_state_of(old) == SVC_INACTIVE || svc_state_of(old) == SVC_FAILED;
    bool now = svc_is_settled(s);
    if (was == now || !index_fresh(px, ts))
        return;
    size_t n, i = index_find(ts, s->unit->name, &n);
    if (n == 0)
        return;
    /* A copy: what a timer does on the news (its state changes) may
     * rebuild the index under this loop. */
    struct service *few[8], **v = n <= 8 ? few : malloc(n * sizeof(*v));
    if (!v) {
        log_warnx("timers: out of memory: %s's timers miss its change", s->name);
        return;
    }
    memcpy(v, ts->index + i, n * sizeof(*v));
    for (size_t k = 0; k < n; k++)
        timer_unit_changed(v[k], was, now);
    if (v != few)
        free(v);
}

bool timer_run_activates(struct pxinit *px, const struct service *s)
{
    struct timers *ts = px->timers;
    if (!ts || !ts->n || !index_fresh(px, ts))
        return false;
    size_t n;
    index_find(ts, s->unit->name, &n);
    return n > 0;
}

void timer_run_table_changed(struct pxinit *px)
{
    if (px->timers)
        px->timers->index_dirty = true;
}

void timer_run_free(struct pxinit *px)
{
    struct timers *ts = px->timers;
    if (!ts)
        return;
    timer_clocks_free(ts->clocks);
    free(ts->all);
    free(ts->index);
    free(ts);
    px->timers = NULL;
}
