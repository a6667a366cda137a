/* check_restart.c - systemd's restart rules: the Restart= table, result
 * classification with SuccessExitStatus=, RestartSteps= delays and the start
 * rate limit, all with synthetic wait statuses and times. */
#include <check.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/restart.h"
#include "base/timespan.h"

#define STATUS(u) ((struct unit_status *)unit_part((u), UNIT_PART_STATUS)) /* allocates it */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SEC(x) ((uint64_t)(x)*USEC_PER_SEC)
#define MSEC(x) ((uint64_t)(x)*USEC_PER_MSEC)

/* Linux wait status encodings, built by hand so no process is needed. */
static int ws_exit(int code)
{
    return (code & 0xff) << 8;
}
static int ws_signal(int sig)
{
    return sig & 0x7f;
}
static int ws_core(int sig)
{
    return (sig & 0x7f) | 0x80;
}

/* A unit with systemd's defaults, as the parser starts from. */
static struct unit *tu_new(void)
{
    struct unit *u = unit_new("test.service");

    ck_assert_ptr_nonnull(u);
    return u;
}

/* Gives u's SuccessExitStatus= heap copies of codes and signals (unit_free
 * frees them). */
static void tu_set_success(struct unit *u, const int *codes, size_t ncodes, const int *signals,
                           size_t nsignals)
{
    struct exit_status_set *s = &STATUS(u)->success_exit_status;

    s->codes = calloc(ncodes + 1, sizeof(int));
    s->signals = calloc(nsignals + 1, sizeof(int));
    ck_assert_ptr_nonnull(s->codes);
    ck_assert_ptr_nonnull(s->signals);
    if (ncodes)
        memcpy(s->codes, codes, ncodes * sizeof(int));
    if (nsignals)
        memcpy(s->signals, signals, nsignals * sizeof(int));
    s->ncodes = ncodes;
    s->nsignals = nsignals;
}

/* ---- Restart= table ------------------------------------------------------ */

/* How a run ended: a process exit (how 0), signal (1) or signal with core
 * dump (2) with value, classified first; or how -1 and a result directly. */
static int classify_status(int how, int value)
{
    return how == 0 ? ws_exit(value) : how == 1 ? ws_signal(value) : ws_core(value);
}

/* The rows of systemd.service(5)'s table, plus the two results it leaves
 * out. Columns: no, always, on-success, on-failure, on-abnormal, on-abort,
 * on-watchdog. */
static const struct {
    const char *label;
    int how;
    int value;
    enum service_result result; /* when how is -1 */
    bool want[7];
} restart_rows[] = {
    {"clean exit code", 0, 0, 0, {0, 1, 1, 0, 0, 0, 0}},
    {"clean signal", 1, SIGTERM, 0, {0, 1, 1, 0, 0, 0, 0}},
    {"unclean exit code", 0, 1, 0, {0, 1, 0, 1, 0, 0, 0}},
    {"unclean signal", 1, SIGKILL, 0, {0, 1, 0, 1, 1, 1, 0}},
    {"unclean signal, core", 2, SIGSEGV, 0, {0, 1, 0, 1, 1, 1, 0}},
    {"timeout", -1, 0, RESULT_TIMEOUT, {0, 1, 0, 1, 1, 0, 0}},
    {"watchdog", -1, 0, RESULT_WATCHDOG, {0, 1, 0, 1, 1, 0, 1}},
    {"start limit hit", -1, 0, RESULT_START_LIMIT, {0, 0, 0, 0, 0, 0, 0}},
    {"resources", -1, 0, RESULT_RESOURCES, {0, 1, 0, 1, 1, 0, 0}},
};

static const enum restart_policy restart_columns[7] = {
    RESTART_NO,          RESTART_ALWAYS,   RESTART_ON_SUCCESS,  RESTART_ON_FAILURE,
    RESTART_ON_ABNORMAL, RESTART_ON_ABORT, RESTART_ON_WATCHDOG,
};
static const char *const restart_column_names[7] = {
    "no", "always", "on-success", "on-failure", "on-abnormal", "on-abort", "on-watchdog",
};

