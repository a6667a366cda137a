/* check_service_table.c - keeps the states x events table of doc/DESIGN.md
 * ("The service state machine") honest.
 *
 * It parses that table, and for every cell puts a machine on the fake ops
 * (svc_fake.c) into the row's sub-state by events from dead, feeds the
 * column's event and compares what the machine did with the cell: a changed
 * transition without a changed table fails, and so does a changed table
 * without a changed machine. Every cell that differs is reported, with the
 * machine's answer; PXINIT_PRINT_TABLE=1 prints the whole table as the
 * machine has it, in the document's format.
 *
 * The machine is the reference unit the document names: Type=notify with
 * one command in every Exec*= list, Restart=on-failure, RemainAfterExit=yes,
 * systemd's defaults otherwise; a process's group empties when it exits.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "svc_fake.h"

/* The sub-states: SUB_RELOAD is the last of enum svc_sub. */
#define N_SUBS (SUB_RELOAD + 1)

/* The columns: every event the machine takes that can change a sub-state.
 * Not columns: exec() succeeded (Type=exec only), EXTEND_TIMEOUT_USEC=
 * (moves the timer, never the state), a spawn that failed late (taken as
 * an exit), MAINPID= (the supervisor's: it replaces the main pid). */
enum event {
    SE_START,     /* svc_start(), explicit: pxinit start */
    SE_STOP,      /* svc_stop() */
    SE_RESTART,   /* svc_restart() */
    SE_RELOAD,    /* svc_reload() */
    SE_MAIN_OK,   /* the main process exited 0 */
    SE_MAIN_FAIL, /* the main process exited 1 */
    SE_CTL_OK,    /* the control process exited 0 */
    SE_CTL_FAIL,  /* the control process exited 1 */
    SE_TIMER,     /* the unit's timer: a timeout, or the restart delay */
    SE_READY,     /* READY=1 */
    SE_STOPPING,  /* STOPPING=1 */
    SE_WATCHDOG,  /* WatchdogSec= passed without WATCHDOG=1 */
    N_EVENTS,
};

static const char *const event_labels[N_EVENTS] = {
    [SE_START] = "start",   [SE_STOP] = "stop",           [SE_RESTART] = "restart",
    [SE_RELOAD] = "reload", [SE_MAIN_OK] = "main ok",     [SE_MAIN_FAIL] = "main fail",
    [SE_CTL_OK] = "ctl ok", [SE_CTL_FAIL] = "ctl fail",   [SE_TIMER] = "timer",
    [SE_READY] = "READY=1", [SE_STOPPING] = "STOPPING=1", [SE_WATCHDOG] = "watchdog",
};

/* A cell: the sub-state the event leads to, or these two. */
#define CELL_SAME "-"         /* taken, and no state changed */
#define CELL_NEVER "\xc2\xb7" /* "·": cannot happen there (no such process, no timer) */

/* ---- the reference unit and the way into each row ---------------------------- */

static struct harness *reference_new(void)
{
    struct harness *h = h_new(UNIT_TYPE_NOTIFY, "/bin/main");
    struct unit_cmds *c = CMDS(h->u);
    exec_add(&c->exec_condition, "/bin/condition");
    exec_add(&c->exec_start_pre, "/bin/pre");
    exec_add(&c->exec_start_post, "/bin/post");
    exec_add(&c->exec_reload, "/bin/reload");
    exec_add(&c->exec_stop, "/bin/stop");
    exec_add(&c->exec_stop_post, "/bin/stop-post");
    h->u->restart = RESTART_ON_FAILURE;
    h->u->remain_after_exit = true;
    h->group_alive = false;
    return h;
}

#define MAX_PATH 12
#define RUNNING SE_START, SE_CTL_OK, SE_CTL_OK, SE_READY, SE_CTL_OK
#define STOP_SIGTERM RUNNING, SE_STOP, SE_CTL_OK
#define AUTO_RESTART RUNNING, SE_MAIN_FAIL, SE_CTL_OK, SE_CTL_OK

