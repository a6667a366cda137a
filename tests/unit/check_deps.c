/* check_deps.c - start order from After=/Before=: stability, chains, names
 * outside the set, deterministic cycle breaking and a 10,000-unit set. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/deps.h"
#include "base/strv.h"

#define DEPS(u) ((struct unit_deps *)unit_part((u), UNIT_PART_DEPS)) /* allocates it */

static struct unit *tu_new(const char *name)
{
    struct unit *u = unit_new(name);

    ck_assert_ptr_nonnull(u);
    return u;
}

/* Pushes each space-separated word of words (may be NULL) onto sv. */
static void tu_push_words(struct strv *sv, const char *words)
{
    char *copy, *save = NULL;

    if (!words)
        return;
    copy = strdup(words);
    ck_assert_ptr_nonnull(copy);
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
        ck_assert_int_eq(strv_push(sv, w), 0);
    free(copy);
}

/* Collects cycle reports as "a -> b; c -> d". */
struct cycle_log {
    char buf[512];
    size_t calls;
    size_t last_count;
};

static void cycle_log_add(void *ctx, const char *const *names, size_t count)
{
    struct cycle_log *log = ctx;
    size_t len = strlen(log->buf);

    log->calls++;
    log->last_count = count;
    if (log->calls > 1)
        len += (size_t)snprintf(log->buf + len, sizeof(log->buf) - len, "; ");
    for (size_t i = 0; i < count && len < sizeof(log->buf); i++)
        len += (size_t)snprintf(log->buf + len, sizeof(log->buf) - len, "%s%s", i ? " -> " : "",
                                names[i]);
}

#define MAX_UNITS 8

struct deps_case {
    const char *label;
    struct {
        const char *name, *after, *before;
    } units[MAX_UNITS]; /* ends at the first NULL name */
    const char *order;  /* expected start order, names separated by spaces */
    const char *cycles; /* expected cycle reports, "" for none */
};

static const struct deps_case deps_cases[] = {
    {"no deps keeps input order",
     {{"c", NULL, NULL}, {"a", NULL, NULL}, {"b", NULL, NULL}},
     "c a b",
     ""},
    {"after chain", {{"a", "b", NULL}, {"b", "c", NULL}, {"c", NULL, NULL}}, "c b a", ""},
    {"before chain", {{"a", NULL, NULL}, {"b", NULL, "a"}, {"c", NULL, "b"}}, "c b a", ""},
    {"before keeps order when satisfied",
     {{"a", NULL, "b c"}, {"b", NULL, "c"}, {"c", NULL, NULL}},
     "a b c",
     ""},
    /* d < c < a, d < b < e < a; a After=e duplicates e Before=a. */
    {"mixed after and before",
     {{"a", "c e", NULL}, {"b", NULL, NULL}, {"c", "d", NULL}, {"d", NULL, "b"}, {"e", "b", "a"}},
     "d b c e a",
     ""},
    {"missing names and self references ignored",
     {{"a", "network.target b a", NULL},
      {"b", "syslog.target", "b"},
      {"c", NULL, "nothing.service"}},
     "b a c",
     ""},
    {"ready units run in input order",
     {{"x", "z", NULL}, {"y", NULL, NULL}, {"z", NULL, NULL}},
     "y z x",
     ""},
    /* b is latest: its After=a goes, so b starts first. */
    {"2-cycle", {{"a", "b", NULL}, {"b", "a", NULL}}, "b a", "a -> b"},
    {"3-cycle",
     {{"a", "b", NULL}, {"b", "c", NULL}, {"c", "a", NULL}, {"d", NULL, NULL}, {"e", "a", NULL}},
     "d c b a e",
     "a -> b -> c"},
    /* p after r after q after p (q's via p Before=q); r is latest and loses
     * its After=q; the report is rotated so r comes last. */
    {"3-cycle through before, rotated",
     {{"p", "r", "q"}, {"q", NULL, NULL}, {"r", "q", NULL}},
     "r p q",
     "q -> p -> r"},
    {"two cycles",
     {{"a", "b", NULL}, {"b", "a", NULL}, {"c", "d", NULL}, {"d", "c", NULL}, {"e", NULL, NULL}},
     "e b a d c",
     "a -> b; c -> d"},
    {"cycle behind a tail",
     {{"x", "y", NULL}, {"y", "z", NULL}, {"z", "y", NULL}, {"w", NULL, NULL}},
     "w z y x",
     "y -> z"},
    /* b sits in two cycles; after the first break it still waits for c. */
    {"figure eight",
     {{"a", "b", NULL}, {"b", "a c", NULL}, {"c", "b", NULL}},
     "c b a",
     "a -> b; b -> c"},
    {"cycle via duplicated edge", {{"a", "b", "b"}, {"b", "a", "a"}}, "b a", "a -> b"},
};

