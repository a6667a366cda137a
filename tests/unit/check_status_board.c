/* check_status_board.c - the shared-memory status board: layout and sizes,
 * slots, lookups, the liveness lock, and a reader process racing a writer
 * process that never lets the reader see a torn record (the seqlock). */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/service.h"
#include "wire/status_board.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/check_sb.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/status", dir);
}

static void teardown(void)
{
    char tmp[160];
    unlink(path);
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    unlink(tmp);
    rmdir(dir);
}

/* A record whose every field is derived from k: a torn copy mixes two ks.
 * Every third one is a timer's, so that a slot also changes kind under the
 * reader (a timer's times are where a service's pids are). */
static void make_unit(struct sb_unit *u, uint32_t k)
{
    memset(u, 0, sizeof(*u));
    size_t len = 8 + k % 200;
    memset(u->name, 'a' + (int)(k % 26), len);
    u->name[len] = '\0';
    /* Names of 8 to 207 bytes: in the record and in the long-name area. */
    u->state = (uint8_t)(k % UNIT_STATE__COUNT);
    u->sub = (uint8_t)(k % UNIT_SUB__COUNT);
    if (k % 3 == 0) {
        u->timer = true;
        u->pid = u->pgid = u->exit_code = u->exit_signal = -1;
        u->next_elapse = (int64_t)k * 1000003 + ((int64_t)k << 33);
        u->last_trigger = (int64_t)k * 999983 + ((int64_t)k << 32);
    } else {
        u->pid = (int32_t)k;
        u->pgid = (int32_t)k;
        u->restarts = k;
        u->exit_code = (int32_t)(k % 256);
        u->exit_signal = (int32_t)(k % 64);
    }
    u->since = (int64_t)k * 3;
}

static bool unit_consistent(const struct sb_unit *u)
{
    uint32_t k = (uint32_t)(u->since / 3);
    struct sb_unit want;
    make_unit(&want, k);
    return memcmp(u, &want, sizeof(want)) == 0;
}

