/* check_linebuf.c - the line assembler: pieces joined into lines (table),
 * long lines cut into LINEBUF_LINE_MAX pieces, partial lines flushed, reads
 * from a pipe. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/linebuf.h"

/* Feeds chunks, collects "line" for a complete line ("_" when empty),
 * "line+" for a split piece, "line~" for a flushed partial line, joined
 * with '|'. */
static void collect(struct linebuf *lb, char *out, size_t size, bool flush)
{
    const char *line;
    size_t len;
    int flags;
    while (linebuf_next(lb, &line, &len, &flags) ||
           (flush && linebuf_flush(lb, &line, &len, &flags))) {
        size_t n = strlen(out);
        ck_assert_uint_lt(n + len + 3, size);
        if (n)
            out[n++] = '|';
        if (len == 0)
            out[n++] = '_';
        memcpy(out + n, line, len);
        n += len;
        if (flags & LINEBUF_SPLIT)
            out[n++] = '+';
        if (flags & LINEBUF_PARTIAL)
            out[n++] = '~';
        out[n] = '\0';
    }
}

struct join_case {
    const char *chunks[5];
    const char *want; /* after all chunks and a flush */
};

static const struct join_case join_cases[] = {
    {{"one\n"}, "one"},
    {{"one\ntwo\n"}, "one|two"},
    {{"on", "e\n"}, "one"},
    {{"o", "n", "e", "\n"}, "one"},
    {{"one\ntw", "o\nthr", "ee\n"}, "one|two|three"},
    {{"\n\n"}, "_|_"},
    {{"", "one\n", ""}, "one"},
    {{"partial"}, "partial~"},
    {{"one\npar", "tial"}, "one|partial~"},
    {{"cr\r\n"}, "cr\r"},
    {{"nul\0"}, "nul~"}, /* strings stop at the NUL: "nul" then a flush */
    {{NULL}, ""},
};

START_TEST(test_join_table)
{
    const struct join_case *c = &join_cases[_i];
    struct linebuf lb;
    char out[256] = "";
    linebuf_init(&lb);
    for (int i = 0; i < 5 && c->chunks[i]; i++) {
        size_t n = strlen(c->chunks[i]);
        ck_assert_uint_eq(linebuf_put(&lb, c->chunks[i], n), n);
        collect(&lb, out, sizeof(out), false);
    }
    collect(&lb, out, sizeof(out), true);
    ck_assert_str_eq(out, c->want);
    ck_assert_uint_eq(linebuf_pending(&lb), 0);
    linebuf_free(&lb);
}
END_TEST

/* A line of n 'x' then '\n', fed in chunks of step bytes: pieces of
 * LINEBUF_LINE_MAX flagged split, the rest a normal line. */
static void check_long(size_t n, size_t step)
{
    struct linebuf lb;
    char *data = malloc(n + 1);
    ck_assert_ptr_nonnull(data);
    memset(data, 'x', n);
    data[n] = '\n';
    linebuf_init(&lb);
    size_t fed = 0, got = 0, pieces = 0;
    while (fed < n + 1 || linebuf_pending(&lb)) {
        if (fed < n + 1) {
            size_t k = n + 1 - fed < step ? n + 1 - fed : step;
            size_t put = linebuf_put(&lb, data + fed, k);
            fed += put;
        }
        const char *line;
        size_t len;
        int flags;
        while (linebuf_next(&lb, &line, &len, &flags)) {
            pieces++;
            got += len;
            if (got < n) {
                ck_assert_int_eq(flags, LINEBUF_SPLIT);
                ck_assert_uint_eq(len, LINEBUF_LINE_MAX);
            } else {
                ck_assert_int_eq(flags, 0);
            }
        }
        if (fed == n + 1 && linebuf_pending(&lb) == 0)
            break;
    }
    ck_assert_uint_eq(got, n);
    ck_assert_uint_eq(pieces, n / LINEBUF_LINE_MAX + 1 - (n && n % LINEBUF_LINE_MAX == 0 ? 1 : 0));
    linebuf_free(&lb);
    free(data);
}

static const size_t long_cases[][2] = {
    {LINEBUF_LINE_MAX - 1, 1000},  {LINEBUF_LINE_MAX, 1000}, {LINEBUF_LINE_MAX + 1, 1000},
    {3 * LINEBUF_LINE_MAX, 4096},  {40000, 65536},           {1000000, 65536},
    {2 * LINEBUF_LINE_MAX + 5, 7},
};

START_TEST(test_long_lines)
{
    check_long(long_cases[_i][0], long_cases[_i][1]);
}
END_TEST

