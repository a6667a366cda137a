/* proto_journal.c - the `entry` reply line (proto_journal.h): written by the
 * daemon for each remembered line, read back by journalctl.
 *
 * The message is the rest of the line, so it keeps its spaces and its
 * UTF-8 as they are; only what would break the line (control bytes, DEL)
 * and the escape character itself are written as \xHH. A NUL byte, which
 * the reader's C string cannot hold, is written as U+FFFD.
 */
#include "wire/proto_journal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/escape.h"

static const char hex[] = "0123456789abcdef";

/* Bytes written so far into a buffer that may be too small: what does not
 * fit is counted, not written (snprintf's way). */
struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len < o->size) {
        size_t room = o->size - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static bool msg_plain(unsigned char c)
{
    return c >= 0x20 && c != 0x7f && c != '\\';
}

int proto_format_entry(char *buf, size_t size, const struct proto_entry *e, const char *msg,
                       size_t msg_len)
{
    struct out o = {buf, size, 0};
    char head[80], word[SB_NAME_MAX * 4 + 8];
    int n = snprintf(head, sizeof(head), "entry %" PRId64 " %" PRId32 " %u ", e->usec, e->pid,
                     (unsigned)e->prio);
    put(&o, head, (size_t)n);
    char name[SB_NAME_MAX];
    /* The arrays may lack their NUL when the caller filled them wrong. */
    snprintf(name, sizeof(name), "%.*s", (int)sizeof(e->unit) - 1, e->unit);
    put(&o, word, esc_word(word, sizeof(word), name, NULL));
    put(&o, " ", 1);
    snprintf(name, sizeof(name), "%.*s", (int)sizeof(e->ident) - 1, e->ident);
    put(&o, word, esc_word(word, sizeof(word), name, NULL));
    put(&o, " ", 1);
    if (msg_len > PROTO_JOURNAL_MSG_MAX)
        msg_len = PROTO_JOURNAL_MSG_MAX;
    for (size_t i = 0; i < msg_len;) {
        size_t run = i;
        while (run < msg_len && msg_plain((unsigned char)msg[run]))
            run++;
        put(&o, msg + i, run - i);
        if (run == msg_len)
            break;
        unsigned char c = (unsigned char)msg[run];
        if (c == 0) {
            /* The message cannot hold a NUL (a C string on the client's
             * side): it shows as U+FFFD, as a byte that is no text. */
            put(&o, "\xef\xbf\xbd", 3);
        } else {
            char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            put(&o, esc, 4);
        }
        i = run + 1;
    }
    put(&o, "\n", 1);
    if (size) /* NUL-terminated like snprintf, cut when it does not fit */
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}

size_t proto_entry_msg_size(const char *msg, size_t msg_len)
{
    if (msg_len > PROTO_JOURNAL_MSG_MAX)
        msg_len = PROTO_JOURNAL_MSG_MAX;
    size_t n = msg_len;
    for (size_t i = 0; i < msg_len; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (!msg_plain(c))
            n += c == 0 ? 2 : 3; /* U+FFFD, or \xHH */
    }
    return n;
}

/* The next word of *p (up to a single space, which is consumed), or NULL
 * when there is none (end of line, or an empty word). */
static char *next_word(char **p)
{
    char *w = *p, *sp = strchr(w, ' ');
    if (!sp || sp == w)
        return NULL;
    *sp = '\0';
    *p = sp + 1;
    return w;
}

static int parse_num(const char *s, bool neg_ok, int64_t max, int64_t *out)
{
    bool neg = neg_ok && *s == '-';
    if (neg)
        s++;
    if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
        return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        int d = *s - '0';
        if (d > max || v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = neg ? -v : v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_name(char *w, char out[SB_NAME_MAX])
{
    if (!w || esc_word_decode(w) < 0 || strlen(w) >= SB_NAME_MAX)
        return -1;
    strcpy(out, w);
    return 0;
}

int proto_parse_entry(char *rest, struct proto_entry *e)
{
    char *p = rest, *usec = next_word(&p), *pid = next_word(&p), *prio = next_word(&p);
    char *unit = next_word(&p), *ident = next_word(&p);
    int64_t v;
    if (!ident)
        return -1;
    if (parse_num(usec, true, INT64_MAX, &v) < 0)
        return -1;
    e->usec = v;
    if (parse_num(pid, false, INT32_MAX, &v) < 0)
        return -1;
    e->pid = (int32_t)v;
    if (parse_num(prio, false, 7, &v) < 0)
        return -1;
    e->prio = (uint8_t)v;
    if (parse_name(unit, e->unit) < 0 || parse_name(ident, e->ident) < 0)
        return -1;
    /* The message, decoded in place. */
    char *w = p;
    for (const char *r = p; *r; r++) {
        unsigned char c = (unsigned char)*r;
        if (c != '\\') {
            if (c < 0x20 || c == 0x7f)
                return -1;
            *w++ = (char)c;
            continue;
        }
        int h = r[1] == 'x' ? hexval(r[2]) : -1;
        int l = h < 0 ? -1 : hexval(r[3]);
        if (l < 0 || (h == 0 && l == 0))
            return -1;
        *w++ = (char)(h << 4 | l);
        r += 3;
    }
    *w = '\0';
    e->msg = p;
    e->msg_len = (size_t)(w - p);
    return 0;
}
