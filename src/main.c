/* main.c - argv, role, init calls, ev_run. Reads like a checklist. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/client.h"
#include "client/journalctl.h"
#include "client/systemctl.h"
#include "config/mode_dirs.h"
#include "control/control.h"
#include "control/control_verbs.h"
#include "base/log.h"
#include "base/log_watch.h"
#include "run/launch.h"
#include "run/loop_clock.h"
#include "run/mainproc.h"
#include "run/notify.h"
#include "output/output.h"
#include "run/phase.h"
#include "run/pxinit.h"
#include "run/reap.h"
#include "base/runlock.h"
#include "run/signals.h"
#include "run/supervisor.h"
#include "base/tty.h"
#include "unit/unit_load.h"

extern char **environ;

/* libev's default on a failed syscall is abort(): as PID 1 that would take the
 * container (or the kernel) down. Log and carry on instead. */
static void loop_syserr(const char *msg) EV_NOEXCEPT
{
    log_warn("event loop: %s", msg);
}

/* libev aborts when its allocator returns NULL; wait for memory instead. */
static void *loop_realloc(void *ptr, long size) EV_NOEXCEPT
{
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    for (;;) {
        void *p = realloc(ptr, (size_t)size);
        if (p)
            return p;
        log_warnx("event loop: out of memory, retrying");
        sleep(1);
    }
}

/* Services and the main command expect 0, 1 and 2 to exist. */
static void ensure_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int n = open("/dev/null", O_RDWR);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

static void child_reaped(struct pxinit *px, pid_t pid, int status)
{
    struct pid_entry *e = pidmap_get(&px->pids, pid);
    if ((e && e->role == PID_ROLE_MAINCMD) || (pid == px->main.pid && mainproc_alive(px))) {
        /* By pid too: the main is signalled by number until this call
         * (mainproc.c), even if indexing it failed. */
        if (e)
            pidmap_del(&px->pids, pid);
        mainproc_exited(px, status);
    } else if (!supervisor_child_exited(px, pid, status)) {
        log_debug("reaped orphan %d", (int)pid);
    }
    supervisor_reaped_any(px);
    phase_reaped(px);
}

/* Every signal pxinit takes (signals.c): SIGCHLD names a child for the
 * reaper; the rest mean what phase.c says. */
static bool signal_taken(void *ctx, int sig, pid_t pid, int code)
{
    struct pxinit *px = ctx;
    if (sig == SIGCHLD) {
        reap_sigchld(px, pid, code);
        return false;
    }
    return phase_signal(px, sig);
}

/* sd_notify datagrams go to the supervisor; a sender not known yet may sit
 * in a spawn report. */
static const struct notify_ops notify_to_supervisor = {
    .deliver = supervisor_notify,
    .catch_up = launch_drain_all,
};

/* Each running unit holds a descriptor (its output pipe's read end; more
 * with a pidfd or a rotated file): a soft limit of 1024 would stop pxinit at
 * about 900 units. Take the hard limit, as systemd does; children get the
 * launch limit back. */
static void raise_nofile(struct pxinit *px)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &px->launch_nofile) < 0)
        return;
    rl = px->launch_nofile;
    if (rl.rlim_cur >= rl.rlim_max)
        return;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
        log_warn("raising the open files limit");
        return;
    }
    px->nofile_restore = &px->launch_nofile;
}

/* One daemon per runtime directory (SPEC): a second one would run every unit
 * again and take the notify socket and status board of the first, so it
 * stops here, before it has touched any of them. Returns the lock's fd
 * (held until exit), or -1 when the directory cannot be locked at all
 * (read-only, say): then there is no socket or board to protect either, and
 * control_start() says so. */
