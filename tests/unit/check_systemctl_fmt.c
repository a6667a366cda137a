/* check_systemctl_fmt.c - systemctl's formats from a unit's properties
 * (systemctl_fmt.c): timestamps and relative times as systemd 252 writes
 * them, exit status names, and whole `status` blocks for a running, a
 * failed and a socket-activated unit. "Now" and the time zone are pinned. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/tz.h"
#include "client/systemctl_int.h"

#define SEC INT64_C(1000000)
/* Mon 2026-12-07 20:08:01 UTC. */
#define NOW (INT64_C(1796674081) * SEC)
/* Mon 2026-12-07 18:05:01 UTC: 2h 3min before NOW. */
#define T0 (NOW - 7380 * SEC)

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
    tz_local_reload(); /* the local zone is read once (base/tz.h); TZ changed */
}

/* Props from "KEY=VALUE" strings, as the daemon's prop lines give them. */
static void fill(struct sc_set *s, const char *name, const char *const *kv)
{
    memset(s, 0, sizeof(*s));
    for (; *kv; kv++) {
        char key[64];
        const char *eq = strchr(*kv, '=');
        ck_assert_ptr_nonnull(eq);
        snprintf(key, sizeof(key), "%.*s", (int)(eq - *kv), *kv);
        ck_assert_int_eq(sc_set_add(s, name, key, eq + 1), 0);
    }
}

/* What sc_print_status() writes, in a malloc'ed string. */
static char *status_of(const struct sc_unit *u, const char *comm, const struct sc_set *peers)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    sc_print_status(f, u, NOW, comm, false, peers);
    fclose(f);
    return buf;
}

START_TEST(test_timestamp)
{
    char buf[64];
    set_tz("UTC");
    ck_assert_str_eq(sc_fmt_timestamp(buf, sizeof(buf), T0), "Mon 2026-12-07 18:05:01 UTC");
    ck_assert_str_eq(sc_fmt_timestamp(buf, sizeof(buf), 0), "");
    set_tz("Europe/Berlin");
    ck_assert_str_eq(sc_fmt_timestamp(buf, sizeof(buf), T0), "Mon 2026-12-07 19:05:01 CET");
    set_tz("UTC");
}
END_TEST

START_TEST(test_relative)
{
    char buf[64];
    ck_assert_str_eq(sc_fmt_relative(buf, sizeof(buf), T0, NOW), "2h 3min ago");
    ck_assert_str_eq(sc_fmt_relative(buf, sizeof(buf), NOW + 5 * SEC, NOW), "5s left");
    ck_assert_str_eq(sc_fmt_relative(buf, sizeof(buf), NOW - 3 * 86400 * SEC, NOW), "3 days ago");
    ck_assert_str_eq(sc_fmt_relative(buf, sizeof(buf), 0, NOW), "");
}
END_TEST

START_TEST(test_names)
{
    char buf[64];
    ck_assert_str_eq(sc_exit_status_name(0), "SUCCESS");
    ck_assert_str_eq(sc_exit_status_name(203), "EXEC");
    ck_assert_ptr_null(sc_exit_status_name(42));
    ck_assert(sc_prop_is_timestamp("ActiveEnterTimestamp"));
    ck_assert(!sc_prop_is_timestamp("ActiveEnterTimestampMonotonic"));
    ck_assert(!sc_prop_is_timestamp("RestartUSec"));
    sc_unit_name("web", buf, sizeof(buf));
    ck_assert_str_eq(buf, "web.service");
    sc_unit_name("web.socket", buf, sizeof(buf));
    ck_assert_str_eq(buf, "web.socket");
    sc_unit_name("a.b", buf, sizeof(buf));
    ck_assert_str_eq(buf, "a.b.service");
}
END_TEST

