/* supervisor.c - loads units and runs them: the real svc_ops (spawn, kill,
 * timers), spawn jobs whose report pipes are read from the loop, routing of
 * reaped pids to services, and the boot and shutdown queues.
 *
 * Dependencies propagate through a queue, never by recursion: starting one
 * unit may finish its start job at once and make the next one ready.
 */
#include "supervisor.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmdline.h"
#include "deps.h"
#include "exec_env.h"
#include "log.h"
#include "proc.h"
#include "phase.h"
#include "spawn.h"
#include "timespan.h"
#include "unit_parse.h"

/* A spawn whose report pipe is still open. */
struct spawn_job {
    ev_io io;
    struct pxinit *px;
    struct service *svc;
    struct svc_proc *proc;
    enum pid_role role;
    pid_t pid;        /* the service's pid once reported */
    bool failed;      /* an error was reported */
    int fail_code;    /* exit code the failed child uses */
    char *what;       /* the command, for messages */
    struct spawn_job *next, **pprev;
};

static struct pxinit *px_of(struct service *s) { return s->ctx; }

/* --- the kill list: services waiting for their processes to go ----------- */

static bool is_kill_phase(enum svc_sub sub)
{
    return sub == SUB_STOP_SIGTERM || sub == SUB_STOP_SIGKILL || sub == SUB_FINAL_SIGTERM ||
           sub == SUB_FINAL_SIGKILL;
}

static void kill_list_update(struct pxinit *px, struct service *s)
{
    bool want = is_kill_phase(s->sub);
    if (want == s->in_kill_list)
        return;
    if (want) {
        s->kill_prev = NULL;
        s->kill_next = px->killing;
        if (px->killing)
            px->killing->kill_prev = s;
        px->killing = s;
    } else {
        if (s->kill_prev)
            s->kill_prev->kill_next = s->kill_next;
        else
            px->killing = s->kill_next;
        if (s->kill_next)
            s->kill_next->kill_prev = s->kill_prev;
        s->kill_next = s->kill_prev = NULL;
    }
    s->in_kill_list = want;
}

/* --- the job queue: units ready to start (boot) or to stop (shutdown) ----- */

static void queue_push(struct pxinit *px, struct service *s)
{
    /* Each unit is queued at most once per phase, so nunits slots suffice. */
    if (px->qtail < px->nunits)
        px->queue[px->qtail++] = s;
}

static void boot_job_done(struct pxinit *px, struct service *s);
static void stop_job_done(struct pxinit *px, struct service *s);

static void queue_drain(struct pxinit *px)
{
    if (px->draining)
        return;
    px->draining = true;
    while (px->qhead < px->qtail) {
        struct service *s = px->queue[px->qhead++];
        s->job_started = true;
        if (px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) {
            svc_start(s, false);
            if (s->queued && !svc_is_busy_starting(s))
                boot_job_done(px, s);
        } else if (px->phase == PHASE_STOPPING) {
            svc_stop(s);
            if (s->queued && svc_is_settled(s))
                stop_job_done(px, s);
        }
    }
    px->qhead = px->qtail = 0;
    px->draining = false;
    if (px->phase == PHASE_BOOT && px->boot_pending == 0)
        phase_boot_done(px);
    else if (px->phase == PHASE_STOPPING && px->stop_pending == 0)
        phase_units_stopped(px);
}

static void boot_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->boot_pending--;
    for (unsigned i = 0; i < s->nsucc; i++) {
        struct service *n = s->succ[i];
        if (--n->wait_count == 0 && n->queued)
            queue_push(px, n);
    }
}

static void stop_job_done(struct pxinit *px, struct service *s)
{
    s->queued = false;
    s->job_started = false;
    px->stop_pending--;
    for (unsigned i = 0; i < s->npred; i++) {
        struct service *p = s->pred[i];
        if (--p->wait_count == 0 && p->queued)
            queue_push(px, p);
    }
}

/* --- spawn jobs ------------------------------------------------------------ */

static void job_free(struct pxinit *px, struct spawn_job *job)
{
    ev_io_stop(px->loop, &job->io);
    close(job->io.fd);
    if (job->proc && job->proc->job == job)
        job->proc->job = NULL;
    *job->pprev = job->next;
    if (job->next)
        job->next->pprev = job->pprev;
    free(job->what);
    free(job);
}

