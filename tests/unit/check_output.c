/* check_output.c - the output layer through its interface (output.h): an
 * instance on its own loop whose console is a pipe the test reads, a unit
 * whose "process" is the test writing into the write end output_spawn_fds()
 * gave. Lines come out prefixed, the ring keeps them (output_tail), a
 * follower gets new ones, a console that takes nothing stops the reading
 * of the unit's pipe (the writer gets EAGAIN) without a line lost, and a
 * rotated file gets whole lines.
 * Every test runs twice: with the pipe-reopen trick and the plain way. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/tricks.h"
#include "output/output.h"

static struct ev_loop *loop;
static struct output *out;
static struct output_unit *unit;
static int con[2]; /* the console: output writes con[1], the test reads con[0] */
static int writer; /* the unit's process's stdout and stderr */
static char *seen; /* what the console took */
static size_t nseen, capseen;

static const struct output_spec spec = {
    .name = "web",
    .out = {.target = OUTPUT_TARGET_CONSOLE},
    .err = {.target = OUTPUT_TARGET_CONSOLE},
};

static void setup_way(int plain)
{
    trick_configure(plain ? "pipe-reopen" : "");
    loop = ev_loop_new(EVFLAG_NOENV);
    ck_assert_ptr_nonnull(loop);
    ck_assert_int_eq(pipe2(con, O_CLOEXEC | O_NONBLOCK), 0);
    struct output_config cfg = {
        .console_fd = con[1],
        .prefix = LOG_PREFIX_NAME,
        .color = LOG_COLOR_NEVER,
        .ring_lines = 100,
        .ring_bytes = 64 * 1024,
        .grace_sec = 1,
    };
    out = output_new(loop, &cfg);
    ck_assert_ptr_nonnull(out);
    unit = output_unit_new(out, &spec);
    ck_assert_ptr_nonnull(unit);

    int fo, fe;
    ck_assert_int_eq(output_spawn_fds(unit, &spec, &fo, &fe), 0);
    ck_assert_int_ge(fo, 0);
    ck_assert_int_eq(fe, fo);               /* one target: one pipe, stdout and stderr in order */
    writer = fcntl(fo, F_DUPFD_CLOEXEC, 0); /* the child's copy */
    ck_assert_int_ge(writer, 0);
    output_spawn_done(unit);
    /* The trick keeps the read end only; the plain way both ends. */
    ck_assert_uint_eq(output_fd_count(out), plain ? 2 : 1);
    seen = NULL;
    nseen = capseen = 0;
}

static void teardown(void)
{
    if (writer >= 0)
        close(writer);
    output_unit_free(unit);
    output_free(out);
    ev_loop_destroy(loop);
    close(con[0]);
    close(con[1]);
    free(seen);
}

