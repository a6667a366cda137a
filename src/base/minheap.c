/* minheap.c - the binary min-heap (minheap.h). */
#include "base/minheap.h"

#include <errno.h>
#include <stdlib.h>

static void place(struct minheap *h, size_t i, struct minheap_item *it)
{
    h->v[i] = it;
    it->pos = i;
}

static void sift_up(struct minheap *h, size_t i)
{
    struct minheap_item *it = h->v[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->v[parent]->key <= it->key)
            break;
        place(h, i, h->v[parent]);
        i = parent;
    }
    place(h, i, it);
}

static void sift_down(struct minheap *h, size_t i)
{
    struct minheap_item *it = h->v[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1]->key < h->v[c]->key)
            c++;
        if (it->key <= h->v[c]->key)
            break;
        place(h, i, h->v[c]);
        i = c;
    }
    place(h, i, it);
}

int minheap_set(struct minheap *h, struct minheap_item *it, uint64_t key)
{
    if (minheap_item_queued(it)) {
        uint64_t old = it->key;
        it->key = key;
        if (key < old)
            sift_up(h, it->pos);
        else
            sift_down(h, it->pos);
        return 0;
    }
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        struct minheap_item **v = realloc(h->v, cap * sizeof(*v));
        if (!v) {
            errno = ENOMEM;
            return -1;
        }
        h->v = v;
        h->cap = cap;
    }
    it->key = key;
    place(h, h->n++, it);
    sift_up(h, it->pos);
    return 0;
}

void minheap_remove(struct minheap *h, struct minheap_item *it)
{
    if (!minheap_item_queued(it))
        return;
    size_t i = it->pos;
    it->pos = MINHEAP_NONE;
    struct minheap_item *last = h->v[--h->n];
    if (last == it)
        return;
    place(h, i, last);
    if (i > 0 && h->v[(i - 1) / 2]->key > last->key)
        sift_up(h, i);
    else
        sift_down(h, i);
}

void minheap_free(struct minheap *h)
{
    for (size_t i = 0; i < h->n; i++)
        h->v[i]->pos = MINHEAP_NONE;
    free(h->v);
    *h = (struct minheap){0};
}
