/* mainproc.c - the main command: one fork (pxinit is its parent), its own
 * session (and the terminal, see tty.c), the launch signal mask and
 * dispositions, pxinit's launch cwd, and the fds its launcher passed, which
 * pxinit itself closes once the main has them. LISTEN_PID naming pxinit is
 * rewritten to the main's pid (socket activation). Its exit ends pxinit:
 * recorded here (main.exited), acted on by phase_step(). */
#include "run/mainproc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"
#include "base/proc.h"
#include "run/reap.h"
#include "exec/spawn.h"
#include "base/tty.h"

void mainproc_save_launch(struct pxinit *px)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, &px->launch_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sigaction(sig, NULL, &px->launch_actions[sig]) < 0) {
            /* One of glibc's own (32, 33): its disposition is inherited
             * all the same, and the main must get it as launched. */
            void (*h)(int) = SIG_DFL;
            memset(&px->launch_actions[sig], 0, sizeof(px->launch_actions[sig]));
            (void)spawn_raw_disposition(sig, NULL, &h);
            px->launch_actions[sig].sa_handler = h;
        }
        /* A caught signal cannot stay caught across exec: the kernel resets it. */
        if (px->launch_actions[sig].sa_handler != SIG_IGN)
            px->launch_actions[sig].sa_handler = SIG_DFL;
        px->launch_actions[sig].sa_flags &= ~SA_SIGINFO;
    }
}

static int fds_push(struct mainproc *m, int fd, size_t *cap)
{
    if (m->npassed_fds == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        int *v = realloc(m->passed_fds, ncap * sizeof(*v));
        if (!v)
            return -1;
        m->passed_fds = v;
        *cap = ncap;
    }
    m->passed_fds[m->npassed_fds++] = fd;
    return 0;
}

/* Marks one inherited fd close-on-exec and remembers it (or closes it). */
static void fd_adopt(struct mainproc *m, int fd, bool keep, size_t *cap)
{
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
        return;
    if (!keep || fds_push(m, fd, cap) < 0) {
        if (keep)
            log_warn("remembering inherited fd %d; closing it", fd);
        close(fd);
    }
}

/* The highest number a descriptor can have been opened under: the hard
 * limit, or fs.nr_open's default when unlimited. */
static long fd_number_bound(void)
{
    struct rlimit rl;
    long max = 1L << 20;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max != RLIM_INFINITY &&
        rl.rlim_max > (rlim_t)max)
        max = rl.rlim_max > INT_MAX ? INT_MAX : (long)rl.rlim_max;
    return max;
}

/* /proc/self/fd lists descriptors in ascending order: a round adopts up to
 * 1,024 of those above `after`, then another starts after the last. */
static int adopt_round(struct mainproc *m, bool keep, size_t *cap, int *after)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int self = dirfd(d);
    struct dirent *de;
    int fds[1024];
    size_t n = 0;
    /* Collect first: closing while reading the directory would skip entries. */
    while ((de = readdir(d)) && n < sizeof(fds) / sizeof(fds[0])) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        long fd = strtol(de->d_name, NULL, 10);
        if (fd > 2 && fd > *after && fd != self && fd <= INT_MAX)
            fds[n++] = (int)fd;
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        fd_adopt(m, fds[i], keep, cap);
        if (fds[i] > *after)
            *after = fds[i];
    }
    return n == sizeof(fds) / sizeof(fds[0]) ? 1 : 0;
}

void mainproc_adopt_fds(struct pxinit *px, bool keep)
{
    struct mainproc *m = &px->main;
    size_t cap = 0;
    int after = 2, r;
    while ((r = adopt_round(m, keep, &cap, &after)) == 1)
        ;
    if (r == 0)
        return;
    /* No /proc: probe them one by one, up to the highest number possible
     * (not 65536: a launcher may pass one above that). */
    long max = fd_number_bound();
    for (long fd = 3; fd < max; fd++) {
        bool known = false;
        for (size_t i = 0; i < m->npassed_fds && !known; i++)
            known = m->passed_fds[i] == fd;
        if (!known && fcntl((int)fd, F_GETFD) >= 0)
            fd_adopt(m, (int)fd, keep, &cap);
    }
}

static void fds_close_passed(struct mainproc *m)
{
    for (size_t i = 0; i < m->npassed_fds; i++)
        close(m->passed_fds[i]);
    free(m->passed_fds);
    m->passed_fds = NULL;
    m->npassed_fds = 0;
}

/* The envp entry LISTEN_PID=<pxinit's pid>, if any: socket activation meant
 * for whoever pxinit runs. */
static char **listen_pid_slot(struct pxinit *px)
{
    char want[32];
    snprintf(want, sizeof(want), "LISTEN_PID=%d", (int)getpid());
    for (size_t i = 0; i < px->base_env.n; i++)
        if (strcmp(px->base_env.v[i], want) == 0)
            return &px->base_env.v[i];
    return NULL;
}

static void kill_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    if (!mainproc_alive(px))
        return;
    log_warnx("main command did not exit within %gs, sending SIGKILL", px->opts.grace_sec);
    (void)proc_signal_group(px->main.pid, px->main.pid, px->main.pidfd, SIGKILL);
}