START_TEST(test_restart_table)
{
    size_t row = (size_t)_i / 7, col = (size_t)_i % 7;
    struct unit *u;
    enum service_result r;
    int status = 0;

    u = tu_new();
    u->restart = restart_columns[col];
    if (restart_rows[row].how >= 0) {
        status = classify_status(restart_rows[row].how, restart_rows[row].value);
        r = restart_classify(u, status);
    } else {
        r = restart_rows[row].result;
    }
    ck_assert_msg(restart_wanted(u, r, status) == restart_rows[row].want[col],
                  "Restart=%s after %s (%s): want %d", restart_column_names[col],
                  restart_rows[row].label, service_result_name(r), restart_rows[row].want[col]);
    unit_free(u);
}
END_TEST

START_TEST(test_restart_null_unit)
{
    ck_assert(!restart_wanted(NULL, RESULT_EXIT_CODE, ws_exit(1)));
}
END_TEST

/* ---- classification ------------------------------------------------------ */

static const int codes_1_2[] = {1, 2};
static const int sig_kill_abrt[] = {SIGKILL, SIGABRT};
static const int sig_term[] = {SIGTERM};

static const struct {
    const char *label;
    enum unit_type type;
    const int *codes;
    size_t ncodes;
    const int *signals;
    size_t nsignals;
    int how; /* 0 exit, 1 signal, 2 signal with core */
    int value;
    enum service_result want;
} classify_rows[] = {
    {"exit 0", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 0, 0, RESULT_SUCCESS},
    {"exit 1", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 0, 1, RESULT_EXIT_CODE},
    {"exit 255", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 0, 255, RESULT_EXIT_CODE},
    {"SIGTERM", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGTERM, RESULT_SUCCESS},
    {"SIGHUP", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGHUP, RESULT_SUCCESS},
    {"SIGINT", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGINT, RESULT_SUCCESS},
    {"SIGPIPE", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGPIPE, RESULT_SUCCESS},
    {"SIGKILL", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGKILL, RESULT_SIGNAL},
    {"SIGUSR1", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 1, SIGUSR1, RESULT_SIGNAL},
    {"SIGSEGV core", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 2, SIGSEGV, RESULT_CORE_DUMP},
    {"SIGABRT core", UNIT_TYPE_SIMPLE, NULL, 0, NULL, 0, 2, SIGABRT, RESULT_CORE_DUMP},
    {"SuccessExitStatus=1 2, exit 1", UNIT_TYPE_SIMPLE, codes_1_2, 2, NULL, 0, 0, 1,
     RESULT_SUCCESS},
    {"SuccessExitStatus=1 2, exit 2", UNIT_TYPE_SIMPLE, codes_1_2, 2, NULL, 0, 0, 2,
     RESULT_SUCCESS},
    {"SuccessExitStatus=1 2, exit 3", UNIT_TYPE_SIMPLE, codes_1_2, 2, NULL, 0, 0, 3,
     RESULT_EXIT_CODE},
    {"SuccessExitStatus=SIGKILL, SIGKILL", UNIT_TYPE_SIMPLE, NULL, 0, sig_kill_abrt, 2, 1, SIGKILL,
     RESULT_SUCCESS},
    {"SuccessExitStatus=SIGKILL, SIGUSR2", UNIT_TYPE_SIMPLE, NULL, 0, sig_kill_abrt, 2, 1, SIGUSR2,
     RESULT_SIGNAL},
    /* Signal numbers are not exit codes: SuccessExitStatus=9 is exit 9. */
    {"SuccessExitStatus=SIGKILL, exit 9", UNIT_TYPE_SIMPLE, NULL, 0, sig_kill_abrt, 2, 0, SIGKILL,
     RESULT_EXIT_CODE},
    {"SuccessExitStatus=1 2, SIGINT stays clean", UNIT_TYPE_SIMPLE, codes_1_2, 2, NULL, 0, 1,
     SIGINT, RESULT_SUCCESS},
    /* systemd never calls a core dump clean. */
    {"SuccessExitStatus=SIGABRT, SIGABRT core", UNIT_TYPE_SIMPLE, NULL, 0, sig_kill_abrt, 2, 2,
     SIGABRT, RESULT_CORE_DUMP},
    {"SuccessExitStatus=SIGABRT, SIGABRT no core", UNIT_TYPE_SIMPLE, NULL, 0, sig_kill_abrt, 2, 1,
     SIGABRT, RESULT_SUCCESS},
    /* Type=oneshot gets no clean signals, except those listed. */
    {"oneshot exit 0", UNIT_TYPE_ONESHOT, NULL, 0, NULL, 0, 0, 0, RESULT_SUCCESS},
    {"oneshot SIGTERM", UNIT_TYPE_ONESHOT, NULL, 0, NULL, 0, 1, SIGTERM, RESULT_SIGNAL},
    {"oneshot SIGPIPE", UNIT_TYPE_ONESHOT, NULL, 0, NULL, 0, 1, SIGPIPE, RESULT_SIGNAL},
    {"oneshot SuccessExitStatus=SIGTERM", UNIT_TYPE_ONESHOT, NULL, 0, sig_term, 1, 1, SIGTERM,
     RESULT_SUCCESS},
    {"notify SIGTERM", UNIT_TYPE_NOTIFY, NULL, 0, NULL, 0, 1, SIGTERM, RESULT_SUCCESS},
};

