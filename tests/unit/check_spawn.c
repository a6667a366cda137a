/* check_spawn.c - spawn.h from outside: a service's double fork and the main
 * command's single fork, each test once with the CLONE_VM trick on
 * (trick_configure(NULL)) and once with it off (trick_configure("all")):
 * the exit is observed, exec failures come back as {stage, errno} (127 and
 * 126 for the main command), and the process that execs has a clean signal
 * mask, default dispositions but an ignored SIGPIPE, and fds 0-2 only.
 *
 * The test process makes itself a subreaper, so the services it double-forks
 * are its children and it reaps them; every pid spawned is killed and
 * reaped at exit, also when an assertion fails (Check's fork mode kills the
 * test's process group only, and a service has a session of its own). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/tricks.h"
#include "exec/spawn.h"

#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif

#define DEADLINE_MS 3000 /* below Check's default timeout of 4 s */

/* Spawned pids, killed and reaped at exit whatever happened. */
static pid_t spawned[16];
static int nspawned;

static void reap_spawned(void)
{
    for (int i = 0; i < nspawned; i++) {
        if (spawned[i] <= 0)
            continue;
        kill(spawned[i], SIGKILL);
        while (waitpid(spawned[i], NULL, 0) < 0 && errno == EINTR)
            ;
    }
    nspawned = 0;
}

static void track(pid_t pid)
{
    ck_assert_int_lt(nspawned, (int)(sizeof(spawned) / sizeof(spawned[0])));
    spawned[nspawned++] = pid;
}

/* Reaped by the test itself: not to be killed at exit. */
static void untrack(pid_t pid)
{
    for (int i = 0; i < nspawned; i++)
        if (spawned[i] == pid)
            spawned[i] = 0;
}

static char *const no_env[] = {"PATH=/usr/bin:/bin", NULL};
static sigset_t empty_mask;

/* Mode 0: the trick on (as pxinit runs by default); 1: off. */
static void setup_mode(int mode)
{
    trick_configure(mode ? "all" : NULL);
    ck_assert(trick_on(TRICK_CLONE_VM) == (mode == 0));
    ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
    atexit(reap_spawned);
    sigemptyset(&empty_mask);
}

/* Whether this kernel lets spawn.c use the island (close_range's
 * CLOSE_RANGE_UNSHARE, Linux 5.9); it forks otherwise, trick or not. */
static bool island_possible(void)
{
    return syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) == 0;
}

static struct spawn_params service(const char *path, char *const *argv)
{
    return (struct spawn_params){
        .path = path,
        .argv = argv,
        .envp = no_env,
        .cwd = "/",
        .umask = 022,
        .fd_out = SPAWN_FD_NULL,
        .fd_err = SPAWN_FD_NULL,
        .sigmask = &empty_mask,
        .ignore_sigpipe = true,
        .double_fork = true,
        .async_exec = true,
        .what = path,
    };
}

/* What a spawn reported: on its pipe (read to EOF) or in the handle. */
struct seen {
    pid_t pid; /* the process that execs */
    int stage, err;
};

static long ms_left(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long gone = (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
    return DEADLINE_MS - gone;
}

static void read_report(int fd, struct seen *s)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct spawn_msg m;
        int r = spawn_read_msg(fd, &m);
        if (r == 0)
            break;
        if (r == 1 && m.kind == SPAWN_MSG_PID) {
            s->pid = m.pid;
        } else if (r == 1 && m.kind == SPAWN_MSG_ERROR) {
            s->stage = m.stage;
            s->err = m.err;
        } else {
            ck_assert_int_eq(errno, EAGAIN);
            long left = ms_left(&start);
            ck_assert_msg(left > 0, "no EOF on the report pipe within %d ms", DEADLINE_MS);
            struct pollfd pfd = {.fd = fd, .events = POLLIN};
            ck_assert_int_ge(poll(&pfd, 1, (int)left), 0);
        }
    }
    close(fd);
}

/* Spawns p and follows it until the process that execs is known (and its
 * report read to EOF, if it has a pipe); the intermediate is reaped. */
