/* check_control.c - the control socket server (control.c, control_client.c)
 * driven through its dispatcher seam: a real socket in a temporary runtime
 * directory, a fake dispatcher in place of control_verbs.c, requests written
 * by a client, replies read back, the loop run in between. A malformed or
 * overlong request drops that client, never the server. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control/control.h"
#include "control/control_int.h"
#include "run/pxinit.h"

static struct pxinit px;
static char dir[64];

/* What the fake dispatcher saw. */
static int requests, settles, reloads, stops;
static char last_argv[4][64];
static int last_argc;
static struct ctl_client *waiting; /* left busy by "wait" */

/* echo WORDS...: one reply line with the words; wait: stays busy until the
 * settle callback ends it; anything else: ends with code 0. */
static void fake_request(struct ctl_client *c, int argc, char **argv)
{
    requests++;
    last_argc = argc;
    for (int i = 0; i < argc && i < 4; i++)
        snprintf(last_argv[i], sizeof(last_argv[i]), "%s", argv[i]);
    if (strcmp(argv[0], "echo") == 0) {
        for (int i = 1; i < argc; i++)
            ctl_reply(c, "word %s", argv[i]);
    } else if (strcmp(argv[0], "wait") == 0) {
        waiting = c;
        ctl_settle_soon(c->ctl);
        return;
    }
    ctl_request_done(c);
}

static void fake_settle(struct ctl *ctl)
{
    settles++;
    if (waiting) {
        struct ctl_client *c = waiting;
        waiting = NULL;
        ctl_reply(c, "settled");
        ctl_request_done(c);
    }
}

static void fake_reload(struct ctl *ctl)
{
    reloads++;
}

static void fake_stop(struct ctl *ctl)
{
    stops++;
}

static const struct ctl_dispatcher fake = {
    .request = fake_request,
    .settle = fake_settle,
    .reload = fake_reload,
    .stop = fake_stop,
};

static void setup(void)
{
    memset(&px, 0, sizeof(px));
    requests = settles = reloads = stops = last_argc = 0;
    waiting = NULL;
    snprintf(dir, sizeof(dir), "/tmp/check_control.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    px.opts.runtime_dir = dir;
    px.loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(px.loop);
    ev_set_userdata(px.loop, &px);
    control_start(&px, &fake);
    ck_assert_ptr_nonnull(px.ctl);
    ck_assert_int_ge(px.ctl->listen_fd, 0);
}

static void teardown(void)
{
    if (px.ctl)
        control_stop(&px);
    ev_loop_destroy(px.loop);
    char path[128];
    snprintf(path, sizeof(path), "%s/status", dir);
    unlink(path);
    rmdir(dir);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int client_connect(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/control", dir);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static void client_send(int fd, const char *text, size_t len)
{
    ck_assert_int_eq(send(fd, text, len, MSG_NOSIGNAL), (ssize_t)len);
}

/* Runs the loop and reads what the server writes until want appears in it
 * (or the server closes, or 5 s pass). Returns whether it did; buf holds
 * everything read, *eof whether the server closed the connection. */
static bool read_until(int fd, const char *want, char *buf, size_t size, bool *eof)
{
    size_t len = 0;
    double deadline = now() + 5.;
    *eof = false;
    buf[0] = '\0';
    while (now() < deadline) {
        ev_run(px.loop, EVRUN_NOWAIT);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 10) < 0 && errno != EINTR)
            return false;
        if (!(p.revents & (POLLIN | POLLHUP)))
            continue;
        ssize_t n = recv(fd, buf + len, size - 1 - len, MSG_DONTWAIT);
        if (n == 0) {
            *eof = true;
            return strstr(buf, want) != NULL;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0) { /* ECONNRESET: closed with our bytes unread */
            *eof = true;
            return strstr(buf, want) != NULL;
        }
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, want))
            return true;
    }
    return false;
}

