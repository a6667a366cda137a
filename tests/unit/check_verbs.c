/* check_verbs.c - the one table of control verbs (wire/verbs.c): SPEC's
 * verbs are words of the command line and nothing else is, each has the
 * properties the client and the daemon act on, names and ids agree, and a
 * mistyped word is matched only against the command line's verbs. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "wire/verbs.h"

/* SPEC "Control verbs": exactly these select the client role. */
static const char *const spec_verbs[] = {
    "start",  "stop",     "restart",     "reload",        "kill",
    "status", "list",     "logs",        "daemon-reload", "shutdown",
    "check",  "calendar", "list-timers", "list-sockets",  "reset-failed",
};
#define NSPEC (sizeof(spec_verbs) / sizeof(spec_verbs[0]))

START_TEST(test_command_verbs)
{
    for (size_t i = 0; i < NSPEC; i++)
        ck_assert_msg(verb_is_command(spec_verbs[i]), "%s", spec_verbs[i]);
    size_t n = 0;
    for (int v = 0; v < VERB__COUNT; v++)
        n += verb_is_command(verb_name((enum verb_id)v));
    ck_assert_uint_eq(n, NSPEC);
    /* A request only: the daemon answers it, the command line has no such word. */
    ck_assert_int_eq(verb_find("ping"), VERB_PING);
    ck_assert(!verb_is_command("ping"));
    /* show and journal are requests only: systemctl and journalctl ask with them. */
    ck_assert_int_eq(verb_find("show"), VERB_SHOW);
    ck_assert(!verb_is_command("show"));
    ck_assert(!verb_is_command("journal"));
    ck_assert(!verb_is_command(""));
    ck_assert(!verb_is_command("Status"));
    ck_assert(!verb_is_command("status "));
    ck_assert_int_eq(verb_find("sleep"), -1);
    ck_assert_str_eq(verb_name(VERB__COUNT), "");
}
END_TEST

START_TEST(test_ids_and_names)
{
    for (int v = 0; v < VERB__COUNT; v++) {
        const char *name = verb_name((enum verb_id)v);
        ck_assert_uint_gt(strlen(name), 0);
        ck_assert_uint_lt(strlen(name), VERB_NAME_MAX);
        ck_assert_int_eq(verb_find(name), v);
    }
    ck_assert_str_eq(verb_name(VERB_STATUS), "status");
    ck_assert_str_eq(verb_name(VERB_DAEMON_RELOAD), "daemon-reload");
}
END_TEST

/* What client.c and control_verbs.c rely on. */
START_TEST(test_properties)
{
    /* Only check and calendar are answered without a daemon. */
    for (int v = 0; v < VERB__COUNT; v++)
        ck_assert_int_eq(verb_has((enum verb_id)v, VERB_OFFLINE),
                         v == VERB_CHECK || v == VERB_CALENDAR);
    /* These want a unit; those take nothing. */
    enum verb_id units[] = {VERB_START, VERB_STOP, VERB_RESTART, VERB_RELOAD, VERB_KILL, VERB_LOGS};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        ck_assert(verb_has(units[i], VERB_UNITS));
    ck_assert(!verb_has(VERB_STATUS, VERB_UNITS));
    ck_assert(verb_has(VERB_LIST, VERB_NO_ARGS));
    ck_assert(verb_has(VERB_DAEMON_RELOAD, VERB_NO_ARGS));
    ck_assert(verb_has(VERB_SHUTDOWN, VERB_NO_ARGS));
    ck_assert(!verb_has(VERB_STATUS, VERB_NO_ARGS));
    /* start, stop, restart and reload answer when their job ends. */
    for (int v = 0; v < VERB__COUNT; v++)
        ck_assert_int_eq(verb_has((enum verb_id)v, VERB_WAITS), v == VERB_START || v == VERB_STOP ||
                                                                    v == VERB_RESTART ||
                                                                    v == VERB_RELOAD);
    /* status and list can come from the board. */
    for (int v = 0; v < VERB__COUNT; v++)
        ck_assert_int_eq(verb_has((enum verb_id)v, VERB_BOARD), v == VERB_STATUS || v == VERB_LIST);
    ck_assert(verb_has(VERB_LIST, VERB_BOARD | VERB_NO_ARGS));
    ck_assert(!verb_has(VERB_STATUS, VERB_BOARD | VERB_NO_ARGS));
    ck_assert(!verb_has(VERB__COUNT, 0));
}
END_TEST

START_TEST(test_closest)
{
    ck_assert_str_eq(verb_closest("stauts"), "status");
    ck_assert_str_eq(verb_closest("strat"), "start");
    ck_assert_str_eq(verb_closest("shutdwon"), "shutdown");
    ck_assert_str_eq(verb_closest("chekc"), "check");
    /* ping is no word of the command line: never suggested. */
    ck_assert_ptr_null(verb_closest("pong"));
    ck_assert_ptr_null(verb_closest("ping"));
    ck_assert_ptr_null(verb_closest("a-word-longer-than-any-verb-at-all"));
}
END_TEST

/* The role follows the table: a verb after -R DIR makes a client. */
START_TEST(test_role)
{
    char *a1[] = {"pxinit", "-R", "/x", "status", NULL};
    ck_assert(client_role(4, a1));
    char *a2[] = {"pxinit", "ping", NULL};
    ck_assert(!client_role(2, a2));
    char *a3[] = {"pxinit", "--runtime-dir=/x", "check", "f", NULL};
    ck_assert(client_role(4, a3));
    char *a4[] = {"pxinit", "--", "status", NULL};
    ck_assert(!client_role(3, a4));
}
END_TEST

static Suite *verbs_suite(void)
{
    Suite *s = suite_create("verbs");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_command_verbs);
    tcase_add_test(tc, test_ids_and_names);
    tcase_add_test(tc, test_properties);
    tcase_add_test(tc, test_closest);
    tcase_add_test(tc, test_role);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(verbs_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
