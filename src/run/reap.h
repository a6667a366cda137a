/* reap.h - every child of pxinit reaped, at a cost per exit that does not
 * grow with the number of children. See reap.c for how. */
#ifndef PXINIT_REAP_H
#define PXINIT_REAP_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct pxinit;

/* Called once per reaped pid with its wait status (as from waitpid). */
typedef void reap_fn(struct pxinit *px, pid_t pid, int status);

/* Intermediates remembered as reaped by pid (reap.c: expect_done). */
#define REAP_EXPECT_DONE 8

struct reaper {
    reap_fn *fn;
    int epfd; /* epoll set of the pidfds of processes pxinit knows */
    ev_io ep_io;
    ev_timer sweep; /* the catch-all waitpid(-1), at most once per gap */
    ev_tstamp last_sweep;
    ev_tstamp gap;        /* between sweeps: grows while they find nothing */
    unsigned long sweeps; /* for tests and debugging */
    size_t npidfds;       /* pidfds opened through reap_pidfd_open() and not closed */
    size_t fd_room;       /* optional descriptors stay below this (half the limit) */
    pid_t *expect;        /* children about to exit (spawn intermediates), reaped by pid */
    size_t nexpect, expect_cap;
    bool expecting; /* inside reap_expected() */
    /* The last intermediates reap_expected() reaped: their SIGCHLDs come
     * after, naming a pid gone for a known reason, no sign of a merge. */
    pid_t expect_done[REAP_EXPECT_DONE];
    unsigned expect_done_next;
};

/* pid is a child that exits at once (a spawn's intermediate): it is reaped by
 * pid at the next spawn, SIGCHLD or sweep, not left to a sweep's walk over
 * every child (quadratic when thousands of SIGCHLDs merged during a boot). */
void reap_expect(struct pxinit *px, pid_t pid);

/* Opens the epoll set of pidfds and schedules a first sweep for children that
 * died before. SIGCHLD itself is read by signals.c. Returns 0, or -1 with
 * errno. */
int reap_start(struct pxinit *px, reap_fn *fn);
/* A SIGCHLD's siginfo: reaps the child it names, and sweeps for others. */
void reap_sigchld(struct pxinit *px, pid_t pid, int code);
/* pid, a known child, will be reaped as soon as its pidfd reports its exit.
 * Best effort: without it the SIGCHLD and the sweep still reap it. */
void reap_watch(struct pxinit *px, pid_t pid, int pidfd);
/* A pidfd for pid, watched as reap_watch() does, or -1. For a child pxinit
 * spawned (own_child) a pidfd is optional and only opened while the
 * descriptors pxinit holds per unit stay below half its RLIMIT_NOFILE: the
 * pid cannot be reused before pxinit reaps it, so it is signalled by pid and
 * reaped through its SIGCHLD or the sweep. Any other process (MAINPID=,
 * PIDFile=) always gets one if it can: only the pidfd pins it. */
int reap_pidfd_open(struct pxinit *px, pid_t pid, bool own_child);
/* 1 while the pidfd set is watched and whatever it reports comes as a
 * SIGCHLD too (signals_sleep()), else 0. */
int reap_signalled_watchers(struct pxinit *px);
/* Closes a pidfd reap_pidfd_open() gave (and sets *pidfd to -1). */
void reap_pidfd_close(struct pxinit *px, int *pidfd);
void reap_stop(struct pxinit *px);

#endif
