/* check_protocol.c - the control protocol's text forms: request checks and
 * splitting, the unit record line both ways, names, and JSON escaping. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/protocol.h"

START_TEST(test_request_valid)
{
    ck_assert(proto_request_valid("status web", 10));
    ck_assert(proto_request_valid("status\tweb\r", 11));
    ck_assert(!proto_request_valid("status\0web", 10));
    ck_assert(!proto_request_valid("sta\x1btus", 7));
    ck_assert(!proto_request_valid("a\rb", 3));
    ck_assert(!proto_request_valid("\x7f", 1));
}
END_TEST

START_TEST(test_split)
{
    char line[] = "  start \t web  db.service\r";
    char *argv[4];
    ck_assert_int_eq(proto_split(line, argv, 4), 3);
    ck_assert_str_eq(argv[0], "start");
    ck_assert_str_eq(argv[1], "web");
    ck_assert_str_eq(argv[2], "db.service");
    char many[] = "a b c d e";
    ck_assert_int_eq(proto_split(many, argv, 4), -1);
    char empty[] = "   ";
    ck_assert_int_eq(proto_split(empty, argv, 4), 0);
}
END_TEST

START_TEST(test_names)
{
    char out[16];
    proto_short_name("web.service", out, sizeof(out));
    ck_assert_str_eq(out, "web");
    proto_short_name("web", out, sizeof(out));
    ck_assert_str_eq(out, "web");
    proto_short_name(".service", out, sizeof(out));
    ck_assert_str_eq(out, ".service");
    ck_assert(proto_unit_name_ok("getty@tty1.service"));
    ck_assert(!proto_unit_name_ok("a b"));
    ck_assert(!proto_unit_name_ok("a/b"));
    ck_assert(!proto_unit_name_ok(""));
}
END_TEST

START_TEST(test_unit_roundtrip)
{
    struct sb_unit u = {.pid = 42,
                        .pgid = 42,
                        .restarts = 3,
                        .exit_code = -1,
                        .exit_signal = 9,
                        .since = 1700000000};
    strcpy(u.name, "web");
    u.state = unit_state_code("active");
    u.sub = unit_sub_code("running");
    char line[512];
    proto_format_unit(line, sizeof(line), &u);
    ck_assert_str_eq(line, "unit web active running 42 42 3 - 9 1700000000");
    struct sb_unit back;
    ck_assert_int_eq(proto_parse_unit(line + 5, &back), 0);
    ck_assert_int_eq(memcmp(&u, &back, sizeof(u)), 0);

    struct sb_unit none = {.pid = -1, .pgid = -1, .exit_code = -1, .exit_signal = -1};
    strcpy(none.name, "x");
    none.state = unit_state_code("inactive");
    none.sub = unit_sub_code("dead");
    proto_format_unit(line, sizeof(line), &none);
    ck_assert_str_eq(line, "unit x inactive dead - - 0 - - -");
    ck_assert_int_eq(proto_parse_unit(line + 5, &back), 0);
    ck_assert_int_eq(back.pid, -1);
    ck_assert_int_eq(back.since, 0);

    /* A word of a newer daemon's reads "unknown", and is never active. */
    ck_assert_int_eq(proto_parse_unit("web rebooting warp - - 0 - - -", &back), 0);
    ck_assert_uint_eq(back.state, UNIT_CODE_NONE);
    ck_assert_uint_eq(back.sub, UNIT_CODE_NONE);
    ck_assert(!proto_unit_active(&back));
    proto_format_unit(line, sizeof(line), &back);
    ck_assert_str_eq(line, "unit web unknown unknown - - 0 - - -");
    ck_assert_int_eq(proto_parse_unit("x inactive masked - - 0 - - -", &back), 0);
    ck_assert_uint_eq(back.sub, UNIT_SUB_MASKED);

    ck_assert_int_eq(proto_parse_unit("web active", &back), -1);
    ck_assert_int_eq(proto_parse_unit("web active running x 1 1 - - -", &back), -1);
}
END_TEST

START_TEST(test_json)
{
    struct sb_unit u = {.pid = -1, .pgid = -1, .exit_code = 1, .exit_signal = -1};
    strcpy(u.name, "we\"b\\\x01");
    u.state = unit_state_code("failed");
    u.sub = unit_sub_code("failed");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    proto_print_json(f, &u, 1);
    fclose(f);
    ck_assert_str_eq(buf,
                     "{\"units\":[{\"name\":\"we\\\"b\\\\\\u0001\",\"state\":\"failed\","
                     "\"sub\":\"failed\",\"pid\":null,\"pgid\":null,\"restarts\":0,"
                     "\"last_exit\":{\"code\":1,\"signal\":null},\"since\":null}]}\n");
    free(buf);
    f = open_memstream(&buf, &len);
    proto_print_json(f, NULL, 0);
    fclose(f);
    ck_assert_str_eq(buf, "{\"units\":[]}\n");
    free(buf);
}
END_TEST

/* SPEC: one line per unit, name, state, main pid, uptime, restart count,
 * last exit; every field one word; a legend only when asked for. */
START_TEST(test_table)
{
    struct sb_unit u[2] = {
        {.pid = 42, .pgid = 42, .restarts = 3, .exit_code = -1, .exit_signal = 15, .since = 1000},
        {.pid = -1, .pgid = -1, .exit_code = 1, .exit_signal = -1, .since = 1000},
    };
    strcpy(u[0].name, "web");
    u[0].state = unit_state_code("active");
    u[0].sub = unit_sub_code("running");
    strcpy(u[1].name, "crashy");
    u[1].state = unit_state_code("failed");
    u[1].sub = unit_sub_code("failed");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    proto_print_table(f, u, 2, 1000 + 2 * 3600 + 10 * 60 + 5, false);
    fclose(f);
    char w[2][7][32];
    ck_assert_int_eq(
        sscanf(buf, "%31s %31s %31s %31s %31s %31s %31s\n%31s %31s %31s %31s %31s %31s %31s",
               w[0][0], w[0][1], w[0][2], w[0][3], w[0][4], w[0][5], w[0][6], w[1][0], w[1][1],
               w[1][2], w[1][3], w[1][4], w[1][5], w[1][6]),
        14);
    const char *want[2][7] = {{"web", "active", "42", "2h10min", "3", "signal=TERM", "running"},
                              {"crashy", "failed", "-", "-", "0", "code=1", "failed"}};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 7; j++)
            ck_assert_str_eq(w[i][j], want[i][j]);
    ck_assert_int_eq(strchr(strchr(buf, '\n') + 1, '\n') - buf + 1, (long)len); /* two lines */
    free(buf);
    f = open_memstream(&buf, &len);
    proto_print_table(f, u, 1, 1000, true);
    fclose(f);
    ck_assert_int_eq(strncmp(buf, "UNIT ", 5), 0);
    ck_assert_ptr_nonnull(strstr(buf, "\nweb "));
    free(buf);
}
END_TEST

START_TEST(test_sanitize)
{
    char s[] = "a\nb\x1b[31mc\xff";
    proto_sanitize(s);
    ck_assert_str_eq(s, "a?b?[31mc?");
}
END_TEST

static Suite *protocol_suite(void)
{
    Suite *s = suite_create("protocol");
    TCase *tc = tcase_create("protocol");
    tcase_add_test(tc, test_request_valid);
    tcase_add_test(tc, test_split);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_unit_roundtrip);
    tcase_add_test(tc, test_json);
    tcase_add_test(tc, test_table);
    tcase_add_test(tc, test_sanitize);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(protocol_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
