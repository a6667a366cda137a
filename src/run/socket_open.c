/* socket_open.c - making, configuring and removing a socket unit's
 * Listen*= entries (socket_open.h), as systemd's socket_address_listen()
 * and socket_open_fds() do.
 *
 * The directories of a path may belong to the service user, who may race
 * us: every file-system step works relative to an O_PATH fd of the parent
 * (base/safe_path.h), a stale entry is removed only when it is a socket,
 * and the chown goes through an O_PATH fd of the very inode bind() made
 * (SIOCUNIXFILE), never through the path.
 */
#include "run/socket_open.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/passwd.h"
#include "base/safe_path.h"

/* <linux/un.h> has it, but also a struct sockaddr_un that clashes with
 * <sys/un.h>'s. */
#ifndef SIOCUNIXFILE
#define SIOCUNIXFILE (SIOCPROTOPRIVATE + 0)
#endif

/* SocketUser=/SocketGroup=; -1: left as made (root). */
struct socket_owner {
    uid_t uid;
    gid_t gid;
};

static int fail_close(int fd, int err)
{
    if (fd >= 0)
        close(fd);
    errno = err;
    return -1;
}

static bool parse_id(const char *s, unsigned long *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    *out = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0' && *out < UINT_MAX;
}

/* As systemd's socket_chown(): SocketUser= gives its primary group too,
 * SocketGroup= overrides it. Resolved before anything is made, so an
 * unknown name leaves nothing behind. */
static int owner_resolve(const struct unit_socket *us, struct socket_owner *o, const char **what)
{
    unsigned long id;
    o->uid = (uid_t)-1;
    o->gid = (gid_t)-1;
    if (us->socket_user && *us->socket_user) {
        *what = "user";
        struct passwd_entry pw;
        bool numeric = parse_id(us->socket_user, &id);
        if (passwd_lookup(numeric ? NULL : us->socket_user, (uid_t)id, &pw) == 0) {
            o->uid = pw.uid;
            o->gid = pw.gid;
        } else if (numeric) {
            o->uid = (uid_t)id;
        } else {
            errno = ESRCH;
            return -1;
        }
    }
    if (us->socket_group && *us->socket_group) {
        *what = "group";
        gid_t g;
        if (parse_id(us->socket_group, &id)) {
            o->gid = (gid_t)id;
        } else if (passwd_lookup_group(us->socket_group, &g) == 0) {
            o->gid = g;
        } else {
            errno = ESRCH;
            return -1;
        }
    }
    return 0;
}

/* The file-system path of a unix address (NULL for abstract or IP). */
static const char *unix_path(const struct sock_addr *a, char *buf, size_t size)
{
    if (!sock_addr_is_path(a) || a->len <= offsetof(struct sockaddr_un, sun_path))
        return NULL;
    size_t max = a->len - offsetof(struct sockaddr_un, sun_path);
    if (max > sizeof(a->un.sun_path))
        max = sizeof(a->un.sun_path);
    size_t n = strnlen(a->un.sun_path, max);
    if (n >= size)
        return NULL;
    memcpy(buf, a->un.sun_path, n);
    buf[n] = '\0';
    return buf;
}

/* ListenStream=80: systemd binds [::]:80, or 0.0.0.0:80 without IPv6. */
static bool bare_port(const struct socket_listen *l)
{
    const char *t = l->text;
    if (!t || !*t || l->addr.sa.sa_family != AF_INET6 ||
        !IN6_IS_ADDR_UNSPECIFIED(&l->addr.in6.sin6_addr))
        return false;
    for (; *t; t++)
        if (*t < '0' || *t > '9')
            return false;
    return true;
}

static void set_int(const struct unit *u, int fd, int level, int opt, int v, const char *name)
{
    if (setsockopt(fd, level, opt, &v, sizeof(v)) < 0)
        log_unit_warn(u->name, "%s failed: %s", name, strerror(errno));
}

/* A buffer size: the FORCE variant first (root may pass rmem_max). */
static void set_buf(const struct unit *u, int fd, int force, int opt, uint64_t size,
                    const char *name)
{
    int v = size > INT_MAX ? INT_MAX : (int)size;
    if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) == 0)
        return;
    set_int(u, fd, SOL_SOCKET, opt, v, name);
}

/* Before bind(): what changes what bind() may do. IPV6_V6ONLY and
 * SO_REUSEADDR are required (as in systemd); the others warn. */
