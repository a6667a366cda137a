/* check_pid_claim.c - the main-pid rule (pid_claim_judge), the PID file
 * reader (parse; owners and symlinks on the path, as root) and the bounded
 * /proc/PID/environ reader. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/pid_claim.h"
#include "base/pidfile.h"
#include "base/proc.h"

START_TEST(test_judge)
{
    struct pid_claim c = {.exists = true};
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_FOREIGN);
    c.of_unit = true;
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_OK);
    c = (struct pid_claim){.exists = true, .trusted = true};
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_OK); /* root said so */
    /* Never, whoever asks: */
    c.reserved = true;
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_RESERVED);
    c = (struct pid_claim){.exists = true, .trusted = true, .of_unit = true, .other_unit = true};
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_OTHER_UNIT);
    c = (struct pid_claim){.exists = true, .trusted = true, .control = true};
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_CONTROL);
    c = (struct pid_claim){.trusted = true, .of_unit = true};
    ck_assert_int_eq(pid_claim_judge(&c), PID_CLAIM_GONE);
    for (int v = PID_CLAIM_OK; v <= PID_CLAIM_FOREIGN; v++)
        ck_assert_ptr_nonnull(pid_claim_reason(v));
}
END_TEST

START_TEST(test_parse)
{
    ck_assert_int_eq(pidfile_parse("4711\n", 5), 4711);
    ck_assert_int_eq(pidfile_parse("  42 \r\n", 7), 42);
    ck_assert_int_eq(pidfile_parse("1\n", 2), -1); /* never pid 1 */
    ck_assert_int_eq(pidfile_parse("0", 1), -1);
    ck_assert_int_eq(pidfile_parse("-5", 2), -1);
    ck_assert_int_eq(pidfile_parse("+5", 2), -1);
    ck_assert_int_eq(pidfile_parse("12 13", 5), -1);
    ck_assert_int_eq(pidfile_parse("", 0), -1);
    ck_assert_int_eq(pidfile_parse("12\0x", 4), -1);
    ck_assert_int_eq(pidfile_parse("99999999999", 11), -1);
    char big[100];
    memset(big, ' ', sizeof(big));
    big[0] = '7';
    ck_assert_int_eq(pidfile_parse(big, sizeof(big)), -1); /* over the cap */
}
END_TEST

static char dir[256];

static void make_dir(void)
{
    /* Under /tmp: its owner and sticky bit are known, TMPDIR's are not. */
    snprintf(dir, sizeof(dir), "/tmp/pxpid.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    chmod(dir, 0755);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_dir(void)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void path_of(char *out, const char *name)
{
    snprintf(out, PATH_MAX, "%.255s/%.255s", dir, name);
}

static void write_file(const char *name, const char *text)
{
    char p[PATH_MAX];
    path_of(p, name);
    FILE *f = fopen(p, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(test_read_paths)
{
    make_dir();
    char p[PATH_MAX], q[PATH_MAX];
    pid_t pid = 0;
    bool trusted = true;
    write_file("a.pid", "1234\n");
    path_of(p, "a.pid");
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), 0);
    ck_assert_int_eq(pid, 1234);

    /* Relative paths, directories, FIFOs (never blocks), garbage. */
    ck_assert_int_eq(pidfile_read("a.pid", &pid, &trusted), -1);
    ck_assert_int_eq(errno, EINVAL);
    ck_assert_int_eq(pidfile_read(dir, &pid, &trusted), -1);
    ck_assert_int_eq(errno, EISDIR);
    path_of(p, "fifo");
    ck_assert_int_eq(mkfifo(p, 0644), 0);
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), -1);
    ck_assert_int_eq(errno, EINVAL);
    write_file("junk.pid", "hello\n");
    path_of(p, "junk.pid");
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), -1);
    ck_assert_int_eq(errno, EINVAL);
    path_of(p, "missing.pid");
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), -1);
    ck_assert_int_eq(errno, ENOENT);
    path_of(p, "a.pid/x");
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), -1);
    ck_assert_int_eq(errno, ENOTDIR);

    /* Symlinks: relative, through "..", and a loop. */
    path_of(p, "sub");
    ck_assert_int_eq(mkdir(p, 0755), 0);
    path_of(p, "sub/rel.pid");
    ck_assert_int_eq(symlink("../a.pid", p), 0);
    pid = 0;
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), 0);
    ck_assert_int_eq(pid, 1234);
    path_of(p, "loop");
    ck_assert_int_eq(symlink("loop", p), 0);
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), -1);
    ck_assert_int_eq(errno, ELOOP);
    path_of(q, "sub/../sub/./rel.pid");
    ck_assert_int_eq(pidfile_read(q, &pid, &trusted), 0);
    remove_dir();
}
END_TEST

