/* launch.c - turns a unit's command into a running process, in three steps
 * (launch_command): credentials, environment, directories and argv; fds 1
 * and 2; the double fork (spawn.h) and the spawn job that reads the child's
 * report (a pipe, or memory) from the loop. */
#include "run/launch.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit/cmdline.h"
#include "exec/exec_dirs.h"
#include "exec/exec_env.h"
#include "base/file_read.h"
#include "base/log.h"
#include "output/output.h"
#include "output/spec.h"
#include "base/proc.h"
#include "core/unit_type.h"
#include "run/launch_fds.h"
#include "run/reap.h"
#include "exec/spawn.h"
#include "base/timespan.h"

struct spawn_job {
    ev_io io;
    struct pxinit *px;
    struct service *svc;
    struct svc_proc *proc;
    enum pid_role role;
    pid_t pid;   /* the service's pid once reported */
    bool failed; /* an error was reported */
    /* What the spawn reported in memory (spawn.h), read before the pipe if
     * any: {PID}, then {ERROR} if any; nrep_read of them taken. */
    struct spawn_msg rep[2];
    unsigned nrep_read;
    int fail_code;   /* with failed: the exit code of the failed stage (spawn_exit_code) */
    bool no_process; /* with failed: the service's fork failed, nothing ran */
    struct spawn_job *next, **pprev;
    char what[]; /* the command, for messages */
};

/* After this many spawns were in flight at once (boot, a restart of many
 * units), their memory goes back to the system once the last is done: it
 * is free then but would stay in pxinit's heap (malloc only gives back its
 * top). Output state is allocated when a service is created, not at its
 * first spawn, so that a burst leaves free space in one piece. */
#define LAUNCH_TRIM_BURST 64

/* --- spawn jobs ------------------------------------------------------------ */

void launch_job_free(struct pxinit *px, struct spawn_job *job)
{
    ev_io_stop(px->loop, &job->io); /* also takes a fed event back */
    if (job->io.fd >= 0)
        close(job->io.fd);
    if (job->proc && job->proc->job == job)
        job->proc->job = NULL;
    *job->pprev = job->next;
    if (job->next)
        job->next->pprev = job->pprev;
    free(job);
    if (--px->njobs == 0 && px->jobs_peak >= LAUNCH_TRIM_BURST) {
        px->jobs_peak = 0;
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
}

static void job_got_pid(struct pxinit *px, struct spawn_job *job, pid_t pid)
{
    struct service *s = job->svc;
    struct svc_proc *p = job->proc;
    job->pid = pid;
    p->pid = pid;
    p->pgid = pid; /* setsid() made it a session and group leader */
    p->pin = pid;  /* and its pid keeps that id from reuse until reaped */
    p->pending = false;
    /* Optional for a process pxinit spawned (reap.h): signalled by pid
     * when it has none, which cannot name anyone else until pxinit reaps it. */
    p->pidfd = reap_pidfd_open(px, pid, true);
    if (pidmap_put(&px->pids, pid, job->role, s) < 0) {
        /* Without an index entry its exit would go unnoticed: stop it now. */
        log_unit_error(s->name, "out of memory tracking pid %d, killing it", (int)pid);
        proc_signal(p->pidfd, pid, SIGKILL);
        p->pgid = p->pin = 0; /* its reaping would not release the id */
    }
    if (job->role == PID_ROLE_MAIN)
        output_main_pid_known(s->output);
    log_unit_debug(s->name, "%s process %d: %s", job->role == PID_ROLE_MAIN ? "main" : "control",
                   (int)pid, job->what);
    svc_proc_started(s, p);
    run_hooks_unit_changed(&px->hooks, s); /* the status board shows the pid */
}

/* Reads all that is there. Frees the job at EOF (returns true then). */
bool launch_job_drain(struct pxinit *px, struct spawn_job *job)
{
    struct spawn_msg m;
    for (;;) {
        int r = 0; /* no pipe: "EOF" after the report in memory */
        if (job->nrep_read < 2 && job->rep[job->nrep_read].kind) {
            r = 1;
            m = job->rep[job->nrep_read++];
        } else if (job->io.fd >= 0) {
            r = spawn_read_msg(job->io.fd, &m);
        }
        if (r == 1) {
            if (m.kind == SPAWN_MSG_PID && m.pid > 0 && job->pid == 0) {
                job_got_pid(px, job, m.pid);
            } else if (m.kind == SPAWN_MSG_ERROR) {
                job->failed = true;
                job->fail_code = spawn_exit_code(m.stage, m.err, false);
                job->no_process = m.stage == SPAWN_STAGE_FORK;
                log_unit_error(job->svc->name, "failed to %s for %s: %s", spawn_stage_name(m.stage),
                               job->what, strerror(m.err));
            }
            continue;
        }
        if (r < 0 && errno == EAGAIN)
            return false;
        if (r < 0)
            log_unit_warn(job->svc->name, "reading spawn report: %s", strerror(errno));
        break;
    }
    struct service *s = job->svc;
    struct svc_proc *p = job->proc;
    pid_t pid = job->pid;
    bool failed = job->failed;
    int code = failed ? job->fail_code : SPAWN_EXIT_EXEC;
    bool no_process = failed && job->no_process;
    launch_job_free(px, job);
    if (pid == 0 && no_process) {
        /* The intermediate's fork failed (EAGAIN, ENOMEM): a failed spawn,
         * as when pxinit's own fork fails, not an exit of the service. */
        p->pending = false;
        unit_spawn_failed(s, p);
    } else if (pid == 0) {
        /* The intermediate died before reporting a pid (where a service's
         * preparation fails when its exec would overlap pxinit, spawn.c):
         * nothing runs, and the exit is the failed stage's. */
        p->pending = false;
        unit_proc_exited(s, p, W_EXITCODE(code, 0));
    } else if (!failed && p->pid == pid) {
        svc_exec_done(s, p);
    }
    return true;
}

static void job_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct spawn_job *job = (struct spawn_job *)w;
    launch_job_drain(ev_userdata(loop), job);
}