START_TEST(test_flush_long_partial)
{
    struct linebuf lb;
    linebuf_init(&lb);
    char buf[LINEBUF_LINE_MAX + 10];
    memset(buf, 'y', sizeof(buf));
    ck_assert_uint_eq(linebuf_put(&lb, buf, sizeof(buf)), sizeof(buf));
    const char *line;
    size_t len;
    int flags;
    ck_assert(linebuf_flush(&lb, &line, &len, &flags));
    ck_assert_uint_eq(len, LINEBUF_LINE_MAX);
    ck_assert_int_eq(flags, LINEBUF_SPLIT);
    ck_assert(linebuf_flush(&lb, &line, &len, &flags));
    ck_assert_uint_eq(len, 10);
    ck_assert_int_eq(flags, LINEBUF_PARTIAL);
    ck_assert(!linebuf_flush(&lb, &line, &len, &flags));
    linebuf_free(&lb);
}
END_TEST

START_TEST(test_fill_from_pipe)
{
    int p[2];
    ck_assert_int_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    struct linebuf lb;
    linebuf_init(&lb);
    ck_assert_int_eq(linebuf_fill(&lb, p[0]), -1);
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_int_eq(write(p[1], "a\nb", 3), 3);
    ck_assert_int_eq(linebuf_fill(&lb, p[0]), 3);
    const char *line;
    size_t len;
    int flags;
    ck_assert(linebuf_next(&lb, &line, &len, &flags));
    ck_assert_uint_eq(len, 1);
    ck_assert(!linebuf_next(&lb, &line, &len, &flags));
    close(p[1]);
    ck_assert_int_eq(linebuf_fill(&lb, p[0]), 0);
    ck_assert(linebuf_flush(&lb, &line, &len, &flags));
    ck_assert(memcmp(line, "b", 1) == 0 && len == 1);
    close(p[0]);
    linebuf_free(&lb);
}
END_TEST

/* The buffer starts small and grows with the stream: a few KiB after a
 * short line; large reads once fills keep using all their room; a partial
 * line longer than the buffer so far still comes out whole. */
START_TEST(test_fill_grows)
{
    int p[2];
    ck_assert_int_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    struct linebuf lb;
    linebuf_init(&lb);
    const char *line;
    size_t len;
    int flags;
    ck_assert_int_eq(write(p[1], "hello\n", 6), 6);
    ck_assert_int_eq(linebuf_fill(&lb, p[0]), 6);
    ck_assert_uint_le(lb.cap, 4096);
    linebuf_trim(&lb); /* a line is pending: kept */
    ck_assert_ptr_nonnull(lb.buf);
    ck_assert(linebuf_next(&lb, &line, &len, &flags));
    linebuf_trim(&lb); /* empty and small: freed */
    ck_assert_ptr_null(lb.buf);

    /* 60,000 bytes of 100-byte lines in the pipe (its default size is 64 KiB) */
    static char chunk[60000];
    for (size_t i = 0; i < sizeof(chunk); i++)
        chunk[i] = i % 100 == 99 ? '\n' : (char)('a' + (i / 100) % 26);
    ck_assert_int_eq(write(p[1], chunk, sizeof(chunk)), (ssize_t)sizeof(chunk));
    size_t lines = 0, biggest = 0;
    ssize_t n;
    while ((n = linebuf_fill(&lb, p[0])) > 0) {
        if ((size_t)n > biggest)
            biggest = (size_t)n;
        while (linebuf_next(&lb, &line, &len, &flags)) {
            ck_assert_uint_eq(len, 99);
            ck_assert_int_eq(flags, 0);
            ck_assert_int_eq(line[0], 'a' + (int)(lines % 26));
            lines++;
        }
    }
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_uint_eq(lines, 600);
    ck_assert_uint_gt(biggest, 4096);
    ck_assert_uint_le(lb.cap, LINEBUF_LINE_MAX + LINEBUF_READ_MAX);
    linebuf_trim(&lb); /* empty but large: a busy stream keeps it */
    ck_assert_ptr_nonnull(lb.buf);

    linebuf_free(&lb);
    linebuf_init(&lb);
    static char longline[10001];
    memset(longline, 'z', sizeof(longline) - 1);
    longline[10000] = '\n';
    ck_assert_int_eq(write(p[1], longline, sizeof(longline)), (ssize_t)sizeof(longline));
    while (!linebuf_next(&lb, &line, &len, &flags))
        ck_assert_int_gt(linebuf_fill(&lb, p[0]), 0);
    ck_assert_uint_eq(len, 10000);
    ck_assert_int_eq(flags, 0);
    close(p[0]);
    close(p[1]);
    linebuf_free(&lb);
}
END_TEST

static Suite *linebuf_suite(void)
{
    Suite *s = suite_create("linebuf");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_join_table, 0, sizeof(join_cases) / sizeof(join_cases[0]));
    tcase_add_loop_test(tc, test_long_lines, 0, sizeof(long_cases) / sizeof(long_cases[0]));
    tcase_add_test(tc, test_flush_long_partial);
    tcase_add_test(tc, test_fill_from_pipe);
    tcase_add_test(tc, test_fill_grows);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(linebuf_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
