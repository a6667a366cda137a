/* calendar_zone.c - the time-zone suffix of a calendar expression, as
 * systemd 252 reads it: " UTC" (any case) first, then the local zone's
 * names for standard and summer time (glibc's tzname[]: they set the
 * spec's dst flag), then the last word as a tz database name that has a
 * TZif file under /usr/share/zoneinfo (then loaded with tz_load()).
 *
 * Specs share their zones: one loaded copy per name, counted, so 10,000
 * timers in Europe/Berlin hold one (a zone is a few KiB). tz_mktime()'s
 * guess stays per spec (calendar_next.c), so sharing changes no result.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/calendar_int.h"

/* The local zone's names for standard and summer time, as glibc's tzname[]
 * holds them once a local time has been converted (as in a running
 * systemd): those of the rules in force, the later sample winning; a zone
 * without summer time now has its standard name twice. (Before any
 * conversion glibc still names a summer time the zone had long ago, JDT in
 * Asia/Tokyo, and `systemd-analyze calendar` takes it for its first
 * expression unless --base-time was a local time.) */
static void local_abbrevs(char names[2][16])
{
    const struct tz *z = tz_local();
    time_t now = time(NULL);
    names[0][0] = names[1][0] = 0;
    for (int k = 0; k <= 12; k++) {
        struct tm tm;
        if (!tz_localtime(z, (int64_t)now + (int64_t)k * 30 * 86400, &tm) || !tm.tm_zone)
            continue;
        int d = tm.tm_isdst > 0;
        size_t len = strlen(tm.tm_zone);
        if (len < 16)
            memcpy(names[d], tm.tm_zone, len + 1);
    }
    if (!names[1][0])
        memcpy(names[1], names[0], 16);
}

/* systemd's test for a zone name: tz database characters, no empty path
 * element, and a TZif file under /usr/share/zoneinfo. */
static bool zone_name_valid(const char *name, struct stat *st)
{
    if (!*name || name[0] == '/')
        return false;
    bool slash = false;
    size_t len = 0;
    for (const char *s = name; *s; s++, len++) {
        bool alnum =
            (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z');
        if (!alnum && !strchr("-_+/", *s))
            return false;
        if (*s == '/' && slash)
            return false;
        slash = *s == '/';
    }
    if (slash || len >= PATH_MAX - 32)
        return false;
    if (strcmp(name, "UTC") == 0)
        return true;
    char path[PATH_MAX];
    memcpy(path, "/usr/share/zoneinfo/", 21);
    memcpy(path + 20, name, len + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return false;
    char magic[4];
    bool ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode) && read(fd, magic, 4) == 4 &&
              memcmp(magic, "TZif", 4) == 0;
    close(fd);
    return ok;
}

/* The zones specs hold: few names, so a short array. Each remembers its
 * file as it was read: a zone whose file changed (a tzdata update, then a
 * reload) is read again, as it was when every spec loaded its own. */
struct zone_ref {
    struct tz *z;
    unsigned refs;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};
static struct zone_ref *zones;
static size_t nzones, zones_cap;

static bool same_file(const struct zone_ref *r, const struct stat *st)
{
    return r->dev == st->st_dev && r->ino == st->st_ino && r->size == st->st_size &&
           r->mtime.tv_sec == st->st_mtim.tv_sec && r->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static struct tz *zone_get(const char *name, const struct stat *st)
{
    for (size_t i = 0; i < nzones; i++)
        if (strcmp(tz_name(zones[i].z), name) == 0 && same_file(&zones[i], st)) {
            zones[i].refs++;
            return zones[i].z;
        }
    if (nzones == zones_cap) {
        size_t cap = zones_cap ? 2 * zones_cap : 4;
        struct zone_ref *v = realloc(zones, cap * sizeof(*v));
        if (!v) {
            errno = ENOMEM;
            return NULL;
        }
        zones = v;
        zones_cap = cap;
    }
    struct tz *z = tz_load(name);
    if (z)
        zones[nzones++] = (struct zone_ref){.z = z,
                                            .refs = 1,
                                            .dev = st->st_dev,
                                            .ino = st->st_ino,
                                            .size = st->st_size,
                                            .mtime = st->st_mtim};
    return z;
}

void cal_zone_put(struct tz *z)
{
    for (size_t i = 0; z && i < nzones; i++)
        if (zones[i].z == z) {
            if (--zones[i].refs == 0) {
                tz_free(z);
                zones[i] = zones[--nzones];
            }
            return;
        }
}

static bool ends_with_word(const char *text, size_t len, const char *word, size_t *at)
{
    size_t wl = strlen(word);
    if (!wl || wl >= len || text[len - wl - 1] != ' ' ||
        strncasecmp(text + len - wl, word, wl) != 0)
        return false;
    *at = len - wl - 1;
    return true;
}

int cal_take_zone(const char *text, size_t *len, struct calendar_spec *c)
{
    size_t at;
    if (ends_with_word(text, *len, "UTC", &at)) {
        c->utc = true;
        *len = at;
        return 0;
    }
    char names[2][16];
    local_abbrevs(names);
    for (int d = 0; d <= 1; d++) {
        if (ends_with_word(text, *len, names[d], &at)) {
            c->dst = d;
            memcpy(c->abbr, names[d], sizeof(c->abbr));
            *len = at;
            return 0;
        }
    }
    const char *space = strrchr(text, ' ');
    struct stat st = {0};
    if (!space || !zone_name_valid(space + 1, &st))
        return 0;
    if (strcmp(space + 1, "UTC") == 0) {
        c->utc = true;
    } else {
        c->zone = zone_get(space + 1, &st);
        if (!c->zone)
            return errno == ENOMEM ? -ENOMEM : -EINVAL;
    }
    *len = (size_t)(space - text);
    return 0;
}
