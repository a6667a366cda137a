/* check_sockaddr.c - socket addresses as systemd.socket(5) writes them:
 * parsing good and bad ones (table), formatting, round trips. */
#include <arpa/inet.h>
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/sockaddr.h"

struct good_case {
    const char *in;
    int family;
    const char *shown; /* sock_addr_format()'s text */
};

static const struct good_case good[] = {
    {"80", AF_INET6, "[::]:80"},
    {"1", AF_INET6, "[::]:1"},
    {"65535", AF_INET6, "[::]:65535"},
    {"0080", AF_INET6, "[::]:80"},
    {"1.2.3.4:80", AF_INET, "1.2.3.4:80"},
    {"127.0.0.1:80", AF_INET, "127.0.0.1:80"},
    {"0.0.0.0:65535", AF_INET, "0.0.0.0:65535"},
    {"[::1]:80", AF_INET6, "[::1]:80"},
    {"[::]:443", AF_INET6, "[::]:443"},
    {"[2001:db8::1]:8080", AF_INET6, "[2001:db8::1]:8080"},
    {"[::ffff:1.2.3.4]:80", AF_INET6, "[::ffff:1.2.3.4]:80"},
    {"[fe80::1%2]:80", AF_INET6, "[fe80::1]:80%2"},
    {"[fe80::1]:80%2", AF_INET6, "[fe80::1]:80%2"},
    {"/run/x.sock", AF_UNIX, "/run/x.sock"},
    {"/", AF_UNIX, "/"},
    {"/run/with space", AF_UNIX, "/run/with space"},
    {"@name", AF_UNIX, "@name"},
    {"@a", AF_UNIX, "@a"},
    {"@with/slash and space", AF_UNIX, "@with/slash and space"},
};

static const char *const bad[] = {
    "",
    "0",
    "65536",
    "99999999999999999999",
    "80x",
    "80 ",
    " 80",
    "-1",
    "+80",
    "1.2.3.4",
    "1.2.3.4:",
    "1.2.3.4:0",
    "1.2.3.4:65536",
    "1.2.3.4:80x",
    "1.2.3.4:80:80",
    "1.2.3:80",
    "1.2.3.4.5:80",
    "256.1.1.1:80",
    "1.2.3.4%2:80",
    "1.2.3.4:80%2",
    "localhost:80",
    "example.com:80",
    "localhost",
    "::1:80",
    "::1",
    "[::1]",
    "[::1]:",
    "[::1]:0",
    "[::1]:65536",
    "[::1]80",
    "[::1]:80x",
    "[::1:80",
    "[]:80",
    "[1.2.3.4]:80",
    "[fe80::1%lo]:80",
    "[fe80::1]:80%eth0",
    "[fe80::1%]:80",
    "[fe80::1%0]:80",
    "[fe80::1%2]:80%2",
    "[fe80::1%99999999999]:80",
    "run/x.sock",
    "./x.sock",
    "x.sock",
    "@",
    "vsock:2:1234",
    "vsock:",
    "netlink",
    ":80",
};

START_TEST(test_good)
{
    const struct good_case *c = &good[_i];
    struct sock_addr a, b;
    const char *err = NULL;
    char buf[256];

    ck_assert_msg(sock_addr_parse(c->in, &a, &err) == 0, "%s: %s", c->in, err);
    ck_assert_int_eq(a.sa.sa_family, c->family);
    ck_assert_int_eq(sock_addr_format(&a, buf, sizeof(buf)), (int)strlen(c->shown));
    ck_assert_str_eq(buf, c->shown);
    ck_assert_msg(sock_addr_parse(buf, &b, &err) == 0, "%s again: %s", buf, err);
    ck_assert(sock_addr_equal(&a, &b));
}
END_TEST

START_TEST(test_bad)
{
    struct sock_addr a;
    const char *err = NULL;

    memset(&a, 0x5a, sizeof(a));
    ck_assert_msg(sock_addr_parse(bad[_i], &a, &err) < 0, "'%s' accepted", bad[_i]);
    ck_assert_ptr_nonnull(err);
    ck_assert(*err);
    ck_assert_int_eq(a.len, 0); /* left empty, not half filled */
}
END_TEST

