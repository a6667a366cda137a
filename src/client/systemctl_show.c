/* systemctl_show.c - `systemctl show [UNIT...]`: KEY=VALUE per property,
 * in the daemon's order, units apart by a blank line; the manager's
 * properties without a unit. As systemctl: empty values are left out
 * unless --all or -p asked; -p selects; --value prints the values alone;
 * times are formatted from the Unix microseconds the daemon sends. An
 * unknown unit shows LoadState=not-found and is no error.
 */
#include <stdlib.h>
#include <string.h>

#include "client/systemctl_int.h"
#include "unit/unit_install.h"

/* UnitFileState and UnitFilePreset come empty from the daemon, which does
 * no file work for `show`; systemctl_files.c's is-enabled fills them in
 * when it lands. Until then they are printed as they came. */
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
    for (size_t i = 0; i < set.n; i++) {
        if (i > 0)
            printf("\n");
        print_unit(sc, &set.units[i]);
    }
    sc_set_free(&set);
    return code == 0 ? SC_EXIT_OK : SC_EXIT_FAILURE;
}
