/* ctxtlog.c - when processes wake up: their context switches over time.
 *
 *   ctxtlog SECS STEP_MS PID...
 *
 * Every STEP_MS for SECS seconds, reads voluntary_ctxt_switches +
 * nonvoluntary_ctxt_switches of every thread of each PID
 * (/proc/PID/task/TID/status) and prints a line "REALTIME C1 C2 ..." (the
 * counts, one column per PID) whenever a count changed, plus the first and
 * the last sample. A sleeping process has no switches; each wakeup adds one
 * (voluntary when it goes back to sleep, nonvoluntary when it was
 * preempted), so the lines say when each process woke. Reading /proc does
 * not wake the process read. A PID that is gone reads -1.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long ctxt_of_task(const char *path)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return 0;
    char line[256];
    long v, sum = 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
            sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
            sum += v;
    fclose(f);
    return sum;
}

static long ctxt_of(const char *pid)
{
    char dir[64];
    snprintf(dir, sizeof(dir), "/proc/%s/task", pid);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    long sum = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[128];
        snprintf(path, sizeof(path), "%s/%s/status", dir, de->d_name);
        sum += ctxt_of_task(path);
    }
    closedir(d);
    return sum;
}

static double now_real(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: ctxtlog SECS STEP_MS PID...\n");
        return 2;
    }
    double secs = atof(argv[1]);
    long step_ms = atol(argv[2]);
    int n = argc - 3;
    long *last = calloc((size_t)n, sizeof(*last)), *cur = calloc((size_t)n, sizeof(*cur));
    if (!last || !cur || step_ms <= 0)
        return 1;
    double end = now_real() + secs;
    struct timespec step = {step_ms / 1000, (step_ms % 1000) * 1000000L};
    for (int first = 1;; first = 0) {
        double t = now_real();
        int changed = first, done = t >= end;
        for (int i = 0; i < n; i++) {
            cur[i] = ctxt_of(argv[3 + i]);
            changed |= cur[i] != last[i];
            last[i] = cur[i];
        }
        if (changed || done) {
            printf("%.6f", t);
            for (int i = 0; i < n; i++)
                printf(" %ld", cur[i]);
            printf("\n");
            fflush(stdout);
        }
        if (done)
            break;
        nanosleep(&step, NULL);
    }
    free(last);
    free(cur);
    return 0;
}
