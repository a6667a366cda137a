/* fuzz_tzfile.c - the TZif reader and the POSIX TZ string parser on any
 * bytes, and the conversions on whatever zone they accept.
 *
 * Properties: a malformed input fails with EINVAL (or ENOMEM), never
 * crashes; on an accepted zone tz_localtime() and tz_mktime() neither
 * crash nor loop, a time tz_mktime() returns converts back, and
 * localtime's tm_zone is a string of the zone.
 */
#include "fuzz.h"

#include <errno.h>

#include "base/tz_int.h"

static void exercise(struct tz *z, int64_t t)
{
    struct tm tm;
    if (!tz_localtime(z, t, &tm))
        return;
    FUZZ_ASSERT(tm.tm_zone != NULL && strlen(tm.tm_zone) < 256);
    FUZZ_ASSERT(tm.tm_mon >= 0 && tm.tm_mon < 12 && tm.tm_mday >= 1 && tm.tm_mday <= 31);
    for (int isdst = -1; isdst <= 1; isdst++) {
        struct tm in = tm;
        in.tm_isdst = isdst;
        int64_t r = tz_mktime(z, &in);
        if (r == INT64_MIN)
            continue;
        struct tm back;
        FUZZ_ASSERT(tz_localtime(z, r, &back));
    }
    /* Out-of-range fields carry over without overflow. */
    struct tm odd = tm;
    odd.tm_sec += 1000000;
    odd.tm_mon -= 30;
    odd.tm_isdst = -1;
    (void)tz_mktime(z, &odd);
}

static void exercise_zone(struct tz *z)
{
    static const int64_t times[] = {
        INT64_MIN,         -67768100567971200, -1,         0,          1,
        951782400,         1711846799,         1711846800, 2147483648, 4102444800,
        67767976233532799, INT64_MAX,
    };
    for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
        exercise(z, times[i]);
    for (size_t i = 0; i < z->ntrans && i < 32; i++) {
        exercise(z, z->trans[i] - 1);
        exercise(z, z->trans[i]);
    }
    int isdst;
    (void)tz_has_abbrev(z, "CET", &isdst);
    (void)tz_name(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    errno = 0;
    struct tz *z = tz_parse_buffer(data, size);
    if (z)
        exercise_zone(z);
    else
        FUZZ_ASSERT(errno == EINVAL || errno == ENOMEM);
    tz_free(z);

    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    errno = 0;
    z = tz_parse_posix(s);
    if (z)
        exercise_zone(z);
    else
        FUZZ_ASSERT(errno == EINVAL || errno == ENOMEM);
    tz_free(z);
    free(s);
    return 0;
}
