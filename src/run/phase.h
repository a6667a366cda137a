/* phase.h - the daemon's life: boot units, start the main command, run, stop
 * units in reverse order, signal whatever is left, wait for it, exit; and
 * what each signal pxinit takes means for it. */
#ifndef PXINIT_PHASE_H
#define PXINIT_PHASE_H

#include <signal.h>
#include <stdbool.h>

#include "run/pxinit.h"

/* Looks at the state the rest of the daemon recorded - every start job done
 * (boot_pending), the main command's exit (main.exited), an exit action
 * (exit_code_fixed), every unit stopped (stop_pending) - and moves on to the
 * next phase, as often as that leads on. Called by main.c after each loop
 * iteration. Returns true when it did anything (the loop must poll before
 * it sleeps: watchers changed). */
bool phase_step(struct pxinit *px);
/* Begin shutting down (idempotent). pxinit exits 0, or with the main
 * command's status when there is one. */
void phase_shutdown(struct pxinit *px);
/* A signal pxinit took (signals.c; SIGCHLD goes to reap.c): forwarded to the
 * main command while it runs, else SIGTERM/SIGINT shut down and SIGHUP
 * reloads. Returns true when it was only forwarded, changing nothing the
 * loop watches (signals_fn). */
bool phase_signal(struct pxinit *px, int sig);
/* The job control signals pxinit ignores rather than takes, given the main
 * command and its terminal (signals_start()'s ignored). */
void phase_signals_ignored(const struct pxinit *px, sigset_t *set);
/* A child was reaped: in the final phase, check whether anything is left. */
void phase_reaped(struct pxinit *px);

#endif
