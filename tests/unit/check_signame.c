/* check_signame.c - signal names and numbers as users write them. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/signame.h"

struct from_case {
    const char *in;
    int want; /* -1: invalid; RT cases are checked separately (run-time values) */
};

/* clang-format off */
static const struct from_case from_cases[] = {
    {"TERM", SIGTERM},     {"SIGTERM", SIGTERM},  {"sigterm", SIGTERM},  {"term", SIGTERM},
    {"SigTerm", SIGTERM},  {"15", SIGTERM},       {"1", SIGHUP},         {"9", SIGKILL},
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},     {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},     {"IOT", SIGABRT},      {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},     {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},     {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD},     {"CLD", SIGCHLD},      {"CONT", SIGCONT},     {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},     {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH},   {"IO", SIGIO},         {"POLL", SIGIO},       {"PWR", SIGPWR},
    {"SYS", SIGSYS},       {"SIGWINCH", SIGWINCH},
    {"", -1},              {"0", -1},             {"SIG", -1},           {"SIGSIGTERM", -1},
    {"TERMX", -1},         {" TERM", -1},         {"TERM ", -1},         {"-15", -1},
    {"+15", -1},           {"15x", -1},           {"999", -1},           {"65", -1},
    {"SIG15", -1},         {"RTMIN-1", -1},       {"RTMAX+1", -1},       {"RTMIN+", -1},
    {"RTMIN+99", -1},      {"RTMINX", -1},        {"FOO", -1},
};
/* clang-format on */

START_TEST(test_from_string_table)
{
    const struct from_case *c = &from_cases[_i];

    ck_assert_msg(signal_from_string(c->in) == c->want, "'%s': want %d, got %d", c->in, c->want,
                  signal_from_string(c->in));
}
END_TEST

START_TEST(test_from_string_null)
{
    ck_assert_int_eq(signal_from_string(NULL), -1);
}
END_TEST

START_TEST(test_realtime)
{
    int span = SIGRTMAX - SIGRTMIN;
    char buf[32];

    ck_assert_int_eq(signal_from_string("RTMIN"), SIGRTMIN);
    ck_assert_int_eq(signal_from_string("SIGRTMIN"), SIGRTMIN);
    ck_assert_int_eq(signal_from_string("rtmin+0"), SIGRTMIN);
    ck_assert_int_eq(signal_from_string("RTMIN+3"), SIGRTMIN + 3);
    ck_assert_int_eq(signal_from_string("sigrtmin+3"), SIGRTMIN + 3);
    ck_assert_int_eq(signal_from_string("RTMAX"), SIGRTMAX);
    ck_assert_int_eq(signal_from_string("SIGRTMAX-1"), SIGRTMAX - 1);
    snprintf(buf, sizeof(buf), "RTMIN+%d", span);
    ck_assert_int_eq(signal_from_string(buf), SIGRTMAX);
    snprintf(buf, sizeof(buf), "RTMIN+%d", span + 1);
    ck_assert_int_eq(signal_from_string(buf), -1);
    snprintf(buf, sizeof(buf), "RTMAX-%d", span);
    ck_assert_int_eq(signal_from_string(buf), SIGRTMIN);
    snprintf(buf, sizeof(buf), "%d", SIGRTMAX);
    ck_assert_int_eq(signal_from_string(buf), SIGRTMAX);
    snprintf(buf, sizeof(buf), "%d", SIGRTMAX + 1);
    ck_assert_int_eq(signal_from_string(buf), -1);
}
END_TEST

START_TEST(test_to_name)
{
    ck_assert_str_eq(signal_to_name(SIGTERM), "TERM");
    ck_assert_str_eq(signal_to_name(SIGKILL), "KILL");
    ck_assert_str_eq(signal_to_name(SIGABRT), "ABRT");
    ck_assert_str_eq(signal_to_name(SIGCHLD), "CHLD");
    ck_assert_str_eq(signal_to_name(SIGIO), "IO");
    ck_assert_str_eq(signal_to_name(SIGRTMIN), "RTMIN");
    ck_assert_str_eq(signal_to_name(SIGRTMIN + 3), "RTMIN+3");
    ck_assert_str_eq(signal_to_name(SIGRTMAX), "RTMAX");
    ck_assert_str_eq(signal_to_name(0), "?");
    ck_assert_str_eq(signal_to_name(-1), "?");
    ck_assert_str_eq(signal_to_name(SIGRTMAX + 1), "?");
}
END_TEST

/* Every signal number the system has survives number -> name -> number. */
START_TEST(test_round_trip)
{
    for (int sig = 1; sig <= SIGRTMAX; sig++) {
        const char *name = signal_to_name(sig);
        if (name[0] == '?')
            continue; /* 32, 33: reserved by the C library, no name */
        ck_assert_msg(signal_from_string(name) == sig, "%d -> %s -> %d", sig, name,
                      signal_from_string(name));
    }
}
END_TEST

static Suite *signame_suite(void)
{
    Suite *s = suite_create("signame");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_from_string_table, 0, sizeof(from_cases) / sizeof(from_cases[0]));
    tcase_add_test(tc, test_from_string_null);
    tcase_add_test(tc, test_realtime);
    tcase_add_test(tc, test_to_name);
    tcase_add_test(tc, test_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(signame_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
