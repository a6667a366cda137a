/* escape.c - protocol words, JSON strings and terminal text from any bytes
 * (escape.h). */
#include "wire/escape.h"

#include <stdio.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

/* The length of the valid UTF-8 sequence at p (1 for ASCII), 0 when the
 * byte at p does not start one (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). */
static size_t utf8_len(const unsigned char *p)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    /* The first continuation byte has the narrowed range, the others 80..bf. */
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

static bool word_plain(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '\\';
}

/* The piece of output for the text at p: the bytes as they are (*piece
 * points at p) or their \xHH escape (in e). Returns how many input bytes
 * it stands for. display: escape.h's esc_display() rules, else esc_word()'s. */
static size_t piece_at(const unsigned char *p, bool display, char e[4], const char **piece,
                       size_t *len)
{
    size_t n = 1;
    bool plain;
    if (display) {
        n = utf8_len(p);
        plain = n > 1 || (n == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\');
        n = n ? n : 1;
    } else {
        plain = word_plain(*p);
    }
    e[0] = '\\';
    e[1] = 'x';
    e[2] = hex[*p >> 4];
    e[3] = hex[*p & 15];
    *piece = plain ? (const char *)p : e;
    *len = plain ? n : 4;
    return n;
}

/* Writes the pieces of in while they fit, keeping room for "..." unless
 * everything left fits whole; the length, NUL-terminated. */
static size_t escape(char *out, size_t size, const char *in, bool display, bool *cut)
{
    if (size < 4) { /* no room for "..." and its NUL: nothing of in */
        if (size)
            out[0] = '\0';
        *cut = *in != '\0';
        return 0;
    }
    size_t o = 0;
    char e[4];
    const char *piece;
    size_t len;
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        size_t adv = piece_at(p, display, e, &piece, &len);
        if (o + len + 4 > size) {
            /* Whatever is left may still fit without the "...". */
            size_t rest = 0;
            for (const unsigned char *q = p; *q;) {
                char e2[4];
                const char *pc;
                size_t l;
                q += piece_at(q, display, e2, &pc, &l);
                rest += l;
            }
            if (o + rest + 1 > size) {
                *cut = true;
                break;
            }
        }
        memcpy(out + o, piece, len);
        o += len;
        p += adv;
    }
    if (*cut) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return o;
}

size_t esc_word(char *out, size_t size, const char *in, bool *cut)
{
    bool was_cut = false;
    size_t o;
    if (!in[0] || strcmp(in, "-") == 0) {
        /* '-' alone means "none" in the protocol. */
        o = (size_t)snprintf(out, size, "%s", in[0] ? "\\x2d" : "-");
    } else {
        o = escape(out, size, in, false, &was_cut);
    }
    if (cut)
        *cut = was_cut;
    return o;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int esc_word_decode(char *s)
{
    if (strcmp(s, "-") == 0) {
        s[0] = '\0';
        return 0;
    }
    char *w = s;
    for (const char *p = s; *p; p++) {
        if (*p != '\\') {
            if (!word_plain((unsigned char)*p))
                return -1;
            *w++ = *p;
            continue;
        }
        if (p[1] != 'x')
            return -1;
        int h = hex_value(p[2]);
        int l = h < 0 ? -1 : hex_value(p[3]);
        if (l < 0 || (h == 0 && l == 0))
            return -1;
        *w++ = (char)(h << 4 | l);
        p += 3;
    }
    *w = '\0';
    return 0;
}

void esc_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned char c = *p;
        size_t n = utf8_len(p);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
            continue;
        }
        if (n > 1) {
            fwrite(p, 1, n, f);
            p += n;
            continue;
        }
        switch (c) {
        case '"':
            fputs("\\\"", f);
            break;
        case '\\':
            fputs("\\\\", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
        p++;
    }
    fputc('"', f);
}

size_t esc_display(char *out, size_t size, const char *s)
{
    bool cut = false;
    return escape(out, size, s, true, &cut);
}
