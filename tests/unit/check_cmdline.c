/* check_cmdline.c - Exec*= prefixes, word splitting, escapes, $VAR expansion
 * and the ";" command separator, as systemd.service(5) describes them. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/cmdline.h"

#define MAXW 8

/* ---- prefixes ----------------------------------------------------------- */

struct prefix_case {
    const char *in;
    int want;         /* flags, or -1 */
    const char *rest; /* where *line points afterwards (on success) */
};

static const struct prefix_case prefix_cases[] = {
    {"/bin/x", 0, "/bin/x"},
    {"-/bin/x", EXEC_FLAG_IGNORE_FAILURE, "/bin/x"},
    {"@/bin/x a", EXEC_FLAG_ARGV0, "/bin/x a"},
    {":/bin/x", EXEC_FLAG_NO_ENV_EXPAND, "/bin/x"},
    {"+/bin/x", EXEC_FLAG_FULL_PRIVILEGES, "/bin/x"},
    {"!/bin/x", EXEC_FLAG_AMBIENT, "/bin/x"},
    {"!!/bin/x", EXEC_FLAG_AMBIENT, "/bin/x"},
    {"-@:+/bin/x",
     EXEC_FLAG_IGNORE_FAILURE | EXEC_FLAG_ARGV0 | EXEC_FLAG_NO_ENV_EXPAND |
         EXEC_FLAG_FULL_PRIVILEGES,
     "/bin/x"},
    {"+@-/bin/x", EXEC_FLAG_IGNORE_FAILURE | EXEC_FLAG_ARGV0 | EXEC_FLAG_FULL_PRIVILEGES, "/bin/x"},
    {"!!-/bin/x", EXEC_FLAG_AMBIENT | EXEC_FLAG_IGNORE_FAILURE, "/bin/x"},
    {"- /bin/x", EXEC_FLAG_IGNORE_FAILURE, " /bin/x"},
    {"", 0, ""},
    {"--/bin/x", -1, NULL},
    {"@@/bin/x", -1, NULL},
    {"::/bin/x", -1, NULL},
    {"++/bin/x", -1, NULL},
    {"+!/bin/x", -1, NULL},
    {"!+/bin/x", -1, NULL},
    {"!!+/bin/x", -1, NULL},
    {"!!!/bin/x", -1, NULL},
    {"-@-/bin/x", -1, NULL},
};

START_TEST(test_prefix_table)
{
    const struct prefix_case *c = &prefix_cases[_i];
    const char *p = c->in;
    int r;

    errno = 0;
    r = cmdline_parse_prefixes(&p);
    ck_assert_msg(r == c->want, "'%s': want %d, got %d", c->in, c->want, r);
    if (r < 0)
        ck_assert_int_eq(errno, EINVAL);
    else
        ck_assert_str_eq(p, c->rest);
}
END_TEST

/* ---- splitting ---------------------------------------------------------- */

static const char *const test_env[] = {
    "FOO=foo bar", "EMPTY=", "ONE=one", "QUOTED='a b' c", "DOLLAR=$HOME", "SPACES=  x  ",
};

struct split_case {
    const char *line;
    int flags;
    const char *want[MAXW]; /* NULL-terminated */
    const char *err;        /* non-NULL: EINVAL with this message */
};

