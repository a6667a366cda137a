/* fuzz_timespan.c - timespan_parse() on any text, in each default unit.
 *
 * Properties: a parsed span formats to text that parses back to the same
 * span (timespan_format() only writes names the parser takes), and the
 * formatter never overruns however small its buffer.
 */
#include "fuzz.h"

#include <errno.h>

#include "base/timespan.h"

static const uint64_t default_units[] = {1, USEC_PER_MSEC, USEC_PER_SEC, 60 * USEC_PER_SEC};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    for (size_t i = 0; i < sizeof(default_units) / sizeof(default_units[0]); i++) {
        uint64_t usec = 0, again = 0;
        errno = 0;
        if (timespan_parse(s, default_units[i], &usec) < 0) {
            FUZZ_ASSERT(errno == EINVAL || errno == ERANGE);
            continue;
        }
        char buf[128];
        timespan_format(usec, buf, sizeof(buf));
        FUZZ_ASSERT(timespan_parse(buf, default_units[i], &again) == 0);
        FUZZ_ASSERT(again == usec);
        /* Every length of a short buffer: always terminated, never beyond. */
        for (size_t n = 1; n <= 16; n++) {
            char *small = malloc(n);
            if (!small)
                break;
            timespan_format(usec, small, n);
            FUZZ_ASSERT(memchr(small, '\0', n) != NULL);
            FUZZ_ASSERT(strncmp(small, buf, strlen(small)) == 0);
            free(small);
        }
    }
    free(s);
    return 0;
}
