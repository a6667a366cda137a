/* ratelimit.h - how many warnings the senders of something (a datagram,
 * a request) may cause: at most `burst` per `interval` for each of the last
 * RATELIMIT_SENDERS senders, and `total` over all of them, so that a flood
 * from any local process costs PID 1 a few log lines a second. What is held
 * back is counted and handed to the next warning allowed. Pure: the time
 * is a parameter. */
#ifndef PXINIT_RATELIMIT_H
#define PXINIT_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define RATELIMIT_SENDERS 8

struct ratelimit_sender {
    int64_t key;
    double window; /* start of its interval; 0: the slot is free */
    unsigned count;
};

struct ratelimit {
    double interval;
    unsigned burst, total;
    double window;      /* start of the interval for all senders */
    unsigned count;     /* warnings allowed in it */
    unsigned long held; /* warnings held back since the last one allowed */
    struct ratelimit_sender s[RATELIMIT_SENDERS];
};

void ratelimit_init(struct ratelimit *rl, double interval, unsigned burst, unsigned total);
/* Whether a warning about sender key may be logged at time now (seconds,
 * positive). When it may, *held is how many were held back before it
 * (then reset to 0). */
bool ratelimit_allow(struct ratelimit *rl, int64_t key, double now, unsigned long *held);

#endif