START_TEST(test_running)
{
    char ts[48];
    snprintf(ts, sizeof(ts), "ActiveEnterTimestamp=%lld", (long long)T0);
    const char *const kv[] = {ts,
                              "Id=web.service",
                              "Description=Web server",
                              "LoadState=loaded",
                              "ActiveState=active",
                              "SubState=running",
                              "Result=success",
                              "FragmentPath=/etc/pxinit/units/web.service",
                              "UnitFileState=enabled",
                              "UnitFilePreset=enabled",
                              "DropInPaths=/etc/pxinit/units/web.service.d/a.conf "
                              "/etc/pxinit/units/web.service.d/b.conf",
                              "TriggeredBy=web.socket",
                              "MainPID=123",
                              "ExecMainPID=123",
                              "StatusText=Serving",
                              NULL};
    static const char *const peer[] = {"Id=web.socket", "ActiveState=active", NULL};
    struct sc_set s, p;
    set_tz("UTC");
    fill(&s, "web.service", kv);
    fill(&p, "web.socket", peer);
    char *out = status_of(&s.units[0], "sleep", &p);
    ck_assert_str_eq(out,
                     "● web.service - Web server\n"
                     "     Loaded: loaded (/etc/pxinit/units/web.service; enabled; preset: "
                     "enabled)\n"
                     "    Drop-In: /etc/pxinit/units/web.service.d\n"
                     "             └─a.conf, b.conf\n"
                     "     Active: active (running) since Mon 2026-12-07 18:05:01 UTC; 2h "
                     "3min ago\n"
                     "TriggeredBy: ● web.socket\n"
                     "   Main PID: 123 (sleep)\n"
                     "     Status: \"Serving\"\n");
    free(out);
    sc_set_free(&s);
    sc_set_free(&p);
}
END_TEST

START_TEST(test_failed)
{
    char ts[48];
    snprintf(ts, sizeof(ts), "InactiveEnterTimestamp=%lld", (long long)T0);
    const char *const kv[] = {"Id=bad.service",
                              "Description=bad.service",
                              "LoadState=loaded",
                              "ActiveState=failed",
                              "SubState=failed",
                              "Result=exit-code",
                              "FragmentPath=/u/bad.service",
                              "UnitFileState=static",
                              "UnitFilePreset=enabled",
                              "MainPID=0",
                              "ExecMainPID=77",
                              "ExecMainCode=1",
                              "ExecMainStatus=3",
                              ts,
                              NULL};
    struct sc_set s;
    set_tz("UTC");
    fill(&s, "bad.service", kv);
    char *out = status_of(&s.units[0], NULL, NULL);
    ck_assert_str_eq(out,
                     "× bad.service\n"
                     "     Loaded: loaded (/u/bad.service; static)\n"
                     "     Active: failed (Result: exit-code) since Mon 2026-12-07 18:05:01 "
                     "UTC; 2h 3min ago\n"
                     "   Main PID: 77 (code=exited, status=3/NOTIMPLEMENTED)\n");
    free(out);
    sc_set_free(&s);

    /* Killed by a signal; never started before: no "since". */
    static const char *const kv2[] = {
        "Id=k.service",  "LoadState=loaded", "ActiveState=inactive", "SubState=dead",
        "ExecMainPID=9", "ExecMainCode=2",   "ExecMainStatus=15",    NULL};
    fill(&s, "k.service", kv2);
    out = status_of(&s.units[0], NULL, NULL);
    ck_assert_str_eq(out,
                     "○ k.service\n"
                     "     Loaded: loaded\n"
                     "     Active: inactive (dead)\n"
                     "   Main PID: 9 (code=killed, signal=TERM)\n");
    free(out);
    sc_set_free(&s);
}
END_TEST

START_TEST(test_socket)
{
    static const char *const kv[] = {
        "Id=web.socket",        "LoadState=loaded",
        "ActiveState=active",   "SubState=listening",
        "Triggers=web.service", "Listen=Stream /run/web.sock Datagram [::]:53",
        "Accept=yes",           "NAccepted=4",
        "NConnections=1",       NULL};
    struct sc_set s;
    fill(&s, "web.socket", kv);
    char *out = status_of(&s.units[0], NULL, NULL);
    ck_assert_str_eq(out,
                     "● web.socket\n"
                     "     Loaded: loaded\n"
                     "     Active: active (listening)\n"
                     "   Triggers: ● web.service\n"
                     "     Listen: /run/web.sock (Stream)\n"
                     "             [::]:53 (Datagram)\n"
                     "   Accepted: 4; Connected: 1;\n");
    free(out);
    sc_set_free(&s);
}
END_TEST

static Suite *systemctl_fmt_suite(void)
{
    Suite *s = suite_create("systemctl_fmt");
    TCase *tc = tcase_create("systemctl_fmt");
    tcase_add_test(tc, test_timestamp);
    tcase_add_test(tc, test_relative);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_running);
    tcase_add_test(tc, test_failed);
    tcase_add_test(tc, test_socket);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(systemctl_fmt_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
