/* check_unit_parse.c - .service files through the syntax reader and the key
 * table: what inih would have mangled (long values, " ;", indented and
 * continued lines), diagnostics with the right file:line, the key table,
 * every key's values, unit_finalize(), unit_equal() and the unit name
 * helpers. The reader's own edge cases are in check_unit_reader.c. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/cmdline.h"
#include "base/timespan.h"
#include "unit/unit.h"
#include "unit/unit_load.h"
#include "unit/unit_parse.h"
#include "unit/unit_key_table.h"
#include "unit/unit_specifier.h"
#include "base/file_read.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/unit/data"
#endif

#define PATH "test.service"

/* ---- helpers ------------------------------------------------------------ */

struct capture {
    struct strv msgs; /* "W: ..." or "E: ..." */
};

static void capture_emit(void *ctx, enum diag_level level, const char *message)
{
    struct capture *c = ctx;
    char *s;

    ck_assert_int_ne(asprintf(&s, "%s: %s", level == DIAG_ERROR ? "E" : "W", message), -1);
    ck_assert_int_eq(strv_push_owned(&c->msgs, s), 0);
}

struct parsed {
    struct unit *u;
    struct capture cap;
    struct diag_sink sink;
    int ret;
};

static void parse_more(struct parsed *p, const char *text)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    ck_assert_ptr_nonnull(f);
    p->ret = unit_parse_stream(p->u, f, PATH, &p->sink);
    fclose(f);
}

static void parse_text(struct parsed *p, const char *text)
{
    memset(p, 0, sizeof(*p));
    p->sink.emit = capture_emit;
    p->sink.ctx = &p->cap;
    p->u = unit_new(PATH);
    ck_assert_ptr_nonnull(p->u);
    parse_more(p, text);
}

static void parsed_free(struct parsed *p)
{
    unit_free(p->u);
    strv_clear(&p->cap.msgs);
}

static bool has_msg(const struct parsed *p, const char *msg)
{
    return strv_contains(&p->cap.msgs, msg);
}

static void assert_msg(const struct parsed *p, const char *msg)
{
    if (has_msg(p, msg))
        return;
    for (size_t i = 0; i < p->cap.msgs.n; i++)
        fprintf(stderr, "  got: %s\n", p->cap.msgs.v[i]);
    ck_abort_msg("missing diagnostic: %s", msg);
}

static void assert_clean(const struct parsed *p)
{
    for (size_t i = 0; i < p->cap.msgs.n; i++)
        fprintf(stderr, "  unexpected: %s\n", p->cap.msgs.v[i]);
    ck_assert_uint_eq(p->cap.msgs.n, 0);
    ck_assert_int_eq(p->ret, 0);
    ck_assert(p->u->loaded);
}

/* ---- what inih would have got wrong -------------------------------------- */

START_TEST(test_long_value)
{
    char text[1024], arg[600];
    struct parsed p;

    memset(arg, 'a', sizeof(arg) - 1);
    arg[sizeof(arg) - 1] = '\0';
    snprintf(text, sizeof(text), "[Service]\nExecStart=/bin/echo %s\n", arg);
    parse_text(&p, text);
    assert_clean(&p);
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    ck_assert_uint_eq(strlen(p.u->exec_start.v[0].line), strlen("/bin/echo ") + 599);
    ck_assert_str_eq(p.u->exec_start.v[0].line + strlen("/bin/echo "), arg);
    parsed_free(&p);
}
END_TEST

START_TEST(test_long_key_name)
{
    struct parsed p;
    char text[256], key[80], msg[256];

    memset(key, 'K', sizeof(key) - 1);
    key[sizeof(key) - 1] = '\0';
    snprintf(text, sizeof(text), "[Service]\n%s=1\n", key);
    parse_text(&p, text);
    snprintf(msg, sizeof(msg), "W: " PATH ":2: unknown key '%s' in section [Service], ignoring",
             key);
    assert_msg(&p, msg); /* the whole name, not inih's 49 characters */
    parsed_free(&p);
}
END_TEST

START_TEST(test_semicolon_kept)
{
    struct parsed p;
    struct strv argv = {0};

    parse_text(&p,
               "[Unit]\nDescription=a ; b # c\n[Service]\n"
               "ExecStart=/bin/sh -c 'a ; b'\n");
    assert_clean(&p);
    ck_assert_str_eq(p.u->description, "a ; b # c");
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/sh -c 'a ; b'");
    ck_assert_int_eq(cmdline_split(p.u->exec_start.v[0].line, NULL, 0, &argv, NULL), 0);
    ck_assert_uint_eq(argv.n, 3);
    ck_assert_str_eq(argv.v[2], "a ; b");
    strv_clear(&argv);
    parsed_free(&p);
}
END_TEST

START_TEST(test_continuation)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\n"                     /* 1 */
               "ExecStart=/bin/echo \\\n"        /* 2 */
               "    one \\\n"                    /* 3 */
               "# a comment inside is skipped\n" /* 4 */
               "    two\n"                       /* 5 */
               "Restart=sometimes\n");           /* 6 */
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/echo      one      two");
    ck_assert_uint_eq(p.u->exec_start.v[0].lineno, 2);
    assert_msg(&p, "E: " PATH ":6: invalid value for Restart=: 'sometimes'");
    ck_assert_uint_eq(p.cap.msgs.n, 1);
    ck_assert_int_eq(p.ret, -1);
    ck_assert(!p.u->loaded);
    parsed_free(&p);
}
END_TEST

START_TEST(test_continuation_error_line)
{
    struct parsed p;

    /* an error inside a continued value names the line where it starts */
    parse_text(&p,
               "[Service]\nExecStart=/bin/true\n"
               "Environment=A=1 \\\n  B=2 \\\n  'C=3\n");
    assert_msg(&p, "E: " PATH
                   ":3: invalid value for Environment=: 'A=1    B=2    'C=3' "
                   "(unbalanced quotes)");
    parsed_free(&p);
}
END_TEST

START_TEST(test_escaped_backslash_does_not_continue)
{
    struct parsed p;

    parse_text(&p, "[Service]\nExecStart=/bin/echo a\\\\\nRestart=always\n");
    assert_clean(&p);
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/echo a\\\\");
    ck_assert_int_eq(p.u->restart, RESTART_ALWAYS);
    parsed_free(&p);
}
END_TEST

START_TEST(test_backslash_at_eof)
{
    struct parsed p;

    parse_text(&p, "[Service]\nExecStart=/bin/echo a \\");
    assert_clean(&p);
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/echo a");
    parsed_free(&p);
}
END_TEST

START_TEST(test_indented_lines)
{
    struct parsed p;

    /* inih would glue indented lines to the previous value; systemd does not */
    parse_text(&p,
               "  [Unit]\n    Description=hello\n\tAfter=a.service\n"
               "[Service]\n   ExecStart=/bin/true\n     Restart = always   \n");
    assert_clean(&p);
    ck_assert_str_eq(p.u->description, "hello");
    ck_assert_uint_eq(unit_deps(p.u)->after.n, 1);
    ck_assert_str_eq(unit_deps(p.u)->after.v[0], "a.service");
    ck_assert_int_eq(p.u->restart, RESTART_ALWAYS);
    parsed_free(&p);
}
END_TEST

START_TEST(test_crlf_bom_comments)
{
    struct parsed p;

    parse_text(&p,
               "\xef\xbb\xbf[Unit]\r\n# comment\r\n; another\r\n\r\n"
               "Description=crlf\r\n[Service]\r\nExecStart=/bin/true \\\r\n  x\r\n"
               "   # indented comment\r\nRestart=bogus\r\n");
    ck_assert_str_eq(p.u->description, "crlf");
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/true    x");
    assert_msg(&p, "E: " PATH ":10: invalid value for Restart=: 'bogus'");
    parsed_free(&p);

    /* a lone CR ends a line too */
    parse_text(&p, "[Service]\rExecStart=/bin/true\rRestart=nope\r");
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    assert_msg(&p, "E: " PATH ":3: invalid value for Restart=: 'nope'");
    parsed_free(&p);
}
END_TEST

START_TEST(test_fixture_crlf_file)
{
    struct unit *u = unit_new("crlf.service");
    struct capture cap = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};

    ck_assert_int_eq(unit_parse_file(u, TEST_DATA_DIR "/crlf.service", &sink), 0);
    ck_assert_uint_eq(cap.msgs.n, 0);
    ck_assert_str_eq(u->exec_start.v[0].line, "/bin/true");
    ck_assert_int_eq(u->restart, RESTART_ALWAYS);
    char pb[4096];
    ck_assert_str_eq(unit_path(u, pb, sizeof(pb)), TEST_DATA_DIR "/crlf.service");
    unit_free(u);
    strv_clear(&cap.msgs);
}
END_TEST

/* ---- diagnostics -------------------------------------------------------- */

