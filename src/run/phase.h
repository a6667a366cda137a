/* phase.h - the daemon's life: boot units, start the main command, run, stop
 * units in reverse order, signal whatever is left, wait for it, exit. */
#ifndef PXINIT_PHASE_H
#define PXINIT_PHASE_H

#include "run/pxinit.h"

/* Every unit's start job finished: start the main command, if any. */
void phase_boot_done(struct pxinit *px);
/* Begin shutting down (idempotent). pxinit exits 0, or with the main
 * command's status when there is one. */
void phase_shutdown(struct pxinit *px);
/* SuccessAction=/FailureAction=exit: shut down and exit with code, whatever
 * the main command does. */
void phase_exit_with(struct pxinit *px, int code);
/* The main command was reaped: stop the units. */
void phase_main_exited(struct pxinit *px);
/* Every unit is stopped: signal the rest and wait. */
void phase_units_stopped(struct pxinit *px);
/* A child was reaped: in the final phase, check whether anything is left. */
void phase_reaped(struct pxinit *px);

#endif
