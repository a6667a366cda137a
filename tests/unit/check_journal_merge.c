/* check_journal_merge.c - several units' rings as one journal
 * (control/journal_merge.h): order by time across rings, -n over them
 * together, -S/-U inclusive, the byte budget, empty and absent rings, and a
 * model (sort everything, filter, take the tail) over many random rings. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/journal_merge.h"

#define MAXR 64

struct got {
    size_t n;
    size_t src[20000], idx[20000];
};

static void collect(void *ctx, size_t src, size_t idx)
{
    struct got *g = ctx;
    ck_assert_uint_lt(g->n, 20000);
    g->src[g->n] = src;
    g->idx[g->n] = idx;
    g->n++;
}

static void add(struct logbuf *lb, const char *text, int64_t usec)
{
    struct logbuf_meta m = {.usec = usec, .pid = 1, .prio = 6};
    ck_assert_ptr_nonnull(logbuf_append_meta(lb, text, strlen(text), NULL, 0, &m, NULL));
}

/* The texts emitted, joined with '|'. */
static void joined(const struct logbuf *const *rings, const struct got *g, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < g->n; i++) {
        const char *line;
        size_t len = logbuf_get(rings[g->src[i]], g->idx[i], &line, NULL);
        size_t at = strlen(out);
        ck_assert_uint_lt(at + len + 2, size);
        snprintf(out + at, size - at, "%s%.*s", i ? "|" : "", (int)len, line);
    }
}

struct merge_case {
    int64_t since, until;
    size_t max_lines, max_bytes;
    const char *want;
};

/* a: a1@10 a2@30 a3@50; b: b1@20 b2@40 b3@60; c: empty; d: NULL. */
static const struct merge_case merge_cases[] = {
    {INT64_MIN, INT64_MAX, SIZE_MAX, SIZE_MAX, "a1|b1|a2|b2|a3|b3"},
    {INT64_MIN, INT64_MAX, 3, SIZE_MAX, "b2|a3|b3"},
    {INT64_MIN, INT64_MAX, 1, SIZE_MAX, "b3"},
    {INT64_MIN, INT64_MAX, 0, SIZE_MAX, ""},
    {30, 40, SIZE_MAX, SIZE_MAX, "a2|b2"}, /* inclusive */
    {31, 39, SIZE_MAX, SIZE_MAX, ""},
    {20, INT64_MAX, 2, SIZE_MAX, "a3|b3"},
    {INT64_MIN, 35, 2, SIZE_MAX, "b1|a2"}, /* -n counts within -U */
    {61, INT64_MAX, SIZE_MAX, SIZE_MAX, ""},
    /* Two lines' worth of budget: the newest two. */
    {INT64_MIN, INT64_MAX, SIZE_MAX, 2 * (2 + JOURNAL_LINE_OVERHEAD), "a3|b3"},
    {INT64_MIN, INT64_MAX, SIZE_MAX, 0, ""},
};

START_TEST(test_merge_table)
{
    const struct merge_case *c = &merge_cases[_i];
    struct logbuf a, b, e;
    logbuf_init(&a, 10, 1024);
    logbuf_init(&b, 10, 1024);
    logbuf_init(&e, 10, 1024);
    add(&a, "a1", 10);
    add(&b, "b1", 20);
    add(&a, "a2", 30);
    add(&b, "b2", 40);
    add(&a, "a3", 50);
    add(&b, "b3", 60);
    const struct logbuf *rings[] = {&e, &a, NULL, &b};
    struct journal_pick p = {c->since, c->until, c->max_lines, c->max_bytes};
    static struct got g;
    g.n = 0;
    long n = journal_merge(rings, 4, &p, collect, &g);
    ck_assert_int_eq(n, (long)g.n);
    char text[256];
    joined(rings, &g, text, sizeof(text));
    ck_assert_str_eq(text, c->want);
    logbuf_free(&a);
    logbuf_free(&b);
    logbuf_free(&e);
}
END_TEST

/* The budget counts a line as the entry line carries it: a line of control
 * bytes takes four times its length (review: counted raw, a reply of such
 * lines outgrew the client's output room, CTL_MAX_OUTPUT, and journalctl
 * was cut off without its `end`). */
