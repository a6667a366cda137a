/* pidmap.c - open addressing with linear probing and backward-shift deletion
 * (no tombstones, so lookups stay short however many pids come and go). */
#include "base/pidmap.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(pid_t pid, size_t cap)
{
    /* Fibonacci hashing spreads consecutive pids. */
    uint32_t h = (uint32_t)pid * UINT32_C(2654435769);
    return (size_t)h & (cap - 1);
}

static int pidmap_grow(struct pidmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct pid_entry *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].pid == 0)
            continue;
        size_t j = slot_of(m->slots[i].pid, cap);
        while (slots[j].pid != 0)
            j = (j + 1) & (cap - 1);
        slots[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

int pidmap_put(struct pidmap *m, pid_t pid, enum pid_role role, void *owner)
{
    if (pid <= 0) {
        errno = EINVAL;
        return -1;
    }
    if ((m->count + 1) * 4 > m->cap * 3 && pidmap_grow(m) < 0)
        return -1;
    size_t i = slot_of(pid, m->cap);
    while (m->slots[i].pid != 0 && m->slots[i].pid != pid)
        i = (i + 1) & (m->cap - 1);
    if (m->slots[i].pid == 0)
        m->count++;
    m->slots[i] = (struct pid_entry){.pid = pid, .role = role, .owner = owner};
    return 0;
}

struct pid_entry *pidmap_get(const struct pidmap *m, pid_t pid)
{
    if (m->cap == 0 || pid <= 0)
        return NULL;
    size_t i = slot_of(pid, m->cap);
    while (m->slots[i].pid != 0) {
        if (m->slots[i].pid == pid)
            return &m->slots[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

void pidmap_del(struct pidmap *m, pid_t pid)
{
    struct pid_entry *e = pidmap_get(m, pid);
    if (!e)
        return;
    size_t mask = m->cap - 1;
    size_t hole = (size_t)(e - m->slots);
    size_t i = hole;
    m->slots[hole].pid = 0;
    m->count--;
    /* Shift later members of the probe run back into the hole. */
    for (;;) {
        i = (i + 1) & mask;
        if (m->slots[i].pid == 0)
            return;
        size_t home = slot_of(m->slots[i].pid, m->cap);
        /* Move the entry when its home is not in (hole, i]. */
        if (((i - home) & mask) >= ((i - hole) & mask)) {
            m->slots[hole] = m->slots[i];
            m->slots[i].pid = 0;
            hole = i;
        }
    }
}

void pidmap_free(struct pidmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
}