static int open_output(const struct unit *u, enum output_kind kind, const char *path)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    switch (kind) {
    case OUTPUT_NULL:
    case OUTPUT_SOCKET: /* a connection replaces it (launch_fds.c); none: nothing */
        /* An fd rather than SPAWN_FD_NULL, which is -1: the error value here. */
        return open("/dev/null", O_WRONLY | O_CLOEXEC | O_NOCTTY);
    case OUTPUT_FILE:
        break;
    case OUTPUT_APPEND:
        flags |= O_APPEND;
        break;
    case OUTPUT_TRUNCATE:
        flags |= O_TRUNC;
        break;
    default:
        /* inherit (journal is captured by output/) */
        return SPAWN_FD_INHERIT;
    }
    (void)u;
    int fd = open(path, flags, 0644);
    if (fd >= 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    return fd;
}

/* $INVOCATION_ID, as systemd gives every run of a unit: 128 random bits.
 * It also lets pxinit tell a unit's processes apart without cgroups
 * (supervisor.c: the main process of a Type=forking unit). */
static int add_invocation_id(struct service *s, struct strv *env)
{
    if (!s->have_invocation_id) {
        unsigned char raw[sizeof(s->invocation_id)];
        size_t got = 0;
        while (got < sizeof(raw)) {
            ssize_t n = getrandom(raw + got, sizeof(raw) - got, GRND_NONBLOCK);
            if (n <= 0)
                break;
            got += (size_t)n;
        }
        if (got < sizeof(raw)) {
            /* No entropy yet (early boot): unique is what matters here. */
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            unsigned long long mix[2] = {
                (unsigned long long)ts.tv_nsec ^ (uintptr_t)s,
                (unsigned long long)ts.tv_sec ^ (unsigned long long)getpid()};
            memcpy(raw, mix, sizeof(raw));
        }
        memcpy(s->invocation_id, raw, sizeof(raw));
        s->have_invocation_id = true;
    }
    char id[33], kv[64];
    svc_invocation_id(s, id);
    snprintf(kv, sizeof(kv), "INVOCATION_ID=%s", id);
    return env_set(env, kv);
}

