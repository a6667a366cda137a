/* stamp.c - the time of each line of output (stamp.h). */
#include "output/stamp.h"

#include <time.h>

void clock_read(struct output_clock *c)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
        c->read_usec = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_stamp(struct output_clock *c)
{
    int64_t t = c->read_usec;
    /* Lines read in one go (or while the clock stands still) get 1 us
     * apart: a burst of thousands is still well under a second late. */
    if (t <= c->last_usec && t + 1000000 > c->last_usec)
        t = c->last_usec + 1;
    c->last_usec = t;
    return t;
}
