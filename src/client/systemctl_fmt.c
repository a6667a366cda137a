/* systemctl_fmt.c - how systemctl (v252) writes times and the `status`
 * block, from a unit's properties alone: pure, so check_systemctl_fmt
 * tests it with a fixed clock. The layout follows systemctl-show.c's
 * print_status_info(): labels right-aligned to 11 columns and a colon,
 * the lines pxinit has data for, in systemd's order.
 */
#include <stdlib.h>
#include <string.h>

#include "base/signame.h"
#include "client/systemctl_int.h"
#include "client/timer_list.h"

#define GREEN "\x1b[0;1;32m"
#define RED "\x1b[0;1;31m"
#define NORMAL "\x1b[0m"

const char *sc_fmt_timestamp(char *buf, size_t size, int64_t usec)
{
    if (usec <= 0) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    return tl_timestamp(buf, size, usec);
}

const char *sc_fmt_relative(char *buf, size_t size, int64_t usec, int64_t now_usec)
{
    if (usec <= 0) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    return tl_relative(buf, size, usec, now_usec);
}

bool sc_prop_is_timestamp(const char *key)
{
    size_t n = strlen(key);
    static const char suffix[] = "Timestamp";
    if (n >= sizeof(suffix) - 1 && strcmp(key + n - (sizeof(suffix) - 1), suffix) == 0)
        return true;
    /* A timer's wall-clock times are Unix microseconds too. */
    return strcmp(key, "NextElapseUSecRealtime") == 0 || strcmp(key, "LastTriggerUSec") == 0;
}

const char *sc_exit_status_name(int status)
{
    static const struct {
        int code;
        const char *name;
    } names[] = {
        {0, "SUCCESS"},         {1, "FAILURE"},
        {2, "INVALIDARGUMENT"}, {3, "NOTIMPLEMENTED"},
        {4, "NOPERMISSION"},    {5, "NOTINSTALLED"},
        {6, "NOTCONFIGURED"},   {7, "NOTRUNNING"},
        {200, "CHDIR"},         {201, "NICE"},
        {202, "FDS"},           {203, "EXEC"},
        {204, "MEMORY"},        {205, "LIMITS"},
        {206, "OOM_ADJUST"},    {207, "SIGNAL_MASK"},
        {208, "STDIN"},         {209, "STDOUT"},
        {210, "CHROOT"},        {211, "IOPRIO"},
        {212, "TIMERSLACK"},    {213, "SECUREBITS"},
        {214, "SETSCHEDULER"},  {215, "CPUAFFINITY"},
        {216, "GROUP"},         {217, "USER"},
        {218, "CAPABILITIES"},  {219, "CGROUP"},
        {220, "SETSID"},        {222, "STDERR"},
        {224, "PAM"},           {225, "NETWORK"},
        {226, "NAMESPACE"},     {233, "RUNTIME_DIRECTORY"},
        {235, "CHOWN"},         {238, "STATE_DIRECTORY"},
        {243, "CREDENTIALS"},   {255, "EXCEPTION"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].code == status)
            return names[i].name;
    return NULL;
}

const char *sc_state_glyph(const char *s)
{
    if (!s)
        return "○";
    if (strcmp(s, "failed") == 0)
        return "×";
    if (strcmp(s, "reloading") == 0)
        return "↻";
    if (strcmp(s, "active") == 0 || strcmp(s, "activating") == 0 || strcmp(s, "deactivating") == 0)
        return "●";
    return "○";
}

static const char *state_color(const char *s)
{
    if (s && strcmp(s, "failed") == 0)
        return RED;
    if (s && (strcmp(s, "active") == 0 || strcmp(s, "reloading") == 0))
        return GREEN;
    return NULL;
}

static bool empty(const char *s)
{
    return !s || !*s;
}

/* Not for these states: systemd's show_preset_for_state(). */
static bool show_preset(const char *state)
{
    return strcmp(state, "alias") != 0 && strcmp(state, "static") != 0 &&
           strcmp(state, "generated") != 0 && strcmp(state, "transient") != 0;
}