static void job_got_pid(struct pxinit *px, struct spawn_job *job, pid_t pid)
{
    struct service *s = job->svc;
    struct svc_proc *p = job->proc;
    job->pid = pid;
    p->pid = pid;
    p->pgid = pid; /* setsid() made it a session and group leader */
    p->pending = false;
    p->pidfd = proc_pidfd_open(pid);
    if (p->pidfd < 0)
        log_unit_debug(s->name, "pidfd_open(%d) failed: %s", (int)pid, strerror(errno));
    if (pidmap_put(&px->pids, pid, job->role, s) < 0) {
        /* Without an index entry its exit would go unnoticed: stop it now. */
        log_unit_error(s->name, "out of memory tracking pid %d, killing it", (int)pid);
        proc_signal(p->pidfd, pid, SIGKILL);
    }
    log_unit_debug(s->name, "%s process %d: %s", job->role == PID_ROLE_MAIN ? "main" : "control",
                   (int)pid, job->what);
    svc_proc_started(s, p);
}

/* Reads all that is there. Frees the job at EOF (returns true then). */
static bool job_drain(struct pxinit *px, struct spawn_job *job)
{
    struct spawn_msg m;
    for (;;) {
        int r = spawn_read_msg(job->io.fd, &m);
        if (r == 1) {
            if (m.kind == SPAWN_MSG_PID && m.pid > 0 && job->pid == 0) {
                job_got_pid(px, job, m.pid);
            } else if (m.kind == SPAWN_MSG_ERROR) {
                job->failed = true;
                log_unit_error(job->svc->name, "failed to %s for %s: %s",
                               spawn_stage_name(m.stage), job->what, strerror(m.err));
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
    job_free(px, job);
    if (pid == 0) {
        /* The intermediate died before reporting a pid: nothing runs. */
        p->pending = false;
        svc_proc_exited(s, p, W_EXITCODE(SPAWN_EXIT_EXEC, 0));
    } else if (!failed && p->pid == pid) {
        svc_exec_done(s, p);
    }
    return true;
}

static void job_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct spawn_job *job = (struct spawn_job *)w;
    job_drain(ev_userdata(loop), job);
}

/* --- the svc_ops ------------------------------------------------------------ */

static int open_output(const struct unit *u, enum output_kind kind, const char *path)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    switch (kind) {
    case OUTPUT_NULL:
        return SPAWN_FD_NULL;
    case OUTPUT_FILE:
        break;
    case OUTPUT_APPEND:
        flags |= O_APPEND;
        break;
    case OUTPUT_TRUNCATE:
        flags |= O_TRUNC;
        break;
    default:
        /* journal: pxinit's own stdout and stderr until capture lands */
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

static int op_spawn(struct service *s, const struct exec_command *cmd, bool is_main)
{
    struct pxinit *px = px_of(s);
    const struct unit *u = s->unit;
    struct exec_creds creds;
    struct strv env = {0}, argv = {0};
    const char *err = NULL;
    int fd_out = SPAWN_FD_INHERIT, fd_err = SPAWN_FD_INHERIT;
    int rc = -1, saved = EINVAL;
    bool privileged = cmd->flags & (EXEC_FLAG_FULL_PRIVILEGES | EXEC_FLAG_AMBIENT);

    if (privileged) {
        memset(&creds, 0, sizeof(creds));
    } else if (exec_creds_resolve(u, &creds, &err) < 0) {
        log_unit_error(s->name, "User=%s Group=%s: %s", u->user ? u->user : "",
                       u->group ? u->group : "", err);
        errno = ESRCH;
        return -1;
    }
    if (exec_env_build(u, &px->base_env, &creds, is_main ? 0 : s->main.pid, &env, &err) < 0) {
        saved = errno;
        if (err)
            log_unit_error(s->name, "EnvironmentFile=%s: %s", err, strerror(saved));
        goto out;
    }
    if (cmdline_split(cmd->line, &env, cmd->flags, &argv, &err) < 0 || argv.n == 0) {
        saved = errno ? errno : EINVAL;
        log_unit_error(s->name, "%s:%u: cannot split command line: %s", u->path, cmd->lineno,
                       err ? err : "empty command");
        goto out;
    }
    char *const *args = argv.v;
    const char *exe = argv.v[0];
    if (cmd->flags & EXEC_FLAG_ARGV0) {
        if (argv.n < 2) {
            log_unit_error(s->name, "%s:%u: '@' needs an argv[0] after the path", u->path,
                           cmd->lineno);
            goto out;
        }
        args = argv.v + 1;
    }
    char pathbuf[4096];
    const char *path = spawn_resolve_path(exe, strv_array(&env), pathbuf, sizeof(pathbuf));

    fd_out = open_output(u, u->std_output, u->std_output_path);
    enum output_kind ek = u->std_error == OUTPUT_DEFAULT ? u->std_output : u->std_error;
    const char *epath = u->std_error == OUTPUT_DEFAULT ? u->std_output_path : u->std_error_path;
    fd_err = open_output(u, ek, epath);
    if (fd_out == -1 || fd_err == -1) {
        saved = errno;
        log_unit_error(s->name, "cannot open output file: %s", strerror(saved));
        goto out;
    }

    const char *cwd = u->working_directory;
    if (cwd && strcmp(cwd, "~") == 0)
        cwd = creds.home[0] ? creds.home : "/root";
    sigset_t empty;
    sigemptyset(&empty);
    struct spawn_params sp = {
        .path = path,
        .argv = args,
        .envp = strv_array(&env),
        .cwd = cwd ? cwd : "/",
        .cwd_optional = u->working_directory_optional,
        .set_ids = creds.set,
        .uid = creds.uid,
        .gid = creds.gid,
        .groups = creds.groups,
        .ngroups = creds.ngroups,
        .umask = u->umask,
        .nice_set = u->nice_set,
        .nice = u->nice,
        .limit_set = u->limit_set,
        .limits = u->limits,
        .fd_out = fd_out,
        .fd_err = fd_err,
        .sigmask = &empty,
        .sigactions = NULL,
        .double_fork = true,
    };
    struct spawn_job *job = calloc(1, sizeof(*job));
    char *what = strdup(cmd->line);
    if (!job || !what) {
        free(job);
        free(what);
        saved = ENOMEM;
        goto out;
    }
    struct spawn_handle h;
    if (spawn_start(&sp, &h) < 0) {
        saved = errno;
        free(job);
        free(what);
        goto out;
    }
    if (pidmap_put(&px->pids, h.child, PID_ROLE_INTERMEDIATE, NULL) < 0)
        log_unit_warn(s->name, "cannot index intermediate pid %d", (int)h.child);
    struct svc_proc *p = is_main ? &s->main : &s->control;
    job->px = px;
    job->svc = s;
    job->proc = p;
    job->role = is_main ? PID_ROLE_MAIN : PID_ROLE_CONTROL;
    job->what = what;
    job->next = px->jobs;
    job->pprev = &px->jobs;
    if (px->jobs)
        px->jobs->pprev = &job->next;
    px->jobs = job;
    ev_io_init(&job->io, job_io_cb, h.report_fd, EV_READ);
    ev_io_start(px->loop, &job->io);
    p->pending = true;
    p->job = job;
    rc = 0;
out:
    if (fd_out >= 0)
        close(fd_out);
    if (fd_err >= 0)
        close(fd_err);
    strv_clear(&env);
    strv_clear(&argv);
    if (rc < 0)
        errno = saved;
    return rc;
}

static void op_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    int r = 0;
    if (group && p->pgid > 1)
        r = kill(-p->pgid, sig);
    else if (!group && p->pid > 0)
        r = proc_signal(p->pidfd, p->pid, sig);
    if (r < 0 && errno != ESRCH)
        log_unit_warn(s->name, "cannot send signal %d: %s", sig, strerror(errno));
}

static bool op_group_alive(struct service *s, struct svc_proc *p)
{
    return proc_group_alive(p->pgid);
}

static void timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct service *s = (struct service *)((char *)w - offsetof(struct service, timer));
    svc_timer_fired(s);
}

static void op_timer(struct service *s, uint64_t usec)
{
    struct pxinit *px = px_of(s);
    ev_timer_stop(px->loop, &s->timer);
    if (usec == 0 || usec == USEC_INFINITY)
        return;
    ev_timer_set(&s->timer, (double)usec / 1e6, 0.);
    ev_timer_start(px->loop, &s->timer);
}

static uint64_t op_now(struct service *s)
{
    return (uint64_t)(ev_now(px_of(s)->loop) * 1e6);
}

static int exit_code_of(const struct service *s)
{
    if (!s->have_exit)
        return s->result == RESULT_SUCCESS ? 0 : 1;
    if (WIFEXITED(s->last_status))
        return WEXITSTATUS(s->last_status);
    return 1;
}

static void op_changed(struct service *s, enum svc_sub old)
{
    struct pxinit *px = px_of(s);
    enum svc_state st = svc_state_of(s->sub);

    kill_list_update(px, s);
    if (s->sub == SUB_FAILED)
        log_unit_info(s->name, "state failed (result: %s)", service_result_name(s->result));
    else if (s->sub == SUB_AUTO_RESTART)
        log_unit_info(s->name, "state auto-restart (result: %s)", service_result_name(s->result));
    else if (st != svc_state_of(old) || s->sub == SUB_RUNNING || s->sub == SUB_EXITED)
        log_unit_info(s->name, "state %s (%s)", svc_state_name(st), svc_sub_name(s->sub));
    else
        log_unit_debug(s->name, "state %s (%s)", svc_state_name(st), svc_sub_name(s->sub));

    if (s->queued && s->job_started) {
        if ((px->phase == PHASE_BOOT || px->phase == PHASE_RUNNING) && !svc_is_busy_starting(s))
            boot_job_done(px, s);
        else if (px->phase == PHASE_STOPPING && svc_is_settled(s))
            stop_job_done(px, s);
        queue_drain(px);
    }

    /* SuccessAction=/FailureAction=exit end pxinit with the unit's code. */
    if (px->phase < PHASE_STOPPING) {
        if (s->sub == SUB_FAILED && s->unit->failure_action == UNIT_ACTION_EXIT) {
            log_unit_info(s->name, "FailureAction=exit: shutting down");
            phase_exit_with(px, exit_code_of(s) ? exit_code_of(s) : 1);
        } else if (s->sub == SUB_DEAD && old != SUB_DEAD && s->result == RESULT_SUCCESS &&
                   s->unit->success_action == UNIT_ACTION_EXIT) {
            log_unit_info(s->name, "SuccessAction=exit: shutting down");
            phase_exit_with(px, exit_code_of(s));
        }
    }
}

static const struct svc_ops real_ops = {
    .spawn = op_spawn,
    .kill = op_kill,
    .group_alive = op_group_alive,
    .timer = op_timer,
    .changed = op_changed,
    .now = op_now,
};

/* --- loading ------------------------------------------------------------------ */

static void diag_to_log(void *ctx, enum diag_level level, const char *message)
{
    log_msg(level == DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING, NULL, "%s", message);
}

struct unit_vec {
    struct unit **v;
    size_t n, cap;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_dir(const char *dir, struct unit_vec *uv, struct strv *seen)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT)
            log_warn("cannot read unit directory %s", dir);
        else
            log_debug("unit directory %s does not exist", dir);
        return;
    }
    struct strv names = {0};
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 8 || strcmp(de->d_name + len - 8, ".service") != 0)
            continue;
        if (strv_push(&names, de->d_name) < 0)
            log_warn("loading %s", dir);
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof(char *), name_cmp);

    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.v[i];
        if (strv_contains(seen, name))
            continue; /* an earlier directory has it: that one wins */
        if (strv_push(seen, name) < 0)
            continue;
        if (strstr(name, "@.service")) {
            log_debug("%s/%s: template units are not started at boot", dir, name);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
            log_debug("%s: not a regular file, skipped", path);
            continue;
        }
        struct unit *u = unit_new(name);
        if (!u) {
            log_warn("%s", path);
            continue;
        }
        struct diag_sink sink = {.emit = diag_to_log};
        int r = unit_parse_file(u, path, &sink);
        if (r == 0)
            r = unit_finalize(u, &sink);
        if (r < 0 || !u->loaded) {
            size_t len;
            const char *shortname = unit_short_name(name, &len);
            log_msg(LOG_LEVEL_ERROR, NULL, "%.*s: %s: unit failed to load, not starting it",
                    (int)len, shortname, path);
            unit_free(u);
            continue;
        }
        if (uv->n == uv->cap) {
            size_t cap = uv->cap ? uv->cap * 2 : 16;
            struct unit **v = realloc(uv->v, cap * sizeof(*v));
            if (!v) {
                log_warn("%s", path);
                unit_free(u);
                continue;
            }
            uv->v = v;
            uv->cap = cap;
        }
        uv->v[uv->n++] = u;
    }
    strv_clear(&names);
}