START_TEST(test_unknown_key_and_section)
{
    struct parsed p;

    parse_text(&p,
               "[Unit]\n"                     /* 1 */
               "Description=x\n"              /* 2 */
               "[Service]\n"                  /* 3 */
               "ExecStart=/bin/true\n"        /* 4 */
               "Foo=bar\n"                    /* 5 */
               "X-Custom=ignored\n"           /* 6 */
               "PrivateTmp=yes\n"             /* 7 */
               "[Timer]\n"                    /* 8 */
               "OnCalendar=daily\n"           /* 9 */
               "Persistent=yes\n"             /* 10 */
               "[X-Vendor]\n"                 /* 11 */
               "Anything=goes\n"              /* 12 */
               "[Install]\n"                  /* 13 */
               "WantedBy=multi-user.target\n" /* 14 */
               "Bogus=1\n");                  /* 15 */
    assert_msg(&p, "W: " PATH ":5: unknown key 'Foo' in section [Service], ignoring");
    assert_msg(&p, "W: " PATH ": accepted, not enforced: PrivateTmp= (line 7)");
    assert_msg(&p, "W: " PATH ":8: unknown section [Timer], ignoring");
    assert_msg(&p, "W: " PATH ":15: unknown key 'Bogus' in section [Install], ignoring");
    ck_assert_uint_eq(p.cap.msgs.n, 4);
    ck_assert_uint_eq(p.sink.warnings, 4);
    ck_assert_uint_eq(p.sink.errors, 0);
    ck_assert_int_eq(p.ret, 0); /* warnings only: the unit loads */
    ck_assert(p.u->loaded);
    parsed_free(&p);
}
END_TEST

START_TEST(test_malformed_lines)
{
    struct parsed p;

    parse_text(&p,
               "Description=outside\n" /* 1 */
               "[Service]\n"           /* 2 */
               "no equals sign here\n" /* 3 */
               "=value\n"              /* 4 */
               "ExecStart=/bin/true\n" /* 5 */
               "[Service\n"            /* 6 */
               "Restart=always\n");    /* 7: in no valid section: dropped */
    assert_msg(&p, "W: " PATH ":1: assignment outside of any section, ignoring");
    assert_msg(&p, "W: " PATH ":3: missing '=', ignoring line");
    assert_msg(&p, "W: " PATH ":4: missing key name before '=', ignoring line");
    assert_msg(&p, "E: " PATH ":6: invalid section header '[Service'");
    ck_assert_int_eq(p.u->restart, RESTART_NO);
    ck_assert_int_eq(p.ret, -1);
    parsed_free(&p);
}
END_TEST

START_TEST(test_long_section_name)
{
    struct parsed p;
    char text[256], name[70], msg[256];

    /* inih cut names at 49 characters; systemd takes any length: a long
     * unknown section is named whole and what it holds is ignored. */
    memset(name, 'S', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    snprintf(text, sizeof(text),
             "[Service]\nExecStart=/bin/true\n[%s]\nRestart=always\n[X-%s]\nA=1\n", name, name);
    parse_text(&p, text);
    snprintf(msg, sizeof(msg), "W: " PATH ":3: unknown section [%s], ignoring", name);
    assert_msg(&p, msg);
    ck_assert_uint_eq(p.cap.msgs.n, 1);
    ck_assert_int_eq(p.u->restart, RESTART_NO);
    ck_assert_int_eq(p.ret, 0);
    parsed_free(&p);
}
END_TEST

START_TEST(test_stream_size_cap)
{
    size_t n = FILE_READ_UNIT_MAX + 1;
    char *text = malloc(n);
    struct parsed p;

    /* A stream is read whole, and no more of it than of a file. */
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < n; i++)
        text[i] = i % 64 == 63 ? '\n' : '#'; /* comment lines */
    memcpy(text, "[Service]\nExecStart=/bin/true\n", 31);
    parse_text(&p, "");
    FILE *f = fmemopen(text, n, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(unit_parse_stream(p.u, f, PATH, &p.sink), -1);
    fclose(f);
    assert_msg(&p, "E: " PATH ": read error: larger than 4096 KiB");
    ck_assert(!p.u->loaded);
    ck_assert_uint_eq(p.u->exec_start.n, 0);
    parsed_free(&p);

    /* At the cap it is read, and the last line counts. */
    memcpy(text + n - 1 - 26, "\n[Service]\nKillMode=mixed\n", 26);
    parse_text(&p, "");
    f = fmemopen(text, n - 1, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(unit_parse_stream(p.u, f, PATH, &p.sink), 0);
    fclose(f);
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    ck_assert_int_eq(p.u->kill_mode, KILL_MODE_MIXED);
    parsed_free(&p);
    free(text);
}
END_TEST

START_TEST(test_all_errors_reported)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\n"
               "Restart=sometimes\n"      /* 2 */
               "RestartSec=soon\n"        /* 3 */
               "ExecStart=/bin/echo 'x\n" /* 4 */
               "KillSignal=SIGNOPE\n"     /* 5 */
               "Nice=42\n"                /* 6 */
               "ExecStart=/bin/true\n");
    assert_msg(&p, "E: " PATH ":2: invalid value for Restart=: 'sometimes'");
    assert_msg(&p, "E: " PATH ":3: invalid value for RestartSec=: 'soon' (not a time span)");
    assert_msg(&p, "E: " PATH
                   ":4: invalid value for ExecStart=: '/bin/echo 'x' "
                   "(unbalanced quotes)");
    assert_msg(&p, "E: " PATH ":5: invalid value for KillSignal=: 'SIGNOPE' (not a signal)");
    assert_msg(&p, "E: " PATH
                   ":6: invalid value for Nice=: '42' "
                   "(not a nice level between -20 and 19)");
    ck_assert_uint_eq(p.sink.errors, 5);
    ck_assert_int_eq(p.ret, -1);
    ck_assert(!p.u->loaded);
    /* the good line after the errors still counted */
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    parsed_free(&p);
}
END_TEST

START_TEST(test_missing_file)
{
    struct unit *u = unit_new("x.service");
    struct capture cap = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};

    ck_assert_int_eq(unit_parse_file(u, "/nonexistent/x.service", &sink), -1);
    ck_assert(!u->loaded);
    ck_assert(strv_contains(&cap.msgs,
                            "E: /nonexistent/x.service: cannot open: No such file or directory"));
    unit_free(u);
    strv_clear(&cap.msgs);
}
END_TEST

START_TEST(test_null_sink)
{
    struct unit *u = unit_new("x.service");
    const char *text = "[Service]\nRestart=nope\n";
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    /* without a sink, diagnostics go to the log and the result still counts */
    ck_assert_int_eq(unit_parse_stream(u, f, "x.service", NULL), -1);
    ck_assert(!u->loaded);
    fclose(f);
    unit_free(u);
}
END_TEST

/* ---- values ------------------------------------------------------------- */

START_TEST(test_defaults)
{
    struct unit *u = unit_new("d.service");

    ck_assert_str_eq(u->name, "d.service");
    ck_assert(u->loaded);
    ck_assert_int_eq(u->type, UNIT_TYPE_SIMPLE);
    ck_assert(!u->type_set);
    ck_assert_int_eq(u->restart, RESTART_NO);
    ck_assert_uint_eq(u->restart_usec, 100 * USEC_PER_MSEC);
    ck_assert_uint_eq(u->restart_max_delay_usec, USEC_INFINITY);
    ck_assert_uint_eq(u->start_limit_interval_usec, 10 * USEC_PER_SEC);
    ck_assert_uint_eq(u->start_limit_burst, 5);
    ck_assert_uint_eq(u->timeout_start_usec, 90 * USEC_PER_SEC);
    ck_assert_uint_eq(u->timeout_stop_usec, 90 * USEC_PER_SEC);
    ck_assert_int_eq(u->kill_mode, KILL_MODE_CONTROL_GROUP);
    ck_assert_int_eq(u->kill_signal, SIGTERM);
    ck_assert(u->send_sigkill);
    ck_assert_uint_eq(unit_exec(u)->umask, 0022);
    ck_assert_int_eq(u->std_output, OUTPUT_JOURNAL);
    ck_assert_int_eq(u->std_error, OUTPUT_DEFAULT);
    ck_assert_int_eq(u->notify_access, NOTIFY_ACCESS_NONE);
    ck_assert_int_eq(u->success_action, UNIT_ACTION_NONE);
    unit_free(u);
    unit_free(NULL);
}
END_TEST

