/* check_signals.c - signals_sleep(): pxinit must not wait in sigwaitinfo
 * while a signalled socket holds what its signal announced and that signal
 * is spent. The socket is the real notify socket (notify_init(), armed with
 * O_ASYNC), the signals the real signalfd (signals_start()); an iteration in
 * which epoll reported the signalfd but not yet the socket, which became
 * readable after the poll and before the signalfd's read, is played by
 * feeding the signalfd's watcher alone. Whether signals_sleep() waited is
 * told by a SIGUSR2 left pending before it: a wait takes it. The trick is
 * tested whatever PXINIT_PLAIN says; with it off, the plain way is checked. */
#include <check.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/tricks.h"
#include "run/notify.h"
#include "run/pxinit.h"
#include "run/signals.h"

static struct pxinit px;
static char dir[64];
static int taken; /* signals handed to the callback */

static bool take(void *ctx, int sig, pid_t pid, int code)
{
    taken++;
    return false;
}

static const struct notify_ops no_ops;

static void setup(void)
{
    memset(&px, 0, sizeof(px));
    snprintf(dir, sizeof(dir), "/tmp/check_signals.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    px.opts.runtime_dir = dir;
    px.reaper.epfd = -1;
    px.loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(px.loop);
    ev_set_userdata(px.loop, &px);
    taken = 0;
    ck_assert_int_eq(signals_start(&px.signals, px.loop, NULL, take, &px), 0);
    ck_assert_int_eq(notify_init(&px, &no_ops), 0);
}

static void setup_trick(void)
{
    trick_configure(NULL);
    setup();
    ck_assert_int_eq(px.signals.narmed, 1); /* the notify socket */
}

static void setup_plain(void)
{
    trick_configure("sigwait");
    setup();
    ck_assert_int_eq(px.signals.narmed, 0);
}

static void teardown(void)
{
    notify_close(&px);
    signals_stop(&px.signals);
    ev_loop_destroy(px.loop);
    rmdir(dir);
}

/* A datagram on the notify socket, as a service's sd_notify sends it. */
static void send_datagram(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", px.notify_path);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(sendto(fd, "STATUS=x", 8, 0, (struct sockaddr *)&sa, sizeof(sa)), 8);
    close(fd);
}

static bool pending(int sig)
{
    sigset_t set;
    ck_assert_int_eq(sigpending(&set), 0);
    return sigismember(&set, sig);
}

/* The loop as main.c runs it, up to the point where nothing is left to poll:
 * the next signals_sleep() would wait. Returns ev_run()'s count. */
static int settle(void)
{
    int active = ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_int_eq(active, 2); /* the signalfd and the notify socket */
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_NOWAIT); /* the first poll */
    ck_assert_int_eq(ev_run(px.loop, EVRUN_NOWAIT), active);
    return active;
}

/* The iteration in which only the signalfd was reported: it reads the
 * socket's signal, and the socket is left to the next poll. */
static void signalfd_alone(void)
{
    ck_assert(pending(SIGRTMIN) || pending(SIGIO));
    ev_feed_event(px.loop, &px.signals.io, EV_READ);
    ev_invoke_pending(px.loop);
    ck_assert(!pending(SIGRTMIN) && !pending(SIGIO));
}

START_TEST(test_sigio_read_by_signalfd_polls)
{
    int active = settle();
    send_datagram(); /* after the poll: the socket's signal */
    signalfd_alone();
    raise(SIGUSR2);
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_NOWAIT);
    ck_assert_msg(pending(SIGUSR2), "waited in sigwaitinfo with a datagram unread");
}
END_TEST

/* A SIGIO someone sent may have absorbed the socket's (a plain SIGIO when
 * the realtime queue is full). */
START_TEST(test_user_sigio_read_by_signalfd_polls)
{
    int active = settle();
    raise(SIGIO);
    send_datagram();
    signalfd_alone();
    raise(SIGUSR2);
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_NOWAIT);
    ck_assert_msg(pending(SIGUSR2), "waited in sigwaitinfo with a datagram unread");
}
END_TEST

/* A signal waited for in sigwaitinfo goes to the callback, which says the
 * loop must look again (false): the wait ends there. */
START_TEST(test_sleep_hands_signal_to_callback)
{
    int active = settle();
    raise(SIGUSR1);
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_NOWAIT);
    ck_assert_int_eq(taken, 1);
    ck_assert(!pending(SIGUSR1));
}
END_TEST

/* The plain way: no socket raises a signal, and the loop always waits in
 * epoll_wait, never in sigwaitinfo. */
START_TEST(test_plain_waits_in_epoll)
{
    int active = ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_int_eq(active, 2);
    raise(SIGUSR2);
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_ONCE);
    ck_assert_int_eq(signals_sleep(&px.signals, active), EVRUN_ONCE);
    ck_assert_msg(pending(SIGUSR2), "waited in sigwaitinfo with the trick off");
    ck_assert_int_eq(taken, 0);
    send_datagram();
    ck_assert(!pending(SIGRTMIN) && !pending(SIGIO)); /* not armed */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    int sig;
    ck_assert_int_eq(sigwait(&set, &sig), 0);
}
END_TEST

static Suite *signals_suite(void)
{
    Suite *s = suite_create("signals");
    TCase *tc = tcase_create("sleep");
    tcase_add_checked_fixture(tc, setup_trick, teardown);
    tcase_add_test(tc, test_sigio_read_by_signalfd_polls);
    tcase_add_test(tc, test_user_sigio_read_by_signalfd_polls);
    tcase_add_test(tc, test_sleep_hands_signal_to_callback);
    suite_add_tcase(s, tc);
    tc = tcase_create("plain");
    tcase_add_checked_fixture(tc, setup_plain, teardown);
    tcase_add_test(tc, test_plain_waits_in_epoll);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(signals_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
