/* check_exec_sched.c - a unit's scheduling as the child applies it, and the
 * setgroups() failures a container may cause. */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec_sched.h"
#include "unit/unit.h"

START_TEST(test_of_clamps)
{
    struct unit_exec x = unit_exec_default;
    x.cpu_sched_set = true;
    x.cpu_sched_policy = SCHED_FIFO;
    x.cpu_sched_priority = 0;
    struct exec_sched s = exec_sched_of(&x);
    ck_assert_int_eq(s.cpu_priority, 1); /* real-time: 1..99 */
    x.cpu_sched_policy = SCHED_BATCH;
    x.cpu_sched_priority = 50;
    ck_assert_int_eq(exec_sched_of(&x).cpu_priority, 0);        /* the others: 0 */
    ck_assert_int_eq(s.ioprio, IO_CLASS_BEST_EFFORT << 13 | 4); /* the default */
    x.ioprio_class = IO_CLASS_IDLE;
    x.ioprio_level = 7;
    ck_assert_int_eq(exec_sched_of(&x).ioprio, IO_CLASS_IDLE << 13 | 7);
}
END_TEST

/* In a child: what needs no privilege is applied, in the order that keeps
 * the nice level (a policy change after it would not, with sched_setattr). */
START_TEST(test_apply_unprivileged_settings)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct exec_sched s = {.cpu_set = true,
                               .cpu_policy = SCHED_BATCH,
                               .nice_set = true,
                               .nice = 7,
                               .ioprio_set = true,
                               .ioprio = IO_CLASS_IDLE << 13};
        if (exec_sched_apply(&s) != EXEC_SCHED_OK)
            _exit(1);
        if (sched_getscheduler(0) != SCHED_BATCH)
            _exit(2);
        errno = 0;
        if (getpriority(PRIO_PROCESS, 0) != 7 || errno)
            _exit(3);
        if (syscall(SYS_ioprio_get, 1, 0) != (IO_CLASS_IDLE << 13))
            _exit(4);
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
}
END_TEST

/* Raising one's own nice level always works; lowering it below what
 * RLIMIT_NICE allows, without CAP_SYS_NICE, ends at the closest level. */
START_TEST(test_nice_closest)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit rl = {0, 0};
        /* Without privilege: drop to nobody (the test runs as root). */
        if (getuid() == 0 &&
            (setrlimit(RLIMIT_NICE, &rl) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
            _exit(10);
        if (setpriority(PRIO_PROCESS, 0, 5) < 0)
            _exit(11);
        struct exec_sched s = {.nice_set = true, .nice = -5};
        if (exec_sched_apply(&s) != EXEC_SCHED_OK)
            _exit(1);
        errno = 0;
        _exit(getpriority(PRIO_PROCESS, 0) == 5 ? 0 : 2); /* stays: 19 is the floor */
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
}
END_TEST

START_TEST(test_groups_denied)
{
    gid_t g = getgid();
    /* Not a permission error: never let pass. */
    ck_assert(!exec_groups_denied_ok(EINVAL, &g, 1, getuid(), getgid()));
    ck_assert_int_eq(errno, EINVAL);
    /* Already that user: its groups are the ones it has. */
    ck_assert(exec_groups_denied_ok(EPERM, &g, 1, getuid(), getgid()));
    ck_assert_int_eq(errno, EPERM);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exec_sched");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_of_clamps);
    tcase_add_test(tc, test_apply_unprivileged_settings);
    tcase_add_test(tc, test_nice_closest);
    tcase_add_test(tc, test_groups_denied);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