START_TEST(test_fixture_full)
{
    struct unit *u = unit_new("full.service");
    struct capture cap = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};

    ck_assert_int_eq(unit_parse_file(u, TEST_DATA_DIR "/full.service", &sink), 0);
    ck_assert_int_eq(unit_finalize(u, &sink), 0);
    for (size_t i = 0; i < cap.msgs.n; i++)
        fprintf(stderr, "  unexpected: %s\n", cap.msgs.v[i]);
    ck_assert_uint_eq(cap.msgs.n, 0);
    ck_assert_str_eq(u->description, "Full example ; with a semicolon # and a hash");
    ck_assert_uint_eq(unit_deps(u)->after.n, 2);
    ck_assert_str_eq(unit_deps(u)->after.v[0], "network.target");
    ck_assert_str_eq(unit_deps(u)->after.v[1], "db.service");
    ck_assert_str_eq(unit_deps(u)->wants.v[0], "db.service");
    ck_assert_str_eq(unit_deps(u)->requires.v[0], "cache.service");
    ck_assert_uint_eq(u->start_limit_interval_usec, 30 * USEC_PER_SEC);
    ck_assert_uint_eq(u->start_limit_burst, 3);
    ck_assert_uint_eq(unit_cmds(u)->conditions.n, 1);
    ck_assert(unit_cmds(u)->conditions.v[0].negate);
    ck_assert_str_eq(unit_cmds(u)->conditions.v[0].path, "/run/nope");
    ck_assert_int_eq(u->type, UNIT_TYPE_NOTIFY);
    ck_assert_int_eq(unit_cmds(u)->exec_start_pre.v[0].flags, EXEC_FLAG_IGNORE_FAILURE);
    ck_assert_str_eq(unit_cmds(u)->exec_start_pre.v[0].line, "/bin/mkdir -p /tmp/full");
    ck_assert_str_eq(u->exec_start.v[0].line,
                     "/usr/bin/env FOO=bar      /bin/sh -c 'echo started ; sleep 1000'");
    ck_assert_uint_eq(u->exec_start.v[0].lineno, 14);
    ck_assert_str_eq(unit_cmds(u)->exec_reload.v[0].line, "/bin/kill -HUP $MAINPID");
    ck_assert_uint_eq(unit_cmds(u)->exec_stop.n, 2);
    ck_assert_str_eq(unit_cmds(u)->exec_stop.v[0].line, "/bin/true");
    ck_assert_str_eq(unit_cmds(u)->exec_stop.v[1].line, "/bin/echo stopping");
    ck_assert_int_eq(u->restart, RESTART_ON_FAILURE);
    ck_assert_uint_eq(u->restart_usec, 2 * USEC_PER_SEC);
    ck_assert_uint_eq(u->restart_steps, 4);
    ck_assert_uint_eq(u->restart_max_delay_usec, 60 * USEC_PER_SEC);
    ck_assert(exit_status_set_has_code(&unit_status(u)->success_exit_status, 3));
    ck_assert(exit_status_set_has_signal(&unit_status(u)->success_exit_status, SIGUSR1));
    ck_assert(!exit_status_set_has_code(&unit_status(u)->success_exit_status, 0));
    ck_assert_uint_eq(u->timeout_start_usec, 90 * USEC_PER_SEC);
    ck_assert_uint_eq(u->timeout_stop_usec, 15 * USEC_PER_SEC);
    ck_assert_int_eq(u->kill_mode, KILL_MODE_MIXED);
    ck_assert_int_eq(u->kill_signal, SIGINT);
    ck_assert(!u->send_sigkill);
    ck_assert_str_eq(unit_exec(u)->user, "nobody");
    ck_assert_str_eq(unit_exec(u)->group, "nogroup");
    ck_assert_uint_eq(unit_exec(u)->supplementary_groups.n, 2);
    ck_assert_str_eq(unit_exec(u)->working_directory, "/srv/full");
    ck_assert(unit_exec(u)->working_directory_optional);
    ck_assert_uint_eq(unit_exec(u)->environment.n, 2);
    ck_assert_str_eq(unit_exec(u)->environment.v[0], "GREETING=hello world");
    ck_assert_str_eq(unit_exec(u)->environment.v[1], "LANG=C");
    ck_assert_str_eq(unit_exec(u)->environment_files.v[0], "-/etc/default/full");
    ck_assert_uint_eq(unit_exec(u)->umask, 0077);
    ck_assert(unit_exec(u)->nice_set);
    ck_assert_int_eq(unit_exec(u)->nice, 5);
    ck_assert(unit_limits(u)->set[RLIMIT_NOFILE]);
    ck_assert_uint_eq(unit_limits(u)->v[RLIMIT_NOFILE].rlim_cur, 1024);
    ck_assert_uint_eq(unit_limits(u)->v[RLIMIT_NOFILE].rlim_max, 4096);
    ck_assert_uint_eq(unit_limits(u)->v[RLIMIT_CORE].rlim_cur, RLIM_INFINITY);
    ck_assert(!unit_limits(u)->set[RLIMIT_AS]);
    ck_assert_int_eq(u->std_output, OUTPUT_APPEND);
    ck_assert_str_eq(unit_output(u)->std_output_path, "/var/log/full.log");
    ck_assert_int_eq(u->std_error, OUTPUT_APPEND); /* followed StandardOutput= */
    ck_assert_str_eq(unit_output(u)->std_error_path, "/var/log/full.log");
    ck_assert_str_eq(unit_output(u)->syslog_identifier, "fullapp");
    ck_assert_uint_eq(u->watchdog_usec, 20 * USEC_PER_SEC);
    ck_assert_int_eq(u->notify_access, NOTIFY_ACCESS_MAIN);
    ck_assert_int_eq(u->failure_action, UNIT_ACTION_EXIT);
    ck_assert_int_eq(u->success_action, UNIT_ACTION_NONE);
    unit_free(u);
    strv_clear(&cap.msgs);
}
END_TEST

/* One assignment per row: is it accepted (in [Unit] or [Service])? */
struct value_case {
    const char *line;
    bool ok;
};

/* clang-format off */
static const struct value_case value_cases[] = {
    {"Type=simple", true}, {"Type=exec", true}, {"Type=forking", true},
    {"Type=oneshot", true}, {"Type=notify", true}, {"Type=idle", true},
    {"Type=Simple", false}, {"Type=daemon", false},
    {"Restart=no", true}, {"Restart=always", true}, {"Restart=on-success", true},
    {"Restart=on-failure", true}, {"Restart=on-abnormal", true}, {"Restart=on-abort", true},
    {"Restart=on-watchdog", true}, {"Restart=yes", false},
    {"RemainAfterExit=yes", true}, {"RemainAfterExit=TRUE", true}, {"RemainAfterExit=t", true},
    {"RemainAfterExit=On", true}, {"RemainAfterExit=0", true}, {"RemainAfterExit=n", true},
    {"RemainAfterExit=F", true}, {"RemainAfterExit=off", true}, {"RemainAfterExit=2", false},
    {"RemainAfterExit=maybe", false},
    {"RestartSec=5", true}, {"RestartSec=1min 30s", true}, {"RestartSec=infinity", true},
    {"RestartSec=-1", false}, {"RestartSec=5 parsecs", false},
    {"RestartSteps=10", true}, {"RestartSteps=-1", false}, {"RestartSteps=x", false},
    {"StartLimitBurst=0", true}, {"StartLimitBurst=4294967296", false},
    {"StartLimitIntervalSec=0", true}, {"StartLimitInterval=5min", true},
    {"TimeoutSec=infinity", true}, {"TimeoutStopSec=5s", true}, {"TimeoutStartSec=x", false},
    {"KillMode=control-group", true}, {"KillMode=mixed", true}, {"KillMode=process", true},
    {"KillMode=none", true}, {"KillMode=group", false},
    {"KillSignal=SIGKILL", true}, {"KillSignal=HUP", true}, {"KillSignal=9", true},
    {"KillSignal=RTMIN+1", true}, {"KillSignal=0", false}, {"KillSignal=SIGFOO", false},
    {"SendSIGKILL=no", true},
    {"User=root", true}, {"User=1000", true}, {"User=a b", false}, {"User=a:b", false},
    {"Group=-x", false}, {"SupplementaryGroups=a b c", true}, {"SupplementaryGroups=a/b", false},
    {"WorkingDirectory=/srv", true}, {"WorkingDirectory=~", true},
    {"WorkingDirectory=-~", true}, {"WorkingDirectory=srv", false},
    {"Environment=A=1", true}, {"Environment=A=1 B=\"2 3\" _C9=", true},
    {"Environment=\"A=with space\"", true}, {"Environment=NOEQUALS", false},
    {"Environment=1A=x", false}, {"Environment=A-B=x", false}, {"Environment==x", false},
    {"Environment=A=\"x", false},
    {"EnvironmentFile=/etc/x", true}, {"EnvironmentFile=-/etc/x", true},
    {"EnvironmentFile=etc/x", false},
    {"UMask=0022", true}, {"UMask=077", true}, {"UMask=0", true}, {"UMask=0999", false},
    {"UMask=abc", false}, {"UMask=-1", false},
    {"Nice=-20", true}, {"Nice=19", true}, {"Nice=+5", true}, {"Nice=0", true},
    {"Nice=-21", false}, {"Nice=20", false}, {"Nice=x", false},
    {"LimitNOFILE=1024", true}, {"LimitNOFILE=1024:4096", true}, {"LimitNOFILE=infinity", true},
    {"LimitNOFILE=1024:infinity", true}, {"LimitNOFILE=4096:1024", false},
    {"LimitNOFILE=1K", false}, {"LimitNOFILE=x", false}, {"LimitNOFILE=1:", false},
    {"LimitAS=4G", true}, {"LimitAS=4G:16G", true}, {"LimitAS=1.5M", true},
    {"LimitAS=4Q", false}, {"LimitCORE=0", true}, {"LimitCPU=30min", true},
    {"LimitCPU=10", true}, {"LimitRTTIME=100ms", true}, {"LimitNICE=-5", true},
    {"LimitNICE=40", true}, {"LimitNICE=41", false}, {"LimitNICE=+20", false},
    {"LimitNPROC=512", true}, {"LimitMEMLOCK=64K", true}, {"LimitSTACK=8M", true},
    {"StandardOutput=journal", true}, {"StandardOutput=syslog", true},
    {"StandardOutput=kmsg", true}, {"StandardOutput=journal+console", true},
    {"StandardOutput=inherit", true}, {"StandardOutput=null", true},
    {"StandardOutput=file:/tmp/x", true}, {"StandardOutput=append:/tmp/x", true},
    {"StandardOutput=truncate:/tmp/x", true}, {"StandardOutput=file:tmp/x", false},
    {"StandardOutput=file:", false}, {"StandardOutput=speaker", false},
    {"StandardError=null", true},
    {"NotifyAccess=none", true}, {"NotifyAccess=main", true}, {"NotifyAccess=exec", true},
    {"NotifyAccess=all", true}, {"NotifyAccess=some", false},
    {"SuccessAction=none", true}, {"SuccessAction=exit", true}, {"FailureAction=exit-force", true},
    {"FailureAction=explode", false},
    {"SuccessExitStatus=0 1 255 SIGKILL TERM", true}, {"SuccessExitStatus=256", false},
    {"SuccessExitStatus=SIGNOPE", false}, {"SuccessExitStatus=-1", false},
    {"SuccessExitStatus=DATAERR CANTCREAT", true}, {"RestartPreventExitStatus=USAGE CONFIG", true},
    {"RestartForceExitStatus=CHDIR EXCEPTION NOTRUNNING", true},
    {"SuccessExitStatus=dataerr", false}, {"RestartForceExitStatus=NOSUCHNAME", false},
    {"IgnoreSIGPIPE=no", true}, {"IgnoreSIGPIPE=yes", true}, {"IgnoreSIGPIPE=maybe", false},
    {"EnvironmentFile=/etc/../x", false}, {"EnvironmentFile=-/etc/a/..", false},
    {"EnvironmentFile=/etc//x", true}, {"EnvironmentFile=/etc/./x", true},
    {"EnvironmentFile=/etc/..x", true}, {"WorkingDirectory=/srv/../etc", false},
    {"WorkingDirectory=-/srv/..", false}, {"PIDFile=../x.pid", false},
    {"PIDFile=/run/a/../x.pid", false}, {"StandardOutput=truncate:/a/../b", false},
    {"StandardError=append:/var/log/..", false}, {"ConditionPathExists=!/a/../b", false},
    {"ConditionPathExists=|/a/..", false}, {"ExecStartPre=/usr/../bin/true", false},
    {"ExecStartPre=/bin/true ../x", true},
    {"ConditionPathExists=/etc", true}, {"ConditionPathExists=!/etc", true},
    {"ConditionPathExists=|/etc", true}, {"ConditionPathExists=|!/etc", true},
    {"ConditionPathExists=etc", false}, {"ConditionPathExists=!etc", false},
    {"PIDFile=/run/x.pid", true}, {"PIDFile=x.pid", true},
    {"WatchdogSec=30", true}, {"WatchdogSec=never", false},
    {"ExecStartPre=/bin/true", true}, {"ExecStartPre=true", true},
    {"ExecStartPre=-@/bin/sh sh -c x", true}, {"ExecStartPre=--/bin/true", false},
    {"ExecStartPre=+!/bin/true", false}, {"ExecStartPre=bin/true", false},
    {"ExecStartPre=./true", false}, {"ExecStartPre=$CMD", false},
    {"ExecStartPre=-", false}, {"ExecStartPre=''", false}, {"ExecStartPre=@/bin/sh", false},
    {"ExecStartPre=/bin/a ; /bin/b", true}, {"ExecStartPre=/bin/a ; b/c", false},
    {"ExecStartPre=/bin/a \\", true},
    {"Description=anything at all ; really", true},
};
/* clang-format on */

