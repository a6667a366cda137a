/* check_logbuf.c - the ring of recent lines: limits in lines and bytes
 * (table), order, wrap-around, the stored copy with a marker, tails of any
 * size, checked against a simple model over many appends. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/logbuf.h"

struct tail {
    char text[8192];
    size_t n;
};

static void tail_emit(void *ctx, const char *line, size_t len)
{
    struct tail *t = ctx;
    size_t at = strlen(t->text);
    ck_assert_uint_lt(at + len + 2, sizeof(t->text));
    if (t->n++)
        t->text[at++] = '|';
    memcpy(t->text + at, line, len);
    t->text[at + len] = '\0';
}

struct ring_case {
    size_t lines, bytes;
    const char *in[8];
    size_t n;         /* tail size asked for */
    const char *want; /* tail joined with '|' */
};

static const struct ring_case ring_cases[] = {
    {3, 1024, {"a", "b"}, 10, "a|b"},
    {3, 1024, {"a", "b", "c", "d"}, 10, "b|c|d"},
    {3, 1024, {"a", "b", "c", "d"}, 2, "c|d"},
    {3, 1024, {"a", "b", "c", "d"}, 0, ""},
    {10, 8, {"aaaa", "bbbb", "cccc"}, 10, "bbbb|cccc"},    /* byte limit */
    {10, 8, {"aaaaa", "bbbbb"}, 10, "bbbbb"},              /* wrap drops the tail */
    {10, 8, {"aaaaaaaaaaaa"}, 10, "aaaaaaaa"},             /* cut to the byte limit */
    {10, 8, {"aa", "", "", "bb", "cccccc"}, 10, "cccccc"}, /* wrap: bb overlapped */
    {10, 8, {"aa", "", "", "bb"}, 10, "aa|||bb"},          /* empty lines count */
    {1, 1024, {"a", "b", "c"}, 10, "c"},
    {10, 6, {"ab", "cd", "ef", "gh", "ij"}, 10, "ef|gh|ij"},
};

START_TEST(test_ring_table)
{
    const struct ring_case *c = &ring_cases[_i];
    struct logbuf lb;
    struct tail t = {"", 0};
    logbuf_init(&lb, c->lines, c->bytes);
    for (int i = 0; i < 8 && c->in[i]; i++)
        ck_assert_int_eq(logbuf_append(&lb, c->in[i], strlen(c->in[i])), 0);
    logbuf_tail(&lb, c->n, tail_emit, &t);
    ck_assert_str_eq(t.text, c->want);
    ck_assert_uint_le(logbuf_bytes(&lb), c->bytes);
    ck_assert_uint_le(logbuf_count(&lb), c->lines);
    logbuf_free(&lb);
}
END_TEST

START_TEST(test_empty_and_defaults)
{
    struct logbuf lb;
    struct tail t = {"", 0};
    logbuf_init(&lb, 0, 0);
    ck_assert_uint_eq(lb.max_lines, LOGBUF_DEFAULT_LINES);
    ck_assert_uint_eq(lb.max_bytes, LOGBUF_DEFAULT_BYTES);
    ck_assert_uint_eq(logbuf_tail(&lb, 10, tail_emit, &t), 0);
    logbuf_free(&lb);
}
END_TEST

START_TEST(test_parts_marker)
{
    struct logbuf lb;
    size_t len;
    logbuf_init(&lb, 4, 64);
    const char *s = logbuf_append_parts(&lb, "piece", 5, "[...]", 5, &len);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(len, 10);
    ck_assert(memcmp(s, "piece[...]", 10) == 0);
    logbuf_free(&lb);
}
END_TEST

/* Many lines of varying length: the ring always holds the newest lines that
 * fit both limits, in order, and never more. The limits are chosen so that
 * the rings grow while lines are dropped for the other limit. */
static const struct {
    size_t lines, bytes;
} model_limits[] = {
    {50, 1000},  /* bytes at their limit from the start, slots grow */
    {50, 8000},  /* lines dropped for the count while bytes still grow */
    {2000, 3000} /* lines dropped for bytes while the slots still grow (wrapped) */
};