START_TEST(test_restart_classify)
{
    struct unit *u;
    enum service_result r;

    u = tu_new();
    u->type = classify_rows[_i].type;
    tu_set_success(u, classify_rows[_i].codes, classify_rows[_i].ncodes, classify_rows[_i].signals,
                   classify_rows[_i].nsignals);
    r = restart_classify(u, classify_status(classify_rows[_i].how, classify_rows[_i].value));
    ck_assert_msg(r == classify_rows[_i].want, "%s: got %s, want %s", classify_rows[_i].label,
                  service_result_name(r), service_result_name(classify_rows[_i].want));
    unit_free(u);
}
END_TEST

START_TEST(test_restart_classify_null_unit)
{
    ck_assert_int_eq(restart_classify(NULL, ws_exit(0)), RESULT_SUCCESS);
    ck_assert_int_eq(restart_classify(NULL, ws_exit(3)), RESULT_EXIT_CODE);
    ck_assert_int_eq(restart_classify(NULL, ws_signal(SIGTERM)), RESULT_SUCCESS);
    ck_assert_int_eq(restart_classify(NULL, ws_signal(SIGKILL)), RESULT_SIGNAL);
}
END_TEST

/* SuccessExitStatus= makes a run clean, which flips on-success/on-failure. */
START_TEST(test_restart_success_exit_status_policy)
{
    static const int codes[] = {75};
    static const int sigs[] = {SIGUSR1};
    struct unit *u;
    const int statuses[] = {ws_exit(75), ws_signal(SIGUSR1)};

    u = tu_new();
    tu_set_success(u, codes, 1, sigs, 1);
    for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
        enum service_result r = restart_classify(u, statuses[i]);
        ck_assert_int_eq(r, RESULT_SUCCESS);
        u->restart = RESTART_ON_SUCCESS;
        ck_assert(restart_wanted(u, r, statuses[i]));
        u->restart = RESTART_ON_FAILURE;
        ck_assert(!restart_wanted(u, r, statuses[i]));
        u->restart = RESTART_ON_ABORT;
        ck_assert(!restart_wanted(u, r, statuses[i]));
    }
    /* Without the setting, the same runs fail. */
    unit_free(u);
    u = tu_new();
    u->restart = RESTART_ON_FAILURE;
    ck_assert(restart_wanted(u, restart_classify(u, ws_exit(75)), ws_exit(75)));
    ck_assert(restart_wanted(u, restart_classify(u, ws_signal(SIGUSR1)), ws_signal(SIGUSR1)));
    unit_free(u);
}
END_TEST

