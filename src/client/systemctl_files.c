/* systemctl_files.c - systemctl's unit-file verbs, offline: enable,
 * disable, reenable, mask, unmask, is-enabled (here); list-unit-files and
 * cat (systemctl_files_list.c). The links are unit/unit_install.c's work;
 * this file turns names as typed into unit names, prints what changed as
 * systemctl does (on stderr, none with --quiet) and picks exit codes.
 *
 * The search path is the one a daemon started with the same options reads:
 * PXINIT_UNITS or pxinit's default unit directories, then systemd's tree,
 * always (a daemon without --systemd simply does not read it). With --now,
 * enable starts and disable/mask stop the units through the daemon. After
 * a change the running daemon reloads (not with --no-reload or --root), as
 * systemctl makes systemd reload; no daemon is no error.
 */
#include "client/systemctl_files.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client_int.h"
#include "client/systemctl_files_int.h"
#include "config/paths.h"
#include "unit/unit_install.h"
#include "wire/protocol.h"

static const char *const file_verbs[] = {"enable", "disable",         "reenable",
                                         "mask",   "unmask",          "is-enabled",
                                         "cat",    "list-unit-files", "preset"};

bool systemctl_files_verb(const char *verb)
{
    for (size_t i = 0; i < sizeof(file_verbs) / sizeof(file_verbs[0]); i++)
        if (verb && strcmp(verb, file_verbs[i]) == 0)
            return true;
    return false;
}

int sdfiles_scope(const struct systemctl *s, struct install_scope *sc)
{
    struct strv dirs = {0};
    int rc = paths_unit_dirs(s->user, true, &dirs);
    if (rc == 0)
        rc = install_scope_init(sc, &dirs, s->user, true);
    strv_clear(&dirs);
    if (rc == 0 && s->root && install_scope_set_root(sc, s->root) < 0) {
        install_scope_free(sc);
        rc = -1;
    }
    if (rc < 0)
        fprintf(stderr, "Failed to find the unit directories: %s\n", strerror(errno));
    return rc;
}

char *sdfiles_unit_name(const char *arg)
{
    static const char *const types[] = {".service", ".socket",    ".target", ".device",
                                        ".mount",   ".automount", ".swap",   ".timer",
                                        ".path",    ".slice",     ".scope"};
    const char *dot = strrchr(arg, '.');
    for (size_t k = 0; dot && k < sizeof(types) / sizeof(types[0]); k++)
        if (strcmp(dot, types[k]) == 0)
            return strdup(arg);
    char *name;
    return asprintf(&name, "%s.service", arg) < 0 ? NULL : name;
}

/* The names asked for; NULL (told) when one is not a unit name. */
static struct strv *names_of(const struct systemctl *s, struct strv *out)
{
    for (int i = 0; i < s->nargs; i++) {
        if (strchr(s->args[i], '/')) {
            fprintf(stderr, "Unit file paths are not supported: %s\n", s->args[i]);
            strv_clear(out);
            return NULL;
        }
        char *n = sdfiles_unit_name(s->args[i]);
        if (!n || strv_push_owned(out, n) < 0) {
            fprintf(stderr, "Out of memory.\n");
            strv_clear(out);
            return NULL;
        }
    }
    return out;
}

static void dump_changes(const struct systemctl *s, struct install_changes *ch)
{
    if (!s->quiet)
        for (size_t i = 0; i < ch->lines.n; i++)
            fprintf(stderr, "%s\n", ch->lines.v[i]);
    strv_clear(&ch->lines);
}

static const char static_notice[] =
    "The unit files have no installation config (WantedBy=, RequiredBy=, Also=,\n"
    "Alias= settings in the [Install] section, and DefaultInstance= for template\n"
    "units). This means they are not meant to be enabled using systemctl.\n"
    " \n"
    "Possible reasons for having this kind of units are:\n"
    "\u2022 A unit may be statically enabled by being symlinked from another unit's\n"
    "  .wants/ or .requires/ directory.\n"
    "\u2022 A unit's purpose may be to act as a helper for some other unit which has\n"
    "  a requirement dependency on it.\n"
    "\u2022 A unit may be started when needed via activation (socket, path, timer,\n"
    "  D-Bus, udev, scripted systemctl call, ...).\n"
    "\u2022 In case of template units, the unit is meant to be enabled with some\n"
    "  instance name specified.\n";

typedef __typeof__(install_enable) install_op;

/* op over every name; the changes, then the first error. 0 or 1. */
static int run_op(const struct systemctl *s, const struct install_scope *sc,
                  const struct strv *names, install_op *op, struct install_changes *ch)
{
    int code = 0;
    for (size_t i = 0; i < names->n; i++) {
        char err[512];
        int rc = op(sc, names->v[i], ch, err, sizeof(err));
        dump_changes(s, ch);
        if (rc < 0) {
            fprintf(stderr, "%s\n", err[0] ? err : "Operation failed.");
            code = 1;
        }
    }
    return code;
}