static int options_before(const struct unit *u, const struct unit_socket *us, int fd, int family)
{
    int one = 1;
    if (family == AF_INET6 && us->bind_ipv6_only != BIND_IPV6_DEFAULT) {
        int only = us->bind_ipv6_only == BIND_IPV6_ONLY;
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof(only)) < 0)
            return -1;
    }
    if (family == AF_INET || family == AF_INET6) {
        if (us->reuse_port)
            set_int(u, fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
        if (us->free_bind) {
            if (family == AF_INET)
                set_int(u, fd, IPPROTO_IP, IP_FREEBIND, 1, "IP_FREEBIND");
            else
                set_int(u, fd, IPPROTO_IPV6, IPV6_FREEBIND, 1, "IPV6_FREEBIND");
        }
    }
    return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
}

/* After bind(): systemd's socket_apply_socket_options(), warnings only. */
static void options_after(const struct unit *u, const struct unit_socket *us, int fd, int family,
                          int type)
{
    if (us->keep_alive)
        set_int(u, fd, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
    if (us->no_delay && type == SOCK_STREAM && (family == AF_INET || family == AF_INET6))
        set_int(u, fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
    /* Linux 6.5 and later refuse SO_PASSCRED outside unix and netlink
     * sockets, where it never did anything. */
    if (us->pass_credentials && family == AF_UNIX)
        set_int(u, fd, SOL_SOCKET, SO_PASSCRED, 1, "SO_PASSCRED");
    if (us->receive_buffer)
        set_buf(u, fd, SO_RCVBUFFORCE, SO_RCVBUF, us->receive_buffer, "SO_RCVBUF");
    if (us->send_buffer)
        set_buf(u, fd, SO_SNDBUFFORCE, SO_SNDBUF, us->send_buffer, "SO_SNDBUF");
}

/* bind() made its socket elsewhere than where the walk said (a directory
 * swapped for a link in between): removes it from there, if it still is
 * that inode where /proc says it is. */
static void unlink_stray(int pfd, const struct stat *st)
{
    char proc[48], path[PATH_MAX], name[NAME_MAX + 1];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
    ssize_t n = readlink(proc, path, sizeof(path) - 1);
    if (n <= 0 || path[0] != '/')
        return;
    path[n] = '\0';
    int dfd = safe_path_parent(path, false, 0, name, sizeof(name));
    if (dfd < 0)
        return;
    struct stat at;
    if (fstatat(dfd, name, &at, AT_SYMLINK_NOFOLLOW) == 0 && at.st_dev == st->st_dev &&
        at.st_ino == st->st_ino)
        (void)unlinkat(dfd, name, 0);
    close(dfd);
}

/* An O_PATH fd of the inode bind() made at dfd/name, or -1 (EEXIST when
 * what is there is not it: someone swapped the entry or a directory). */
static int bound_inode(int fd, int dfd, const char *name)
{
    struct stat at, st;
    int pfd = ioctl(fd, SIOCUNIXFILE);
    bool exact = pfd >= 0;
    /* Before Linux 4.18, or without CAP_NET_ADMIN: what is at the name, if
     * it looks like what bind() made (a socket, ours, one link). */
    if (!exact && (pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return -1;
    if (fstat(pfd, &st) < 0)
        return fail_close(pfd, errno);
    bool ok = S_ISSOCK(st.st_mode) && fstatat(dfd, name, &at, AT_SYMLINK_NOFOLLOW) == 0 &&
              at.st_dev == st.st_dev && at.st_ino == st.st_ino;
    if (!exact)
        ok = ok && st.st_uid == geteuid() && st.st_nlink == 1;
    if (!ok) {
        if (exact)
            unlink_stray(pfd, &st);
        return fail_close(pfd, EEXIST);
    }
    return pfd;
}

/* Binds fd at a file-system path: parents, the stale socket, the mode
 * through the umask, the owner through the bound inode. */
static int bind_path(const struct unit_socket *us, int fd, const struct sock_addr *a,
                     const char *path, const struct socket_owner *own, const char **what)
{
    char name[NAME_MAX + 1];
    *what = "mkdir";
    int dfd = safe_path_parent(path, true, us->directory_mode, name, sizeof(name));
    if (dfd < 0)
        return -1;
    /* Only a socket is stale: a file, a directory or a symlink planted
     * there stays, and the start fails. */
    *what = "unlink";
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fail_close(dfd, EEXIST);
        if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
            return fail_close(dfd, errno);
    } else if (errno != ENOENT) {
        return fail_close(dfd, errno);
    }
    *what = "bind";
    /* pxinit is single-threaded: nothing else runs under this umask. */
    mode_t old = umask(~us->socket_mode & 0777);
    int r = bind(fd, &a->sa, a->len);
    int err = errno;
    umask(old);
    if (r < 0)
        return fail_close(dfd, err);
    *what = "chown";
    int pfd = bound_inode(fd, dfd, name);
    close(dfd);
    if (pfd < 0)
        return -1;
    if ((own->uid != (uid_t)-1 || own->gid != (gid_t)-1) &&
        fchownat(pfd, "", own->uid, own->gid, AT_EMPTY_PATH) < 0)
        return fail_close(pfd, errno);
    close(pfd);
    return 0;
}

static int sock_type(enum socket_listen_kind k)
{
    return k == SOCKET_LISTEN_DATAGRAM    ? SOCK_DGRAM
           : k == SOCKET_LISTEN_SEQPACKET ? SOCK_SEQPACKET
                                          : SOCK_STREAM;
}

static int sock_open(const struct unit *u, const struct unit_socket *us,
                     const struct socket_listen *l, const char **what)
{
    struct sock_addr a = l->addr;
    int type = sock_type(l->kind);
    char pbuf[sizeof(a.un.sun_path) + 1];
    const char *path = unix_path(&a, pbuf, sizeof(pbuf));
    struct socket_owner own;
    if (path && owner_resolve(us, &own, what) < 0)
        return -1;

    *what = "socket";
    int fd = socket(a.sa.sa_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 && errno == EAFNOSUPPORT && bare_port(l)) {
        in_port_t port = a.in6.sin6_port;
        memset(&a, 0, sizeof(a));
        a.in.sin_family = AF_INET;
        a.in.sin_port = port;
        a.in.sin_addr.s_addr = htonl(INADDR_ANY);
        a.len = sizeof(a.in);
        fd = socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    }
    if (fd < 0)
        return -1;
    int family = a.sa.sa_family;
    *what = "setsockopt";
    if (options_before(u, us, fd, family) < 0)
        return fail_close(fd, errno);
    if (path) {
        if (bind_path(us, fd, &a, path, &own, what) < 0)
            return fail_close(fd, errno);
    } else {
        *what = "bind";
        if (bind(fd, &a.sa, a.len) < 0)
            return fail_close(fd, errno);
    }
    if (type == SOCK_STREAM || type == SOCK_SEQPACKET) {
        *what = "listen";
        if (listen(fd, us->backlog > INT_MAX ? INT_MAX : (int)us->backlog) < 0)
            return fail_close(fd, errno);
    }
    options_after(u, us, fd, family, type);
    return fd;
}

/* Opens the FIFO at dfd/name read-write, having checked what it is
 * through an O_PATH fd first: an O_RDWR open of something else (a device
 * node a hard link brought there) could act on it. A reused FIFO must be
 * ours or the SocketUser='s and have one link: a hard link to another
 * FIFO would get that FIFO chowned and chmodded. */
static int fifo_reopen(int dfd, const char *name, const struct socket_owner *own)
{
    int pfd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (pfd < 0)
        return -1;
    struct stat st, now;
    if (fstat(pfd, &st) < 0)
        return fail_close(pfd, errno);
    if (!S_ISFIFO(st.st_mode) || st.st_nlink != 1 ||
        (st.st_uid != geteuid() && (own->uid == (uid_t)-1 || st.st_uid != own->uid)))
        return fail_close(pfd, EEXIST);
    char proc[48];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
    int fd = open(proc, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 && errno == ENOENT) /* no /proc: the name again, compared below */
        fd = openat(dfd, name, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
    int err = errno;
    close(pfd);
    if (fd < 0)
        return fail_close(-1, err == ELOOP || err == ENXIO || err == EISDIR ? EEXIST : err);
    if (fstat(fd, &now) < 0)
        return fail_close(fd, errno);
    if (now.st_dev != st.st_dev || now.st_ino != st.st_ino)
        return fail_close(fd, EEXIST);
    return fd;
}

/* ListenFIFO=: made with SocketMode=, or an existing FIFO reused (systemd
 * keeps the writers that hold it open), then SocketUser=/SocketGroup= and
 * SocketMode= through the fd. */
static int fifo_open(const struct unit_socket *us, const char *path, const char **what)
{
    struct socket_owner own;
    if (owner_resolve(us, &own, what) < 0)
        return -1;
    char name[NAME_MAX + 1];
    *what = "mkdir";
    int dfd = safe_path_parent(path, true, us->directory_mode, name, sizeof(name));
    if (dfd < 0)
        return -1;
    *what = "mkfifo";
    mode_t mode = us->socket_mode & 0777;
    mode_t old = umask(~mode & 0777);
    int r = mkfifoat(dfd, name, mode);
    int err = errno;
    umask(old);
    if (r < 0 && err != EEXIST)
        return fail_close(dfd, err);
    *what = "open";
    int fd = fifo_reopen(dfd, name, &own);
    err = errno;
    close(dfd);
    struct stat st;
    if (fd < 0)
        return fail_close(-1, err);
    if (fstat(fd, &st) < 0)
        return fail_close(fd, errno);
    *what = "chown";
    if ((own.uid != (uid_t)-1 || own.gid != (gid_t)-1) && fchown(fd, own.uid, own.gid) < 0)
        return fail_close(fd, errno);
    *what = "chmod";
    if ((st.st_mode & 07777) != mode && fchmod(fd, mode) < 0)
        return fail_close(fd, errno);
    return fd;
}

int socket_open(const struct unit *u, const struct socket_listen *l, const char **what)
{
    const struct unit_socket *us = u->socket;
    *what = "socket";
    if (!us) {
        errno = EINVAL;
        return -1;
    }
    if (l->kind == SOCKET_LISTEN_FIFO)
        return fifo_open(us, l->text, what);
    return sock_open(u, us, l, what);
}

/* The path of entry l in the file system, or NULL. */
static const char *entry_path(const struct socket_listen *l, char *buf, size_t size)
{
    if (l->kind == SOCKET_LISTEN_FIFO)
        return l->text && l->text[0] == '/' ? l->text : NULL;
    return unix_path(&l->addr, buf, size);
}

/* Makes link -> target. An existing link to target is fine; another link
 * is replaced only with RemoveOnStop= (as systemd); anything else stays. */
static int symlink_at(const struct unit_socket *us, int dfd, const char *target, const char *name)
{
    if (symlinkat(target, dfd, name) == 0)
        return 0;
    if (errno != EEXIST)
        return -1;
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return -1;
    if (!S_ISLNK(st.st_mode)) {
        errno = EEXIST;
        return -1;
    }
    char cur[PATH_MAX];
    ssize_t n = readlinkat(dfd, name, cur, sizeof(cur) - 1);
    if (n >= 0) {
        cur[n] = '\0';
        if (strcmp(cur, target) == 0)
            return 0;
    }
    if (!us->remove_on_stop) {
        errno = EEXIST;
        return -1;
    }
    if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
        return -1;
    return symlinkat(target, dfd, name);
}

static int symlink_make(const struct unit_socket *us, const char *target, const char *link)
{
    char name[NAME_MAX + 1];
    int dfd = safe_path_parent(link, true, us->directory_mode, name, sizeof(name));
    if (dfd < 0)
        return -1;
    int r = symlink_at(us, dfd, target, name);
    int err = errno;
    close(dfd);
    errno = err;
    return r;
}

int socket_symlinks_make(const struct unit *u)
{
    const struct unit_socket *us = u->socket;
    if (!us || us->symlinks.n == 0)
        return 0;
    char buf[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    const char *target = NULL;
    size_t found = 0;
    for (size_t i = 0; i < us->n; i++) {
        const char *p = entry_path(&us->v[i], buf, sizeof(buf));
        if (p && found++ == 0)
            target = p;
    }
    if (found != 1) {
        log_unit_warn(u->name,
                      "Symlinks= needs exactly one path socket or FIFO (%zu here): none made",
                      found);
        return 0;
    }
    /* entry_path() may have written buf for a later entry: take it again. */
    for (size_t i = 0; i < us->n; i++)
        if ((target = entry_path(&us->v[i], buf, sizeof(buf))))
            break;
    int first = 0;
    for (size_t i = 0; i < us->symlinks.n; i++)
        if (symlink_make(us, target, us->symlinks.v[i]) < 0 && !first)
            first = errno;
    if (first) {
        errno = first;
        return -1;
    }
    return 0;
}

/* Unlinks path when it still is an entry of type (S_IFSOCK, ...). */
static void remove_if(const char *path, mode_t type)
{
    char name[NAME_MAX + 1];
    int dfd = safe_path_parent(path, false, 0, name, sizeof(name));
    if (dfd < 0)
        return;
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (st.st_mode & S_IFMT) == type)
        (void)unlinkat(dfd, name, 0);
    close(dfd);
}

void socket_paths_remove(const struct unit *u)
{
    const struct unit_socket *us = u->socket;
    if (!us)
        return;
    char buf[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    for (size_t i = 0; i < us->n; i++) {
        const char *p = entry_path(&us->v[i], buf, sizeof(buf));
        if (p)
            remove_if(p, us->v[i].kind == SOCKET_LISTEN_FIFO ? S_IFIFO : S_IFSOCK);
    }
    for (size_t i = 0; i < us->symlinks.n; i++)
        remove_if(us->symlinks.v[i], S_IFLNK);
}
