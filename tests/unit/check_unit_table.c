/* check_unit_table.c - the unit table (run/unit_table.c) through its API,
 * with services made on the state machine's seam (fake svc_ops: nothing
 * forks): load, find, insert, a daemon-reload's diff (changed, restarting,
 * kept broken, removed, not loaded, added), what it leaves waiting and how
 * that settles; and every allocation of a reload, an insert and a load made
 * to fail in turn (this binary links malloc, calloc and realloc through
 * __wrap_ counters), each leaving the table in force untouched. Built with
 * --enable-sanitizers, a use-after-free or a leak there fails too.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/service.h"
#include "run/unit_table.h"
#include "unit/unit_parse.h"
#include "svc_quiet.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#define HAVE_LSAN 1
#endif

/* ---- the failing allocator ------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);

static long alloc_count; /* allocations since armed */
static long fail_at;     /* the one that fails (1-based); 0: none */

static bool alloc_fails(void)
{
    return fail_at > 0 && ++alloc_count == fail_at;
}

void *__wrap_malloc(size_t size)
{
    return alloc_fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return alloc_fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return alloc_fails() ? NULL : __real_realloc(p, size);
}

static void arm(long n)
{
    alloc_count = 0;
    fail_at = n;
}

/* True when the armed failure happened. */
static bool disarm(void)
{
    bool hit = fail_at > 0 && alloc_count >= fail_at;
    fail_at = 0;
    return hit;
}

/* ---- fake services ----------------------------------------------------------- */

static void fake_changed(struct service *s, enum svc_sub old)
{
}

static const struct svc_ops fake_ops = SVC_QUIET_OPS(fake_changed);

static struct service *t_new(void *ctx, struct unit *u)
{
    struct service *s = malloc(sizeof(*s));
    if (s)
        svc_init(s, u, &fake_ops, ctx);
    return s;
}

static void t_free(void *ctx, struct service *s)
{
    svc_release(s);
    free(s);
}

static size_t reserved;
static int t_reserve(void *ctx, size_t n)
{
    reserved = n;
    return 0;
}

static const struct unit_table_ops table_ops = {
    .service_new = t_new,
    .service_free = t_free,
    .reserve = t_reserve,
};

/* What the watch and the report heard, as one line "+a -b !c ...". */
static char heard[1024];

static void hear(char what, const char *name)
{
    size_t len = strlen(heard);
    snprintf(heard + len, sizeof(heard) - len, "%s%c%s", len ? " " : "", what, name);
}

static void w_added(void *ctx, struct service *s)
{
    hear('+', s->name);
}
static void w_removed(void *ctx, struct service *s)
{
    hear('-', s->name);
}
static void w_forget(void *ctx, struct service *s)
{
    hear('x', s->name);
}
static const struct unit_table_watch watch = {w_added, w_removed, w_forget};

static void on_change(void *ctx, const char *name, enum unit_change what)
{
    static const char code[] = {
        [UNIT_CHANGED] = 'C', [UNIT_RESTARTING] = 'R', [UNIT_KEPT_BROKEN] = 'K',
        [UNIT_REMOVED] = 'D', [UNIT_NOT_LOADED] = 'N', [UNIT_ADDED] = 'A'};
    hear(code[what], name);
}

/* ---- units --------------------------------------------------------------------- */

/* NAME.service from text (unit file syntax). */
static struct unit *mk(const char *name, const char *text)
{
    char full[64];
    snprintf(full, sizeof(full), "%s.service", name);
    struct unit *u = unit_new(full);
    ck_assert_ptr_nonnull(u);
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(unit_parse_stream(u, f, full, NULL), 0);
    fclose(f);
    unit_finalize(u, NULL);
    return u;
}

#define SIMPLE "[Service]\nExecStart=/bin/sleep 1\n"
#define SIMPLE2 "[Service]\nExecStart=/bin/sleep 2\n"
#define ONESHOT "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/bin/true\n"

static int unit_ptr_cmp(const void *a, const void *b)
{
    return strcmp((*(struct unit *const *)a)->name, (*(struct unit *const *)b)->name);
}

