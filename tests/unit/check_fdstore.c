/* check_fdstore.c - the fd store (run/fdstore.h) on a loop of its own, with
 * a service record that has just what the store reads (name, unit, state):
 * names, FileDescriptorStoreMax=, refusals that leave the fds to the
 * caller, the same file stored once, removal by name, the order and names
 * handed to a spawn, hangups, FDPOLL=0, a full stop against a restart, the
 * global cap; and the notify parser's FDSTORE lines. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "run/fdstore.h"
#include "run/notify.h"

#define EXEC(u) ((struct unit_exec *)unit_part((u), UNIT_PART_EXEC)) /* allocates it */

static struct pxinit px;
static struct service svc;

static void setup(unsigned max)
{
    memset(&px, 0, sizeof(px));
    px.loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(px.loop);
    ev_set_userdata(px.loop, &px);
    memset(&svc, 0, sizeof(svc));
    svc.unit = unit_new("a.service");
    ck_assert_ptr_nonnull(svc.unit);
    EXEC(svc.unit)->fd_store_max = max;
    svc.name = "a";
    svc.sub = SUB_RUNNING;
}

static void teardown(void)
{
    fdstore_free(&px);
    ev_loop_destroy(px.loop);
    unit_free(svc.unit);
}

static int pipe_read_end(int *w)
{
    int p[2];
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    if (w)
        *w = p[1];
    else
        close(p[1]);
    return p[0];
}

static bool is_open(int fd)
{
    return fcntl(fd, F_GETFD) >= 0;
}

START_TEST(test_names)
{
    char big[300];
    memset(big, 'a', sizeof(big));
    ck_assert(fdstore_name_valid("x", 1));
    ck_assert(fdstore_name_valid("web-1.sock", 10));
    ck_assert(fdstore_name_valid(big, 255));
    ck_assert(!fdstore_name_valid(big, 256));
    ck_assert(!fdstore_name_valid("", 0));
    ck_assert(!fdstore_name_valid("a:b", 3));
    ck_assert(!fdstore_name_valid("a\nb", 3));
    ck_assert(!fdstore_name_valid("a\0b", 3));
    ck_assert(!fdstore_name_valid("\xc3\xa9", 2));
}
END_TEST

START_TEST(test_max_and_order)
{
    setup(2);
    int fds[3] = {pipe_read_end(NULL), pipe_read_end(NULL), pipe_read_end(NULL)};
    int orig[3];
    memcpy(orig, fds, sizeof(fds));
    ck_assert_uint_eq(fdstore_add(&px, &svc, fds, 3, "one", 3, true), 2);
    ck_assert_int_eq(fds[0], -1);
    ck_assert_int_eq(fds[1], -1);
    ck_assert_int_eq(fds[2], orig[2]); /* left to the caller */
    close(fds[2]);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 2);
    ck_assert_uint_eq(fdstore_count(&px, NULL), 2);
    /* Stored close-on-exec. */
    ck_assert_int_eq(fcntl(orig[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);

    struct fd_pass fp;
    fd_pass_init(&fp);
    ck_assert_int_eq(fdstore_collect(&px, &svc, &fp), 0);
    ck_assert_uint_eq(fp.n, 2);
    ck_assert_int_eq(fp.fds[0], orig[0]);
    ck_assert_int_eq(fp.fds[1], orig[1]);
    ck_assert_str_eq(fp.names[0], "one");
    fd_pass_clear(&fp);
    teardown();
    ck_assert(!is_open(orig[0]) && !is_open(orig[1]));
}
END_TEST

START_TEST(test_refused)
{
    setup(0);
    int fd = pipe_read_end(NULL);
    ck_assert_uint_eq(fdstore_add(&px, &svc, &fd, 1, NULL, 0, true), 0);
    ck_assert(fd >= 0 && is_open(fd)); /* the caller closes it */
    ck_assert_uint_eq(fdstore_count(&px, NULL), 0);
    EXEC(svc.unit)->fd_store_max = 4;
    svc.sub = SUB_DEAD; /* a straggler of a stopped unit */
    ck_assert_uint_eq(fdstore_add(&px, &svc, &fd, 1, NULL, 0, true), 0);
    ck_assert(is_open(fd));
    close(fd);
    teardown();
}
END_TEST

START_TEST(test_default_name_and_dedup)
{
    setup(4);
    int fd = pipe_read_end(NULL);
    ck_assert_uint_eq(fdstore_add(&px, &svc, &fd, 1, "a:b", 3, true), 1);
    int again = -1;
    struct fd_pass fp;
    fd_pass_init(&fp);
    ck_assert_int_eq(fdstore_collect(&px, &svc, &fp), 0);
    ck_assert_str_eq(fp.names[0], FDSTORE_NAME_DEFAULT); /* invalid name: the default */
    again = dup(fp.fds[0]);
    fd_pass_clear(&fp);
    ck_assert_int_ge(again, 0);
    ck_assert_uint_eq(fdstore_add(&px, &svc, &again, 1, "y", 1, true), 0);
    ck_assert(again >= 0);
    close(again);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    teardown();
}
END_TEST

START_TEST(test_remove)
{
    setup(4);
    int a[2] = {pipe_read_end(NULL), pipe_read_end(NULL)};
    int keep_a0 = a[0], keep_a1 = a[1];
    int b = pipe_read_end(NULL), keep_b = b;
    ck_assert_uint_eq(fdstore_add(&px, &svc, a, 2, "a", 1, true), 2);
    ck_assert_uint_eq(fdstore_add(&px, &svc, &b, 1, "b", 1, true), 1);
    fdstore_remove(&px, &svc, "a", 1);
    ck_assert(!is_open(keep_a0) && !is_open(keep_a1));
    ck_assert(is_open(keep_b));
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    fdstore_remove(&px, &svc, NULL, 0); /* no name: nothing */
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    teardown();
}
END_TEST

START_TEST(test_hangup_and_fdpoll)
{
    setup(4);
    int w1, w2;
    int watched = pipe_read_end(&w1), unwatched = pipe_read_end(&w2);
    int kw = watched, ku = unwatched;
    ck_assert_uint_eq(fdstore_add(&px, &svc, &watched, 1, "w", 1, true), 1);
    ck_assert_uint_eq(fdstore_add(&px, &svc, &unwatched, 1, "u", 1, false), 1);
    ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 2);
    close(w1);
    close(w2);
    for (int i = 0; i < 10 && fdstore_count(&px, &svc) == 2; i++)
        ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    ck_assert(!is_open(kw));
    ck_assert(is_open(ku));
    teardown();
}
END_TEST

