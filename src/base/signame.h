/* signame.h - signal names and numbers, as users write them everywhere
 * (KillSignal=, --rewrite, kill -s): "TERM", "SIGTERM", "sigterm", "15",
 * "RTMIN+3", "SIGRTMAX-1".
 *
 * Two halves: signame_table.c holds the names and needs no C library (the
 * libc-free `pxinit status` path, fastpath.c, prints a unit's last signal
 * with it); signame.c parses and asks the library for SIGRTMIN/SIGRTMAX.
 */
#ifndef PXINIT_SIGNAME_H
#define PXINIT_SIGNAME_H

/* Returns the signal number, or -1 when s names no valid signal (0 is not a valid signal). */
int signal_from_string(const char *s);
/* "TERM" for 15 (no SIG prefix), "RTMIN+3", or "?" when unknown; static storage. */
const char *signal_to_name(int sig);

/* glibc's SIGRTMIN and SIGRTMAX on Linux (it keeps the first two real-time
 * signals for itself), for code that runs before the library can be asked;
 * check_status_line compares them with the library's. */
#define SIGNAME_LIBC_RTMIN 34
#define SIGNAME_LIBC_RTMAX 64

/* The libc-free half (signame_table.c). */
/* The number of a signal's name without "SIG" ("term", any case), not
 * counting the real-time ones; -1 when none. */
int signame_number(const char *name);
/* signal_to_name() with the real-time range given. */
const char *signame_of(int sig, int rtmin, int rtmax);

#endif
