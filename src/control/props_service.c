/* props_service.c - what a service adds to `show` (systemd's
 * dbus-service.c, then the exec and kill contexts of dbus-execute.c and
 * dbus-kill.c), and ExecStart='s "{ path=... ; argv[]=... }" form. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/signame.h"
#include "base/timespan.h"
#include "control/props.h"
#include "unit/cmdline.h"

static const char *type_name(enum unit_type t)
{
    static const char *const names[] = {
        [UNIT_TYPE_SIMPLE] = "simple",   [UNIT_TYPE_EXEC] = "exec",
        [UNIT_TYPE_FORKING] = "forking", [UNIT_TYPE_ONESHOT] = "oneshot",
        [UNIT_TYPE_NOTIFY] = "notify",
    };
    return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "simple";
}

static const char *restart_name(enum restart_policy r)
{
    static const char *const names[] = {
        [RESTART_NO] = "no",
        [RESTART_ALWAYS] = "always",
        [RESTART_ON_SUCCESS] = "on-success",
        [RESTART_ON_FAILURE] = "on-failure",
        [RESTART_ON_ABNORMAL] = "on-abnormal",
        [RESTART_ON_ABORT] = "on-abort",
        [RESTART_ON_WATCHDOG] = "on-watchdog",
    };
    return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "no";
}

static const char *notify_name(enum notify_access a)
{
    static const char *const names[] = {
        [NOTIFY_ACCESS_NONE] = "none",
        [NOTIFY_ACCESS_MAIN] = "main",
        [NOTIFY_ACCESS_EXEC] = "exec",
        [NOTIFY_ACCESS_ALL] = "all",
    };
    return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "none";
}

static const char *kill_mode_name(enum kill_mode m)
{
    static const char *const names[] = {
        [KILL_MODE_CONTROL_GROUP] = "control-group",
        [KILL_MODE_MIXED] = "mixed",
        [KILL_MODE_PROCESS] = "process",
        [KILL_MODE_NONE] = "none",
    };
    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "control-group";
}

/* StandardOutput=/StandardError= as systemd names them. */
static void output_prop(const struct props_out *o, const char *key, enum output_kind k,
                        const char *path)
{
    switch (k) {
    case OUTPUT_DEFAULT:
        props_str(o, key, "inherit");
        return;
    case OUTPUT_JOURNAL:
        props_str(o, key, "journal");
        return;
    case OUTPUT_INHERIT:
        props_str(o, key, "inherit");
        return;
    case OUTPUT_NULL:
        props_str(o, key, "null");
        return;
    case OUTPUT_FILE:
        props_fmt(o, key, "file:%s", path ? path : "");
        return;
    case OUTPUT_APPEND:
        props_fmt(o, key, "append:%s", path ? path : "");
        return;
    case OUTPUT_TRUNCATE:
        props_fmt(o, key, "truncate:%s", path ? path : "");
        return;
    case OUTPUT_SOCKET:
        props_str(o, key, "socket");
        return;
    }
}

/* An exit status set (SuccessExitStatus=): codes, then signal names. */
static void status_set(const struct props_out *o, const char *key, const struct exit_status_set *e)
{
    if (!props_want(o, key))
        return;
    char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < e->ncodes && len < sizeof(buf) - 16; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d", len ? " " : "", e->codes[i]);
    for (size_t i = 0; i < e->nsignals && len < sizeof(buf) - 16; i++)
        len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "",
                                signal_to_name(e->signals[i]));
    props_str(o, key, buf);
}

/* One command in systemd's form. The times, pid and status are the main
 * process's for the ExecStart= that runs as it (main: true). */
