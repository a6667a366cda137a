/* restart.h - systemd's restart rules, as pure functions of the facts.
 *
 * How a process ended, whether Restart= says to start it again, how long to wait
 * (RestartSec= with RestartSteps=/RestartMaxDelaySec=), and the start rate limit
 * (StartLimitIntervalSec=/StartLimitBurst=). Time is passed in (usec on a
 * monotonic clock), never read here.
 */
#ifndef PXINIT_RESTART_H
#define PXINIT_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "unit/unit.h"

/* How a service run ended, as systemd's "result". */
enum service_result {
    RESULT_SUCCESS,
    RESULT_EXIT_CODE,           /* exited with a non-zero code not in SuccessExitStatus= */
    RESULT_SIGNAL,              /* killed by a signal that is not clean */
    RESULT_CORE_DUMP,           /* killed by a signal, dumped core */
    RESULT_TIMEOUT,             /* a start or stop timeout fired */
    RESULT_WATCHDOG,            /* watchdog timeout */
    RESULT_START_LIMIT,         /* start rate limit hit */
    RESULT_RESOURCES,           /* could not spawn (fork failed, exec failed, ...) */
    RESULT_PROTOCOL,            /* Type=notify/forking: exited before it was ready */
    RESULT_ASSERT,              /* an Assert*= did not hold */
    RESULT_TRIGGER_LIMIT,       /* a socket triggered too often (TriggerLimitBurst=) */
    RESULT_SERVICE_START_LIMIT, /* a socket's service could not be started */
};

const char *service_result_name(enum service_result r);

/* Classifies a wait status of the main process, systemd-style: exit 0, or a code
 * or signal listed in SuccessExitStatus=, is success; SIGHUP, SIGINT, SIGTERM and
 * SIGPIPE are "clean" signals and count as success too. */
enum service_result restart_classify(const struct unit *u, int wait_status);

/* Restart= decision for a run that ended with result r (wait_status is the raw
 * status when r came from a process exit, else 0). Follows the table in
 * systemd.service(5): e.g. on-failure restarts on a non-zero exit, unclean
 * signal, timeout and watchdog; on-abnormal on unclean signal, timeout,
 * watchdog; on-abort on unclean signal only; never after RESULT_START_LIMIT,
 * or when the stop was requested (the caller does not ask then). */
bool restart_wanted(const struct unit *u, enum service_result r, int wait_status);

/* The delay before restart number n (n = 1 for the first restart after the unit
 * last went active). Without RestartSteps= it is RestartSec=. With it, the delay
 * grows exponentially from RestartSec= to RestartMaxDelaySec= over RestartSteps=
 * steps, as systemd computes it, and stays at the maximum after that. */
uint64_t restart_delay_usec(const struct unit *u, unsigned n);

/* A token-bucket-free start rate limiter as systemd's ratelimit: at most
 * burst starts in any window of interval_usec; interval 0 or burst 0 = no limit. */
struct start_limit {
    uint64_t window_begin_usec;
    unsigned count;
};

/* Records a start attempt at now_usec; returns false when it exceeds the limit
 * (the caller then fails the unit with RESULT_START_LIMIT). */
bool start_limit_allow(struct start_limit *sl, const struct unit *u, uint64_t now_usec);
void start_limit_reset(struct start_limit *sl);

#endif