START_TEST(test_budget_escaped)
{
    struct logbuf a;
    logbuf_init(&a, 100, 64 * 1024);
    char line[101];
    for (int i = 0; i < 10; i++) {
        memset(line, '\001', 99);
        line[99] = (char)('0' + i);
        line[100] = '\0';
        add(&a, line, 10 + i);
    }
    const struct logbuf *rings[] = {&a};
    size_t wire = 99 * 4 + 1;
    struct journal_pick p = {INT64_MIN, INT64_MAX, SIZE_MAX, 2 * (wire + JOURNAL_LINE_OVERHEAD)};
    static struct got g;
    g.n = 0;
    ck_assert_int_eq(journal_merge(rings, 1, &p, collect, &g), 2);
    ck_assert_uint_eq(g.idx[0], 8);
    ck_assert_uint_eq(g.idx[1], 9);
    logbuf_free(&a);
}
END_TEST

START_TEST(test_no_rings)
{
    struct journal_pick p = {INT64_MIN, INT64_MAX, SIZE_MAX, SIZE_MAX};
    static struct got g;
    g.n = 0;
    ck_assert_int_eq(journal_merge(NULL, 0, &p, collect, &g), 0);
    ck_assert_uint_eq(g.n, 0);
}
END_TEST

/* Random rings (each in time order, times unique across rings as output
 * stamps are), some wrapped: the merge is the model's sort, filter, tail. */
struct stamp {
    int64_t usec;
    size_t src, idx;
};

static int by_usec(const void *x, const void *y)
{
    const struct stamp *a = x, *b = y;
    return a->usec < b->usec ? -1 : a->usec > b->usec;
}

START_TEST(test_model)
{
    srand(1234 + (unsigned)_i);
    size_t nr = 1 + (size_t)(rand() % MAXR);
    struct logbuf *lbs = calloc(nr, sizeof(*lbs));
    const struct logbuf **rings = calloc(nr, sizeof(*rings));
    ck_assert_ptr_nonnull(lbs);
    ck_assert_ptr_nonnull(rings);
    for (size_t r = 0; r < nr; r++) {
        logbuf_init(&lbs[r], 1 + (size_t)(rand() % 40), 2048);
        rings[r] = rand() % 10 ? &lbs[r] : NULL;
    }
    int64_t t = 1000;
    for (int i = 0; i < 2000; i++) {
        size_t r = (size_t)rand() % nr;
        t += 1 + rand() % 5;
        char s[16];
        snprintf(s, sizeof(s), "%lld", (long long)t);
        add(&lbs[r], s, t);
    }
    /* The model. */
    static struct stamp all[2000];
    size_t na = 0;
    for (size_t r = 0; r < nr; r++)
        for (size_t i = 0; rings[r] && i < logbuf_count(rings[r]); i++) {
            const char *line;
            struct logbuf_meta m;
            logbuf_get(rings[r], i, &line, &m);
            all[na++] = (struct stamp){m.usec, r, i};
        }
    qsort(all, na, sizeof(all[0]), by_usec);
    int64_t since = 1000 + rand() % (t - 1000), until = since + rand() % (t - since + 1);
    size_t max = rand() % 3 ? (size_t)(rand() % 200) : SIZE_MAX;
    size_t from = 0, to = 0, k = 0;
    for (size_t i = 0; i < na; i++)
        if (all[i].usec >= since && all[i].usec <= until)
            to = i + 1, k++;
    from = to;
    for (size_t taken = 0; from > 0 && taken < max && taken < k; from--)
        taken++;
    struct journal_pick p = {since, until, max, SIZE_MAX};
    static struct got g;
    g.n = 0;
    long n = journal_merge(rings, nr, &p, collect, &g);
    ck_assert_int_eq(n, (long)g.n);
    ck_assert_uint_eq(g.n, to - from);
    for (size_t i = 0; i < g.n; i++) {
        ck_assert_uint_eq(g.src[i], all[from + i].src);
        ck_assert_uint_eq(g.idx[i], all[from + i].idx);
    }
    for (size_t r = 0; r < nr; r++)
        logbuf_free(&lbs[r]);
    free(lbs);
    free(rings);
}
END_TEST

static Suite *journal_merge_suite(void)
{
    Suite *s = suite_create("journal_merge");
    TCase *tc = tcase_create("merge");
    tcase_add_loop_test(tc, test_merge_table, 0, sizeof(merge_cases) / sizeof(merge_cases[0]));
    tcase_add_test(tc, test_no_rings);
    tcase_add_test(tc, test_budget_escaped);
    tcase_add_loop_test(tc, test_model, 0, 40);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(journal_merge_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
