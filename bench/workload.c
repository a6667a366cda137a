/* workload.c - the main command of the entrypoint benchmarks, run under each
 * init as PID 1 of a fresh PID namespace.
 *
 *   workload storm N   N orphaned zombies at once: an intermediate forks N
 *                      children that exit at once, waits until all are
 *                      zombies, and exits, so PID 1 inherits them together.
 *                      Prints the microseconds from then until every one
 *                      is reaped: with STORM_PIDS naming the pids.current
 *                      of a pids cgroup the whole namespace runs in, until
 *                      the count is back where it was before the storm (a
 *                      zombie is counted until its reaping releases it; one
 *                      read costs next to nothing); without it, until
 *                      kill(-1, 0) finds nothing but PID 1 and us.
 *   workload rtt N     N times: signal PID 1 with SIGUSR1 and wait for the
 *                      forwarded SIGUSR1; prints the median in microseconds.
 *   workload idle      sleeps until killed (for the RSS measurement).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Zombie children of pid, from /proc (setup only, not timed). */
static int count_zombie_children(pid_t parent)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent, parent);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    int n = 0, pid;
    while (fscanf(f, "%d", &pid) == 1) {
        char sp[64], buf[256];
        snprintf(sp, sizeof(sp), "/proc/%d/stat", pid);
        FILE *s = fopen(sp, "re");
        if (!s)
            continue;
        if (fgets(buf, sizeof(buf), s)) {
            char *rp = strrchr(buf, ')');
            if (rp && rp[2] == 'Z')
                n++;
        }
        fclose(s);
    }
    fclose(f);
    return n;
}

/* The number in a pids.current file, or -1. */
static long read_count(int fd)
{
    char buf[32];
    ssize_t len = pread(fd, buf, sizeof(buf) - 1, 0);
    if (len <= 0)
        return -1;
    buf[len] = 0;
    return strtol(buf, NULL, 10);
}

/* Until the orphans are all reaped. kill(-1, 0) walks every task under the
 * tasklist lock that each reap must take for writing: polled every 20 µs
 * with 10,000 zombies it held the reaper to one reap per walk, and every
 * init measured the probe (550-1,400 ms, the ideal reaper too; 110-210 ms
 * polled once a millisecond). pids.current is a counter. */
static void wait_reaped(int cg, long before)
{
    if (cg >= 0) {
        struct timespec nap = {0, 20000};
        while (read_count(cg) > before)
            nanosleep(&nap, NULL);
        return;
    }
    struct timespec nap = {0, 1000000};
    while (kill(-1, 0) == 0)
        nanosleep(&nap, NULL);
}

static int storm(int n)
{
    const char *cg_path = getenv("STORM_PIDS");
    int cg = cg_path ? open(cg_path, O_RDONLY | O_CLOEXEC) : -1;
    long before = cg >= 0 ? read_count(cg) : -1;
    if (cg_path && before < 0) {
        fprintf(stderr, "storm: cannot read %s\n", cg_path);
        return 1;
    }
    int pfd[2];
    if (pipe(pfd) < 0)
        return 1;
    pid_t mid = fork();
    if (mid == 0) {
        close(pfd[0]);
        for (int i = 0; i < n; i++) {
            pid_t c = fork();
            if (c == 0)
                _exit(0);
            if (c < 0) {
                perror("fork");
                _exit(1);
            }
        }
        while (count_zombie_children(getpid()) < n)
            usleep(1000);
        double t0 = now_us();
        if (write(pfd[1], &t0, sizeof(t0)) != sizeof(t0))
            _exit(1);
        _exit(0); /* the n zombies go to PID 1 now */
    }
    close(pfd[1]);
    double t0;
    if (read(pfd[0], &t0, sizeof(t0)) != sizeof(t0))
        return 1;
    waitpid(mid, NULL, 0); /* our own child; the n orphans are PID 1's */
    wait_reaped(cg, before);
    printf("%.0f\n", now_us() - t0);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int rtt(int n)
{
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    double *t = calloc((size_t)n, sizeof(*t));
    if (!t)
        return 1;
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        kill(1, SIGUSR1);
        struct timespec to = {2, 0};
        if (sigtimedwait(&usr1, NULL, &to) < 0) {
            fprintf(stderr, "rtt: no forwarded signal (%s)\n", strerror(errno));
            return 1;
        }
        t[i] = now_us() - t0;
    }
    qsort(t, (size_t)n, sizeof(*t), cmp);
    printf("%.1f\n", t[n / 2]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "storm") == 0)
        return storm(atoi(argv[2]));
    if (argc >= 3 && strcmp(argv[1], "rtt") == 0)
        return rtt(atoi(argv[2]));
    if (argc >= 2 && strcmp(argv[1], "idle") == 0) {
        for (;;)
            pause();
    }
    fprintf(stderr, "usage: workload storm N | rtt N | idle\n");
    return 2;
}