/* A sorted, allocated array of units (as the loader returns them). */
static struct unit **set_of(size_t n, struct unit **v)
{
    struct unit **a = malloc((n ? n : 1) * sizeof(*a));
    ck_assert_ptr_nonnull(a);
    memcpy(a, v, n * sizeof(*a));
    qsort(a, n, sizeof(*a), unit_ptr_cmp);
    return a;
}

/* Brings a oneshot to "exited" (active, no process): as if it ran. */
static void run_oneshot(struct service *s)
{
    svc_start(s, true);
    ck_assert(s->main.pending);
    s->main.pending = false;
    s->main.pid = 4242;
    svc_proc_started(s, &s->main);
    svc_proc_exited(s, &s->main, 0);
    ck_assert_int_eq(s->sub, SUB_EXITED);
}

static const char *names_of(const struct unit_table *t)
{
    static char buf[512];
    buf[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        ck_assert_ptr_eq(t->svc[i]->unit->name, t->svc[i]->unit->name);
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? " " : "", t->svc[i]->name);
    }
    return buf;
}

/* The table used by most tests: a (unchanged), b (will change, stopped),
 * c (will change, running: a oneshot in exited), d (will be removed,
 * BindsTo=a), e (its new file will be broken), and f@x, an instance. */
static void table_setup(struct unit_table *t)
{
    unit_table_init(t, &table_ops, NULL);
    struct unit *v[] = {
        mk("a", SIMPLE),
        mk("b", SIMPLE),
        mk("c", ONESHOT),
        mk("d", "[Unit]\nBindsTo=a.service\nAfter=a.service\n" SIMPLE),
        mk("e", "[Unit]\nAfter=d.service\n" SIMPLE),
    };
    struct unit **set = set_of(5, v);
    ck_assert_int_eq(unit_table_load(t, set, 5), 0);
    free(set);
    struct unit *inst = mk("f@x", SIMPLE);
    inst->instantiated = true;
    ck_assert_ptr_nonnull(unit_table_insert(t, inst));
    run_oneshot(unit_table_find(t, "c"));
    t->watch = &watch;
}

/* What daemon-reload reads after the files changed: a as it was, b and c
 * changed, d gone, e broken (in failed), g new, h broken and new. */
static struct unit **reload_set(size_t *n, struct strv *failed)
{
    struct unit *v[] = {
        mk("a", SIMPLE),
        mk("b", SIMPLE2),
        mk("c", "[Unit]\nConflicts=g.service\n" ONESHOT),
        mk("g", "[Unit]\nRequires=a.service\nAfter=c.service\n" SIMPLE),
    };
    *n = 4;
    *failed = (struct strv){0};
    ck_assert_int_eq(strv_push(failed, "e.service"), 0);
    ck_assert_int_eq(strv_push(failed, "h.service"), 0);
    return set_of(4, v);
}

/* ---- table basics ------------------------------------------------------------ */

START_TEST(test_load_find_order)
{
    struct unit_table t;
    table_setup(&t);
    ck_assert_str_eq(names_of(&t), "a b c d e f@x");
    ck_assert_ptr_eq(unit_table_find(&t, "d"), t.svc[3]);
    ck_assert_ptr_eq(unit_table_find(&t, "d.service"), t.svc[3]);
    ck_assert_ptr_null(unit_table_find(&t, "zz"));
    for (size_t i = 0; i < t.n; i++)
        ck_assert_uint_eq(t.svc[i]->idx, i);
    ck_assert_uint_eq(reserved, 6);
    /* Start order: a before d before e. */
    size_t pos[6];
    for (size_t k = 0; k < t.n; k++)
        pos[t.order[k]] = k;
    ck_assert_uint_lt(pos[0], pos[3]);
    ck_assert_uint_lt(pos[3], pos[4]);
    /* BindsTo= on both ends, After= as succ/pred. */
    struct service *a = t.svc[0], *d = t.svc[3];
    ck_assert_uint_eq(a->links->nrdeps, 1);
    ck_assert_ptr_eq(a->links->rdeps[0].s, d);
    ck_assert_uint_eq(a->links->rdeps[0].kinds, DEP_BINDS_TO);
    ck_assert_uint_eq(d->links->ndeps, 1);
    ck_assert_uint_eq(a->links->nsucc, 1);
    ck_assert_ptr_eq(a->links->succ[0], d);
    unit_table_free(&t);
}
END_TEST

