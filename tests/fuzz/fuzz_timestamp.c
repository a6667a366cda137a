/* fuzz_timestamp.c - timestamp_parse() (journalctl's --since syntax) on
 * any text, at a few "now"s.
 *
 * Properties: it never crashes or reads past the text; it fails only with
 * EINVAL or ENOMEM; it gives the same answer twice; and a result that is
 * not an "@" span is never past 9999-12-30 (systemd's formattable end).
 */
#include "fuzz.h"

#include <errno.h>

#include "base/timestamp.h"

static const uint64_t nows[] = {0, UINT64_C(1700000000123456), UINT64_C(253402214399000000)};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
        uint64_t a = 0, b = 0;
        errno = 0;
        int r = timestamp_parse(s, nows[i], &a);
        if (r < 0) {
            FUZZ_ASSERT(errno == EINVAL || errno == ENOMEM);
            continue;
        }
        FUZZ_ASSERT(r == 0);
        FUZZ_ASSERT(timestamp_parse(s, nows[i], &b) == 0 && a == b);
        if (s[0] != '@')
            FUZZ_ASSERT(a <= UINT64_C(253402214399000000));
    }
    free(s);
    return 0;
}
