/* check_unit_install.c - unit/unit_install.c over temporary trees: enable,
 * disable, mask, unmask and is-enabled, with aliases, Also=, templates and
 * RequiredBy=, in systemd's tree and in pxinit's own directories. */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/unit_install.h"

static char root[64];
static struct install_scope sc;
static struct install_changes ch;
static char err[512];

static void put(const char *rel, const char *text)
{
    char p[PATH_MAX], cmd[PATH_MAX + 32];
    snprintf(p, sizeof(p), "%s%s", root, rel);
    snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", p);
    ck_assert_int_eq(system(cmd), 0);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* The link's text, or "" when rel is no link. */
static const char *link_of(const char *rel)
{
    static char text[PATH_MAX];
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s%s", root, rel);
    ssize_t n = readlink(p, text, sizeof(text) - 1);
    text[n > 0 ? n : 0] = '\0';
    return text;
}

static bool exists(const char *rel)
{
    char p[PATH_MAX];
    struct stat st;
    snprintf(p, sizeof(p), "%s%s", root, rel);
    return lstat(p, &st) == 0;
}

static const char *state(const char *name)
{
    return unit_file_state_name(install_state(&sc, name));
}

#define SVC "[Service]\nExecStart=/bin/true\n"

static void setup(void)
{
    snprintf(root, sizeof(root), "/tmp/check_unit_install.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    struct strv own = {0};
    ck_assert_int_eq(strv_push(&own, "/etc/pxinit/units"), 0);
    ck_assert_int_eq(install_scope_init(&sc, &own, false, true), 0);
    strv_clear(&own);
    ck_assert_int_eq(install_scope_set_root(&sc, root), 0);
    put("/usr/lib/systemd/system/foo.service", SVC
        "[Install]\nWantedBy=multi-user.target\n"
        "RequiredBy=bar.target\nAlias=foo2.service\n"
        "Also=baz.service\n");
    put("/usr/lib/systemd/system/baz.service", SVC "[Install]\nWantedBy=default.target\n");
    put("/usr/lib/systemd/system/st.service", SVC);
    put("/usr/lib/systemd/system/tpl@.service",
        SVC "[Install]\nWantedBy=multi-user.target\nDefaultInstance=def\n");
    put("/usr/lib/systemd/system/t2@.service", SVC "[Install]\nWantedBy=multi-user.target\n");
    put("/usr/lib/systemd/system/al.service", SVC "[Install]\nAlso=baz.service\n");
    put("/usr/lib/systemd/system/multi-user.target", "[Unit]\n");
    ch = (struct install_changes){0};
}

static void teardown(void)
{
    char cmd[PATH_MAX + 16];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    ck_assert_int_eq(system(cmd), 0);
    install_changes_free(&ch);
    install_scope_free(&sc);
}

START_TEST(test_states_before)
{
    ck_assert_str_eq(state("foo.service"), "disabled");
    ck_assert_str_eq(state("st.service"), "static");
    ck_assert_str_eq(state("al.service"), "indirect");
    ck_assert_str_eq(state("tpl@.service"), "disabled");
    ck_assert_str_eq(state("tpl@x.service"), "disabled");
    ck_assert_str_eq(state("nope.service"), "not-found");
    ck_assert(!unit_file_state_is_enabled(install_state(&sc, "foo.service")));
    ck_assert(unit_file_state_is_enabled(install_state(&sc, "st.service")));
}
END_TEST

START_TEST(test_enable_disable)
{
    ck_assert_int_eq(install_enable(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert(ch.carries_install_info);
    ck_assert_str_eq(link_of("/etc/systemd/system/multi-user.target.wants/foo.service"),
                     "/usr/lib/systemd/system/foo.service");
    ck_assert_str_eq(link_of("/etc/systemd/system/bar.target.requires/foo.service"),
                     "/usr/lib/systemd/system/foo.service");
    ck_assert_str_eq(link_of("/etc/systemd/system/foo2.service"),
                     "/usr/lib/systemd/system/foo.service");
    /* Also= */
    ck_assert_str_eq(link_of("/etc/systemd/system/default.target.wants/baz.service"),
                     "/usr/lib/systemd/system/baz.service");
    ck_assert_str_eq(state("foo.service"), "enabled");
    ck_assert_str_eq(state("foo2.service"), "alias");
    ck_assert_str_eq(state("baz.service"), "enabled");
    /* The messages: aliases first, a warning for a target with no file. */
    ck_assert_uint_ge(ch.lines.n, 4);
    char want[PATH_MAX * 2];
    snprintf(want, sizeof(want),
             "Created symlink %s/etc/systemd/system/foo2.service \u2192 "
             "/usr/lib/systemd/system/foo.service.",
             root);
    ck_assert_str_eq(ch.lines.v[0], want);
    /* Enabling again changes nothing. */
    install_changes_free(&ch);
    ck_assert_int_eq(install_enable(&sc, "foo", &ch, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "Failed to enable unit, unit foo does not exist.");
    ck_assert_int_eq(install_enable(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    for (size_t i = 0; i < ch.lines.n; i++)
        ck_assert(strncmp(ch.lines.v[i], "Created", 7) != 0);
    install_changes_free(&ch);

    ck_assert_int_eq(install_disable(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert_uint_eq(ch.lines.n, 4);
    ck_assert(!exists("/etc/systemd/system/multi-user.target.wants"));
    ck_assert(!exists("/etc/systemd/system/bar.target.requires"));
    ck_assert(!exists("/etc/systemd/system/foo2.service"));
    ck_assert(!exists("/etc/systemd/system/default.target.wants/baz.service"));
    ck_assert(exists("/usr/lib/systemd/system/foo.service"));
    ck_assert_str_eq(state("foo.service"), "disabled");
}
END_TEST

START_TEST(test_static_and_missing)
{
    ck_assert_int_eq(install_enable(&sc, "st.service", &ch, err, sizeof(err)), 0);
    ck_assert(!ch.carries_install_info);
    ck_assert_uint_eq(ch.lines.n, 0);
    ck_assert_int_eq(install_enable(&sc, "nope.service", &ch, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "Failed to enable unit, unit nope.service does not exist.");
    ck_assert_int_eq(install_disable(&sc, "nope.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(ch.lines.v[0], "Failed to disable unit, unit nope.service does not exist.");
}
END_TEST

START_TEST(test_templates)
{
    ck_assert_int_eq(install_enable(&sc, "tpl@.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(link_of("/etc/systemd/system/multi-user.target.wants/tpl@def.service"),
                     "/usr/lib/systemd/system/tpl@.service");
    ck_assert_int_eq(install_enable(&sc, "tpl@y.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(link_of("/etc/systemd/system/multi-user.target.wants/tpl@y.service"),
                     "/usr/lib/systemd/system/tpl@.service");
    ck_assert_str_eq(state("tpl@.service"), "enabled");
    ck_assert_str_eq(state("tpl@y.service"), "enabled");
    ck_assert_str_eq(state("tpl@x.service"), "disabled");
    /* No DefaultInstance, a non-template target: refused. */
    ck_assert_int_eq(install_enable(&sc, "t2@.service", &ch, err, sizeof(err)), -1);
    ck_assert_str_eq(err,
                     "Failed to enable t2@.service, destination unit multi-user.target is a "
                     "non-template unit.");
    ck_assert_int_eq(install_enable(&sc, "t2@q.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(state("t2@q.service"), "enabled");
    ck_assert_int_eq(install_disable(&sc, "t2@q.service", &ch, err, sizeof(err)), 0);
    ck_assert(!exists("/etc/systemd/system/multi-user.target.wants/t2@q.service"));
    ck_assert(exists("/etc/systemd/system/multi-user.target.wants/tpl@y.service"));
    /* Disabling the template removes every instance. */
    ck_assert_int_eq(install_disable(&sc, "tpl@.service", &ch, err, sizeof(err)), 0);
    ck_assert(!exists("/etc/systemd/system/multi-user.target.wants"));
}
END_TEST

START_TEST(test_mask_unmask)
{
    ck_assert_int_eq(install_mask(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(link_of("/etc/systemd/system/foo.service"), "/dev/null");
    ck_assert_str_eq(state("foo.service"), "masked");
    ck_assert_int_eq(install_enable(&sc, "foo.service", &ch, err, sizeof(err)), -1);
    ck_assert_int_eq(install_mask(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    /* A unit with no file may be masked too. */
    ck_assert_int_eq(install_mask(&sc, "nope.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(state("nope.service"), "masked");
    install_changes_free(&ch);
    ck_assert_int_eq(install_unmask(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert_uint_eq(ch.lines.n, 1);
    ck_assert(!exists("/etc/systemd/system/foo.service"));
    ck_assert_str_eq(state("foo.service"), "disabled");
    ck_assert_int_eq(install_unmask(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert_uint_eq(ch.lines.n, 1);
}
END_TEST

START_TEST(test_mask_refused_over_file)
{
    char want[PATH_MAX + 64];
    put("/etc/systemd/system/real.service", SVC);
    ck_assert_int_eq(install_mask(&sc, "real.service", &ch, err, sizeof(err)), -1);
    snprintf(want, sizeof(want),
             "Failed to mask unit, file \"%s/etc/systemd/system/real.service\" already exists.",
             root);
    ck_assert_str_eq(err, want);
    /* pxinit's own directories: refused likewise (SPEC). */
    put("/etc/pxinit/units/web.service", SVC);
    ck_assert_int_eq(install_mask(&sc, "web.service", &ch, err, sizeof(err)), -1);
    ck_assert(!exists("/etc/systemd/system/web.service"));
    ck_assert_uint_eq(ch.lines.n, 0);
}
END_TEST

START_TEST(test_own_dirs)
{
    put("/etc/pxinit/units/web.service",
        SVC "[Install]\nWantedBy=multi-user.target\nAlias=www.service\n");
    ck_assert_str_eq(state("web.service"), "enabled");
    ck_assert_int_eq(install_enable(&sc, "web.service", &ch, err, sizeof(err)), 0);
    ck_assert_str_eq(link_of("/etc/pxinit/units/multi-user.target.wants/web.service"),
                     "/etc/pxinit/units/web.service");
    ck_assert_str_eq(link_of("/etc/pxinit/units/www.service"), "/etc/pxinit/units/web.service");
    ck_assert_str_eq(state("www.service"), "alias");
    ck_assert_int_eq(install_disable(&sc, "web.service", &ch, err, sizeof(err)), 0);
    ck_assert(!exists("/etc/pxinit/units/www.service"));
    ck_assert(exists("/etc/pxinit/units/web.service"));
    ck_assert_str_eq(state("web.service"), "enabled");
}
END_TEST

START_TEST(test_dropins_and_runtime)
{
    put("/etc/systemd/system/st.service.d/install.conf", "[Install]\nWantedBy=multi-user.target\n");
    ck_assert_str_eq(state("st.service"), "disabled");
    put("/etc/systemd/system/foo.service.d/reset.conf", "[Install]\nAlias=\nAlso=\n");
    ck_assert_int_eq(install_enable(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert(!exists("/etc/systemd/system/foo2.service"));
    ck_assert(!exists("/etc/systemd/system/default.target.wants"));
    /* A link in /run only: enabled-runtime. */
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/run/systemd/system/multi-user.target.wants", root);
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
    ck_assert_int_eq(system(cmd), 0);
    strcat(p, "/baz.service");
    ck_assert_int_eq(symlink("/usr/lib/systemd/system/baz.service", p), 0);
    ck_assert_str_eq(state("baz.service"), "enabled-runtime");
}
END_TEST

START_TEST(test_cat_files)
{
    struct strv paths = {0};
    char want[PATH_MAX];
    put("/etc/systemd/system/foo.service.d/b.conf", "[Install]\nAlias=\n");
    put("/run/systemd/system/foo.service.d/a.conf", "[Install]\nAlias=\n");
    put("/usr/lib/systemd/system/foo.service.d/b.conf", "[Install]\nAlias=x.service\n");
    ck_assert_int_eq(install_files(&sc, "foo.service", &paths), 0);
    ck_assert_uint_eq(paths.n, 3);
    snprintf(want, sizeof(want), "%s/usr/lib/systemd/system/foo.service", root);
    ck_assert_str_eq(paths.v[0], want);
    snprintf(want, sizeof(want), "%s/run/systemd/system/foo.service.d/a.conf", root);
    ck_assert_str_eq(paths.v[1], want);
    snprintf(want, sizeof(want), "%s/etc/systemd/system/foo.service.d/b.conf", root);
    ck_assert_str_eq(paths.v[2], want);
    strv_clear(&paths);
    /* /etc's b.conf hides /usr/lib's: no alias. */
    ck_assert_int_eq(install_enable(&sc, "foo.service", &ch, err, sizeof(err)), 0);
    ck_assert(!exists("/etc/systemd/system/x.service"));
    ck_assert(!exists("/etc/systemd/system/foo2.service"));
    errno = 0;
    ck_assert_int_eq(install_files(&sc, "nope.service", &paths), -1);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_no_follow)
{
    /* A link where a .wants directory goes is not followed. */
    char p[PATH_MAX], t[PATH_MAX];
    snprintf(t, sizeof(t), "%s/elsewhere", root);
    ck_assert_int_eq(mkdir(t, 0755), 0);
    snprintf(p, sizeof(p), "%s/etc/systemd/system", root);
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", p);
    ck_assert_int_eq(system(cmd), 0);
    strcat(p, "/multi-user.target.wants");
    ck_assert_int_eq(symlink(t, p), 0);
    ck_assert_int_eq(install_enable(&sc, "baz.service", &ch, err, sizeof(err)), 0);
    ck_assert_int_eq(install_enable(&sc, "tpl@y.service", &ch, err, sizeof(err)), -1);
    strcat(t, "/tpl@y.service");
    struct stat st;
    ck_assert_int_eq(lstat(t, &st), -1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("unit_install");
    TCase *tc = tcase_create("install");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_states_before);
    tcase_add_test(tc, test_enable_disable);
    tcase_add_test(tc, test_static_and_missing);
    tcase_add_test(tc, test_templates);
    tcase_add_test(tc, test_mask_unmask);
    tcase_add_test(tc, test_mask_refused_over_file);
    tcase_add_test(tc, test_own_dirs);
    tcase_add_test(tc, test_dropins_and_runtime);
    tcase_add_test(tc, test_cat_files);
    tcase_add_test(tc, test_no_follow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