static int unit_ptr_cmp(const void *a, const void *b)
{
    const struct unit *ua = *(const struct unit *const *)a;
    const struct unit *ub = *(const struct unit *const *)b;
    return strcmp(ua->name, ub->name);
}

static struct service *find_service(struct pxinit *px, const char *name)
{
    size_t lo = 0, hi = px->nunits;
    char *norm = NULL;
    if (!strchr(name, '.'))
        name = norm = unit_name_normalize(name);
    if (!name)
        return NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(px->units[mid]->name, name);
        if (c == 0) {
            free(norm);
            return &px->services[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    free(norm);
    return NULL;
}

static void on_cycle(void *ctx, const char *const *names, size_t count)
{
    char buf[1024];
    size_t len = 0;
    for (size_t i = 0; i < count && len < sizeof(buf); i++) {
        int n = snprintf(buf + len, sizeof(buf) - len, "%s -> ", names[i]);
        if (n > 0)
            len += (size_t)n;
    }
    if (count && len < sizeof(buf))
        snprintf(buf + len, sizeof(buf) - len, "%s", names[0]);
    log_msg(LOG_LEVEL_WARNING, NULL, "ordering cycle: %s; breaking it at %s", buf,
            names[count - 1]);
}

/* Builds succ/pred from After=/Before=, keeping only edges that agree with
 * the computed order (so a broken cycle stays broken). */
static int build_edges(struct pxinit *px, const size_t *order)
{
    size_t n = px->nunits;
    size_t *pos = calloc(n ? n : 1, sizeof(*pos));
    if (!pos)
        return -1;
    for (size_t i = 0; i < n; i++)
        pos[order[i]] = i;

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            struct unit *u = px->units[i];
            for (int dir = 0; dir < 2; dir++) {
                const struct strv *l = dir == 0 ? &u->after : &u->before;
                for (size_t k = 0; k < l->n; k++) {
                    struct service *o = find_service(px, l->v[k]);
                    if (!o || o == &px->services[i])
                        continue;
                    struct service *first = dir == 0 ? o : &px->services[i];
                    struct service *then = dir == 0 ? &px->services[i] : o;
                    size_t fi = (size_t)(first - px->services), ti = (size_t)(then - px->services);
                    if (pos[fi] > pos[ti])
                        continue; /* the edge a cycle was broken at */
                    if (pass == 0) {
                        first->nsucc++;
                        then->npred++;
                    } else {
                        first->succ[first->nsucc++] = then;
                        then->pred[then->npred++] = first;
                    }
                }
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < n; i++) {
                struct service *s = &px->services[i];
                s->succ = s->nsucc ? calloc(s->nsucc, sizeof(*s->succ)) : NULL;
                s->pred = s->npred ? calloc(s->npred, sizeof(*s->pred)) : NULL;
                if ((s->nsucc && !s->succ) || (s->npred && !s->pred)) {
                    free(pos);
                    return -1;
                }
                s->nsucc = s->npred = 0;
            }
        }
    }
    free(pos);
    return 0;
}

