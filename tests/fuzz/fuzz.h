/* fuzz.h - what every harness in tests/fuzz/ shares.
 *
 * Each fuzz_NAME.c defines LLVMFuzzerTestOneInput(), the libFuzzer entry
 * point. run.sh links it with libFuzzer (clang, ASan+UBSan) for long runs;
 * replay.c links it with a small main() that feeds every file of the corpus
 * once, so `make check` replays the corpus (and every crash found so far)
 * with the build's own compiler.
 */
#ifndef PXINIT_FUZZ_H
#define PXINIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data as a NUL-terminated string (cut at its first NUL, as C readers see
 * it); free() it. NULL when out of memory. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* A failed property: abort() so both libFuzzer and the replay report it. */
#define FUZZ_ASSERT(cond)                         \
    do {                                          \
        if (!(cond))                              \
            fuzz_fail(__FILE__, __LINE__, #cond); \
    } while (0)
__attribute__((noreturn)) static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
    abort();
}

#endif
