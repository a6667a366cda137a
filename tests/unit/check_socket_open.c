/* check_socket_open.c - the kernel and file-system side of socket units
 * (run/socket_open.h): paths with their modes, owners and parents, stale
 * and planted entries, IP sockets and their options, FIFOs, Symlinks=,
 * RemoveOnStop=, and the names of accepted connections. Runs as root, in
 * a temporary directory per test. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <linux/capability.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/passwd.h"
#include "base/safe_path.h"
#include "base/sockaddr.h"
#include "run/socket_open.h"
#include "unit/unit.h"

static char dir[64];
static struct unit unit;
static struct unit_socket us;
static struct socket_listen entries[8];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st;
    (void)flag;
    (void)f;
    return remove(p);
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/check_sockopen.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    memset(&unit, 0, sizeof(unit));
    memset(&us, 0, sizeof(us));
    memset(entries, 0, sizeof(entries));
    unit.name = "t.socket";
    unit.socket = &us;
    us.v = entries;
    us.socket_mode = 0666;
    us.directory_mode = 0755;
    us.backlog = SOMAXCONN;
    umask(022);
}

static void teardown(void)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        free(entries[i].text);
        entries[i].text = NULL;
    }
}

/* A path under the test's directory (static, one of a few). */
static const char *at(const char *rel)
{
    static char bufs[4][256];
    static int k;
    char *b = bufs[k++ % 4];
    snprintf(b, sizeof(bufs[0]), "%s/%s", dir, rel);
    return b;
}

static struct socket_listen *add_path(enum socket_listen_kind kind, const char *path)
{
    ck_assert_uint_lt(us.n, sizeof(entries) / sizeof(entries[0]));
    struct socket_listen *l = &entries[us.n++];
    l->kind = kind;
    free(l->text);          /* a test that set us.n back to 0 reuses entries */
    l->text = strdup(path); /* at()'s buffers are reused */
    if (kind != SOCKET_LISTEN_FIFO) {
        l->addr.un.sun_family = AF_UNIX;
        strcpy(l->addr.un.sun_path, path);
        l->addr.len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
    }
    return l;
}

static struct socket_listen *add_ip(enum socket_listen_kind kind, int family, const char *ip,
                                    unsigned port, const char *text)
{
    ck_assert_uint_lt(us.n, sizeof(entries) / sizeof(entries[0]));
    struct socket_listen *l = &entries[us.n++];
    l->kind = kind;
    free(l->text);
    l->text = strdup(text);
    if (family == AF_INET) {
        l->addr.in.sin_family = AF_INET;
        l->addr.in.sin_port = htons(port);
        ck_assert_int_eq(inet_pton(AF_INET, ip, &l->addr.in.sin_addr), 1);
        l->addr.len = sizeof(l->addr.in);
    } else {
        l->addr.in6.sin6_family = AF_INET6;
        l->addr.in6.sin6_port = htons(port);
        ck_assert_int_eq(inet_pton(AF_INET6, ip, &l->addr.in6.sin6_addr), 1);
        l->addr.len = sizeof(l->addr.in6);
    }
    return l;
}

static void check_flags_cloexec(int fd)
{
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

/* Every fd socket_open() returns: close-on-exec and non-blocking. */
static void check_flags(int fd)
{
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & O_NONBLOCK, O_NONBLOCK);
}

static int open_ok(struct socket_listen *l)
{
    const char *what = NULL;
    int fd = socket_open(&unit, l, &what);
    if (fd < 0)
        ck_abort_msg("socket_open %s: %s failed: %s", l->text, what, strerror(errno));
    check_flags(fd);
    return fd;
}

/* Fails with err at step what. */
static void open_fails(struct socket_listen *l, int err, const char *step)
{
    const char *what = NULL;
    errno = 0;
    ck_assert_int_eq(socket_open(&unit, l, &what), -1);
    ck_assert_msg(errno == err, "errno %s, expected %s", strerror(errno), strerror(err));
    ck_assert_ptr_nonnull(what);
    if (step)
        ck_assert_str_eq(what, step);
}

static int sockopt(int fd, int level, int opt)
{
    int v = -1;
    socklen_t n = sizeof(v);
    ck_assert_int_eq(getsockopt(fd, level, opt, &v, &n), 0);
    return v;
}

static unsigned free_port(int family)
{
    int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    struct sock_addr a;
    memset(&a, 0, sizeof(a));
    a.sa.sa_family = (sa_family_t)family;
    if (family == AF_INET) {
        a.in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.len = sizeof(a.in);
    } else {
        a.in6.sin6_addr = in6addr_loopback;
        a.len = sizeof(a.in6);
    }
    ck_assert_int_eq(bind(fd, &a.sa, a.len), 0);
    a.len = sizeof(a.ss);
    ck_assert_int_eq(getsockname(fd, &a.sa, &a.len), 0);
    close(fd);
    return ntohs(family == AF_INET ? a.in.sin_port : a.in6.sin6_port);
}

