/* ratelimit.c - per-sender and overall limits on warnings (ratelimit.h). */
#include "base/ratelimit.h"

#include <string.h>

void ratelimit_init(struct ratelimit *rl, double interval, unsigned burst, unsigned total)
{
    memset(rl, 0, sizeof(*rl));
    rl->interval = interval;
    rl->burst = burst;
    rl->total = total;
}

/* The sender's slot: its own, or the one used longest ago. */
static struct ratelimit_sender *sender_of(struct ratelimit *rl, int64_t key)
{
    struct ratelimit_sender *oldest = &rl->s[0];
    for (unsigned i = 0; i < RATELIMIT_SENDERS; i++) {
        struct ratelimit_sender *s = &rl->s[i];
        if (s->window > 0 && s->key == key)
            return s;
        if (s->window < oldest->window)
            oldest = s;
    }
    oldest->key = key;
    oldest->window = 0;
    oldest->count = 0;
    return oldest;
}

bool ratelimit_allow(struct ratelimit *rl, int64_t key, double now, unsigned long *held)
{
    struct ratelimit_sender *s = sender_of(rl, key);
    if (s->window <= 0 || now - s->window >= rl->interval || now < s->window) {
        s->window = now;
        s->count = 0;
    }
    if (rl->window <= 0 || now - rl->window >= rl->interval || now < rl->window) {
        rl->window = now;
        rl->count = 0;
    }
    if (s->count >= rl->burst || rl->count >= rl->total) {
        rl->held++;
        return false;
    }
    s->count++;
    rl->count++;
    *held = rl->held;
    rl->held = 0;
    return true;
}