/* NOTIFY_SOCKET for units that speak sd_notify, and never pxinit's own. */
static int add_notify_env(struct pxinit *px, struct service *s, struct strv *env)
{
    char buf[64];
    env_unset(env, "NOTIFY_SOCKET");
    env_unset(env, "WATCHDOG_USEC");
    env_unset(env, "WATCHDOG_PID");
    if (s->unit->notify_access == NOTIFY_ACCESS_NONE || !px->notify_path)
        return 0;
    size_t len = strlen(px->notify_path) + sizeof("NOTIFY_SOCKET=");
    char *kv = malloc(len);
    if (!kv)
        return -1;
    snprintf(kv, len, "NOTIFY_SOCKET=%s", px->notify_path);
    int r = env_set(env, kv);
    free(kv);
    if (r == 0 && s->watchdog_usec > 0 && s->watchdog_usec != USEC_INFINITY) {
        snprintf(buf, sizeof(buf), "WATCHDOG_USEC=%llu", (unsigned long long)s->watchdog_usec);
        r = env_set(env, buf);
    }
    return r;
}

/* The unit's directories belong to its User= even for a '+' command. */
static int prepare_dirs(struct service *s, const struct exec_creds *creds, struct strv *env)
{
    struct exec_creds owner;
    const char *err = NULL;
    char bad[4096];
    if (!creds) {
        if (exec_creds_resolve(s->unit, &owner, &err) < 0)
            memset(&owner, 0, sizeof(owner));
        creds = &owner;
    }
    if (exec_dirs_prepare(s->unit, creds, env, bad, sizeof(bad)) < 0) {
        log_unit_error(s->name, "cannot create %s: %s", bad, strerror(errno));
        return -1;
    }
    return 0;
}

/* What launch_command() gathers for one spawn, released after it. */
struct launch_req {
    bool privileged; /* '+' or '!' command: pxinit's credentials */
    struct exec_creds creds;
    struct strv env, argv;
    char *const *args; /* argv, or argv + 1 after '@' */
    const char *path;  /* what to execve() */
    char pathbuf[4096];
    int fd_out, fd_err; /* files opened here (closed after the spawn), or SPAWN_FD_INHERIT */
    int out, err;       /* what the child gets as 1 and 2 */
    bool captured;      /* output_spawn_fds() gave write ends */
    struct fd_pass fp;  /* fds from 3 on and a connection (borrowed) */
};

/* User=/Group=, or none for a privileged command; -1 with errno. */
static int launch_resolve_creds(struct service *s, struct launch_req *r)
{
    const struct unit_exec *x = unit_exec(s->unit);
    const char *err = NULL;
    if (r->privileged) {
        memset(&r->creds, 0, sizeof(r->creds));
        return 0;
    }
    if (exec_creds_resolve(s->unit, &r->creds, &err) < 0) {
        log_unit_error(s->name, "User=%s Group=%s: %s", x->user ? x->user : "",
                       x->group ? x->group : "", err);
        errno = ESRCH;
        return -1;
    }
    if (r->creds.set && geteuid() != 0) {
        /* Not root (a supervisor run by a user): running as oneself needs
         * no change of identity; anything else cannot be done. */
        if (r->creds.uid != geteuid() || r->creds.gid != getegid()) {
            log_unit_error(s->name, "User=/Group= need pxinit to run as root");
            errno = EPERM;
            return -1;
        }
        r->creds.set = false;
    }
    return 0;
}

/* The command line split with the environment's variables, and the path
 * of its program; -1 with errno. */
static int launch_split_command(struct service *s, const struct exec_command *cmd,
                                struct launch_req *r)
{
    const char *err = NULL;
    char pb[4096];
    if (cmdline_split(cmd->line, &r->env, cmd->flags, &r->argv, &err) < 0 || r->argv.n == 0) {
        int saved = errno ? errno : EINVAL;
        log_unit_error(s->name, "%s:%u: cannot split command line: %s",
                       unit_path(s->unit, pb, sizeof(pb)), cmd->lineno,
                       err ? err : "empty command");
        errno = saved;
        return -1;
    }
    r->args = r->argv.v;
    if (cmd->flags & EXEC_FLAG_ARGV0) {
        if (r->argv.n < 2) {
            log_unit_error(s->name, "%s:%u: '@' needs an argv[0] after the path",
                           unit_path(s->unit, pb, sizeof(pb)), cmd->lineno);
            errno = EINVAL;
            return -1;
        }
        r->args = r->argv.v + 1;
    }
    r->path = spawn_resolve_path(r->argv.v[0], strv_array(&r->env), r->pathbuf, sizeof(r->pathbuf));
    return 0;
}

