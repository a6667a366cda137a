/* timer_run.h - timer units in the running daemon: the real timer ops
 * (clocks, the unit a timer starts, Persistent= stamps), the triggered
 * units' state changes carried to their timers, and the units that only
 * a timer starts.
 *
 * A timer's runtime (core/timer.h's struct timer_rt, with its clock
 * entries) is allocated beside its record when the unit table makes it;
 * other units pay nothing. The clocks and the index of triggered units
 * are made with the first timer (px->timers stays NULL without one).
 */
#ifndef PXINIT_TIMER_RUN_H
#define PXINIT_TIMER_RUN_H

#include <stdbool.h>

#include "run/pxinit.h"

/* Gives s, a timer, its runtime (nothing for other kinds). 0, or -1
 * (ENOMEM). */
int timer_run_attach(struct pxinit *px, struct service *s);
/* Disarms and frees s's runtime (nothing for other kinds). */
void timer_run_detach(struct pxinit *px, struct service *s);

/* s changed state (svc_ops.changed): the timers that activate it hear of
 * it. */
void timer_run_unit_changed(struct pxinit *px, struct service *s, enum svc_sub old);
/* True when a loaded timer activates s: the boot does not start it. */
bool timer_run_activates(struct pxinit *px, const struct service *s);
/* The unit table or a definition in it changed (daemon-reload): the
 * index of triggered units is built again on next use. */
void timer_run_table_changed(struct pxinit *px);

void timer_run_free(struct pxinit *px);

#endif
