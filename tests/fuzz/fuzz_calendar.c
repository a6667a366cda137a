/* fuzz_calendar.c - calendar_parse() on any text, then the normalized form
 * and next elapses of what it accepts.
 *
 * Properties: a rejection is one of systemd's errors (EINVAL, ERANGE,
 * ENOBUFS); the normalized form of an accepted spec parses again and
 * normalizes to itself; calendar_next() ends (no endless search) with an
 * elapse or one of its errors, from bases around DST changes and the
 * ends of the range.
 */
#include "fuzz.h"

#include <errno.h>
#include <string.h>

#include "base/calendar.h"

static const uint64_t bases[] = {
    0,
    UINT64_C(1700000000000000),   /* 2023-11-14 22:13:20 UTC */
    UINT64_C(1774744200000000),   /* 2026-03-29 00:30 UTC: Berlin's gap */
    UINT64_C(1792888200000001),   /* 2026-10-25 00:30 UTC: Berlin's repeat */
    UINT64_C(7258118399999999),   /* the end of 2199 */
    UINT64_C(253402214399999999), /* the last base systemd takes */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    struct calendar_spec *c = NULL;
    errno = 0;
    if (calendar_parse(s, &c) < 0) {
        FUZZ_ASSERT(errno == EINVAL || errno == ERANGE || errno == ENOBUFS || errno == ENOMEM);
        FUZZ_ASSERT(c == NULL);
        free(s);
        return 0;
    }
    char *norm = calendar_format(c);
    if (norm) {
        struct calendar_spec *again = NULL;
        FUZZ_ASSERT(calendar_parse(norm, &again) == 0);
        char *norm2 = calendar_format(again);
        FUZZ_ASSERT(!norm2 || strcmp(norm, norm2) == 0);
        free(norm2);
        calendar_free(again);
    }
    for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
        uint64_t next = 0, base = bases[i];
        for (int k = 0; k < 3; k++) {
            errno = 0;
            if (calendar_next(c, base, &next) < 0) {
                FUZZ_ASSERT(errno == ENOENT || errno == EDEADLK || errno == EINVAL);
                break;
            }
            base = next;
        }
    }
    free(norm);
    calendar_free(c);
    free(s);
    return 0;
}
