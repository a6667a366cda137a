/* pxtest-timestamp - prints what timestamp_parse() makes of each argument,
 * one line each, as systemd-analyze timestamp's "UNIX seconds:" line
 * shows it ("@SECONDS" or "@SECONDS.USEC"), or "error" when refused.
 * tests/timestamp_oracle.sh compares it with systemd's. */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "base/timestamp.h"

int main(int argc, char **argv)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
    for (int i = 1; i < argc; i++) {
        uint64_t usec;
        if (timestamp_parse(argv[i], now, &usec) < 0)
            printf("error\n");
        else if (usec % 1000000 == 0)
            printf("@%" PRIu64 "\n", usec / 1000000);
        else
            printf("@%" PRIu64 ".%06" PRIu64 "\n", usec / 1000000, usec % 1000000);
    }
    return 0;
}
