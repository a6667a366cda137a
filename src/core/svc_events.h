/* svc_events.h - the log lines of a unit's state changes (svc_events.c). */
#ifndef PXINIT_SVC_EVENTS_H
#define PXINIT_SVC_EVENTS_H

#include <stdbool.h>

#include "core/service.h"

/* Logs s's change from old: every change at info, and at notice (warning for
 * a failure) one line for an event a user wants to see: started, finished,
 * stopped, exited, restarting, failed. quiet moves the notice lines but
 * failures to info (a shutdown's stops, an Accept=yes connection's instance). */
void svc_log_changed(const struct service *s, enum svc_sub old, bool quiet);

#endif