static int connect_to(const struct sock_addr *a, int type)
{
    int c = socket(a->sa.sa_family, type | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(c, 0);
    ck_assert_int_eq(connect(c, &a->sa, a->len), 0);
    return c;
}

/* Accepts one pending connection (the listener is non-blocking). */
static int accept_one(int fd)
{
    int c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
    ck_assert_int_ge(c, 0);
    return c;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "we");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void check_file(const char *path, const char *text, mode_t mode)
{
    char buf[64] = "";
    FILE *f = fopen(path, "re");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
    fclose(f);
    ck_assert_str_eq(buf, text);
    struct stat st;
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, mode);
    ck_assert_uint_eq(st.st_uid, 0);
}

static void user_ids(const char *user, uid_t *uid, gid_t *gid)
{
    struct passwd_entry e;
    ck_assert_int_eq(passwd_file_find(PASSWD_FILE, user, 0, &e), 0);
    *uid = e.uid;
    *gid = e.gid;
}

/* SocketMode= is the mode bind() gives the socket, whatever the umask, and
 * the umask is pxinit's again afterwards. */
static const mode_t modes[] = {0600, 0666, 0660};

START_TEST(test_path_mode)
{
    us.socket_mode = modes[_i];
    struct socket_listen *l = add_path(SOCKET_LISTEN_STREAM, at("s.sock"));
    umask(027);
    int fd = open_ok(l);
    ck_assert_uint_eq(umask(022), 027);
    struct stat st;
    ck_assert_int_eq(lstat(l->text, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    ck_assert_uint_eq(st.st_mode & 07777, modes[_i]);
    ck_assert_uint_eq(st.st_uid, 0);
    ck_assert_uint_eq(st.st_gid, 0);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    int c = connect_to(&l->addr, SOCK_STREAM);
    close(accept_one(fd));
    close(c);
    close(fd);
}
END_TEST

/* Without CAP_NET_ADMIN, SIOCUNIXFILE is refused and the chown goes
 * through the name, checked (a socket, root's, one link). */
static void drop_net_admin(void)
{
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
    struct __user_cap_data_struct d[2];
    ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
    d[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
    ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s/probe", dir);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    errno = 0;
    ck_assert_int_eq(ioctl(fd, SIOCPROTOPRIVATE), -1);
    ck_assert_int_eq(errno, EPERM);
    close(fd);
}

START_TEST(test_path_owner)
{
    if (_i == 1)
        drop_net_admin();
    uid_t uid, u2;
    gid_t gid, g2, ng;
    user_ids("nobody", &uid, &gid);
    ck_assert_int_eq(passwd_file_group(GROUP_FILE, "nogroup", &ng), 0);
    us.socket_user = "nobody";
    us.socket_group = "nogroup";
    int fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("a.sock")));
    struct stat st;
    ck_assert_int_eq(lstat(at("a.sock"), &st), 0);
    ck_assert_uint_eq(st.st_uid, uid);
    ck_assert_uint_eq(st.st_gid, ng);
    close(fd);
    /* SocketUser= alone: its primary group, as systemd. */
    us.socket_group = NULL;
    user_ids("daemon", &u2, &g2);
    us.socket_user = "daemon";
    fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("b.sock")));
    ck_assert_int_eq(lstat(at("b.sock"), &st), 0);
    ck_assert_uint_eq(st.st_uid, u2);
    ck_assert_uint_eq(st.st_gid, g2);
    close(fd);
    /* Numbers need no entry; SocketGroup= alone leaves the user root. */
    us.socket_user = NULL;
    us.socket_group = "4321";
    fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("c.sock")));
    ck_assert_int_eq(lstat(at("c.sock"), &st), 0);
    ck_assert_uint_eq(st.st_uid, 0);
    ck_assert_uint_eq(st.st_gid, 4321);
    close(fd);
    /* An unknown name fails before anything is made. */
    us.socket_user = "no-such-user-here";
    open_fails(add_path(SOCKET_LISTEN_STREAM, at("d/d.sock")), ESRCH, "user");
    ck_assert_int_eq(access(at("d"), F_OK), -1);
    us.socket_user = NULL;
    us.socket_group = "no-such-group-here";
    open_fails(&entries[us.n - 1], ESRCH, "group");
}
END_TEST

