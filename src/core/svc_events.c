/* svc_events.c - what pxinit says when a unit changes state.
 *
 * Two levels, as systemd, s6 and supervisord users expect. At the default
 * level (notice) one line per event that matters: "started", "finished" (a
 * oneshot), "stopped", "exited, status 0", "exited with status 1,
 * restarting in 100ms", and, as a warning, "failed: start limit hit". At
 * info every state change is shown as before ("state activating (start)"),
 * for whoever debugs a unit and for the tests that follow a unit's states.
 */
#include "core/svc_events.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "base/log.h"
#include "base/signame.h"
#include "base/timespan.h"
#include "core/unit_type.h"
#include "wire/unit_state.h"

/* How the last run ended, in words: "exited with status 1", "killed by
 * signal KILL", "timed out"... */
static const char *end_text(const struct service *s, char *buf, size_t size)
{
    int st = s->last_status;

    switch (s->result) {
    case RESULT_SUCCESS:
    case RESULT_EXIT_CODE:
    case RESULT_SIGNAL:
    case RESULT_CORE_DUMP:
        if (!s->have_exit)
            break;
        if (WIFSIGNALED(st))
            snprintf(buf, size, "killed by signal %s%s", signal_to_name(WTERMSIG(st)),
                     WCOREDUMP(st) ? " (core dumped)" : "");
        else
            snprintf(buf, size, "exited with status %d", WEXITSTATUS(st));
        return buf;
    case RESULT_TIMEOUT:
        return "timed out"; /* a warning before said which operation */
    case RESULT_WATCHDOG:
        return "watchdog timeout";
    case RESULT_START_LIMIT:
        return "start request repeated too quickly (start limit hit)";
    case RESULT_RESOURCES:
        return "could not run its command (resources)";
    case RESULT_PROTOCOL:
        return "ended before it was ready (protocol)";
    default:
        break;
    }
    snprintf(buf, size, "result %s", service_result_name(s->result));
    return buf;
}

/* The lines --log-level=info shows (and tests follow): every change. */
static void log_state(const struct service *s, enum svc_sub old)
{
    enum svc_state st = svc_state_of(s->sub);

    if (s->sub == SUB_FAILED)
        log_unit_info(s->name, "state failed (result: %s)", service_result_name(s->result));
    else if (s->sub == SUB_AUTO_RESTART)
        log_unit_info(s->name, "state auto-restart (result: %s)", service_result_name(s->result));
    else if (st != svc_state_of(old) ||
             /* a timer between waiting, running and elapsed: every elapse */
             (s->unit->kind != UNIT_KIND_TIMER && (s->sub == SUB_RUNNING || s->sub == SUB_EXITED)))
        log_unit_info(s->name, "state %s (%s)", svc_state_name(st), unit_sub_name(unit_sub_of(s)));
    else
        log_unit_debug(s->name, "state %s (%s)", svc_state_name(st), unit_sub_name(unit_sub_of(s)));
}

void svc_log_changed(const struct service *s, enum svc_sub old, bool quiet)
{
    enum svc_state was = svc_state_of(old);
    /* Shutdown stops, and connection instances, are only worth info. */
    enum log_level level = quiet ? LOG_LEVEL_INFO : LOG_LEVEL_NOTICE;
    char buf[96];

    log_state(s, old);
    if (s->sub == old)
        return;
    switch (s->sub) {
    case SUB_FAILED:
        /* A failed assertion's error line said it all. */
        if (s->result != RESULT_ASSERT)
            log_msg(LOG_LEVEL_WARNING, s->name, "failed: %s", end_text(s, buf, sizeof(buf)));
        break;
    case SUB_AUTO_RESTART: {
        char delay[32];
        uint64_t d = restart_delay_usec(s->unit, s->restarts + 1);
        log_msg(level, s->name, "%s, restarting%s%s", end_text(s, buf, sizeof(buf)),
                d ? " in " : "", d ? timespan_format(d, delay, sizeof(delay)) : "");
        break;
    }
    case SUB_DEAD:
        /* From dead or an ExecCondition= that said skip: nothing ran (the
         * condition's own line says why at info). From failed (reset-failed,
         * a condition not met): the failed line said how it ended. */
        if (was == SVC_INACTIVE || was == SVC_FAILED || old == SUB_CONDITION)
            break;
        if (s->stop_wanted || s->restart_stopped)
            log_msg(level, s->name, "stopped"); /* a restart's stop too, not how TERM ended it */
        else if (s->unit->type == UNIT_TYPE_ONESHOT)
            log_msg(level, s->name, "finished");
        else
            log_msg(level, s->name, "%s", s->have_exit ? end_text(s, buf, sizeof(buf)) : "exited");
        break;
    default:
        if (svc_state_of(s->sub) != SVC_ACTIVE || was == SVC_ACTIVE)
            break;
        if (s->sub == SUB_EXITED && s->unit->type == UNIT_TYPE_ONESHOT)
            log_msg(level, s->name, "finished");
        else
            log_msg(level, s->name, "started");
        break;
    }
}