/* ---- result names -------------------------------------------------------- */

static const struct {
    enum service_result r;
    const char *name;
} result_names[] = {
    {RESULT_SUCCESS, "success"},
    {RESULT_EXIT_CODE, "exit-code"},
    {RESULT_SIGNAL, "signal"},
    {RESULT_CORE_DUMP, "core-dump"},
    {RESULT_TIMEOUT, "timeout"},
    {RESULT_WATCHDOG, "watchdog"},
    {RESULT_START_LIMIT, "start-limit-hit"},
    {RESULT_RESOURCES, "resources"},
};

START_TEST(test_restart_result_names)
{
    ck_assert_str_eq(service_result_name(result_names[_i].r), result_names[_i].name);
}
END_TEST

START_TEST(test_restart_result_name_unknown)
{
    ck_assert_str_eq(service_result_name((enum service_result)99), "unknown");
    ck_assert_str_eq(service_result_name((enum service_result) - 1), "unknown");
}
END_TEST

/* ---- delays -------------------------------------------------------------- */

START_TEST(test_restart_delay_no_steps)
{
    struct unit *u;

    u = tu_new();
    for (unsigned n = 0; n < 20; n++)
        ck_assert_uint_eq(restart_delay_usec(u, n), MSEC(100));
    /* RestartMaxDelaySec= alone changes nothing. */
    u->restart_max_delay_usec = SEC(10);
    for (unsigned n = 0; n < 20; n++)
        ck_assert_uint_eq(restart_delay_usec(u, n), MSEC(100));
    /* Nor RestartSteps= alone (the maximum stays infinite). */
    u->restart_max_delay_usec = USEC_INFINITY;
    u->restart_steps = 5;
    for (unsigned n = 0; n < 20; n++)
        ck_assert_uint_eq(restart_delay_usec(u, n), MSEC(100));
    unit_free(u);
}
END_TEST

/* The example of systemd.service(5): 10s, 20s, 40s, 80s, 160s, 160s, ... */
START_TEST(test_restart_delay_documented_example)
{
    static const uint64_t want[] = {SEC(10),  SEC(20),  SEC(40),  SEC(80),
                                    SEC(160), SEC(160), SEC(160), SEC(160)};
    struct unit *u;

    u = tu_new();
    u->restart_usec = SEC(10);
    u->restart_steps = 4;
    u->restart_max_delay_usec = SEC(160);
    for (unsigned n = 1; n <= ARRAY_SIZE(want); n++)
        ck_assert_uint_eq(restart_delay_usec(u, n), want[n - 1]);
    unit_free(u);
}
END_TEST

/* Geometric interpolation between RestartSec= and RestartMaxDelaySec=:
 * base * (max/base)^((n-1)/steps), within a microsecond or two. */
static const struct {
    uint64_t base, max;
    unsigned steps;
    uint64_t want[8]; /* delays for n = 1..; 0 ends */
} delay_rows[] = {
    {MSEC(100), SEC(10), 5, {100000, 251189, 630957, 1584893, 3981072, 10000000, 10000000, 0}},
    {SEC(1), SEC(10), 3, {1000000, 2154435, 4641589, 10000000, 10000000, 0}},
    {SEC(1), SEC(2), 1, {1000000, 2000000, 2000000, 0}},
    {MSEC(500), MSEC(600), 2, {500000, 547723, 600000, 600000, 0}},
};

START_TEST(test_restart_delay_steps)
{
    struct unit *u;

    u = tu_new();
    u->restart_usec = delay_rows[_i].base;
    u->restart_max_delay_usec = delay_rows[_i].max;
    u->restart_steps = delay_rows[_i].steps;
    for (unsigned n = 1; n <= 8 && delay_rows[_i].want[n - 1]; n++) {
        uint64_t got = restart_delay_usec(u, n), want = delay_rows[_i].want[n - 1];
        ck_assert_msg(got + 2 >= want && got <= want + 2, "row %d n=%u: got %llu want %llu", _i, n,
                      (unsigned long long)got, (unsigned long long)want);
    }
    unit_free(u);
}
END_TEST