START_TEST(test_model)
{
    const size_t maxl = model_limits[_i].lines, maxb = model_limits[_i].bytes;
    struct logbuf lb;
    logbuf_init(&lb, maxl, maxb);
    unsigned seed = 12345;
    static char lines[3000][40];
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245 + 12345;
        int len = snprintf(lines[i], sizeof(lines[i]), "%d:", i);
        int pad = (int)((seed >> 16) % 30);
        memset(lines[i] + len, 'p', (size_t)pad);
        lines[i][len + pad] = '\0';
        ck_assert_int_eq(logbuf_append(&lb, lines[i], strlen(lines[i])), 0);

        size_t count = logbuf_count(&lb);
        ck_assert_uint_le(count, maxl);
        ck_assert_uint_le(logbuf_bytes(&lb), maxb);
        ck_assert_uint_le(lb.cap_lines, maxl);
        ck_assert_uint_le(lb.cap_bytes, maxb);
        /* The newest count lines, in order. */
        static struct tail t;
        memset(&t, 0, sizeof(t));
        logbuf_tail(&lb, count, tail_emit, &t);
        static char want[8192];
        want[0] = '\0';
        for (int k = i - (int)count + 1; k <= i; k++) {
            if (k > i - (int)count + 1)
                strcat(want, "|");
            strcat(want, lines[k]);
        }
        ck_assert_str_eq(t.text, want);
        /* It keeps at least what fits in half the bytes (the wrap wastes less). */
        size_t sum = 0, fit = 0;
        for (int k = i; k >= 0 && fit < maxl && sum + strlen(lines[k]) <= maxb / 2; k--, fit++)
            sum += strlen(lines[k]);
        ck_assert_uint_ge(count, fit);
    }
    logbuf_free(&lb);
}
END_TEST

/* A unit that wrote a line or two holds a small ring, not the limits. */
START_TEST(test_grows_with_use)
{
    struct logbuf lb;
    struct tail t = {"", 0};
    logbuf_init(&lb, 0, 0);
    ck_assert_ptr_null(lb.ent);
    ck_assert_ptr_null(lb.bytes);
    ck_assert_int_eq(logbuf_append(&lb, "", 0), 0); /* an empty first line is kept too */
    ck_assert_int_eq(logbuf_append(&lb, "started", 7), 0);
    ck_assert_uint_le(lb.cap_lines, 16);
    ck_assert_uint_le(lb.cap_bytes, 1024);
    char big[3000];
    memset(big, 'x', sizeof(big));
    ck_assert_int_eq(logbuf_append(&lb, big, sizeof(big)), 0);
    ck_assert_uint_ge(lb.cap_bytes, 3007);
    ck_assert_uint_le(lb.cap_bytes, 8192);
    ck_assert_uint_eq(logbuf_tail(&lb, 2, tail_emit, &t), 2);
    ck_assert(strncmp(t.text, "started|xxx", 11) == 0);
    logbuf_free(&lb);
}
END_TEST

/* Long lines dropped for bytes move the oldest slot around the small ring of
 * slots; many short lines then make it grow: the order must survive. */
START_TEST(test_slots_grow_after_wrap)
{
    struct logbuf lb;
    logbuf_init(&lb, 1000, 1024);
    char line[100];
    memset(line, 'L', sizeof(line));
    for (int i = 0; i < 25; i++)
        ck_assert_int_eq(logbuf_append(&lb, line, sizeof(line)), 0);
    ck_assert_uint_ne(lb.first, 0);
    for (int i = 0; i < 200; i++) {
        char s[8];
        int n = snprintf(s, sizeof(s), "%d", i % 10);
        ck_assert_int_eq(logbuf_append(&lb, s, (size_t)n), 0);
    }
    ck_assert_uint_gt(lb.cap_lines, 16);
    struct tail t = {"", 0};
    ck_assert_uint_eq(logbuf_tail(&lb, 12, tail_emit, &t), 12);
    ck_assert_str_eq(t.text, "8|9|0|1|2|3|4|5|6|7|8|9");
    logbuf_free(&lb);
}
END_TEST

/* Each line keeps its time, pid, priority and flags, through wrap-around
 * and growth of the slots, and the sequence numbers follow the drops. */
