/* tty.c - who owns the terminal on stdin.
 *
 * docker run -it makes PID 1 the leader of a session whose controlling
 * terminal is stdin. A terminal belongs to one session, and taking another
 * session's terminal (TIOCSCTTY with force) needs CAP_SYS_ADMIN, which
 * containers lack; so pxinit gives it up (TIOCNOTTY, as dumb-init does) and
 * the main command, leader of its new session, takes it with TIOCSCTTY. The
 * kernel then makes the main's group the foreground: shells get job control.
 *
 * When pxinit is not the session leader (started from an interactive shell),
 * the terminal stays with that shell's session: the main gets its own process
 * group there and the foreground (as tini does), and pxinit takes the
 * foreground back when it exits.
 */
#include "base/tty.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "base/log.h"

/* TIOCNOTTY by the session leader sends SIGHUP and SIGCONT to the terminal's
 * foreground group, pxinit's own: ignore them meanwhile (an ignored signal is
 * discarded when sent, so none is left to forward later). */
static int release_terminal(void)
{
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_hup, old_cont;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGHUP, &ign, &old_hup);
    sigaction(SIGCONT, &ign, &old_cont);
    int r = ioctl(STDIN_FILENO, TIOCNOTTY);
    int saved = errno;
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGCONT, &old_cont, NULL);
    errno = saved;
    return r;
}

enum tty_mode tty_prepare(void)
{
    if (!isatty(STDIN_FILENO))
        return TTY_MODE_NONE;
    pid_t sid = tcgetsid(STDIN_FILENO);
    if (sid < 0) /* not our controlling terminal: the main may take it if free */
        return TTY_MODE_SESSION;
    if (sid == getpid()) {
        if (tcgetpgrp(STDIN_FILENO) != getpgrp()) {
            /* Someone else is in the foreground; hanging them up is not ours. */
            log_debug("terminal: leader but not in the foreground, keeping it");
            return TTY_MODE_BACKGROUND;
        }
        if (release_terminal() < 0) {
            log_warn("cannot give up the terminal; the main command runs without it");
            return TTY_MODE_NONE;
        }
        log_debug("terminal given up for the main command");
        return TTY_MODE_SESSION;
    }
    return tcgetpgrp(STDIN_FILENO) == getpgrp() ? TTY_MODE_FOREGROUND : TTY_MODE_BACKGROUND;
}

void tty_restore(enum tty_mode mode, pid_t main_pgrp)
{
    if (mode != TTY_MODE_FOREGROUND || tcgetpgrp(STDIN_FILENO) != main_pgrp)
        return;
    /* From the background tcsetpgrp raises SIGTTOU unless it is blocked. */
    sigset_t ttou, old;
    sigemptyset(&ttou);
    sigaddset(&ttou, SIGTTOU);
    sigprocmask(SIG_BLOCK, &ttou, &old);
    if (tcsetpgrp(STDIN_FILENO, getpgrp()) < 0)
        log_debug("terminal: cannot take the foreground back: %s", strerror(errno));
    sigprocmask(SIG_SETMASK, &old, NULL);
}

bool tty_main_orphaned(enum tty_mode mode)
{
    return mode == TTY_MODE_SESSION || mode == TTY_MODE_NONE;
}