static int runtime_dir_lock(const char *dir)
{
    int fd;
    struct runlock_holder h;
    if (!dir) /* refused (mode_dirs.c): said so already */
        return -1;
    switch (runlock_take(dir, &fd, &h)) {
    case RUNLOCK_HELD:
        return fd;
    case RUNLOCK_BUSY:
        if (h.pid > 0)
            log_msg(LOG_LEVEL_ERROR, NULL,
                    "runtime directory %s is held by a running daemon (pid %d); not starting", dir,
                    (int)h.pid);
        else if (h.own_pid > 0)
            log_msg(LOG_LEVEL_ERROR, NULL,
                    "runtime directory %s is held by a running daemon (pid %d in its own PID "
                    "namespace); not starting",
                    dir, (int)h.own_pid);
        else
            log_msg(LOG_LEVEL_ERROR, NULL,
                    "runtime directory %s is held by a running daemon; not starting", dir);
        exit(1);
    case RUNLOCK_UNAVAILABLE:
        break;
    }
    log_warn("cannot lock runtime directory %s", dir);
    return -1;
}

/* pxinit itself: levels, limits, subreaper, cwd, umask, the launcher's fds,
 * the runtime directory's lock, the terminal, the environment for services.
 * Returns the lock's fd (or -1), held until exit. */