START_TEST(test_meta)
{
    struct logbuf lb;
    logbuf_init(&lb, 50, 400);
    ck_assert_uint_eq(sizeof(struct logbuf_entry), 20);
    for (int i = 0; i < 300; i++) {
        char s[32];
        int n = snprintf(s, sizeof(s), "line %d", i);
        struct logbuf_meta m = {.usec = INT64_C(1765123456000000) + i * 1000 + (i % 7),
                                .pid = i % 3 ? 40000 + i : 0,
                                .prio = i % 2 ? 3 : 6,
                                .flags = i % 5 == 0 ? LOGBUF_PXINIT : 0};
        ck_assert_ptr_nonnull(logbuf_append_meta(&lb, s, (size_t)n, "", 0, &m, NULL));
        /* the number of the oldest line plus the count is the total */
        ck_assert_uint_eq(logbuf_first_seq(&lb) + logbuf_count(&lb), (uint64_t)i + 1);
    }
    ck_assert_uint_gt(logbuf_count(&lb), 10);
    for (size_t k = 0; k < logbuf_count(&lb); k++) {
        const char *line;
        struct logbuf_meta m;
        size_t len = logbuf_get(&lb, k, &line, &m);
        int i = (int)(logbuf_first_seq(&lb) + k);
        char want[32];
        snprintf(want, sizeof(want), "line %d", i);
        ck_assert_uint_eq(len, strlen(want));
        ck_assert(memcmp(line, want, len) == 0);
        ck_assert_int_eq(m.usec, INT64_C(1765123456000000) + i * 1000 + (i % 7));
        ck_assert_int_eq(m.pid, i % 3 ? 40000 + i : 0);
        ck_assert_uint_eq(m.prio, i % 2 ? 3 : 6);
        ck_assert_uint_eq(m.flags, i % 5 == 0 ? LOGBUF_PXINIT : 0);
    }
    logbuf_free(&lb);
}
END_TEST

/* Out-of-range times are clamped, not wrapped into prio and flags; a line
 * without metadata has zeros. */
START_TEST(test_meta_limits)
{
    struct logbuf lb;
    logbuf_init(&lb, 8, 256);
    struct logbuf_meta big = {.usec = INT64_MAX, .pid = 4194304, .prio = 6, .flags = 0};
    struct logbuf_meta neg = {.usec = -5, .pid = 1, .prio = 7, .flags = 31};
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "a", 1, NULL, 0, &big, NULL));
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "b", 1, NULL, 0, &neg, NULL));
    ck_assert_int_eq(logbuf_append(&lb, "c", 1), 0);
    const char *line;
    struct logbuf_meta m;
    logbuf_get(&lb, 0, &line, &m);
    ck_assert_int_eq(m.usec, (INT64_C(1) << 56) - 1);
    ck_assert_uint_eq(m.prio, 6);
    ck_assert_uint_eq(m.flags, 0);
    ck_assert_int_eq(m.pid, 4194304);
    logbuf_get(&lb, 1, &line, &m);
    ck_assert_int_eq(m.usec, 0);
    ck_assert_uint_eq(m.prio, 7);
    ck_assert_uint_eq(m.flags, 31);
    logbuf_get(&lb, 2, &line, &m);
    ck_assert_int_eq(m.usec, 0);
    ck_assert_int_eq(m.pid, 0);
    ck_assert_uint_eq(m.prio, 0);
    logbuf_free(&lb);
}
END_TEST

/* Lines read before the main pid was known get it, back to the last line
 * that had one; pxinit's own lines and older runs' lines keep theirs. */
START_TEST(test_backfill_pid)
{
    struct logbuf lb;
    logbuf_init(&lb, 8, 256);
    struct logbuf_meta old = {.usec = 1, .pid = 7, .prio = 6};
    struct logbuf_meta none = {.usec = 2, .pid = 0, .prio = 6};
    struct logbuf_meta own = {.usec = 3, .pid = 0, .prio = 6, .flags = LOGBUF_PXINIT};
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "a", 1, NULL, 0, &none, NULL));
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "b", 1, NULL, 0, &old, NULL));
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "c", 1, NULL, 0, &none, NULL));
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "d", 1, NULL, 0, &none, NULL));
    logbuf_backfill_pid(&lb, 42);
    const char *line;
    struct logbuf_meta m;
    int32_t want[] = {0, 7, 42, 42};
    for (size_t i = 0; i < 4; i++) {
        logbuf_get(&lb, i, &line, &m);
        ck_assert_int_eq(m.pid, want[i]);
    }
    ck_assert_ptr_nonnull(logbuf_append_meta(&lb, "e", 1, NULL, 0, &own, NULL));
    logbuf_backfill_pid(&lb, 43);
    logbuf_get(&lb, 4, &line, &m);
    ck_assert_int_eq(m.pid, 0);
    logbuf_free(&lb);
}
END_TEST

static Suite *logbuf_suite(void)
{
    Suite *s = suite_create("logbuf");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_ring_table, 0, sizeof(ring_cases) / sizeof(ring_cases[0]));
    tcase_add_test(tc, test_empty_and_defaults);
    tcase_add_test(tc, test_parts_marker);
    tcase_add_loop_test(tc, test_model, 0, sizeof(model_limits) / sizeof(model_limits[0]));
    tcase_add_test(tc, test_grows_with_use);
    tcase_add_test(tc, test_slots_grow_after_wrap);
    tcase_add_test(tc, test_meta);
    tcase_add_test(tc, test_meta_limits);
    tcase_add_test(tc, test_backfill_pid);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(logbuf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