static void print_loaded(FILE *f, const struct sc_unit *u)
{
    const char *load = sc_get(u, "LoadState");
    const char *path = sc_get(u, "FragmentPath");
    const char *ufs = sc_get(u, "UnitFileState");
    const char *preset = sc_get(u, "UnitFilePreset");
    fprintf(f, "     Loaded: %s", empty(load) ? "n/a" : load);
    if (!empty(path) && !empty(ufs)) {
        bool p = !empty(preset) && show_preset(ufs);
        fprintf(f, " (%s; %s%s%s)\n", path, ufs, p ? "; preset: " : "", p ? preset : "");
    } else if (!empty(path)) {
        fprintf(f, " (%s)\n", path);
    } else {
        fprintf(f, "\n");
    }
}

/* Drop-ins, grouped by directory as systemd groups them. */
static void print_dropins(FILE *f, const char *list)
{
    if (empty(list))
        return;
    char *copy = strdup(list), *save = NULL, *dir = NULL;
    if (!copy)
        return;
    bool first = true;
    for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char *slash = strrchr(p, '/');
        if (!slash)
            continue;
        *slash = '\0';
        if (!dir || strcmp(dir, p) != 0) {
            fprintf(f, "%s%s%s\n             └─", dir ? "\n" : "",
                    first ? "    Drop-In: " : "             ", p);
            dir = p;
        } else {
            fprintf(f, ", ");
        }
        fprintf(f, "%s", slash + 1);
        first = false;
    }
    if (!first)
        fprintf(f, "\n");
    free(copy);
}

static void print_active(FILE *f, const struct sc_unit *u, int64_t now, bool color)
{
    const char *as = sc_get(u, "ActiveState"), *ss = sc_get(u, "SubState");
    const char *res = sc_get(u, "Result");
    const char *on = color ? state_color(as) : NULL;
    fprintf(f, "     Active: %s%s", on ? on : "", empty(as) ? "n/a" : as);
    if (!empty(ss) && (!as || strcmp(as, ss) != 0))
        fprintf(f, " (%s)", ss);
    fprintf(f, "%s", on ? NORMAL : "");
    if (!empty(res) && strcmp(res, "success") != 0)
        fprintf(f, " (Result: %s)", res);
    const char *key = "ActiveExitTimestamp";
    if (as && (strcmp(as, "active") == 0 || strcmp(as, "reloading") == 0))
        key = "ActiveEnterTimestamp";
    else if (as && (strcmp(as, "inactive") == 0 || strcmp(as, "failed") == 0))
        key = "InactiveEnterTimestamp";
    else if (as && strcmp(as, "activating") == 0)
        key = "InactiveExitTimestamp";
    int64_t t = sc_get_num(u, key);
    char abs[64], rel[64];
    if (t > 0)
        fprintf(f, " since %s; %s", sc_fmt_timestamp(abs, sizeof(abs), t),
                sc_fmt_relative(rel, sizeof(rel), t, now));
    fprintf(f, "\n");
}

/* TriggeredBy:/Triggers: lines; the glyph from the peer's state when known. */
static void print_peers(FILE *f, const char *label, const char *list, const struct sc_set *peers,
                        bool by_state, bool color)
{
    if (empty(list))
        return;
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return;
    bool first = true;
    for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        const char *st = NULL;
        for (size_t i = 0; peers && i < peers->n; i++)
            if (strcmp(peers->units[i].name, p) == 0 ||
                strcmp(sc_get(&peers->units[i], "Id") ?: "", p) == 0)
                st = sc_get(&peers->units[i], "ActiveState");
        const char *on = color ? state_color(st) : NULL;
        fprintf(f, "%s %s%s%s %s\n", first ? label : "            ", on ? on : "",
                by_state ? sc_state_glyph(st) : "●", on ? NORMAL : "", p);
        first = false;
    }
    free(copy);
}

/* `Listen`: TYPE ADDRESS pairs, or ListenTYPE=ADDRESS words. */
static void print_listen(FILE *f, const char *list)
{
    if (empty(list))
        return;
    char *copy = strdup(list), *save = NULL;
    if (!copy)
        return;
    bool first = true;
    for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
        char *type = p, *addr, *eq = strchr(p, '=');
        if (eq) {
            *eq = '\0';
            addr = eq + 1;
            if (strncmp(type, "Listen", 6) == 0)
                type += 6;
        } else if (!(addr = strtok_r(NULL, " ", &save))) {
            break;
        }
        fprintf(f, "%s %s (%s)\n", first ? "     Listen:" : "            ", addr, type);
        first = false;
    }
    free(copy);
}

