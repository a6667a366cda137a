/* signame.h - signal names and numbers, as users write them everywhere
 * (KillSignal=, --rewrite, kill -s): "TERM", "SIGTERM", "sigterm", "15",
 * "RTMIN+3", "SIGRTMAX-1". */
#ifndef PXINIT_SIGNAME_H
#define PXINIT_SIGNAME_H

/* Returns the signal number, or -1 when s names no valid signal (0 is not a valid signal). */
int signal_from_string(const char *s);
/* "TERM" for 15 (no SIG prefix), "RTMIN+3", or "?" when unknown; static storage. */
const char *signal_to_name(int sig);

#endif
