/* tz_file.c - the TZif format (tzfile(5), RFC 8536, versions 1 to 4): the
 * bytes of a zone file into a struct tz.
 *
 * A version 2+ file holds its data twice; only the second, 64-bit copy is
 * read, then the footer, a POSIX TZ string for the times after the last
 * transition. Every count is checked against the bytes there are before
 * anything is allocated, and every index against what it indexes: a
 * malformed file is EINVAL, never a crash.
 */
#include "base/tz_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TZIF_HEADER 44

/* Here, beside the allocations it undoes. */
void tz_free(struct tz *z)
{
    if (!z || z->is_static)
        return;
    int saved = errno;
    free(z->name);
    free(z->trans);
    free(z->trans_type);
    free(z->types);
    free(z->abbrs);
    free(z->leaps);
    free(z);
    errno = saved;
}

struct tzif_counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t get64(const uint8_t *p)
{
    return (int64_t)((uint64_t)get32(p) << 32 | get32(p + 4));
}

static int read_header(const uint8_t *p, size_t len, struct tzif_counts *c, char *version)
{
    if (len < TZIF_HEADER || memcmp(p, "TZif", 4) != 0)
        return -1;
    *version = (char)p[4];
    c->isut = get32(p + 20);
    c->isstd = get32(p + 24);
    c->leap = get32(p + 28);
    c->time = get32(p + 32);
    c->type = get32(p + 36);
    c->chars = get32(p + 40);
    /* RFC 8536 wants them 0 or typecnt; glibc takes up to typecnt. */
    if (c->type == 0 || c->chars == 0 || c->isut > c->type || c->isstd > c->type)
        return -1;
    return 0;
}

/* The bytes of a data block whose times are width bytes wide. Counts are
 * 32-bit, so this cannot overflow 64 bits. */
static uint64_t block_size(const struct tzif_counts *c, unsigned width)
{
    return (uint64_t)c->time * (width + 1) + (uint64_t)c->type * 6 + c->chars +
           (uint64_t)c->leap * (width + 4) + c->isstd + c->isut;
}

static int read_block(struct tz *z, const uint8_t *p, const struct tzif_counts *c, unsigned width)
{
    z->ntrans = c->time;
    z->ntypes = c->type;
    z->nabbrs = c->chars;
    z->nleaps = c->leap;
    /* +1: calloc(0) may return NULL. */
    z->trans = calloc(z->ntrans + 1, sizeof(*z->trans));
    z->trans_type = calloc(z->ntrans + 1, 1);
    z->types = calloc(z->ntypes, sizeof(*z->types));
    z->abbrs = malloc(z->nabbrs);
    z->leaps = calloc(z->nleaps + 1, sizeof(*z->leaps));
    if (!z->trans || !z->trans_type || !z->types || !z->abbrs || !z->leaps) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < z->ntrans; i++, p += width) {
        z->trans[i] = width == 8 ? get64(p) : (int32_t)get32(p);
        if (i > 0 && z->trans[i] <= z->trans[i - 1])
            goto bad;
    }
    for (size_t i = 0; i < z->ntrans; i++, p++) {
        z->trans_type[i] = *p;
        if (*p >= z->ntypes)
            goto bad;
    }
    const uint8_t *types = p;
    p += z->ntypes * 6;
    memcpy(z->abbrs, p, z->nabbrs);
    p += z->nabbrs;
    for (size_t i = 0; i < z->ntypes; i++) {
        const uint8_t *t = types + i * 6;
        z->types[i].off = (int32_t)get32(t);
        if (t[4] > 1 || t[5] >= z->nabbrs || z->types[i].off == INT32_MIN)
            goto bad;
        z->types[i].isdst = t[4];
        z->types[i].abbr = t[5];
        /* The abbreviation must end inside the block. */
        if (!memchr(z->abbrs + t[5], '\0', z->nabbrs - t[5]))
            goto bad;
    }
    for (size_t i = 0; i < z->nleaps; i++, p += width + 4) {
        z->leaps[i].when = width == 8 ? get64(p) : (int32_t)get32(p);
        z->leaps[i].corr = (int32_t)get32(p + width);
        if (i > 0 && z->leaps[i].when <= z->leaps[i - 1].when)
            goto bad;
    }
    /* The standard/wall and UT/local indicators only matter to a POSIX
     * string without rules read against posixrules; not done here. */
    return 0;
bad:
    errno = EINVAL;
    return -1;
}

struct tz *tz_parse_buffer(const void *data, size_t len)
{
    const uint8_t *p = data;
    struct tzif_counts c;
    char version;
    struct tz *z = NULL;
    if (read_header(p, len, &c, &version) < 0)
        goto bad;
    uint64_t size = block_size(&c, 4);
    if (size > len - TZIF_HEADER)
        goto bad;
    unsigned width = 4;
    if (version != '\0') {
        /* Version 2 and later: skip to the second header and its 64-bit data. */
        p += TZIF_HEADER + size;
        len -= TZIF_HEADER + size;
        if (read_header(p, len, &c, &version) < 0)
            goto bad;
        width = 8;
        size = block_size(&c, 8);
        if (size > len - TZIF_HEADER)
            goto bad;
    }
    z = calloc(1, sizeof(*z));
    if (!z) {
        errno = ENOMEM;
        return NULL;
    }
    if (read_block(z, p + TZIF_HEADER, &c, width) < 0)
        goto fail;
    if (width == 8) {
        /* The footer: "\n" TZ-string "\n"; an empty string means none. */
        const char *f = (const char *)p + TZIF_HEADER + size;
        size_t rest = len - TZIF_HEADER - (size_t)size;
        const char *end = rest > 1 && f[0] == '\n' ? memchr(f + 1, '\n', rest - 1) : NULL;
        if (!end)
            goto bad;
        size_t flen = (size_t)(end - f - 1);
        if (flen > 0) {
            char spec[128];
            if (flen >= sizeof(spec) || memchr(f + 1, '\0', flen))
                goto bad;
            memcpy(spec, f + 1, flen);
            spec[flen] = '\0';
            if (tz_rule_parse(spec, &z->rule) < 0)
                goto bad;
            z->has_rule = true;
        }
    }
    return z;
bad:
    errno = EINVAL;
fail:
    tz_free(z);
    return NULL;
}
