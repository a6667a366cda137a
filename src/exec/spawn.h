/* spawn.h - everything between fork() and exec().
 *
 * A service is started with a double fork: the intermediate child calls
 * setsid(), forks the service and exits, so the service is re-parented to
 * pxinit (PID 1 or subreaper) in its own session (which it cannot take a
 * terminal in: it is not the session leader) and its own process group, whose
 * id is its pid. pxinit never waits on the service: its preparation and exec
 * run while pxinit goes on. Where the kernel allows spawning with CLONE_VM
 * (the usual case, see spawn.c) the intermediate leaves the service's pid in
 * the spawn_handle, and the service reports a failure before exec on a pipe
 * shared by all spawns, which spawn_take_failure() reads when it is reaped;
 * a spawn that needs to know that the exec succeeded (params' async_exec
 * false) gets a pipe of its own, with {stage, errno} on failure and EOF on
 * success. Otherwise (fork()) the intermediate reports the service's pid and
 * either child a failure as {stage, errno} on a CLOEXEC pipe of the spawn's.
 * The main command (-- CMD) is forked once, so pxinit is its parent.
 * Nothing here touches the event loop; the caller reads the pipe from it.
 */
#ifndef PXINIT_SPAWN_H
#define PXINIT_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "exec/exec_sched.h"

enum spawn_stage {
    SPAWN_STAGE_FORK = 1,
    SPAWN_STAGE_SETSID,
    SPAWN_STAGE_FDS,
    SPAWN_STAGE_CHDIR,
    SPAWN_STAGE_LIMITS,
    SPAWN_STAGE_NICE,
    SPAWN_STAGE_GROUPS,
    SPAWN_STAGE_USER,
    SPAWN_STAGE_EXEC,
    SPAWN_STAGE_OOM_ADJUST,
    SPAWN_STAGE_NO_NEW_PRIVS,
    SPAWN_STAGE_SETSCHEDULER,
    SPAWN_STAGE_IOPRIO,
};

/* Exit codes of a service child that failed before exec (systemd's values). */
#define SPAWN_EXIT_CHDIR 200
#define SPAWN_EXIT_NICE 201
#define SPAWN_EXIT_FDS 202
#define SPAWN_EXIT_EXEC 203
#define SPAWN_EXIT_LIMITS 205
#define SPAWN_EXIT_OOM_ADJUST 206
#define SPAWN_EXIT_IOPRIO 211
#define SPAWN_EXIT_SETSCHEDULER 214
#define SPAWN_EXIT_NO_NEW_PRIVILEGES 231
#define SPAWN_EXIT_GROUP 216
#define SPAWN_EXIT_USER 217
#define SPAWN_EXIT_SETSID 220

enum spawn_msg_kind {
    SPAWN_MSG_PID = 1,   /* from the intermediate: the service's pid */
    SPAWN_MSG_ERROR = 2, /* from either child: stage and errno */
};

struct spawn_msg {
    int32_t kind;
    int32_t stage;
    int32_t err;
    int32_t pid;
};

#define SPAWN_FD_NULL (-3)    /* /dev/null (not -1: that is an open() failure) */
#define SPAWN_FD_INHERIT (-2) /* keep pxinit's own fd */

struct spawn_params {
    const char *path; /* what to execve() */
    char *const *argv;
    char *const *envp;
    const char *cwd;   /* NULL: "/" for services */
    bool cwd_optional; /* a missing directory is not an error */
    bool set_ids;
    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    size_t ngroups;
    mode_t umask;
    struct exec_sched sched; /* Nice=, OOMScoreAdjust=, CPU and I/O scheduling */
    bool no_new_privileges;
    const bool *limit_set; /* RLIM_NLIMITS entries, or NULL */
    const struct rlimit *limits;
    const struct rlimit *nofile;        /* RLIMIT_NOFILE unless limit_set has one, or NULL */
    int fd_out, fd_err;                 /* SPAWN_FD_*, or an fd to dup2 onto 1/2 */
    const sigset_t *sigmask;            /* the mask to exec with */
    const struct sigaction *sigactions; /* NSIG dispositions to restore, or NULL = defaults */
    bool ignore_sigpipe;                /* with sigactions NULL: SIGPIPE ignored (IgnoreSIGPIPE=) */
    bool double_fork;                   /* services: yes; the main command: no */
    bool keep_fds;                      /* the main command keeps what the launcher passed */
    bool take_tty;                      /* make fd 0's terminal the controlling one */
    bool pgrp_only;                     /* own process group in pxinit's session, no setsid */
    bool foreground;                    /* with pgrp_only: make that group fd 0's foreground */
    const int *pass_fds;                /* with !keep_fds: fds above 2 to keep open across exec */
    size_t npass_fds;
    char **pid_env_slot; /* envp entry the child replaces with pid_env_name=its pid */
    const char *pid_env_name;
    bool shell_exit_codes; /* exec failure exits 127 (ENOENT) / 126, as shells */
    /* Services: whether a failed exec may be reported when the service is
     * reaped (spawn_take_failure(), naming what) rather than on a pipe of
     * the spawn's own, whose EOF says that the exec succeeded. */
    bool async_exec;
    const char *what;
};

struct spawn_handle {
    pid_t child;   /* the direct child: the intermediate, or the process itself */
    int report_fd; /* read end, non-blocking and CLOEXEC; -1: the report is below */
    /* Spawned with CLONE_VM: the service's pid (0 when the intermediate
     * failed before it had one), and the stage and errno of the
     * intermediate's failure (stage 0: none). report_fd, if any, then
     * carries only the service's failure, and EOF once it exec'd. */
    pid_t pid;
    int stage, err;
};

/* Forks as described above. Returns 0, or -1 with errno (pipe or fork failed;
 * nothing is left behind then). */
int spawn_start(const struct spawn_params *p, struct spawn_handle *h);
/* rt_sigaction(2) without glibc, which refuses the signals it reserves for
 * its threads (32, 33), though their ignored disposition is inherited like any
 * other. Sets *set (SIG_DFL or SIG_IGN) when set is not NULL; *old gets the
 * previous handler when old is not NULL. 0, or -1 with errno. */
int spawn_raw_disposition(int sig, void (*const *set)(int), void (**old)(int));

/* Reads one message without blocking. Returns 1 when *msg was filled, 0 at EOF,
 * -1 with errno EAGAIN when nothing is there yet, or another errno. */
int spawn_read_msg(int fd, struct spawn_msg *msg);

const char *spawn_stage_name(enum spawn_stage stage);
/* The exit status of a process whose spawn failed at stage (systemd's 2xx,
 * or a shell's 126/127). */
int spawn_exit_code(enum spawn_stage stage, int err, bool shell);
/* For a reaped pid: whether it was a service that failed before its exec
 * and reported it on the shared pipe (spawn.c); the stage, errno and command
 * then. Clears the report. */
bool spawn_take_failure(pid_t pid, int *stage, int *err, char *what, size_t size);

/* Finds argv0 in the PATH of envp (or a default PATH) when it has no slash.
 * Writes the result to buf; returns buf, or argv0 itself when not found. */
const char *spawn_resolve_path(const char *argv0, char *const *envp, char *buf, size_t size);

#endif
