/* verbs.h - the control verbs, one table for the client and the daemon.
 *
 * A verb's name and what the client and the daemon need to know about it:
 * whether it is a word of pxinit's command line (and so selects the client
 * role), whether it needs the daemon, what arguments it takes, whether its
 * answer waits for a job. client/ parses argv with it, config/options.c
 * tells a mistyped verb from a main command with it, and control/ finds its
 * handler by the verb's id (doc/protocol.md lists the requests).
 *
 * Freestanding (no library calls, no tables of pointers), like the other
 * code the libc-free status path (client/fastpath.c) links.
 */
#ifndef PXINIT_VERBS_H
#define PXINIT_VERBS_H

#include <stdbool.h>

/* In the order a mistyped word is matched against them (verb_closest). */
enum verb_id {
    VERB_START,
    VERB_STOP,
    VERB_RESTART,
    VERB_RELOAD,
    VERB_KILL,
    VERB_STATUS,
    VERB_LIST,
    VERB_LOGS,
    VERB_DAEMON_RELOAD,
    VERB_SHUTDOWN,
    VERB_CHECK,
    VERB_CALENDAR,
    VERB_PING,
    VERB_LIST_TIMERS,
    VERB_LIST_SOCKETS,
    VERB_RESET_FAILED,
    VERB_SHOW,    /* request only: systemctl show/status/list-units ask with it */
    VERB_JOURNAL, /* request only: journalctl asks with it */
    VERB__COUNT,
};

enum verb_flag {
    VERB_OFFLINE = 1u << 0, /* the client answers alone (check): no daemon, never sent */
    VERB_HIDDEN = 1u << 1,  /* a request only (ping): no word of the command line */
    VERB_UNITS = 1u << 2,   /* wants one unit or more */
    VERB_NO_ARGS = 1u << 3, /* takes no argument */
    VERB_WAITS = 1u << 4,   /* answered when its jobs end: no time limit unless --timeout */
    VERB_BOARD = 1u << 5,   /* answered from the status board when it can be */
};

/* Longest name, NUL included. */
#define VERB_NAME_MAX 16

/* The verb named word, as a request or on the command line; -1 when none. */
int verb_find(const char *word);
/* True when word is a verb of pxinit's command line, so it selects the
 * client role (SPEC "One binary, two roles"). */
bool verb_is_command(const char *word);
/* The name of v ("daemon-reload"); "" when v is no verb. */
const char *verb_name(enum verb_id v);
/* True when v has every flag in flags (enum verb_flag, or'ed). */
bool verb_has(enum verb_id v, unsigned flags);
/* The command-line verb a mistyped word most likely meant, or NULL when none
 * is close: one edit (insert, delete, change, swap of neighbours) for a verb
 * of up to five letters, two for a longer one. */
const char *verb_closest(const char *word);

#endif