START_TEST(test_layout)
{
    ck_assert_uint_ge(SB_CAPACITY, 10000);
    ck_assert_uint_le(sizeof(struct sb_header), SB_HEADER_SIZE);
    ck_assert_uint_eq(sizeof(struct sb_record), SB_RECORD_SIZE);
    ck_assert_uint_eq(SB_RECORD_SIZE, 64);
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert_mem_eq(r.hdr->magic, SB_MAGIC, 8);
    ck_assert_uint_eq(r.hdr->version, SB_VERSION);
    ck_assert_uint_eq(r.hdr->record_size, SB_RECORD_SIZE);
    ck_assert_uint_eq(r.hdr->capacity, SB_CAPACITY);
    ck_assert_int_eq(r.hdr->daemon_pid, getpid());
    ck_assert(!r.stale);
    ck_assert_uint_eq(sb_reader_used(&r), 0);
    ck_assert_uint_eq(r.hdr->names_offset, SB_NAMES_OFFSET);
    ck_assert_uint_eq(r.hdr->name_size, SB_NAME_MAX);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

/* Every state and sub-state the daemon can show has its word, and the codes
 * are the documented ones (doc/status-board.md): the board stores the state
 * machine's values as they are. */
START_TEST(test_codes)
{
    static const char *const states[] = {"inactive", "activating", "active", "deactivating",
                                         "failed"};
    static const char *const subs[] = {
        "dead",   "start-pre",    "start",        "start-post", "running",       "exited",
        "stop",   "stop-sigterm", "stop-sigkill", "stop-post",  "final-sigterm", "final-sigkill",
        "failed", "auto-restart", "condition",    "reload"};
    for (int st = SVC_INACTIVE; st <= SVC_FAILED; st++) {
        ck_assert_str_eq(svc_state_name((enum svc_state)st), states[st]);
        ck_assert_str_eq(unit_state_name((unsigned)st), states[st]);
        ck_assert_uint_eq(unit_state_code(states[st]), st);
    }
    for (int sub = SUB_DEAD; sub <= SUB_RELOAD; sub++) {
        ck_assert_str_eq(svc_sub_name((enum svc_sub)sub), subs[sub]);
        ck_assert_uint_eq(unit_sub_code(subs[sub]), sub);
    }
    ck_assert_uint_eq(unit_state_code("inactive"), 0);
    ck_assert_uint_eq(unit_state_code("failed"), 4);
    ck_assert_uint_eq(unit_sub_code("dead"), 0);
    ck_assert_uint_eq(unit_sub_code("running"), 4);
    ck_assert_uint_eq(unit_sub_code("auto-restart"), 13);
    ck_assert_uint_eq(unit_sub_code("reload"), 15);
    ck_assert_uint_eq(unit_sub_code("masked"), 16);
    ck_assert_uint_eq(unit_sub_code("no-such-state"), UNIT_CODE_NONE);
    ck_assert_str_eq(unit_state_name(UNIT_CODE_NONE), "unknown");
    ck_assert_str_eq(unit_sub_name(UNIT_SUB__COUNT), "unknown");
}
END_TEST

/* Names up to 31 bytes live in the record, longer ones (up to 255) in the
 * long-name area; both read back whole and are found by name. A slot that
 * changes from a long to a short name (reuse after daemon-reload) too. */
START_TEST(test_long_names)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    struct sb_unit u, got;
    static const size_t lens[] = {1, 30, 31, 32, 100, 255};
    int slots[6];
    for (int i = 0; i < 6; i++) {
        slots[i] = sb_slot_alloc(&b);
        memset(&u, 0, sizeof(u));
        memset(u.name, 'a' + i, lens[i]);
        u.state = unit_state_code("active");
        u.sub = unit_sub_code("running");
        u.pid = 100 + i;
        u.exit_code = -1;
        u.exit_signal = 9;
        u.since = 1700000000LL + i;
        sb_publish(&b, slots[i], &u);
    }
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(sb_reader_get(&r, (uint32_t)slots[i], &got), 1);
        ck_assert_uint_eq(strlen(got.name), lens[i]);
        ck_assert_int_eq(got.name[0], 'a' + i);
        ck_assert_str_eq(unit_state_name(got.state), "active");
        ck_assert_str_eq(unit_sub_name(got.sub), "running");
        ck_assert_int_eq(got.pid, 100 + i);
        ck_assert_int_eq(got.exit_code, -1);
        ck_assert_int_eq(got.exit_signal, 9);
        ck_assert_int_eq(got.since, 1700000000LL + i);
        char want[SB_NAME_MAX];
        memset(want, 'a' + i, lens[i]);
        want[lens[i]] = '\0';
        ck_assert_int_eq(sb_reader_find(&r, want, &got), 1);
        ck_assert_int_eq(got.pid, 100 + i);
        want[lens[i] - 1] = '\0'; /* a prefix is another name */
        ck_assert_int_eq(sb_reader_find(&r, want, &got), 0);
    }
    /* The 255-byte slot now holds a short name. */
    memset(&u, 0, sizeof(u));
    snprintf(u.name, sizeof(u.name), "short");
    u.state = unit_state_code("inactive");
    u.sub = unit_sub_code("dead");
    sb_publish(&b, slots[5], &u);
    ck_assert_int_eq(sb_reader_get(&r, (uint32_t)slots[5], &got), 1);
    ck_assert_str_eq(got.name, "short");
    ck_assert_str_eq(unit_state_name(got.state), "inactive");
    ck_assert_int_eq(sb_reader_find(&r, "short", &got), 1);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

/* A timer's record: its next elapse and last trigger (Unix microseconds,
 * past 32 bits) read back where a service's pids and exit would be, the
 * record says which kind it is, and a slot that changes kind (a reload
 * that reuses it) reads as the new kind only. */