/* Monotone, starts at RestartSec=, reaches the maximum at RestartSteps+1 and
 * stays there, over a range of shapes including extreme ratios. */
START_TEST(test_restart_delay_shape)
{
    static const struct {
        uint64_t base, max;
        unsigned steps;
    } shapes[] = {
        {MSEC(100), SEC(10), 5}, {1, UINT64_C(1) << 62, 64},   {1, USEC_INFINITY - 1, 10},
        {SEC(1), SEC(1) + 1, 7}, {MSEC(100), SEC(3600), 1000}, {SEC(5), SEC(300), 1},
    };

    for (size_t s = 0; s < ARRAY_SIZE(shapes); s++) {
        struct unit *u;
        uint64_t prev;

        u = tu_new();
        u->restart_usec = shapes[s].base;
        u->restart_max_delay_usec = shapes[s].max;
        u->restart_steps = shapes[s].steps;
        ck_assert_uint_eq(restart_delay_usec(u, 0), shapes[s].base);
        prev = restart_delay_usec(u, 1);
        ck_assert_uint_eq(prev, shapes[s].base);
        for (unsigned n = 2; n <= shapes[s].steps + 3; n++) {
            uint64_t d = restart_delay_usec(u, n);
            ck_assert_msg(d >= prev, "shape %zu n=%u: %llu < %llu", s, n, (unsigned long long)d,
                          (unsigned long long)prev);
            ck_assert_uint_le(d, shapes[s].max);
            if (n > shapes[s].steps)
                ck_assert_uint_eq(d, shapes[s].max);
            prev = d;
        }
        ck_assert_uint_eq(restart_delay_usec(u, UINT_MAX), shapes[s].max);
        unit_free(u);
    }
}
END_TEST

START_TEST(test_restart_delay_degenerate)
{
    struct unit *u;

    u = tu_new();
    u->restart_steps = 3;
    /* RestartSec=0: no backoff, as systemd documents. */
    u->restart_usec = 0;
    u->restart_max_delay_usec = SEC(10);
    ck_assert_uint_eq(restart_delay_usec(u, 2), 0);
    ck_assert_uint_eq(restart_delay_usec(u, 10), 0);
    /* A maximum not above RestartSec= leaves RestartSec= alone. */
    u->restart_usec = SEC(10);
    u->restart_max_delay_usec = SEC(5);
    ck_assert_uint_eq(restart_delay_usec(u, 2), SEC(10));
    ck_assert_uint_eq(restart_delay_usec(u, 10), SEC(10));
    u->restart_max_delay_usec = SEC(10);
    ck_assert_uint_eq(restart_delay_usec(u, 10), SEC(10));
    unit_free(u);
}
END_TEST

/* ---- start rate limit ---------------------------------------------------- */

START_TEST(test_start_limit_burst)
{
    struct unit *u;
    struct start_limit sl = {0};

    u = tu_new(); /* 5 starts per 10s */
    for (unsigned i = 0; i < 5; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(i)));
    ck_assert(!start_limit_allow(&sl, u, SEC(5)));
    ck_assert(!start_limit_allow(&sl, u, SEC(9)));
    /* The window is 10s from the first attempt, inclusive. */
    ck_assert(!start_limit_allow(&sl, u, SEC(10)));
    ck_assert(start_limit_allow(&sl, u, SEC(10) + 1));
    /* A fresh window counts from there. */
    for (unsigned i = 1; i < 5; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(10) + 1 + i));
    ck_assert(!start_limit_allow(&sl, u, SEC(11)));
    unit_free(u);
}
END_TEST

