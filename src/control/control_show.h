/* control_show.h - the `show` and `reset-failed` requests (doc/protocol.md),
 * beside control_verbs.c's table that calls them. */
#ifndef PXINIT_CONTROL_SHOW_H
#define PXINIT_CONTROL_SHOW_H

struct ctl_client;

/* show [-p PROP[,PROP...]]... [--all-units | UNIT...] (control_show.c) */
void ctl_verb_show(struct ctl_client *c, int argc, char **argv);
/* reset-failed [UNIT...] (control_reset.c) */
void ctl_verb_reset_failed(struct ctl_client *c, int argc, char **argv);

#endif
