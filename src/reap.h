/* reap.h - every child of pxinit reaped, at a cost per exit that does not
 * grow with the number of children. See reap.c for how. */
#ifndef PXINIT_REAP_H
#define PXINIT_REAP_H

#include <ev.h>
#include <sys/types.h>

struct pxinit;

/* Called once per reaped pid with its wait status (as from waitpid). */
typedef void reap_fn(struct pxinit *px, pid_t pid, int status);

struct reaper {
    reap_fn *fn;
    int epfd;          /* epoll set of the pidfds of processes pxinit knows */
    ev_io ep_io;
    ev_timer sweep;    /* the catch-all waitpid(-1), at most once per gap */
    ev_tstamp last_sweep;
    ev_tstamp gap;     /* between sweeps: grows while they find nothing */
    unsigned long sweeps; /* for tests and debugging */
};

/* Opens the epoll set of pidfds and schedules a first sweep for children that
 * died before. SIGCHLD itself is read by signals.c. Returns 0, or -1 with
 * errno. */
int reap_start(struct pxinit *px, reap_fn *fn);
/* A SIGCHLD's siginfo: reaps the child it names, and sweeps for others. */
void reap_sigchld(struct pxinit *px, pid_t pid, int code);
/* pid, a known child, will be reaped as soon as its pidfd reports its exit.
 * Best effort: without it the SIGCHLD and the sweep still reap it. */
void reap_watch(struct pxinit *px, pid_t pid, int pidfd);
void reap_stop(struct pxinit *px);

#endif