static pid_t last_handle_pid; /* the last spawn's h.pid: > 0 on the island */

static struct seen spawn_follow(const struct spawn_params *p)
{
    struct spawn_handle h;
    struct seen s = {0};
    ck_assert_int_eq(spawn_start(p, &h), 0);
    last_handle_pid = h.pid;
    ck_assert_int_gt(h.child, 0);
    track(h.child);
    s.pid = h.pid;
    s.stage = h.stage;
    s.err = h.err;
    if (!p->double_fork)
        s.pid = h.child;
    if (h.report_fd >= 0)
        read_report(h.report_fd, &s);
    if (p->double_fork) {
        int status;
        ck_assert_int_eq(waitpid(h.child, &status, 0), h.child);
        untrack(h.child);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "intermediate ended with status %#x", status);
        ck_assert_int_gt(s.pid, 0);
        track(s.pid);
    }
    return s;
}

/* The exit status of pid, a child of ours by now. */
static int reap(pid_t pid)
{
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    untrack(pid);
    return status;
}

START_TEST(test_true)
{
    setup_mode(_i);
    char *argv[] = {"true", NULL};
    struct spawn_params p = service("/bin/true", argv);
    struct seen s = spawn_follow(&p);
    ck_assert_int_eq(s.stage, 0);
    int status = reap(s.pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int stage, err;
    char what[64];
    ck_assert(!spawn_take_failure(s.pid, &stage, &err, what, sizeof(what)));

    /* A Type=exec service's own pipe: EOF, nothing else, once it exec'd. */
    p.async_exec = false;
    s = spawn_follow(&p);
    ck_assert_int_eq(s.stage, 0);
    status = reap(s.pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* The main command: forked once, a child of ours. */
    p.double_fork = false;
    p.shell_exit_codes = true;
    s = spawn_follow(&p);
    ck_assert_int_eq(s.stage, 0);
    status = reap(s.pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

/* The trick is what spawn_start() does while it is on: the island leaves
 * the service's pid in the handle, plain fork() sends it on a pipe. */
START_TEST(test_trick_switch)
{
    setup_mode(_i);
    char *argv[] = {"true", NULL};
    struct spawn_params p = service("/bin/true", argv);
    struct spawn_handle h;
    ck_assert_int_eq(spawn_start(&p, &h), 0);
    track(h.child);
    if (_i == 0 && island_possible()) {
        ck_assert_int_gt(h.pid, 0);
        ck_assert_int_eq(h.report_fd, -1);
    } else {
        ck_assert_int_eq(h.pid, 0);
        ck_assert_int_ge(h.report_fd, 0);
        struct seen s = {0};
        read_report(h.report_fd, &s);
        h.pid = s.pid;
    }
    ck_assert_int_eq(WEXITSTATUS(reap(h.child)), 0);
    ck_assert_int_gt(h.pid, 0);
    track(h.pid);
    ck_assert_int_eq(WEXITSTATUS(reap(h.pid)), 0);
}
END_TEST

/* A file no one may execute (mode 0644: not even root); freed by the caller. */
static char *make_noexec(void)
{
    char tmpl[] = "/tmp/check_spawn.XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "#!/bin/sh\n", 10), 10);
    close(fd);
    ck_assert_int_eq(chmod(tmpl, 0644), 0);
    return strdup(tmpl);
}

/* The main command: 127 when not found, 126 when not executable, both
 * reported as {exec, errno} on its pipe. */
START_TEST(test_main_exec_failure)
{
    setup_mode(_i);
    char *noexec = make_noexec();
    const struct {
        const char *path;
        int err, code;
    } cases[] = {
        {"/nonexistent/pxinit-check-spawn", ENOENT, 127},
        {noexec, EACCES, 126},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[] = {"cmd", NULL};
        struct spawn_params p = service(cases[i].path, argv);
        p.double_fork = false;
        p.shell_exit_codes = true;
        struct seen s = spawn_follow(&p);
        ck_assert_int_eq(s.stage, SPAWN_STAGE_EXEC);
        ck_assert_int_eq(s.err, cases[i].err);
        ck_assert_int_eq(spawn_exit_code(s.stage, s.err, true), cases[i].code);
        int status = reap(s.pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == cases[i].code,
                      "%s: status %#x, want exit %d", cases[i].path, status, cases[i].code);
    }
    unlink(noexec);
    free(noexec);
}
END_TEST

/* A service's failed exec: exit 203 (systemd's), reported on the shared pipe
 * when it is reaped (the island) or on the spawn's pipe (plain fork(), and
 * Type=exec either way), naming the command. */
START_TEST(test_service_exec_failure)
{
    setup_mode(_i);
    char *noexec = make_noexec();
    const char *paths[] = {"/nonexistent/pxinit-check-spawn", noexec};
    const int errs[] = {ENOENT, EACCES};
    for (int i = 0; i < 4; i++) {
        char *argv[] = {"cmd", NULL};
        struct spawn_params p = service(paths[i % 2], argv);
        p.async_exec = i < 2;
        struct seen s = spawn_follow(&p);
        int status = reap(s.pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == SPAWN_EXIT_EXEC,
                      "status %#x, want exit %d", status, SPAWN_EXIT_EXEC);
        int stage = s.stage, err = s.err;
        char what[64] = "";
        bool shared = spawn_take_failure(s.pid, &stage, &err, what, sizeof(what));
        ck_assert(shared || s.stage);
        ck_assert(!(shared && s.stage)); /* one report, one place */
        if (shared)
            ck_assert_str_eq(what, paths[i % 2]);
        ck_assert_int_eq(stage, SPAWN_STAGE_EXEC);
        ck_assert_int_eq(err, errs[i % 2]);
    }
    unlink(noexec);
    free(noexec);
}
END_TEST

static void on_signal(int sig)
{
    (void)sig;
}

/* Polls until pid has exec'd (its name is comm), within the deadline. */
static void wait_exec(pid_t pid, const char *comm)
{
    char path[64], buf[64];
    snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        FILE *f = fopen(path, "re");
        ck_assert_ptr_nonnull(f);
        bool done = fgets(buf, sizeof(buf), f) && strncmp(buf, comm, strlen(comm)) == 0;
        fclose(f);
        if (done)
            return;
        ck_assert_msg(ms_left(&start) > 0, "%d did not exec %s within %d ms", (int)pid, comm,
                      DEADLINE_MS);
        struct timespec tick = {0, 1000000};
        nanosleep(&tick, NULL);
    }
}

/* The value of a "Sig...:" line of /proc/pid/status. */
static unsigned long long sig_field(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    ck_assert_ptr_nonnull(f);
    unsigned long long v = ~0ULL;
    size_t n = strlen(field);
    while (fgets(line, sizeof(line), f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            v = strtoull(line + n + 1, NULL, 16);
    fclose(f);
    ck_assert_msg(v != ~0ULL, "no %s in %s", field, path);
    return v;
}

/* A service starts with nothing blocked, nothing caught and only SIGPIPE
 * ignored (IgnoreSIGPIPE=yes, systemd's default), or nothing with
 * IgnoreSIGPIPE=no, whatever pxinit blocks, catches or ignores. */
START_TEST(test_signals_clean)
{
    setup_mode(_i);
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGCHLD);
    ck_assert_int_eq(sigprocmask(SIG_BLOCK, &block, NULL), 0);
    struct sigaction ign = {.sa_handler = SIG_IGN}, catch = {.sa_handler = on_signal};
    ck_assert_int_eq(sigaction(SIGUSR2, &ign, NULL), 0);
    ck_assert_int_eq(sigaction(SIGHUP, &ign, NULL), 0);
    ck_assert_int_eq(sigaction(SIGPIPE, &ign, NULL), 0);
    ck_assert_int_eq(sigaction(SIGINT, &catch, NULL), 0);
    ck_assert_int_eq(sigaction(SIGRTMIN + 1, &ign, NULL), 0);

    for (int ignore_pipe = 1; ignore_pipe >= 0; ignore_pipe--) {
        char *argv[] = {"sleep", "30", NULL};
        struct spawn_params p = service("/bin/sleep", argv);
        p.ignore_sigpipe = ignore_pipe;
        struct seen s = spawn_follow(&p);
        wait_exec(s.pid, "sleep");
        ck_assert_uint_eq(sig_field(s.pid, "SigBlk"), 0);
        ck_assert_uint_eq(sig_field(s.pid, "SigCgt"), 0);
        ck_assert_uint_eq(sig_field(s.pid, "SigIgn"), ignore_pipe ? 1ULL << (SIGPIPE - 1) : 0);
        ck_assert_int_eq(kill(s.pid, SIGKILL), 0);
        ck_assert(WIFSIGNALED(reap(s.pid)));
    }
}
END_TEST

/* The fds of pid above 2, as "N->target ..." in buf; their count. */
static int list_extra_fds(pid_t pid, char *buf, size_t size)
{
    char path[64], target[128];
    int n = 0;
    size_t used = 0;
    buf[0] = '\0';
    for (int fd = 3; fd < 1024; fd++) {
        snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
        ssize_t len = readlink(path, target, sizeof(target) - 1);
        if (len < 0)
            continue;
        target[len] = '\0';
        n++;
        int w = snprintf(buf + used, size - used, "%d->%s ", fd, target);
        if (w > 0 && (size_t)w < size - used)
            used += (size_t)w;
    }
    return n;
}

/* Polls until pid has no fd above 2: the program it exec'd may hold one of
 * its own for a moment while it starts (a locale file); one of pxinit's
 * would stay. */
static void assert_only_std_fds(pid_t pid)
{
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char extra[512];
    while (list_extra_fds(pid, extra, sizeof(extra)) > 0) {
        ck_assert_msg(ms_left(&start) > 0, "service %d has fds %s", (int)pid, extra);
        struct timespec tick = {0, 1000000};
        nanosleep(&tick, NULL);
    }
    char path[64];
    for (int fd = 0; fd < 3; fd++) {
        snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
        ck_assert_msg(access(path, F_OK) == 0, "service %d has no fd %d", (int)pid, fd);
    }
}

/* A service keeps none of pxinit's fds but 0-2, CLOEXEC or not; its 1 is
 * the output pipe it was given, its 0 /dev/null. */
START_TEST(test_fds)
{
    setup_mode(_i);
    int keep = open("/dev/null", O_RDONLY); /* not CLOEXEC: still not passed */
    ck_assert_int_ge(keep, 0);
    ck_assert_int_eq(dup2(keep, 60), 60);
    ck_assert_int_ge(fcntl(keep, F_DUPFD_CLOEXEC, 100), 100);
    int out[2];
    ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
    struct stat want;
    ck_assert_int_eq(fstat(out[1], &want), 0);

    char *argv[] = {"sleep", "30", NULL};
    struct spawn_params p = service("/bin/sleep", argv);
    p.fd_out = out[1];
    struct seen s = spawn_follow(&p);
    wait_exec(s.pid, "sleep");
    assert_only_std_fds(s.pid);
    char path[64];
    struct stat got;
    snprintf(path, sizeof(path), "/proc/%d/fd/1", (int)s.pid);
    ck_assert_int_eq(stat(path, &got), 0);
    ck_assert(got.st_ino == want.st_ino && got.st_dev == want.st_dev);
    snprintf(path, sizeof(path), "/proc/%d/fd/0", (int)s.pid);
    char link[PATH_MAX];
    ssize_t len = readlink(path, link, sizeof(link) - 1);
    ck_assert_int_gt(len, 0);
    link[len] = '\0';
    ck_assert_str_eq(link, "/dev/null");
    ck_assert_int_eq(kill(s.pid, SIGKILL), 0);
    ck_assert(WIFSIGNALED(reap(s.pid)));
}
END_TEST

/* The inode of pid's fd, or 0 when it has none. */
static ino_t fd_ino(pid_t pid, int fd)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
    return stat(path, &st) == 0 ? st.st_ino : 0;
}

#define NLISTEN 12

/* Listening fds go to 3, 4, ... in their order, whatever their numbers:
 * some sit on the targets of others, in reverse, others far above; the
 * report pipe, wherever it landed, still reports (an exec failure after
 * the moves); fd_in becomes stdin; nothing else stays open. */
START_TEST(test_listen_fds)
{
    setup_mode(_i);
    int src[NLISTEN];
    ino_t ino[NLISTEN];
    int nextra = 0;
    for (int i = 0; i < NLISTEN; i++) {
        int pp[2];
        ck_assert_int_eq(pipe2(pp, O_CLOEXEC), 0);
        close(pp[1]);
        /* 0-3: on the targets of 11-14 down to 3+8, in reverse; the rest high. */
        int want = i < 4 ? 3 + NLISTEN - 1 - i : 200 + nextra++;
        ck_assert_msg(want >= 200 || fcntl(want, F_GETFD) < 0, "fd %d is taken", want);
        if (pp[0] != want) {
            ck_assert_int_eq(dup3(pp[0], want, O_CLOEXEC), want);
            close(pp[0]);
        }
        src[i] = want;
        struct stat st;
        ck_assert_int_eq(fstat(want, &st), 0);
        ino[i] = st.st_ino;
    }
    int in[2];
    ck_assert_int_eq(pipe2(in, O_CLOEXEC), 0);
    struct stat in_st;
    ck_assert_int_eq(fstat(in[0], &in_st), 0);

    char *argv[] = {"sleep", "30", NULL};
    struct spawn_params p = service("/bin/sleep", argv);
    p.listen_fds = src;
    p.nlisten_fds = NLISTEN;
    p.fd_in = in[0];
    struct seen s = spawn_follow(&p);
    /* Given fds, a service still takes the island when it can. */
    ck_assert(_i == 1 || !island_possible() || last_handle_pid > 0);
    wait_exec(s.pid, "sleep");
    for (int i = 0; i < NLISTEN; i++)
        ck_assert_msg(fd_ino(s.pid, 3 + i) == ino[i], "fd %d is not source %d", 3 + i, i);
    ck_assert(fd_ino(s.pid, 0) == in_st.st_ino);
    /* Polled: the program may hold a file of its own for a moment while it
     * starts (a locale file), one of pxinit's would stay. */
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int fd = 3 + NLISTEN; fd < 1024; fd++) {
        while (fd_ino(s.pid, fd) != 0) {
            ck_assert_msg(ms_left(&start) > 0, "fd %d left open", fd);
            struct timespec tick = {0, 1000000};
            nanosleep(&tick, NULL);
        }
    }
    ck_assert_int_eq(kill(s.pid, SIGKILL), 0);
    ck_assert(WIFSIGNALED(reap(s.pid)));

    /* A failure after the moves still reaches the spawn. */
    p = service("/nonexistent/x", argv);
    p.listen_fds = src;
    p.nlisten_fds = NLISTEN;
    p.async_exec = false;
    s = spawn_follow(&p);
    ck_assert_int_eq(s.stage, SPAWN_STAGE_EXEC);
    ck_assert_int_eq(s.err, ENOENT);
    int status = reap(s.pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == SPAWN_EXIT_EXEC);
    for (int i = 0; i < NLISTEN; i++)
        close(src[i]);
    close(in[0]);
    close(in[1]);
}
END_TEST

static Suite *spawn_suite(void)
{
    Suite *s = suite_create("spawn");
    TCase *tc = tcase_create("spawn");
    /* _i: 0 with the CLONE_VM trick, 1 without (PXINIT_PLAIN=all). */
    tcase_add_loop_test(tc, test_true, 0, 2);
    tcase_add_loop_test(tc, test_trick_switch, 0, 2);
    tcase_add_loop_test(tc, test_main_exec_failure, 0, 2);
    tcase_add_loop_test(tc, test_service_exec_failure, 0, 2);
    tcase_add_loop_test(tc, test_signals_clean, 0, 2);
    tcase_add_loop_test(tc, test_fds, 0, 2);
    tcase_add_loop_test(tc, test_listen_fds, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(spawn_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