/* The events that lead from dead into each sub-state (N_EVENTS ends). */
static const struct {
    enum svc_sub sub;
    enum event path[MAX_PATH];
} ways[] = {
    {SUB_DEAD, {N_EVENTS}},
    {SUB_CONDITION, {SE_START, N_EVENTS}},
    {SUB_START_PRE, {SE_START, SE_CTL_OK, N_EVENTS}},
    {SUB_START, {SE_START, SE_CTL_OK, SE_CTL_OK, N_EVENTS}},
    {SUB_START_POST, {SE_START, SE_CTL_OK, SE_CTL_OK, SE_READY, N_EVENTS}},
    {SUB_RUNNING, {RUNNING, N_EVENTS}},
    {SUB_EXITED, {RUNNING, SE_MAIN_OK, N_EVENTS}},
    {SUB_RELOAD, {RUNNING, SE_RELOAD, N_EVENTS}},
    {SUB_STOP, {RUNNING, SE_STOP, N_EVENTS}},
    {SUB_STOP_SIGTERM, {STOP_SIGTERM, N_EVENTS}},
    {SUB_STOP_SIGKILL, {STOP_SIGTERM, SE_TIMER, N_EVENTS}},
    {SUB_STOP_POST, {STOP_SIGTERM, SE_MAIN_OK, N_EVENTS}},
    {SUB_FINAL_SIGTERM, {STOP_SIGTERM, SE_MAIN_OK, SE_TIMER, N_EVENTS}},
    {SUB_FINAL_SIGKILL, {STOP_SIGTERM, SE_MAIN_OK, SE_TIMER, SE_TIMER, N_EVENTS}},
    {SUB_AUTO_RESTART, {AUTO_RESTART, N_EVENTS}},
    {SUB_FAILED, {AUTO_RESTART, SE_STOP, N_EVENTS}},
};

/* Whether ev can reach the machine now: an exit needs that process, the
 * timer must be armed; requests and notifications can always come. */
static bool event_possible(const struct harness *h, enum event ev)
{
    switch (ev) {
    case SE_MAIN_OK:
    case SE_MAIN_FAIL:
        return h->s.main.pid > 0;
    case SE_CTL_OK:
    case SE_CTL_FAIL:
        return h->s.control.pid > 0;
    case SE_TIMER:
        return h->timer_armed;
    default:
        return true;
    }
}

/* Feeds ev, then reports the pid of whatever it spawned, as the supervisor
 * would before the next event. */
static void event_feed(struct harness *h, enum event ev)
{
    switch (ev) {
    case SE_START:
        svc_start(&h->s, true);
        break;
    case SE_STOP:
        svc_stop(&h->s);
        break;
    case SE_RESTART:
        svc_restart(&h->s);
        break;
    case SE_RELOAD:
        (void)svc_reload(&h->s);
        break;
    case SE_MAIN_OK:
    case SE_MAIN_FAIL:
        h_exit(h, &h->s.main, WS_EXIT(ev == SE_MAIN_OK ? 0 : 1));
        break;
    case SE_CTL_OK:
    case SE_CTL_FAIL:
        h_exit(h, &h->s.control, WS_EXIT(ev == SE_CTL_OK ? 0 : 1));
        break;
    case SE_TIMER:
        h_fire(h);
        break;
    case SE_READY:
        svc_notify_ready(&h->s);
        break;
    case SE_STOPPING:
        svc_notify_stopping(&h->s);
        break;
    case SE_WATCHDOG:
        svc_watchdog_timeout(&h->s);
        break;
    case N_EVENTS:
        ck_abort_msg("no such event");
    }
    if (h->s.main.pending)
        h_started(h, &h->s.main);
    if (h->s.control.pending)
        h_started(h, &h->s.control);
}

/* A reference machine in sub; NULL when it has no way there. */
static struct harness *machine_in(enum svc_sub sub)
{
    for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
        if (ways[i].sub != sub)
            continue;
        struct harness *h = reference_new();
        for (const enum event *ev = ways[i].path; *ev != N_EVENTS; ev++) {
            ck_assert_msg(event_possible(h, *ev), "the way into %s: %s cannot happen in %s",
                          svc_sub_name(sub), event_labels[*ev], svc_sub_name(h->s.sub));
            event_feed(h, *ev);
        }
        ck_assert_msg(h->s.sub == sub, "the way into %s ends in %s", svc_sub_name(sub),
                      svc_sub_name(h->s.sub));
        return h;
    }
    return NULL;
}