START_TEST(test_deps_cases)
{
    const struct deps_case *c = &deps_cases[_i];
    struct unit *units[MAX_UNITS];
    size_t order[MAX_UNITS], n = 0;
    struct cycle_log log = {0};
    char got[256] = "";

    for (; n < MAX_UNITS && c->units[n].name; n++) {
        units[n] = tu_new(c->units[n].name);
        tu_push_words(&DEPS(units[n])->after, c->units[n].after);
        tu_push_words(&DEPS(units[n])->before, c->units[n].before);
    }
    ck_assert_int_eq(deps_start_order(units, n, order, cycle_log_add, &log), 0);
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(order[i], n);
        if (i)
            strcat(got, " ");
        strcat(got, units[order[i]]->name);
    }
    ck_assert_msg(strcmp(got, c->order) == 0, "%s: order \"%s\", want \"%s\"", c->label, got,
                  c->order);
    ck_assert_msg(strcmp(log.buf, c->cycles) == 0, "%s: cycles \"%s\", want \"%s\"", c->label,
                  log.buf, c->cycles);
    for (size_t i = 0; i < n; i++)
        unit_free(units[i]);
}
END_TEST

START_TEST(test_deps_null_callback)
{
    struct unit *units[2] = {tu_new("a"), tu_new("b")};
    size_t order[2];

    tu_push_words(&DEPS(units[0])->after, "b");
    tu_push_words(&DEPS(units[1])->after, "a");
    ck_assert_int_eq(deps_start_order(units, 2, order, NULL, NULL), 0);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 0);
    unit_free(units[0]);
    unit_free(units[1]);
}
END_TEST

START_TEST(test_deps_empty)
{
    size_t order[1] = {42};

    ck_assert_int_eq(deps_start_order(NULL, 0, order, NULL, NULL), 0);
    ck_assert_uint_eq(order[0], 42);
}
END_TEST

#define BIG 10000

/* u00000 After=u00001 After=... ; ring closes u09999 After=u00000 too. */
static struct unit **big_chain(bool ring)
{
    struct unit **units = calloc(BIG, sizeof(*units));
    char name[32];

    ck_assert_ptr_nonnull(units);
    for (size_t i = 0; i < BIG; i++) {
        snprintf(name, sizeof(name), "u%05zu.service", i);
        units[i] = tu_new(name);
    }
    for (size_t i = 0; i < BIG; i++) {
        if (i + 1 < BIG || ring) {
            snprintf(name, sizeof(name), "u%05zu.service", (i + 1) % BIG);
            tu_push_words(&DEPS(units[i])->after, name);
        }
    }
    return units;
}

static void big_free(struct unit **units)
{
    for (size_t i = 0; i < BIG; i++)
        unit_free(units[i]);
    free(units);
}

START_TEST(test_deps_big_chain)
{
    struct unit **units = big_chain(false);
    size_t *order = calloc(BIG, sizeof(*order));
    struct cycle_log log = {0};

    ck_assert_ptr_nonnull(order);
    ck_assert_int_eq(deps_start_order(units, BIG, order, cycle_log_add, &log), 0);
    for (size_t i = 0; i < BIG; i++)
        ck_assert_uint_eq(order[i], BIG - 1 - i);
    ck_assert_uint_eq(log.calls, 0);
    free(order);
    big_free(units);
}
END_TEST

/* One cycle through all 10,000 units: reported whole, latest unit last. */
struct ring_log {
    size_t calls;
    const char **names;
};

static void ring_log_add(void *ctx, const char *const *names, size_t count)
{
    struct ring_log *log = ctx;

    log->calls++;
    ck_assert_uint_eq(count, BIG);
    memcpy(log->names, names, BIG * sizeof(*names));
}

START_TEST(test_deps_big_ring)
{
    struct unit **units = big_chain(true);
    size_t *order = calloc(BIG, sizeof(*order));
    struct ring_log log = {.names = calloc(BIG, sizeof(*log.names))};

    ck_assert_ptr_nonnull(order);
    ck_assert_ptr_nonnull(log.names);
    ck_assert_int_eq(deps_start_order(units, BIG, order, ring_log_add, &log), 0);
    ck_assert_uint_eq(log.calls, 1);
    for (size_t i = 0; i < BIG; i++) {
        ck_assert_ptr_eq(log.names[i], units[i]->name);
        ck_assert_uint_eq(order[i], BIG - 1 - i);
    }
    free(log.names);
    free(order);
    big_free(units);
}
END_TEST

static Suite *deps_suite(void)
{
    Suite *s = suite_create("deps");
    TCase *tc = tcase_create("order");

    tcase_add_loop_test(tc, test_deps_cases, 0, (int)(sizeof(deps_cases) / sizeof(deps_cases[0])));
    tcase_add_test(tc, test_deps_null_callback);
    tcase_add_test(tc, test_deps_empty);
    suite_add_tcase(s, tc);

    tc = tcase_create("big");
    tcase_add_test(tc, test_deps_big_chain);
    tcase_add_test(tc, test_deps_big_ring);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(deps_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
