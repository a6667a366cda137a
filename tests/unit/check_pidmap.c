/* check_pidmap.c - the pid index: put, get, delete with backward shift, and
 * growth, checked against a plain array as the model. */
#include <check.h>
#include <stdlib.h>

#include "base/pidmap.h"

START_TEST(test_put_get_del)
{
    struct pidmap m = {0};
    int owner;
    ck_assert_ptr_null(pidmap_get(&m, 42));
    ck_assert_int_eq(pidmap_put(&m, 42, PID_ROLE_MAIN, &owner), 0);
    struct pid_entry *e = pidmap_get(&m, 42);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->role, PID_ROLE_MAIN);
    ck_assert_ptr_eq(e->owner, &owner);
    /* put on an existing pid replaces */
    ck_assert_int_eq(pidmap_put(&m, 42, PID_ROLE_CONTROL, NULL), 0);
    ck_assert_int_eq(pidmap_get(&m, 42)->role, PID_ROLE_CONTROL);
    ck_assert_uint_eq(m.count, 1);
    pidmap_del(&m, 42);
    ck_assert_ptr_null(pidmap_get(&m, 42));
    ck_assert_uint_eq(m.count, 0);
    pidmap_del(&m, 42); /* deleting a missing pid is harmless */
    ck_assert_int_eq(pidmap_put(&m, 0, PID_ROLE_MAIN, NULL), -1);
    ck_assert_int_eq(pidmap_put(&m, -5, PID_ROLE_MAIN, NULL), -1);
    pidmap_free(&m);
}
END_TEST

/* Random puts and deletes against a model: every live pid is found with its
 * role, every deleted one is gone, whatever the probe runs look like. */
START_TEST(test_random_against_model)
{
    enum { N = 50000, MAXPID = 4096 };
    static signed char model[MAXPID]; /* -1 absent, else the role */
    struct pidmap m = {0};
    unsigned seed = 12345 + (unsigned)_i;
    for (int i = 0; i < MAXPID; i++)
        model[i] = -1;
    for (int i = 0; i < N; i++) {
        pid_t pid = 1 + (pid_t)(rand_r(&seed) % (MAXPID - 1));
        if (rand_r(&seed) % 3) {
            int role = rand_r(&seed) % 4;
            ck_assert_int_eq(pidmap_put(&m, pid, (enum pid_role)role, NULL), 0);
            model[pid] = (signed char)role;
        } else {
            pidmap_del(&m, pid);
            model[pid] = -1;
        }
    }
    size_t live = 0;
    for (pid_t pid = 1; pid < MAXPID; pid++) {
        struct pid_entry *e = pidmap_get(&m, pid);
        if (model[pid] < 0) {
            ck_assert_ptr_null(e);
        } else {
            live++;
            ck_assert_ptr_nonnull(e);
            ck_assert_int_eq(e->role, model[pid]);
        }
    }
    ck_assert_uint_eq(m.count, live);
    pidmap_free(&m);
}
END_TEST

static Suite *pidmap_suite(void)
{
    Suite *s = suite_create("pidmap");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_put_get_del);
    tcase_add_loop_test(tc, test_random_against_model, 0, 4);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pidmap_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
