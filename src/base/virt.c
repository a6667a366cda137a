/* virt.c - container and virtual machine detection (virt.h).
 *
 * The order is systemd's (its detect_container() and detect_vm()): what a
 * container manager says outright ($container, /run/host/container-manager)
 * before the files that can linger in an image (/.dockerenv), then the
 * namespaces; a container is the answer even inside a virtual machine. Only
 * small files under /proc, /sys and / are read, once.
 */
#include "base/virt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The pid namespace the kernel starts with has this inode (since 3.8). */
#define PROC_PID_INIT_INO 0xEFFFFFFCU

static const char *const container_ids[] = {
    "systemd-nspawn", "lxc-libvirt",     "lxc", "openvz", "docker", "podman", "rkt", "wsl", "proot",
    "pouch",          "container-other", NULL,
};

static const char *const vm_ids[] = {
    "qemu",    "kvm",   "amazon", "zvm",    "vmware",    "microsoft", "oracle",
    "powervm", "xen",   "bochs",  "uml",    "parallels", "bhyve",     "qnx",
    "acrn",    "apple", "sre",    "google", "vm-other",  NULL,
};

static void set(struct virt *v, enum virt_kind kind, const char *id)
{
    v->kind = kind;
    snprintf(v->id, sizeof(v->id), "%s", id);
}

static void join(char *buf, size_t size, const char *root, const char *path)
{
    snprintf(buf, size, "%s%s", root, path);
}

static bool exists(const char *root, const char *path)
{
    char p[512];
    join(p, sizeof(p), root, path);
    return access(p, F_OK) == 0;
}

/* Up to size - 1 bytes of a small file, NUL-terminated, without the final
 * newline; -1 when it cannot be read. O_NONBLOCK: never wait on a FIFO. */
static ssize_t read_small(const char *root, const char *path, char *buf, size_t size)
{
    char p[512];
    join(p, sizeof(p), root, path);
    int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return -1;
    size_t len = 0;
    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    if (len && buf[len - 1] == '\n')
        buf[--len] = '\0';
    return (ssize_t)len;
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* Files container managers leave at the root. */
static bool container_files(struct virt *v, const char *root)
{
    if (exists(root, "/run/.containerenv"))
        set(v, VIRT_CONTAINER, "podman");
    else if (exists(root, "/.dockerenv"))
        set(v, VIRT_CONTAINER, "docker");
    else
        return false;
    return true;
}

/* A manager's own name for itself ($container and the files holding it). */
static void container_named(struct virt *v, const char *root, const char *name)
{
    if (!*name || strcmp(name, "none") == 0)
        set(v, VIRT_NONE, "none");
    else if (strcmp(name, "oci") == 0) {
        /* Not a manager but a format: the files may say which. */
        if (!container_files(v, root))
            set(v, VIRT_CONTAINER, "container-other");
    } else
        set(v, VIRT_CONTAINER, in_list(container_ids, name) ? name : "container-other");
}

/* $container in PID 1's environment (when pxinit is not PID 1). */
static bool pid1_container_env(const char *root, char *out, size_t size)
{
    char env[8192];
    ssize_t n = read_small(root, "/proc/1/environ", env, sizeof(env));
    for (ssize_t i = 0; i < n; i += (ssize_t)strlen(env + i) + 1) {
        if (strncmp(env + i, "container=", 10) == 0) {
            snprintf(out, size, "%s", env + i + 10);
            return true;
        }
    }
    return false;
}

/* cgroup v2 seen from inside a cgroup namespace: its root is a non-root
 * cgroup, and only those have cgroup.type. */
static bool in_cgroup_ns(const char *root)
{
    return exists(root, "/sys/fs/cgroup/cgroup.events") &&
           exists(root, "/sys/fs/cgroup/cgroup.type");
}

static bool in_pid_ns(const char *root)
{
    char p[512];
    struct stat st;
    join(p, sizeof(p), root, "/proc/self/ns/pid");
    return stat(p, &st) == 0 && st.st_ino != PROC_PID_INIT_INO;
}

static bool detect_container(struct virt *v, const char *root, const char *container_env, bool pid1)
{
    char buf[256];

    if (exists(root, "/proc/vz") && !exists(root, "/proc/bc")) {
        set(v, VIRT_CONTAINER, "openvz");
        return true;
    }
    if (read_small(root, "/proc/sys/kernel/osrelease", buf, sizeof(buf)) > 0 &&
        (strstr(buf, "Microsoft") || strstr(buf, "WSL"))) {
        set(v, VIRT_CONTAINER, "wsl");
        return true;
    }
    if (read_small(root, "/run/host/container-manager", buf, sizeof(buf)) > 0) {
        container_named(v, root, buf);
        return true;
    }
    /* pxinit's own $container counts as PID 1's even when pxinit is not
     * PID 1: it is the init of what it runs. An empty one means none. */
    if (container_env) {
        container_named(v, root, container_env);
        return true;
    }
    if (!pid1 && (read_small(root, "/run/systemd/container", buf, sizeof(buf)) > 0 ||
                  pid1_container_env(root, buf, sizeof(buf)))) {
        container_named(v, root, buf);
        return true;
    }
    if (container_files(v, root))
        return true;
    if (in_cgroup_ns(root) || in_pid_ns(root)) {
        set(v, VIRT_CONTAINER, "container-other");
        return true;
    }
    return false;
}

/* DMI names that mean a hypervisor, by prefix (systemd's table). */
static const struct {
    const char *prefix;
    const char *id;
} dmi_vendors[] = {
    {"KVM", "kvm"},
    {"OpenStack", "kvm"},
    {"KubeVirt", "kvm"},
    {"Amazon EC2", "amazon"},
    {"QEMU", "qemu"},
    {"VMware", "vmware"},
    {"VMW", "vmware"},
    {"innotek GmbH", "oracle"},
    {"VirtualBox", "oracle"},
    {"Oracle Corporation", "oracle"},
    {"Xen", "xen"},
    {"Bochs", "bochs"},
    {"Parallels", "parallels"},
    {"BHYVE", "bhyve"},
    {"Hyper-V", "microsoft"},
    {"Microsoft Corporation", "microsoft"},
    {"Google Compute Engine", "google"},
    {"Google", "google"},
    {"Apple Virtualization", "apple"},
};

static const char *dmi_vm(const char *root)
{
    static const char *const files[] = {
        "/sys/class/dmi/id/product_name",    "/sys/class/dmi/id/sys_vendor",
        "/sys/class/dmi/id/board_vendor",    "/sys/class/dmi/id/bios_vendor",
        "/sys/class/dmi/id/product_version",
    };
    char buf[256];
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        if (read_small(root, files[f], buf, sizeof(buf)) <= 0)
            continue;
        for (size_t i = 0; i < sizeof(dmi_vendors) / sizeof(dmi_vendors[0]); i++)
            if (strncmp(buf, dmi_vendors[i].prefix, strlen(dmi_vendors[i].prefix)) == 0)
                return dmi_vendors[i].id;
    }
    return NULL;
}

