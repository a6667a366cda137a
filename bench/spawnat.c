/* spawnat.c - the floor of "elapse to exec": a loop that sleeps until a
 * realtime instant and starts a program, nothing else.
 *
 *   spawnat PERIOD OFFSET COUNT PROG [ARG...]
 *
 * COUNT times: sleeps (clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME) until
 * the next instant that is OFFSET seconds past a multiple of PERIOD seconds
 * (both may have fractions), then posix_spawn()s PROG and waits for it.
 * bench/timers.sh runs it beside pxinit with bench/tstamp.c as PROG: what
 * pxinit adds to an elapse is its delay minus this one's, on the same
 * machine at the same time.
 */
#define _GNU_SOURCE
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: spawnat PERIOD OFFSET COUNT PROG [ARG...]\n");
        return 2;
    }
    double period = atof(argv[1]), offset = atof(argv[2]);
    long count = atol(argv[3]);
    if (period <= 0)
        return 2;
    for (long k = 0; k < count; k++) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        double t = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
        double next = floor((t - offset) / period + 1) * period + offset;
        struct timespec at = {(time_t)next, (long)((next - floor(next)) * 1e9)};
        while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL) != 0)
            ;
        pid_t pid;
        if (posix_spawn(&pid, argv[4], NULL, NULL, argv + 4, environ) != 0) {
            perror("posix_spawn");
            return 1;
        }
        int st;
        while (waitpid(pid, &st, 0) < 0)
            ;
    }
    return 0;
}
