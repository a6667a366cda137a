/* launch_fds.c - the fds and environment of socket activation and the fd
 * store for one spawn (launch_fds.h).
 *
 * The rules, as systemd's: only the main process (ExecStart=) gets fds;
 * the sockets' come first, then the store's, each named. A connection on
 * stdio (StandardInput=socket) is not counted in LISTEN_FDS. No service
 * ever sees LISTEN_* that pxinit was started with.
 */
#include "run/launch_fds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "run/fdstore.h"
#include "run/socket_run.h"

static void unset_listen_env(struct strv *env)
{
    env_unset(env, "LISTEN_FDS");
    env_unset(env, "LISTEN_PID");
    env_unset(env, "LISTEN_FDNAMES");
}

/* LISTEN_FDNAMES=a:b:c; -1 with errno. */
static int set_names(const struct fd_pass *fp, struct strv *env)
{
    static const char key[] = "LISTEN_FDNAMES=";
    size_t len = sizeof(key);
    for (size_t i = 0; i < fp->n; i++)
        len += strlen(fp->names[i] ? fp->names[i] : "unknown") + 1;
    char *kv = malloc(len);
    if (!kv)
        return -1;
    char *p = stpcpy(kv, key);
    for (size_t i = 0; i < fp->n; i++) {
        if (i)
            *p++ = ':';
        p = stpcpy(p, fp->names[i] ? fp->names[i] : "unknown");
    }
    int r = env_set(env, kv);
    free(kv);
    return r;
}

static void set_blocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK))
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

static bool holds(const struct fd_pass *fp, int fd)
{
    for (size_t i = 0; i < fp->n; i++)
        if (fp->fds[i] == fd)
            return true;
    return false;
}

static bool unit_wants_socket_stdio(const struct unit *u)
{
    return unit_exec(u)->std_input == INPUT_SOCKET || u->std_output == OUTPUT_SOCKET ||
           u->std_error == OUTPUT_SOCKET;
}

/* The connection goes to stdin (StandardInput=socket), else it is an fd
 * like the sockets', before the store's. */
static bool conn_on_stdin(const struct service *s, const struct fd_pass *fp)
{
    return fp->conn_fd >= 0 && (fp->conn_on_stdio || unit_exec(s->unit)->std_input == INPUT_SOCKET);
}

int launch_fds_prepare(struct service *s, bool is_main, struct fd_pass *fp, struct strv *env)
{
    struct pxinit *px = s->ctx;
    char buf[96];
    unset_listen_env(env);
    if (!is_main)
        return 0;
    if (socket_run_collect_fds(px, s, fp) < 0)
        goto nomem;
    if (fp->conn_fd >= 0 && !conn_on_stdin(s, fp) && !holds(fp, fp->conn_fd) &&
        fd_pass_add(fp, fp->conn_fd, "connection") < 0)
        goto nomem;
    /* Sockets are passed blocking, as systemd does without NonBlocking=:
     * a program that reads its stdin (an inetd service, /bin/cat) takes
     * EAGAIN for an error. The flag belongs to the open file, which pxinit
     * shares: it never reads nor accepts on what it passes (an Accept=no
     * socket is only watched for readiness). The store's fds stay as their
     * service left them. */
    for (size_t i = 0; i < fp->n; i++)
        set_blocking(fp->fds[i]);
    if (fp->conn_fd >= 0)
        set_blocking(fp->conn_fd);
    if (fdstore_collect(px, s, fp) < 0)
        goto nomem;
    if (fp->conn_fd < 0 && unit_wants_socket_stdio(s->unit))
        log_unit_warn(s->name,
                      "StandardInput=/StandardOutput=socket without a connection "
                      "(started by hand?): /dev/null instead");
    if (fp->n > SPAWN_LISTEN_FDS_MAX) {
        log_unit_error(s->name, "%zu fds to pass, more than %d", fp->n, SPAWN_LISTEN_FDS_MAX);
        errno = E2BIG;
        return -1;
    }
    if (fp->n > 0) {
        snprintf(buf, sizeof(buf), "LISTEN_FDS=%zu", fp->n);
        /* The child writes its own pid over this placeholder's slot. */
        if (env_set(env, buf) < 0 || env_set(env, "LISTEN_PID=0") < 0 || set_names(fp, env) < 0)
            return -1;
    }
    if (fp->conn_fd >= 0 && fp->remote_addr[0]) {
        snprintf(buf, sizeof(buf), "REMOTE_ADDR=%s", fp->remote_addr);
        if (env_set(env, buf) < 0)
            return -1;
        snprintf(buf, sizeof(buf), "REMOTE_PORT=%u", fp->remote_port);
        if (env_set(env, buf) < 0)
            return -1;
    }
    return 0;
nomem:
    errno = ENOMEM;
    return -1;
}

void launch_fds_apply(struct service *s, bool is_main, const struct fd_pass *fp,
                      struct spawn_params *sp)
{
    const struct unit *u = s->unit;
    if (!is_main)
        return;
    if (fp->n > 0) {
        sp->listen_fds = fp->fds;
        sp->nlisten_fds = fp->n;
        for (char *const *e = sp->envp; *e; e++) {
            if (strncmp(*e, "LISTEN_PID=", 11) == 0) {
                sp->pid_env_slot = (char **)e;
                sp->pid_env_name = "LISTEN_PID";
                break;
            }
        }
    }
    if (fp->conn_fd < 0)
        return;
    if (conn_on_stdin(s, fp))
        sp->fd_in = fp->conn_fd;
    if (u->std_output == OUTPUT_SOCKET)
        sp->fd_out = fp->conn_fd;
    enum output_kind ek = u->std_error == OUTPUT_DEFAULT ? u->std_output : u->std_error;
    if (ek == OUTPUT_SOCKET)
        sp->fd_err = fp->conn_fd;
}
