/* restart.c - systemd's restart rules: how a run ended (the "result"),
 * whether Restart= starts it again, the delay before it does
 * (RestartSec=/RestartSteps=/RestartMaxDelaySec=), and the start rate limit
 * (StartLimitIntervalSec=/StartLimitBurst=).
 *
 * Pure functions of the unit and the facts passed in; no clock, no state but
 * the caller's struct start_limit.
 */
#include "core/restart.h"

#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>

#include "base/timespan.h"

static const char *const result_names[] = {
    [RESULT_SUCCESS] = "success",
    [RESULT_EXIT_CODE] = "exit-code",
    [RESULT_SIGNAL] = "signal",
    [RESULT_CORE_DUMP] = "core-dump",
    [RESULT_TIMEOUT] = "timeout",
    [RESULT_WATCHDOG] = "watchdog",
    [RESULT_START_LIMIT] = "start-limit-hit",
    [RESULT_RESOURCES] = "resources",
    [RESULT_PROTOCOL] = "protocol",
    [RESULT_ASSERT] = "assert",
    [RESULT_TRIGGER_LIMIT] = "trigger-limit-hit",
    [RESULT_SERVICE_START_LIMIT] = "service-start-limit-hit",
};

const char *service_result_name(enum service_result r)
{
    if ((unsigned)r >= sizeof(result_names) / sizeof(result_names[0]) || !result_names[r])
        return "unknown";
    return result_names[r];
}

/* A daemon without handlers for these dies of them on an ordinary stop, so
 * systemd does not hold that against it; a oneshot is a command, not a
 * daemon, and gets no such allowance (systemd.service(5), SuccessExitStatus=). */
static bool restart_signal_is_clean(const struct unit *u, int sig)
{
    if (u && u->type == UNIT_TYPE_ONESHOT)
        return false;
    return sig == SIGHUP || sig == SIGINT || sig == SIGTERM || sig == SIGPIPE;
}

enum service_result restart_classify(const struct unit *u, int wait_status)
{
    const struct exit_status_set *ok = u ? &unit_status(u)->success_exit_status : NULL;

    if (WIFEXITED(wait_status)) {
        int code = WEXITSTATUS(wait_status);
        if (code == 0 || (ok && exit_status_set_has_code(ok, code)))
            return RESULT_SUCCESS;
        return RESULT_EXIT_CODE;
    }
    if (WIFSIGNALED(wait_status)) {
        int sig = WTERMSIG(wait_status);
        /* systemd never counts a core dump as clean, even for a signal
         * listed in SuccessExitStatus=: the process crashed. */
        if (WCOREDUMP(wait_status))
            return RESULT_CORE_DUMP;
        if (restart_signal_is_clean(u, sig) || (ok && exit_status_set_has_signal(ok, sig)))
            return RESULT_SUCCESS;
        return RESULT_SIGNAL;
    }
    /* Stopped or continued is not an end; callers never wait for those. If
     * one slips through, call it the mildest failure. */
    return RESULT_EXIT_CODE;
}

/* The Restart= table of systemd.service(5). Rows are the exit causes; the
 * table has no row for "resources" (spawn failed): systemd treats it as a
 * failure that is neither a clean exit nor an exit code, hence restarted by
 * always, on-failure and on-abnormal. The wait status only matters for
 * RestartPreventExitStatus= and RestartForceExitStatus=, which override the
 * table for a run that ended by exiting. */
static bool status_in(const struct exit_status_set *set, int wait_status)
{
    if (WIFEXITED(wait_status))
        return exit_status_set_has_code(set, WEXITSTATUS(wait_status));
    if (WIFSIGNALED(wait_status))
        return exit_status_set_has_signal(set, WTERMSIG(wait_status));
    return false;
}

