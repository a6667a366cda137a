/* unit_install_int.h - what unit_install.c (finding a unit's file, reading
 * its [Install] section, its state) and unit_install_links.c (writing and
 * removing links) share. Internal to src/unit/. */
#ifndef PXINIT_UNIT_INSTALL_INT_H
#define PXINIT_UNIT_INSTALL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/strv.h"
#include "unit/unit_install.h"

/* A unit's file, found along the search path. */
struct install_info {
    char *name;   /* the file's unit name: "foo.service", "tpl@.service" */
    char *path;   /* the file on disk (under the root) */
    char *target; /* what links to it point to: path without the root */
    char *dir;    /* the directory the entry was found in */
    char *entry;  /* dir/NAME as asked: the file, or a link leading to it */
    bool own;     /* dir is one of pxinit's own directories */
    bool masked;  /* a link to /dev/null or an empty file */
    bool alias;   /* entry is a link with another unit's name */
    bool linked;  /* entry is a link with the same name to a file outside the search path */
    /* [Install], drop-ins applied, specifiers not yet expanded. */
    struct strv wanted_by, required_by, aliases, also;
    char *default_instance;
};

/* Finds name's file: the first entry named name, else (an instance) the
 * first named like its template, then [Install] read. 0, or -1 with errno
 * (ENOENT: none). */
int install_find(const struct install_scope *sc, const char *name, struct install_info *info);
void install_info_free(struct install_info *info);
/* WantedBy=, RequiredBy= or Alias= set (systemd's "has rules"). */
bool install_info_has_rules(const struct install_info *info);

/* The search path: own, then systemd's; n_own of them pxinit's own. */
size_t install_ndirs(const struct install_scope *sc);
const char *install_dir(const struct install_scope *sc, size_t i);
/* True for a directory systemctl writes in: pxinit's own, systemd's first
 * (persistent: index own.n) and its runtime one (under /run or
 * $XDG_RUNTIME_DIR). */
bool install_dir_writable(const struct install_scope *sc, size_t i);
bool install_dir_runtime(const struct install_scope *sc, size_t i);
/* path without the root (a pointer into path). */
const char *install_unrooted(const struct install_scope *sc, const char *path);

/* "p@i.s" -> instance "i" (malloc'ed); NULL when name has none (or no memory). */
char *install_instance_of(const char *name);
/* name with its instance replaced: ("p@.s", "i") -> "p@i.s". NULL: no memory. */
char *install_instantiate(const char *tmpl, const char *instance);
/* A specifier-expanded [Install] value for unit name. NULL: bad or no memory. */
char *install_expand(const char *name, const char *value);
/* A unit of that name has a file (or its template has) somewhere. */
bool install_name_exists(const struct install_scope *sc, const char *name);

/* Called for every link of a writable directory: its top level (sub NULL)
 * and its NAME.wants/, .requires/, .upholds/ subdirectories. dfd is the
 * directory holding the link, path its path; text what the link says.
 * Returns 0 to go on, 1 to stop, 2 when it removed the link (an emptied
 * subdirectory is then removed too), -1 on error. */
typedef int (*install_link_fn)(void *ctx, int dfd, const char *path, const char *sub,
                               const char *name, const char *text);
/* 1 when fn stopped, 0, or -1. */
int install_walk(const struct install_scope *sc, size_t i, install_link_fn fn, void *ctx);
/* The last part of a link's text. */
const char *install_base(const char *text);

/* Appends a change line ("Created symlink ...") to ch. */
int install_change(struct install_changes *ch, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