int supervisor_load(struct pxinit *px)
{
    struct unit_vec uv = {0};
    struct strv seen = {0};
    for (size_t i = 0; i < px->opts.unit_dirs.n; i++)
        load_dir(px->opts.unit_dirs.v[i], &uv, &seen);
    strv_clear(&seen);

    if (uv.n)
        qsort(uv.v, uv.n, sizeof(*uv.v), unit_ptr_cmp);
    px->units = uv.v;
    px->nunits = uv.n;
    px->services = calloc(uv.n ? uv.n : 1, sizeof(*px->services));
    px->queue = calloc(uv.n ? uv.n : 1, sizeof(*px->queue));
    px->start_order = calloc(uv.n ? uv.n : 1, sizeof(*px->start_order));
    if (!px->services || !px->queue || !px->start_order) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < uv.n; i++) {
        svc_init(&px->services[i], uv.v[i], &real_ops, px);
        ev_init(&px->services[i].timer, timer_cb);
    }
    if (deps_start_order(px->units, px->nunits, px->start_order, on_cycle, NULL) < 0 ||
        build_edges(px, px->start_order) < 0) {
        errno = ENOMEM;
        return -1;
    }
    log_debug("loaded %zu units", px->nunits);
    return 0;
}

void supervisor_boot(struct pxinit *px)
{
    px->boot_pending = px->nunits;
    px->qhead = px->qtail = 0;
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = &px->services[i];
        s->wait_count = s->npred;
        s->queued = true;
        s->job_started = false;
    }
    /* In start order, so independent units start in a deterministic order. */
    for (size_t k = 0; k < px->nunits; k++) {
        struct service *s = &px->services[px->start_order[k]];
        if (s->wait_count == 0)
            queue_push(px, s);
    }
    queue_drain(px);
}

