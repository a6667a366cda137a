/* condition.c - evaluates Condition*= and Assert*=: every ordinary one
 * must hold, and of the '|' (trigger) ones at least one, as systemd does.
 * Besides paths, what a container can answer: the capability bounding set,
 * the virtualization (virt.c), AC power. */
#include "unit/condition.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "unit/unit_values.h"
#include "base/virt.h"
#include "base/glob_exists.h"

#ifndef STATX_ATTR_MOUNT_ROOT
#define STATX_ATTR_MOUNT_ROOT 0x00002000
#endif

static bool dir_not_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return false;
    struct dirent *de;
    bool found = false;
    while (!found && (de = readdir(d)))
        found = strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return found;
}

/* capabilities(7) names by number, as systemd's ConditionCapability= takes
 * them (any case, with or without "cap_"; a number works too). */
static const char *const cap_names[] = {
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
};

int condition_capability_from_name(const char *name)
{
    const char *s = strncasecmp(name, "cap_", 4) == 0 ? name + 4 : name;
    for (size_t i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++)
        if (strcasecmp(s, cap_names[i]) == 0)
            return (int)i;
    unsigned long long v;
    if (value_parse_ull(name, 10, 63, &v) == 0)
        return (int)v;
    return -1;
}

/* In pxinit's capability bounding set (what systemd checks: not whether the
 * capability is effective). One the kernel does not know is not held. */
static bool has_capability(const char *name)
{
    int cap = condition_capability_from_name(name);
    return cap >= 0 && prctl(PR_CAPBSET_READ, (unsigned long)cap, 0, 0, 0) == 1;
}

static bool virtualization_is(const char *word)
{
    if (strcmp(word, "private-users") == 0)
        return virt_in_userns();
    int b = value_parse_bool(word);
    if (b >= 0)
        return b == (virt_get()->kind != VIRT_NONE);
    return virt_matches(virt_get(), word);
}

/* One line of a sysfs attribute into buf; false when unreadable. */
static bool read_attr(int dir, const char *name, char *buf, size_t size)
{
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t n;
    do
        n = read(fd, buf, size - 1);
    while (n < 0 && errno == EINTR);
    close(fd);
    if (n <= 0)
        return false;
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return true;
}

/* A USB supply feeds the machine unless its USB-C ports give power out:
 * systemd 252 counts it when one of the ports beside it (the typec ports of
 * its parent device) is in sink mode, or none is in source mode. */
static bool usb_is_sink(int dev)
{
    int fd = openat(dev, "device/typec", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return true;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return true;
    }
    bool source = false, sink = false;
    struct dirent *de;
    while ((de = readdir(d))) {
        char rel[300], role[64];
        if (de->d_name[0] == '.' ||
            snprintf(rel, sizeof(rel), "%s/power_role", de->d_name) >= (int)sizeof(rel) ||
            !read_attr(dirfd(d), rel, role, sizeof(role)))
            continue;
        if (strstr(role, "[source]"))
            source = true;
        else if (strstr(role, "[sink]"))
            sink = true;
    }
    closedir(d);
    return sink || !source;
}

/* A battery that powers the machine now, as systemd 252 decides it: not a
 * device's own (scope Device: a mouse, a phone), present, and its status
 * Discharging (an unreadable status counts as discharging). */
static bool battery_discharging(int dev)
{
    char buf[32];
    if (read_attr(dev, "scope", buf, sizeof(buf)) && strcmp(buf, "Device") == 0)
        return false;
    if (read_attr(dev, "present", buf, sizeof(buf)) && value_parse_bool(buf) == 0)
        return false;
    if (!read_attr(dev, "status", buf, sizeof(buf)))
        return true;
    return strcmp(buf, "Discharging") == 0;
}

/* "online" of a supply: 1 online, 0 offline, -1 unknown. Any value above 0
 * is online (1 and 2 are two kinds of it). */
static int supply_online(int dev)
{
    char buf[32], *end;
    if (!read_attr(dev, "online", buf, sizeof(buf)) || !buf[0] || buf[0] == '-')
        return -1;
    errno = 0;
    unsigned long v = strtoul(buf, &end, 10);
    if (errno || *end)
        return -1;
    return v > 0;
}

/* As systemd 252's on_ac_power(): on AC when any supply that is not a
 * battery (Mains, UPS, USB taking power in, ...) is online; otherwise on
 * battery only when a battery is discharging. So a server or a container
 * with no power supply information at all, or with an AC adapter that says
 * offline and no battery, is on AC. */
bool condition_on_ac_power(const char *class_dir)
{
    DIR *d = opendir(class_dir);
    if (!d)
        return true;
    bool online = false, discharging = false;
    struct dirent *de;
    while (!online && (de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        int dev = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dev < 0)
            continue;
        char type[32];
        if (!read_attr(dev, "type", type, sizeof(type)))
            ; /* not a supply we can read: ignored */
        else if (strcmp(type, "Battery") == 0)
            discharging = discharging || battery_discharging(dev);
        else if (strcmp(type, "USB") != 0 || usb_is_sink(dev))
            online = supply_online(dev) > 0;
        close(dev);
    }
    closedir(d);
    return online || !discharging;
}

