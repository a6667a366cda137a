/* tricks.h - the switches of pxinit's speed tricks.
 *
 * Each trick (doc/DESIGN.md, "Speed tricks") lives in one file with the
 * plain way beside it, and this switch picks between them. PXINIT_PLAIN in
 * the daemon's environment turns tricks off: "all" (or "1") every one, else
 * a comma-separated list of names ("clone-vm,sigwait"). CI runs the whole
 * suite once with PXINIT_PLAIN=all. The pre-libc status entry has its own
 * switches (configure --disable-fast-status, PXINIT_FAST_STATUS=0) and reads
 * PXINIT_PLAIN itself, since it runs before getenv() can.
 */
#ifndef PXINIT_TRICKS_H
#define PXINIT_TRICKS_H

#include <stdbool.h>

enum trick {
    TRICK_CLONE_VM,    /* "clone-vm": spawn through a CLONE_VM|CLONE_VFORK intermediate */
    TRICK_SIGWAIT,     /* "sigwait": sleep in sigwaitinfo, sockets raising O_ASYNC signals */
    TRICK_TIMERFD,     /* "timerfd": libev watches the clock with a timerfd (no 60 s tick) */
    TRICK_PIPE_REOPEN, /* "pipe-reopen": output pipes' write ends reopened via /proc/self/fd */
    TRICK__COUNT,
};

/* The trick's name as PXINIT_PLAIN spells it. */
const char *trick_name(enum trick t);
/* Whether the trick is on: not named by PXINIT_PLAIN (read once). */
bool trick_on(enum trick t);
/* For tests: parse SPEC as PXINIT_PLAIN would be, replacing what was read. */
void trick_configure(const char *spec);

#endif