START_TEST(test_parents)
{
    us.directory_mode = 0750;
    umask(077);
    int fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("a/b/c/s.sock")));
    const char *dirs[] = {at("a"), at("a/b"), at("a/b/c")};
    for (int i = 0; i < 3; i++) {
        struct stat st;
        ck_assert_int_eq(lstat(dirs[i], &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        ck_assert_uint_eq(st.st_mode & 07777, 0750);
        ck_assert_uint_eq(st.st_uid, 0);
    }
    ck_assert_uint_eq(umask(022), 077);
    close(fd);
    /* An existing parent keeps its mode. */
    ck_assert_int_eq(chmod(at("a"), 0711), 0);
    fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("a/t.sock")));
    struct stat st;
    ck_assert_int_eq(lstat(at("a"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0711);
    close(fd);
}
END_TEST

START_TEST(test_stale_socket)
{
    struct socket_listen *l = add_path(SOCKET_LISTEN_STREAM, at("s.sock"));
    int old = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_eq(bind(old, &l->addr.sa, l->addr.len), 0);
    close(old);
    /* A second name keeps the old inode's number from being reused. */
    ck_assert_int_eq(link(l->text, at("kept")), 0);
    struct stat before, after;
    ck_assert_int_eq(lstat(l->text, &before), 0);
    int fd = open_ok(l);
    ck_assert_int_eq(lstat(l->text, &after), 0);
    ck_assert(S_ISSOCK(after.st_mode));
    ck_assert_uint_ne(before.st_ino, after.st_ino);
    ck_assert_int_eq(lstat(at("kept"), &after), 0);
    ck_assert_uint_eq(before.st_ino, after.st_ino);
    int c = connect_to(&l->addr, SOCK_STREAM);
    close(accept_one(fd));
    close(c);
    close(fd);
}
END_TEST

/* What a service user may plant at the path: never removed, never
 * followed; the start fails with EEXIST. */
START_TEST(test_planted_entry)
{
    const char *path = at("p.sock"), *victim = at("victim");
    write_file(victim, "secret\n");
    ck_assert_int_eq(chmod(victim, 0600), 0);
    if (_i == 0)
        write_file(path, "mine\n");
    else if (_i == 1)
        ck_assert_int_eq(symlink(victim, path), 0);
    else if (_i == 2)
        ck_assert_int_eq(mkdir(path, 0700), 0);
    else if (_i == 3)
        ck_assert_int_eq(symlink(at("nothere.sock"), path), 0); /* dangling */
    else
        ck_assert_int_eq(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0);
    us.socket_user = "nobody";
    us.socket_mode = 0777;
    struct stat before, after;
    ck_assert_int_eq(lstat(path, &before), 0);
    open_fails(add_path(SOCKET_LISTEN_STREAM, path), EEXIST, "unlink");
    ck_assert_int_eq(lstat(path, &after), 0);
    ck_assert_uint_eq(before.st_ino, after.st_ino);
    ck_assert_uint_eq(before.st_mode, after.st_mode);
    ck_assert_uint_eq(before.st_uid, after.st_uid);
    check_file(victim, "secret\n", 0600);
    ck_assert_int_eq(access(at("nothere.sock"), F_OK), -1);
    if (_i == 0)
        check_file(path, "mine\n", 0644);
}
END_TEST

/* A parent directory that is a service user's symlink is not followed; a
 * root's one (/var/run -> /run) is. */
START_TEST(test_parent_symlink)
{
    uid_t uid;
    gid_t gid;
    user_ids("nobody", &uid, &gid);
    ck_assert_int_eq(mkdir(at("real"), 0755), 0);
    ck_assert_int_eq(mkdir(at("user"), 0755), 0);
    ck_assert_int_eq(chown(at("user"), uid, gid), 0);
    ck_assert_int_eq(symlink(at("real"), at("user/link")), 0);
    ck_assert_int_eq(lchown(at("user/link"), uid, gid), 0);
    open_fails(add_path(SOCKET_LISTEN_STREAM, at("user/link/s.sock")), ELOOP, "mkdir");
    open_fails(add_path(SOCKET_LISTEN_STREAM, at("user/link/new/s.sock")), ELOOP, "mkdir");
    ck_assert_int_eq(access(at("real/s.sock"), F_OK), -1);
    ck_assert_int_eq(access(at("real/new"), F_OK), -1);
    add_path(SOCKET_LISTEN_FIFO, at("user/link/f.fifo"));
    open_fails(&entries[us.n - 1], ELOOP, "mkdir");
    ck_assert_int_eq(access(at("real/f.fifo"), F_OK), -1);
    /* Root's links, absolute and relative, are followed. */
    ck_assert_int_eq(symlink(at("real"), at("rootlink")), 0);
    ck_assert_int_eq(symlink("real/../real", at("rellink")), 0);
    int fd = open_ok(add_path(SOCKET_LISTEN_STREAM, at("rootlink/r.sock")));
    struct stat st;
    ck_assert_int_eq(lstat(at("real/r.sock"), &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    close(fd);
    fd = open_ok(add_path(SOCKET_LISTEN_DATAGRAM, at("rellink/q.sock")));
    ck_assert_int_eq(lstat(at("real/q.sock"), &st), 0);
    close(fd);
}
END_TEST

START_TEST(test_tcp4_options)
{
    unsigned port = free_port(AF_INET);
    us.reuse_port = us.free_bind = us.keep_alive = us.no_delay = us.pass_credentials = true;
    us.receive_buffer = 65536;
    us.send_buffer = 32768;
    us.backlog = 7;
    struct socket_listen *l = add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", port, "x");
    int fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_DOMAIN), AF_INET);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEADDR), 1);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEPORT), 1);
    ck_assert_int_eq(sockopt(fd, IPPROTO_IP, IP_FREEBIND), 1);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_KEEPALIVE), 1);
    ck_assert_int_eq(sockopt(fd, IPPROTO_TCP, TCP_NODELAY), 1);
    /* The kernel doubles what it is given (socket(7)). */
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_RCVBUF), 2 * 65536);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_SNDBUF), 2 * 32768);
    struct sock_addr a;
    a.len = sizeof(a.ss);
    ck_assert_int_eq(getsockname(fd, &a.sa, &a.len), 0);
    ck_assert_uint_eq(ntohs(a.in.sin_port), port);
    close(fd);
    /* Without the options: the kernel's defaults. */
    us.reuse_port = us.free_bind = us.keep_alive = us.no_delay = us.pass_credentials = false;
    us.receive_buffer = us.send_buffer = 0;
    fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEPORT), 0);
    ck_assert_int_eq(sockopt(fd, IPPROTO_IP, IP_FREEBIND), 0);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_KEEPALIVE), 0);
    ck_assert_int_eq(sockopt(fd, IPPROTO_TCP, TCP_NODELAY), 0);
    /* A second listener on the same port without SO_REUSEPORT fails. */
    open_fails(l, EADDRINUSE, "bind");
    close(fd);
}
END_TEST

