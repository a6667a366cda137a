/* svc_stamps.c - a service's ExecMain* record for `show`: when its main
 * process started and exited, its pid, how it ended. Apart from
 * unit_stamps.c, which asks the unit's type for its state: the machine's
 * files call these, and must not reach back into the type table. */
#include <signal.h>
#include <sys/wait.h>

#include "core/service.h"

void svc_stamps_main_start(struct service *s)
{
    struct svc_stamps *t = &s->stamps;
    t->exec_main_start = s->ops->now(s);
    t->exec_main_exit = 0;
    t->exec_main_pid = s->main.pid;
    t->exec_main_code = 0;
    t->exec_main_status = 0;
}

void svc_stamps_main_exit(struct service *s, int status)
{
    struct svc_stamps *t = &s->stamps;
    t->exec_main_exit = s->ops->now(s);
    if (WIFEXITED(status)) {
        t->exec_main_code = CLD_EXITED;
        t->exec_main_status = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        t->exec_main_code = WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
        t->exec_main_status = WTERMSIG(status);
    }
}

enum condition_result svc_conditions_check(struct service *s, const struct path_condition **what)
{
    enum condition_result r = s->ops->check_conditions(s->unit, what);
    struct svc_stamps *t = &s->stamps;
    uint64_t now = s->ops->now(s);
    t->condition = now;
    t->condition_result = r != CONDITION_FAILED;
    if (r != CONDITION_FAILED) { /* systemd checks assertions once conditions hold */
        t->assert_ = now;
        t->assert_result = r == CONDITION_MET;
    }
    return r;
}