/* Step 1: credentials, environment, the unit's directories, argv.
 *
 * Every stack page pxinit writes between two spawns faults once (the
 * service is a copy of pxinit until it execs; the heap is not copied:
 * spawn_arena.c), so the request (5 KiB) is on the heap and this step, whose
 * message buffers take 8 KiB more, is not inlined: neither deepens the frame
 * the spawn and the loop run in. */
static __attribute__((noinline)) int launch_prepare(struct service *s,
                                                    const struct exec_command *cmd, bool is_main,
                                                    struct launch_req *r)
{
    struct pxinit *px = s->ctx;
    const char *err = NULL;
    if (launch_resolve_creds(s, r) < 0)
        return -1;
    if (exec_env_build(s->unit, &px->base_env, &r->creds, is_main ? 0 : s->main.pid, &r->env,
                       &err) < 0) {
        int saved = errno;
        if (err)
            log_unit_error(s->name, "EnvironmentFile=%s: %s", err,
                           file_read_strerror(saved, FILE_READ_ENV_MAX));
        errno = saved;
        return -1;
    }
    if (add_notify_env(px, s, &r->env) < 0 || add_invocation_id(s, &r->env) < 0 ||
        launch_fds_prepare(s, is_main, &r->fp, &r->env) < 0)
        return -1;
    if (prepare_dirs(s, r->privileged ? NULL : &r->creds, &r->env) < 0)
        return -1;
    return launch_split_command(s, cmd, r);
}

/* Step 2: fds 1 and 2, output.c's capture pipes (borrowed, not closed
 * here) or files opened for StandardOutput=/StandardError=. */
static int launch_open_stdio(struct service *s, struct launch_req *r)
{
    const struct unit *u = s->unit;
    struct pxinit *px = s->ctx;
    int cap_out, cap_err;
    struct output_spec os;
    output_spec_of_unit(&os, u, &px->conf);
    if (output_spawn_fds(s->output, &os, &cap_out, &cap_err) < 0) {
        int saved = errno;
        log_unit_error(s->name, "cannot set up output capture: %s", strerror(saved));
        errno = saved;
        return -1;
    }
    r->captured = true;
    const char *opath = unit_output(u)->std_output_path;
    if (cap_out == OUTPUT_FD_NONE)
        r->fd_out = open_output(u, u->std_output, opath);
    enum output_kind ek = u->std_error == OUTPUT_DEFAULT ? u->std_output : u->std_error;
    const char *epath = u->std_error == OUTPUT_DEFAULT ? opath : unit_output(u)->std_error_path;
    /* Following stdout to a file means the same open file, as in systemd
     * (two opens would write over each other from offset 0). */
    bool err_shares_out = cap_out == OUTPUT_FD_NONE && r->fd_out >= 0 && ek == u->std_output &&
                          epath && opath && strcmp(epath, opath) == 0;
    if (cap_err == OUTPUT_FD_NONE && !err_shares_out)
        r->fd_err = open_output(u, ek, epath);
    if (r->fd_out == -1 || r->fd_err == -1) {
        int saved = errno;
        log_unit_error(s->name, "cannot open output file: %s", strerror(saved));
        errno = saved;
        return -1;
    }
    r->out = cap_out != OUTPUT_FD_NONE ? cap_out : r->fd_out;
    r->err = cap_err != OUTPUT_FD_NONE ? cap_err : err_shares_out ? r->fd_out : r->fd_err;
    return 0;
}

/* Puts the spawned job on the list of jobs in flight and hands it what the
 * spawn left in memory, from the loop. */
static void launch_job_register(struct pxinit *px, struct spawn_job *job,
                                const struct spawn_handle *h)
{
    job->next = px->jobs;
    job->pprev = &px->jobs;
    if (px->jobs)
        px->jobs->pprev = &job->next;
    px->jobs = job;
    if (++px->njobs > px->jobs_peak)
        px->jobs_peak = px->njobs;
    ev_io_init(&job->io, job_io_cb, h->report_fd, EV_READ);
    if (h->report_fd >= 0)
        ev_io_start(px->loop, &job->io);
    if (h->report_fd < 0 || h->pid > 0 || h->stage) {
        /* Part of the report is known already, but the service must learn of
         * it from the loop, not from inside its own call to spawn: fed as an
         * event. */
        job->rep[0] = (struct spawn_msg){.kind = SPAWN_MSG_PID, .pid = h->pid};
        if (h->stage)
            job->rep[1] =
                (struct spawn_msg){.kind = SPAWN_MSG_ERROR, .stage = h->stage, .err = h->err};
        ev_feed_event(px->loop, &job->io, EV_READ);
    }
}

