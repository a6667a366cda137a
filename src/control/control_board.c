/* control_board.c - the status board's publisher: every unit's record
 * ($RUNTIME_DIR/status, doc/status-board.md) written as it changes, so that
 * `pxinit status` reads it without a request to PID 1. The same record is
 * what the socket's `unit` lines show (and, for a timer, its `timer` line).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "control/control_int.h"
#include "base/log.h"
#include "core/timer.h"
#include "core/unit_type.h"

void ctl_unit_record(struct ctl *ctl, struct service *s, struct sb_unit *out)
{
    struct sb_unit u;
    memset(&u, 0, sizeof(u));
    snprintf(u.name, sizeof(u.name), "%s", s->name);
    u.state = unit_state_of(s); /* the codes are wire/unit_state.h's */
    u.sub = unit_sub_of(s);
    u.pid = s->main.pid > 0 ? s->main.pid : -1;
    u.pgid = s->main.pgid > 0 ? s->main.pgid : s->control.pgid > 0 ? s->control.pgid : -1;
    u.restarts = s->restarts;
    u.exit_code = u.exit_signal = -1;
    if (s->have_exit) {
        if (WIFEXITED(s->last_status))
            u.exit_code = WEXITSTATUS(s->last_status);
        else if (WIFSIGNALED(s->last_status))
            u.exit_signal = WTERMSIG(s->last_status);
    }
    /* since_usec is ev_now()'s, which is wall-clock time: Unix seconds as
     * they are, so the board and the socket give the same value (a
     * conversion through "now" used to drift by a second between them). */
    if (s->since_usec)
        u.since = (int64_t)(s->since_usec / 1000000u);
    /* A timer has no processes: its record carries its elapses instead
     * (doc/status-board.md). */
    struct timer_view tv;
    if (timer_view_of(s, &tv)) {
        u.timer = true;
        u.pid = u.pgid = u.exit_code = u.exit_signal = -1;
        u.restarts = 0;
        u.next_elapse = tv.next_elapse <= INT64_MAX ? (int64_t)tv.next_elapse : 0;
        u.last_trigger = tv.last_trigger <= INT64_MAX ? (int64_t)tv.last_trigger : 0;
        if (tv.activates)
            snprintf(u.activates, sizeof(u.activates), "%s", tv.activates);
    }
    *out = u;
}

void ctl_publish(struct ctl *ctl, struct service *s)
{
    if (!ctl || s->board_slot < 0)
        return;
    struct sb_unit u;
    ctl_unit_record(ctl, s, &u);
    if (sb_publish(&ctl->board, s->board_slot, &u) < 0)
        log_warn("cannot write the status board %s; it is removed, status goes through the socket",
                 ctl->board_path);
}

void ctl_board_open(struct ctl *ctl)
{
    struct pxinit *px = ctl->px;
    if (sb_create(&ctl->board, ctl->board_path, CTL_BOARD_MODE) < 0) {
        log_warn("cannot create the status board %s; status goes through the socket",
                 ctl->board_path);
        return;
    }
    for (size_t i = 0; i < px->table.n; i++) {
        px->table.svc[i]->board_slot = sb_slot_alloc(&ctl->board);
        ctl_publish(ctl, px->table.svc[i]);
    }
}
