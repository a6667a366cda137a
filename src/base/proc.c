/* proc.c - pidfds, process groups and children from /proc. */
#include "base/proc.h"
#include "base/scan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int proc_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
    /* pidfds are always close-on-exec. */
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int proc_signal(int pidfd, pid_t pid, int sig)
{
#ifdef SYS_pidfd_send_signal
    if (pidfd >= 0)
        return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
    (void)pidfd;
#endif
    return kill(pid, sig);
}

int proc_signal_group(pid_t pgid, pid_t pid, int pidfd, int sig)
{
    /* 0 and 1 are no groups: kill(0) is our own group, kill(-1) everyone. */
    if (pgid > 1 && kill(-pgid, sig) == 0)
        return 0;
    if (pid > 0)
        return proc_signal(pidfd, pid, sig);
    if (pgid <= 1)
        errno = ESRCH;
    return -1;
}

/* Entries are NUL-separated and read in chunks: an entry is compared by its
 * first bytes only, so a huge environment costs reads, not memory. */
bool proc_env_value(pid_t pid, const char *key, char *out, size_t outsz)
{
    char path[64], chunk[4096], entry[256];
    size_t klen = strlen(key), elen = 0, total = 0;
    bool overflow = false;
    if (klen + 1 + outsz > sizeof(entry))
        return false;
    snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return false;
    bool found = false;
    while (!found && total < PROC_ENV_MAX_BYTES) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        total += (size_t)n;
        for (ssize_t i = 0; i < n && !found; i++) {
            if (chunk[i] != '\0') {
                if (elen < klen + outsz)
                    entry[elen++] = chunk[i];
                else
                    overflow = true;
                continue;
            }
            if (!overflow && elen > klen && memcmp(entry, key, klen) == 0 && entry[klen] == '=') {
                memcpy(out, entry + klen + 1, elen - klen - 1);
                out[elen - klen - 1] = '\0';
                found = true;
            }
            elen = 0;
            overflow = false;
        }
    }
    close(fd);
    return found;
}

bool proc_has_env(pid_t pid, const char *key, const char *value)
{
    char got[128];
    size_t vl = strlen(value);
    if (vl >= sizeof(got))
        return false;
    return proc_env_value(pid, key, got, vl + 2) && strcmp(got, value) == 0;
}

/* Reads the parent, process group and session of pid from /proc/PID/stat:
 * after the last ')' of the name. 0, or -1 (gone, no /proc). */
static int stat_ids(const char *pid, pid_t *ppid, pid_t *pgrp, pid_t *sid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    int parent, group, session;
    char state;
    /* As sscanf(rp + 1, " %c %d %d %d") (base/scan.h). */
    const char *p = rp ? rp + 1 : NULL;
    while (p && isspace((unsigned char)*p))
        p++;
    if (!p || !(state = *p++) || !(p = scan_int(p, 0, &parent)) || !(p = scan_int(p, 0, &group)) ||
        !scan_int(p, 0, &session))
        return -1;
    *ppid = (pid_t)parent;
    *pgrp = (pid_t)group;
    *sid = (pid_t)session;
    return 0;
}

static pid_t stat_ppid(const char *pid)
{
    pid_t ppid, pgrp, sid;
    return stat_ids(pid, &ppid, &pgrp, &sid) < 0 ? -1 : ppid;
}

bool proc_in_group(pid_t pid, pid_t id)
{
    char name[16];
    pid_t ppid, pgrp, sid;
    snprintf(name, sizeof(name), "%d", (int)pid);
    return id > 1 && stat_ids(name, &ppid, &pgrp, &sid) == 0 && (pgrp == id || sid == id);
}

/* Calls visit for each pid listed in one task's children file, until it
 * returns true; returns that pid, 0 when none, -1 when the file is missing
 * (no CONFIG_PROC_CHILDREN). */
static pid_t children_of_task(const char *tid, bool (*visit)(pid_t pid, void *ctx), void *ctx)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/self/task/%s/children", tid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    pid_t found = 0;
    long cur = 0; /* a number may span two reads */
    ssize_t n;
    while (!found && (n = read(fd, buf, sizeof(buf))) > 0) {
        for (ssize_t i = 0; i < n && !found; i++) {
            if (buf[i] >= '0' && buf[i] <= '9') {
                cur = cur * 10 + (buf[i] - '0');
            } else if (cur > 0) {
                if (visit((pid_t)cur, ctx))
                    found = (pid_t)cur;
                cur = 0;
            }
        }
    }
    if (!found && cur > 0 && visit((pid_t)cur, ctx))
        found = (pid_t)cur;
    close(fd);
    return found;
}

struct member_search {
    pid_t id, except;
    bool (*candidate)(pid_t pid, void *ctx);
    void *ctx;
};

static bool is_member(pid_t pid, void *ctx)
{
    const struct member_search *m = ctx;
    return pid != m->except && (!m->candidate || m->candidate(pid, m->ctx)) &&
           proc_in_group(pid, m->id);
}

pid_t proc_find_member(pid_t id, pid_t except, bool (*candidate)(pid_t pid, void *ctx), void *ctx)
{
    struct member_search m = {id, except, candidate, ctx};
    /* The children files list pxinit's children only, not every process. */
    DIR *d = opendir("/proc/self/task");
    pid_t found = 0;
    bool listed = d != NULL;
    struct dirent *de;
    while (d && !found && (de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        pid_t r = children_of_task(de->d_name, is_member, &m);
        if (r < 0)
            listed = false;
        else
            found = r;
    }
    if (d)
        closedir(d);
    if (found || listed)
        return found;
    /* Without them: every process's stat, for its parent. */
    d = opendir("/proc");
    if (!d)
        return 0;
    pid_t self = getpid();
    while (!found && (de = readdir(d))) {
        pid_t ppid, pgrp, sid;
        if (!isdigit((unsigned char)de->d_name[0]) || stat_ids(de->d_name, &ppid, &pgrp, &sid) < 0)
            continue;
        pid_t pid = (pid_t)atoi(de->d_name);
        if (ppid == self && pid != except && (pgrp == id || sid == id) &&
            (!candidate || candidate(pid, ctx)))
            found = pid;
    }
    closedir(d);
    return found;
}

pid_t proc_parent(pid_t pid)
{
    char name[16];
    snprintf(name, sizeof(name), "%d", (int)pid);
    return stat_ppid(name);
}

int proc_for_each_child(void (*fn)(pid_t pid, void *ctx), void *ctx)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    pid_t self = getpid();
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!isdigit((unsigned char)de->d_name[0]))
            continue;
        if (stat_ppid(de->d_name) == self) {
            count++;
            if (fn)
                fn((pid_t)atoi(de->d_name), ctx);
        }
    }
    closedir(d);
    return count;
}
