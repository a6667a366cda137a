/* check_user_mode.c - the daemon's directories by mode (config/options.c,
 * config/paths.c): the system's without --user, the XDG ones with it, -u,
 * -R and --state-dir winning; systemd's tree per mode; the private runtime
 * directory check (base/private_dir.c); --user and --system before a verb
 * making a client (client.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/private_dir.h"
#include "client/client.h"
#include "config/options.h"
#include "config/paths.h"

static void env_clear(void)
{
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_RUNTIME_DIR");
    unsetenv("XDG_STATE_HOME");
    unsetenv("PXINIT_RUNTIME_DIR");
    unsetenv("PXINIT_UNITS");
    setenv("HOME", "/h", 1);
}

static enum options_result parse(struct options *o, char **argv)
{
    int argc = 0;
    while (argv[argc])
        argc++;
    return options_parse(o, argc, argv);
}

START_TEST(test_system_paths)
{
    struct options o;
    env_clear();
    setenv("XDG_CONFIG_HOME", "/c", 1); /* read only with --user */
    char *argv[] = {"pxinit", "--systemd", NULL};
    ck_assert_int_eq(parse(&o, argv), OPTIONS_OK);
    ck_assert(!o.user && !o.runtime_dir_private);
    ck_assert_uint_eq(o.unit_dirs.n, 1);
    ck_assert_str_eq(o.unit_dirs.v[0], "/etc/pxinit/units");
    ck_assert_str_eq(o.runtime_dir, "/run/pxinit");
    ck_assert_str_eq(o.state_dir, "/var/lib/pxinit");
    ck_assert_uint_eq(o.systemd_dirs.n, 4);
    ck_assert_str_eq(o.systemd_dirs.v[0], "/etc/systemd/system");
    ck_assert_str_eq(o.systemd_dirs.v[1], "/run/systemd/system");
    options_free(&o);
}
END_TEST

START_TEST(test_user_defaults)
{
    struct options o;
    char want[64];
    env_clear();
    char *argv[] = {"pxinit", "--user", NULL};
    ck_assert_int_eq(parse(&o, argv), OPTIONS_OK);
    ck_assert(o.user && o.runtime_dir_private);
    ck_assert_str_eq(o.unit_dirs.v[0], "/h/.config/pxinit/units");
    snprintf(want, sizeof(want), "/tmp/pxinit-%u", (unsigned)getuid());
    ck_assert_str_eq(o.runtime_dir, want);
    ck_assert_str_eq(o.state_dir, "/h/.local/state/pxinit");
    ck_assert_uint_eq(o.systemd_dirs.n, 0); /* no --systemd */
    options_free(&o);
}
END_TEST

START_TEST(test_user_xdg)
{
    struct options o;
    env_clear();
    setenv("XDG_CONFIG_HOME", "/c", 1);
    setenv("XDG_RUNTIME_DIR", "/r", 1);
    setenv("XDG_STATE_HOME", "/s", 1);
    setenv("PXINIT_RUNTIME_DIR", "/sys-only", 1);
    char *argv[] = {"pxinit", "--systemd", "--user", NULL};
    ck_assert_int_eq(parse(&o, argv), OPTIONS_OK);
    ck_assert_str_eq(o.unit_dirs.v[0], "/c/pxinit/units");
    ck_assert_str_eq(o.runtime_dir, "/r/pxinit");
    ck_assert_str_eq(o.state_dir, "/s/pxinit");
    ck_assert_uint_eq(o.systemd_dirs.n, 4);
    ck_assert_str_eq(o.systemd_dirs.v[0], "/c/systemd/user");
    ck_assert_str_eq(o.systemd_dirs.v[1], "/r/systemd/user");
    ck_assert_str_eq(o.systemd_dirs.v[2], "/etc/systemd/user");
    ck_assert_str_eq(o.systemd_dirs.v[3], "/usr/lib/systemd/user");
    options_free(&o);
    /* A relative XDG variable counts as unset. */
    setenv("XDG_CONFIG_HOME", "rel", 1);
    ck_assert_int_eq(parse(&o, argv), OPTIONS_OK);
    ck_assert_str_eq(o.unit_dirs.v[0], "/h/.config/pxinit/units");
    options_free(&o);
}
END_TEST

START_TEST(test_user_overrides)
{
    struct options o;
    env_clear();
    char *argv[] = {"pxinit", "-u", "/u", "-R", "/rr", "--state-dir", "/ss", "--user", NULL};
    ck_assert_int_eq(parse(&o, argv), OPTIONS_OK);
    ck_assert_uint_eq(o.unit_dirs.n, 1);
    ck_assert_str_eq(o.unit_dirs.v[0], "/u");
    ck_assert_str_eq(o.runtime_dir, "/rr");
    ck_assert(!o.runtime_dir_private);
    ck_assert_str_eq(o.state_dir, "/ss");
    options_free(&o);
}
END_TEST

START_TEST(test_private_dir)
{
    char base[] = "/tmp/check_user_mode.XXXXXX", p[256], q[256];
    ck_assert_ptr_nonnull(mkdtemp(base));
    snprintf(p, sizeof(p), "%s/run", base);
    ck_assert_ptr_null(paths_runtime_dir_refused(p)); /* missing: no daemon, no harm */
    ck_assert_ptr_nonnull(private_dir_check(p, false));
    ck_assert_ptr_null(private_dir_check(p, true));
    struct stat st;
    ck_assert_int_eq(stat(p, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0700);
    ck_assert_ptr_null(private_dir_check(p, true)); /* again: there already */
    ck_assert_ptr_null(paths_runtime_dir_refused(p));
    ck_assert_int_eq(chmod(p, 0755), 0);
    ck_assert_str_eq(private_dir_check(p, true), "its mode is not 0700");
    ck_assert_ptr_nonnull(paths_runtime_dir_refused(p));
    ck_assert_int_eq(chmod(p, 0700), 0);
    snprintf(q, sizeof(q), "%s/link", base);
    ck_assert_int_eq(symlink(p, q), 0);
    ck_assert_str_eq(private_dir_check(q, true), "it is a symlink");
    ck_assert_str_eq(paths_runtime_dir_refused(q), "it is a symlink");
    snprintf(q, sizeof(q), "%s/file", base);
    FILE *f = fopen(q, "w");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_str_eq(private_dir_check(q, true), "it is not a directory");
    if (geteuid() == 0) {
        ck_assert_int_eq(chown(p, 4242, 4242), 0);
        ck_assert_str_eq(private_dir_check(p, true), "another user owns it");
    }
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_client_options)
{
    char *a1[] = {"pxinit", "--user", "status", NULL};
    ck_assert(client_role(3, a1));
    char *a2[] = {"pxinit", "--system", "-R", "/x", "list", NULL};
    ck_assert(client_role(5, a2));
    char *a3[] = {"pxinit", "--user", NULL};
    ck_assert(!client_role(2, a3));
    char *a4[] = {"pxinit", "--user", "--", "status", NULL};
    ck_assert(!client_role(4, a4));
    char *a5[] = {"pxinit", "--user", "--systemd", "status", NULL};
    ck_assert(!client_role(4, a5)); /* --systemd is the daemon's */
}
END_TEST

static Suite *user_mode_suite(void)
{
    Suite *s = suite_create("user_mode");
    TCase *tc = tcase_create("paths");
    tcase_add_test(tc, test_system_paths);
    tcase_add_test(tc, test_user_defaults);
    tcase_add_test(tc, test_user_xdg);
    tcase_add_test(tc, test_user_overrides);
    tcase_add_test(tc, test_private_dir);
    tcase_add_test(tc, test_client_options);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(user_mode_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
