/* job_queue.h - the boot and shutdown jobs: every unit is started (boot)
 * or stopped (shutdown) once the units it is ordered after (before) are
 * done, in parallel where After=/Before= allow. Units whose job can be
 * issued now wait in a queue that is drained iteratively: starting one unit
 * may finish its job at once and make the next one ready. */
#ifndef PXINIT_JOB_QUEUE_H
#define PXINIT_JOB_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

struct pxinit;
struct service;

struct job_queue; /* px->jobq: its state is in pxinit.h */

/* Room for n units (before the unit table grows to n). 0, or -1 (ENOMEM). */
int job_queue_reserve(struct job_queue *q, size_t n);

/* Starts every unit of the table, in start order where they are ready. */
void job_queue_boot(struct pxinit *px);
/* Stops every unit in reverse order; stop_pending reaches 0 once all did
 * (phase_step() looks). */
void job_queue_stop_all(struct pxinit *px);
/* s changed state (svc_ops.changed): its job may be done. */
void job_queue_changed(struct pxinit *px, struct service *s);

void job_queue_free(struct job_queue *q);

#endif
