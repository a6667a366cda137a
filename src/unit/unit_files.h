/* unit_files.h - finding unit files in the unit directories: listings,
 * masks, templates, and the directories searched. The loader
 * (unit_load.c) and what it loads besides the directories
 * (unit_load_triggers.c) share these. Internal to src/unit/. */
#ifndef PXINIT_UNIT_FILES_H
#define PXINIT_UNIT_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"

/* A unit file found in a directory: name, and the directory's rank. */
struct unit_found {
    char *name;
    size_t rank;
};

/* By name, then by rank: the first directory first. */
int unit_found_cmp(const void *a, const void *b);
/* True when s ends in suffix and has more before it. */
bool unit_files_has_suffix(const char *s, const char *suffix);
/* systemd's masking: a unit file (or drop-in) that is empty or leads to a
 * character device (a link to /dev/null) stands for "no such unit, and do
 * not start it". A dangling link is not a mask. */
bool unit_file_masked(const char *path);
/* Appends the entries of dir that end in suffix to *out (with rank). */
void unit_files_list(const char *dir, const char *suffix, size_t rank, struct unit_found **out,
                     size_t *n, size_t *cap);
/* A template itself ("getty@.service", "backup@.timer"): started only
 * through its instances. */
bool unit_name_is_template(const char *name);
/* The template of an instance name: "getty@tty1.service" -> "getty@.service". */
bool unit_name_template_of(const char *name, char *buf, size_t size);
/* dirs, then with systemd systemd's own directories (unit_systemd_tree()),
 * appended to search. */
void unit_search_dirs(const struct strv *dirs, bool systemd, struct strv *search);
/* systemd's tree as unit_systemd_tree_set() (unit_load.h) left it: never
 * empty unless out of memory. */
const struct strv *unit_systemd_tree(void);
/* The first file named name in search: -1 none, 1 masked, 0 another. */
int unit_first_file(const struct strv *search, const char *name);

#endif