START_TEST(test_start_limit_window_starts_at_first_attempt)
{
    struct unit *u;
    struct start_limit sl = {0};

    u = tu_new();
    u->start_limit_burst = 2;
    ck_assert(start_limit_allow(&sl, u, SEC(100)));
    ck_assert(start_limit_allow(&sl, u, SEC(105)));
    ck_assert(!start_limit_allow(&sl, u, SEC(109)));
    ck_assert(!start_limit_allow(&sl, u, SEC(110)));
    /* Not a sliding window: 105 does not keep it open. */
    ck_assert(start_limit_allow(&sl, u, SEC(110) + 1));
    ck_assert(start_limit_allow(&sl, u, SEC(115)));
    ck_assert(!start_limit_allow(&sl, u, SEC(119)));
    unit_free(u);
}
END_TEST

START_TEST(test_start_limit_time_zero)
{
    struct unit *u;
    struct start_limit sl = {0};

    u = tu_new();
    u->start_limit_burst = 1;
    ck_assert(start_limit_allow(&sl, u, 0));
    ck_assert(!start_limit_allow(&sl, u, 0));
    ck_assert(!start_limit_allow(&sl, u, SEC(1)));
    ck_assert(start_limit_allow(&sl, u, SEC(10) + 1));
    unit_free(u);
}
END_TEST

START_TEST(test_start_limit_reset)
{
    struct unit *u;
    struct start_limit sl = {0};

    u = tu_new();
    for (unsigned i = 0; i < 5; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(1)));
    ck_assert(!start_limit_allow(&sl, u, SEC(1)));
    start_limit_reset(&sl);
    for (unsigned i = 0; i < 5; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(2)));
    ck_assert(!start_limit_allow(&sl, u, SEC(2)));
    unit_free(u);
}
END_TEST

START_TEST(test_start_limit_disabled)
{
    struct unit *u;
    struct start_limit sl = {0};

    u = tu_new();
    u->start_limit_interval_usec = 0;
    for (unsigned i = 0; i < 1000; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(1)));
    unit_free(u);
    u = tu_new();
    u->start_limit_burst = 0;
    for (unsigned i = 0; i < 1000; i++)
        ck_assert(start_limit_allow(&sl, u, SEC(1)));
    unit_free(u);
}
END_TEST

static Suite *restart_suite(void)
{
    Suite *s = suite_create("restart");
    TCase *tc;

    tc = tcase_create("policy");
    tcase_add_loop_test(tc, test_restart_table, 0, (int)(ARRAY_SIZE(restart_rows) * 7));
    tcase_add_test(tc, test_restart_null_unit);
    tcase_add_test(tc, test_restart_success_exit_status_policy);
    suite_add_tcase(s, tc);

    tc = tcase_create("classify");
    tcase_add_loop_test(tc, test_restart_classify, 0, (int)ARRAY_SIZE(classify_rows));
    tcase_add_test(tc, test_restart_classify_null_unit);
    tcase_add_loop_test(tc, test_restart_result_names, 0, (int)ARRAY_SIZE(result_names));
    tcase_add_test(tc, test_restart_result_name_unknown);
    suite_add_tcase(s, tc);

    tc = tcase_create("delay");
    tcase_add_test(tc, test_restart_delay_no_steps);
    tcase_add_test(tc, test_restart_delay_documented_example);
    tcase_add_loop_test(tc, test_restart_delay_steps, 0, (int)ARRAY_SIZE(delay_rows));
    tcase_add_test(tc, test_restart_delay_shape);
    tcase_add_test(tc, test_restart_delay_degenerate);
    suite_add_tcase(s, tc);

    tc = tcase_create("start_limit");
    tcase_add_test(tc, test_start_limit_burst);
    tcase_add_test(tc, test_start_limit_window_starts_at_first_attempt);
    tcase_add_test(tc, test_start_limit_time_zero);
    tcase_add_test(tc, test_start_limit_reset);
    tcase_add_test(tc, test_start_limit_disabled);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(restart_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
