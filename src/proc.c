/* proc.c - pidfds, process groups and children from /proc. */
#include "proc.h"

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

bool proc_group_alive(pid_t pgid)
{
    if (pgid <= 1)
        return false;
    return kill(-pgid, 0) == 0 || errno == EPERM;
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

/* Reads the parent pid from /proc/PID/stat: after the last ')' of the name. */
static pid_t stat_ppid(const char *pid)
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
    int ppid;
    char state;
    if (!rp || sscanf(rp + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
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
