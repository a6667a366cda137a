/* journal_format.c - an entry as journalctl 252 prints it (journal_format.h).
 *
 * What journald stores for a line of a service's stdout stream is made up
 * from the `entry` line: PRIORITY, SYSLOG_FACILITY=3, SYSLOG_IDENTIFIER,
 * _PID, _TRANSPORT=stdout, _HOSTNAME, _SYSTEMD_UNIT, _BOOT_ID, MESSAGE.
 * The short modes follow logs-show.c's output_short(): tabs become eight
 * blanks and colour sequences go, then a message that is not printable
 * UTF-8 shows as "[N blob data]". cat prints the message as it is; json
 * writes a field that is not printable as an array of byte values and one
 * over 4096 bytes as null, as journalctl does without --all.
 */
#include "client/journal_format.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JSON_THRESHOLD 4096
#define ANSI_RED "\x1b[0;1;31m"
#define ANSI_NORMAL "\x1b[0m"

static const char *const mode_names[] = {
    [JF_SHORT] = "short",
    [JF_SHORT_PRECISE] = "short-precise",
    [JF_SHORT_ISO] = "short-iso",
    [JF_SHORT_ISO_PRECISE] = "short-iso-precise",
    [JF_SHORT_FULL] = "short-full",
    [JF_SHORT_UNIX] = "short-unix",
    [JF_SHORT_MONOTONIC] = "short-monotonic",
    [JF_WITH_UNIT] = "with-unit",
    [JF_CAT] = "cat",
    [JF_JSON] = "json",
    [JF_JSON_PRETTY] = "json-pretty",
    [JF_JSON_SEQ] = "json-seq",
};

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int jf_mode_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
        if (strcmp(name, mode_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *jf_mode_name(int mode)
{
    if (mode < 0 || (size_t)mode >= sizeof(mode_names) / sizeof(mode_names[0]))
        return NULL;
    return mode_names[mode];
}

bool jf_mode_quiet(enum jf_mode mode)
{
    return mode == JF_CAT || mode == JF_JSON || mode == JF_JSON_PRETTY || mode == JF_JSON_SEQ;
}

/* --- UTF-8 (systemd's utf8.c rules) ------------------------------------------ */

/* Length of the valid character at s (at most len bytes), 0 when invalid;
 * *cp gets it. Overlong forms, surrogates, non-characters and code points
 * past U+10FFFF are invalid. */
static size_t utf8_char(const unsigned char *s, size_t len, uint32_t *cp)
{
    size_t n;
    uint32_t c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if ((s[0] & 0xe0) == 0xc0) {
        n = 2;
        c = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3;
        c = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (n > len)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    size_t want = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (want != n || c >= 0x110000 || (c & 0xfffff800) == 0xd800 || (c >= 0xfdd0 && c <= 0xfdef) ||
        (c & 0xfffe) == 0xfffe)
        return 0;
    *cp = c;
    return n;
}

bool jf_utf8_printable(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    while (len > 0) {
        uint32_t c;
        size_t n = utf8_char(s, len, &c);
        if (n == 0)
            return false;
        if ((c < ' ' && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f))
            return false;
        s += n;
        len -= n;
    }
    return true;
}

/* --- short ----------------------------------------------------------------------- */

/* logs-show.c's strip_tab_ansi(): a tab becomes eight blanks, ESC [ digits
 * ; ... m and ESC ] ... BEL go; anything else (a cut sequence too) stays.
 * Returns a malloc'ed copy (its length in *out_len), NULL without memory. */
static char *strip_tab_ansi(const char *s, size_t len, size_t *out_len)
{
    char *out = malloc(len * 8 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\t') {
            memcpy(out + o, "        ", 8);
            o += 8;
            continue;
        }
        if (s[i] == '\x1b' && i + 1 < len && (s[i + 1] == '[' || s[i + 1] == ']')) {
            size_t j = i + 2;
            bool csi = s[i + 1] == '[', done = false;
            for (; j < len; j++) {
                unsigned char c = (unsigned char)s[j];
                if (csi ? !strchr("0123456789;m", c) || c == 0 : (c != '\a' && c < 32) || c > 126)
                    break;
                if (csi ? c == 'm' : c == '\a') {
                    done = true;
                    break;
                }
            }
            if (done) {
                i = j;
                continue;
            }
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

/* systemd's format_bytes(): 1024-based, one digit after the point. */
static void format_bytes(char *buf, size_t size, uint64_t t)
{
    static const struct {
        const char *suffix;
        uint64_t factor;
    } table[] = {
        {"E", UINT64_C(1) << 60}, {"P", UINT64_C(1) << 50}, {"T", UINT64_C(1) << 40},
        {"G", UINT64_C(1) << 30}, {"M", UINT64_C(1) << 20}, {"K", UINT64_C(1) << 10},
    };
    size_t n = sizeof(table) / sizeof(table[0]);
    for (size_t i = 0; i < n; i++)
        if (t >= table[i].factor) {
            uint64_t tenth = i != n - 1 ? (t / table[i + 1].factor * 10 / table[n - 1].factor) % 10
                                        : (t * 10 / table[i].factor) % 10;
            snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%s", t / table[i].factor, tenth,
                     table[i].suffix);
            return;
        }
    snprintf(buf, size, "%" PRIu64 "B", t);
}

static void print_zone_offset(FILE *f, const struct tm *tm)
{
    long off = tm->tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    fprintf(f, "%c%02ld%02ld", sign, off / 3600, off / 60 % 60);
}

/* The timestamp of the short modes; false when it cannot be shown. */
static bool print_time(FILE *f, const struct jf_ctx *c, const struct proto_entry *e)
{
    int64_t usec = e->usec < 0 ? 0 : e->usec;
    int64_t sec = usec / 1000000, frac = usec % 1000000;
    struct tm tm;
    if (c->mode == JF_SHORT_UNIX) {
        fprintf(f, "%10" PRId64 ".%06" PRId64, sec, frac);
        return true;
    }
    if (c->mode == JF_SHORT_MONOTONIC) {
        int64_t m = usec - c->mono_offset_usec;
        if (m < 0)
            m = 0;
        fprintf(f, "[%5" PRId64 ".%06" PRId64 "]", m / 1000000, m % 1000000);
        return true;
    }
    if (!tz_localtime(c->zone, sec, &tm))
        return false;
    switch (c->mode) {
    case JF_SHORT_ISO:
    case JF_SHORT_ISO_PRECISE:
        fprintf(f, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
        if (c->mode == JF_SHORT_ISO_PRECISE)
            fprintf(f, ".%06" PRId64, frac);
        print_zone_offset(f, &tm);
        break;
    case JF_SHORT_FULL:
    case JF_WITH_UNIT:
        /* format_timestamp(): "Mon 2026-12-07 18:05:01 UTC". */
        fprintf(f, "%s %04d-%02d-%02d %02d:%02d:%02d %s", wdays[tm.tm_wday], tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                c->utc       ? "UTC"
                : tm.tm_zone ? tm.tm_zone
                             : "");
        break;
    default:
        fprintf(f, "%s %02d %02d:%02d:%02d", months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
        if (c->mode == JF_SHORT_PRECISE)
            fprintf(f, ".%06" PRId64, frac);
    }
    return true;
}

static void print_short(FILE *f, const struct jf_ctx *c, const struct proto_entry *e)
{
    if (!print_time(f, c, e)) {
        fprintf(stderr, "Failed to format time.\n");
        return;
    }
    if (!c->no_hostname && c->hostname && *c->hostname)
        fprintf(f, " %s", c->hostname);
    if (c->mode == JF_WITH_UNIT && e->unit[0])
        fprintf(f, " %s", e->unit);
    else if (e->ident[0])
        fprintf(f, " %s", e->ident);
    else
        fputc(' ', f);
    if (e->pid > 0)
        fprintf(f, "[%" PRId32 "]", e->pid);

    size_t len = 0;
    char *msg = strip_tab_ansi(e->msg, e->msg_len, &len);
    if (!msg) {
        fputs(": [out of memory]\n", f);
        return;
    }
    if (!jf_utf8_printable(msg, len)) {
        char bytes[32];
        format_bytes(bytes, sizeof(bytes), len);
        fprintf(f, ": [%s blob data]\n", bytes);
    } else {
        bool red = c->color && e->prio <= 3;
        fprintf(f, ": %s", red ? ANSI_RED : "");
        fwrite(msg, 1, len, f);
        fprintf(f, "%s\n", red ? ANSI_NORMAL : "");
    }
    free(msg);
}

/* --- json ------------------------------------------------------------------------ */

/* systemd's json_format_string(): \" \\ \b \f \n \r \t, other bytes below
 * 0x20 as \u00xx, everything else as it is. */
static void json_string(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        switch (ch) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\b':
            fputs("\\b", f);
            break;
        case '\f':
            fputs("\\f", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        default:
            if (ch < ' ')
                fprintf(f, "\\u%04x", ch);
            else
                fputc(ch, f);
        }
    }
    fputc('"', f);
}

static void json_field(FILE *f, bool pretty, bool *first, const char *key, const char *val,
                       size_t len)
{
    fputs(*first ? (pretty ? "{\n\t" : "{") : (pretty ? ",\n\t" : ","), f);
    *first = false;
    json_string(f, key, strlen(key));
    fputs(pretty ? " : " : ":", f);
    if (len > JSON_THRESHOLD) {
        fputs("null", f);
    } else if (jf_utf8_printable(val, len)) {
        json_string(f, val, len);
    } else {
        fputs(pretty ? "[\n" : "[", f);
        for (size_t i = 0; i < len; i++) {
            if (pretty)
                fprintf(f, "\t\t%u%s\n", (unsigned char)val[i], i + 1 < len ? "," : "");
            else
                fprintf(f, "%s%u", i ? "," : "", (unsigned char)val[i]);
        }
        fputs(pretty ? "\t]" : "]", f);
    }
}

static void print_json(FILE *f, const struct jf_ctx *c, const struct proto_entry *e)
{
    bool pretty = c->mode == JF_JSON_PRETTY, first = true;
    char num[32];
    int64_t mono = e->usec - c->mono_offset_usec;
    if (c->mode == JF_JSON_SEQ)
        fputc('\x1e', f);
#define FIELD(k, v) json_field(f, pretty, &first, k, v, strlen(v))
    snprintf(num, sizeof(num), "%" PRId64, e->usec < 0 ? 0 : e->usec);
    FIELD("__REALTIME_TIMESTAMP", num);
    snprintf(num, sizeof(num), "%" PRId64, mono < 0 ? 0 : mono);
    FIELD("__MONOTONIC_TIMESTAMP", num);
    if (c->boot_id && *c->boot_id)
        FIELD("_BOOT_ID", c->boot_id);
    snprintf(num, sizeof(num), "%u", (unsigned)e->prio);
    FIELD("PRIORITY", num);
    FIELD("SYSLOG_FACILITY", "3");
    if (e->ident[0])
        FIELD("SYSLOG_IDENTIFIER", e->ident);
    if (e->pid > 0) {
        snprintf(num, sizeof(num), "%" PRId32, e->pid);
        FIELD("_PID", num);
    }
    FIELD("_TRANSPORT", "stdout");
    if (c->hostname && *c->hostname)
        FIELD("_HOSTNAME", c->hostname);
    if (e->unit[0])
        FIELD("_SYSTEMD_UNIT", e->unit);
#undef FIELD
    json_field(f, pretty, &first, "MESSAGE", e->msg, e->msg_len);
    fputs(pretty ? "\n}\n" : "}\n", f);
}

void jf_print(FILE *f, const struct jf_ctx *c, const struct proto_entry *e)
{
    switch (c->mode) {
    case JF_CAT: {
        bool red = c->color && e->prio <= 3;
        fputs(red ? ANSI_RED : "", f);
        fwrite(e->msg, 1, e->msg_len, f);
        fputs(red ? ANSI_NORMAL "\n" : "\n", f);
        break;
    }
    case JF_JSON:
    case JF_JSON_PRETTY:
    case JF_JSON_SEQ:
        print_json(f, c, e);
        break;
    default:
        print_short(f, c, e);
    }
}
