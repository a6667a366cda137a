/* unit_preset.c - systemd.preset(5): which units `systemctl preset`
 * enables and which it disables. The *.preset files of the preset
 * directories are read in the order of their names (a name in an earlier
 * directory hides the same name in a later one); the first "enable
 * PATTERN" or "disable PATTERN" line whose glob matches the unit decides.
 * No line matches: enable, systemd's default.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit/unit_install.h"
#include "base/scan.h"

static const char *const system_dirs[] = {
    "/etc/systemd/system-preset",           "/run/systemd/system-preset",
    "/usr/local/lib/systemd/system-preset", "/usr/lib/systemd/system-preset",
    "/lib/systemd/system-preset",           NULL,
};
static const char *const user_dirs[] = {
    "/etc/systemd/user-preset",
    "/run/systemd/user-preset",
    "/usr/local/lib/systemd/user-preset",
    "/usr/lib/systemd/user-preset",
    NULL,
};

static int by_name(const void *a, const void *b)
{
    const char *x = strrchr(*(char *const *)a, '/'), *y = strrchr(*(char *const *)b, '/');
    return strcmp(x, y);
}

static bool has_base(const struct strv *files, const char *base)
{
    for (size_t i = 0; i < files->n; i++)
        if (strcmp(strrchr(files->v[i], '/') + 1, base) == 0)
            return true;
    return false;
}

/* Every *.preset file, first directory first for a name, sorted by name. */
static void preset_files(const char *root, bool user, struct strv *files)
{
    for (const char *const *d = user ? user_dirs : system_dirs; *d; d++) {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s%s", root && strcmp(root, "/") != 0 ? root : "", *d);
        DIR *dp = opendir(dir);
        if (!dp)
            continue;
        struct dirent *e;
        while ((e = readdir(dp))) {
            size_t len = strlen(e->d_name);
            if (len <= 7 || strcmp(e->d_name + len - 7, ".preset") != 0 ||
                has_base(files, e->d_name))
                continue;
            char path[4096 + 256];
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            strv_push(files, path);
        }
        closedir(dp);
    }
    if (files->n)
        qsort(files->v, files->n, sizeof(*files->v), by_name);
}

/* 1 enable, 0 disable, -1 when no line of the file matches name. */
static int file_says(const char *path, const char *name)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char line[1024];
    int verdict = -1;
    while (verdict < 0 && fgets(line, sizeof(line), f)) {
        char word[16], pattern[512];
        const char *p = scan_word(line, word, sizeof(word));
        if (!p || !scan_word(p, pattern, sizeof(pattern)) || word[0] == '#' || word[0] == ';')
            continue;
        if (fnmatch(pattern, name, FNM_NOESCAPE) != 0)
            continue;
        if (strcmp(word, "enable") == 0)
            verdict = 1;
        else if (strcmp(word, "disable") == 0)
            verdict = 0;
    }
    fclose(f);
    return verdict;
}

bool install_preset_enabled(const struct install_scope *sc, bool user, const char *name)
{
    struct strv files = {0};
    preset_files(sc->root, user, &files);
    int verdict = -1;
    for (size_t i = 0; i < files.n && verdict < 0; i++)
        verdict = file_says(files.v[i], name);
    strv_clear(&files);
    return verdict != 0;
}
