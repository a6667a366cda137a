/* pidmap.h - pid -> owner index, so a reaped pid finds its service in O(1). */
#ifndef PXINIT_PIDMAP_H
#define PXINIT_PIDMAP_H

#include <stddef.h>
#include <sys/types.h>

enum pid_role {
    PID_ROLE_MAIN,         /* a service's main process */
    PID_ROLE_CONTROL,      /* a service's control process (ExecStartPre= ...) */
    PID_ROLE_INTERMEDIATE, /* the short-lived first child of a double fork */
    PID_ROLE_MAINCMD,      /* the main command given after -- */
    PID_ROLE_GROUP_PIN,    /* a child that keeps a unit's group id from reuse */
};

struct pid_entry {
    pid_t pid; /* 0 = empty slot */
    enum pid_role role;
    void *owner;
};

struct pidmap {
    struct pid_entry *slots;
    size_t cap; /* power of two */
    size_t count;
};

/* Returns 0, or -1 with errno ENOMEM (the map is unchanged then). */
int pidmap_put(struct pidmap *m, pid_t pid, enum pid_role role, void *owner);
/* Returns the entry or NULL. The pointer is valid until the next put/del. */
struct pid_entry *pidmap_get(const struct pidmap *m, pid_t pid);
void pidmap_del(struct pidmap *m, pid_t pid);
void pidmap_free(struct pidmap *m);

#endif
