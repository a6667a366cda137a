/* check_logbuf.c - the ring of recent lines: limits in lines and bytes
 * (table), order, wrap-around, the stored copy with a marker, tails of any
 * size, checked against a simple model over many appends. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logbuf.h"

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
    size_t n;          /* tail size asked for */
    const char *want;  /* tail joined with '|' */
};

static const struct ring_case ring_cases[] = {
    {3, 1024, {"a", "b"}, 10, "a|b"},
    {3, 1024, {"a", "b", "c", "d"}, 10, "b|c|d"},
    {3, 1024, {"a", "b", "c", "d"}, 2, "c|d"},
    {3, 1024, {"a", "b", "c", "d"}, 0, ""},
    {10, 8, {"aaaa", "bbbb", "cccc"}, 10, "bbbb|cccc"},      /* byte limit */
    {10, 8, {"aaaaa", "bbbbb"}, 10, "bbbbb"},                /* wrap drops the tail */
    {10, 8, {"aaaaaaaaaaaa"}, 10, "aaaaaaaa"},               /* cut to the byte limit */
    {10, 8, {"aa", "", "", "bb", "cccccc"}, 10, "cccccc"},  /* wrap: bb overlapped */
    {10, 8, {"aa", "", "", "bb"}, 10, "aa|||bb"},           /* empty lines count */
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
 * fit both limits, in order, and never more. */
START_TEST(test_model)
{
    struct logbuf lb;
    logbuf_init(&lb, 50, 1000);
    unsigned seed = 12345;
    char lines[3000][40];
    for (int i = 0; i < 3000; i++) {
        seed = seed * 1103515245 + 12345;
        int len = snprintf(lines[i], sizeof(lines[i]), "%d:", i);
        int pad = (int)((seed >> 16) % 30);
        memset(lines[i] + len, 'p', (size_t)pad);
        lines[i][len + pad] = '\0';
        ck_assert_int_eq(logbuf_append(&lb, lines[i], strlen(lines[i])), 0);

        size_t count = logbuf_count(&lb);
        ck_assert_uint_le(count, 50);
        ck_assert_uint_le(logbuf_bytes(&lb), 1000);
        /* The newest count lines, in order. */
        struct tail t = {"", 0};
        logbuf_tail(&lb, count, tail_emit, &t);
        char want[8192] = "";
        for (int k = i - (int)count + 1; k <= i; k++) {
            if (k > i - (int)count + 1)
                strcat(want, "|");
            strcat(want, lines[k]);
        }
        ck_assert_str_eq(t.text, want);
        /* It keeps at least what fits in half the bytes (the wrap wastes less). */
        size_t sum = 0, fit = 0;
        for (int k = i; k >= 0 && fit < 50 && sum + strlen(lines[k]) <= 500; k--, fit++)
            sum += strlen(lines[k]);
        ck_assert_uint_ge(count, fit);
    }
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
    tcase_add_test(tc, test_model);
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
