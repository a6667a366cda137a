/* mainproc.h - the main command (pxinit -- COMMAND): tini's job. */
#ifndef PXINIT_MAINPROC_H
#define PXINIT_MAINPROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "run/pxinit.h"

/* Records the mask and dispositions pxinit was launched with (the main command
 * gets them back), then unblocks everything for pxinit itself. Call first. */
void mainproc_save_launch(struct pxinit *px);
/* Marks every fd above 2 that pxinit inherited close-on-exec and remembers
 * it for the main command (keep), or closes it at once (no main command). */
void mainproc_adopt_fds(struct pxinit *px, bool keep);
/* Forks and execs the command in its own session. On failure to fork, the
 * main counts as exited with status 1. */
void mainproc_start(struct pxinit *px);
/* True while it runs. */
bool mainproc_alive(const struct pxinit *px);
/* Reaped: records the exit code (128+N for a signal, 127/126 when it could
 * not be executed, remapped by -e) and main.exited, which phase_step() acts
 * on. */
void mainproc_exited(struct pxinit *px, int status);
/* Forwards sig (after --rewrite) to its process group, or to it alone with
 * --single-child; never once it was reaped. Returns 0 or -1 with errno
 * (ESRCH when nobody is left to signal). No logging, allocation or loop
 * calls. */
int mainproc_signal(struct pxinit *px, int sig);
/* mainproc_signal() from the loop, logging failures. */
void mainproc_forward(struct pxinit *px, int sig);
/* Arms the SIGKILL to its group after --grace (the caller sent the stop signal). */
void mainproc_terminate(struct pxinit *px);

#endif
