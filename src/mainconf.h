/* mainconf.h - pxinit.conf, the daemon's main configuration (ini, read with
 * inih). Only [Manager] ControlGroup= is understood so far. */
#ifndef PXINIT_MAINCONF_H
#define PXINIT_MAINCONF_H

#include <stdbool.h>
#include <sys/types.h>

struct mainconf {
    bool control_group_set;
    gid_t control_group; /* members may use the control socket */
};

/* Reads path into c (zeroed first). A missing file is fine unless given is
 * true (then it is a warning); problems are warnings naming path:line, and
 * never stop pxinit. Returns 0, or -1 when the file had problems. */
int mainconf_load(struct mainconf *c, const char *path, bool given);

#endif