START_TEST(test_insert)
{
    struct unit_table t;
    table_setup(&t);
    heard[0] = '\0';
    struct unit *u = mk("ab", "[Unit]\nPartOf=a.service\n" SIMPLE);
    struct service *s = unit_table_insert(&t, u);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_eq(s->unit, u);
    ck_assert_str_eq(names_of(&t), "a ab b c d e f@x");
    ck_assert_str_eq(heard, "+ab");
    ck_assert_ptr_eq(unit_table_find(&t, "ab"), s);
    ck_assert_uint_eq(t.svc[0]->links->nrdeps, 2); /* d and ab */
    unit_table_free(&t);
}
END_TEST

/* ---- daemon-reload ------------------------------------------------------------ */

START_TEST(test_reload_diff)
{
    struct unit_table t;
    table_setup(&t);
    struct service *a = unit_table_find(&t, "a"), *b = unit_table_find(&t, "b");
    struct service *c = unit_table_find(&t, "c"), *d = unit_table_find(&t, "d");
    struct unit *a_unit = a->unit, *c_unit = c->unit;
    size_t n;
    struct strv failed;
    struct unit **set = reload_set(&n, &failed);
    struct unit *b_new = set[1], *c_new = set[2];
    heard[0] = '\0';
    ck_assert_int_eq(unit_table_reload(&t, set, n, &failed, on_change, NULL), 0);
    /* Reports in table order, then the broken new ones, then the added;
     * then the watch: removed before added. */
    ck_assert_str_eq(heard, "Cb Rc Dd Ke Nh.service Ag -d +g");
    ck_assert_str_eq(names_of(&t), "a b c e f@x g");
    ck_assert_ptr_eq(a->unit, a_unit); /* equal: kept, the new copy freed */
    ck_assert_ptr_eq(b->unit, b_new);  /* stopped: applied at once */
    ck_assert_ptr_eq(c->unit, c_unit); /* running: waits for its stop */
    ck_assert_uint_eq(t.nswaps, 1);
    ck_assert_ptr_eq(t.swaps[0].s, c);
    ck_assert_ptr_eq(t.swaps[0].u, c_new);
    ck_assert_uint_eq(t.nretired, 1);
    ck_assert_ptr_eq(t.retired[0], d);
    ck_assert_ptr_eq(d->links, &svc_links_none);
    ck_assert_uint_eq(a->links->nrdeps, 1); /* g, not d any more */
    ck_assert_str_eq(a->links->rdeps[0].s->name, "g");
    ck_assert(!svc_is_settled(unit_table_find(&t, "g"))); /* started */
    ck_assert_int_eq(c->sub, SUB_DEAD);                   /* stopped: nothing was left to stop */
    ck_assert(unit_table_pending(&t));

    /* Settling frees d, gives c its new definition and starts it again. */
    heard[0] = '\0';
    ck_assert(!unit_table_settle(&t, false));
    ck_assert_str_eq(heard, "xd");
    ck_assert(!unit_table_pending(&t));
    ck_assert_ptr_eq(c->unit, c_new);
    ck_assert_int_eq(svc_state_of(c->sub), SVC_ACTIVATING);
    ck_assert_uint_eq(c->links->ndeps, 1); /* the new definition's Conflicts=g */
    strv_clear(&failed);
    unit_table_free(&t);
}
END_TEST

/* A removed unit still running is freed only once idle, and not while a
 * spawn report is in flight. */