/* preset: enable or disable as the preset files say (--preset-mode). */
static int run_preset(const struct systemctl *s, const struct install_scope *sc,
                      const struct strv *names, struct install_changes *ch)
{
    const char *mode = s->preset_mode ? s->preset_mode : "full";
    int code = 0;
    for (size_t i = 0; i < names->n && code == 0; i++) {
        struct strv one = {.v = &names->v[i], .n = 1};
        char err[512] = "";
        if (install_preset_enabled(sc, s->user, names->v[i])) {
            if (strcmp(mode, "disable-only") == 0)
                continue;
            if (install_enable_check(sc, names->v[i], err, sizeof(err)) < 0) {
                /* systemctl names the verb: "Failed to preset unit, ..." */
                const char *was = "Failed to enable unit";
                bool same = strncmp(err, was, strlen(was)) == 0;
                fprintf(stderr, "%s%s\n", same ? "Failed to preset unit" : "",
                        same ? err + strlen(was) : err);
                return 1;
            }
            code = run_op(s, sc, &one, install_enable, ch);
        } else if (strcmp(mode, "enable-only") != 0) {
            code = run_op(s, sc, &one, install_disable, ch);
        }
    }
    return code;
}

/* After a change: the daemon reads the links again. Unreachable: none runs. */
static int reload_daemon(const struct systemctl *s)
{
    if (s->no_reload || s->root)
        return 0;
    struct client cl = {
        .verb = "daemon-reload",
        .id = VERB_DAEMON_RELOAD,
        .runtime_dir = s->runtime_dir,
        .quiet = true,
    };
    int code = client_request(&cl, "daemon-reload\n", true);
    free(cl.units);
    if (code == 0 || code == PROTO_EXIT_UNREACHABLE)
        return 0;
    fprintf(stderr, "Failed to reload daemon.\n");
    return 1;
}

/* --now: start or stop the units through the daemon. */
static int run_now(const struct systemctl *s, const struct strv *names, bool start)
{
    struct client cl = {
        .verb = start ? "start" : "stop",
        .id = start ? VERB_START : VERB_STOP,
        .runtime_dir = s->runtime_dir,
        .quiet = s->quiet,
        .no_block = s->no_block,
        .args = names->v,
        .nargs = (int)names->n,
    };
    char *req = client_request_line(&cl, s->no_block ? "--no-block" : NULL);
    if (!req) {
        fprintf(stderr, "Request too long.\n");
        return 1;
    }
    int code = client_request(&cl, req, !s->no_block);
    free(req);
    free(cl.units);
    return code;
}

static int is_enabled(const struct systemctl *s, const struct install_scope *sc,
                      const struct strv *names)
{
    bool enabled = false;
    for (size_t i = 0; i < names->n; i++) {
        enum unit_file_state st = install_state(sc, names->v[i]);
        if (st == UFS_NOT_FOUND) {
            fprintf(stderr, "Failed to get unit file state for %s: No such file or directory\n",
                    names->v[i]);
            return 1;
        }
        if (!s->quiet)
            printf("%s\n", unit_file_state_name(st));
        enabled = enabled || unit_file_state_is_enabled(st);
    }
    return enabled ? 0 : 1;
}

/* enable changes nothing unless every unit can be enabled. */
static int check_enableable(const struct install_scope *sc, const struct strv *names)
{
    for (size_t i = 0; i < names->n; i++) {
        char err[512];
        if (install_enable_check(sc, names->v[i], err, sizeof(err)) < 0) {
            fprintf(stderr, "%s\n", err[0] ? err : "Failed to enable unit.");
            return 1;
        }
    }
    return 0;
}

static int change_links(const struct systemctl *s, const struct install_scope *sc,
                        const struct strv *names)
{
    struct install_changes ch = {0};
    const char *v = s->verb;
    int code = 0;
    bool enable = strcmp(v, "enable") == 0, reenable = strcmp(v, "reenable") == 0;
    if ((enable || reenable) && check_enableable(sc, names) != 0)
        return 1;
    if (strcmp(v, "disable") == 0 || reenable)
        code = run_op(s, sc, names, install_disable, &ch);
    if ((enable || reenable) && code == 0) {
        code = run_op(s, sc, names, install_enable, &ch);
        if (code == 0 && !ch.carries_install_info && !s->quiet)
            fputs(static_notice, stderr);
    }
    if (strcmp(v, "mask") == 0)
        code = run_op(s, sc, names, install_mask, &ch);
    if (strcmp(v, "unmask") == 0)
        code = run_op(s, sc, names, install_unmask, &ch);
    if (strcmp(v, "preset") == 0)
        code = run_preset(s, sc, names, &ch);
    install_changes_free(&ch);
    if (code == 0 && reload_daemon(s) != 0)
        code = 1;
    if (code == 0 && s->now && strcmp(v, "unmask") != 0 && strcmp(v, "preset") != 0)
        code = run_now(s, names, enable || reenable);
    return code;
}

int systemctl_files_run(struct systemctl *s)
{
    bool list = strcmp(s->verb, "list-unit-files") == 0;
    if (s->nargs == 0 && !list) {
        fprintf(stderr, "Too few arguments.\n");
        return 1;
    }
    struct strv names = {0};
    if (!list && !names_of(s, &names))
        return 1;
    struct install_scope sc;
    int code = 1;
    if (sdfiles_scope(s, &sc) == 0) {
        if (list)
            code = sdfiles_list(s, &sc);
        else if (strcmp(s->verb, "is-enabled") == 0)
            code = is_enabled(s, &sc, &names);
        else if (strcmp(s->verb, "cat") == 0)
            code = sdfiles_cat(s, &sc, &names);
        else
            code = change_links(s, &sc, &names);
        install_scope_free(&sc);
    }
    strv_clear(&names);
    return code;
}