/* Three connections from one address: the instance strings, REMOTE_ADDR,
 * REMOTE_PORT, and one source key. */
START_TEST(test_tcp4_describe)
{
    unsigned port = free_port(AF_INET);
    struct socket_listen *l = add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", port, "x");
    int fd = open_ok(l);
    int c1 = connect_to(&l->addr, SOCK_STREAM), c2 = connect_to(&l->addr, SOCK_STREAM);
    int a1 = accept_one(fd), a2 = accept_one(fd);
    struct sock_addr me;
    me.len = sizeof(me.ss);
    ck_assert_int_eq(getsockname(c1, &me.sa, &me.len), 0);
    char inst[128], addr[64], want[128];
    unsigned rport = 99;
    ck_assert_int_eq(socket_conn_describe(a1, 3, inst, sizeof(inst), addr, sizeof(addr), &rport),
                     0);
    snprintf(want, sizeof(want), "3-127.0.0.1:%u-127.0.0.1:%u", port, ntohs(me.in.sin_port));
    ck_assert_str_eq(inst, want);
    ck_assert_str_eq(addr, "127.0.0.1");
    ck_assert_uint_eq(rport, ntohs(me.in.sin_port));
    ck_assert_uint_ne(socket_conn_source(a1), 0);
    ck_assert_uint_eq(socket_conn_source(a1), socket_conn_source(a2));
    /* Too small a buffer: ENOSPC, never a cut name. */
    errno = 0;
    ck_assert_int_eq(socket_conn_describe(a1, 3, inst, 10, addr, sizeof(addr), &rport), -1);
    ck_assert_int_eq(errno, ENOSPC);
    /* Not a connection: no name, no source. */
    ck_assert_int_eq(socket_conn_describe(fd, 1, inst, sizeof(inst), addr, sizeof(addr), &rport),
                     -1);
    ck_assert_uint_eq(socket_conn_source(fd), 0);
    close(a1);
    close(a2);
    close(c1);
    close(c2);
    close(fd);
}
END_TEST

/* True when IPv6 sockets can be made (the kernel has IPv6). */
static bool ipv6_sockets(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/* True when ::1 can be bound (loopback has IPv6). */
static bool have_ipv6(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    bool ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

/* Makes socket(AF_INET6, ...) fail with EAFNOSUPPORT in this (forked)
 * test process, as on a kernel without IPv6. */
static void deny_ipv6(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_socket, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_INET6, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EAFNOSUPPORT),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};
    ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
    ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}

/* A bare port is [::]:PORT; without IPv6 it is 0.0.0.0:PORT. An explicit
 * [::]:PORT does not fall back. */
START_TEST(test_bare_port)
{
    unsigned port = free_port(AF_INET);
    char text[16];
    snprintf(text, sizeof(text), "%u", port);
    struct socket_listen *l = add_ip(SOCKET_LISTEN_STREAM, AF_INET6, "::", port, text);
    if (_i == 1)
        deny_ipv6();
    if (_i == 0 && !ipv6_sockets()) {
        /* Said, not hidden: the fallback half (1) still runs. */
        fprintf(stderr,
                "note: test_bare_port: no IPv6 sockets here, the IPv6 half checks nothing\n");
        return;
    }
    int fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_DOMAIN), _i == 0 ? AF_INET6 : AF_INET);
    struct sock_addr a;
    a.len = sizeof(a.ss);
    ck_assert_int_eq(getsockname(fd, &a.sa, &a.len), 0);
    if (_i == 1) {
        ck_assert_uint_eq(ntohs(a.in.sin_port), port);
        ck_assert_uint_eq(a.in.sin_addr.s_addr, htonl(INADDR_ANY));
        close(fd);
        struct socket_listen *e = add_ip(SOCKET_LISTEN_STREAM, AF_INET6, "::", port, "[::]:1");
        open_fails(e, EAFNOSUPPORT, "socket");
    } else {
        ck_assert_uint_eq(ntohs(a.in6.sin6_port), port);
        close(fd);
    }
}
END_TEST

