/* check_status_line.c - the status row without the C library (status_line.c).
 *
 * Two ways to one row must agree byte for byte: the client's (board record ->
 * sb_reader_get -> proto_print_table, glibc's stdio) and the libc-free
 * `pxinit status UNIT` path's (the record as the daemon wrote it ->
 * sl_format_record). Both are fed a few hundred thousand units: every state
 * and sub-state code, pids, uptimes from seconds to years, exit codes, every
 * signal number, names of every short length and some long ones. The rows
 * are also held against the printf() format the table had before it moved
 * into status_line.c, so the move changed no byte either.
 */
#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire/protocol.h"
#include "base/signame.h"
#include "wire/status_board.h"
#include "wire/status_line.h"

#define NOW INT64_C(1700000000)

static char dir[64];
static char path[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/check_sl.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/status", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

/* The table row as proto_print_table printed it before status_line.c. */
static void printf_row(char *buf, size_t size, const struct sb_unit *u, int64_t now, int wname,
                       int wstate)
{
    char pid[16] = "-", up[32] = "-", ex[32];
    if (u->pid > 0)
        snprintf(pid, sizeof(pid), "%d", (int)u->pid);
    if (strcmp(unit_state_name(u->state), "active") == 0 && u->since > 0) {
        int64_t sec = now - u->since < 0 ? 0 : now - u->since;
        if (sec < 60)
            snprintf(up, sizeof(up), "%" PRId64 "s", sec);
        else if (sec < 3600)
            snprintf(up, sizeof(up), "%" PRId64 "min%" PRId64 "s", sec / 60, sec % 60);
        else if (sec < 86400)
            snprintf(up, sizeof(up), "%" PRId64 "h%" PRId64 "min", sec / 3600, sec % 3600 / 60);
        else
            snprintf(up, sizeof(up), "%" PRId64 "d%" PRId64 "h", sec / 86400, sec % 86400 / 3600);
    }
    if (u->exit_signal > 0)
        snprintf(ex, sizeof(ex), "signal=%s", signal_to_name(u->exit_signal));
    else if (u->exit_code >= 0)
        snprintf(ex, sizeof(ex), "code=%d", (int)u->exit_code);
    else
        snprintf(ex, sizeof(ex), "-");
    snprintf(buf, size, "%-*s  %-*s  %7s  %-8s  %8" PRIu32 "  %-11s  %s\n", wname, u->name, wstate,
             unit_state_name(u->state), pid, up, u->restarts, ex, unit_sub_name(u->sub));
}

/* What the client prints for u alone, into a pipe. */
static char *client_row(const struct sb_unit *u, int64_t now)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    proto_print_table(f, u, 1, now, false);
    fclose(f);
    return buf;
}

/* Values the fields take. */
static const int32_t pids[] = {-1, 0, 1, 42, 99999, 4194304, INT32_MAX};
static const int64_t ages[] = {
    0,    1,    9,     59,    60,    61,     599,      3599, 3600,
    3601, 3660, 86399, 86400, 90061, 864000, 31536000, -1,   -86400 /* a clock set back */,
};
static const int32_t codes[] = {-1, 0, 1, 2, 3, 126, 127, 203, 255, 32767, -32768};
static const uint32_t restarts[] = {0, 1, 7, 99999999, UINT32_MAX};

/* Unit k: every state and sub code (and one beyond) against the others. */
static void make_unit(struct sb_unit *u, unsigned k)
{
    memset(u, 0, sizeof(*u));
    size_t len = 1 + k % 31; /* 1..31: the record's own name field */
    for (size_t i = 0; i < len; i++)
        u->name[i] = "abcxyz-_.@:09\\"[(k + i) % 14];
    unsigned st = k % (UNIT_STATE__COUNT + 1), sub = k / 7 % (UNIT_SUB__COUNT + 1);
    u->state = (uint8_t)(st < UNIT_STATE__COUNT ? st : UNIT_CODE_NONE);
    u->sub = (uint8_t)(sub < UNIT_SUB__COUNT ? sub : UNIT_CODE_NONE);
    u->pid = pids[k % (sizeof(pids) / sizeof(pids[0]))];
    u->pgid = u->pid;
    u->restarts = restarts[k / 3 % (sizeof(restarts) / sizeof(restarts[0]))];
    u->exit_code = codes[k / 5 % (sizeof(codes) / sizeof(codes[0]))];
    u->exit_signal = (int32_t)(k / 11 % 70) - 1; /* -1 .. 68 */
    unsigned a = k / 13 % (sizeof(ages) / sizeof(ages[0]) + 1);
    u->since = a < sizeof(ages) / sizeof(ages[0]) ? NOW - ages[a] : 0;
}

/* glibc's real-time range is what the libc-free path assumes. */
START_TEST(test_rt_range)
{
    ck_assert_int_eq(SIGRTMIN, SIGNAME_LIBC_RTMIN);
    ck_assert_int_eq(SIGRTMAX, SIGNAME_LIBC_RTMAX);
    for (int sig = -2; sig < 200; sig++)
        ck_assert_str_eq(signame_of(sig, SIGNAME_LIBC_RTMIN, SIGNAME_LIBC_RTMAX),
                         signal_to_name(sig));
}
END_TEST

