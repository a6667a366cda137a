/* tz.c - finding and loading zones by name, the local zone and UTC, and
 * the questions about a zone's names (tz.h). The TZif reader is
 * tz_file.c (which also frees zones), POSIX TZ strings tz_rule.c, the
 * conversions tz_conv.c.
 *
 * Names resolve as glibc resolves $TZ: a leading ':' is dropped, an
 * absolute path is a file, anything else a file under $TZDIR (default
 * /usr/share/zoneinfo) and, when there is no such file, a POSIX TZ string.
 */
#include "base/tz.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/file_read.h"
#include "base/tz_int.h"

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_LOCALTIME "/etc/localtime"

/* UTC as a rule alone: never freed, shared by all. */
static struct tz utc_zone = {
    .name = (char *)"UTC",
    .is_static = true,
    .has_rule = true,
    .rule = {.std = "UTC", .dst = "UTC"},
};

/* The local zone, once read (tz_local()). */
static struct tz *local_zone;

const struct tz *tz_utc(void)
{
    return &utc_zone;
}

static struct tz *load_file(const char *path)
{
    size_t len;
    char *buf = file_read_regular(path, TZ_FILE_MAX, &len);
    if (!buf) {
        /* A directory, a device or a huge file is no zone file. */
        if (errno == EISDIR || errno == EFBIG)
            errno = EINVAL;
        return NULL;
    }
    struct tz *z = tz_parse_buffer(buf, len);
    int saved = errno;
    free(buf);
    errno = saved;
    return z;
}

/* The zone spec names, not yet named. */
static struct tz *load_spec(const char *spec, bool local)
{
    if (*spec == ':')
        spec++;
    /* glibc: an empty TZ, or ":", is UTC. */
    if (*spec == '\0' || strcmp(spec, "UTC") == 0)
        return tz_parse_posix("UTC0");
    if (strstr(spec, "..")) {
        errno = EINVAL;
        return NULL;
    }
    if (spec[0] == '/') {
        struct tz *z = load_file(spec);
        /* No /etc/localtime: UTC. */
        if (!z && local && errno == ENOENT && strcmp(spec, TZ_LOCALTIME) == 0)
            return tz_parse_posix("UTC0");
        return z;
    }
    const char *dir = getenv("TZDIR");
    if (!dir || !*dir)
        dir = TZ_DEFAULT_DIR;
    size_t dlen = strlen(dir), slen = strlen(spec);
    char *path = malloc(dlen + slen + 2);
    if (!path) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(path, dir, dlen);
    path[dlen] = '/';
    memcpy(path + dlen + 1, spec, slen + 1);
    struct tz *z = load_file(path);
    free(path);
    if (z || (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG))
        return z;
    z = tz_parse_posix(spec);
    if (!z && errno == EINVAL)
        errno = ENOENT;
    return z;
}

struct tz *tz_load(const char *name)
{
    bool local = !name || !*name;
    const char *spec = name;
    if (local) {
        spec = getenv("TZ");
        if (!spec)
            spec = TZ_LOCALTIME;
    }
    struct tz *z = load_spec(spec, local);
    if (!z)
        return NULL;
    z->name = strdup(local ? "" : name);
    if (!z->name) {
        tz_free(z);
        errno = ENOMEM;
        return NULL;
    }
    return z;
}

const struct tz *tz_local(void)
{
    if (!local_zone) {
        local_zone = tz_load(NULL);
        if (!local_zone)
            local_zone = &utc_zone;
    }
    return local_zone;
}

static bool rule_same(const struct tz_rule *a, const struct tz_rule *b)
{
    const struct tz_date *d[2][2] = {{&a->start, &a->end}, {&b->start, &b->end}};
    if (strcmp(a->std, b->std) != 0 || strcmp(a->dst, b->dst) != 0 || a->std_off != b->std_off ||
        a->dst_off != b->dst_off || a->has_dst != b->has_dst)
        return false;
    for (int i = 0; i < 2; i++)
        if (d[0][i]->kind != d[1][i]->kind || d[0][i]->day != d[1][i]->day ||
            d[0][i]->month != d[1][i]->month || d[0][i]->week != d[1][i]->week ||
            d[0][i]->secs != d[1][i]->secs)
            return false;
    return true;
}

static bool tz_same(const struct tz *a, const struct tz *b)
{
    if (a->ntrans != b->ntrans || a->ntypes != b->ntypes || a->nabbrs != b->nabbrs ||
        a->nleaps != b->nleaps || a->has_rule != b->has_rule)
        return false;
    if (a->has_rule && !rule_same(&a->rule, &b->rule))
        return false;
    for (size_t i = 0; i < a->ntypes; i++)
        if (a->types[i].off != b->types[i].off || a->types[i].isdst != b->types[i].isdst ||
            a->types[i].abbr != b->types[i].abbr)
            return false;
    for (size_t i = 0; i < a->nleaps; i++)
        if (a->leaps[i].when != b->leaps[i].when || a->leaps[i].corr != b->leaps[i].corr)
            return false;
    return (a->ntrans == 0 || (memcmp(a->trans, b->trans, a->ntrans * sizeof(*a->trans)) == 0 &&
                               memcmp(a->trans_type, b->trans_type, a->ntrans) == 0)) &&
           (a->nabbrs == 0 || memcmp(a->abbrs, b->abbrs, a->nabbrs) == 0);
}

bool tz_local_reload(void)
{
    if (!local_zone) {
        tz_local();
        return false;
    }
    struct tz *z = tz_load(NULL);
    if (!z)
        z = &utc_zone;
    if (tz_same(z, local_zone)) {
        tz_free(z);
        return false;
    }
    tz_free(local_zone);
    local_zone = z;
    return true;
}

bool tz_has_abbrev(const struct tz *z, const char *abbr, int *isdst)
{
    /* The names glibc's tzname[] holds for the zone: the rule's, and the
     * last standard and daylight names of the transitions (tzset()). */
    if (z->has_rule) {
        if (strcasecmp(abbr, z->rule.std) == 0) {
            *isdst = 0;
            return true;
        }
        if (z->rule.has_dst && strcasecmp(abbr, z->rule.dst) == 0) {
            *isdst = 1;
            return true;
        }
    }
    if (z->ntypes == 0)
        return false;
    bool seen[2] = {false, false};
    for (size_t i = z->ntrans; i > 0 && !(seen[0] && seen[1]); i--) {
        const struct tz_type *ty = &z->types[z->trans_type[i - 1]];
        if (seen[ty->isdst])
            continue;
        seen[ty->isdst] = true;
        if (strcasecmp(abbr, z->abbrs + ty->abbr) == 0) {
            *isdst = ty->isdst;
            return true;
        }
    }
    if (z->ntrans == 0 && strcasecmp(abbr, z->abbrs + z->types[0].abbr) == 0) {
        *isdst = z->types[0].isdst;
        return true;
    }
    return false;
}

const char *tz_name(const struct tz *z)
{
    return z->name ? z->name : "";
}
