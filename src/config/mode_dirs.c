/* mode_dirs.c - directories the daemon's mode asks for (mode_dirs.h). */
#include "config/mode_dirs.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/private_dir.h"
#include "base/safe_path.h"

#define SYSTEMD_BOOTED_DIR "/run/systemd/system"

/* sd_booted() and its shell forms ([ -d /run/systemd/system ]) look for
 * this directory. It is never removed: systemd does not either, /run is a
 * fresh tmpfs at each boot of a container, and a package script running
 * while pxinit stops must still take the systemctl path. */
static void systemd_booted_dir(void)
{
    char name[64];
    int dfd = safe_path_parent(SYSTEMD_BOOTED_DIR, true, 0755, name, sizeof(name));
    if (dfd < 0 || (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST)) {
        log_warn("--systemd: cannot create %s; package scripts may not see systemd",
                 SYSTEMD_BOOTED_DIR);
        if (dfd >= 0)
            close(dfd);
        return;
    }
    close(dfd);
}

void mode_dirs_prepare(struct options *o)
{
    if (o->runtime_dir_private && o->runtime_dir) {
        const char *why = private_dir_check(o->runtime_dir, true);
        if (why) {
            log_warnx(
                "runtime directory %s refused: %s; running without control socket "
                "and status board",
                o->runtime_dir, why);
            o->runtime_dir = NULL;
        }
    }
    if (o->systemd_units && !o->user)
        systemd_booted_dir();
}
