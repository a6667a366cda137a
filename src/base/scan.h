/* scan.h - the two sscanf(3) conversions pxinit used, without sscanf.
 *
 * glibc's scanf brings wide characters, iconv and every float parser
 * (strtof128 among them) into the static binary: 82 KB of it
 * (bench/results/issue20-size.txt). These read as "%Ns" and "%Nd" do. */
#ifndef PXINIT_SCAN_H
#define PXINIT_SCAN_H

#include <stddef.h>

/* As sscanf's "%Ns" with N = size - 1 (size > 1): skips white space, then
 * copies at most N characters up to the next white space into buf. Returns
 * where it stopped, or NULL when no word is left (buf is then untouched). */
const char *scan_word(const char *s, char *buf, size_t size);

/* As sscanf's "%Nd" (width 0: no limit): skips white space, then reads a
 * decimal number with an optional sign from at most width characters.
 * Returns where it stopped, or NULL when there is no number. */
const char *scan_int(const char *s, int width, int *out);

#endif
