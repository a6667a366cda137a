/* check_propagate.c - requirement dependencies through their queue
 * (run/propagate.c), on services of a real unit table whose svc_ops are
 * fakes: the order a BindsTo= tree stops in (breadth first), Conflicts=,
 * Requires= only on a requested stop, nothing while shutting down, and a
 * 10,000-unit BindsTo= chain stopped in a thread with a 128 KiB stack,
 * which recursion (a few hundred bytes per unit) would overflow.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/service.h"
#include "run/propagate.h"
#include "run/unit_table.h"
#include "unit/unit_parse.h"
#include "svc_quiet.h"

static struct propagate_queue queue;

/* Units that died, in order, as "a b c". */
static char *died;
static size_t died_len, died_cap;

static void note_death(const char *name)
{
    size_t need = died_len + strlen(name) + 2;
    if (need > died_cap) {
        died_cap = need * 2;
        died = realloc(died, died_cap);
        ck_assert_ptr_nonnull(died);
    }
    died_len += (size_t)sprintf(died + died_len, "%s%s", died_len ? " " : "", name);
}

static bool record_deaths;

/* As supervisor.c's op_changed: the queue hears every change. */
static void fake_changed(struct service *s, enum svc_sub old)
{
    if (record_deaths && (s->sub == SUB_DEAD || s->sub == SUB_FAILED))
        note_death(s->name);
    propagate_changed(&queue, s, old);
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

static const struct unit_table_ops table_ops = {.service_new = t_new, .service_free = t_free};

/* A oneshot with RemainAfterExit= and no command: active at once, and
 * stopped at once, with no process to wait for (the deep case). */
#define IDLE "[Service]\nType=oneshot\nRemainAfterExit=yes\n"

/* A simple service whose process the test makes exit. */
#define SIMPLE "[Service]\nExecStart=/bin/true\n"

static struct unit *mk(const char *name, const char *deps, const char *service)
{
    char full[64], text[256];
    snprintf(full, sizeof(full), "%s.service", name);
    snprintf(text, sizeof(text), "[Unit]\n%s\n%s", deps, service);
    struct unit *u = unit_new(full);
    ck_assert_ptr_nonnull(u);
    FILE *f = fmemopen(text, strlen(text), "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(unit_parse_stream(u, f, full, NULL), 0);
    fclose(f);
    return u;
}

static int unit_ptr_cmp(const void *a, const void *b)
{
    return strcmp((*(struct unit *const *)a)->name, (*(struct unit *const *)b)->name);
}

/* What spec(i) says of unit i: its name, its [Unit] lines, its [Service]. */
typedef void spec_fn(size_t i, char *name, char *deps, const char **service);

/* A table of the n units spec() describes, all started in name order. */
static void table_of(struct unit_table *t, size_t n, spec_fn *spec)
{
    struct unit **v = malloc(n * sizeof(*v));
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < n; i++) {
        char name[32], deps[128];
        const char *service = IDLE;
        spec(i, name, deps, &service);
        v[i] = mk(name, deps, service);
    }
    qsort(v, n, sizeof(*v), unit_ptr_cmp);
    unit_table_init(t, &table_ops, NULL);
    ck_assert_int_eq(unit_table_load(t, v, n), 0);
    free(v);
    for (size_t i = 0; i < n; i++) {
        svc_start(t->svc[i], true);
        ck_assert(!svc_is_settled(t->svc[i]));
    }
    died_len = 0;
    record_deaths = true;
}

static void table_done(struct unit_table *t)
{
    record_deaths = false;
    unit_table_free(t);
    propagate_free(&queue);
    free(died);
    died = NULL;
    died_len = died_cap = 0;
}

/* u1 and u2 are bound to u0, u3 to u1, u4 to u2. */
static void tree(size_t i, char *name, char *deps, const char **service)
{
    static const char *const bound[] = {"", "u0", "u0", "u1", "u2"};
    sprintf(name, "u%zu", i);
    if (i == 0)
        strcpy(deps, "");
    else
        sprintf(deps, "BindsTo=%s.service", bound[i]);
}

START_TEST(test_binds_to_breadth_first)
{
    struct unit_table t;
    table_of(&t, 5, tree);
    svc_stop(unit_table_find(&t, "u0"));
    /* Recursion would have gone u0 u1 u3 u2 u4. */
    ck_assert_str_eq(died, "u0 u1 u2 u3 u4");
    ck_assert_uint_eq(queue.head, queue.tail);
    ck_assert(!queue.draining);
    table_done(&t);
}
END_TEST

/* b Requires=a, c PartOf=a, d BindsTo=a, e Conflicts=a; a and e have a
 * process (so they pass through "activating"), the others none. */
static void kinds(size_t i, char *name, char *deps, const char **service)
{
    static const char *const d[] = {"", "Requires=a.service", "PartOf=a.service",
                                    "BindsTo=a.service", "Conflicts=a.service"};
    sprintf(name, "%c", (char)('a' + i));
    strcpy(deps, d[i]);
    if (i == 0 || i == 4)
        *service = SIMPLE;
}

/* a's main process is reaped (exit 0, Restart=no). */
static void main_exits(struct service *a)
{
    a->main.pending = false;
    a->main.pid = 4242;
    svc_proc_started(a, &a->main);
    svc_proc_exited(a, &a->main, 0);
}

START_TEST(test_requires_on_request_only)
{
    struct unit_table t;
    table_of(&t, 4, kinds);
    struct service *a = unit_table_find(&t, "a");
    main_exits(a);
    /* Not stopped on request: only what is bound to it follows. */
    ck_assert_str_eq(died, "a d");
    ck_assert(!svc_is_settled(unit_table_find(&t, "b")));
    ck_assert(!svc_is_settled(unit_table_find(&t, "c")));
    table_done(&t);

    table_of(&t, 4, kinds);
    svc_stop(unit_table_find(&t, "a"));
    main_exits(unit_table_find(&t, "a")); /* its process goes on SIGTERM */
    ck_assert_str_eq(died, "a b c d");    /* on request: Requires=, PartOf= too */
    table_done(&t);
}
END_TEST

START_TEST(test_conflicts)
{
    struct unit_table t;
    table_of(&t, 5, kinds);
    /* e started last: a is stopping for it, and b, c, d go with a. */
    struct service *a = unit_table_find(&t, "a");
    ck_assert_int_eq(svc_state_of(a->sub), SVC_DEACTIVATING);
    main_exits(a);
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(svc_is_settled(t.svc[i]), "%s", t.svc[i]->name);
    ck_assert_str_eq(died, "a b c d");
    ck_assert(!svc_is_settled(unit_table_find(&t, "e")));
    table_done(&t);
}
END_TEST

START_TEST(test_nothing_while_stopping)
{
    struct unit_table t;
    table_of(&t, 5, tree);
    queue.stopping = true;
    svc_stop(unit_table_find(&t, "u0"));
    ck_assert_str_eq(died, "u0"); /* shutdown stops the rest in order */
    queue.stopping = false;
    table_done(&t);
}
END_TEST

#define CHAIN 10000

/* u00000 first; each next one is bound to the one before. */
static void chain(size_t i, char *name, char *deps, const char **service)
{
    sprintf(name, "u%05zu", i);
    if (i == 0)
        strcpy(deps, "");
    else
        sprintf(deps, "BindsTo=u%05zu.service", i - 1);
}

static void *stop_first(void *arg)
{
    svc_stop(arg);
    return NULL;
}

START_TEST(test_chain_in_constant_stack)
{
    struct unit_table t;
    table_of(&t, CHAIN, chain);
    pthread_attr_t attr;
    pthread_t th;
    ck_assert_int_eq(pthread_attr_init(&attr), 0);
    ck_assert_int_eq(pthread_attr_setstacksize(&attr, 128 * 1024), 0);
    ck_assert_int_eq(pthread_create(&th, &attr, stop_first, t.svc[0]), 0);
    ck_assert_int_eq(pthread_join(th, NULL), 0);
    pthread_attr_destroy(&attr);
    for (size_t i = 0; i < CHAIN; i++)
        ck_assert_msg(svc_is_settled(t.svc[i]), "%s still active", t.svc[i]->name);
    ck_assert_str_eq(died + died_len - 6, "u09999");
    ck_assert_uint_le(queue.cap, 16); /* one change waits at a time */
    table_done(&t);
}
END_TEST

static Suite *propagate_suite(void)
{
    Suite *s = suite_create("propagate");
    TCase *tc = tcase_create("kinds");
    tcase_add_test(tc, test_binds_to_breadth_first);
    tcase_add_test(tc, test_requires_on_request_only);
    tcase_add_test(tc, test_conflicts);
    tcase_add_test(tc, test_nothing_while_stopping);
    suite_add_tcase(s, tc);
    tc = tcase_create("deep");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_chain_in_constant_stack);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    SRunner *sr = srunner_create(propagate_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
