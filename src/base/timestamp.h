/* timestamp.h - journalctl's time syntax (--since, --until; systemd.time(7)
 * "PARSING TIMESTAMPS"), as systemd 252's parse_timestamp() reads it:
 *
 *     2012-11-23 11:12:13   12-11-23 11:12   2012-11-23   11:12:13   11:12
 *     today  yesterday  tomorrow  now   +5min  -1h  5min ago  3h left
 *     @1395716396   Fri 2012-11-23   11:12:13.5   ... UTC   ... CET
 *     ... Europe/Berlin (a zone file name as the last word)
 *
 * Local times use the project's zone code (tz.h), never the process's TZ
 * state: "local" is tz_local(), a last word naming a file under
 * /usr/share/zoneinfo switches to that zone.
 */
#ifndef PXINIT_TIMESTAMP_H
#define PXINIT_TIMESTAMP_H

#include <stdint.h>

/* Parses s, with now_usec as "now" (Unix microseconds). *usec gets Unix
 * microseconds ("@infinity" gives UINT64_MAX, as systemd's). 0, or -1
 * with errno EINVAL (not a timestamp, or out of range) or ENOMEM. */
int timestamp_parse(const char *s, uint64_t now_usec, uint64_t *usec);

#endif
