/* client.h - the control verbs (pxinit start|stop|status|...). */
#ifndef PXINIT_CLIENT_H
#define PXINIT_CLIENT_H

#include <stdbool.h>

/* True when word is a control verb, so argv[1] selects the client role. */
bool client_is_verb(const char *word);
/* The verb a mistyped word most likely meant, or NULL when none is close. */
const char *client_closest_verb(const char *word);
/* True when argv selects the client role: a verb, perhaps after -R DIR. */
bool client_role(int argc, char **argv);
/* Runs the verb; returns the process exit code (SPEC: 0..5). */
int client_main(int argc, char **argv);

#endif
