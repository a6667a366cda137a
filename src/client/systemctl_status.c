/* systemctl_status.c - `systemctl status [UNIT...]`: each unit's block
 * (systemctl_fmt.c) from the daemon's `show`, then its last output lines
 * (the daemon's `logs -n N`); without a unit, the manager's summary.
 * Exit code as systemctl's: 0 all active, 3 one is not, 4 one is unknown.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/tz.h"
#include "client/journal_format.h"
#include "client/systemctl_int.h"
#include "wire/proto_journal.h"
#include "wire/protocol.h"

static int64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The process's name, as ps shows it, or NULL. */
static const char *read_comm(int64_t pid, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%lld/comm", (long long)pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return NULL;
    bool ok = fgets(buf, (int)size, f) != NULL;
    fclose(f);
    if (!ok)
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

static void manager_summary(struct systemctl *sc, const struct sc_unit *m)
{
    char host[256] = "localhost", abs[64], rel[64];
    (void)gethostname(host, sizeof(host) - 1);
    const char *state = sc_get(m, "SystemState");
    bool tty = isatty(STDOUT_FILENO);
    bool good = state && strcmp(state, "running") == 0;
    printf("%s●%s %s\n", tty ? (good ? "\x1b[0;1;32m" : "\x1b[0;1;31m") : "", tty ? "\x1b[0m" : "",
           host);
    printf("    State: %s\n", state && *state ? state : "unknown");
    printf("    Units: %lld loaded\n", (long long)sc_get_num(m, "NNames"));
    printf("     Jobs: %lld queued\n", (long long)sc_get_num(m, "NJobs"));
    printf("   Failed: %lld units\n", (long long)sc_get_num(m, "NFailedUnits"));
    int64_t since = sc_get_num(m, "UserspaceTimestamp");
    if (since > 0)
        printf("    Since: %s; %s\n", sc_fmt_timestamp(abs, sizeof(abs), since),
               sc_fmt_relative(rel, sizeof(rel), since, now_usec()));
    const char *v = sc_get(m, "Version");
    printf("   pxinit: %s\n", v && *v ? v : PACKAGE_VERSION);
    (void)sc;
}

/* The journal's lines as journalctl -o short shows them (systemd's
 * status does the same): "Dec 07 18:05:01 host web[123]: text". */
static void print_entries(struct sc_reply *r)
{
    char host[256] = "localhost";
    (void)gethostname(host, sizeof(host) - 1);
    struct jf_ctx ctx = {.mode = JF_SHORT, .zone = tz_local(), .hostname = host};
    ctx.color = isatty(STDOUT_FILENO);
    bool first = true;
    for (size_t i = 0; i < r->nlines; i++) {
        struct proto_entry e;
        if (proto_parse_entry(r->lines[i], &e) < 0)
            continue;
        if (first)
            printf("\n");
        first = false;
        jf_print(stdout, &ctx, &e);
    }
}

/* The last output lines of a unit, after a blank line, when it has any:
 * the daemon's journal, or its `logs` when it has no journal request. */
static void recent_output(struct systemctl *sc, const char *unit)
{
    const char *n = sc->lines ? sc->lines : "10";
    char req[PROTO_MAX_REQUEST];
    if (strcmp(n, "0") == 0 || strspn(n, "0123456789") != strlen(n) ||
        snprintf(req, sizeof(req), "journal -n %s %s\n", n, unit) >= (int)sizeof(req))
        return;
    /* Kept, then printed: no blank line when there is no output. */
    struct sc_reply keep = {.keep_lines = true};
    int code = sc_call(sc, req, false, &keep);
    if (code == 0) {
        print_entries(&keep);
        sc_reply_free(&keep);
        return;
    }
    bool old = code == PROTO_EXIT_USAGE && strstr(keep.first_error, "unknown request");
    sc_reply_free(&keep);
    if (!old)
        return;
    snprintf(req, sizeof(req), "logs -n %s %s\n", n, unit);
    struct sc_reply logs = {.keep_lines = true};
    if (sc_call(sc, req, false, &logs) == 0 && logs.nlines > 0) {
        printf("\n");
        for (size_t i = 0; i < logs.nlines; i++)
            printf("%s\n", logs.lines[i]);
    }
    sc_reply_free(&logs);
}

/* The states of the units that trigger u, for their glyphs. */
static void fetch_peers(struct systemctl *sc, const struct sc_unit *u, struct sc_set *peers)
{
    const char *list = sc_get(u, "TriggeredBy");
    if (!list || !*list)
        return;
    char *copy = strdup(list), *save = NULL, *names[32];
    int n = 0;
    if (!copy)
        return;
    for (char *p = strtok_r(copy, " ", &save); p && n < 32; p = strtok_r(NULL, " ", &save))
        names[n++] = p;
    static char *const props[] = {"Id", "ActiveState", NULL};
    bool quiet = sc->quiet;
    sc->quiet = true;
    (void)sc_fetch(sc, names, n, false, (char **)props, peers);
    sc->quiet = quiet;
    free(copy);
}

static int one_unit(struct systemctl *sc, const char *arg, bool first)
{
    struct sc_set set = {0};
    char *units[1] = {(char *)arg};
    int code = sc_fetch(sc, units, 1, false, NULL, &set);
    if (code != 0 || set.n == 0) {
        sc_set_free(&set);
        return code < 0 ? -1 : code > 0 ? SC_EXIT_FAILURE : SC_EXIT_NO_UNIT;
    }
    sc_fill_install(sc, &set);
    const struct sc_unit *u = &set.units[0];
    const char *load = sc_get(u, "LoadState"), *as = sc_get(u, "ActiveState");
    char id[300];
    sc_unit_name(arg, id, sizeof(id));
    if (load && strcmp(load, "not-found") == 0 && (!as || strcmp(as, "inactive") == 0)) {
        fprintf(stderr, "Unit %s could not be found.\n", id);
        sc_set_free(&set);
        return SC_EXIT_NO_UNIT;
    }
    if (!first)
        printf("\n");
    struct sc_set peers = {0};
    fetch_peers(sc, u, &peers);
    char comm[64];
    int64_t pid = sc_get_num(u, "MainPID");
    sc_print_status(stdout, u, now_usec(), pid > 0 ? read_comm(pid, comm, sizeof(comm)) : NULL,
                    isatty(STDOUT_FILENO), &peers);
    sc_set_free(&peers);
    fflush(stdout);
    recent_output(sc, arg);
    bool active = as && (strcmp(as, "active") == 0 || strcmp(as, "reloading") == 0);
    sc_set_free(&set);
    return active ? SC_EXIT_OK : SC_EXIT_NOT_RUNNING;
}

int sc_status(struct systemctl *sc)
{
    if (sc->nargs == 0) {
        struct sc_set set = {0};
        int code = sc_fetch(sc, NULL, 0, false, NULL, &set);
        if (code == 0 && set.n > 0)
            manager_summary(sc, &set.units[0]);
        sc_set_free(&set);
        return code < 0 ? SC_EXIT_FAILURE : code;
    }
    int worst = SC_EXIT_OK;
    bool first = true;
    for (int i = 0; i < sc->nargs; i++) {
        int code = one_unit(sc, sc->args[i], first);
        if (code < 0)
            return SC_EXIT_FAILURE; /* no daemon: said once */
        if (code == SC_EXIT_OK || code == SC_EXIT_NOT_RUNNING)
            first = false;
        if (code > worst)
            worst = code;
    }
    return worst;
}
