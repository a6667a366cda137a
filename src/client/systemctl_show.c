/* systemctl_show.c - `systemctl show [UNIT...]`: KEY=VALUE per property,
 * in the daemon's order, units apart by a blank line; the manager's
 * properties without a unit. As systemctl: empty values are left out
 * unless --all or -p asked; -p selects; --value prints the values alone;
 * times are formatted from the Unix microseconds the daemon sends. An
 * unknown unit shows LoadState=not-found and is no error.
 */
#include <stdlib.h>
#include <string.h>

#include "client/systemctl_files_int.h"
#include "client/systemctl_int.h"
#include "config/paths.h"
#include "unit/unit_install.h"

/* The directories the daemon reads units from (its UnitPath): its own,
 * then systemd's tree when it reads that too. 0, or -1 (said). */
static int daemon_scope(struct systemctl *sc, struct install_scope *scope)
{
    static char *const props[] = {"UnitPath", NULL};
    struct sc_set m = {0};
    struct strv own = {0}, sd = {0};
    bool tree = false;
    int rc = -1;
    bool quiet = sc->quiet;
    sc->quiet = true;
    int code = sc_fetch(sc, NULL, 0, false, (char **)props, &m);
    sc->quiet = quiet;
    const char *path = code == 0 && m.n > 0 ? sc_get(&m.units[0], "UnitPath") : NULL;
    char *copy = path && *path ? strdup(path) : NULL, *save = NULL;
    if (copy && paths_systemd_dirs(sc->user, &sd) == 0) {
        rc = 0;
        for (char *d = strtok_r(copy, ":", &save); d && rc == 0; d = strtok_r(NULL, ":", &save)) {
            if (strv_contains(&sd, d))
                tree = true;
            else
                rc = strv_push(&own, d);
        }
        if (rc == 0)
            rc = install_scope_init(scope, &own, sc->user, tree);
    }
    free(copy);
    strv_clear(&own);
    strv_clear(&sd);
    sc_set_free(&m);
    /* A daemon that does not say: where one with the same options looks. */
    return rc == 0 ? 0 : sdfiles_scope(sc, scope);
}

/* UnitFileState and UnitFilePreset come empty from the daemon, which does
 * no file work for `show` (doc/protocol.md): they are is-enabled's answer
 * here, for the directories the daemon reads; the preset is what the preset
 * files say (install_preset_enabled()). A unit whose file is not in
 * those directories keeps them empty, as systemd shows a transient unit. */
void sc_fill_install(struct systemctl *sc, struct sc_set *set)
{
    struct install_scope scope;
    bool have = false;
    for (size_t i = 0; i < set->n; i++) {
        struct sc_unit *u = &set->units[i];
        const char *id = sc_get(u, "Id"), *load = sc_get(u, "LoadState");
        char name[300];
        if (!id || !*id) { /* -p without Id: the name the daemon's lines carry */
            sc_unit_name(u->name, name, sizeof(name));
            id = u->name[0] ? name : NULL;
        }
        enum unit_file_state st = UFS_NOT_FOUND;
        bool known = false;
        for (size_t j = 0; j < u->n; j++) {
            struct sc_prop *p = &u->props[j];
            bool state = strcmp(p->key, "UnitFileState") == 0;
            if (*p->value || !id || (load && strcmp(load, "loaded") != 0) ||
                (!state && strcmp(p->key, "UnitFilePreset") != 0))
                continue;
            if (!have && daemon_scope(sc, &scope) < 0)
                return;
            have = true;
            if (!known)
                st = install_state(&scope, id);
            known = true;
            if (st == UFS_NOT_FOUND)
                continue;
            const char *v = state ? unit_file_state_name(st)
                            : install_preset_enabled(&scope, sc->user, id) ? "enabled"
                                                                           : "disabled";
            char *copy = strdup(v);
            if (copy) {
                free(p->value);
                p->value = copy;
            }
        }
    }
    if (have)
        install_scope_free(&scope);
}

static bool asked(const struct systemctl *sc, const char *key)
{
    if (!sc->props)
        return true;
    for (char **p = sc->props; *p; p++)
        if (strcmp(*p, key) == 0)
            return true;
    return false;
}

static void print_unit(const struct systemctl *sc, const struct sc_unit *u)
{
    bool show_empty = sc->all || sc->props;
    for (size_t i = 0; i < u->n; i++) {
        const char *k = u->props[i].key, *v = u->props[i].value;
        char buf[64];
        if (!asked(sc, k)) /* the daemon selects too; an older one does not */
            continue;
        if (sc_prop_is_timestamp(k)) {
            char *end;
            long long t = strtoll(v, &end, 10);
            if (!*end)
                v = sc_fmt_timestamp(buf, sizeof(buf), t);
        }
        if (!*v && !show_empty)
            continue;
        if (sc->value)
            printf("%s\n", v);
        else
            printf("%s=%s\n", k, v);
    }
}

int sc_show(struct systemctl *sc)
{
    struct sc_set set = {0};
    int code = sc_fetch(sc, sc->args, sc->nargs, false, sc->props, &set);
    if (code < 0) {
        sc_set_free(&set);
        return SC_EXIT_FAILURE;
    }
    sc_fill_install(sc, &set);
    for (size_t i = 0; i < set.n; i++) {
        if (i > 0)
            printf("\n");
        print_unit(sc, &set.units[i]);
    }
    sc_set_free(&set);
    return code == 0 ? SC_EXIT_OK : SC_EXIT_FAILURE;
}