void supervisor_stop_all(struct pxinit *px)
{
    px->phase = PHASE_STOPPING;
    px->stop_pending = px->nunits;
    px->qhead = px->qtail = 0;
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = &px->services[i];
        s->wait_count = s->nsucc;
        s->queued = true;
        s->job_started = false;
    }
    /* In reverse start order. */
    for (size_t k = px->nunits; k-- > 0;) {
        struct service *s = &px->services[px->start_order[k]];
        if (s->wait_count == 0)
            queue_push(px, s);
    }
    queue_drain(px);
}

/* --- reaping ------------------------------------------------------------------ */

static void drain_all_jobs(struct pxinit *px)
{
    struct spawn_job *job = px->jobs;
    while (job) {
        struct spawn_job *next = job->next;
        job_drain(px, job);
        job = next;
    }
}

bool supervisor_child_exited(struct pxinit *px, pid_t pid, int status)
{
    struct pid_entry *e = pidmap_get(&px->pids, pid);
    if (!e && px->jobs) {
        /* Its pid may still sit in a report pipe: the intermediate wrote it
         * before exiting, and only then was the service re-parented to us. */
        drain_all_jobs(px);
        e = pidmap_get(&px->pids, pid);
    }
    if (!e)
        return false;
    enum pid_role role = e->role;
    struct service *s = e->owner;
    pidmap_del(&px->pids, pid);
    if (role == PID_ROLE_INTERMEDIATE)
        return true;
    if (role != PID_ROLE_MAIN && role != PID_ROLE_CONTROL)
        return false;
    struct svc_proc *p = role == PID_ROLE_MAIN ? &s->main : &s->control;
    if (p->pid != pid)
        return true; /* a process the service forgot already */
    if (p->job)
        job_drain(px, p->job); /* picks up an exec error before the exit */
    if (p->pidfd >= 0)
        close(p->pidfd);
    p->pidfd = -1;
    svc_proc_exited(s, p, status);
    return true;
}

void supervisor_reaped_any(struct pxinit *px)
{
    struct service *s = px->killing;
    while (s) {
        struct service *next = s->kill_next;
        svc_reaped_other(s);
        s = next;
    }
}

void supervisor_free(struct pxinit *px)
{
    while (px->jobs)
        job_free(px, px->jobs);
    for (size_t i = 0; i < px->nunits; i++) {
        struct service *s = &px->services[i];
        ev_timer_stop(px->loop, &s->timer);
        if (s->main.pidfd >= 0)
            close(s->main.pidfd);
        if (s->control.pidfd >= 0)
            close(s->control.pidfd);
        free(s->succ);
        free(s->pred);
        svc_release(s);
        unit_free(px->units[i]);
    }
    free(px->services);
    free(px->units);
    free(px->start_order);
    free(px->queue);
    pidmap_free(&px->pids);
}
