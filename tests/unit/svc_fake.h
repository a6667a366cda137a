/* svc_fake.h - the service state machine on fake ops, for its Check suites
 * (check_service, check_service_table): nothing forks, no signal is sent,
 * the clock is a number the test moves, and every op call is recorded.
 */
#ifndef PXINIT_SVC_FAKE_H
#define PXINIT_SVC_FAKE_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/timespan.h"
#include "core/service.h"
#include "unit/cmdline.h"

#define CMDS(u) ((struct unit_cmds *)unit_part((u), UNIT_PART_CMDS)) /* allocates it */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SEC(x) ((uint64_t)(x)*USEC_PER_SEC)
#define MSEC(x) ((uint64_t)(x)*USEC_PER_MSEC)

/* Linux wait status encodings, built by hand so no process is needed. */
#define WS_EXIT(code) (((code)&0xff) << 8)
#define WS_SIGNAL(sig) ((sig)&0x7f)
#define WS_CORE(sig) (((sig)&0x7f) | 0x80)

/* ---- the fake ops ---------------------------------------------------------- */

enum act_kind {
    ACT_SPAWN,
    ACT_KILL,
    ACT_TIMER,
    ACT_STATE,
};

/* One recorded call of an op. */
struct act {
    enum act_kind kind;
    bool is_main;          /* spawn: as the main; kill: aimed at s->main */
    char line[64];         /* spawn: the command line */
    int sig;               /* kill */
    bool group;            /* kill: the whole process group */
    pid_t pid, pgid;       /* kill: what the proc held then */
    uint64_t usec;         /* timer */
    enum svc_sub old, sub; /* state change */
};

#define MAX_ACTS 512

struct harness {
    struct unit *u;
    struct service s;
    struct act acts[MAX_ACTS];
    size_t nacts;

    /* What the test controls. */
    uint64_t now;
    bool spawn_fails; /* every spawn returns -1 with EAGAIN */
    bool group_alive; /* answer of group_alive for any group */
    /* The answer of check_conditions (CONDITION_MET unless a test says) and
     * the condition it names when it is not met. */
    enum condition_result conditions;
    struct path_condition condition;

    /* What the fake keeps. */
    bool timer_armed;
    uint64_t timer_usec;
    pid_t next_pid;
    unsigned condition_checks; /* calls of check_conditions */
};

extern const struct svc_ops fake_ops;

void exec_add(struct exec_list *l, const char *line);
struct harness *h_new(enum unit_type type, const char *start);
void h_free(struct harness *h);
pid_t h_started(struct harness *h, struct svc_proc *p);
void h_exit(struct harness *h, struct svc_proc *p, int status);
void h_fire(struct harness *h);
void h_run(struct harness *h);
size_t h_count(const struct harness *h, enum act_kind kind, size_t from);
const struct act *h_nth(const struct harness *h, enum act_kind kind, size_t from, size_t n);
const struct act *h_spawn(const struct harness *h, size_t n);
const struct act *h_kill_of(const struct harness *h, int sig, size_t from);
size_t h_kills_of(const struct harness *h, int sig, size_t from);

#define assert_sub(h, name) ck_assert_str_eq(svc_sub_name((h)->s.sub), (name))
#define assert_state(h, name) ck_assert_str_eq(svc_state_name(svc_state_of((h)->s.sub)), (name))
#define assert_result(h, name) ck_assert_str_eq(service_result_name((h)->s.result), (name))
#define assert_spawns(h, n) ck_assert_uint_eq(h_count((h), ACT_SPAWN, 0), (n))
#define assert_timer(h, usec)                               \
    do {                                                    \
        ck_assert_msg((h)->timer_armed, "timer not armed"); \
        ck_assert_uint_eq((h)->timer_usec, (usec));         \
    } while (0)
#define assert_no_timer(h) \
    ck_assert_msg(!(h)->timer_armed, "timer armed (%llu us)", (unsigned long long)(h)->timer_usec)

#endif
