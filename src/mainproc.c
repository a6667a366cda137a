/* mainproc.c - the main command: one fork (pxinit is its parent), its own
 * session, the launch signal mask and dispositions, pxinit's launch cwd and
 * the fds its launcher passed. Its exit ends pxinit. */
#include "mainproc.h"

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "phase.h"
#include "proc.h"
#include "spawn.h"

static void kill_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct pxinit *px = ev_userdata(loop);
    if (!mainproc_alive(px))
        return;
    log_warnx("main command did not exit within %gs, sending SIGKILL", px->opts.grace_sec);
    if (kill(-px->main.pid, SIGKILL) < 0)
        proc_signal(px->main.pidfd, px->main.pid, SIGKILL);
}

void mainproc_start(struct pxinit *px)
{
    struct mainproc *m = &px->main;
    char pathbuf[4096];
    char **argv = px->opts.command;

    ev_timer_init(&m->kill_timer, kill_timer_cb, 0., 0.);
    m->pidfd = -1;
    m->report_fd = -1;
    const char *path = spawn_resolve_path(argv[0], strv_array(&px->base_env), pathbuf,
                                          sizeof(pathbuf));
    struct spawn_params sp = {
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
        .keep_fds = true,
        .take_tty = true,
        .shell_exit_codes = true,
    };
    struct spawn_handle h;
    m->started = true;
    if (spawn_start(&sp, &h) < 0) {
        log_warn("cannot start %s", argv[0]);
        m->exited = true;
        m->exit_code = 1;
        phase_main_exited(px);
        return;
    }
    m->pid = h.child;
    m->report_fd = h.report_fd;
    m->pidfd = proc_pidfd_open(m->pid);
    if (pidmap_put(&px->pids, m->pid, PID_ROLE_MAINCMD, m) < 0)
        log_warn("indexing the main command's pid");
    log_debug("main command %s started, pid %d", argv[0], (int)m->pid);
}

bool mainproc_alive(const struct pxinit *px) { return px->main.pid > 0 && !px->main.exited; }

void mainproc_exited(struct pxinit *px, int status)
{
    struct mainproc *m = &px->main;
    struct spawn_msg msg;

    /* The child wrote its exec error before exiting: it is in the pipe now. */
    if (m->report_fd >= 0) {
        while (spawn_read_msg(m->report_fd, &msg) == 1)
            if (msg.kind == SPAWN_MSG_ERROR)
                log_msg(LOG_LEVEL_ERROR, NULL, "cannot %s '%s': %s",
                        spawn_stage_name(msg.stage), px->opts.command[0], strerror(msg.err));
        close(m->report_fd);
        m->report_fd = -1;
    }
    if (m->pidfd >= 0)
        close(m->pidfd);
    m->pidfd = -1;
    ev_timer_stop(px->loop, &m->kill_timer);
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
    phase_main_exited(px);
}

void mainproc_forward(struct pxinit *px, int sig)
{
    struct mainproc *m = &px->main;
    if (!mainproc_alive(px))
        return;
    if (sig > 0 && sig < NSIG && px->opts.rewrite[sig])
        sig = px->opts.rewrite[sig];
    int r;
    if (px->opts.single_child)
        r = proc_signal(m->pidfd, m->pid, sig);
    else
        r = kill(-m->pid, sig); /* its group: it is the leader, still unreaped */
    if (r < 0 && errno != ESRCH)
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