static void command_prop(const struct props_out *o, const char *key, const struct exec_command *c,
                         const struct svc_stamps *t, bool main)
{
    struct strv words = {0};
    const char *err;
    if (cmdline_unquote(c->line, &words, &err) < 0 || words.n == 0) {
        strv_clear(&words);
        return; /* nothing systemd would have loaded */
    }
    size_t first = (c->flags & EXEC_FLAG_ARGV0) && words.n > 1 ? 1 : 0;
    char argv[2048];
    size_t len = 0;
    argv[0] = '\0';
    for (size_t i = first; i < words.n && len < sizeof(argv); i++) {
        int w = snprintf(argv + len, sizeof(argv) - len, "%s%s", len ? " " : "", words.v[i]);
        if (w < 0 || (size_t)w >= sizeof(argv) - len)
            break;
        len += (size_t)w;
    }
    char start[64], stop[64], status[48];
    props_time_text(main ? t->exec_main_start : 0, start, sizeof(start));
    props_time_text(main ? t->exec_main_exit : 0, stop, sizeof(stop));
    int code = main ? t->exec_main_code : 0, st = main ? t->exec_main_status : 0;
    const char *code_name = code == CLD_EXITED   ? "exited"
                            : code == CLD_KILLED ? "killed"
                            : code == CLD_DUMPED ? "dumped"
                                                 : "(null)";
    if (code == CLD_EXITED)
        snprintf(status, sizeof(status), "%d", st);
    else if (code)
        snprintf(status, sizeof(status), "%d/%s", st, signal_to_name(st));
    else
        snprintf(status, sizeof(status), "0/0");
    props_fmt(o, key,
              "{ path=%s ; argv[]=%s ; ignore_errors=%s ; start_time=[%s] ; stop_time=[%s] ; "
              "pid=%d ; code=%s ; status=%s }",
              words.v[0], argv, (c->flags & EXEC_FLAG_IGNORE_FAILURE) ? "yes" : "no", start, stop,
              main ? (int)t->exec_main_pid : 0, code_name, status);
    strv_clear(&words);
}

/* main_idx: the command that ran as the main process last; -1 none. */
static void commands(const struct props_out *o, const char *key, const struct exec_list *l,
                     const struct svc_stamps *t, long main_idx)
{
    if (!props_want(o, key))
        return;
    for (uint32_t i = 0; i < l->n; i++)
        command_prop(o, key, &l->v[i], t, (long)i == main_idx);
}

static void exec_props(const struct props_out *o, const struct unit *u)
{
    const struct unit_exec *e = unit_exec(u);
    props_list(o, "Environment", e->environment.v, e->environment.n);
    props_list(o, "EnvironmentFiles", e->environment_files.v, e->environment_files.n);
    props_list(o, "PassEnvironment", e->pass_environment.v, e->pass_environment.n);
    props_list(o, "UnsetEnvironment", e->unset_environment.v, e->unset_environment.n);
    props_fmt(o, "UMask", "%04o", (unsigned)e->umask);
    props_fmt(o, "WorkingDirectory", "%s%s", e->working_directory_optional ? "!" : "",
              e->working_directory ? e->working_directory : "");
    props_fmt(o, "OOMScoreAdjust", "%d", e->oom_score_adjust);
    props_fmt(o, "Nice", "%d", e->nice);
    props_str(o, "StandardInput", e->std_input == INPUT_SOCKET ? "socket" : "null");
    const struct unit_output *out = unit_output(u);
    output_prop(o, "StandardOutput", u->std_output, out->std_output_path);
    output_prop(o, "StandardError", u->std_error, out->std_error_path);
    props_str(o, "SyslogIdentifier", out->syslog_identifier);
    props_str(o, "User", e->user);
    props_str(o, "Group", e->group);
    props_list(o, "SupplementaryGroups", e->supplementary_groups.v, e->supplementary_groups.n);
    props_bool(o, "NoNewPrivileges", e->no_new_privileges);
}

void props_kill(const struct props_out *o, const struct unit *u)
{
    props_str(o, "KillMode", kill_mode_name(u->kill_mode));
    props_fmt(o, "KillSignal", "%d", u->kill_signal);
    props_fmt(o, "RestartKillSignal", "%d",
              u->restart_kill_signal ? u->restart_kill_signal : u->kill_signal);
    props_fmt(o, "FinalKillSignal", "%d", u->final_kill_signal);
    props_bool(o, "SendSIGKILL", u->send_sigkill);
    props_bool(o, "SendSIGHUP", u->send_sighup);
    props_fmt(o, "WatchdogSignal", "%d", SIGABRT);
}

