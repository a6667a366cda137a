/* scan.c - "%Ns" and "%Nd" as sscanf(3) reads them (scan.h says why). */
#include "base/scan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *scan_word(const char *s, char *buf, size_t size)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = 0;
    while (s[n] && !isspace((unsigned char)s[n]) && n + 1 < size)
        n++;
    if (n == 0)
        return NULL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return s + n;
}

const char *scan_int(const char *s, int width, int *out)
{
    while (isspace((unsigned char)*s))
        s++;
    /* scanf takes no more than width characters: strtol reads a copy. */
    char tmp[32];
    size_t max = width > 0 && (size_t)width < sizeof(tmp) ? (size_t)width : sizeof(tmp) - 1;
    size_t n = strnlen(s, max);
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (tmp[0] != '+' && tmp[0] != '-' && !isdigit((unsigned char)tmp[0]))
        return NULL;
    if ((tmp[0] == '+' || tmp[0] == '-') && !isdigit((unsigned char)tmp[1]))
        return NULL;
    char *end;
    long v = strtol(tmp, &end, 10);
    *out = (int)v;
    return s + (end - tmp);
}
