/* unit_load.c - reads the unit directories into px->units and px->services,
 * sorted by name, and builds the ordering edges between them. */
#include "unit_load.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "deps.h"
#include "log.h"
#include "unit_parse.h"

/* --- loading ------------------------------------------------------------------ */

static void diag_to_log(void *ctx, enum diag_level level, const char *message)
{
    const struct unit_load_report *rep = ctx;
    log_msg(level == DIAG_ERROR ? LOG_LEVEL_ERROR : LOG_LEVEL_WARNING, NULL, "%s", message);
    if (rep && rep->diag)
        rep->diag(rep->ctx, level, message);
}

struct unit_vec {
    struct unit **v;
    size_t n, cap;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_dir(const char *dir, struct unit_vec *uv, struct strv *seen,
                     const struct unit_load_report *rep)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT)
            log_warn("cannot read unit directory %s", dir);
        else
            log_debug("unit directory %s does not exist", dir);
        return;
    }
    struct strv names = {0};
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 8 || strcmp(de->d_name + len - 8, ".service") != 0)
            continue;
        if (strv_push(&names, de->d_name) < 0)
            log_warn("loading %s", dir);
    }
    closedir(d);
    if (names.n)
        qsort(names.v, names.n, sizeof(char *), name_cmp);

    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.v[i];
        if (strv_contains(seen, name))
            continue; /* an earlier directory has it: that one wins */
        if (strv_push(seen, name) < 0)
            continue;
        if (strstr(name, "@.service")) {
            log_debug("%s/%s: template units are not started at boot", dir, name);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        struct stat st;
        if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
            log_debug("%s: not a regular file, skipped", path);
            continue;
        }
        struct unit *u = unit_new(name);
        if (!u) {
            log_warn("%s", path);
            continue;
        }
        struct diag_sink sink = {.emit = diag_to_log, .ctx = (void *)rep};
        int r = unit_parse_file(u, path, &sink);
        if (r == 0)
            r = unit_finalize(u, &sink);
        if (r < 0 || !u->loaded) {
            size_t len;
            const char *shortname = unit_short_name(name, &len);
            log_msg(LOG_LEVEL_ERROR, NULL, "%.*s: %s: unit failed to load, not starting it",
                    (int)len, shortname, path);
            if (rep && rep->failed)
                rep->failed(rep->ctx, name, path);
            unit_free(u);
            continue;
        }
        if (uv->n == uv->cap) {
            size_t cap = uv->cap ? uv->cap * 2 : 16;
            struct unit **v = realloc(uv->v, cap * sizeof(*v));
            if (!v) {
                log_warn("%s", path);
                unit_free(u);
                continue;
            }
            uv->v = v;
            uv->cap = cap;
        }
        uv->v[uv->n++] = u;
    }
    strv_clear(&names);
}

static int unit_ptr_cmp(const void *a, const void *b)
{
    const struct unit *ua = *(const struct unit *const *)a;
    const struct unit *ub = *(const struct unit *const *)b;
    return strcmp(ua->name, ub->name);
}

struct service *services_find(struct pxinit *px, const char *name)
{
    size_t lo = 0, hi = px->nunits;
    char *norm = NULL;
    if (!strchr(name, '.'))
        name = norm = unit_name_normalize(name);
    if (!name)
        return NULL;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(px->units[mid]->name, name);
        if (c == 0) {
            free(norm);
            return px->services[mid];
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    free(norm);
    return NULL;
}

static void on_cycle(void *ctx, const char *const *names, size_t count)
{
    char buf[1024];
    size_t len = 0;
    for (size_t i = 0; i < count && len < sizeof(buf); i++) {
        int n = snprintf(buf + len, sizeof(buf) - len, "%s -> ", names[i]);
        if (n > 0)
            len += (size_t)n;
    }
    if (count && len < sizeof(buf))
        snprintf(buf + len, sizeof(buf) - len, "%s", names[0]);
    log_msg(LOG_LEVEL_WARNING, NULL, "ordering cycle: %s; breaking it at %s", buf,
            names[count - 1]);
}

/* Builds succ/pred from After=/Before=, keeping only edges that agree with
 * the computed order (so a broken cycle stays broken). */
static int build_edges(struct pxinit *px, const size_t *order)
{
    size_t n = px->nunits;
    size_t *pos = calloc(n ? n : 1, sizeof(*pos));
    if (!pos)
        return -1;
    for (size_t i = 0; i < n; i++)
        pos[order[i]] = i;

    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            struct unit *u = px->units[i];
            for (int dir = 0; dir < 2; dir++) {
                const struct strv *l = dir == 0 ? &u->after : &u->before;
                for (size_t k = 0; k < l->n; k++) {
                    struct service *o = services_find(px, l->v[k]);
                    if (!o || o == px->services[i])
                        continue;
                    struct service *first = dir == 0 ? o : px->services[i];
                    struct service *then = dir == 0 ? px->services[i] : o;
                    size_t fi = first->idx, ti = then->idx;
                    if (pos[fi] > pos[ti])
                        continue; /* the edge a cycle was broken at */
                    if (pass == 0) {
                        first->nsucc++;
                        then->npred++;
                    } else {
                        first->succ[first->nsucc++] = then;
                        then->pred[then->npred++] = first;
                    }
                }
            }
        }
        if (pass == 0) {
            for (size_t i = 0; i < n; i++) {
                struct service *s = px->services[i];
                s->succ = s->nsucc ? calloc(s->nsucc, sizeof(*s->succ)) : NULL;
                s->pred = s->npred ? calloc(s->npred, sizeof(*s->pred)) : NULL;
                if ((s->nsucc && !s->succ) || (s->npred && !s->pred)) {
                    free(pos);
                    return -1;
                }
                s->nsucc = s->npred = 0;
            }
        }
    }
    free(pos);
    return 0;
}

int unit_load_dirs(const struct strv *dirs, struct unit ***units, size_t *n)
{
    return unit_load_dirs_report(dirs, units, n, NULL);
}

int unit_load_dirs_report(const struct strv *dirs, struct unit ***units, size_t *n,
                          const struct unit_load_report *rep)
{
    struct unit_vec uv = {0};
    struct strv seen = {0};
    for (size_t i = 0; i < dirs->n; i++)
        load_dir(dirs->v[i], &uv, &seen, rep);
    strv_clear(&seen);
    if (uv.n)
        qsort(uv.v, uv.n, sizeof(*uv.v), unit_ptr_cmp);
    *units = uv.v;
    *n = uv.n;
    return 0;
}

int unit_load_order(struct pxinit *px)
{
    px->start_order = calloc(px->nunits ? px->nunits : 1, sizeof(*px->start_order));
    if (!px->start_order ||
        deps_start_order(px->units, px->nunits, px->start_order, on_cycle, NULL) < 0 ||
        build_edges(px, px->start_order) < 0) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}