START_TEST(test_reload_retire_waits)
{
    struct unit_table t;
    table_setup(&t);
    struct service *d = unit_table_find(&t, "d");
    svc_start(d, true); /* main pending: not idle */
    size_t n;
    struct strv failed;
    struct unit **set = reload_set(&n, &failed);
    ck_assert_int_eq(unit_table_reload(&t, set, n, &failed, NULL, NULL), 0);
    ck_assert_uint_eq(t.nretired, 1);
    ck_assert(!svc_is_settled(d));
    unit_table_settle(&t, false);
    ck_assert_uint_eq(t.nretired, 1);
    d->main.pending = false; /* its process arrives and goes on SIGTERM */
    d->main.pid = 4243;
    svc_proc_started(d, &d->main);
    svc_proc_exited(d, &d->main, 0);
    ck_assert(svc_is_settled(d));
    ck_assert(unit_table_settle(&t, true)); /* settled, but a report is in flight */
    ck_assert_uint_eq(t.nretired, 1);
    ck_assert(!unit_table_settle(&t, false));
    ck_assert_uint_eq(t.nretired, 0);
    strv_clear(&failed);
    unit_table_free(&t);
}
END_TEST

/* ---- every allocation failing in turn ------------------------------------- */

struct snapshot {
    size_t n, nretired, nswaps;
    struct service *svc[16];
    struct unit *unit[16];
    const struct svc_links *links[16];
    struct svc_links copy[16];
    struct service *succ[16][16], *pred[16][16];
    struct svc_dep deps[16][16], rdeps[16][16];
    enum svc_sub sub[16];
    size_t order[16];
    struct unit_swap swaps[16];
};

/* memcpy that a NULL source of zero bytes is fine for. */
static void copy(void *dst, const void *src, size_t len)
{
    if (len)
        memcpy(dst, src, len);
}

static void snap(const struct unit_table *t, struct snapshot *s)
{
    memset(s, 0, sizeof(*s));
    ck_assert_uint_le(t->n, 16);
    s->n = t->n;
    s->nretired = t->nretired;
    s->nswaps = t->nswaps;
    copy(s->swaps, t->swaps, t->nswaps * sizeof(*t->swaps));
    for (size_t i = 0; i < t->n; i++) {
        const struct service *v = t->svc[i];
        const struct svc_links *l = v->links;
        s->svc[i] = t->svc[i];
        s->unit[i] = v->unit;
        s->sub[i] = v->sub;
        s->order[i] = t->order[i];
        s->links[i] = l;
        s->copy[i] = *l;
        copy(s->succ[i], l->succ, l->nsucc * sizeof(*l->succ));
        copy(s->pred[i], l->pred, l->npred * sizeof(*l->pred));
        copy(s->deps[i], l->deps, l->ndeps * sizeof(*l->deps));
        copy(s->rdeps[i], l->rdeps, l->nrdeps * sizeof(*l->rdeps));
    }
}

static void snap_same(const struct unit_table *t, const struct snapshot *want)
{
    struct snapshot now;
    snap(t, &now);
    /* Padding aside, every field compared: the arrays are memset first. */
    ck_assert_uint_eq(now.n, want->n);
    ck_assert_uint_eq(now.nretired, want->nretired);
    ck_assert_uint_eq(now.nswaps, want->nswaps);
    ck_assert(memcmp(now.svc, want->svc, sizeof(now.svc)) == 0);
    ck_assert(memcmp(now.unit, want->unit, sizeof(now.unit)) == 0);
    ck_assert(memcmp(now.links, want->links, sizeof(now.links)) == 0);
    ck_assert(memcmp(now.copy, want->copy, sizeof(now.copy)) == 0);
    ck_assert(memcmp(now.succ, want->succ, sizeof(now.succ)) == 0);
    ck_assert(memcmp(now.pred, want->pred, sizeof(now.pred)) == 0);
    ck_assert(memcmp(now.deps, want->deps, sizeof(now.deps)) == 0);
    ck_assert(memcmp(now.rdeps, want->rdeps, sizeof(now.rdeps)) == 0);
    ck_assert(memcmp(now.sub, want->sub, sizeof(now.sub)) == 0);
    ck_assert(memcmp(now.order, want->order, sizeof(now.order)) == 0);
    ck_assert(memcmp(now.swaps, want->swaps, sizeof(now.swaps)) == 0);
    for (size_t i = 0; i < t->n; i++)
        ck_assert(t->svc[i]->unit->name[0] != '\0'); /* still readable */
}

static void leak_check(void)
{
#ifdef HAVE_LSAN
    ck_assert_int_eq(__lsan_do_recoverable_leak_check(), 0);
#endif
}