/* The key table: one row per key, in the array of its own section, found by
 * that section's name, and every row reachable through a unit file. */
START_TEST(test_key_table)
{
    const struct unit_section *sec;
    size_t nsections = 0;

    for (size_t i = 0; (sec = unit_section_at(i)); i++, nsections++) {
        ck_assert_ptr_eq(unit_section_find(sec->name), sec);
        ck_assert_ptr_nonnull(sec->unsupported);
        ck_assert_ptr_nonnull(sec->unsupported_prefixes);
        ck_assert_uint_gt(sec->nkeys, 0);
        for (size_t k = 0; k < sec->nkeys; k++) {
            const struct unit_key *row = &sec->keys[k];
            ck_assert_str_eq(row->section, sec->name);
            for (size_t j = k + 1; j < sec->nkeys; j++)
                ck_assert_msg(strcmp(row->name, sec->keys[j].name) != 0, "[%s] %s= twice",
                              sec->name, row->name);
            for (const char *const *n = sec->unsupported; *n; n++)
                ck_assert_msg(strcmp(row->name, *n) != 0, "[%s] %s= also unsupported", sec->name,
                              row->name);
        }
    }
    ck_assert_uint_ge(nsections, 3);
    ck_assert_ptr_nonnull(unit_section_find("Unit"));
    ck_assert_ptr_nonnull(unit_section_find("Service"));
    ck_assert_ptr_nonnull(unit_section_find("Install"));
    ck_assert_ptr_nonnull(unit_section_find("Timer"));
    ck_assert_ptr_nonnull(unit_section_find("Socket"));
    ck_assert_ptr_null(unit_section_find("Path"));
    ck_assert_ptr_null(unit_section_find("unit"));
}
END_TEST

START_TEST(test_value_table)
{
    const struct value_case *c = &value_cases[_i];
    char text[512];
    struct parsed p;
    bool unit_key = strncmp(c->line, "Condition", 9) == 0 || strncmp(c->line, "Desc", 4) == 0;

    snprintf(text, sizeof(text), "[%s]\n%s\n", unit_key ? "Unit" : "Service", c->line);
    parse_text(&p, text);
    ck_assert_msg(p.sink.errors == (c->ok ? 0u : 1u), "'%s': want %s, got %u errors%s%s", c->line,
                  c->ok ? "ok" : "an error", p.sink.errors, p.cap.msgs.n ? ": " : "",
                  p.cap.msgs.n ? p.cap.msgs.v[0] : "");
    ck_assert_int_eq(p.ret, c->ok ? 0 : -1);
    parsed_free(&p);
}
END_TEST

START_TEST(test_list_append_and_reset)
{
    struct parsed p;

    parse_text(&p,
               "[Unit]\nAfter=a b.service\nAfter=c.target a\n"
               "Wants=x\nWants=\nWants=y\n"
               "[Service]\nExecStart=/bin/true\n"
               "Environment=A=1 B=2\nEnvironment=C=3\nEnvironment=A=4\n"
               "SupplementaryGroups=g1\nSupplementaryGroups=g2\n"
               "EnvironmentFile=/e1\nEnvironmentFile=\nEnvironmentFile=-/e2\n"
               "SuccessExitStatus=1\nSuccessExitStatus=2 HUP\n"
               "ConditionPathExists=/nope\n");
    ck_assert_uint_eq(unit_deps(p.u)->after.n, 3);
    ck_assert_str_eq(unit_deps(p.u)->after.v[0], "a.service");
    ck_assert_str_eq(unit_deps(p.u)->after.v[1], "b.service");
    ck_assert_str_eq(unit_deps(p.u)->after.v[2], "c.target");
    ck_assert_uint_eq(unit_deps(p.u)->wants.n, 1);
    ck_assert_str_eq(unit_deps(p.u)->wants.v[0], "y.service");
    ck_assert_uint_eq(unit_exec(p.u)->environment.n, 3);
    ck_assert_str_eq(unit_exec(p.u)->environment.v[0], "A=4");
    ck_assert_str_eq(unit_exec(p.u)->environment.v[2], "C=3");
    ck_assert_uint_eq(unit_exec(p.u)->supplementary_groups.n, 2);
    ck_assert_uint_eq(unit_exec(p.u)->environment_files.n, 1);
    ck_assert_str_eq(unit_exec(p.u)->environment_files.v[0], "-/e2");
    ck_assert_uint_eq(unit_status(p.u)->success_exit_status.ncodes, 2);
    ck_assert_uint_eq(unit_status(p.u)->success_exit_status.nsignals, 1);
    /* ConditionPathExists= belongs in [Unit]: in [Service] it is unknown */
    assert_msg(&p, "W: " PATH
                   ":19: unknown key 'ConditionPathExists' in section [Service], "
                   "ignoring");
    parsed_free(&p);

    /* an empty assignment resets, then appends again */
    parse_text(&p,
               "[Service]\nEnvironment=A=1\nEnvironment=B=2\nEnvironment=\n"
               "Environment=C=3\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_exec(p.u)->environment.n, 1);
    ck_assert_str_eq(unit_exec(p.u)->environment.v[0], "C=3");
    parsed_free(&p);
}
END_TEST

START_TEST(test_exec_lines)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\n"
               "ExecStartPre=-/bin/a\n"                                /* 2 */
               "ExecStartPre=@/bin/b argv0 x \\; y ; :/bin/c $X ; ;\n" /* 3 */
               "ExecStartPost=/bin/d\nExecStartPost=\n"
               "ExecStart=/bin/sh -c \"exec sleep 1\"\n" /* 6 */
               "ExecStop=!!/bin/e\nExecStopPost=+/bin/f\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_cmds(p.u)->exec_start_pre.n, 3);
    ck_assert_int_eq(unit_cmds(p.u)->exec_start_pre.v[0].flags, EXEC_FLAG_IGNORE_FAILURE);
    ck_assert_str_eq(unit_cmds(p.u)->exec_start_pre.v[0].line, "/bin/a");
    ck_assert_int_eq(unit_cmds(p.u)->exec_start_pre.v[1].flags, EXEC_FLAG_ARGV0);
    ck_assert_str_eq(unit_cmds(p.u)->exec_start_pre.v[1].line, "/bin/b argv0 x \\; y");
    ck_assert_uint_eq(unit_cmds(p.u)->exec_start_pre.v[1].lineno, 3);
    ck_assert_int_eq(unit_cmds(p.u)->exec_start_pre.v[2].flags, EXEC_FLAG_NO_ENV_EXPAND);
    ck_assert_str_eq(unit_cmds(p.u)->exec_start_pre.v[2].line, "/bin/c $X");
    ck_assert_uint_eq(unit_cmds(p.u)->exec_start_post.n, 0);
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    ck_assert_uint_eq(p.u->exec_start.v[0].lineno, 6);
    ck_assert_int_eq(unit_cmds(p.u)->exec_stop.v[0].flags, EXEC_FLAG_AMBIENT);
    ck_assert_int_eq(unit_cmds(p.u)->exec_stop_post.v[0].flags, EXEC_FLAG_FULL_PRIVILEGES);
    parsed_free(&p);
}
END_TEST