START_TEST(test_timer_records)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    int ts = sb_slot_alloc(&b), ss = sb_slot_alloc(&b), ls = sb_slot_alloc(&b);
    struct sb_unit u, got;
    memset(&u, 0, sizeof(u));
    snprintf(u.name, sizeof(u.name), "logrotate.timer");
    u.state = UNIT_STATE_ACTIVE;
    u.sub = UNIT_SUB_WAITING;
    u.timer = true;
    u.pid = u.pgid = u.exit_code = u.exit_signal = -1;
    u.next_elapse = 1796644800123456LL; /* Mon 2026-12-07 12:00:00.123456 UTC */
    u.last_trigger = 1796558400000001LL;
    u.since = 1796550000;
    snprintf(u.activates, sizeof(u.activates), "logrotate.service");
    ck_assert_int_eq(sb_publish(&b, ts, &u), 0);
    /* A never triggered timer with no next elapse, under a long name. */
    memset(u.name, 'x', 100);
    memcpy(u.name + 100, ".timer", 7);
    u.next_elapse = u.last_trigger = 0;
    u.sub = UNIT_SUB_ELAPSED;
    ck_assert_int_eq(sb_publish(&b, ls, &u), 0);
    struct sb_unit svc = {.name = "web", .state = UNIT_STATE_ACTIVE, .sub = UNIT_SUB_RUNNING};
    svc.pid = svc.pgid = 42;
    svc.restarts = 3;
    svc.exit_code = 1;
    svc.exit_signal = -1;
    ck_assert_int_eq(sb_publish(&b, ss, &svc), 0);

    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert_int_eq(sb_reader_find(&r, "logrotate.timer", &got), 1);
    ck_assert(got.timer);
    ck_assert_str_eq(unit_sub_name(got.sub), "waiting");
    ck_assert_int_eq(got.next_elapse, 1796644800123456LL);
    ck_assert_int_eq(got.last_trigger, 1796558400000001LL);
    ck_assert_int_eq(got.since, 1796550000);
    ck_assert_int_eq(got.pid, -1);
    ck_assert_int_eq(got.pgid, -1);
    ck_assert_uint_eq(got.restarts, 0);
    ck_assert_int_eq(got.exit_code, -1);
    ck_assert_int_eq(got.exit_signal, -1);
    ck_assert_str_eq(got.activates, ""); /* the board does not carry it */
    ck_assert_int_eq(sb_reader_get(&r, (uint32_t)ls, &got), 1);
    ck_assert(got.timer);
    ck_assert_uint_eq(strlen(got.name), 106);
    ck_assert_int_eq(got.next_elapse, 0);
    ck_assert_int_eq(got.last_trigger, 0);
    ck_assert_str_eq(unit_sub_name(got.sub), "elapsed");
    ck_assert_int_eq(sb_reader_find(&r, "web", &got), 1);
    ck_assert(!got.timer);
    ck_assert_int_eq(got.pid, 42);
    ck_assert_uint_eq(got.restarts, 3);
    ck_assert_int_eq(got.exit_code, 1);
    ck_assert_int_eq(got.next_elapse, 0);

    /* The layout as documented: the flag, and the times at offsets 8 and 16. */
    const unsigned char *rec =
        (const unsigned char *)r.hdr + SB_HEADER_SIZE + (size_t)ts * SB_RECORD_SIZE;
    ck_assert_uint_eq(rec[4], SB_REC_USED | SB_REC_TIMER);
    int64_t at8, at16;
    memcpy(&at8, rec + 8, 8);
    memcpy(&at16, rec + 16, 8);
    ck_assert_int_eq(at8, 1796644800123456LL);
    ck_assert_int_eq(at16, 1796558400000001LL);

    /* The timer's slot reused by a service: no timer left in it. */
    ck_assert_int_eq(sb_publish(&b, ts, &svc), 0);
    ck_assert_int_eq(sb_reader_get(&r, (uint32_t)ts, &got), 1);
    ck_assert(!got.timer);
    ck_assert_int_eq(got.pid, 42);
    ck_assert_uint_eq(rec[4], SB_REC_USED);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

/* A board of another version is not read: the client asks the socket. */
START_TEST(test_other_version)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    off_t at = (off_t)offsetof(struct sb_header, version);
    uint32_t v = 1;
    ck_assert_int_eq(pwrite(b.fd, &v, sizeof(v), at), (ssize_t)sizeof(v));
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_INVALID);
    v = SB_VERSION + 1;
    ck_assert_int_eq(pwrite(b.fd, &v, sizeof(v), at), (ssize_t)sizeof(v));
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_INVALID);
    v = SB_VERSION;
    ck_assert_int_eq(pwrite(b.fd, &v, sizeof(v), at), (ssize_t)sizeof(v));
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

START_TEST(test_slots_and_find)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    struct sb_unit u, got;
    for (uint32_t i = 0; i < 10000; i++) {
        int slot = sb_slot_alloc(&b);
        ck_assert_int_eq(slot, (int)i);
        memset(&u, 0, sizeof(u));
        snprintf(u.name, sizeof(u.name), "unit%u", i);
        u.state = unit_state_code("active");
        u.pid = (int32_t)i + 1;
        sb_publish(&b, slot, &u);
    }
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert_uint_eq(sb_reader_used(&r), 10000);
    ck_assert_int_eq(sb_reader_find(&r, "unit9999", &got), 1);
    ck_assert_int_eq(got.pid, 10000);
    ck_assert_int_eq(sb_reader_find(&r, "unit10000", &got), 0);
    ck_assert_int_eq(sb_reader_find(&r, "unit1", &got), 1);
    ck_assert_int_eq(got.pid, 2);
    ck_assert_uint_eq(r.hdr->generation, 10000);

    /* A freed slot reads as empty and is reused. */
    sb_slot_free(&b, 5);
    ck_assert_int_eq(sb_reader_get(&r, 5, &got), 0);
    ck_assert_int_eq(sb_reader_find(&r, "unit5", &got), 0);
    ck_assert_int_eq(sb_slot_alloc(&b), 5);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

