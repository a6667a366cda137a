/* spawn_params.h - what a spawn is asked for and what it answers (spawn.h):
 * the parameters, the handle, the stages a spawn can fail at and their
 * exit codes, and the messages of a spawn's report pipe. Types only, so
 * that each of the spawn files can include them without the others.
 */
#ifndef PXINIT_SPAWN_PARAMS_H
#define PXINIT_SPAWN_PARAMS_H

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

/* The most listen_fds a spawn moves (a stack array in the child: no
 * allocation after fork); more fail the spawn at SPAWN_STAGE_FDS. */
#define SPAWN_LISTEN_FDS_MAX 1024

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
    /* Services: fds moved to 3, 4, ... in this order (sd_listen_fds(3));
     * the sources may be any numbers, even inside that range. */
    const int *listen_fds;
    size_t nlisten_fds; /* at most SPAWN_LISTEN_FDS_MAX */
    int fd_in; /* 0: the default (/dev/null for a service); else an fd (> 2) to dup2 onto 0 */
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

#endif