bool restart_wanted(const struct unit *u, enum service_result r, int wait_status)
{
    if (!u || r == RESULT_START_LIMIT || r == RESULT_ASSERT)
        return false;
    bool by_exit =
        r == RESULT_SUCCESS || r == RESULT_EXIT_CODE || r == RESULT_SIGNAL || r == RESULT_CORE_DUMP;
    if (by_exit && status_in(&unit_status(u)->restart_prevent, wait_status))
        return false;
    if (by_exit && status_in(&unit_status(u)->restart_force, wait_status))
        return true;

    switch (u->restart) {
    case RESTART_NO:
        return false;
    case RESTART_ALWAYS:
        return true;
    case RESTART_ON_SUCCESS:
        return r == RESULT_SUCCESS;
    case RESTART_ON_FAILURE:
        return r != RESULT_SUCCESS;
    case RESTART_ON_ABNORMAL:
        return r != RESULT_SUCCESS && r != RESULT_EXIT_CODE;
    case RESTART_ON_ABORT:
        return r == RESULT_SIGNAL || r == RESULT_CORE_DUMP;
    case RESTART_ON_WATCHDOG:
        return r == RESULT_WATCHDOG;
    }
    return false;
}

/* libm is not linked into pxinit, and the delay needs a real-valued power,
 * so these two cover the range it is used on: ln for x >= 1, exp for y >= 0,
 * both far below 2^64. */
#define RESTART_LN2 0.693147180559945309417232121458176568L

static long double restart_ln(long double x)
{
    long double z, z2, term, sum = 0.0L;
    unsigned k = 0;

    while (x >= 2.0L) {
        x /= 2.0L;
        k++;
    }
    /* ln x = 2 atanh((x-1)/(x+1)); |z| < 1/3 here, so the series is quick. */
    z = (x - 1.0L) / (x + 1.0L);
    z2 = z * z;
    term = z;
    for (unsigned i = 1; i < 200; i += 2) {
        long double add = term / i;
        if (add < 1e-22L)
            break;
        sum += add;
        term *= z2;
    }
    return k * RESTART_LN2 + 2.0L * sum;
}

static long double restart_exp(long double y)
{
    unsigned k = 0;
    long double r, term = 1.0L, sum = 1.0L;

    while (y >= RESTART_LN2 && k < 128) {
        y -= RESTART_LN2;
        k++;
    }
    r = y;
    for (unsigned i = 1; i < 60; i++) {
        term *= r / i;
        sum += term;
        if (term < 1e-22L)
            break;
    }
    while (k-- > 0)
        sum *= 2.0L;
    return sum;
}

/* systemd.service(5), RestartSteps=: the delays form a geometric series from
 * RestartSec= whose ratio is (RestartMaxDelaySec/RestartSec)^(1/RestartSteps),
 * so restart n waits RestartSec * ratio^(n-1) and restart RestartSteps+1 and
 * later wait RestartMaxDelaySec. It only applies when RestartMaxDelaySec= is
 * finite, RestartSec= is not zero and below the maximum. systemd truncates
 * the product; rounding instead makes its documented example (10s, 20s, 40s,
 * 80s, 160s) come out exact despite the series approximations above. */
uint64_t restart_delay_usec(const struct unit *u, unsigned n)
{
    uint64_t base = u->restart_usec, max = u->restart_max_delay_usec;
    long double v;

    if (n <= 1 || u->restart_steps == 0 || base == 0 || max == USEC_INFINITY || base >= max)
        return base;
    if (n > u->restart_steps)
        return max;

    v = (long double)base *
        restart_exp(restart_ln((long double)max / (long double)base) * (n - 1) / u->restart_steps);
    v += 0.5L;
    if (v >= (long double)max)
        return max;
    if (v <= (long double)base)
        return base;
    return (uint64_t)v;
}

/* As systemd's ratelimit: a window opens at the first attempt and lasts
 * interval; attempts beyond burst inside it are refused, and refused ones
 * still count, so hammering does not help. The window only moves on once
 * interval has passed since it opened. count == 0 marks "no window", so time 0
 * is a valid timestamp. */
bool start_limit_allow(struct start_limit *sl, const struct unit *u, uint64_t now_usec)
{
    uint64_t interval = u->start_limit_interval_usec;
    unsigned burst = u->start_limit_burst;

    if (interval == 0 || burst == 0)
        return true;
    if (sl->count == 0 ||
        (now_usec > sl->window_begin_usec && now_usec - sl->window_begin_usec > interval)) {
        sl->window_begin_usec = now_usec;
        sl->count = 1;
        return true;
    }
    if (sl->count < UINT_MAX)
        sl->count++;
    return sl->count <= burst;
}

void start_limit_reset(struct start_limit *sl)
{
    sl->window_begin_usec = 0;
    sl->count = 0;
}