/* As root: what another user owns is not trusted, and that user's symlink
 * does not lead to root's file. */
START_TEST(test_read_owners)
{
    if (geteuid() != 0)
        return;
    make_dir();
    char p[PATH_MAX], link[PATH_MAX];
    pid_t pid = 0;
    bool trusted;
    uid_t nobody = 65534;
    write_file("root.pid", "321\n");
    path_of(p, "root.pid");
    chmod(p, 0600);
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), 0);
    ck_assert(trusted);

    write_file("theirs.pid", "322\n");
    path_of(p, "theirs.pid");
    ck_assert_int_eq(chown(p, nobody, nobody), 0);
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), 0);
    ck_assert_int_eq(pid, 322);
    ck_assert(!trusted);

    path_of(link, "evil.pid");
    ck_assert_int_eq(symlink("root.pid", link), 0);
    ck_assert_int_eq(lchown(link, nobody, nobody), 0);
    pid = 0;
    ck_assert_int_eq(pidfile_read(link, &pid, &trusted), -1);
    ck_assert_int_eq(errno, EPERM);
    ck_assert_int_eq(pid, 0);

    path_of(link, "own.pid");
    ck_assert_int_eq(symlink("theirs.pid", link), 0);
    ck_assert_int_eq(lchown(link, nobody, nobody), 0);
    ck_assert_int_eq(pidfile_read(link, &pid, &trusted), 0);
    ck_assert_int_eq(pid, 322);
    ck_assert(!trusted);

    path_of(link, "rootlink.pid");
    ck_assert_int_eq(symlink("root.pid", link), 0);
    ck_assert_int_eq(pidfile_read(link, &pid, &trusted), 0);
    ck_assert(trusted);

    /* A directory of another user: what is in it is not root's word. */
    path_of(p, "userdir");
    ck_assert_int_eq(mkdir(p, 0755), 0);
    ck_assert_int_eq(chown(p, nobody, nobody), 0);
    write_file("userdir/x.pid", "323\n");
    path_of(p, "userdir/x.pid");
    ck_assert_int_eq(pidfile_read(p, &pid, &trusted), 0);
    ck_assert(!trusted);
    remove_dir();
}
END_TEST

START_TEST(test_env_value)
{
    char out[40];
    setenv("PXCHECK_KEY", "value-1", 1);
    /* /proc/self/environ is the environment at exec: look at a child. */
    ck_assert(!proc_env_value(getpid(), "NO_SUCH_KEY_PX", out, sizeof(out)));
    const char *path = getenv("PATH");
    if (path && strlen(path) < sizeof(out) - 1) {
        ck_assert(proc_env_value(getpid(), "PATH", out, sizeof(out)));
        ck_assert_str_eq(out, path);
        ck_assert(proc_has_env(getpid(), "PATH", path));
        ck_assert(!proc_env_value(getpid(), "PATH", out, 2)); /* too long counts as absent */
    }
    ck_assert(!proc_env_value(999999999, "PATH", out, sizeof(out)));
}
END_TEST

static Suite *pid_claim_suite(void)
{
    Suite *s = suite_create("pid_claim");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_judge);
    tcase_add_test(tc, test_parse);
    tcase_add_test(tc, test_read_paths);
    tcase_add_test(tc, test_read_owners);
    tcase_add_test(tc, test_env_value);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pid_claim_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
