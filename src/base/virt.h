/* virt.h - what pxinit runs in: a container (which one), a virtual
 * machine, or neither, found the way systemd-detect-virt(1) finds it, for
 * ConditionVirtualization=. */
#ifndef PXINIT_VIRT_H
#define PXINIT_VIRT_H

#include <stdbool.h>

enum virt_kind {
    VIRT_NONE,
    VIRT_VM,
    VIRT_CONTAINER,
};

struct virt {
    enum virt_kind kind;
    char id[32]; /* systemd's name: "docker", "podman", "container-other", "kvm", "none" */
};

/* Detects once and remembers (what pxinit runs in does not change). */
const struct virt *virt_get(void);

/* The detection itself. Files are read below root ("" for the real one);
 * container_env is pxinit's own $container (NULL: unset), which systemd's
 * PID 1 takes as the answer; pid1 says whether pxinit is PID 1 (otherwise
 * PID 1's $container is read from /proc/1/environ, as systemd does). */
void virt_detect(struct virt *v, const char *root, const char *container_env, bool pid1);

/* ConditionVirtualization=word on v: a boolean (any virtualization), "vm",
 * "container", or a name. "private-users" is answered by virt_in_userns(). */
bool virt_matches(const struct virt *v, const char *word);
/* Whether pxinit runs in a user namespace other than the initial one. */
bool virt_in_userns(void);

#endif