static const struct split_case split_cases[] = {
    /* whitespace and quoting */
    {"/bin/echo a b", 0, {"/bin/echo", "a", "b"}, NULL},
    {"  /bin/echo \t a   b  ", 0, {"/bin/echo", "a", "b"}, NULL},
    {"/bin/sh -c 'a ; b'", 0, {"/bin/sh", "-c", "a ; b"}, NULL},
    {"/bin/echo \"a b\" 'c d'", 0, {"/bin/echo", "a b", "c d"}, NULL},
    {"\"/bin/my prog\" x", 0, {"/bin/my prog", "x"}, NULL},
    {"/bin/echo \"\" ''", 0, {"/bin/echo", "", ""}, NULL},
    {"/bin/echo \"a\"b", 0, {"/bin/echo", "ab"}, NULL},
    {"/bin/echo a\"b c\"d", 0, {"/bin/echo", "ab cd"}, NULL}, /* as systemd, not its man page */
    {"/bin/x --name=\"a b\" -o'c d'", 0, {"/bin/x", "--name=a b", "-oc d"}, NULL},
    {"/bin/x a\\\"b", 0, {"/bin/x", "a\"b"}, NULL},
    {"/bin/echo \"it's\" 'say \"hi\"'", 0, {"/bin/echo", "it's", "say \"hi\""}, NULL},
    /* escapes, outside and inside quotes */
    {"/bin/echo \\n\\t\\\\", 0, {"/bin/echo", "\n\t\\"}, NULL},
    {"/bin/echo \"a\\\"b\"", 0, {"/bin/echo", "a\"b"}, NULL},
    {"/bin/echo 'it\\'s'", 0, {"/bin/echo", "it's"}, NULL},
    {"/bin/echo \\x41\\101\\u00e4\\U0001F600\\s",
     0,
     {"/bin/echo", "AA\xc3\xa4\xf0\x9f\x98\x80 "},
     NULL},
    {"/bin/echo a\\sb", 0, {"/bin/echo", "a b"}, NULL},
    {"/bin/echo \\a\\b\\f\\r\\v", 0, {"/bin/echo", "\a\b\f\r\v"}, NULL},
    {"/bin/echo \\q \\x4 \\x00", 0, {"/bin/echo", "\\q", "\\x4", "\\x00"}, NULL},
    {"/bin/echo \\; \\\\;", 0, {"/bin/echo", ";", "\\;"}, NULL},
    {"/bin/echo ;", 0, {"/bin/echo", ";"}, NULL},
    /* variables */
    {"/bin/echo $FOO", 0, {"/bin/echo", "foo", "bar"}, NULL},
    {"/bin/echo ${FOO}", 0, {"/bin/echo", "foo bar"}, NULL},
    {"/bin/echo x${FOO}y", 0, {"/bin/echo", "xfoo bary"}, NULL},
    {"/bin/echo \"$FOO\"", 0, {"/bin/echo", "foo", "bar"}, NULL}, /* unquoted first, as systemd */
    {"/bin/echo '${ONE}'", 0, {"/bin/echo", "one"}, NULL},
    {"/bin/echo $UNSET end", 0, {"/bin/echo", "end"}, NULL},
    {"/bin/echo ${UNSET}", 0, {"/bin/echo", ""}, NULL},
    {"/bin/echo $EMPTY", 0, {"/bin/echo"}, NULL},
    {"/bin/echo $SPACES", 0, {"/bin/echo", "x"}, NULL},
    {"/bin/echo ${SPACES}", 0, {"/bin/echo", "  x  "}, NULL},
    {"/bin/echo $QUOTED", 0, {"/bin/echo", "a b", "c"}, NULL},
    {"/bin/echo $DOLLAR ${DOLLAR}", 0, {"/bin/echo", "$HOME", "$HOME"}, NULL},
    {"/bin/echo $$ $$FOO a$$b", 0, {"/bin/echo", "$", "$FOO", "a$b"}, NULL},
    {"/bin/echo a$FOO $ $1", 0, {"/bin/echo", "a$FOO", "$", "$1"}, NULL},
    {"/bin/echo ${FOO", 0, {"/bin/echo", "${FOO"}, NULL},
    {"/bin/echo ${UNSET:-def} ${ONE:-def} ${ONE:+alt} ${UNSET:+alt} ${EMPTY:-e}",
     0,
     {"/bin/echo", "def", "one", "alt", "", "e"},
     NULL},
    {"$FOO arg", 0, {"$FOO", "arg"}, NULL}, /* the executable is never expanded */
    {"/bin/echo $FOO ${FOO} $$",
     EXEC_FLAG_NO_ENV_EXPAND,
     {"/bin/echo", "$FOO", "${FOO}", "$$"},
     NULL},
    /* @: argv[0] is the second word */
    {"/bin/busybox sh -c x", EXEC_FLAG_ARGV0, {"/bin/busybox", "sh", "-c", "x"}, NULL},
    {"/bin/busybox", EXEC_FLAG_ARGV0, {NULL}, "'@' needs a word for argv[0] after the executable"},
    {"/bin/busybox $EMPTY",
     EXEC_FLAG_ARGV0,
     {NULL},
     "'@' needs a word for argv[0] after the executable"},
    /* errors */
    {"", 0, {NULL}, "empty command"},
    {"   \t ", 0, {NULL}, "empty command"},
    {"/bin/echo 'abc", 0, {NULL}, "unbalanced quotes"},
    {"/bin/echo \"abc", 0, {NULL}, "unbalanced quotes"},
    {"/bin/echo \"abc\\", 0, {NULL}, "unbalanced quotes"},
    {"/bin/echo abc\\", 0, {NULL}, "trailing backslash"},
};

