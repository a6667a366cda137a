/* unit_wants.c - NAME.wants/ and NAME.requires/ directories, and what a
 * .target file adds to what it says (unit_wants.h). */
#include "unit/unit_wants.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

/* Adds the unit names found in dir to list (an entry's name is the unit's,
 * whatever a link points at, as in systemd). */
static int wants_read_dir(const char *dir, struct strv *list)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno != ENOENT && errno != ENOTDIR)
            log_warn("cannot read %s", dir);
        return 0;
    }
    int r = 0;
    struct dirent *de;
    while (r == 0 && (de = readdir(d))) {
        if (de->d_name[0] == '.' || unit_kind_of_name(de->d_name) < 0)
            continue;
        if (!strv_contains(list, de->d_name))
            r = strv_push(list, de->d_name);
    }
    closedir(d);
    return r;
}

int unit_wants_apply(struct unit *u, const struct strv *dirs, const struct strv *links)
{
    static const char *const ext[2] = {"wants", "requires"};
    for (size_t i = 0; dirs && i < dirs->n; i++) {
        for (int k = 0; k < 2; k++) {
            char path[4096];
            if (snprintf(path, sizeof(path), "%s/%s.%s", dirs->v[i], u->name, ext[k]) >=
                (int)sizeof(path))
                continue;
            if (links && !strv_contains(links, path + strlen(dirs->v[i]) + 1))
                continue;
            struct strv found = {0};
            int r = wants_read_dir(path, &found);
            if (r == 0 && found.n) {
                struct unit_deps *d = unit_part(u, UNIT_PART_DEPS);
                struct strv *list = !d ? NULL : k == 0 ? &d->wants : &d->requires;
                for (size_t j = 0; list && r == 0 && j < found.n; j++)
                    if (!strv_contains(list, found.v[j]))
                        r = strv_push(list, found.v[j]);
                if (!d)
                    r = -1;
            }
            strv_clear(&found);
            if (r < 0) {
                errno = ENOMEM;
                return -1;
            }
        }
    }
    return 0;
}

bool unit_section_fits(const struct unit *u, const char *section)
{
    if (strcmp(section, "Service") == 0)
        return u->kind == UNIT_KIND_SERVICE;
    if (strcmp(section, "Timer") == 0)
        return u->kind == UNIT_KIND_TIMER;
    if (strcmp(section, "Socket") == 0)
        return u->kind == UNIT_KIND_SOCKET;
    return true;
}

int unit_target_finalize(struct unit *u)
{
    if (!u->deps)
        return 0; /* no dependency at all */
    struct unit_deps *d = u->deps;
    const struct strv *lists[2] = {&d->wants, &d->requires};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++)
            if (!strv_contains(&d->after, lists[k]->v[i]) &&
                !strv_contains(&d->before, lists[k]->v[i]) &&
                strv_push(&d->after, lists[k]->v[i]) < 0)
                return -1;
    return 0;
}

struct unit *unit_wants_empty_target(const char *name, const struct strv *dirs)
{
    struct unit *u = unit_new(name);
    if (!u)
        return NULL;
    if (unit_wants_apply(u, dirs, NULL) < 0 || unit_target_finalize(u) < 0) {
        unit_free(u);
        errno = ENOMEM;
        return NULL;
    }
    log_debug("%s: no unit file, an empty target", name);
    return u;
}

void unit_wants_note(const char *entry, struct strv *links, bool log_skipped)
{
    static const char *const skipped[] = {".device", ".mount", ".automount", ".swap",
                                          ".path",   ".slice", ".scope"};
    size_t n = strlen(entry);
    if ((n > 6 && strcmp(entry + n - 6, ".wants") == 0) ||
        (n > 9 && strcmp(entry + n - 9, ".requires") == 0)) {
        if (!strv_contains(links, entry) && strv_push(links, entry) < 0)
            log_warn("%s", entry);
        return;
    }
    for (size_t i = 0; log_skipped && i < sizeof(skipped) / sizeof(skipped[0]); i++) {
        size_t k = strlen(skipped[i]);
        if (n > k && strcmp(entry + n - k, skipped[i]) == 0)
            log_info("%s: %s units are not supported, skipped", entry, skipped[i]);
    }
}
