/* client.h - the client role: pxinit start|stop|status|... (wire/verbs.h
 * lists the verbs). */
#ifndef PXINIT_CLIENT_H
#define PXINIT_CLIENT_H

#include <stdbool.h>

/* True when argv selects the client role: a verb, perhaps after -R DIR. */
bool client_role(int argc, char **argv);
/* Runs the verb; returns the process exit code (SPEC: 0..5). */
int client_main(int argc, char **argv);

#endif
