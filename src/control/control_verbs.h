/* control_verbs.h - the verbs of the control socket (doc/protocol.md), as the
 * dispatcher main.c hands to control_start(). */
#ifndef PXINIT_CONTROL_VERBS_H
#define PXINIT_CONTROL_VERBS_H

#include "control/control.h"

/* ping, status, list, start, stop, restart, reload, kill, daemon-reload,
 * shutdown, logs; daemon-reload's settling and teardown (control_reload.c). */
extern const struct ctl_dispatcher ctl_verbs;

#endif
