/* runlock.h - one daemon per runtime directory: the lock file $RUNTIME_DIR/lock. */
#ifndef PXINIT_RUNLOCK_H
#define PXINIT_RUNLOCK_H

#include <sys/types.h>

struct runlock_holder {
    pid_t pid;     /* in this PID namespace; 0 when not visible from here */
    pid_t own_pid; /* as the holder wrote it, in its own namespace; 0 if unknown */
};

enum runlock_result {
    RUNLOCK_HELD,        /* this process holds the directory; *fd is the lock */
    RUNLOCK_BUSY,        /* a running daemon holds it; *holder says which */
    RUNLOCK_UNAVAILABLE, /* no lock possible (unwritable directory, ...); errno says why */
};

/* Creates dir if needed and takes its lock without waiting. The lock is a
 * POSIX record lock: the kernel drops it when its holder dies, and no child
 * inherits it, so a stale lock file never blocks and a service never holds
 * the directory. It touches nothing else in dir. */
enum runlock_result runlock_take(const char *dir, int *fd, struct runlock_holder *holder);

#endif