START_TEST(test_split_table)
{
    const struct split_case *c = &split_cases[_i];
    struct strv env = {0}, argv = {0};
    const char *err = NULL;
    int r;
    size_t n = 0;

    for (size_t i = 0; i < sizeof(test_env) / sizeof(test_env[0]); i++)
        ck_assert_int_eq(strv_push(&env, test_env[i]), 0);
    errno = 0;
    r = cmdline_split(c->line, &env, c->flags, &argv, &err);
    if (c->err) {
        ck_assert_msg(r == -1 && errno == EINVAL, "'%s': should fail", c->line);
        ck_assert_str_eq(err, c->err);
        ck_assert_uint_eq(argv.n, 0);
    } else {
        ck_assert_msg(r == 0, "'%s': failed: %s", c->line, err ? err : "?");
        while (n < MAXW && c->want[n])
            n++;
        ck_assert_msg(argv.n == n, "'%s': want %zu words, got %zu", c->line, n, argv.n);
        for (size_t i = 0; i < n; i++)
            ck_assert_str_eq(argv.v[i], c->want[i]);
        ck_assert_ptr_null(argv.v[n]);
    }
    strv_clear(&argv);
    strv_clear(&env);
}
END_TEST

START_TEST(test_split_null_env_and_err)
{
    struct strv argv = {0};

    /* env may be NULL (nothing set); err may be NULL */
    ck_assert_int_eq(cmdline_split("/bin/echo $FOO ${FOO}x", NULL, 0, &argv, NULL), 0);
    ck_assert_uint_eq(argv.n, 2);
    ck_assert_str_eq(argv.v[1], "x");
    strv_clear(&argv);
    ck_assert_int_eq(cmdline_split("'", NULL, 0, &argv, NULL), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(test_split_long_line)
{
    char line[5000];
    struct strv argv = {0};
    size_t len;

    strcpy(line, "/bin/echo");
    len = strlen(line);
    for (int i = 0; i < 400; i++)
        len += (size_t)snprintf(line + len, sizeof(line) - len, " w%03d", i);
    ck_assert_int_eq(cmdline_split(line, NULL, 0, &argv, NULL), 0);
    ck_assert_uint_eq(argv.n, 401);
    ck_assert_str_eq(argv.v[400], "w399");
    strv_clear(&argv);
}
END_TEST

/* ---- unquote and ";" ---------------------------------------------------- */

START_TEST(test_unquote)
{
    struct strv words = {0};
    const char *err = NULL;

    ck_assert_int_eq(cmdline_unquote("A=1 \"B=2 3\" 'C=$x' D=\\x41", &words, &err), 0);
    ck_assert_uint_eq(words.n, 4);
    ck_assert_str_eq(words.v[0], "A=1");
    ck_assert_str_eq(words.v[1], "B=2 3");
    ck_assert_str_eq(words.v[2], "C=$x");
    ck_assert_str_eq(words.v[3], "D=A");
    strv_clear(&words);
    ck_assert_int_eq(cmdline_unquote("   ", &words, &err), 0);
    ck_assert_uint_eq(words.n, 0);
    ck_assert_int_eq(cmdline_unquote("ok \"bad", &words, &err), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_str_eq(err, "unbalanced quotes");
    ck_assert_uint_eq(words.n, 0);
}
END_TEST

struct sep_case {
    const char *line;
    size_t want;
};

static const struct sep_case sep_cases[] = {
    {"/bin/a ; /bin/b", 7},
    {"/bin/a", 6},
    {"/bin/a ;", 7},
    {"; /bin/b", 0},
    {"/bin/a\t;\t/bin/b", 7},
    {"/bin/a \\; b", 11},
    {"/bin/a a;b ;x", 13}, /* ";x" is not a lone semicolon */
    {"/bin/sh -c 'a ; b'", 18},
    {"/bin/sh -c \"a ; b\" ; /bin/c", 19},
    {"/bin/a 'unbalanced ; x", 22},
};

START_TEST(test_command_len_table)
{
    const struct sep_case *c = &sep_cases[_i];

    ck_assert_msg(cmdline_command_len(c->line) == c->want, "'%s': want %zu, got %zu", c->line,
                  c->want, cmdline_command_len(c->line));
}
END_TEST

static Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_prefix_table, 0, sizeof(prefix_cases) / sizeof(prefix_cases[0]));
    tcase_add_loop_test(tc, test_split_table, 0, sizeof(split_cases) / sizeof(split_cases[0]));
    tcase_add_test(tc, test_split_null_env_and_err);
    tcase_add_test(tc, test_split_long_line);
    tcase_add_test(tc, test_unquote);
    tcase_add_loop_test(tc, test_command_len_table, 0, sizeof(sep_cases) / sizeof(sep_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
