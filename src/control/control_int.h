/* control_int.h - what the control modules share: the server state
 * (control.c), its connections (control_client.c), the status board
 * (control_board.c), the verbs and waiting jobs (control_verbs.c),
 * daemon-reload (control_reload.c), socket units' lines
 * (control_sockets.c). Not for use outside them. */
#ifndef PXINIT_CONTROL_INT_H
#define PXINIT_CONTROL_INT_H

#include <ev.h>
#include <stdbool.h>
#include <sys/types.h>

#include "output/output.h"
#include "wire/protocol.h"
#include "run/pxinit.h"
#include "run/unit_table.h"
#include "wire/status_board.h"

#define CTL_MAX_CLIENTS 64
#define CTL_IDLE_TIMEOUT 10.0     /* seconds a client may sit without progress */
#define CTL_EVICT_IDLE 0.1        /* ... and, at the cap, before a new one may evict it */
#define CTL_MAX_OUTPUT (8u << 20) /* bytes of reply kept for a slow reader */
#define CTL_SOCKET_MODE 0666      /* SO_PEERCRED is the gate: see doc/protocol.md */
#define CTL_BOARD_MODE 0644

enum ctl_job_kind {
    CTL_JOB_START,
    CTL_JOB_STOP,
    CTL_JOB_RESTART,
    CTL_JOB_RELOAD,
};

/* A client waiting for a unit to reach a state. */
struct ctl_job {
    struct service *s;
    enum ctl_job_kind kind;
    bool done;
};

struct ctl;
struct ctl_dispatcher;

struct ctl_client {
    struct ctl *ctl;
    int fd;
    ev_io io;
    int io_events; /* what io is started for */
    ev_timer idle;
    uid_t uid;
    pid_t pid;
    bool allowed;
    bool eof;     /* the peer shut down its side */
    bool closing; /* close once the output is written */
    bool busy;    /* a request is being handled or waits for jobs */
    bool in_dispatch;
    char in[PROTO_MAX_REQUEST];
    size_t inlen;
    char *out;
    size_t outlen, outoff, outcap;
    struct ctl_job *jobs;
    size_t njobs;
    int code;                                   /* exit code of the request so far */
    struct output_follower follow;              /* logs -f */
    struct ctl_journal *journal;                /* journal -f: its followers (control_journal.c) */
    void (*journal_free)(struct ctl_client *c); /* stops that follow, when c goes */
    bool following;
    struct ctl_client *next, *prev;
};

struct ctl {
    struct pxinit *px;
    const struct ctl_dispatcher *dispatcher; /* where requests go (control.h) */
    char *sock_path, *board_path;
    int listen_fd;
    ev_io listen_io;
    ev_timer accept_pause; /* accept stopped briefly after EMFILE/ENOMEM, or at the cap */
    bool full_pause;       /* stopped at the cap: the next client_free() resumes it */
    int reserve_fd;        /* given up to accept and drop a client on EMFILE */
    struct status_board board;
    struct ctl_client *clients;
    unsigned nclients;
    ev_idle settle;        /* after changes: waiting jobs */
    ev_tstamp deny_window; /* rate limit of permission-denied log lines */
    unsigned deny_count;
};

/* control.c */
void ctl_settle_soon(struct ctl *ctl);

/* control_client.c */
/* A connection accepted on the listening socket: checked, then read. */
void ctl_client_new(struct ctl *ctl, int fd);
void ctl_client_free(struct ctl_client *c);
void ctl_reply(struct ctl_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An error line; the request's exit code becomes code unless one is set. */
void ctl_error(struct ctl_client *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Ends the current request: writes "end CODE", resumes reading. */
/* Appends "line TEXT" (control characters shown as '?', UTF-8 kept) and
 * sends it without waiting for the request to end (logs, logs -f). */
void ctl_reply_line(struct ctl_client *c, const char *text, size_t len);
void ctl_request_done(struct ctl_client *c);
/* A follow (logs -f, journal -f) ends because its unit went away, inside
 * output's walk of that unit's followers: the request ends, and what the
 * client sent behind it is read from the loop, not from there. */
void ctl_follow_end(struct ctl_client *c);
/* Appends len bytes as they are (whole lines, newline included: the
 * journal's entry lines) and sends them without waiting for the request
 * to end. Returns false when c was dropped (a follower too slow). */
bool ctl_reply_raw(struct ctl_client *c, const char *s, size_t len);

/* control_board.c */
/* Creates the board (ctl->board_path) and publishes every loaded unit. */
void ctl_board_open(struct ctl *ctl);
void ctl_publish(struct ctl *ctl, struct service *s);
/* The record of s as the board and `unit` lines show it. */
void ctl_unit_record(struct ctl *ctl, struct service *s, struct sb_unit *out);

/* control_sockets.c */
struct socket_view;
/* The `socket` line and the `listen` lines of the socket name whose view
 * is v, each given to emit (without its newline). */
void ctl_socket_lines(const char *name, const struct socket_view *v,
                      void (*emit)(void *ctx, const char *line), void *ctx);
/* After a socket's `unit` line: its `socket` and `listen` lines (nothing
 * for other units). */
void ctl_reply_socket(struct ctl_client *c, struct service *s);
/* The list-sockets request. */
void ctl_verb_list_sockets(struct ctl_client *c, int argc, char **argv);

/* control_journal.c */
struct ctl_journal;
/* The journal request (journalctl). */
void ctl_verb_journal(struct ctl_client *c, int argc, char **argv);

/* control_reload.c */
/* Adds the instance u (made from its template) to the unit table; NULL
 * without memory (u is freed then). */
struct service *ctl_instance_add(struct ctl *ctl, struct unit *u);
/* Re-reads the unit files; c (may be NULL) gets the report. Returns the exit code. */
int ctl_daemon_reload(struct ctl *ctl, struct ctl_client *c);
/* What the control plane does when the unit table changes (ctx: the ctl). */
extern const struct unit_table_watch ctl_table_watch;

#endif