START_TEST(test_reload_every_allocation_fails)
{
    long n_fail;
    for (n_fail = 1; n_fail < 10000; n_fail++) {
        struct unit_table t;
        table_setup(&t);
        /* A pending swap and a retired unit from an earlier reload, so that
         * their lists have to grow too. */
        struct unit *c2 = mk("c", "[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/x\n");
        t.swaps = malloc(sizeof(*t.swaps));
        ck_assert_ptr_nonnull(t.swaps);
        t.swaps[0] = (struct unit_swap){unit_table_find(&t, "c"), c2, true};
        t.nswaps = 1;
        struct snapshot before;
        snap(&t, &before);
        size_t n;
        struct strv failed;
        struct unit **set = reload_set(&n, &failed);
        heard[0] = '\0';
        arm(n_fail);
        int r = unit_table_reload(&t, set, n, &failed, on_change, NULL);
        int e = errno;
        bool hit = disarm();
        strv_clear(&failed);
        if (!hit) {
            ck_assert_int_eq(r, 0);
            ck_assert_str_eq(names_of(&t), "a b c e f@x g");
            unit_table_free(&t);
            break;
        }
        if (r == 0) {
            /* The failure hit after the commit (a start's allocation, none
             * today): the reload must still be whole. */
            ck_assert_str_eq(names_of(&t), "a b c e f@x g");
        } else {
            ck_assert_int_eq(e, ENOMEM);
            ck_assert_str_eq(heard, ""); /* nothing reported, nothing started */
            snap_same(&t, &before);
        }
        unit_table_free(&t);
        leak_check();
    }
    ck_assert_int_gt(n_fail, 5); /* the reload allocates: failures were tried */
    leak_check();
}
END_TEST

START_TEST(test_insert_every_allocation_fails)
{
    long n_fail;
    for (n_fail = 1; n_fail < 10000; n_fail++) {
        struct unit_table t;
        table_setup(&t);
        struct snapshot before;
        snap(&t, &before);
        struct unit *u = mk("ab", "[Unit]\nBindsTo=a.service\nAfter=e.service\n" SIMPLE);
        heard[0] = '\0';
        arm(n_fail);
        struct service *s = unit_table_insert(&t, u);
        bool hit = disarm();
        if (!s) {
            ck_assert(hit);
            ck_assert_int_eq(errno, ENOMEM);
            ck_assert_str_eq(heard, "");
            snap_same(&t, &before);
            unit_free(u); /* still the caller's */
        }
        unit_table_free(&t);
        leak_check();
        if (!hit)
            break;
    }
    ck_assert_int_gt(n_fail, 3);
}
END_TEST

START_TEST(test_load_every_allocation_fails)
{
    long n_fail;
    for (n_fail = 1; n_fail < 10000; n_fail++) {
        struct unit_table t;
        unit_table_init(&t, &table_ops, NULL);
        struct unit *v[] = {mk("a", SIMPLE), mk("b", "[Unit]\nRequires=a.service\n" SIMPLE)};
        struct unit **set = set_of(2, v);
        arm(n_fail);
        int r = unit_table_load(&t, set, 2);
        bool hit = disarm();
        if (r < 0) {
            ck_assert_uint_eq(t.n, 0);
            ck_assert_ptr_null(t.svc);
            ck_assert_ptr_null(t.order);
            unit_free(set[0]);
            unit_free(set[1]);
        }
        free(set);
        unit_table_free(&t);
        leak_check();
        if (!hit)
            break;
    }
    ck_assert_int_gt(n_fail, 3);
}
END_TEST

static Suite *unit_table_suite(void)
{
    Suite *s = suite_create("unit_table");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_load_find_order);
    tcase_add_test(tc, test_insert);
    suite_add_tcase(s, tc);
    tc = tcase_create("reload");
    tcase_add_test(tc, test_reload_diff);
    tcase_add_test(tc, test_reload_retire_waits);
    suite_add_tcase(s, tc);
    tc = tcase_create("out_of_memory");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reload_every_allocation_fails);
    tcase_add_test(tc, test_insert_every_allocation_fails);
    tcase_add_test(tc, test_load_every_allocation_fails);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    SRunner *sr = srunner_create(unit_table_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