START_TEST(test_tcp6)
{
    if (!have_ipv6()) {
        /* A container without ::1 on loopback: said, not hidden. */
        fprintf(stderr, "note: test_tcp6: no IPv6 on loopback, nothing checked\n");
        return;
    }
    unsigned port = free_port(AF_INET6);
    us.free_bind = true;
    us.bind_ipv6_only = BIND_IPV6_ONLY;
    struct socket_listen *l = add_ip(SOCKET_LISTEN_STREAM, AF_INET6, "::1", port, "[::1]:p");
    int fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
    ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND), 1);
    int c = connect_to(&l->addr, SOCK_STREAM);
    int a = accept_one(fd);
    struct sock_addr me;
    me.len = sizeof(me.ss);
    ck_assert_int_eq(getsockname(c, &me.sa, &me.len), 0);
    char inst[128], addr[64], want[128];
    unsigned rport = 0;
    ck_assert_int_eq(socket_conn_describe(a, 12, inst, sizeof(inst), addr, sizeof(addr), &rport),
                     0);
    /* systemd 252 writes IPv6 without brackets. */
    snprintf(want, sizeof(want), "12-::1:%u-::1:%u", port, ntohs(me.in6.sin6_port));
    ck_assert_str_eq(inst, want);
    ck_assert_str_eq(addr, "::1");
    ck_assert_uint_eq(rport, ntohs(me.in6.sin6_port));
    uint64_t src6 = socket_conn_source(a);
    ck_assert_uint_ne(src6, 0);
    close(a);
    close(c);
    close(fd);

    /* BindIPv6Only=both on [::]: an IPv4 client shows as IPv4, and counts
     * as the same source as through an IPv4 socket. */
    us.bind_ipv6_only = BIND_IPV6_BOTH;
    unsigned p2 = free_port(AF_INET);
    struct socket_listen *any = add_ip(SOCKET_LISTEN_STREAM, AF_INET6, "::", p2, "[::]:p");
    fd = open_ok(any);
    ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 0);
    struct socket_listen *v4 = add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", p2, "x");
    c = connect_to(&v4->addr, SOCK_STREAM);
    a = accept_one(fd);
    me.len = sizeof(me.ss);
    ck_assert_int_eq(getsockname(c, &me.sa, &me.len), 0);
    ck_assert_int_eq(socket_conn_describe(a, 1, inst, sizeof(inst), addr, sizeof(addr), &rport), 0);
    snprintf(want, sizeof(want), "1-127.0.0.1:%u-127.0.0.1:%u", p2, ntohs(me.in.sin_port));
    ck_assert_str_eq(inst, want);
    ck_assert_str_eq(addr, "127.0.0.1");
    uint64_t mapped = socket_conn_source(a);
    ck_assert_uint_ne(mapped, src6);
    close(a);
    close(c);
    close(fd);
    unsigned p3 = free_port(AF_INET);
    struct socket_listen *plain = add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", p3, "x");
    fd = open_ok(plain);
    c = connect_to(&plain->addr, SOCK_STREAM);
    a = accept_one(fd);
    ck_assert_uint_eq(socket_conn_source(a), mapped);
    close(a);
    close(c);
    close(fd);
}
END_TEST

START_TEST(test_datagram_seqpacket)
{
    unsigned port = free_port(AF_INET);
    int fd = open_ok(add_ip(SOCKET_LISTEN_DATAGRAM, AF_INET, "127.0.0.1", port, "x"));
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 0);
    close(fd);
    us.no_delay = true; /* stream only: ignored here, not an error */
    fd = open_ok(add_path(SOCKET_LISTEN_DATAGRAM, at("d.sock")));
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
    int c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_eq(sendto(c, "hi", 2, 0, &entries[1].addr.sa, entries[1].addr.len), 2);
    char buf[4];
    ck_assert_int_eq(recv(fd, buf, sizeof(buf), 0), 2);
    close(c);
    close(fd);
    struct socket_listen *l = add_path(SOCKET_LISTEN_SEQPACKET, at("q.sock"));
    fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_SEQPACKET);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
    c = connect_to(&l->addr, SOCK_SEQPACKET);
    close(accept_one(fd));
    close(c);
    close(fd);
}
END_TEST

START_TEST(test_abstract)
{
    char name[64];
    snprintf(name, sizeof(name), "pxinit-check-%d", (int)getpid());
    struct socket_listen *l = &entries[us.n++];
    l->kind = SOCKET_LISTEN_STREAM;
    l->text = strdup(name);
    l->addr.un.sun_family = AF_UNIX;
    memcpy(l->addr.un.sun_path + 1, name, strlen(name));
    l->addr.len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
    us.socket_user = "nobody";
    int fd = open_ok(l);
    struct sock_addr a;
    a.len = sizeof(a.ss);
    ck_assert_int_eq(getsockname(fd, &a.sa, &a.len), 0);
    ck_assert(sock_addr_equal(&a, &l->addr));
    int c = connect_to(&l->addr, SOCK_STREAM);
    int s = accept_one(fd);
    char inst[64], addr[8], want[64];
    unsigned port = 5;
    ck_assert_int_eq(socket_conn_describe(s, 4, inst, sizeof(inst), addr, sizeof(addr), &port), 0);
    snprintf(want, sizeof(want), "4-%d-0", (int)getpid());
    ck_assert_str_eq(inst, want);
    ck_assert_str_eq(addr, "");
    ck_assert_uint_eq(port, 0);
    open_fails(l, EADDRINUSE, "bind");
    close(s);
    close(c);
    close(fd);
}
END_TEST

