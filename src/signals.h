/* signals.h - what pxinit does with the signals it receives. */
#ifndef PXINIT_SIGNALS_H
#define PXINIT_SIGNALS_H

#include "pxinit.h"

/* Records the mask and dispositions pxinit was launched with (the main command
 * gets them back), then unblocks everything for pxinit itself. Call first. */
void signals_save_launch(struct pxinit *px);
/* Ignores SIGPIPE/SIGTTIN/SIGTTOU (and SIGTSTP without a main command),
 * blocks every signal pxinit honours or forwards and SIGCHLD, and reads them
 * from one signalfd in the loop. Returns 0, or -1 with errno. */
int signals_start(struct pxinit *px);
void signals_stop(struct pxinit *px);

#endif