static void print_main_pid(FILE *f, const struct sc_unit *u, const char *comm)
{
    int64_t main_pid = sc_get_num(u, "MainPID"), exec_pid = sc_get_num(u, "ExecMainPID");
    int64_t ctl = sc_get_num(u, "ControlPID");
    bool running = main_pid > 0;
    int64_t pid = exec_pid > 0 ? exec_pid : main_pid;
    if (pid <= 0 && ctl <= 0)
        return;
    if (pid > 0) {
        fprintf(f, "   Main PID: %lld", (long long)pid);
        int64_t code = sc_get_num(u, "ExecMainCode"), st = sc_get_num(u, "ExecMainStatus");
        if (running && comm) {
            fprintf(f, " (%s)", comm);
        } else if (!running && code > 0) {
            static const char *const codes[] = {"", "exited", "killed", "dumped"};
            fprintf(f, " (code=%s, ", code <= 3 ? codes[code] : "unknown");
            if (code == 1) {
                const char *name = sc_exit_status_name((int)st);
                fprintf(f, "status=%lld%s%s)", (long long)st, name ? "/" : "", name ? name : "");
            } else {
                fprintf(f, "signal=%s)", signal_to_name((int)st));
            }
        }
    }
    if (ctl > 0)
        fprintf(f, "%s%lld", pid > 0 ? "; Control PID: " : "Cntrl PID: ", (long long)ctl);
    fprintf(f, "\n");
}

/* "NotEnforced=PrivateTmp ProtectSystem" as "PrivateTmp=, ProtectSystem=". */
static void print_not_enforced(FILE *f, const char *list)
{
    if (empty(list))
        return;
    fprintf(f, "     Notice: not enforced by pxinit:");
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, " ");
        if (n)
            fprintf(f, "%s %.*s=", p == list ? "" : ",", (int)n, p);
        p += n;
        p += strspn(p, " ");
    }
    fprintf(f, "\n");
}

void sc_print_status(FILE *f, const struct sc_unit *u, int64_t now, const char *comm, bool color,
                     const struct sc_set *peers)
{
    const char *id = sc_get(u, "Id"), *desc = sc_get(u, "Description");
    const char *as = sc_get(u, "ActiveState");
    const char *on = color ? state_color(as) : NULL;
    if (empty(id))
        id = u->name;
    fprintf(f, "%s%s%s %s", on ? on : "", sc_state_glyph(as), on ? NORMAL : "", id);
    if (!empty(desc) && strcmp(desc, id) != 0)
        fprintf(f, " - %s", desc);
    fprintf(f, "\n");
    print_loaded(f, u);
    print_dropins(f, sc_get(u, "DropInPaths"));
    print_not_enforced(f, sc_get(u, "NotEnforced"));
    print_active(f, u, now, color);
    print_peers(f, "TriggeredBy:", sc_get(u, "TriggeredBy"), peers, true, color);
    size_t n = strlen(id);
    if (n > 6 && strcmp(id + n - 6, ".timer") == 0) {
        int64_t next = sc_get_num(u, "NextElapseUSecRealtime");
        char abs[64], rel[64];
        if (next > 0)
            fprintf(f, "    Trigger: %s; %s\n", sc_fmt_timestamp(abs, sizeof(abs), next),
                    sc_fmt_relative(rel, sizeof(rel), next, now));
        else
            fprintf(f, "    Trigger: n/a\n");
    }
    print_peers(f, "   Triggers:", sc_get(u, "Triggers"), peers, false, color);
    const char *docs = sc_get(u, "Documentation");
    if (!empty(docs)) {
        char *copy = strdup(docs), *save = NULL;
        bool first = true;
        for (char *p = copy ? strtok_r(copy, " ", &save) : NULL; p;
             p = strtok_r(NULL, " ", &save)) {
            fprintf(f, "       %s %s\n", first ? "Docs:" : "     ", p);
            first = false;
        }
        free(copy);
    }
    print_listen(f, sc_get(u, "Listen"));
    const char *acc = sc_get(u, "Accept");
    if (acc && strcmp(acc, "yes") == 0)
        fprintf(f, "   Accepted: %lld; Connected: %lld;\n", (long long)sc_get_num(u, "NAccepted"),
                (long long)sc_get_num(u, "NConnections"));
    print_main_pid(f, u, comm);
    const char *text = sc_get(u, "StatusText");
    if (!empty(text))
        fprintf(f, "     Status: \"%s\"\n", text);
}
