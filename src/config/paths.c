/* paths.c - where pxinit's files are (paths.h). */
#include "config/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/passwd.h"
#include "base/private_dir.h"

#include "config/options.h"

/* $HOME, else the passwd entry's home (base/passwd.h: NSS, then
 * /etc/passwd, which a static binary reads alone); NULL when neither is
 * absolute. */
static const char *home_dir(void)
{
    static struct passwd_entry pw;
    const char *h = getenv("HOME");
    if (h && h[0] == '/')
        return h;
    if (passwd_lookup(NULL, getuid(), &pw) < 0 || pw.dir[0] != '/')
        return NULL;
    return pw.dir;
}

/* $VAR (when absolute) + tail, else $HOME + fallback + tail. */
static int xdg_path(const char *var, const char *fallback, const char *tail, char *buf, size_t size)
{
    const char *v = getenv(var);
    int n;
    if (v && v[0] == '/') {
        n = snprintf(buf, size, "%s%s", v, tail);
    } else {
        const char *home = home_dir();
        if (!home) {
            errno = ENOENT;
            return -1;
        }
        n = snprintf(buf, size, "%s%s%s", home, fallback, tail);
    }
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int paths_runtime_dir(bool user, char *buf, size_t size)
{
    int n;
    if (!user) {
        const char *env = getenv("PXINIT_RUNTIME_DIR");
        n = snprintf(buf, size, "%s", env && *env ? env : PXINIT_DEFAULT_RUNTIME_DIR);
    } else {
        const char *xdg = getenv("XDG_RUNTIME_DIR");
        if (xdg && xdg[0] == '/')
            n = snprintf(buf, size, "%s/pxinit", xdg);
        else
            n = snprintf(buf, size, "/tmp/pxinit-%u", (unsigned)getuid());
    }
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

const char *paths_runtime_dir_refused(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) < 0 && errno == ENOENT)
        return NULL;
    return private_dir_check(dir, false);
}

int paths_unit_dirs(bool user, bool from_env, struct strv *dirs)
{
    const char *env = from_env ? getenv("PXINIT_UNITS") : NULL;
    if (env && *env) {
        char *copy = strdup(env);
        if (!copy)
            return -1;
        int rc = 0;
        for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && rc == 0;
             d = strtok_r(NULL, ":", &save))
            rc = strv_push(dirs, d);
        free(copy);
        return rc;
    }
    if (!user)
        return strv_push(dirs, PXINIT_DEFAULT_UNITS_DIR);
    char buf[4096];
    if (xdg_path("XDG_CONFIG_HOME", "/.config", "/pxinit/units", buf, sizeof(buf)) < 0)
        return -1;
    return strv_push(dirs, buf);
}

int paths_state_dir(bool user, char *buf, size_t size)
{
    if (!user) {
        int n = snprintf(buf, size, "%s", PXINIT_DEFAULT_STATE_DIR);
        if (n < 0 || (size_t)n >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        return 0;
    }
    return xdg_path("XDG_STATE_HOME", "/.local/state", "/pxinit", buf, size);
}

int paths_systemd_dirs(bool user, struct strv *dirs)
{
    if (!user) {
        static const char *const sys[] = {"/etc/systemd/system", "/run/systemd/system",
                                          "/lib/systemd/system", "/usr/lib/systemd/system"};
        for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++)
            if (strv_push(dirs, sys[i]) < 0)
                return -1;
        return 0;
    }
    char buf[4096];
    if (xdg_path("XDG_CONFIG_HOME", "/.config", "/systemd/user", buf, sizeof(buf)) < 0 ||
        strv_push(dirs, buf) < 0)
        return -1;
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (xdg && xdg[0] == '/') {
        int n = snprintf(buf, sizeof(buf), "%s/systemd/user", xdg);
        if (n > 0 && (size_t)n < sizeof(buf) && strv_push(dirs, buf) < 0)
            return -1;
    }
    static const char *const usr[] = {"/etc/systemd/user", "/usr/lib/systemd/user"};
    for (size_t i = 0; i < sizeof(usr) / sizeof(usr[0]); i++)
        if (strv_push(dirs, usr[i]) < 0)
            return -1;
    return 0;
}
