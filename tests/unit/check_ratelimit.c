/* check_ratelimit.c - warnings per sender and overall per interval, the
 * count of those held back, and senders beyond the table. */
#include <check.h>
#include <stdlib.h>

#include "base/ratelimit.h"

/* Allowed warnings out of n from one sender at one time. */
static unsigned allowed(struct ratelimit *rl, int64_t key, double now, unsigned n)
{
    unsigned k = 0;
    unsigned long held;
    for (unsigned i = 0; i < n; i++)
        k += ratelimit_allow(rl, key, now, &held);
    return k;
}

START_TEST(test_burst_per_sender)
{
    struct ratelimit rl;
    ratelimit_init(&rl, 1.0, 3, 10);
    ck_assert_uint_eq(allowed(&rl, 7, 100.0, 1000), 3);
    /* Another sender has its own budget. */
    ck_assert_uint_eq(allowed(&rl, 8, 100.1, 1000), 3);
    /* The next interval: again 3, and the first says how many were held
     * since the last one allowed (sender 8's first reported sender 7's). */
    unsigned long held = 0;
    ck_assert(ratelimit_allow(&rl, 7, 101.2, &held));
    ck_assert_uint_eq(held, 997);
    ck_assert(ratelimit_allow(&rl, 7, 101.3, &held));
    ck_assert_uint_eq(held, 0);
}
END_TEST

START_TEST(test_total_over_senders)
{
    struct ratelimit rl;
    ratelimit_init(&rl, 1.0, 3, 10);
    unsigned k = 0;
    /* A thousand pids (a forking flooder): 10 a second, not 3 each. */
    for (int64_t pid = 1; pid <= 1000; pid++)
        k += allowed(&rl, pid, 50.0 + (double)pid / 10000, 5);
    ck_assert_uint_eq(k, 10);
    ck_assert_uint_eq(allowed(&rl, 5000, 51.5, 100), 3);
}
END_TEST

START_TEST(test_clock_backwards)
{
    struct ratelimit rl;
    ratelimit_init(&rl, 1.0, 2, 10);
    ck_assert_uint_eq(allowed(&rl, 1, 100.0, 5), 2);
    /* A clock set back starts a new interval rather than muting for good. */
    ck_assert_uint_eq(allowed(&rl, 1, 10.0, 5), 2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("ratelimit");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_burst_per_sender);
    tcase_add_test(tc, test_total_over_senders);
    tcase_add_test(tc, test_clock_backwards);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