void mainproc_start(struct pxinit *px)
{
    struct mainproc *m = &px->main;
    char pathbuf[4096];
    char **argv = px->opts.command;

    ev_timer_init(&m->kill_timer, kill_timer_cb, 0., 0.);
    m->pidfd = -1;
    m->report_fd = -1;
    const char *path =
        spawn_resolve_path(argv[0], strv_array(&px->base_env), pathbuf, sizeof(pathbuf));
    struct spawn_params sp = {
        .nofile = px->nofile_restore,
        .path = path,
        .argv = argv,
        .envp = strv_array(&px->base_env),
        .cwd = px->launch_cwd,
        .cwd_optional = true,
        .umask = px->launch_umask,
        .fd_out = SPAWN_FD_INHERIT,
        .fd_err = SPAWN_FD_INHERIT,
        .sigmask = &px->launch_mask,
        .sigactions = px->launch_actions,
        .double_fork = false,
        .keep_fds = false,
        .pass_fds = m->passed_fds,
        .npass_fds = m->npassed_fds,
        .pid_env_slot = listen_pid_slot(px),
        .pid_env_name = "LISTEN_PID",
        .take_tty = m->tty_mode == TTY_MODE_SESSION,
        .pgrp_only = m->tty_mode == TTY_MODE_FOREGROUND || m->tty_mode == TTY_MODE_BACKGROUND,
        .foreground = m->tty_mode == TTY_MODE_FOREGROUND,
        .shell_exit_codes = true,
    };
    struct spawn_handle h;
    m->started = true;
    int r = spawn_start(&sp, &h);
    int saved = errno;
    /* The main has them now (or never will): pxinit must not pin them. */
    fds_close_passed(m);
    errno = saved;
    if (r < 0) {
        log_warn("cannot start %s", argv[0]);
        m->exited = true; /* phase_step() stops the units */
        m->exit_code = 1;
        return;
    }
    m->pid = h.child;
    m->report_fd = h.report_fd;
    if (sp.pgrp_only)
        (void)setpgid(m->pid, m->pid); /* both sides, so the group exists now */
    m->pidfd = proc_pidfd_open(m->pid);
    reap_watch(px, m->pid, m->pidfd);
    if (pidmap_put(&px->pids, m->pid, PID_ROLE_MAINCMD, m) < 0)
        log_warn("indexing the main command's pid");
    log_debug("main command %s started, pid %d", argv[0], (int)m->pid);
}

bool mainproc_alive(const struct pxinit *px)
{
    return px->main.pid > 0 && !px->main.exited;
}

void mainproc_exited(struct pxinit *px, int status)
{
    struct mainproc *m = &px->main;
    struct spawn_msg msg;

    /* The child wrote its exec error before exiting: it is in the pipe now. */
    if (m->report_fd >= 0) {
        while (spawn_read_msg(m->report_fd, &msg) == 1)
            if (msg.kind == SPAWN_MSG_ERROR)
                log_msg(LOG_LEVEL_ERROR, NULL, "cannot %s '%s': %s", spawn_stage_name(msg.stage),
                        px->opts.command[0], strerror(msg.err));
        close(m->report_fd);
        m->report_fd = -1;
    }
    if (m->pidfd >= 0)
        close(m->pidfd);
    m->pidfd = -1;
    ev_timer_stop(px->loop, &m->kill_timer);
    tty_restore((enum tty_mode)m->tty_mode, m->pid);
    m->exited = true;
    m->status = status;
    if (WIFEXITED(status))
        m->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        m->exit_code = 128 + WTERMSIG(status);
    else
        m->exit_code = 1;
    if (m->exit_code < 256 && px->opts.remap_exit[m->exit_code])
        m->exit_code = 0;
    log_debug("main command exited with %d", m->exit_code);
}

/* Until pxinit reaps the main (only its parent can, and mainproc_exited()
 * marks it in the same call), the main's pid, and so its group's id, cannot
 * be reused: signalling by number is as safe as through the pidfd, and
 * kill(-pid) is cheaper than pidfd_send_signal's group mode, 0.1-0.2 µs of a
 * 7 µs round trip (bench/README.md). Callers check mainproc_alive() first. */
static int signal_group(const struct mainproc *m, int sig)
{
    return proc_signal_group(m->pid, 0, -1, sig);
}

int mainproc_signal(struct pxinit *px, int sig)
{
    struct mainproc *m = &px->main;
    if (!mainproc_alive(px)) {
        errno = ESRCH;
        return -1;
    }
    if (sig > 0 && sig < NSIG && px->opts.rewrite[sig]) {
        sig = px->opts.rewrite[sig];
        if (sig < 0) /* --rewrite SIG:0 drops it */
            return 0;
    } else if ((sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) &&
               tty_main_orphaned((enum tty_mode)m->tty_mode)) {
        /* In an orphaned group the kernel discards these; stop it for real,
         * as dumb-init does in its setsid mode. */
        sig = SIGSTOP;
    }
    if (!px->opts.single_child)
        return signal_group(m, sig);
    return proc_signal_group(0, m->pid, m->pidfd, sig);
}

void mainproc_forward(struct pxinit *px, int sig)
{
    if (mainproc_signal(px, sig) < 0 && errno != ESRCH)
        log_warn("forwarding signal %d to the main command", sig);
}

void mainproc_terminate(struct pxinit *px)
{
    if (!mainproc_alive(px))
        return;
    if (!ev_is_active(&px->main.kill_timer)) {
        ev_timer_set(&px->main.kill_timer, px->opts.grace_sec, 0.);
        ev_timer_start(px->loop, &px->main.kill_timer);
    }
}
