/* stamp.h - the time of each line of output (journalctl's
 * __REALTIME_TIMESTAMP): the realtime clock, read once per read from a
 * pipe (not per line), and stamps that only grow across the instance's
 * units, so that time alone orders lines as they were read. */
#ifndef PXINIT_OUTPUT_STAMP_H
#define PXINIT_OUTPUT_STAMP_H

#include <stdint.h>

struct output_clock {
    int64_t read_usec; /* realtime of the last read, Unix microseconds */
    int64_t last_usec; /* stamp of the last line */
};

/* Reads the realtime clock (a read from a pipe brought bytes). */
void clock_read(struct output_clock *c);
/* The stamp of a line read now: the last read's time, made later than the
 * last line's; a clock set back by more than a second is taken as it is. */
int64_t clock_stamp(struct output_clock *c);

#endif
