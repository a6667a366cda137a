/* unit_notice.c - one summary line, instead of one warning per unit file,
 * for the keys pxinit accepts but does not enforce.
 *
 * Packaged units (Debian's nginx, cron, ...) use sandboxing and resource
 * keys (ProtectSystem=, PrivateTmp=, MemoryMax=) that need namespaces or
 * cgroups a container seldom gives its init. A warning per unit on every
 * boot and reload was a wall that hid the lines that matter. Now the loader
 * keeps the names on each unit (unit_deps.not_enforced), `pxinit status
 * UNIT` and `pxinit check FILE` list them, and the daemon logs this line once
 * per boot, and again at a daemon-reload only when the set changed.
 *
 * Bounded: at most SUMMARY_KEYS distinct names are counted (the rest only
 * says "and more"), SUMMARY_SHOWN of them are named, and nothing is
 * allocated.
 */
#include "unit/unit_notice.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define SUMMARY_KEYS 256 /* distinct names counted */
#define SUMMARY_SHOWN 8  /* named in the line */

struct key_count {
    const char *name;
    unsigned units;
};

static int by_use(const void *a, const void *b)
{
    const struct key_count *x = a, *y = b;
    if (x->units != y->units)
        return x->units > y->units ? -1 : 1;
    return strcmp(x->name, y->name);
}

size_t unit_not_enforced_list(const struct unit *u, char *buf, size_t size)
{
    const struct unit_deps *d = u->deps;
    size_t len = 0;

    buf[0] = '\0';
    if (!d)
        return 0;
    for (size_t i = 0; i < d->not_enforced.n; i++) {
        int r = snprintf(buf + len, size - len, "%s%s=", i ? ", " : "", d->not_enforced.v[i]);
        if (r < 0 || (size_t)r >= size - len) {
            buf[len] = '\0';
            break;
        }
        len += (size_t)r;
    }
    return d->not_enforced.n;
}

static void strv_swap(struct strv *a, struct strv *b)
{
    struct strv t = *a;
    *a = *b;
    *b = t;
}

void unit_notes_take(struct unit *kept, struct unit *fresh)
{
    struct unit_deps *f = fresh->deps;
    /* fresh has none: kept's go. kept has no part and it cannot be made
     * (ENOMEM): kept keeps none. */
    struct unit_deps *k = f ? unit_part(kept, UNIT_PART_DEPS) : kept->deps;

    if (k && f) {
        strv_swap(&k->not_enforced, &f->not_enforced);
        strv_swap(&k->dropin_paths, &f->dropin_paths);
    } else if (k) {
        strv_clear(&k->not_enforced);
        strv_clear(&k->dropin_paths);
    }
}

void unit_not_enforced_summary(struct unit *const *units, size_t n)
{
    static uint64_t last_hash; /* of what the last line logged said */
    struct key_count keys[SUMMARY_KEYS];
    size_t nkeys = 0, nunits = 0;
    bool more = false;

    for (size_t i = 0; i < n; i++) {
        const struct unit_deps *d = units[i]->deps;
        if (!d || d->not_enforced.n == 0)
            continue;
        nunits++;
        for (size_t j = 0; j < d->not_enforced.n; j++) {
            const char *k = d->not_enforced.v[j];
            size_t m = 0;
            while (m < nkeys && strcmp(keys[m].name, k) != 0)
                m++;
            if (m < nkeys)
                keys[m].units++;
            else if (nkeys < SUMMARY_KEYS)
                keys[nkeys++] = (struct key_count){k, 1};
            else
                more = true;
        }
    }
    qsort(keys, nkeys, sizeof(keys[0]), by_use);

    /* FNV-1a over the unit count and the names with their counts. */
    uint64_t h = 1469598103934665603ULL ^ nunits;
    for (size_t i = 0; i < nkeys; i++) {
        for (const char *p = keys[i].name; *p; p++)
            h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        h = (h ^ keys[i].units) * 1099511628211ULL;
    }
    if (h == last_hash)
        return; /* said already (a reload that changed none of them) */
    last_hash = h;
    if (nunits == 0)
        return;

    char names[512];
    size_t len = 0;
    names[0] = '\0';
    for (size_t i = 0; i < nkeys && i < SUMMARY_SHOWN; i++) {
        int r = snprintf(names + len, sizeof(names) - len, "%s%s=", i ? ", " : "", keys[i].name);
        if (r < 0 || (size_t)r >= sizeof(names) - len)
            break;
        len += (size_t)r;
    }
    size_t hidden = nkeys > SUMMARY_SHOWN ? nkeys - SUMMARY_SHOWN : 0;
    char rest[48] = "";
    if (hidden || more)
        snprintf(rest, sizeof(rest), ", and %zu%s more", hidden, more ? "+" : "");
    log_notice(
        "%zu unit%s use%s %zu%s key%s pxinit accepts but does not enforce (%s%s); "
        "`pxinit status UNIT` lists a unit's",
        nunits, nunits == 1 ? "" : "s", nunits == 1 ? "s" : "", nkeys, more ? "+" : "",
        nkeys == 1 ? "" : "s", names, rest);
}