START_TEST(test_details)
{
    struct sock_addr a;
    const char *err;

    ck_assert_int_eq(sock_addr_parse("80", &a, &err), 0);
    ck_assert(memcmp(&a.in6.sin6_addr, &in6addr_any, sizeof(in6addr_any)) == 0);
    ck_assert_int_eq(ntohs(a.in6.sin6_port), 80);
    ck_assert_int_eq(a.len, sizeof(struct sockaddr_in6));

    ck_assert_int_eq(sock_addr_parse("127.0.0.1:8080", &a, &err), 0);
    ck_assert_int_eq(a.len, sizeof(struct sockaddr_in));
    ck_assert_int_eq(ntohl(a.in.sin_addr.s_addr), 0x7f000001);
    ck_assert_int_eq(ntohs(a.in.sin_port), 8080);

    ck_assert_int_eq(sock_addr_parse("[fe80::1%7]:80", &a, &err), 0);
    ck_assert_int_eq(a.in6.sin6_scope_id, 7);

    ck_assert_int_eq(sock_addr_parse("/run/x.sock", &a, &err), 0);
    ck_assert_int_eq(a.len, offsetof(struct sockaddr_un, sun_path) + strlen("/run/x.sock") + 1);
    ck_assert(sock_addr_is_path(&a));

    ck_assert_int_eq(sock_addr_parse("@name", &a, &err), 0);
    ck_assert_int_eq(a.len, offsetof(struct sockaddr_un, sun_path) + 1 + strlen("name"));
    ck_assert_int_eq(a.un.sun_path[0], '\0');
    ck_assert(memcmp(a.un.sun_path + 1, "name", 4) == 0);
    ck_assert(!sock_addr_is_path(&a));

    ck_assert_int_eq(sock_addr_parse("vsock:2:80", &a, &err), -1);
    ck_assert_str_eq(err, "vsock addresses are not supported");
    ck_assert_int_eq(sock_addr_parse("[fe80::1%lo]:80", &a, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "interface names"));
    ck_assert_int_eq(sock_addr_parse("0", &a, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "port"));
    ck_assert_int_eq(sock_addr_parse("1.2.3.4", &a, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "PORT"));
}
END_TEST

/* sun_path holds 108 bytes: a path of 107 and its NUL, an abstract name
 * of 107 after its NUL. */
START_TEST(test_lengths)
{
    char text[200];
    struct sock_addr a, b;
    const char *err;
    char buf[256];

    text[0] = '/';
    memset(text + 1, 'p', 106);
    text[107] = '\0';
    ck_assert_int_eq(sock_addr_parse(text, &a, &err), 0);
    ck_assert_int_eq(a.len, sizeof(struct sockaddr_un));
    ck_assert_int_eq(sock_addr_format(&a, buf, sizeof(buf)), 107);
    ck_assert_str_eq(buf, text);
    strcat(text, "p");
    ck_assert_int_eq(sock_addr_parse(text, &a, &err), -1);
    ck_assert_ptr_nonnull(strstr(err, "too long"));

    text[0] = '@';
    text[108] = '\0';
    ck_assert_int_eq(strlen(text), 108);
    ck_assert_int_eq(sock_addr_parse(text, &a, &err), 0);
    ck_assert_int_eq(a.len, sizeof(struct sockaddr_un));
    ck_assert_int_eq(sock_addr_format(&a, buf, sizeof(buf)), 108);
    ck_assert_int_eq(sock_addr_parse(buf, &b, &err), 0);
    ck_assert(sock_addr_equal(&a, &b));
    strcat(text, "p");
    ck_assert_int_eq(sock_addr_parse(text, &a, &err), -1);

    /* A short buffer: snprintf's length, always terminated. */
    ck_assert_int_eq(sock_addr_parse("[2001:db8::1]:8080", &a, &err), 0);
    memset(buf, 'x', sizeof(buf));
    ck_assert_int_eq(sock_addr_format(&a, buf, 5), (int)strlen("[2001:db8::1]:8080"));
    ck_assert_str_eq(buf, "[200");
}
END_TEST

START_TEST(test_equal_and_format_errors)
{
    struct sock_addr a, b;
    const char *err;
    char buf[64];

    ck_assert_int_eq(sock_addr_parse("80", &a, &err), 0);
    ck_assert_int_eq(sock_addr_parse("[::]:80", &b, &err), 0);
    ck_assert(sock_addr_equal(&a, &b));
    ck_assert_int_eq(sock_addr_parse("[::]:81", &b, &err), 0);
    ck_assert(!sock_addr_equal(&a, &b));
    ck_assert_int_eq(sock_addr_parse("0.0.0.0:80", &b, &err), 0);
    ck_assert(!sock_addr_equal(&a, &b));
    ck_assert_int_eq(sock_addr_parse("/a", &a, &err), 0);
    ck_assert_int_eq(sock_addr_parse("@a", &b, &err), 0);
    ck_assert(!sock_addr_equal(&a, &b));

    memset(&a, 0, sizeof(a));
    ck_assert_int_eq(sock_addr_format(&a, buf, sizeof(buf)), -1);
    a.sa.sa_family = AF_INET;
    a.len = 3; /* a length that is not the family's */
    ck_assert_int_eq(sock_addr_format(&a, buf, sizeof(buf)), -1);
}
END_TEST

static Suite *sockaddr_suite(void)
{
    Suite *s = suite_create("sockaddr");
    TCase *tc = tcase_create("parse");

    tcase_add_loop_test(tc, test_good, 0, sizeof(good) / sizeof(good[0]));
    tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, test_details);
    tcase_add_test(tc, test_lengths);
    tcase_add_test(tc, test_equal_and_format_errors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sockaddr_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
