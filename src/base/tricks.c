/* tricks.c - PXINIT_PLAIN: which speed tricks are off (tricks.h). */
#include "base/tricks.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[TRICK__COUNT] = {
    [TRICK_CLONE_VM] = "clone-vm",
    [TRICK_SIGWAIT] = "sigwait",
    [TRICK_TIMERFD] = "timerfd",
    [TRICK_PIPE_REOPEN] = "pipe-reopen",
};

static bool read_done;
static bool off[TRICK__COUNT];

const char *trick_name(enum trick t)
{
    return (unsigned)t < TRICK__COUNT ? names[t] : "?";
}

void trick_configure(const char *spec)
{
    read_done = true;
    memset(off, 0, sizeof(off));
    if (!spec || !*spec || strcmp(spec, "0") == 0)
        return;
    bool all = strcmp(spec, "all") == 0 || strcmp(spec, "1") == 0;
    for (int t = 0; t < TRICK__COUNT; t++) {
        if (all) {
            off[t] = true;
            continue;
        }
        size_t n = strlen(names[t]);
        for (const char *p = spec; *p;) {
            size_t len = strcspn(p, ",");
            if (len == n && memcmp(p, names[t], n) == 0)
                off[t] = true;
            p += len;
            if (*p == ',')
                p++;
        }
    }
}

bool trick_on(enum trick t)
{
    if (!read_done)
        trick_configure(getenv("PXINIT_PLAIN"));
    return (unsigned)t < TRICK__COUNT && !off[t];
}
