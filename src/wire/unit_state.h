/* unit_state.h - the words of a unit's state, and their codes.
 *
 * The one table of systemd's active states (inactive, activating, ...) and
 * sub-states (running, auto-restart, ...). A code is the position of its
 * word here: the daemon's state machine keeps its enums equal to these codes
 * (core/service.c checks it at compile time), the status board stores the
 * codes (doc/status-board.md), and everything that prints a state (the log,
 * the socket's `unit` lines, the client, the libc-free status path) names a
 * code through this table. Append only: a code on the board must keep its
 * word.
 *
 * Freestanding (no library calls, no tables of pointers): the libc-free
 * `pxinit status UNIT` path (client/fastpath.c) links it too.
 */
#ifndef PXINIT_UNIT_STATE_H
#define PXINIT_UNIT_STATE_H

#include <stdint.h>

enum unit_state_code {
    UNIT_STATE_INACTIVE,
    UNIT_STATE_ACTIVATING,
    UNIT_STATE_ACTIVE,
    UNIT_STATE_DEACTIVATING,
    UNIT_STATE_FAILED,
    UNIT_STATE__COUNT,
};

enum unit_sub_code {
    UNIT_SUB_DEAD,
    UNIT_SUB_START_PRE,
    UNIT_SUB_START,
    UNIT_SUB_START_POST,
    UNIT_SUB_RUNNING,
    UNIT_SUB_EXITED,
    UNIT_SUB_STOP,
    UNIT_SUB_STOP_SIGTERM,
    UNIT_SUB_STOP_SIGKILL,
    UNIT_SUB_STOP_POST,
    UNIT_SUB_FINAL_SIGTERM,
    UNIT_SUB_FINAL_SIGKILL,
    UNIT_SUB_FAILED,
    UNIT_SUB_AUTO_RESTART,
    UNIT_SUB_CONDITION,
    UNIT_SUB_RELOAD,
    UNIT_SUB_MASKED,    /* only in the socket's reply for a masked unit, never on the board */
    UNIT_SUB_ACTIVE,    /* a target's "running" */
    UNIT_SUB_WAITING,   /* a timer armed, its unit not triggered yet */
    UNIT_SUB_ELAPSED,   /* a timer that will not elapse again (RemainAfterElapse=yes) */
    UNIT_SUB_LISTENING, /* a socket with its fds open, waiting for traffic */
    UNIT_SUB_STOP_PRE,  /* a socket's ExecStopPre= */
    UNIT_SUB__COUNT,
};

/* A code that stands for no word (read as "unknown"). */
#define UNIT_CODE_NONE 255u
/* Bytes of the longest word, NUL included. */
#define UNIT_WORD_MAX 16u

/* The word of a code, "unknown" for UNIT_CODE_NONE or a code beyond the
 * table (a newer daemon's). */
const char *unit_state_name(unsigned code);
const char *unit_sub_name(unsigned code);
/* The code of a word, UNIT_CODE_NONE when it is none of them. */
uint8_t unit_state_code(const char *word);
uint8_t unit_sub_code(const char *word);

#endif