void props_service(const struct props_out *o, const struct service *s, const struct props_env *env)
{
    const struct unit *u = s->unit;
    const struct unit_status *st = unit_status(u);
    const struct unit_cmds *c = unit_cmds(u);
    const struct svc_stamps *t = &s->stamps;
    props_str(o, "Type", type_name(u->type));
    props_str(o, "ExitType", "main");
    props_str(o, "Restart", restart_name(u->restart));
    props_str(o, "PIDFile", u->pid_file);
    props_str(o, "NotifyAccess", notify_name(u->notify_access));
    props_span(o, "RestartUSec", u->restart_usec);
    props_span(o, "TimeoutStartUSec", u->timeout_start_usec);
    props_span(o, "TimeoutStopUSec", u->timeout_stop_usec);
    props_span(o, "TimeoutAbortUSec", u->timeout_stop_usec);
    props_str(o, "TimeoutStartFailureMode", "terminate");
    props_str(o, "TimeoutStopFailureMode", "terminate");
    props_span(o, "RuntimeMaxUSec", USEC_INFINITY);
    props_span(o, "RuntimeRandomizedExtraUSec", 0);
    props_span(o, "WatchdogUSec", s->watchdog_usec ? s->watchdog_usec : u->watchdog_usec);
    props_stamp(o, "WatchdogTimestamp", 0, env);
    props_bool(o, "RootDirectoryStartOnly", false);
    props_bool(o, "RemainAfterExit", u->remain_after_exit);
    props_bool(o, "GuessMainPID", true);
    status_set(o, "RestartPreventExitStatus", &st->restart_prevent);
    status_set(o, "RestartForceExitStatus", &st->restart_force);
    status_set(o, "SuccessExitStatus", &st->success_exit_status);
    props_fmt(o, "MainPID", "%d", s->main.pid > 0 ? (int)s->main.pid : 0);
    props_fmt(o, "ControlPID", "%d", s->control.pid > 0 ? (int)s->control.pid : 0);
    props_str(o, "BusName", "");
    props_u64(o, "FileDescriptorStoreMax", unit_exec(u)->fd_store_max);
    props_u64(o, "NFileDescriptorStore", 0);
    props_str(o, "StatusText", s->status_text);
    props_fmt(o, "StatusErrno", "%d", s->status_errno);
    props_str(o, "Result", service_result_name(s->result));
    props_str(o, "ReloadResult", service_result_name(s->reload_result));
    props_str(o, "CleanResult", "success");
    props_str(o, "USBFunctionDescriptors", "");
    props_str(o, "USBFunctionStrings", "");
    props_str(o, "UID", "[not set]");
    props_str(o, "GID", "[not set]");
    props_u64(o, "NRestarts", s->restarts);
    props_str(o, "OOMPolicy", "stop");
    props_stamp(o, "ExecMainStartTimestamp", t->exec_main_start, env);
    props_stamp(o, "ExecMainExitTimestamp", t->exec_main_exit, env);
    props_fmt(o, "ExecMainPID", "%d", (int)t->exec_main_pid);
    props_fmt(o, "ExecMainCode", "%d", t->exec_main_code);
    props_fmt(o, "ExecMainStatus", "%d", t->exec_main_status);
    commands(o, "ExecCondition", &c->exec_condition, t, -1);
    commands(o, "ExecStartPre", &c->exec_start_pre, t, -1);
    /* A oneshot runs its ExecStart= lines in turn: the last started. */
    commands(o, "ExecStart", &u->exec_start, t, s->start_idx ? (long)s->start_idx - 1 : 0);
    commands(o, "ExecStartPost", &c->exec_start_post, t, -1);
    commands(o, "ExecReload", &c->exec_reload, t, -1);
    commands(o, "ExecStop", &c->exec_stop, t, -1);
    commands(o, "ExecStopPost", &c->exec_stop_post, t, -1);
    exec_props(o, u);
    props_kill(o, u);
}
