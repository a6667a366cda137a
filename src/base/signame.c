/* signame.c - signal names <-> numbers, the way users write them.
 *
 * Names are matched case-insensitively, with or without "SIG", against the
 * table in signame_table.c; real-time signals are "RTMIN", "RTMIN+n",
 * "RTMAX", "RTMAX-n" relative to the C library's SIGRTMIN/SIGRTMAX (which
 * are run-time values, since glibc reserves the first few for itself).
 */
#include "base/signame.h"

#include <signal.h>
#include <strings.h>

/* Parses a small non-negative decimal number filling all of s; -1 otherwise. */
static int signal_parse_number(const char *s)
{
    long v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > 1000)
            return -1;
    }
    return (int)v;
}

/* "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (no SIG prefix, any case). */
static int signal_parse_rt(const char *s)
{
    int base, sign, n;

    if (strncasecmp(s, "RTMIN", 5) == 0) {
        base = SIGRTMIN;
        sign = 1;
    } else if (strncasecmp(s, "RTMAX", 5) == 0) {
        base = SIGRTMAX;
        sign = -1;
    } else {
        return -1;
    }
    s += 5;
    if (*s == '\0')
        return base;
    if (*s != (sign > 0 ? '+' : '-'))
        return -1;
    n = signal_parse_number(s + 1);
    if (n < 0 || n > SIGRTMAX - SIGRTMIN)
        return -1;
    return base + sign * n;
}

int signal_from_string(const char *s)
{
    int n;

    if (!s || *s == '\0')
        return -1;
    n = signal_parse_number(s);
    if (n >= 0)
        return n >= 1 && n <= SIGRTMAX ? n : -1;
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    n = signame_number(s);
    return n > 0 ? n : signal_parse_rt(s);
}

const char *signal_to_name(int sig)
{
    return signame_of(sig, SIGRTMIN, SIGRTMAX);
}
