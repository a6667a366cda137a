/* systemctl_files_list.c - systemctl list-unit-files and cat, offline.
 *
 * list-unit-files shows every unit file name along the search path with its
 * is-enabled state and its preset, in systemctl's columns: what the preset
 * files say (unit/unit_install.h: install_preset_enabled()), "-" for
 * static and alias units.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file_read.h"
#include "client/systemctl_files.h"
#include "client/systemctl_files_int.h"

static bool listed(char **list, const char *word)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(list[i], word) == 0)
            return true;
    return false;
}

static bool wanted(const struct systemctl *s, const char *name, const char *state)
{
    const char *dot = strrchr(name, '.');
    if (s->types && !listed(s->types, dot ? dot + 1 : ""))
        return false;
    if (s->states && !listed(s->states, state))
        return false;
    if (s->nargs == 0)
        return true;
    for (int i = 0; i < s->nargs; i++)
        if (fnmatch(s->args[i], name, FNM_NOESCAPE) == 0)
            return true;
    return false;
}

static const char *preset_of(const struct systemctl *s, const struct install_scope *sc,
                             const char *name, enum unit_file_state st)
{
    if (st == UFS_STATIC || st == UFS_ALIAS || st == UFS_GENERATED || st == UFS_TRANSIENT)
        return "-";
    return install_preset_enabled(sc, s->user, name) ? "enabled" : "disabled";
}

int sdfiles_list(const struct systemctl *s, const struct install_scope *sc)
{
    struct strv all = {0}, shown = {0};
    if (install_list(sc, &all) < 0) {
        fprintf(stderr, "Failed to list unit files: %s\n", strerror(errno));
        return 1;
    }
    enum unit_file_state *states = calloc(all.n + 1, sizeof(*states));
    size_t w1 = strlen("UNIT FILE"), w2 = strlen("STATE");
    for (size_t i = 0; states && i < all.n; i++) {
        enum unit_file_state st = install_state(sc, all.v[i]);
        const char *word = unit_file_state_name(st);
        if (!wanted(s, all.v[i], word))
            continue;
        states[shown.n] = st;
        if (strv_push(&shown, all.v[i]) < 0)
            break;
        if (strlen(all.v[i]) > w1)
            w1 = strlen(all.v[i]);
        if (strlen(word) > w2)
            w2 = strlen(word);
    }
    if (!s->no_legend)
        printf("%-*s %-*s %s\n", (int)w1, "UNIT FILE", (int)w2, "STATE", "PRESET");
    for (size_t i = 0; states && i < shown.n; i++)
        printf("%-*s %-*s %s\n", (int)w1, shown.v[i], (int)w2, unit_file_state_name(states[i]),
               preset_of(s, sc, shown.v[i], states[i]));
    if (!s->no_legend)
        printf("\n%zu unit files listed.\n", shown.n);
    int code = states ? (shown.n ? 0 : 1) : 1;
    if (!states)
        fprintf(stderr, "Out of memory.\n");
    free(states);
    strv_clear(&all);
    strv_clear(&shown);
    return code;
}

/* One file under its "# PATH" line. */
static int cat_file(const char *path, bool newline)
{
    size_t len;
    char *text = file_read_regular(path, FILE_READ_UNIT_MAX, &len);
    if (!text) {
        fprintf(stderr, "Failed to read \"%s\": %s\n", path, strerror(errno));
        return -1;
    }
    printf("%s# %s\n", newline ? "\n" : "", path);
    fwrite(text, 1, len, stdout);
    free(text);
    return 0;
}

int sdfiles_cat(const struct systemctl *s, const struct install_scope *sc, const struct strv *names)
{
    int code = 0;
    bool first = true;
    (void)s;
    for (size_t i = 0; i < names->n; i++) {
        struct strv paths = {0};
        int r = install_files(sc, names->v[i], &paths);
        if (r < 0) {
            if (errno == ENOENT)
                fprintf(stderr, "No files found for %s.\n", names->v[i]);
            else
                fprintf(stderr, "Failed to find the files of %s: %s\n", names->v[i],
                        strerror(errno));
            code = 1;
        } else if (r == 1) {
            fprintf(stderr, "Unit %s is masked.\n", names->v[i]);
            code = 1;
        } else {
            if (!first)
                putchar('\n');
            first = false;
            for (size_t k = 0; k < paths.n; k++)
                if (cat_file(paths.v[k], k > 0) < 0)
                    code = 1;
        }
        strv_clear(&paths);
    }
    fflush(stdout);
    return code;
}