static int daemon_prepare(struct pxinit *px)
{
    log_set_level(px->opts.log_level >= 0 ? (enum log_level)px->opts.log_level : LOG_LEVEL_NOTICE);
    ensure_std_fds();
    conf_defaults(&px->conf);
    conf_load(px->opts.config, px->opts.config_given,
              &px->conf); /* errors reported; defaults stay */
    if (px->opts.log_prefix)
        px->conf.log_prefix = px->opts.log_prefix_value;

    raise_nofile(px);
    px->is_pid1 = getpid() == 1;
    if (!px->is_pid1 && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
        log_warn("not PID 1 and cannot become a subreaper: orphans will not be reaped");

    /* Don't pin the launch directory's mount; the main command keeps it. */
    px->launch_cwd = getcwd(NULL, 0);
    /* What pxinit makes for others - the runtime directory with the notify
     * socket, parents of RuntimeDirectory=a/b, tmpfiles.d directories, the
     * status board - gets systemd's modes whatever umask it was launched
     * with: under 077 a User= service could not reach $RUN/notify. Units set
     * their UMask= (default 0022); the main command gets the launch umask. */
    px->launch_umask = umask(022);
    if (chdir("/") < 0)
        log_warn("chdir /");
    /* The launcher's fds go to the main command, not to pxinit or units. */
    mainproc_adopt_fds(px, px->opts.command != NULL);
    mode_dirs_prepare(&px->opts); /* --user's private runtime dir, /run/systemd/system */
    unit_systemd_tree_set(&px->opts.systemd_dirs);
    /* After the adoption above, which would close it. */
    int runlock_fd = runtime_dir_lock(px->opts.runtime_dir);
    if (px->opts.command)
        px->main.tty_mode = tty_prepare();
    log_nonblocking(); /* a stalled stderr must not hang PID 1, even at boot */
    for (char **e = environ; *e; e++)
        if (strv_push(&px->base_env, *e) < 0)
            fatal("environment");
    return runlock_fd;
}

/* The loop and the watchers every daemon has: reaping, signals, output. */
static void loop_start(struct pxinit *px)
{
    ev_set_allocator(loop_realloc);
    ev_set_syserr_cb(loop_syserr);
    /* Not the default loop: that one reaps every child with waitpid(-1) on
     * each SIGCHLD, a walk over all children per exit; reap.c reaps by pid.
     * libev handles no signal: signals.c reads them all from a signalfd. */
    px->loop = ev_loop_new(EVFLAG_NOENV);
    if (!px->loop)
        fatalx("cannot initialise the event loop");
    ev_set_userdata(px->loop, px);
    loop_clock_enable(px->loop);

    /* Every pid (services, intermediates, the main command, orphans) is
     * reaped through it, children that died before included. */
    if (reap_start(px, child_reaped) < 0)
        fatal("setting up reaping");
    sigset_t ignored;
    phase_signals_ignored(px, &ignored);
    if (signals_start(&px->signals, px->loop, &ignored, signal_taken, px) < 0)
        fatal("setting up signals");
    struct output_config oc = {
        .console_fd = STDOUT_FILENO,
        .prefix = px->conf.log_prefix,
        .color = px->conf.log_color,
        .ring_lines = px->conf.log_lines,
        .ring_bytes = px->conf.log_bytes,
        .grace_sec = px->opts.grace_sec,
        .fd_shared = &px->reaper.npidfds, /* units' pipes and pidfds share one budget */
    };
    if (!(px->output = output_new(px->loop, &oc)))
        fatal("setting up service output");
}

/* One libev iteration at a time: after each, phase_step() looks at what it
 * changed and moves the daemon's life on (phase.c); between two, when only
 * signals can come, pxinit waits for them in sigwaitinfo instead
 * (signals.c). The pidfd set counts as signalled while it holds only the
 * main's pidfd, whose exit brings a SIGCHLD too (reap.c). The loop ends at
 * PHASE_DONE, which also breaks it. */
static void loop_run(struct pxinit *px)
{
    int flags = EVRUN_NOWAIT;
    while (px->phase != PHASE_DONE) {
        int active = ev_run(px->loop, flags);
        if (phase_step(px))
            flags = EVRUN_NOWAIT; /* watchers changed since ev_run counted them */
        else if (px->phase != PHASE_DONE)
            flags = signals_sleep(&px->signals, active - reap_signalled_watchers(px));
    }
}

/* Everything let go, in the order that leaves nothing half-used. Returns
 * the exit code. */
static int daemon_finish(struct pxinit *px, int runlock_fd)
{
    output_finish(px->output); /* what the pipes still hold; bounded by --grace */
    int code = px->exit_code;
    supervisor_free(px);
    notify_close(px);
    control_stop(px);
    output_free(px->output);
    px->output = NULL;
    reap_stop(px);
    signals_stop(&px->signals);
    strv_clear(&px->base_env);
    free(px->launch_cwd);
    options_free(&px->opts);
    if (runlock_fd >= 0) /* last: the sockets are gone for the next daemon */
        close(runlock_fd);
    log_debug("exiting with %d", code);
    return code;
}

/* The name the binary was started under: "systemctl" for /usr/bin/systemctl. */
static const char *invoked_as(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    return slash ? slash + 1 : argv0 ? argv0 : "";
}

int main(int argc, char **argv)
{
    static struct pxinit px;

    /* SPEC "systemctl and journalctl": linked under those names, the binary
     * answers their command lines. */
    const char *name = invoked_as(argc > 0 ? argv[0] : NULL);
    if (strcmp(name, "systemctl") == 0)
        return systemctl_main(argc, argv);
    if (strcmp(name, "journalctl") == 0)
        return journalctl_main(argc, argv);
    if (argc > 1 && client_role(argc, argv))
        return client_main(argc, argv);

    /* Not dumpable: no process of a service's user may ptrace pxinit, or a
     * child of it between fork and exec (the flag is inherited until exec),
     * nor read its memory through /proc, whatever the ids it runs with. */
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    mainproc_save_launch(&px);
    switch (options_parse(&px.opts, argc, argv)) {
    case OPTIONS_OK:
        break;
    case OPTIONS_EXIT_OK:
        return 0;
    case OPTIONS_USAGE_ERROR:
        return 2;
    }
    int runlock_fd = daemon_prepare(&px);
    loop_start(&px);

    if (!px.opts.no_units && supervisor_load(&px) < 0)
        fatal("loading units");
    control_start(&px, &ctl_verbs);          /* runtime dir, control socket, status board */
    notify_init(&px, &notify_to_supervisor); /* the sd_notify socket, in the same directory */
    px.phase = PHASE_BOOT;
    /* Log lines wait no longer than the loop's iteration, and never block. */
    struct log_watch log_watch;
    log_watch_start(px.loop, &log_watch);
    log_batch(true);
    supervisor_boot(&px);
    phase_step(&px); /* no units: the main command starts now */
    loop_run(&px);
    log_batch(false);
    return daemon_finish(&px, runlock_fd);
}
