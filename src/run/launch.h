/* launch.h - starting a unit's command and following its spawn report. */
#ifndef PXINIT_LAUNCH_H
#define PXINIT_LAUNCH_H

#include <stdbool.h>

#include "run/pxinit.h"
#include "core/service.h"

/* The svc_ops spawn operation: resolves User=/Group=, builds the environment
 * and argv, opens output files and double-forks. The pid arrives later, from
 * the loop (svc_proc_started). Returns 0, or -1 with errno. */
int launch_command(struct service *s, const struct exec_command *cmd, bool is_main);

/* Reads what the job's report holds without blocking; at its end (EOF)
 * delivers exec success or failure to the service and frees the job (returns
 * true then). */
bool launch_job_drain(struct pxinit *px, struct spawn_job *job);
/* The same for every job in flight (a reaped pid may still sit in a report). */
void launch_drain_all(struct pxinit *px);
void launch_job_free(struct pxinit *px, struct spawn_job *job);

#endif