/* What the machine does with ev in sub, as a cell. */
static const char *machine_cell(enum svc_sub sub, enum event ev)
{
    struct harness *h = machine_in(sub);
    ck_assert_msg(h != NULL, "no way into %s", svc_sub_name(sub));
    const char *cell = CELL_NEVER;
    if (event_possible(h, ev)) {
        size_t mark = h->nacts;
        event_feed(h, ev);
        cell = h_count(h, ACT_STATE, mark) ? svc_sub_name(h->s.sub) : CELL_SAME;
    }
    h_free(h);
    return cell;
}

/* ---- the table in doc/DESIGN.md -------------------------------------------- */

struct table {
    int col_event[N_EVENTS]; /* the event of each column after the first */
    int ncols;
    char cell[N_SUBS][N_EVENTS][32]; /* by sub-state and event */
    bool have_row[N_SUBS];
    bool have_event[N_EVENTS];
};

/* Splits a "| a | b |" line into its trimmed cells (backquotes dropped). */
static int split_row(char *line, char *cells[], int max)
{
    int n = 0;
    char *p = strchr(line, '|');
    while (p && n < max) {
        char *end = strchr(p + 1, '|');
        if (!end)
            break;
        *end = '\0';
        char *c = p + 1;
        while (*c == ' ' || *c == '`')
            c++;
        char *e = end;
        while (e > c && (e[-1] == ' ' || e[-1] == '`'))
            e--;
        *e = '\0';
        cells[n++] = c;
        p = end;
    }
    return n;
}

static int sub_by_name(const char *name)
{
    for (int i = 0; i < N_SUBS; i++)
        if (strcmp(svc_sub_name((enum svc_sub)i), name) == 0)
            return i;
    return -1;
}

static int event_by_label(const char *label)
{
    for (int i = 0; i < N_EVENTS; i++)
        if (strcmp(event_labels[i], label) == 0)
            return i;
    return -1;
}

/* The first table after the section's title whose first header cell is
 * "sub-state". Problems fail the test with the line they are on. */
static void table_read(struct table *t)
{
    memset(t, 0, sizeof(*t));
    FILE *f = fopen(DESIGN_MD, "re");
    ck_assert_msg(f != NULL, "cannot open %s", DESIGN_MD);
    char line[1024];
    unsigned lineno = 0;
    enum { BEFORE, IN_SECTION, HEADER, ROWS } where = BEFORE;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (where == BEFORE) {
            if (strncmp(line, "## The service state machine", 28) == 0)
                where = IN_SECTION;
            continue;
        }
        char *cells[N_EVENTS + 2];
        if (where == IN_SECTION) {
            ck_assert_msg(strncmp(line, "## ", 3) != 0, "DESIGN.md: the section has no table");
            if (line[0] != '|')
                continue;
            int n = split_row(line, cells, N_EVENTS + 2);
            if (n == 0 || strcmp(cells[0], "sub-state") != 0)
                continue;
            for (int i = 1; i < n; i++) {
                int ev = event_by_label(cells[i]);
                ck_assert_msg(ev >= 0, "DESIGN.md:%u: no event is called \"%s\"", lineno, cells[i]);
                ck_assert_msg(!t->have_event[ev], "DESIGN.md:%u: \"%s\" twice", lineno, cells[i]);
                t->have_event[ev] = true;
                t->col_event[i - 1] = ev;
            }
            t->ncols = n - 1;
            where = HEADER;
            continue;
        }
        if (where == HEADER) { /* the |---|---| line */
            ck_assert_msg(line[0] == '|' && strstr(line, "---"),
                          "DESIGN.md:%u: the table's header has no rule below it", lineno);
            where = ROWS;
            continue;
        }
        if (line[0] != '|')
            break;
        int n = split_row(line, cells, N_EVENTS + 2);
        ck_assert_msg(n == t->ncols + 1, "DESIGN.md:%u: %d cells, the header has %d", lineno, n,
                      t->ncols + 1);
        int sub = sub_by_name(cells[0]);
        ck_assert_msg(sub >= 0, "DESIGN.md:%u: no sub-state is called \"%s\"", lineno, cells[0]);
        ck_assert_msg(!t->have_row[sub], "DESIGN.md:%u: %s twice", lineno, cells[0]);
        t->have_row[sub] = true;
        for (int i = 1; i < n; i++) {
            ck_assert_msg(strlen(cells[i]) < sizeof(t->cell[0][0]), "DESIGN.md:%u: long cell",
                          lineno);
            strcpy(t->cell[sub][t->col_event[i - 1]], cells[i]);
        }
    }
    fclose(f);
    ck_assert_msg(where == ROWS,
                  "DESIGN.md: no states x events table in \"The service state "
                  "machine\"");
}