/* Takes what the console pipe holds. */
static void console_read(void)
{
    for (;;) {
        if (capseen - nseen < 65536) {
            capseen = capseen ? capseen * 2 : 1 << 20;
            seen = realloc(seen, capseen + 1);
            ck_assert_ptr_nonnull(seen);
        }
        ssize_t n = read(con[0], seen + nseen, capseen - nseen);
        if (n <= 0) {
            ck_assert(n < 0 && errno == EAGAIN);
            break;
        }
        nseen += (size_t)n;
    }
    seen[nseen] = 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void tick_cb(struct ev_loop *l, ev_timer *w, int revents)
{
}

/* Runs the loop (one iteration at most every 10ms), reading the console
 * when read_console, until done() or 20 seconds passed (a deadline for a failure, not
 * a pace). */
static bool run_until(bool (*done)(void), bool read_console)
{
    ev_timer tick;
    ev_timer_init(&tick, tick_cb, 0.01, 0.01);
    ev_timer_start(loop, &tick);
    double end = now() + 20;
    bool ok;
    while (!(ok = done()) && now() < end) {
        ev_run(loop, EVRUN_ONCE);
        if (read_console)
            console_read();
    }
    ev_timer_stop(loop, &tick);
    return ok;
}

static void put(const char *s)
{
    ck_assert_int_eq(write(writer, s, strlen(s)), (ssize_t)strlen(s));
}

/* --- lines, prefixes, tails -------------------------------------------------- */

static const char *want;
static bool seen_want(void)
{
    return seen && strstr(seen, want);
}

struct lines {
    char v[8][64];
    int n;
    bool ended;
};

static void collect(void *ctx, const char *line, size_t len)
{
    struct lines *l = ctx;
    if (!line) {
        l->ended = true;
        return;
    }
    ck_assert_int_lt(l->n, 8);
    snprintf(l->v[l->n++], sizeof(l->v[0]), "%.*s", (int)len, line);
}

START_TEST(test_lines_prefixed_and_kept)
{
    setup_way(_i);
    put("hello\nworld\npart");
    want = "web: hello\nweb: world\n";
    ck_assert_msg(run_until(seen_want, true), "console got: %s", seen ? seen : "");
    ck_assert_ptr_null(strstr(seen, "part")); /* no newline yet: it waits */

    struct lines l = {0};
    ck_assert_uint_eq(output_tail(unit, 10, collect, &l), 2);
    ck_assert_str_eq(l.v[0], "hello");
    ck_assert_str_eq(l.v[1], "world");

    /* The process exits: its partial line becomes a line of its own. */
    close(writer);
    writer = -1;
    output_proc_exited(unit);
    want = "web: world\nweb: part\n";
    ck_assert_msg(run_until(seen_want, true), "console got: %s", seen);
    memset(&l, 0, sizeof(l));
    ck_assert_uint_eq(output_tail(unit, 2, collect, &l), 2);
    ck_assert_str_eq(l.v[0], "world");
    ck_assert_str_eq(l.v[1], "part");
    ck_assert_uint_eq(nseen, strlen("web: hello\nweb: world\nweb: part\n"));
    teardown();
}
END_TEST

/* --- followers ------------------------------------------------------------------- */

static struct lines followed;
static bool followed_two(void)
{
    return followed.n >= 2;
}

START_TEST(test_follower_gets_new_lines)
{
    setup_way(_i);
    put("old\n");
    want = "web: old\n";
    ck_assert(run_until(seen_want, true));

    struct output_follower f;
    memset(&followed, 0, sizeof(followed));
    output_follow(unit, &f, collect, &followed);
    put("new 1\nnew 2\n");
    ck_assert(run_until(followed_two, true));
    ck_assert_int_eq(followed.n, 2); /* not the line before it followed */
    ck_assert_str_eq(followed.v[0], "new 1");
    ck_assert_str_eq(followed.v[1], "new 2");

    output_unfollow(&f);
    put("new 3\n");
    want = "web: new 3\n";
    ck_assert(run_until(seen_want, true));
    ck_assert_int_eq(followed.n, 2);

    /* The unit goes away: a follower hears of it. */
    struct lines gone = {0};
    output_follow(unit, &f, collect, &gone);
    output_unit_free(unit);
    unit = NULL;
    ck_assert(gone.ended);
    teardown();
}
END_TEST

/* --- back-pressure --------------------------------------------------------------- */

#define NLINES 100000

static int nwritten;       /* lines put in the buffer */
static char pending[4096]; /* whole lines, written as the pipe takes them */
static size_t pending_len, pending_off;

/* Writes the next lines while the pipe takes them; false on EAGAIN. */
static bool write_some(void)
{
    while (nwritten < NLINES || pending_off < pending_len) {
        if (pending_off == pending_len) {
            pending_len = 0;
            while (nwritten < NLINES && pending_len + 16 < sizeof(pending))
                pending_len +=
                    (size_t)snprintf(pending + pending_len, sizeof(pending) - pending_len,
                                     "line %06d\n", nwritten++);
            pending_off = 0;
        }
        ssize_t n = write(writer, pending + pending_off, pending_len - pending_off);
        if (n < 0) {
            ck_assert_int_eq(errno, EAGAIN);
            return false;
        }
        pending_off += (size_t)n;
    }
    return true;
}

static int stuck;
/* The writer was refused 20 times in a row while the loop ran. */
static bool writer_stuck(void)
{
    stuck = write_some() ? 0 : stuck + 1;
    return stuck >= 20 || (nwritten == NLINES && pending_off == pending_len);
}

static bool all_out(void)
{
    write_some();
    return nseen == (size_t)NLINES * strlen("web: line 000000\n");
}

START_TEST(test_slow_console_pauses_reading)
{
    setup_way(_i);
    int fl = fcntl(writer, F_GETFL);
    ck_assert_int_eq(fcntl(writer, F_SETFL, fl | O_NONBLOCK), 0);
    (void)fcntl(con[1], F_SETPIPE_SZ, 4096); /* a console that takes little */

    /* Nobody reads the console: once it and output's bounded queue are
     * full, output stops reading, and the unit's writes block. */
    stuck = nwritten = 0;
    pending_len = pending_off = 0;
    run_until(writer_stuck, false);
    ck_assert_msg(stuck == 20, "output took all %d lines with no console reader", NLINES);

    /* The console reads again: every line comes, once and in order. */
    ck_assert_msg(run_until(all_out, true), "%zu bytes of %zu", nseen,
                  (size_t)NLINES * strlen("web: line 000000\n"));
    char buf[32];
    const char *p = seen;
    for (int i = 0; i < NLINES; i++) {
        int n = snprintf(buf, sizeof(buf), "web: line %06d\n", i);
        ck_assert_msg(strncmp(p, buf, (size_t)n) == 0, "line %d: %.20s", i, p);
        p += n;
    }
    teardown();
}
END_TEST

/* --- rotated files ---------------------------------------------------------- */

static char file_path[64];
static bool file_rotated(void)
{
    char p1[80];
    snprintf(p1, sizeof(p1), "%s.1", file_path);
    return access(p1, F_OK) == 0;
}

static size_t file_read(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ssize_t n = read(fd, buf, size - 1);
    ck_assert_int_ge(n, 0);
    buf[n] = 0;
    close(fd);
    return (size_t)n;
}

/* stdout to a rotated file (no prefix, whole lines), stderr to the console:
 * two streams, two pipes. */
START_TEST(test_file_target_rotates)
{
    setup_way(_i);
    char dir[] = "/tmp/check_output.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(file_path, sizeof(file_path), "%s/out.log", dir);
    struct output_spec fs = {
        .name = "job",
        .out = {.target = OUTPUT_TARGET_FILE, .path = file_path, .max_size = 40, .max_files = 2},
        .err = {.target = OUTPUT_TARGET_CONSOLE},
    };
    struct output_unit *ju = output_unit_new(out, &fs);
    ck_assert_ptr_nonnull(ju);
    int fo, fe;
    ck_assert_int_eq(output_spawn_fds(ju, &fs, &fo, &fe), 0);
    ck_assert_int_ge(fo, 0);
    ck_assert_int_ge(fe, 0);
    ck_assert_int_ne(fo, fe);
    ck_assert_int_eq(write(fo, "first line 0123456789\n", 22), 22);
    ck_assert_int_eq(write(fo, "second line 0123456789\n", 23), 23);
    ck_assert_int_eq(write(fe, "oops\n", 5), 5);
    output_spawn_done(ju);

    want = "job: oops\n";
    ck_assert(run_until(seen_want, true));
    ck_assert(run_until(file_rotated, false));
    char buf[256], p1[80];
    snprintf(p1, sizeof(p1), "%s.1", file_path);
    file_read(p1, buf, sizeof(buf));
    ck_assert_str_eq(buf, "first line 0123456789\n");
    file_read(file_path, buf, sizeof(buf));
    ck_assert_str_eq(buf, "second line 0123456789\n");
    ck_assert_ptr_null(strstr(seen, "line")); /* stdout went to the file only */

    output_unit_free(ju);
    unlink(p1);
    unlink(file_path);
    rmdir(dir);
    teardown();
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_set_timeout(tc, 60);
    /* _i: 0 the pipe-reopen trick, 1 the plain way (PXINIT_PLAIN=pipe-reopen). */
    tcase_add_loop_test(tc, test_lines_prefixed_and_kept, 0, 2);
    tcase_add_loop_test(tc, test_follower_gets_new_lines, 0, 2);
    tcase_add_loop_test(tc, test_slow_console_pauses_reading, 0, 2);
    tcase_add_loop_test(tc, test_file_target_rotates, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(output_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