/* Step 3: the double fork, and the job that follows its report. */
static int launch_spawn(struct service *s, const struct exec_command *cmd, bool is_main,
                        struct launch_req *r)
{
    struct pxinit *px = s->ctx;
    const struct unit *u = s->unit;
    const struct unit_exec *x = unit_exec(u);
    const char *cwd = x->working_directory;
    if (cwd && strcmp(cwd, "~") == 0)
        cwd = r->creds.home[0] ? r->creds.home : "/root";
    sigset_t empty;
    sigemptyset(&empty);
    struct spawn_params sp = {
        .path = r->path,
        .argv = r->args,
        .envp = strv_array(&r->env),
        .cwd = cwd ? cwd : "/",
        .cwd_optional = x->working_directory_optional,
        .set_ids = r->creds.set,
        .uid = r->creds.uid,
        .gid = r->creds.gid,
        .groups = r->creds.groups,
        .ngroups = r->creds.ngroups,
        .umask = x->umask,
        .sched = exec_sched_of(x),
        .no_new_privileges = x->no_new_privileges,
        .limit_set = unit_limits(u)->set,
        .limits = unit_limits(u)->v,
        .nofile = px->nofile_restore,
        .fd_out = r->out,
        .fd_err = r->err,
        .sigmask = &empty,
        .ignore_sigpipe = u->ignore_sigpipe,
        .double_fork = true,
        /* Type=exec is started once the exec succeeded: that one waits. */
        .async_exec = !(is_main && u->type == UNIT_TYPE_EXEC),
        .what = cmd->line,
    };
    launch_fds_apply(s, is_main, &r->fp, &sp);
    size_t wlen = strlen(cmd->line) + 1;
    struct spawn_job *job = calloc(1, sizeof(*job) + wlen);
    if (!job) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(job->what, cmd->line, wlen);
    struct spawn_handle h;
    if (spawn_start(&sp, &h) < 0) {
        int saved = errno;
        free(job);
        errno = saved;
        return -1;
    }
    if (pidmap_put(&px->pids, h.child, PID_ROLE_INTERMEDIATE, NULL) < 0)
        log_unit_warn(s->name, "cannot index intermediate pid %d", (int)h.child);
    reap_expect(px, h.child);
    struct svc_proc *p = is_main ? &s->main : &s->control;
    job->px = px;
    job->svc = s;
    job->proc = p;
    job->role = is_main ? PID_ROLE_MAIN : PID_ROLE_CONTROL;
    launch_job_register(px, job, &h);
    p->pending = true;
    p->job = job;
    return 0;
}

int launch_command(struct service *s, const struct exec_command *cmd, bool is_main)
{
    /* On the heap, not the stack: see launch_prepare(). */
    struct launch_req *r = calloc(1, sizeof(*r));
    if (!r) {
        errno = ENOMEM;
        return -1;
    }
    r->privileged = cmd->flags & (EXEC_FLAG_FULL_PRIVILEGES | EXEC_FLAG_AMBIENT);
    r->fd_out = r->fd_err = SPAWN_FD_INHERIT;
    fd_pass_init(&r->fp);
    int rc = launch_prepare(s, cmd, is_main, r);
    if (rc == 0)
        rc = launch_open_stdio(s, r);
    if (rc == 0)
        rc = launch_spawn(s, cmd, is_main, r);
    int saved = errno;
    if (r->captured)
        output_spawn_done(s->output); /* the child has its copies, if there is a child */
    if (r->fd_out >= 0)
        close(r->fd_out);
    if (r->fd_err >= 0)
        close(r->fd_err);
    strv_clear(&r->env);
    strv_clear(&r->argv);
    fd_pass_clear(&r->fp);
    free(r);
    errno = saved;
    return rc;
}

void launch_drain_all(struct pxinit *px)
{
    struct spawn_job *job = px->jobs;
    while (job) {
        struct spawn_job *next = job->next;
        launch_job_drain(px, job);
        job = next;
    }
}
