/* check_passwd.c - the /etc/passwd and /etc/group reader the static binary
 * relies on: names, uids, groups, membership lists, malformed lines. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>

#include "base/passwd.h"

#define PASSWD TEST_DATA_DIR "/passwd"
#define GROUP TEST_DATA_DIR "/group"

START_TEST(test_user_by_name)
{
    struct passwd_entry e;
    ck_assert_int_eq(passwd_file_find(PASSWD, "app", 0, &e), 0);
    ck_assert_str_eq(e.name, "app");
    ck_assert_uint_eq(e.uid, 1000);
    ck_assert_uint_eq(e.gid, 1000);
    ck_assert_str_eq(e.dir, "/home/app");
    ck_assert_str_eq(e.shell, "/bin/bash");
    ck_assert_int_eq(passwd_file_find(PASSWD, "root", 0, &e), 0);
    ck_assert_uint_eq(e.uid, 0);
    ck_assert_str_eq(e.shell, "/bin/sh");
}
END_TEST

START_TEST(test_user_by_uid)
{
    struct passwd_entry e;
    ck_assert_int_eq(passwd_file_find(PASSWD, NULL, 1, &e), 0);
    ck_assert_str_eq(e.name, "daemon");
    ck_assert_str_eq(e.dir, "/usr/sbin");
    errno = 0;
    ck_assert_int_eq(passwd_file_find(PASSWD, NULL, 4242, &e), -1);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

/* Malformed and NIS lines never match; a missing file is not "no such user". */
START_TEST(test_user_malformed)
{
    struct passwd_entry e;
    const char *names[] = {"broken", "short", "+nisuser", "nisuser", "", "ap", "app2"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        errno = 0;
        ck_assert_int_eq(passwd_file_find(PASSWD, names[i], 0, &e), -1);
        ck_assert_int_eq(errno, ENOENT);
    }
    ck_assert_int_eq(passwd_file_find(TEST_DATA_DIR "/nonexistent", "root", 0, &e), -1);
    ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(test_group)
{
    gid_t g = 0;
    ck_assert_int_eq(passwd_file_group(GROUP, "staff", &g), 0);
    ck_assert_uint_eq(g, 50);
    ck_assert_int_eq(passwd_file_group(GROUP, "root", &g), 0);
    ck_assert_uint_eq(g, 0);
    ck_assert_int_eq(passwd_file_group(GROUP, "short", &g), -1);
    ck_assert_int_eq(passwd_file_group(GROUP, "bad", &g), -1);
    ck_assert_int_eq(passwd_file_group(GROUP, "nope", &g), -1);
    ck_assert_int_eq(errno, ENOENT);
    char name[16];
    ck_assert_int_eq(passwd_file_group_name(GROUP, 29, name, sizeof(name)), 0);
    ck_assert_str_eq(name, "audio");
    ck_assert_int_eq(passwd_file_group_name(GROUP, 4242, name, sizeof(name)), -1);
}
END_TEST

START_TEST(test_grouplist)
{
    gid_t g[8];
    /* primary first, then memberships in file order, no duplicates */
    ck_assert_int_eq(passwd_file_grouplist(GROUP, "app", 1000, g, 8), 4);
    ck_assert_uint_eq(g[0], 1000);
    ck_assert_uint_eq(g[1], 1);
    ck_assert_uint_eq(g[2], 50);
    ck_assert_uint_eq(g[3], 29);
    ck_assert_int_eq(passwd_file_grouplist(GROUP, "app", 50, g, 8), 3);
    ck_assert_uint_eq(g[0], 50);
    ck_assert_int_eq(passwd_file_grouplist(GROUP, "app", 1000, g, 2), 2);
    ck_assert_int_eq(passwd_file_grouplist(GROUP, "nobody", 7, g, 8), 1);
    ck_assert_uint_eq(g[0], 7);
    ck_assert_int_eq(passwd_file_grouplist(TEST_DATA_DIR "/nonexistent", "app", 9, g, 8), 1);
}
END_TEST

/* The real lookup on this system agrees with the files for root. */
START_TEST(test_lookup_root)
{
    struct passwd_entry e;
    ck_assert_int_eq(passwd_lookup("root", 0, &e), 0);
    ck_assert_uint_eq(e.uid, 0);
    ck_assert_int_eq(passwd_lookup(NULL, 0, &e), 0);
    ck_assert_str_eq(e.name, "root");
    gid_t g;
    ck_assert_int_eq(passwd_lookup_group("root", &g), 0);
    ck_assert_uint_eq(g, 0);
}
END_TEST

static Suite *passwd_suite(void)
{
    Suite *s = suite_create("passwd");
    TCase *tc = tcase_create("files");
    tcase_add_test(tc, test_user_by_name);
    tcase_add_test(tc, test_user_by_uid);
    tcase_add_test(tc, test_user_malformed);
    tcase_add_test(tc, test_group);
    tcase_add_test(tc, test_grouplist);
    tcase_add_test(tc, test_lookup_root);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(passwd_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