START_TEST(test_scalars_and_resets)
{
    struct parsed p;

    parse_text(&p,
               "[Unit]\nDescription=first\nDescription=second\n"
               "[Service]\nExecStart=/bin/true\n"
               "Type=forking\nType=\n"
               "RestartSec=5\nRestartSec=\n"
               "TimeoutSec=0\n"
               "KillSignal=KILL\nKillSignal=\n"
               "UMask=0077\nUMask=\n"
               "Nice=3\nNice=\n"
               "LimitNOFILE=10\nLimitNOFILE=\n"
               "StandardOutput=null\nStandardOutput=\n"
               "User=a\nUser=\n"
               "PIDFile=x.pid\n");
    assert_clean(&p);
    ck_assert_str_eq(p.u->description, "second");
    ck_assert(!p.u->type_set);
    ck_assert_uint_eq(p.u->restart_usec, 100 * USEC_PER_MSEC);
    ck_assert_uint_eq(p.u->timeout_start_usec, USEC_INFINITY);
    ck_assert_uint_eq(p.u->timeout_stop_usec, USEC_INFINITY);
    ck_assert(p.u->timeout_start_set);
    ck_assert_int_eq(p.u->kill_signal, SIGTERM);
    ck_assert_uint_eq(unit_exec(p.u)->umask, 0022);
    ck_assert(!unit_exec(p.u)->nice_set);
    ck_assert(!unit_limits(p.u)->set[RLIMIT_NOFILE]);
    ck_assert_int_eq(p.u->std_output, OUTPUT_JOURNAL);
    ck_assert_ptr_null(unit_exec(p.u)->user);
    ck_assert_str_eq(p.u->pid_file, "/run/x.pid");
    parsed_free(&p);
}
END_TEST

START_TEST(test_limits)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\nLimitAS=4G:16G\nLimitCPU=1min\nLimitCPU=1500ms\n"
               "LimitRTTIME=2ms\nLimitNICE=-5\nLimitMSGQUEUE=1.5K\nLimitFSIZE=512\n");
    assert_clean(&p);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_AS].rlim_cur, 4ULL << 30);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_AS].rlim_max, 16ULL << 30);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_CPU].rlim_cur, 2); /* rounded up to seconds */
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_RTTIME].rlim_cur, 2000);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_NICE].rlim_cur, 25);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_MSGQUEUE].rlim_cur, 1536);
    ck_assert_uint_eq(unit_limits(p.u)->v[RLIMIT_FSIZE].rlim_max, 512);
    parsed_free(&p);
}
END_TEST

/* A key repeated (CapabilityBoundingSet= on five lines) is listed once. */
START_TEST(test_not_enforced_listed_once)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\nExecStart=/bin/true\nCapabilityBoundingSet=CAP_A\n"
               "CapabilityBoundingSet=CAP_B\nPrivateTmp=yes\nDocumentation=man:x(1)\n");
    assert_msg(&p, "W: " PATH
                   ": accepted, not enforced: CapabilityBoundingSet= (line 3), "
                   "PrivateTmp= (line 5)");
    ck_assert_uint_eq(p.sink.warnings, 1);
    ck_assert_int_eq(p.ret, 0);
    parsed_free(&p);
}
END_TEST

START_TEST(test_sched_keys)
{
    struct parsed p;

    parse_text(&p,
               "[Unit]\nConditionVirtualization=|!container\nConditionACPower=true\n"
               "ConditionCapability=CAP_SYS_ADMIN\nAssertPathIsMountPoint=/proc\n"
               "[Service]\nExecStart=/bin/true\nCPUSchedulingPolicy=fifo\n"
               "CPUSchedulingPriority=20\nCPUSchedulingResetOnFork=yes\n"
               "IOSchedulingClass=idle\nIOSchedulingPriority=6\n");
    ck_assert_int_eq(p.ret, 0);
    const struct unit_exec *x = unit_exec(p.u);
    ck_assert(x->cpu_sched_set);
    ck_assert_int_eq(x->cpu_sched_policy, SCHED_FIFO);
    ck_assert_int_eq(x->cpu_sched_priority, 20);
    ck_assert(x->cpu_sched_reset_on_fork);
    ck_assert(x->ioprio_set);
    ck_assert_int_eq(x->ioprio_class, IO_CLASS_IDLE);
    ck_assert_int_eq(x->ioprio_level, 6);
    const struct condition_list *l = &unit_cmds(p.u)->conditions;
    ck_assert_int_eq(l->n, 4);
    ck_assert_int_eq(l->v[0].kind, COND_VIRTUALIZATION);
    ck_assert(l->v[0].trigger && l->v[0].negate);
    ck_assert_str_eq(l->v[0].path, "container");
    ck_assert_int_eq(l->v[1].kind, COND_AC_POWER);
    ck_assert_int_eq(l->v[2].kind, COND_CAPABILITY);
    ck_assert(l->v[3].is_assert);
    ck_assert_int_eq(l->v[3].kind, COND_PATH_IS_MOUNT_POINT);
    parsed_free(&p);

    /* "none" is best-effort at level 4; a bad word is an error. */
    parse_text(&p,
               "[Service]\nExecStart=/bin/true\nIOSchedulingPriority=1\n"
               "IOSchedulingClass=none\nCPUSchedulingPolicy=deadline\n"
               "CPUSchedulingPriority=100\n");
    ck_assert_int_eq(unit_exec(p.u)->ioprio_class, IO_CLASS_BEST_EFFORT);
    ck_assert_int_eq(unit_exec(p.u)->ioprio_level, 4);
    assert_msg(&p, "E: " PATH
                   ":5: invalid value for CPUSchedulingPolicy=: 'deadline' (want "
                   "other, batch, idle, fifo or rr)");
    assert_msg(&p, "E: " PATH
                   ":6: invalid value for CPUSchedulingPriority=: '100' (not a "
                   "priority from 0 to 99)");
    parsed_free(&p);
}
END_TEST

START_TEST(test_unsupported_values_warn)
{
    struct parsed p;

    parse_text(&p,
               "[Unit]\nSuccessAction=reboot\nDocumentation=man:x(1)\n"
               "ConditionKernelCommandLine=quiet\n"
               "[Service]\nType=notify-reload\nExecStart=/bin/true\n"
               "StandardOutput=tty\nStandardError=fd:foo\n");
    assert_msg(&p, "W: " PATH ":2: SuccessAction=reboot is not supported, treating it as exit");
    /* Documentation= is for humans: accepted without a word. */
    assert_msg(&p, "W: " PATH ": accepted, not enforced: ConditionKernelCommandLine= (line 4)");
    assert_msg(&p, "W: " PATH ":6: Type=notify-reload is not supported, treating it as notify");
    assert_msg(&p, "W: " PATH ":8: StandardOutput=tty is not supported, using journal");
    assert_msg(&p, "W: " PATH ":9: StandardError=fd:foo is not supported, using journal");
    ck_assert_int_eq(p.ret, 0);
    ck_assert_int_eq(p.u->success_action, UNIT_ACTION_EXIT);
    ck_assert_int_eq(p.u->type, UNIT_TYPE_NOTIFY);
    ck_assert_int_eq(p.u->std_output, OUTPUT_JOURNAL);
    parsed_free(&p);
}
END_TEST

START_TEST(test_drop_in_order)
{
    struct parsed p;

    /* a second file applies on top of the first, as systemd's drop-ins */
    parse_text(&p, "[Service]\nExecStart=/bin/old\nEnvironment=A=1\n");
    assert_clean(&p);
    parse_more(&p, "[Service]\nExecStart=\nExecStart=/bin/new\nEnvironment=B=2\n");
    ck_assert_int_eq(p.ret, 0);
    ck_assert_uint_eq(p.u->exec_start.n, 1);
    ck_assert_str_eq(p.u->exec_start.v[0].line, "/bin/new");
    ck_assert_uint_eq(unit_exec(p.u)->environment.n, 2);
    /* an error in a later file still fails the unit */
    parse_more(&p, "[Service]\nRestart=x\n");
    ck_assert_int_eq(p.ret, -1);
    ck_assert(!p.u->loaded);
    parse_more(&p, "[Service]\nRestart=no\n");
    ck_assert_int_eq(p.ret, 0);
    ck_assert(!p.u->loaded); /* stays failed */
    parsed_free(&p);
}
END_TEST

START_TEST(test_specifier_traversal)
{
    struct unit *u = unit_new("app@..-..-etc.service");
    struct capture cap = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};
    const char *text =
        "[Service]\nExecStart=/bin/true\nEnvironmentFile=/srv/%I/env\n"
        "StandardOutput=truncate:/var/log/%I\nPIDFile=/run//%i/./x.pid\n";
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    ck_assert_int_eq(unit_parse_stream(u, f, "app@.service", &sink), -1);
    fclose(f);
    ck_assert(strv_contains(&cap.msgs,
                            "E: app@.service:3: invalid value for EnvironmentFile=: "
                            "'/srv/%I/env' (expands to '/srv/../../etc/env') (path "
                            "is not normalized: \"..\" is not allowed)"));
    ck_assert_uint_eq(cap.msgs.n, 2);
    ck_assert_str_eq(u->pid_file, "/run/..-..-etc/x.pid"); /* %i keeps the dashes */
    unit_free(u);
    strv_clear(&cap.msgs);
}
END_TEST

