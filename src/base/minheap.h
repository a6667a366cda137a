/* minheap.h - a binary min-heap of items embedded in their owners.
 *
 * An item keeps its key and its position, so that it can be removed or
 * moved in O(log n) from wherever it sits: the timers of a clock use it to
 * find their nearest elapse (run/timer_clock.c). The heap holds pointers
 * only; it never owns the items.
 */
#ifndef PXINIT_MINHEAP_H
#define PXINIT_MINHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MINHEAP_NONE ((size_t)-1)

struct minheap_item {
    uint64_t key;
    size_t pos; /* MINHEAP_NONE while not in a heap */
};

struct minheap {
    struct minheap_item **v;
    size_t n, cap;
};

static inline void minheap_item_init(struct minheap_item *it)
{
    it->key = 0;
    it->pos = MINHEAP_NONE;
}

static inline bool minheap_item_queued(const struct minheap_item *it)
{
    return it->pos != MINHEAP_NONE;
}

/* Adds it with key, or moves it there when it is in h already. 0, or -1
 * with errno ENOMEM (then h and it are as they were). */
int minheap_set(struct minheap *h, struct minheap_item *it, uint64_t key);
/* Takes it out of h; nothing when it is not in it. */
void minheap_remove(struct minheap *h, struct minheap_item *it);
/* The item with the smallest key, NULL when h is empty. */
static inline struct minheap_item *minheap_top(const struct minheap *h)
{
    return h->n ? h->v[0] : NULL;
}
void minheap_free(struct minheap *h);

#endif
