/* tty.h - the main command and the controlling terminal (docker run -it). */
#ifndef PXINIT_TTY_H
#define PXINIT_TTY_H

#include <stdbool.h>
#include <sys/types.h>

enum tty_mode {
    TTY_MODE_NONE,       /* stdin is no terminal: nothing is attempted */
    TTY_MODE_SESSION,    /* the main takes the terminal in its own session */
    TTY_MODE_FOREGROUND, /* the main gets its own group, in the foreground of
                            the session pxinit was started in */
    TTY_MODE_BACKGROUND, /* the same, but pxinit was in the background: stay there */
};

/* Decides how the main command gets the terminal on stdin. When pxinit leads
 * the terminal's session (PID 1 of docker run -it), it gives the terminal up
 * (TIOCNOTTY) so the main can take it, swallowing the SIGHUP and SIGCONT the
 * kernel sends for that. Call before the signal watchers start. */
enum tty_mode tty_prepare(void);

/* The main command in TTY_MODE_FOREGROUND exited: take the foreground back
 * for pxinit's group, so the shell that started pxinit finds it as it left it. */
void tty_restore(enum tty_mode mode, pid_t main_pgrp);

/* Whether the main's process group is orphaned (its own session): the kernel
 * discards SIGTSTP/SIGTTIN/SIGTTOU there, so they are forwarded as SIGSTOP. */
bool tty_main_orphaned(enum tty_mode mode);

#endif