START_TEST(test_exit_status_names_and_sigpipe)
{
    struct parsed p;

    parse_text(&p,
               "[Service]\nExecStart=/bin/true\nSuccessExitStatus=DATAERR 3 TERM\n"
               "RestartPreventExitStatus=CANTCREAT\n");
    ck_assert_int_eq(p.ret, 0);
    ck_assert(exit_status_set_has_code(&unit_status(p.u)->success_exit_status, 65));
    ck_assert(exit_status_set_has_code(&unit_status(p.u)->success_exit_status, 3));
    ck_assert(exit_status_set_has_signal(&unit_status(p.u)->success_exit_status, SIGTERM));
    ck_assert(exit_status_set_has_code(&unit_status(p.u)->restart_prevent, 73));
    ck_assert(p.u->ignore_sigpipe);
    parse_more(&p, "[Service]\nIgnoreSIGPIPE=no\n");
    ck_assert(!p.u->ignore_sigpipe);
    parsed_free(&p);
}
END_TEST

/* A unit file or drop-in that is no regular file is refused, never read:
 * a FIFO would block, /dev/zero never end. */
START_TEST(test_not_regular_files)
{
    char dir[] = "/tmp/check_unit_parse.XXXXXX", fifo[64];
    const char *paths[] = {fifo, "/dev/zero", "/tmp"};
    const char *why[] = {"not a regular file", "not a regular file", "Is a directory"};

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(fifo, sizeof(fifo), "%s/x.conf", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    for (size_t i = 0; i < 3; i++) {
        struct unit *u = unit_new("x.service");
        struct capture cap = {0};
        struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};
        char want[256];

        ck_assert_int_eq(unit_parse_file(u, paths[i], &sink), -1);
        snprintf(want, sizeof(want), "E: %s: cannot open: %s", paths[i], why[i]);
        ck_assert_msg(strv_contains(&cap.msgs, want), "%s: %s", paths[i],
                      cap.msgs.n ? cap.msgs.v[0] : "(nothing)");
        unit_free(u);
        strv_clear(&cap.msgs);
    }
    unlink(fifo);
    rmdir(dir);
}
END_TEST

/* Each specifier alone, for an instance whose name needs unescaping. */
static const struct {
    const char *value, *want; /* want NULL: refused, with *bad set to bad */
    char bad;
} specifier_cases[] = {
    {"%n", "pre-fix@in\\x2dst.service", 0},
    {"%N", "pre-fix@in\\x2dst", 0},
    {"%p", "pre-fix", 0},
    {"%P", "pre/fix", 0},
    {"%i", "in\\x2dst", 0},
    {"%I", "in-st", 0},
    {"%j", "fix", 0},
    {"%J", "fix", 0},
    {"%f", "/in-st", 0},
    {"%t", "/run", 0},
    {"%S", "/var/lib", 0},
    {"%C", "/var/cache", 0},
    {"%L", "/var/log", 0},
    {"%E", "/etc", 0},
    {"%T", "/tmp", 0},
    {"%V", "/var/tmp", 0},
    {"%D", "/usr/share", 0},
    {"a%%b", "a%b", 0},
    {"%Z", NULL, 'Z'},
    {"x%", NULL, '\0'},
};

START_TEST(test_specifier_table)
{
    struct unit *u = unit_new("pre-fix@in\\x2dst.service");
    char bad = 1;
    char *got;

    ck_assert_ptr_nonnull(u);
    got = unit_specifier_expand(u, specifier_cases[_i].value, &bad);
    if (specifier_cases[_i].want) {
        ck_assert_ptr_nonnull(got);
        ck_assert_str_eq(got, specifier_cases[_i].want);
    } else {
        ck_assert_ptr_null(got);
        ck_assert_int_eq(errno, EINVAL);
        ck_assert_int_eq(bad, specifier_cases[_i].bad);
    }
    free(got);
    unit_free(u);
}
END_TEST

START_TEST(test_specifiers)
{
    struct unit *u = unit_new("my-web@blue\\x2dsky.service");
    struct capture cap = {0};
    struct diag_sink sink = {.emit = capture_emit, .ctx = &cap};
    const char *text =
        "[Unit]\n"
        "Description=%n|%N|%p|%i|%I|%j|%f|%t|%S|%%|100%%\n"
        "[Service]\n"
        "ExecStart=/bin/date +%%s --name=%p\n"
        "Environment=DIR=%C/%p LOGS=%L\n"
        "WorkingDirectory=%T\n"
        "Restart=%Z\n"
        "SyslogIdentifier=50%\n";
    FILE *f = fmemopen((void *)text, strlen(text), "r");

    ck_assert_int_eq(unit_parse_stream(u, f, "spec.service", &sink), -1);
    fclose(f);
    ck_assert_str_eq(u->description,
                     "my-web@blue\\x2dsky.service|my-web@blue\\x2dsky|my-web|"
                     "blue\\x2dsky|blue-sky|web|/blue-sky|/run|/var/lib|%|100%");
    ck_assert_str_eq(u->exec_start.v[0].line, "/bin/date +%s --name=my-web");
    ck_assert_str_eq(unit_exec(u)->environment.v[0], "DIR=/var/cache/my-web");
    ck_assert_str_eq(unit_exec(u)->environment.v[1], "LOGS=/var/log");
    ck_assert_str_eq(unit_exec(u)->working_directory, "/tmp");
    ck_assert(strv_contains(&cap.msgs,
                            "E: spec.service:7: invalid value for Restart=: '%Z' "
                            "(unknown specifier '%Z'; write %% for a literal %)"));
    ck_assert(strv_contains(&cap.msgs,
                            "E: spec.service:8: invalid value for SyslogIdentifier=: "
                            "'50%' (unknown specifier '% '; write %% for a literal %)"));
    ck_assert_uint_eq(cap.msgs.n, 2);
    unit_free(u);
    strv_clear(&cap.msgs);
}
END_TEST

/* ---- unit_finalize ------------------------------------------------------ */