START_TEST(test_request_reaches_dispatcher)
{
    int fd = client_connect();
    client_send(fd, "echo  one\ttwo\r\n", 15); /* words split at spaces and tabs */
    char buf[1024];
    bool eof;
    ck_assert_msg(read_until(fd, "end 0\n", buf, sizeof(buf), &eof), "reply: %s", buf);
    ck_assert_str_eq(buf, "word one\nword two\nend 0\n");
    ck_assert_int_eq(requests, 1);
    ck_assert_int_eq(last_argc, 3);
    ck_assert_str_eq(last_argv[0], "echo");
    ck_assert_str_eq(last_argv[2], "two");
    /* The connection stays open for another request. */
    client_send(fd, "ping\n", 5);
    ck_assert(read_until(fd, "end 0\n", buf, sizeof(buf), &eof));
    ck_assert_int_eq(requests, 2);
    ck_assert(!eof);
    close(fd);
}
END_TEST

/* Two requests in one write are handled one after the other. */
START_TEST(test_pipelined_requests)
{
    int fd = client_connect();
    client_send(fd, "echo a\necho b\n", 14);
    char buf[1024];
    bool eof;
    ck_assert(read_until(fd, "word b\nend 0\n", buf, sizeof(buf), &eof));
    ck_assert_str_eq(buf, "word a\nend 0\nword b\nend 0\n");
    ck_assert_int_eq(requests, 2);
    close(fd);
}
END_TEST

/* A request left waiting is ended by the dispatcher's settle callback, run
 * once the loop is idle (ctl_settle_soon()). */
START_TEST(test_waiting_request_settles)
{
    int fd = client_connect();
    client_send(fd, "wait\n", 5);
    char buf[1024];
    bool eof;
    ck_assert_msg(read_until(fd, "end 0\n", buf, sizeof(buf), &eof), "reply: %s", buf);
    ck_assert_str_eq(buf, "settled\nend 0\n");
    ck_assert_int_ge(settles, 1);
    close(fd);
}
END_TEST

static void expect_dropped(const char *request, size_t len, const char *error)
{
    int fd = client_connect();
    client_send(fd, request, len);
    char buf[8192];
    bool eof;
    ck_assert_msg(read_until(fd, "end 2\n", buf, sizeof(buf), &eof), "reply: %s", buf);
    ck_assert_msg(strstr(buf, error), "reply: %s", buf);
    /* Then the server closes that connection ... */
    if (!eof) {
        char more[64];
        bool dummy;
        ck_assert(!read_until(fd, "never", more, sizeof(more), &dummy) && dummy);
    }
    close(fd);
    ck_assert_int_eq(requests, 0); /* the dispatcher never saw it */
    /* ... and goes on serving others. */
    fd = client_connect();
    client_send(fd, "ping\n", 5);
    ck_assert(read_until(fd, "end 0\n", buf, sizeof(buf), &eof));
    ck_assert_int_eq(requests, 1);
    close(fd);
}

START_TEST(test_malformed_request_drops_client)
{
    expect_dropped("ping\001\n", 6, "malformed request");
}
END_TEST

START_TEST(test_nul_in_request_drops_client)
{
    expect_dropped("ping\0x\n", 7, "malformed request");
}
END_TEST

START_TEST(test_overlong_request_drops_client)
{
    static char line[PROTO_MAX_REQUEST + 16];
    memset(line, 'a', sizeof(line));
    expect_dropped(line, sizeof(line), "request too long");
}
END_TEST

/* The server fills in run/'s hooks and hands SIGHUP's reload to the
 * dispatcher; at stop the dispatcher frees what it holds and the hooks are
 * cleared. */
START_TEST(test_hooks_and_stop)
{
    ck_assert_ptr_nonnull(px.hooks.unit_changed);
    run_hooks_daemon_reload(&px.hooks);
    ck_assert_int_eq(reloads, 1);
    control_stop(&px);
    ck_assert_ptr_null(px.ctl);
    ck_assert_int_eq(stops, 1);
    ck_assert_ptr_null(px.hooks.unit_changed);
    run_hooks_daemon_reload(&px.hooks); /* nobody listens: nothing happens */
    ck_assert_int_eq(reloads, 1);
}
END_TEST

static Suite *control_suite(void)
{
    Suite *s = suite_create("control");
    TCase *tc = tcase_create("server");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_request_reaches_dispatcher);
    tcase_add_test(tc, test_pipelined_requests);
    tcase_add_test(tc, test_waiting_request_settles);
    tcase_add_test(tc, test_malformed_request_drops_client);
    tcase_add_test(tc, test_nul_in_request_drops_client);
    tcase_add_test(tc, test_overlong_request_drops_client);
    tcase_add_test(tc, test_hooks_and_stop);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(control_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
