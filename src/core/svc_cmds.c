/* svc_cmds.c - which command a service runs next and how its exit counts:
 * the control lists (ExecCondition=, ExecStartPre=, ExecStartPost=,
 * ExecReload=, ExecStop=, ExecStopPost=) run in turn, ExecStart= in turn
 * (a oneshot may have several), the '-' prefix, and the log line of a main
 * exit. The machine (service.c) decides which list a state runs; this file
 * walks it. Spawning goes through s->ops.
 */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "base/log.h"
#include "core/service.h"
#include "unit/cmdline.h"

static const struct exec_list *control_list(const struct service *s, enum svc_control kind)
{
    switch (kind) {
    case CONTROL_CONDITION:
        return &unit_cmds(s->unit)->exec_condition;
    case CONTROL_START_PRE:
        return &unit_cmds(s->unit)->exec_start_pre;
    case CONTROL_START_POST:
        return &unit_cmds(s->unit)->exec_start_post;
    case CONTROL_STOP:
        return &unit_cmds(s->unit)->exec_stop;
    case CONTROL_STOP_POST:
        return &unit_cmds(s->unit)->exec_stop_post;
    case CONTROL_RELOAD:
        return &unit_cmds(s->unit)->exec_reload;
    case CONTROL_NONE:
        break;
    }
    return NULL;
}

bool svc_control_next(struct service *s, bool *failed)
{
    const struct exec_list *l = control_list(s, s->control_kind);
    *failed = false;
    while (l && s->control_idx < l->n) {
        const struct exec_command *cmd = &l->v[s->control_idx++];
        svc_proc_forget(s, &s->control); /* and the group a command before left */
        s->control.flags = cmd->flags;
        if (s->ops->spawn(s, cmd, false) == 0)
            return true;
        log_unit_error(s->name, "cannot run %s: %s", cmd->line, strerror(errno));
        if (!(cmd->flags & EXEC_FLAG_IGNORE_FAILURE)) {
            *failed = true;
            return false;
        }
    }
    return false;
}

enum svc_next svc_main_next(struct service *s)
{
    const struct unit *u = s->unit;
    if (s->start_idx >= u->exec_start.n)
        return SVC_NEXT_NONE;
    const struct exec_command *cmd = &u->exec_start.v[s->start_idx++];
    svc_proc_forget(s, &s->main);
    s->main.flags = cmd->flags;
    s->control_kind = CONTROL_NONE;
    if (s->ops->spawn(s, cmd, true) == 0)
        return SVC_NEXT_SPAWNED;
    log_unit_error(s->name, "cannot start %s: %s", cmd->line, strerror(errno));
    return SVC_NEXT_FAILED;
}

void svc_main_find(struct service *s)
{
    if (!s->ops->find_main || s->ops->find_main(s) < 0)
        log_unit_warn(s->name,
                      "cannot determine the main process; "
                      "the unit stays active without one");
}

bool svc_command_ok(const struct service *s, const struct svc_proc *p, int status)
{
    if (p->flags & EXEC_FLAG_IGNORE_FAILURE)
        return true;
    return restart_classify(s->unit, status) == RESULT_SUCCESS;
}

bool svc_condition_skips(const struct service *s, int status)
{
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 255)
        return false;
    log_unit_info(s->name, "ExecCondition= exited %d, skipping the unit", WEXITSTATUS(status));
    return true;
}

void svc_main_exit_note(struct service *s, int status)
{
    if (s->no_process)
        return; /* nothing ran: no exit status to show */
    if (WIFSIGNALED(status)) {
        log_unit_info(s->name, "main process exited, killed by signal %s%s",
                      strsignal(WTERMSIG(status)), WCOREDUMP(status) ? " (core dumped)" : "");
    } else if (WEXITSTATUS(status) != 0 || s->sub == SUB_RUNNING) {
        log_unit_info(s->name, "main process exited, status %d", WEXITSTATUS(status));
    }
    s->have_exit = true;
    s->last_status = status;
    svc_stamps_main_exit(s, status);
}

void svc_condition_log(const struct service *s, const struct path_condition *c,
                       enum condition_result r)
{
    if (r == CONDITION_ASSERT_FAILED)
        log_unit_error(s->name, "assertion %s=%s%s%s failed", condition_kind_name(c->kind, true),
                       c->trigger ? "|" : "", c->negate ? "!" : "", c->path);
    else
        log_unit_info(s->name, "condition %s=%s%s%s not met, skipping",
                      condition_kind_name(c->kind, false), c->trigger ? "|" : "",
                      c->negate ? "!" : "", c->path);
}