START_TEST(test_overflow)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    for (uint32_t i = 0; i < SB_CAPACITY; i++)
        ck_assert_int_ge(sb_slot_alloc(&b), 0);
    ck_assert_int_eq(sb_slot_alloc(&b), -1);
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert(r.hdr->flags & SB_FLAG_OVERFLOW);
    sb_reader_close(&r);
    sb_close(&b);
}
END_TEST

/* The lock says whether the writer lives: closed (or dead) means stale. */
START_TEST(test_stale)
{
    struct sb_reader r;
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_MISSING);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct status_board b;
        if (sb_create(&b, path, 0644) < 0)
            _exit(1);
        pause();
        _exit(0);
    }
    for (int i = 0; i < 500 && access(path, F_OK) < 0; i++)
        usleep(10000);
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert(!r.stale);
    sb_reader_close(&r);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_OK);
    ck_assert(r.stale);
    sb_reader_close(&r);

    /* Garbage is not a board. */
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < 8192; i++)
        fputc('x', f);
    fclose(f);
    ck_assert_int_eq(sb_reader_open(&r, path), SB_OPEN_INVALID);
}
END_TEST

/* Two processes: the writer rewrites two records as fast as it can, the
 * reader copies them concurrently. Every copy must be one whole version. */
START_TEST(test_reader_races_writer)
{
    struct status_board b;
    ck_assert_int_eq(sb_create(&b, path, 0644), 0);
    int s0 = sb_slot_alloc(&b), s1 = sb_slot_alloc(&b);
    struct sb_unit u;
    make_unit(&u, 1);
    sb_publish(&b, s0, &u);
    sb_publish(&b, s1, &u);

    /* The reader reports through shared memory: copies, distinct versions, torn. */
    uint64_t *stats = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(stats, MAP_FAILED);
    memset(stats, 0, 4096);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct sb_reader r;
        if (sb_reader_open(&r, path) != SB_OPEN_OK)
            _exit(2);
        int64_t last = -1;
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
            for (uint32_t slot = 0; slot < 2; slot++) {
                struct sb_unit got;
                int g = sb_reader_get(&r, slot, &got);
                if (g < 0)
                    continue; /* busy for too long: retried, never torn */
                __atomic_add_fetch(&stats[0], 1, __ATOMIC_RELAXED);
                if (g != 1 || !unit_consistent(&got))
                    __atomic_add_fetch(&stats[2], 1, __ATOMIC_RELAXED);
                if (got.since != last) {
                    __atomic_add_fetch(&stats[1], 1, __ATOMIC_RELAXED);
                    last = got.since;
                }
            }
            clock_gettime(CLOCK_MONOTONIC, &t);
        } while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 1500000000L);
        _exit(0);
    }
    uint32_t k = 2;
    int status;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        for (int i = 0; i < 1000; i++, k++) {
            make_unit(&u, k);
            sb_publish(&b, (k & 1) ? s1 : s0, &u);
        }
    }
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_uint_gt(stats[0], 1000); /* the reader really read */
    ck_assert_uint_gt(stats[1], 100);  /* ...while the writer really wrote */
    ck_assert_uint_eq(stats[2], 0);    /* ...and never saw a torn record */
    munmap(stats, 4096);
    sb_close(&b);
}
END_TEST

static Suite *board_suite(void)
{
    Suite *s = suite_create("status_board");
    TCase *tc = tcase_create("board");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_layout);
    tcase_add_test(tc, test_codes);
    tcase_add_test(tc, test_long_names);
    tcase_add_test(tc, test_timer_records);
    tcase_add_test(tc, test_other_version);
    tcase_add_test(tc, test_slots_and_find);
    tcase_add_test(tc, test_overflow);
    tcase_add_test(tc, test_stale);
    tcase_add_test(tc, test_reader_races_writer);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(board_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