START_TEST(test_stop_against_restart)
{
    setup(4);
    int fd = pipe_read_end(NULL), kfd = fd; /* hung up: not watched */
    ck_assert_uint_eq(fdstore_add(&px, &svc, &fd, 1, "x", 1, false), 1);
    /* A restart: dead, then starting again in the same step. */
    svc.sub = SUB_DEAD;
    fdstore_unit_changed(&px, &svc);
    svc.sub = SUB_START;
    ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    /* Waiting to restart (Restart=): kept. */
    svc.sub = SUB_AUTO_RESTART;
    fdstore_unit_changed(&px, &svc);
    ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 1);
    /* A full stop. */
    svc.sub = SUB_FAILED;
    fdstore_unit_changed(&px, &svc);
    ev_run(px.loop, EVRUN_NOWAIT);
    ck_assert_uint_eq(fdstore_count(&px, &svc), 0);
    ck_assert(!is_open(kfd));
    teardown();
}
END_TEST

START_TEST(test_global_cap)
{
    struct rlimit rl;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
    rl.rlim_cur = 64;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    setup(1000);
    size_t kept = 0;
    int fds[8];
    for (int round = 0; round < 10; round++) {
        for (int i = 0; i < 8; i++)
            fds[i] = pipe_read_end(NULL);
        kept += fdstore_add(&px, &svc, fds, 8, "x", 1, false);
        for (int i = 0; i < 8; i++)
            if (fds[i] >= 0)
                close(fds[i]);
    }
    ck_assert_uint_gt(kept, 0);
    ck_assert_uint_le(kept, 32); /* at most half of the 64 */
    ck_assert_uint_eq(kept, fdstore_count(&px, NULL));
    teardown();
}
END_TEST

START_TEST(test_notify_parse)
{
    struct notify_msg m;
    const char *msg = "FDSTORE=1\nFDNAME=web\nFDPOLL=0";
    notify_parse(msg, strlen(msg), &m);
    ck_assert(m.fdstore && m.fdpoll_off && !m.fdstore_remove);
    ck_assert_uint_eq(m.fdname_len, 3);
    ck_assert(memcmp(m.fdname, "web", 3) == 0);
    msg = "FDSTOREREMOVE=1\nFDNAME=";
    notify_parse(msg, strlen(msg), &m);
    ck_assert(m.fdstore_remove && !m.fdstore && !m.fdpoll_off);
    ck_assert_uint_eq(m.fdname_len, 0);
    msg = "FDSTORE=0\nFDPOLL=1";
    notify_parse(msg, strlen(msg), &m);
    ck_assert(!m.fdstore && !m.fdpoll_off && !m.fdname);
}
END_TEST

static Suite *fdstore_suite(void)
{
    Suite *s = suite_create("fdstore");
    TCase *tc = tcase_create("fdstore");
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_max_and_order);
    tcase_add_test(tc, test_refused);
    tcase_add_test(tc, test_default_name_and_dedup);
    tcase_add_test(tc, test_remove);
    tcase_add_test(tc, test_hangup_and_fdpoll);
    tcase_add_test(tc, test_stop_against_restart);
    tcase_add_test(tc, test_global_cap);
    tcase_add_test(tc, test_notify_parse);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fdstore_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