START_TEST(test_finalize)
{
    struct parsed p;

    /* without Type=, ExecStart= makes it simple, and simple takes only one */
    parse_text(&p, "[Service]\nExecStart=/bin/a\nExecStart=/bin/b\n");
    assert_clean(&p);
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), -1);
    ck_assert_int_eq(p.u->type, UNIT_TYPE_SIMPLE);
    parsed_free(&p);

    parse_text(&p, "[Service]\nExecStart=/bin/a\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_int_eq(p.u->type, UNIT_TYPE_SIMPLE);
    ck_assert_int_eq(p.u->std_error, OUTPUT_JOURNAL);
    ck_assert_uint_eq(p.u->timeout_start_usec, 90 * USEC_PER_SEC);
    ck_assert_int_eq(p.u->notify_access, NOTIFY_ACCESS_NONE);
    parsed_free(&p);

    parse_text(&p, "[Service]\nType=simple\nExecStart=/bin/a\nExecStart=/bin/b\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), -1);
    assert_msg(&p, "E: " PATH
                   ": Type=simple needs exactly one ExecStart=, found 2; "
                   "only Type=oneshot may have none or several");
    ck_assert(!p.u->loaded);
    parsed_free(&p);

    parse_text(&p, "[Service]\nType=forking\nExecStop=/bin/a\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), -1);
    assert_msg(&p, "E: " PATH
                   ": Type=forking needs exactly one ExecStart=, found 0; "
                   "only Type=oneshot may have none or several");
    parsed_free(&p);

    parse_text(&p, "[Unit]\nDescription=nothing to run\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), -1);
    assert_msg(&p, "E: " PATH
                   ": service has no ExecStart=, ExecStop= or SuccessAction=, "
                   "refusing");
    parsed_free(&p);

    parse_text(&p, "[Service]\nExecStop=/bin/a\nStandardOutput=file:/o\nStandardError=null\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_int_eq(p.u->type, UNIT_TYPE_ONESHOT);
    ck_assert_uint_eq(p.u->timeout_start_usec, USEC_INFINITY);
    ck_assert_int_eq(p.u->std_error, OUTPUT_NULL);
    ck_assert_ptr_null(unit_output(p.u)->std_error_path);
    parsed_free(&p);

    parse_text(&p,
               "[Service]\nType=oneshot\nTimeoutStartSec=5\nExecStart=/bin/a\n"
               "StandardOutput=truncate:/o\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_uint_eq(p.u->timeout_start_usec, 5 * USEC_PER_SEC);
    ck_assert_int_eq(p.u->std_error, OUTPUT_TRUNCATE);
    ck_assert_str_eq(unit_output(p.u)->std_error_path, "/o");
    parsed_free(&p);

    parse_text(&p, "[Service]\nType=oneshot\nRestart=always\nExecStart=/bin/a\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), -1);
    assert_msg(&p, "E: " PATH ": Restart=always is not allowed for Type=oneshot, refusing");
    parsed_free(&p);

    parse_text(&p, "[Service]\nType=notify\nExecStart=/bin/a\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_int_eq(p.u->notify_access, NOTIFY_ACCESS_MAIN);
    parsed_free(&p);

    parse_text(&p, "[Service]\nType=notify\nNotifyAccess=all\nExecStart=/bin/a\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    ck_assert_int_eq(p.u->notify_access, NOTIFY_ACCESS_ALL);
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0); /* idempotent */
    parsed_free(&p);

    parse_text(&p, "[Service]\nSuccessAction=exit\n");
    ck_assert_int_eq(unit_finalize(p.u, &p.sink), 0);
    parsed_free(&p);
}
END_TEST

/* ---- unit_equal and names ----------------------------------------------- */

START_TEST(test_equal)
{
    struct parsed a, b;
    const char *text =
        "[Unit]\nAfter=x\n[Service]\nExecStart=/bin/a\nEnvironment=A=1\n"
        "LimitNOFILE=5\nSuccessExitStatus=3\nConditionPathExists=/x\n";

    parse_text(&a, text);
    parse_text(&b, text);
    ck_assert(unit_equal(a.u, b.u));
    ck_assert(unit_equal(a.u, a.u));
    ck_assert(!unit_equal(a.u, NULL));
    parsed_free(&b);

    /* only line numbers differ: the same unit */
    parse_text(&b,
               "# moved\n[Unit]\nAfter=x\n[Service]\n\nExecStart=/bin/a\nEnvironment=A=1\n"
               "LimitNOFILE=5\nSuccessExitStatus=3\nConditionPathExists=/x\n");
    ck_assert(unit_equal(a.u, b.u));
    parse_more(&b, "[Service]\nLimitNOFILE=6\n");
    ck_assert(!unit_equal(a.u, b.u));
    parsed_free(&b);

    static const char *const changes[] = {
        "[Service]\nExecStart=/bin/b\n",
        "[Service]\nEnvironment=A=2\n",
        "[Unit]\nAfter=y\n",
        "[Service]\nSuccessExitStatus=4\n",
        "[Service]\nRestart=always\n",
        "[Unit]\nConditionPathExists=!/x\n",
        "[Service]\nNice=0\n",
        "[Unit]\nDescription=d\n",
        "[Service]\nExecStartPre=/bin/a\n",
        "[Service]\nTimeoutStartSec=90\n",
        /* one key of each optional part (unit.h) */
        "[Unit]\nRequisite=z\n",
        "[Install]\nAlias=other.service\n",
        "[Service]\nUser=nobody\n",
        "[Service]\nUMask=0077\n",
        "[Service]\nWorkingDirectory=/tmp\n",
        "[Service]\nUnsetEnvironment=X\n",
        "[Service]\nLimitCORE=0\n",
        "[Service]\nRuntimeDirectory=r\n",
        "[Service]\nStateDirectoryMode=0700\n",
        "[Service]\nExecCondition=/bin/c\n",
        "[Service]\nExecStop=/bin/s\n",
        "[Service]\nRestartPreventExitStatus=1\n",
        "[Service]\nStandardOutput=file:/o\n",
        "[Service]\nSyslogIdentifier=i\n",
        "[Service]\nX-LogMaxFiles=2\n",
    };
    for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        parse_text(&b, text);
        parse_more(&b, changes[i]);
        ck_assert_msg(!unit_equal(a.u, b.u), "change not seen: %s", changes[i]);
        parsed_free(&b);
    }
    parsed_free(&a);
}
END_TEST

/* The optional parts of a unit exist only when a key of theirs was written,
 * and a part holding its defaults compares equal to a missing one. */
START_TEST(test_parts)
{
    struct parsed a, b;

    parse_text(&a, "[Service]\nExecStart=/bin/a\nRestart=always\nStandardOutput=null\n");
    assert_clean(&a);
    ck_assert_ptr_null(a.u->deps);
    ck_assert_ptr_null(a.u->exec);
    ck_assert_ptr_null(a.u->limits);
    ck_assert_ptr_null(a.u->dirs);
    ck_assert_ptr_null(a.u->cmds);
    ck_assert_ptr_null(a.u->status);
    ck_assert_ptr_null(a.u->output);
    /* a missing part reads as systemd's defaults */
    ck_assert_uint_eq(unit_exec(a.u)->umask, 0022);
    ck_assert_uint_eq(unit_dirs(a.u)->mode[EXEC_DIR_STATE], 0755);
    ck_assert(!unit_limits(a.u)->set[RLIMIT_NOFILE]);
    ck_assert_uint_eq(unit_cmds(a.u)->exec_stop.n, 0);
    ck_assert_ptr_null(unit_output(a.u)->std_output_path);
    ck_assert_int_eq(a.u->std_output, OUTPUT_NULL);
    ck_assert_int_eq(unit_finalize(a.u, &a.sink), 0);

    /* set, then reset: the part stays allocated but holds defaults */
    parse_text(&b,
               "[Unit]\nAfter=x\nAfter=\n[Service]\nExecStart=/bin/a\nRestart=always\n"
               "StandardOutput=file:/o\nStandardOutput=null\nUser=u\nUser=\n"
               "LimitNOFILE=5\nLimitNOFILE=\nRuntimeDirectory=r\nRuntimeDirectory=\n"
               "ExecStop=/bin/s\nExecStop=\nSuccessExitStatus=3\nSuccessExitStatus=\n"
               "X-LogMaxSize=1M\nX-LogMaxSize=\n");
    assert_clean(&b);
    ck_assert_ptr_nonnull(b.u->deps);
    ck_assert_ptr_nonnull(b.u->exec);
    ck_assert_ptr_nonnull(b.u->limits);
    ck_assert_ptr_nonnull(b.u->dirs);
    ck_assert_ptr_nonnull(b.u->cmds);
    ck_assert_ptr_nonnull(b.u->status);
    ck_assert_ptr_nonnull(b.u->output);
    ck_assert_uint_eq(b.u->exec->umask, 0022); /* allocated with the defaults */
    ck_assert_uint_eq(b.u->dirs->mode[EXEC_DIR_RUNTIME], 0755);
    ck_assert_int_eq(unit_finalize(b.u, &b.sink), 0);
    ck_assert(unit_equal(a.u, b.u));
    ck_assert(unit_equal(b.u, a.u));
    parsed_free(&b);

    /* a malformed value still leaves a consistent unit behind */
    parse_text(&b, "[Service]\nExecStart=/bin/a\nLimitNOFILE=lots\nNice=99\n");
    ck_assert_uint_eq(b.cap.msgs.n, 2);
    ck_assert(!b.u->loaded);
    ck_assert(!b.u->limits->set[RLIMIT_NOFILE]);
    ck_assert(!b.u->exec->nice_set);
    parsed_free(&b);

    /* the 8-bit enum and signal fields keep every value */
    parse_text(&b,
               "[Service]\nExecStart=/bin/a\nKillSignal=SIGRTMAX\nFinalKillSignal=RTMIN+1\n"
               "RestartKillSignal=HUP\nKillMode=none\nRestart=on-watchdog\n"
               "NotifyAccess=all\nStandardError=truncate:/t\nFailureAction=exit\n"
               "RuntimeDirectoryPreserve=restart\nType=notify\n");
    assert_clean(&b);
    ck_assert_int_eq(b.u->kill_signal, SIGRTMAX);
    ck_assert_int_eq(b.u->final_kill_signal, SIGRTMIN + 1);
    ck_assert_int_eq(b.u->restart_kill_signal, SIGHUP);
    ck_assert_int_eq(b.u->kill_mode, KILL_MODE_NONE);
    ck_assert_int_eq(b.u->restart, RESTART_ON_WATCHDOG);
    ck_assert_int_eq(b.u->notify_access, NOTIFY_ACCESS_ALL);
    ck_assert_int_eq(b.u->std_output, OUTPUT_JOURNAL);
    ck_assert_int_eq(b.u->std_error, OUTPUT_TRUNCATE);
    ck_assert_int_eq(b.u->failure_action, UNIT_ACTION_EXIT);
    ck_assert_int_eq(b.u->runtime_dir_preserve, DIR_PRESERVE_RESTART);
    ck_assert_int_eq(b.u->type, UNIT_TYPE_NOTIFY);
    parse_more(&b, "[Service]\nKillSignal=\nKillMode=\nRestart=\nNotifyAccess=\n");
    ck_assert_int_eq(b.u->kill_signal, SIGTERM);
    ck_assert_int_eq(b.u->kill_mode, KILL_MODE_CONTROL_GROUP);
    ck_assert_int_eq(b.u->restart, RESTART_NO);
    ck_assert_int_eq(b.u->notify_access, NOTIFY_ACCESS_NONE);
    parsed_free(&b);

    /* StandardOutput= without a path needs no part; a path keeps one */
    parse_text(&b, "[Service]\nExecStart=/bin/a\nStandardError=inherit\n");
    ck_assert_ptr_null(b.u->output);
    parse_more(&b, "[Service]\nStandardError=append:/e\n");
    ck_assert_ptr_nonnull(b.u->output);
    ck_assert_str_eq(b.u->output->std_error_path, "/e");
    ck_assert_int_eq(b.u->std_error, OUTPUT_APPEND);
    parsed_free(&b);
    parsed_free(&a);
}
END_TEST

/* unit_part() fills a new part with the defaults and returns the same one after. */
START_TEST(test_part_alloc)
{
    struct unit *u = unit_new("p.service");

    ck_assert_ptr_nonnull(u);
    ck_assert_ptr_eq(unit_part(u, UNIT_PART_NONE), u);
    struct unit_dirs *d = unit_part(u, UNIT_PART_DIRS);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_eq(u->dirs, d);
    ck_assert_ptr_eq(unit_part(u, UNIT_PART_DIRS), d);
    ck_assert_uint_eq(d->mode[EXEC_DIR_CONFIGURATION], 0755);
    ck_assert_int_eq(strv_push(&d->paths[EXEC_DIR_CACHE], "c"), 0);
    struct unit_exec *x = unit_part(u, UNIT_PART_EXEC);
    ck_assert_ptr_nonnull(x);
    ck_assert_uint_eq(x->umask, 0022);
    ck_assert_int_eq(strv_push(&x->environment, "A=1"), 0);
    struct unit_deps *dp = unit_part(u, UNIT_PART_DEPS);
    ck_assert_int_eq(strv_push(&dp->aliases, "q.service"), 0);
    for (int p = UNIT_PART_NONE + 1; p < UNIT_PART_MAX; p++)
        ck_assert_ptr_nonnull(unit_part(u, (enum unit_part)p));
    unit_free(u); /* frees every part and what it holds (the sanitizer build checks) */
}
END_TEST

START_TEST(test_names)
{
    size_t len;
    char *s;

    ck_assert_str_eq(unit_short_name("web.service", &len), "web.service");
    ck_assert_uint_eq(len, 3);
    unit_short_name("web", &len);
    ck_assert_uint_eq(len, 3);
    unit_short_name("net.target", &len);
    ck_assert_uint_eq(len, 10);

    struct unit *u = unit_new("web.service");
    ck_assert_str_eq(u->name, "web.service");
    ck_assert_str_eq(unit_name_short(u), "web");
    unit_free(u);
    u = unit_new("net.target");
    ck_assert_str_eq(unit_name_short(u), "net.target");
    unit_free(u);
    u = unit_new(NULL);
    ck_assert_ptr_null(unit_name_short(u));
    unit_free(u);

    s = unit_name_normalize("web");
    ck_assert_str_eq(s, "web.service");
    free(s);
    s = unit_name_normalize("web.service");
    ck_assert_str_eq(s, "web.service");
    free(s);
    s = unit_name_normalize("network.target");
    ck_assert_str_eq(s, "network.target");
    free(s);
    s = unit_name_normalize("my.app");
    ck_assert_str_eq(s, "my.app.service");
    free(s);

    ck_assert(unit_name_valid("web.service"));
    ck_assert(unit_name_valid("getty@tty1.service"));
    ck_assert(unit_name_valid("a-b_c:d.e.service"));
    ck_assert(!unit_name_valid("web"));
    ck_assert(!unit_name_valid(".service"));
    ck_assert(!unit_name_valid("web.target"));
    ck_assert(!unit_name_valid("we b.service"));
    ck_assert(!unit_name_valid("../x.service"));
    ck_assert(!unit_name_valid(NULL));
}
END_TEST

START_TEST(test_exit_status_helpers)
{
    struct exit_status_set s = {0};

    ck_assert(!exit_status_set_has_code(&s, 0));
    ck_assert(!exit_status_set_has_signal(&s, SIGTERM));
    exit_status_set_clear(&s);
    ck_assert_uint_eq(s.ncodes, 0);
}
END_TEST

/* Units loaded from a directory share its name rather than each keeping a
 * copy of its path, and still report the file they came from. */
START_TEST(test_loaded_units_share_their_directory)
{
    char dir[] = "/tmp/check_unit_dir.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    static const char *const names[] = {"a.service", "b.service"};
    char path[256];
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs("[Service]\nExecStart=/bin/true\n", f);
        fclose(f);
    }
    struct strv dirs = {0};
    ck_assert_int_eq(strv_push(&dirs, dir), 0);
    struct unit **units = NULL;
    size_t n = 0;
    ck_assert_int_eq(unit_load_dirs(&dirs, false, &units, &n), 0);
    ck_assert_uint_eq(n, 2);
    char pb[4096];
    for (size_t i = 0; i < n; i++) {
        ck_assert(units[i]->in_dir);
        snprintf(path, sizeof(path), "%s/%s", dir, units[i]->name);
        ck_assert_str_eq(unit_path(units[i], pb, sizeof(pb)), path);
    }
    ck_assert_ptr_eq(units[0]->dir, units[1]->dir);
    ck_assert_uint_eq(units[0]->dir->refs, 2);
    unit_free(units[0]);
    ck_assert_uint_eq(units[1]->dir->refs, 1);
    unit_free(units[1]);
    free(units);
    strv_clear(&dirs);
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}
END_TEST

/* Once finalized, a command list is one allocation with its lines; the
 * commands read the same, and clearing or unpacking it is safe. */
START_TEST(test_exec_lists_packed)
{
    struct unit *u = unit_new("p.service");
    struct exec_list *l = &u->exec_start;
    struct exec_list *pre = unit_part(u, UNIT_PART_CMDS);
    ck_assert_ptr_nonnull(pre);
    pre = &u->cmds->exec_start_pre;
    static const char *const lines[] = {"/bin/a one", "-/bin/b two three", "/bin/c"};
    for (int i = 0; i < 3; i++) {
        pre->v = realloc(pre->v, (pre->n + 1) * sizeof(*pre->v));
        pre->v[pre->n] =
            (struct exec_command){.line = strdup(lines[i]), .flags = i, .lineno = 7u + (unsigned)i};
        pre->n++;
    }
    l->v = calloc(1, sizeof(*l->v));
    l->v[0].line = strdup("/bin/true");
    l->n = 1;
    struct unit *same = unit_new("p.service");
    unit_part(same, UNIT_PART_CMDS);
    for (int i = 0; i < 3; i++) {
        struct exec_list *q = &same->cmds->exec_start_pre;
        q->v = realloc(q->v, (q->n + 1) * sizeof(*q->v));
        q->v[q->n] =
            (struct exec_command){.line = strdup(lines[i]), .flags = i, .lineno = 7u + (unsigned)i};
        q->n++;
    }
    same->exec_start.v = calloc(1, sizeof(*l->v));
    same->exec_start.v[0].line = strdup("/bin/true");
    same->exec_start.n = 1;

    ck_assert_int_eq(unit_finalize(u, NULL), 0);
    ck_assert(l->packed);
    ck_assert(pre->packed);
    ck_assert_str_eq(l->v[0].line, "/bin/true");
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(pre->v[i].line, lines[i]);
        ck_assert_int_eq(pre->v[i].flags, i);
        ck_assert_uint_eq(pre->v[i].lineno, 7u + (unsigned)i);
    }
    ck_assert_int_eq(unit_finalize(same, NULL), 0);
    ck_assert_int_eq(exec_list_unpack(&same->exec_start), 0);
    ck_assert(unit_equal(u, same)); /* packed or not */
    ck_assert_int_eq(exec_list_unpack(pre), 0);
    ck_assert(!pre->packed);
    ck_assert_str_eq(pre->v[2].line, "/bin/c");
    exec_list_pack(pre);
    ck_assert(pre->packed);
    unit_free(u);
    unit_free(same);
}
END_TEST

static Suite *unit_parse_suite(void)
{
    Suite *s = suite_create("unit_parse");
    TCase *reader = tcase_create("reader");
    TCase *diag = tcase_create("diagnostics");
    TCase *values = tcase_create("values");
    TCase *model = tcase_create("model");

    tcase_add_test(reader, test_long_value);
    tcase_add_test(reader, test_loaded_units_share_their_directory);
    tcase_add_test(reader, test_exec_lists_packed);
    tcase_add_test(reader, test_long_key_name);
    tcase_add_test(reader, test_semicolon_kept);
    tcase_add_test(reader, test_continuation);
    tcase_add_test(reader, test_continuation_error_line);
    tcase_add_test(reader, test_escaped_backslash_does_not_continue);
    tcase_add_test(reader, test_backslash_at_eof);
    tcase_add_test(reader, test_indented_lines);
    tcase_add_test(reader, test_crlf_bom_comments);
    tcase_add_test(reader, test_fixture_crlf_file);
    suite_add_tcase(s, reader);

    tcase_add_test(diag, test_unknown_key_and_section);
    tcase_add_test(diag, test_malformed_lines);
    tcase_add_test(diag, test_long_section_name);
    tcase_add_test(diag, test_stream_size_cap);
    tcase_add_test(diag, test_all_errors_reported);
    tcase_add_test(diag, test_missing_file);
    tcase_add_test(diag, test_null_sink);
    suite_add_tcase(s, diag);

    tcase_add_test(values, test_defaults);
    tcase_add_test(values, test_key_table);
    tcase_add_test(values, test_fixture_full);
    tcase_add_loop_test(values, test_value_table, 0, sizeof(value_cases) / sizeof(value_cases[0]));
    tcase_add_test(values, test_list_append_and_reset);
    tcase_add_test(values, test_exec_lines);
    tcase_add_test(values, test_scalars_and_resets);
    tcase_add_test(values, test_limits);
    tcase_add_test(values, test_unsupported_values_warn);
    tcase_add_test(values, test_sched_keys);
    tcase_add_test(values, test_not_enforced_listed_once);
    tcase_add_test(values, test_drop_in_order);
    tcase_add_test(values, test_specifiers);
    tcase_add_loop_test(values, test_specifier_table, 0,
                        sizeof(specifier_cases) / sizeof(specifier_cases[0]));
    tcase_add_test(values, test_specifier_traversal);
    tcase_add_test(values, test_exit_status_names_and_sigpipe);
    tcase_add_test(values, test_not_regular_files);
    suite_add_tcase(s, values);

    tcase_add_test(model, test_finalize);
    tcase_add_test(model, test_equal);
    tcase_add_test(model, test_parts);
    tcase_add_test(model, test_part_alloc);
    tcase_add_test(model, test_names);
    tcase_add_test(model, test_exit_status_helpers);
    suite_add_tcase(s, model);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(unit_parse_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
