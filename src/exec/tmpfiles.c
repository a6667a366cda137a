/* tmpfiles.c - the 'd'/'D' subset of tmpfiles.d(5). Packaged units count on
 * systemd-tmpfiles having made their runtime directories at boot; in a
 * container started with --systemd nothing else would. */
#include "exec/tmpfiles.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/passwd.h"
#include "base/strv.h"
#include "base/scan.h"

static bool parse_mode(const char *s, mode_t *mode)
{
    char *end;
    if (strcmp(s, "-") == 0) {
        *mode = 0755;
        return true;
    }
    if (*s == '~' || *s == ':')
        s++; /* "masked" modes: treat as the mode itself */
    unsigned long v = strtoul(s, &end, 8);
    if (*end || v > 07777)
        return false;
    *mode = (mode_t)v;
    return true;
}

bool tmpfiles_line(const char *line, const char *origin)
{
    char type[8], path[4096], mode_s[16] = "-", user[64] = "-", group[64] = "-";
    while (*line == ' ' || *line == '\t')
        line++;
    if (!*line || *line == '#')
        return false;
    /* As sscanf(line, "%7s %4095s %15s %63s %63s", ...) (base/scan.h). */
    int n = 0;
    const char *at = scan_word(line, type, sizeof(type));
    char *fields[] = {path, mode_s, user, group};
    size_t sizes[] = {sizeof(path), sizeof(mode_s), sizeof(user), sizeof(group)};
    for (n = at ? 1 : 0; at && n < 5; n++)
        if (!(at = scan_word(at, fields[n - 1], sizes[n - 1])))
            break;
    if (n < 2 || (type[0] != 'd' && type[0] != 'D') || (type[1] && type[1] != '!'))
        return false;
    if (strchr(path, '%') || path[0] != '/') {
        log_debug("%s: %s: specifiers are not supported, skipped", origin, path);
        return false;
    }
    mode_t mode;
    if (!parse_mode(mode_s, &mode)) {
        log_warnx("%s: bad mode '%s', skipped", origin, mode_s);
        return false;
    }
    struct stat st;
    if (lstat(path, &st) == 0)
        return false; /* exists: systemd would adjust it; we leave it be */
    /* Parents as mkdir -p would make them. */
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            log_warn("%s: %s", origin, path);
            return false;
        }
        *p = '/';
    }
    if (mkdir(path, mode) < 0) {
        log_warn("%s: %s", origin, path);
        return false;
    }
    uid_t uid = (uid_t)-1;
    gid_t gid = (gid_t)-1;
    struct passwd_entry pw;
    if (strcmp(user, "-") != 0) {
        if (passwd_lookup(user, 0, &pw) == 0)
            uid = pw.uid;
        else
            log_warnx("%s: no user '%s'", origin, user);
    }
    if (strcmp(group, "-") != 0 && passwd_lookup_group(group, &gid) < 0)
        log_warnx("%s: no group '%s'", origin, group);
    if ((uid != (uid_t)-1 || gid != (gid_t)-1) && chown(path, uid, gid) < 0)
        log_warn("%s: chown %s", origin, path);
    if (chmod(path, mode) < 0)
        log_warn("%s: chmod %s", origin, path);
    log_debug("%s: created %s", origin, path);
    return true;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int tmpfiles_apply(void)
{
    static const char *const dirs[] = {"/etc/tmpfiles.d", "/run/tmpfiles.d", "/usr/lib/tmpfiles.d"};
    /* "NAME\tPATH" entries: sorting them orders by file name, as
     * systemd-tmpfiles reads; the first directory's file of a name wins. */
    struct strv files = {0};
    for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
        DIR *dir = opendir(dirs[d]);
        struct dirent *de;
        while (dir && (de = readdir(dir))) {
            size_t len = strlen(de->d_name);
            if (len < 6 || strcmp(de->d_name + len - 5, ".conf") != 0)
                continue;
            bool seen = false;
            for (size_t i = 0; i < files.n && !seen; i++)
                seen = strncmp(files.v[i], de->d_name, len) == 0 && files.v[i][len] == '\t';
            if (seen)
                continue;
            char entry[4400];
            snprintf(entry, sizeof(entry), "%s\t%s/%s", de->d_name, dirs[d], de->d_name);
            if (strv_push(&files, entry) < 0)
                break;
        }
        if (dir)
            closedir(dir);
    }
    if (files.n)
        qsort(files.v, files.n, sizeof(char *), name_cmp);
    int made = 0;
    for (size_t i = 0; i < files.n; i++) {
        const char *path = strchr(files.v[i], '\t') + 1;
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        char line[8192];
        unsigned lineno = 0;
        while (fgets(line, sizeof(line), f)) {
            char origin[4500];
            lineno++;
            line[strcspn(line, "\n")] = '\0';
            snprintf(origin, sizeof(origin), "%s:%u", path, lineno);
            if (tmpfiles_line(line, origin))
                made++;
        }
        fclose(f);
    }
    strv_clear(&files);
    if (made)
        log_info("tmpfiles.d: created %d directories", made);
    return made;
}