/* A unix connection: "NR-PID-UID", and the uid as the source. */
START_TEST(test_unix_describe)
{
    ck_assert_int_eq(chmod(dir, 0755), 0); /* the child runs as nobody */
    us.pass_credentials = true;
    struct socket_listen *l = add_path(SOCKET_LISTEN_STREAM, at("u.sock"));
    int fd = open_ok(l);
    ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_PASSCRED), 1);
    int c1 = connect_to(&l->addr, SOCK_STREAM);
    int a1 = accept_one(fd);
    uid_t uid;
    gid_t gid;
    user_ids("nobody", &uid, &gid);
    int pipefd[2];
    ck_assert_int_eq(pipe2(pipefd, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(pipefd[1]);
        if (setgid(gid) < 0 || setuid(uid) < 0)
            _exit(1);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, &l->addr.sa, l->addr.len) < 0)
            _exit(2);
        char b;
        (void)!read(pipefd[0], &b, 1); /* hold the connection until told */
        _exit(0);
    }
    close(pipefd[0]);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ck_assert_int_eq(poll(&p, 1, 3000), 1);
    int a2 = accept_one(fd);
    char inst[64], addr[8], want[64];
    unsigned port = 1;
    ck_assert_int_eq(socket_conn_describe(a1, 2, inst, sizeof(inst), addr, sizeof(addr), &port), 0);
    snprintf(want, sizeof(want), "2-%d-0", (int)getpid());
    ck_assert_str_eq(inst, want);
    ck_assert_int_eq(socket_conn_describe(a2, 3, inst, sizeof(inst), addr, sizeof(addr), &port), 0);
    snprintf(want, sizeof(want), "3-%d-%u", (int)pid, (unsigned)uid);
    ck_assert_str_eq(inst, want);
    ck_assert_uint_ne(socket_conn_source(a1), 0);
    ck_assert_uint_ne(socket_conn_source(a1), socket_conn_source(a2));
    int c3 = connect_to(&l->addr, SOCK_STREAM);
    int a3 = accept_one(fd);
    ck_assert_uint_eq(socket_conn_source(a1), socket_conn_source(a3));
    close(pipefd[1]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_int_eq(st, 0);
    close(a1);
    close(a2);
    close(a3);
    close(c1);
    close(c3);
    close(fd);
}
END_TEST