/* x86's CPUID hypervisor bit, as /proc/cpuinfo shows it: 1 set, 0 clear,
 * -1 no flags line (not x86). The first processor's flags come early. */
static int cpuid_hypervisor(const char *root)
{
    char buf[16384];
    if (read_small(root, "/proc/cpuinfo", buf, sizeof(buf)) <= 0)
        return -1;
    const char *flags = strncmp(buf, "flags", 5) == 0 ? buf : strstr(buf, "\nflags");
    if (!flags)
        return -1;
    const char *end = strchr(flags + 1, '\n');
    const char *hit = strstr(flags, " hypervisor");
    return hit && (!end || hit < end) && (hit[11] == ' ' || hit[11] == '\n' || !hit[11]);
}

static void detect_vm(struct virt *v, const char *root)
{
    char buf[64];
    int hyper = cpuid_hypervisor(root);
    const char *dmi = hyper != 0 ? dmi_vm(root) : NULL;

    if (dmi)
        set(v, VIRT_VM, dmi);
    else if (read_small(root, "/sys/hypervisor/type", buf, sizeof(buf)) > 0 &&
             strcmp(buf, "xen") == 0)
        set(v, VIRT_VM, "xen");
    else if (hyper == 1)
        set(v, VIRT_VM, "vm-other");
    else
        set(v, VIRT_NONE, "none");
}

void virt_detect(struct virt *v, const char *root, const char *container_env, bool pid1)
{
    if (!detect_container(v, root, container_env, pid1))
        detect_vm(v, root);
}

const struct virt *virt_get(void)
{
    static struct virt v;
    static bool known;
    if (!known) {
        virt_detect(&v, "", getenv("container"), getpid() == 1);
        known = true;
    }
    return &v;
}

bool virt_matches(const struct virt *v, const char *word)
{
    if (strcmp(word, "vm") == 0)
        return v->kind == VIRT_VM;
    if (strcmp(word, "container") == 0)
        return v->kind == VIRT_CONTAINER;
    if (!in_list(container_ids, word) && !in_list(vm_ids, word))
        return false;
    return v->kind != VIRT_NONE && strcmp(word, v->id) == 0;
}

bool virt_in_userns(void)
{
    char buf[256];
    unsigned long inner, outer, count;
    /* The initial namespace maps every id onto itself in one line. */
    if (read_small("", "/proc/self/uid_map", buf, sizeof(buf)) <= 0)
        return false;
    /* As sscanf(buf, "%lu %lu %lu"): strtoul is what scanf's %lu runs. */
    char *p = buf, *end;
    unsigned long *field[] = {&inner, &outer, &count};
    for (size_t i = 0; i < 3; i++, p = end) {
        *field[i] = strtoul(p, &end, 10);
        if (end == p)
            return true;
    }
    return !(inner == 0 && outer == 0 && count == 4294967295UL && !strchr(buf, '\n'));
}