/* The root of a mount (a bind mount too), following a final symlink. */
static bool is_mount_point(const char *path)
{
    struct statx sx;
    if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    /* Kernels before 5.8: a different device than the parent, or "/". */
    char parent[4096];
    struct stat st, pst;
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
        snprintf(parent, sizeof(parent), "%s/..", path) >= (int)sizeof(parent) ||
        stat(parent, &pst) < 0)
        return false;
    return st.st_dev != pst.st_dev || st.st_ino == pst.st_ino;
}

/* Exists, on a file system mounted read-write. */
static bool is_read_write(const char *path)
{
    struct statvfs vfs;
    return statvfs(path, &vfs) == 0 && !(vfs.f_flag & ST_RDONLY);
}

static bool holds(const struct path_condition *c)
{
    struct stat st;
    bool r = false;
    switch (c->kind) {
    case COND_PATH_EXISTS:
        r = access(c->path, F_OK) == 0;
        break;
    case COND_PATH_EXISTS_GLOB:
        r = glob_exists(c->path);
        break;
    case COND_PATH_IS_DIRECTORY:
        r = stat(c->path, &st) == 0 && S_ISDIR(st.st_mode);
        break;
    case COND_PATH_IS_SYMLINK:
        r = lstat(c->path, &st) == 0 && S_ISLNK(st.st_mode);
        break;
    case COND_DIRECTORY_NOT_EMPTY:
        r = dir_not_empty(c->path);
        break;
    case COND_FILE_NOT_EMPTY:
        r = stat(c->path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
        break;
    case COND_FILE_IS_EXECUTABLE:
        r = stat(c->path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) &&
            access(c->path, X_OK) == 0;
        break;
    case COND_PATH_IS_MOUNT_POINT:
        r = is_mount_point(c->path);
        break;
    case COND_PATH_IS_READ_WRITE:
        r = is_read_write(c->path);
        break;
    case COND_CAPABILITY:
        r = has_capability(c->path);
        break;
    case COND_VIRTUALIZATION:
        r = virtualization_is(c->path);
        break;
    case COND_AC_POWER:
        r = value_parse_bool(c->path) == condition_on_ac_power("/sys/class/power_supply");
        break;
    }
    return r != c->negate;
}

enum condition_result condition_check(const struct unit *u, const struct path_condition **what)
{
    const struct condition_list *l = &unit_cmds(u)->conditions;
    /* Asserts first: an assert failure is an error even when a condition
     * would also have skipped the unit. */
    for (int pass = 0; pass < 2; pass++) {
        bool want_assert = pass == 0;
        bool any_trigger = false, trigger_met = false;
        const struct path_condition *first_trigger = NULL;
        for (size_t i = 0; i < l->n; i++) {
            const struct path_condition *c = &l->v[i];
            if (c->is_assert != want_assert)
                continue;
            if (c->trigger) {
                any_trigger = true;
                if (!first_trigger)
                    first_trigger = c;
                if (holds(c))
                    trigger_met = true;
            } else if (!holds(c)) {
                *what = c;
                return want_assert ? CONDITION_ASSERT_FAILED : CONDITION_FAILED;
            }
        }
        if (any_trigger && !trigger_met) {
            *what = first_trigger;
            return want_assert ? CONDITION_ASSERT_FAILED : CONDITION_FAILED;
        }
    }
    return CONDITION_MET;
}

const char *condition_kind_name(enum condition_kind kind, bool is_assert)
{
    static const char *const names[][2] = {
        [COND_PATH_EXISTS] = {"ConditionPathExists", "AssertPathExists"},
        [COND_PATH_EXISTS_GLOB] = {"ConditionPathExistsGlob", "AssertPathExistsGlob"},
        [COND_PATH_IS_DIRECTORY] = {"ConditionPathIsDirectory", "AssertPathIsDirectory"},
        [COND_PATH_IS_SYMLINK] = {"ConditionPathIsSymbolicLink", "AssertPathIsSymbolicLink"},
        [COND_DIRECTORY_NOT_EMPTY] = {"ConditionDirectoryNotEmpty", "AssertDirectoryNotEmpty"},
        [COND_FILE_NOT_EMPTY] = {"ConditionFileNotEmpty", "AssertFileNotEmpty"},
        [COND_FILE_IS_EXECUTABLE] = {"ConditionFileIsExecutable", "AssertFileIsExecutable"},
        [COND_PATH_IS_MOUNT_POINT] = {"ConditionPathIsMountPoint", "AssertPathIsMountPoint"},
        [COND_PATH_IS_READ_WRITE] = {"ConditionPathIsReadWrite", "AssertPathIsReadWrite"},
        [COND_CAPABILITY] = {"ConditionCapability", "AssertCapability"},
        [COND_VIRTUALIZATION] = {"ConditionVirtualization", "AssertVirtualization"},
        [COND_AC_POWER] = {"ConditionACPower", "AssertACPower"},
    };
    return names[kind][is_assert ? 1 : 0];
}
