/* svc_fake.c - the fake svc_ops and the harness of svc_fake.h. */
#include "svc_fake.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct harness *h_of(struct service *s)
{
    return s->ctx;
}

static struct act *h_push(struct harness *h, enum act_kind kind)
{
    ck_assert_uint_lt(h->nacts, MAX_ACTS);
    struct act *a = &h->acts[h->nacts++];
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    return a;
}

static int fake_spawn(struct service *s, const struct exec_command *cmd, bool is_main)
{
    struct harness *h = h_of(s);
    struct act *a = h_push(h, ACT_SPAWN);
    a->is_main = is_main;
    snprintf(a->line, sizeof(a->line), "%s", cmd->line);
    if (h->spawn_fails) {
        errno = EAGAIN;
        return -1;
    }
    /* As the supervisor does: the pid comes later, through h_started(). */
    (is_main ? &s->main : &s->control)->pending = true;
    return 0;
}

static void fake_kill(struct service *s, struct svc_proc *p, int sig, bool group)
{
    struct act *a = h_push(h_of(s), ACT_KILL);
    a->is_main = p == &s->main;
    a->sig = sig;
    a->group = group;
    a->pid = p->pid;
    a->pgid = p->pgid;
}

static bool fake_group_alive(struct service *s, struct svc_proc *p)
{
    ck_assert_int_gt(p->pgid, 0);
    return h_of(s)->group_alive;
}

static void fake_timer(struct service *s, uint64_t usec)
{
    struct harness *h = h_of(s);
    h_push(h, ACT_TIMER)->usec = usec;
    h->timer_armed = usec != 0 && usec != USEC_INFINITY;
    h->timer_usec = h->timer_armed ? usec : 0;
}

static void fake_changed(struct service *s, enum svc_sub old)
{
    struct act *a = h_push(h_of(s), ACT_STATE);
    a->old = old;
    a->sub = s->sub;
    ck_assert_int_ne(old, s->sub);
}

/* Conditions read the file system in the daemon; here the test answers. The
 * op is given the unit alone, so the fake finds its harness here: one lives
 * at a time (h_new() to h_free()). */
static struct harness *live;

static enum condition_result fake_check_conditions(const struct unit *u,
                                                   const struct path_condition **what)
{
    struct harness *h = live;
    ck_assert_ptr_eq(u, h->s.unit);
    h->condition_checks++;
    *what = &h->condition;
    return h->conditions;
}

static uint64_t fake_now(struct service *s)
{
    return h_of(s)->now;
}

const struct svc_ops fake_ops = {
    .check_conditions = fake_check_conditions,
    .spawn = fake_spawn,
    .kill = fake_kill,
    .group_alive = fake_group_alive,
    .timer = fake_timer,
    .changed = fake_changed,
    .now = fake_now,
};

/* ---- building units -------------------------------------------------------- */

/* Appends line to l as the parser would store it: a leading '-' becomes the
 * flag; the copies are malloc'ed so unit_free() frees them. */
void exec_add(struct exec_list *l, const char *line)
{
    struct exec_command *v = realloc(l->v, (l->n + 1) * sizeof(*v));
    ck_assert_ptr_nonnull(v);
    l->v = v;
    v[l->n].flags = 0;
    if (line[0] == '-') {
        v[l->n].flags = EXEC_FLAG_IGNORE_FAILURE;
        line++;
    }
    v[l->n].line = strdup(line);
    ck_assert_ptr_nonnull(v[l->n].line);
    v[l->n].lineno = (unsigned)l->n + 1;
    l->n++;
}

/* A unit x.service of type with ExecStart=start (none when NULL), systemd's
 * defaults otherwise, and a service on the fake ops. */
struct harness *h_new(enum unit_type type, const char *start)
{
    struct harness *h = calloc(1, sizeof(*h));
    ck_assert_ptr_nonnull(h);
    h->u = unit_new("x.service");
    ck_assert_ptr_nonnull(h->u);
    h->u->type = type;
    h->u->type_set = true;
    if (type == UNIT_TYPE_ONESHOT)
        h->u->timeout_start_usec = USEC_INFINITY; /* as the parser defaults it */
    if (start)
        exec_add(&h->u->exec_start, start);
    h->now = SEC(1000);
    h->next_pid = 100;
    h->conditions = CONDITION_MET;
    h->condition.path = (char *)"/etc/pxinit-test-condition";
    ck_assert_ptr_null(live); /* one at a time: see fake_check_conditions() */
    live = h;
    svc_init(&h->s, h->u, &fake_ops, h);
    ck_assert_str_eq(h->s.name, "x");
    return h;
}

void h_free(struct harness *h)
{
    svc_release(&h->s);
    unit_free(h->u);
    live = NULL;
    free(h);
}

/* ---- events ---------------------------------------------------------------- */

/* The supervisor learnt the pid of a spawned proc (its own group leader). */
pid_t h_started(struct harness *h, struct svc_proc *p)
{
    ck_assert_msg(p->pending, "no spawn is waiting for its pid");
    p->pid = h->next_pid++;
    p->pgid = p->pid;
    p->pending = false;
    svc_proc_started(&h->s, p);
    return p->pid;
}

void h_exit(struct harness *h, struct svc_proc *p, int status)
{
    ck_assert_msg(p->pid > 0, "exit of a proc that has no pid");
    p->pidfd = -1;
    svc_proc_exited(&h->s, p, status);
}

void h_fire(struct harness *h)
{
    ck_assert_msg(h->timer_armed, "timer fired while disarmed");
    h->timer_armed = false;
    svc_timer_fired(&h->s);
}

/* Starts a Type=simple (or notify) unit and reports its main pid. */
void h_run(struct harness *h)
{
    svc_start(&h->s, true);
    h_started(h, &h->s.main);
}

/* ---- looking at what happened ------------------------------------------- */

size_t h_count(const struct harness *h, enum act_kind kind, size_t from)
{
    size_t n = 0;
    for (size_t i = from; i < h->nacts; i++)
        n += h->acts[i].kind == kind;
    return n;
}

/* The n-th (0-based) action of kind at or after index from, or NULL. */
const struct act *h_nth(const struct harness *h, enum act_kind kind, size_t from, size_t n)
{
    for (size_t i = from; i < h->nacts; i++)
        if (h->acts[i].kind == kind && n-- == 0)
            return &h->acts[i];
    return NULL;
}

const struct act *h_spawn(const struct harness *h, size_t n)
{
    const struct act *a = h_nth(h, ACT_SPAWN, 0, n);
    ck_assert_msg(a != NULL, "no spawn #%zu (%zu spawns)", n, h_count(h, ACT_SPAWN, 0));
    return a;
}

/* The first kill with sig at or after from, or NULL. */
const struct act *h_kill_of(const struct harness *h, int sig, size_t from)
{
    for (size_t i = from; i < h->nacts; i++)
        if (h->acts[i].kind == ACT_KILL && h->acts[i].sig == sig)
            return &h->acts[i];
    return NULL;
}

size_t h_kills_of(const struct harness *h, int sig, size_t from)
{
    size_t n = 0;
    for (size_t i = from; i < h->nacts; i++)
        n += h->acts[i].kind == ACT_KILL && h->acts[i].sig == sig;
    return n;
}
