/* check_strv.c - string vectors and the KEY=VALUE environment helpers. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strv.h"

START_TEST(test_push_and_array)
{
    struct strv sv = {0};

    ck_assert_ptr_nonnull(strv_array(&sv));
    ck_assert_ptr_null(strv_array(&sv)[0]);
    for (int i = 0; i < 100; i++) {
        char buf[16];
        snprintf(buf, sizeof(buf), "w%d", i);
        ck_assert_int_eq(strv_push(&sv, buf), 0);
    }
    ck_assert_uint_eq(sv.n, 100);
    ck_assert_str_eq(sv.v[0], "w0");
    ck_assert_str_eq(sv.v[99], "w99");
    ck_assert_ptr_null(sv.v[100]);
    ck_assert_ptr_eq(strv_array(&sv), sv.v);
    strv_clear(&sv);
    ck_assert_uint_eq(sv.n, 0);
    ck_assert_ptr_null(sv.v);
    /* reusable after clear */
    ck_assert_int_eq(strv_push(&sv, "again"), 0);
    ck_assert_str_eq(sv.v[0], "again");
    strv_clear(&sv);
}
END_TEST

START_TEST(test_push_owned_null_is_enomem)
{
    struct strv sv = {0};

    errno = 0;
    ck_assert_int_eq(strv_push_owned(&sv, NULL), -1);
    ck_assert_int_eq(errno, ENOMEM);
    ck_assert_uint_eq(sv.n, 0);
    ck_assert_int_eq(strv_push_owned(&sv, strdup("x")), 0);
    ck_assert_str_eq(sv.v[0], "x");
    strv_clear(&sv);
}
END_TEST

START_TEST(test_extend_copy_equal_contains)
{
    struct strv a = {0}, b = {0}, c = {0};

    ck_assert(strv_equal(&a, &b));
    ck_assert_int_eq(strv_push(&a, "one"), 0);
    ck_assert_int_eq(strv_push(&a, "two"), 0);
    ck_assert(!strv_equal(&a, &b));
    ck_assert_int_eq(strv_copy(&b, &a), 0);
    ck_assert(strv_equal(&a, &b));
    ck_assert(b.v[0] != a.v[0]); /* deep copy */
    ck_assert(strv_contains(&b, "two"));
    ck_assert(!strv_contains(&b, "three"));
    ck_assert_int_eq(strv_extend(&c, &a), 0);
    ck_assert_int_eq(strv_extend(&c, &b), 0);
    ck_assert_uint_eq(c.n, 4);
    ck_assert_str_eq(c.v[3], "two");
    free(b.v[1]);
    b.v[1] = strdup("TWO");
    ck_assert(!strv_equal(&a, &b));
    strv_clear(&a);
    strv_clear(&b);
    strv_clear(&c);
}
END_TEST

START_TEST(test_env_set_get)
{
    struct strv env = {0};

    ck_assert_int_eq(env_set(&env, "A=1"), 0);
    ck_assert_int_eq(env_set(&env, "AB=2"), 0);
    ck_assert_int_eq(env_set(&env, "A=3"), 0); /* replaces in place */
    ck_assert_uint_eq(env.n, 2);
    ck_assert_str_eq(env.v[0], "A=3");
    ck_assert_str_eq(env_get(&env, "A", 1), "3");
    ck_assert_str_eq(env_get(&env, "AB", 2), "2");
    ck_assert_str_eq(env_get(&env, "ABC", 1), "3"); /* keylen bounds the key */
    ck_assert_ptr_null(env_get(&env, "B", 1));
    ck_assert_int_eq(env_set(&env, "EMPTY="), 0);
    ck_assert_str_eq(env_get(&env, "EMPTY", 5), "");
    strv_clear(&env);
}
END_TEST

START_TEST(test_env_get_last_wins)
{
    struct strv env = {0};

    /* entries pushed directly (not through env_set) may repeat a key */
    ck_assert_int_eq(strv_push(&env, "K=first"), 0);
    ck_assert_int_eq(strv_push(&env, "K=second"), 0);
    ck_assert_str_eq(env_get(&env, "K", 1), "second");
    strv_clear(&env);
}
END_TEST

static Suite *strv_suite(void)
{
    Suite *s = suite_create("strv");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, test_push_and_array);
    tcase_add_test(tc, test_push_owned_null_is_enomem);
    tcase_add_test(tc, test_extend_copy_equal_contains);
    tcase_add_test(tc, test_env_set_get);
    tcase_add_test(tc, test_env_get_last_wins);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(strv_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
