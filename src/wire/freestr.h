/* freestr.h - the two string helpers of the code that runs without a C
 * library (the status line, the verb table, the libc-free status entry):
 * inline, so that nothing they link needs a symbol from outside. */
#ifndef PXINIT_FREESTR_H
#define PXINIT_FREESTR_H

#include <stdbool.h>
#include <stddef.h>

static inline size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static inline bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

#endif