/* sl_format against the old printf format, for every width too. */
START_TEST(test_row_is_printf)
{
    char want[SL_LINE_MAX], got[SL_LINE_MAX];
    for (unsigned k = 0; k < 20000; k++) {
        struct sb_unit u;
        make_unit(&u, k);
        struct sl_unit row = {.name = u.name,
                              .state = u.state,
                              .sub = u.sub,
                              .pid = u.pid,
                              .restarts = u.restarts,
                              .exit_code = u.exit_code,
                              .exit_signal = u.exit_signal,
                              .signal = signal_to_name(u.exit_signal),
                              .since = u.since};
        int wname = (int)strlen(u.name) + (int)(k % 3) * 7, wstate = 5 + (int)(k % 12);
        printf_row(want, sizeof(want), &u, NOW, wname, wstate);
        size_t n = sl_format(got, sizeof(got), &row, NOW, wname, wstate);
        ck_assert_msg(strcmp(got, want) == 0, "unit %u:\n got '%s'\nwant '%s'", k, got, want);
        ck_assert_uint_eq(n, strlen(want));
    }
}
END_TEST

/* A board at path with one slot, a reader on it, and that slot's raw record
 * (what the libc-free path reads). */
static const struct sb_record *board_open(struct status_board *b, struct sb_reader *r, int *slot)
{
    ck_assert_int_eq(sb_create(b, path, 0644), 0);
    ck_assert_int_eq(sb_reader_open(r, path), SB_OPEN_OK);
    *slot = sb_slot_alloc(b);
    ck_assert_int_ge(*slot, 0);
    return (const struct sb_record *)((const char *)r->map + SB_HEADER_SIZE +
                                      (size_t)*slot * SB_RECORD_SIZE);
}

/* The daemon writes units on a board; the client's row for each (through
 * sb_reader_get and stdio) and the libc-free path's (the raw record) agree. */
START_TEST(test_record_is_client)
{
    struct status_board b;
    struct sb_reader r;
    int slot;
    const struct sb_record *rec = board_open(&b, &r, &slot);
    unsigned n = 0, active = 0;
    for (unsigned k = 0; k < 60000; k++) {
        struct sb_unit u, back;
        make_unit(&u, k);
        sb_publish(&b, slot, &u);
        ck_assert_int_eq(sb_reader_get(&r, (uint32_t)slot, &back), 1);
        char *want = client_row(&back, NOW);
        char got[SL_LINE_MAX];
        size_t len = sl_format_record(got, sizeof(got), rec, rec->name, NOW);
        ck_assert_msg(strcmp(got, want) == 0, "unit %u:\n got '%s'\nwant '%s'", k, got, want);
        ck_assert_uint_eq(len, strlen(want));
        n++;
        active += proto_unit_active(&back);
        free(want);
    }
    ck_assert_uint_gt(active, 0);
    ck_assert_uint_gt(n - active, 0);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

/* Long names (the side area) through both, with sl_format_record given the
 * name: the row is the same whatever the name's length. */
START_TEST(test_long_names)
{
    struct status_board b;
    struct sb_reader r;
    int slot;
    const struct sb_record *rec = board_open(&b, &r, &slot);
    for (unsigned len = 1; len < SB_NAME_MAX; len++) {
        struct sb_unit u, back;
        make_unit(&u, len * 37);
        memset(u.name, 'n', len);
        u.name[len] = '\0';
        sb_publish(&b, slot, &u);
        ck_assert_int_eq(sb_reader_get(&r, (uint32_t)slot, &back), 1);
        char *want = client_row(&back, NOW);
        char got[SL_LINE_MAX];
        sl_format_record(got, sizeof(got), rec, back.name, NOW);
        ck_assert_msg(strcmp(got, want) == 0, "length %u:\n got '%s'\nwant '%s'", len, got, want);
        free(want);
    }
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

struct span_case {
    int64_t sec;
    const char *want;
};

static const struct span_case span_cases[] = {
    {0, "0s"},
    {1, "1s"},
    {59, "59s"},
    {60, "1min0s"},
    {61, "1min1s"},
    {3599, "59min59s"},
    {3600, "1h0min"},
    {3661, "1h1min"},
    {86399, "23h59min"},
    {86400, "1d0h"},
    {90061, "1d1h"},
    {-5, "0s"},
    {INT64_MAX, "106751991167300d15h"},
};

START_TEST(test_span)
{
    const struct span_case *c = &span_cases[_i];
    char buf[64];
    ck_assert_uint_eq(sl_span(buf, sizeof(buf), c->sec), strlen(c->want));
    ck_assert_str_eq(buf, c->want);
}
END_TEST

/* Like snprintf: cut, terminated, and the whole length returned. */
START_TEST(test_truncation)
{
    struct sl_unit row = {.name = "web",
                          .state = UNIT_STATE_ACTIVE,
                          .sub = UNIT_SUB_RUNNING,
                          .pid = 42,
                          .exit_code = -1,
                          .exit_signal = -1,
                          .signal = "?",
                          .since = NOW - 5};
    char full[SL_LINE_MAX], small[10];
    size_t n = sl_format(full, sizeof(full), &row, NOW, 4, 5);
    memset(small, 'x', sizeof(small));
    ck_assert_uint_eq(sl_format(small, sizeof(small), &row, NOW, 4, 5), n);
    ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
    ck_assert_int_eq(strncmp(small, full, sizeof(small) - 1), 0);
    small[0] = 'x';
    ck_assert_uint_eq(sl_format(small, 0, &row, NOW, 4, 5), n);
    ck_assert_int_eq(small[0], 'x'); /* size 0: nothing written */
}
END_TEST

static Suite *status_line_suite(void)
{
    Suite *s = suite_create("status_line");
    TCase *tc = tcase_create("status_line");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_rt_range);
    tcase_add_test(tc, test_row_is_printf);
    tcase_add_test(tc, test_record_is_client);
    tcase_add_test(tc, test_long_names);
    tcase_add_loop_test(tc, test_span, 0, sizeof(span_cases) / sizeof(span_cases[0]));
    tcase_add_test(tc, test_truncation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(status_line_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
