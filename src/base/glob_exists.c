/* glob_exists.c - glob(3)'s answer to "does anything match?", for
 * ConditionPathExistsGlob=.
 *
 * glibc's glob() brings getpwnam_r() for "~user" (asked for or not), and
 * with it NSS, the DNS resolver and dlopen: 147 KB of the 1.7 MB static
 * binary (bench/results/issue20-size.txt). This walks the pattern a
 * component at a time with fnmatch(3), as glob() does, and stops at the
 * first match instead of building a list. tests/unit/check_glob_exists.c
 * compares it with glob().
 */
#include "base/glob_exists.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>

/* Whether s holds a '*', '?' or '[' that no '\' quotes. */
static bool has_magic(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n)
            i++;
        else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
            return true;
    }
    return false;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* path[0, len) is an existing path (or empty: the working directory);
 * pat is what is left of (a copy of) the pattern, its leading '/'s
 * included. */
static bool walk(char *path, size_t len, char *pat)
{
    size_t slashes = strspn(pat, "/");
    if (slashes && len + 1 < PATH_MAX && (len == 0 || path[len - 1] != '/'))
        path[len++] = '/';
    pat += slashes;
    path[len] = '\0';
    if (*pat == '\0') /* a trailing '/' after a literal name: glob() takes a file too */
        return true;

    size_t n = strcspn(pat, "/");
    char *rest = pat + n;
    if (!has_magic(pat, n)) {
        size_t k = len;
        for (size_t i = 0; i < n; i++) {
            if (pat[i] == '\\' && i + 1 < n)
                i++;
            if (k + 1 >= PATH_MAX)
                return false;
            path[k++] = pat[i];
        }
        path[k] = '\0';
        struct stat st;
        if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0)
            return false;
        return walk(path, k, rest);
    }

    DIR *d = opendir(len ? path : ".");
    if (!d)
        return false;
    char cut = *rest; /* pat[0, n) as a string while this directory is read */
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        *rest = '\0';
        bool match = fnmatch(pat, e->d_name, FNM_PERIOD) == 0;
        *rest = cut;
        if (!match)
            continue;
        size_t m = strlen(e->d_name);
        if (len + m + 1 >= PATH_MAX)
            continue;
        memcpy(path + len, e->d_name, m + 1);
        /* After a wildcard, a trailing '/' asks for a directory. */
        if (rest[strspn(rest, "/")] == '\0')
            found = *rest == '\0' || is_dir(path);
        else
            found = walk(path, len + m, rest);
        path[len] = '\0';
    }
    closedir(d);
    return found;
}

bool glob_exists(const char *pattern)
{
    char path[PATH_MAX], pat[PATH_MAX];
    size_t n = pattern ? strlen(pattern) : 0;
    if (n == 0 || n >= sizeof(pat))
        return false;
    memcpy(pat, pattern, n + 1);
    return walk(path, 0, pat);
}