/* ---- the tests ------------------------------------------------------------------ */

/* Every sub-state a row, every event a column: a new state or event is
 * documented before it is merged. */
START_TEST(test_table_complete)
{
    struct table t;
    table_read(&t);
    for (int i = 0; i < N_SUBS; i++)
        ck_assert_msg(t.have_row[i], "DESIGN.md: no row for %s", svc_sub_name((enum svc_sub)i));
    for (int i = 0; i < N_EVENTS; i++)
        ck_assert_msg(t.have_event[i], "DESIGN.md: no column for %s", event_labels[i]);
}
END_TEST

static void table_print(void)
{
    printf("| sub-state |");
    for (int e = 0; e < N_EVENTS; e++)
        printf(" %s |", event_labels[e]);
    printf("\n|---|");
    for (int e = 0; e < N_EVENTS; e++)
        printf("---|");
    printf("\n");
    for (size_t w = 0; w < sizeof(ways) / sizeof(ways[0]); w++) {
        printf("| %s |", svc_sub_name(ways[w].sub));
        for (int e = 0; e < N_EVENTS; e++)
            printf(" %s |", machine_cell(ways[w].sub, (enum event)e));
        printf("\n");
    }
}

/* Each cell against the machine; all differences in one message. */
START_TEST(test_table_matches_machine)
{
    if (getenv("PXINIT_PRINT_TABLE"))
        table_print(); /* first: it helps most when the document has none yet */
    struct table t;
    table_read(&t);
    char diff[4096] = "";
    size_t len = 0;
    int bad = 0;
    for (int sub = 0; sub < N_SUBS; sub++) {
        if (!t.have_row[sub])
            continue; /* test_table_complete says so */
        for (int c = 0; c < t.ncols; c++) {
            int ev = t.col_event[c];
            const char *want = t.cell[sub][ev];
            const char *got = machine_cell((enum svc_sub)sub, (enum event)ev);
            if (strcmp(want, got) == 0)
                continue;
            bad++;
            if (len < sizeof(diff))
                len +=
                    (size_t)snprintf(diff + len, sizeof(diff) - len,
                                     "\n  %s + %s: the table says %s, the machine %s",
                                     svc_sub_name((enum svc_sub)sub), event_labels[ev], want, got);
        }
    }
    ck_assert_msg(bad == 0, "%d cell(s) of DESIGN.md's table differ from service.c:%s", bad, diff);
}
END_TEST

/* The test can fail: a cell the machine does not have is caught. */
START_TEST(test_wrong_cell_is_caught)
{
    ck_assert_str_eq(machine_cell(SUB_RUNNING, SE_STOP), "stop");
    ck_assert_str_ne(machine_cell(SUB_RUNNING, SE_STOP), "stop-sigterm");
    ck_assert_str_eq(machine_cell(SUB_DEAD, SE_MAIN_OK), CELL_NEVER);
    ck_assert_str_eq(machine_cell(SUB_RUNNING, SE_READY), CELL_SAME);
}
END_TEST

static Suite *table_suite(void)
{
    Suite *s = suite_create("service_table");
    TCase *tc = tcase_create("design");
    tcase_add_test(tc, test_table_complete);
    tcase_add_test(tc, test_table_matches_machine);
    tcase_add_test(tc, test_wrong_cell_is_caught);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(table_suite());
    log_set_level(LOG_LEVEL_ERROR); /* the machine logs every timeout it is fed */
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
