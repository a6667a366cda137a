/* timespan.h - systemd time spans ("5", "500ms", "1min 30s", "infinity"). */
#ifndef PXINIT_TIMESPAN_H
#define PXINIT_TIMESPAN_H

#include <stddef.h>
#include <stdint.h>

#define USEC_PER_SEC UINT64_C(1000000)
#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_INFINITY UINT64_MAX

/* Parses s as systemd does (systemd.time(7)): a sequence of numbers with
 * optional units (us, ms, s, sec, seconds, m, min, minutes, h, hr, hours,
 * d, days, w, weeks, M, months, y, years, with or without spaces), where a bare
 * number is in default_unit_usec (USEC_PER_SEC for *Sec= keys); "infinity" gives
 * USEC_INFINITY. Fractions are allowed ("1.5s"). Returns 0, or -1 with errno
 * EINVAL (malformed) or ERANGE (overflow). */
int timespan_parse(const char *s, uint64_t default_unit_usec, uint64_t *usec);

/* Formats usec as a short human string ("1min 30s", "500ms", "infinity") into
 * buf; returns buf. */
char *timespan_format(uint64_t usec, char *buf, size_t size);

#endif