START_TEST(test_fifo)
{
    uid_t uid;
    gid_t gid;
    user_ids("nobody", &uid, &gid);
    us.socket_mode = 0640;
    us.socket_user = "nobody";
    us.directory_mode = 0700;
    umask(077);
    struct socket_listen *l = add_path(SOCKET_LISTEN_FIFO, at("sub/f.fifo"));
    int fd = open_ok(l);
    ck_assert_uint_eq(umask(022), 077);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    struct stat st;
    ck_assert_int_eq(lstat(l->text, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_uint_eq(st.st_mode & 07777, 0640);
    ck_assert_uint_eq(st.st_uid, uid);
    ck_assert_uint_eq(st.st_gid, gid);
    ck_assert_int_eq(lstat(at("sub"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0700);
    int w = open(l->text, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    ck_assert_int_ge(w, 0);
    ck_assert_int_eq(write(w, "ab", 2), 2);
    char buf[4];
    ck_assert_int_eq(read(fd, buf, sizeof(buf)), 2);
    close(w);
    close(fd);
}
END_TEST

/* A stale FIFO is reused (a writer holding it keeps writing into it), and
 * gets SocketMode= and the owner again. */
START_TEST(test_fifo_reuse)
{
    const char *path = at("f.fifo");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    int w = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    ck_assert_int_ge(w, 0);
    ck_assert_int_eq(write(w, "old", 3), 3);
    struct stat before, after;
    ck_assert_int_eq(lstat(path, &before), 0);
    us.socket_mode = 0620;
    int fd = open_ok(add_path(SOCKET_LISTEN_FIFO, path));
    ck_assert_int_eq(lstat(path, &after), 0);
    ck_assert_uint_eq(before.st_ino, after.st_ino);
    ck_assert_uint_eq(after.st_mode & 07777, 0620);
    char buf[8];
    ck_assert_int_eq(read(fd, buf, sizeof(buf)), 3);
    close(w);
    close(fd);
    /* The SocketUser='s own FIFO is reused too. */
    uid_t uid;
    gid_t gid;
    user_ids("nobody", &uid, &gid);
    ck_assert_int_eq(chown(path, uid, gid), 0);
    us.socket_user = "nobody";
    fd = open_ok(&entries[0]);
    close(fd);
}
END_TEST

/* What is refused at a FIFO's path: a file, a directory, a symlink (to a
 * FIFO even), a socket, another user's FIFO, a FIFO with a second link. */
START_TEST(test_fifo_refused)
{
    const char *path = at("f.fifo"), *other = at("other.fifo");
    ck_assert_int_eq(mkfifo(other, 0600), 0);
    us.socket_mode = 0666;
    us.socket_user = "daemon";
    switch (_i) {
    case 0:
        write_file(path, "data\n");
        break;
    case 1:
        ck_assert_int_eq(mkdir(path, 0700), 0);
        break;
    case 2:
        ck_assert_int_eq(symlink(other, path), 0);
        break;
    case 3: {
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        strcpy(a.sun_path, path);
        ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
        close(s);
        break;
    }
    case 4:
        ck_assert_int_eq(mkfifo(path, 0600), 0);
        ck_assert_int_eq(chown(path, 1234, 1234), 0);
        break;
    case 5:
        ck_assert_int_eq(link(other, path), 0);
        break;
    case 6: /* never opened: an open may act on a device */
        ck_assert_int_eq(mknod(path, S_IFCHR | 0666, makedev(1, 3)), 0);
        break;
    }
    struct stat before, after, o;
    ck_assert_int_eq(lstat(path, &before), 0);
    open_fails(add_path(SOCKET_LISTEN_FIFO, path), EEXIST, NULL);
    ck_assert_int_eq(lstat(path, &after), 0);
    ck_assert_uint_eq(before.st_ino, after.st_ino);
    ck_assert_uint_eq(before.st_mode, after.st_mode);
    ck_assert_uint_eq(before.st_uid, after.st_uid);
    ck_assert_int_eq(lstat(other, &o), 0);
    ck_assert_uint_eq(o.st_mode & 07777, 0600);
    ck_assert_uint_eq(o.st_uid, 0);
    if (_i == 0)
        check_file(path, "data\n", 0644);
}
END_TEST

START_TEST(test_symlinks)
{
    struct socket_listen *l = add_path(SOCKET_LISTEN_STREAM, at("s.sock"));
    add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", free_port(AF_INET), "x");
    struct strv links = {0};
    ck_assert_int_eq(strv_push(&links, at("l1")), 0);
    ck_assert_int_eq(strv_push(&links, at("deep/er/l2")), 0);
    us.symlinks = links;
    us.directory_mode = 0711;
    ck_assert_int_eq(socket_symlinks_make(&unit), 0);
    char buf[256];
    for (size_t i = 0; i < links.n; i++) {
        ssize_t n = readlink(links.v[i], buf, sizeof(buf) - 1);
        ck_assert_int_gt(n, 0);
        buf[n] = '\0';
        ck_assert_str_eq(buf, l->text);
    }
    struct stat st;
    ck_assert_int_eq(lstat(at("deep/er"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 07777, 0711);
    /* Again: the links are there already, which is fine. */
    ck_assert_int_eq(socket_symlinks_make(&unit), 0);
    /* A link elsewhere: replaced only with RemoveOnStop=. */
    ck_assert_int_eq(unlink(links.v[0]), 0);
    ck_assert_int_eq(symlink("/elsewhere", links.v[0]), 0);
    errno = 0;
    ck_assert_int_eq(socket_symlinks_make(&unit), -1);
    ck_assert_int_eq(errno, EEXIST);
    us.remove_on_stop = true;
    ck_assert_int_eq(socket_symlinks_make(&unit), 0);
    ssize_t n = readlink(links.v[0], buf, sizeof(buf) - 1);
    ck_assert_int_gt(n, 0);
    buf[n] = '\0';
    ck_assert_str_eq(buf, l->text);
    /* A file there is never replaced, not even with RemoveOnStop=. */
    ck_assert_int_eq(unlink(links.v[0]), 0);
    write_file(links.v[0], "keep\n");
    errno = 0;
    ck_assert_int_eq(socket_symlinks_make(&unit), -1);
    ck_assert_int_eq(errno, EEXIST);
    check_file(links.v[0], "keep\n", 0644);
    strv_clear(&links);
}
END_TEST

/* Two path entries (or none): no symlink, as systemd. */
START_TEST(test_symlinks_ambiguous)
{
    add_path(SOCKET_LISTEN_STREAM, at("a.sock"));
    add_path(SOCKET_LISTEN_FIFO, at("b.fifo"));
    struct strv links = {0};
    ck_assert_int_eq(strv_push(&links, at("l")), 0);
    us.symlinks = links;
    ck_assert_int_eq(socket_symlinks_make(&unit), 0);
    ck_assert_int_eq(access(at("l"), F_OK), -1);
    us.n = 0;
    add_ip(SOCKET_LISTEN_STREAM, AF_INET, "127.0.0.1", 1, "x");
    ck_assert_int_eq(socket_symlinks_make(&unit), 0);
    struct stat st;
    ck_assert_int_eq(lstat(at("l"), &st), -1);
    strv_clear(&links);
}
END_TEST

/* RemoveOnStop=: what is still a socket, a FIFO, a symlink goes; what
 * someone put in their place stays. */
START_TEST(test_remove)
{
    struct socket_listen *s = add_path(SOCKET_LISTEN_STREAM, at("s.sock"));
    struct socket_listen *f = add_path(SOCKET_LISTEN_FIFO, at("f.fifo"));
    struct socket_listen *t = add_path(SOCKET_LISTEN_SEQPACKET, at("t.sock"));
    struct strv links = {0};
    ck_assert_int_eq(strv_push(&links, at("l1")), 0);
    ck_assert_int_eq(strv_push(&links, at("l2")), 0);
    us.symlinks = links;
    us.remove_on_stop = true;
    int fds[3] = {open_ok(s), open_ok(f), open_ok(t)};
    ck_assert_int_eq(symlink(s->text, links.v[0]), 0);
    ck_assert_int_eq(symlink(s->text, links.v[1]), 0);
    for (int i = 0; i < 3; i++)
        close(fds[i]);
    /* t.sock and l2 were replaced by files meanwhile. */
    ck_assert_int_eq(unlink(t->text), 0);
    write_file(t->text, "t\n");
    ck_assert_int_eq(unlink(links.v[1]), 0);
    write_file(links.v[1], "l\n");
    socket_paths_remove(&unit);
    ck_assert_int_eq(access(s->text, F_OK), -1);
    ck_assert_int_eq(access(f->text, F_OK), -1);
    struct stat st;
    ck_assert_int_eq(lstat(links.v[0], &st), -1);
    check_file(t->text, "t\n", 0644);
    check_file(links.v[1], "l\n", 0644);
    /* A FIFO's path holding a socket, a socket's holding a FIFO: kept. */
    ck_assert_int_eq(mkfifo(s->text, 0600), 0);
    int x = open_ok(add_path(SOCKET_LISTEN_STREAM, f->text));
    close(x);
    us.n = 2;
    socket_paths_remove(&unit);
    ck_assert_int_eq(lstat(s->text, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    ck_assert_int_eq(lstat(f->text, &st), 0);
    ck_assert(S_ISSOCK(st.st_mode));
    strv_clear(&links);
}
END_TEST

/* The walk itself: what it refuses, root's link loops. */
START_TEST(test_safe_path)
{
    char name[16];
    errno = 0;
    ck_assert_int_eq(safe_path_parent("rel/x", false, 0, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(safe_path_parent(at("x/"), false, 0, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(safe_path_parent(at(".."), false, 0, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(safe_path_parent(at("a-name-longer-than-16"), false, 0, name, sizeof(name)),
                     -1);
    ck_assert_int_eq(errno, ENAMETOOLONG);
    ck_assert_int_eq(safe_path_parent(at("missing/x"), false, 0, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_int_eq(access(at("missing"), F_OK), -1);
    write_file(at("file"), "f\n");
    ck_assert_int_eq(safe_path_parent(at("file/x"), true, 0755, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, ENOTDIR);
    ck_assert_int_eq(symlink(at("loop2"), at("loop1")), 0);
    ck_assert_int_eq(symlink(at("loop1"), at("loop2")), 0);
    ck_assert_int_eq(safe_path_parent(at("loop1/x"), true, 0755, name, sizeof(name)), -1);
    ck_assert_int_eq(errno, ELOOP);
    /* Not root (a user's pxinit): root's links still count, its own too,
     * another user's not. */
    ck_assert_int_eq(mkdir(at("r"), 0755), 0);
    ck_assert_int_eq(symlink(at("r"), at("rootlink")), 0);
    ck_assert_int_eq(symlink(at("r"), at("daemonlink")), 0);
    ck_assert_int_eq(lchown(at("daemonlink"), 1, 1), 0);
    ck_assert_int_eq(symlink(at("r"), at("nobodylink")), 0);
    uid_t nobody;
    gid_t ngid;
    user_ids("nobody", &nobody, &ngid);
    ck_assert_int_eq(lchown(at("nobodylink"), nobody, ngid), 0);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (setresuid(nobody, nobody, nobody) < 0)
            _exit(10);
        int a = safe_path_parent(at("rootlink/x"), false, 0, name, sizeof(name));
        int b = safe_path_parent(at("nobodylink/x"), false, 0, name, sizeof(name));
        int c = safe_path_parent(at("daemonlink/x"), false, 0, name, sizeof(name));
        _exit(a >= 0 && b >= 0 && c < 0 && errno == ELOOP ? 0 : 11);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(status, 0);
    int fd = safe_path_parent(at("./d/./e/../f/x"), true, 0700, name, sizeof(name));
    ck_assert_int_ge(fd, 0);
    check_flags_cloexec(fd);
    ck_assert_str_eq(name, "x");
    struct stat st, want;
    ck_assert_int_eq(fstat(fd, &st), 0);
    ck_assert_int_eq(stat(at("d/f"), &want), 0);
    ck_assert_uint_eq(st.st_ino, want.st_ino);
    close(fd);
}
END_TEST

static Suite *socket_open_suite(void)
{
    Suite *s = suite_create("socket_open");
    TCase *tc = tcase_create("paths");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_path_mode, 0, 3);
    tcase_add_loop_test(tc, test_path_owner, 0, 2);
    tcase_add_test(tc, test_parents);
    tcase_add_test(tc, test_stale_socket);
    tcase_add_loop_test(tc, test_planted_entry, 0, 5);
    tcase_add_test(tc, test_parent_symlink);
    tcase_add_test(tc, test_fifo);
    tcase_add_test(tc, test_fifo_reuse);
    tcase_add_loop_test(tc, test_fifo_refused, 0, 7);
    tcase_add_test(tc, test_symlinks);
    tcase_add_test(tc, test_symlinks_ambiguous);
    tcase_add_test(tc, test_remove);
    tcase_add_test(tc, test_safe_path);
    suite_add_tcase(s, tc);
    TCase *ip = tcase_create("net");
    tcase_add_checked_fixture(ip, setup, teardown);
    tcase_add_test(ip, test_tcp4_options);
    tcase_add_test(ip, test_tcp4_describe);
    tcase_add_loop_test(ip, test_bare_port, 0, 2);
    tcase_add_test(ip, test_tcp6);
    tcase_add_test(ip, test_datagram_seqpacket);
    tcase_add_test(ip, test_abstract);
    tcase_add_test(ip, test_unix_describe);
    suite_add_tcase(s, ip);
    return s;
}

int main(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "check_socket_open: needs root (chown, SocketUser=)\n");
        return 77;
    }
    SRunner *sr = srunner_create(socket_open_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
