/* cmdline.c - systemd's command-line rules for Exec*= (systemd.service(5),
 * "COMMAND LINES"; quoting as in systemd.syntax(7)).
 *
 * Owns word splitting, escape decoding and $VAR expansion. As in systemd this
 * happens in two steps: the line is first unquoted and unescaped into words, and
 * only then are variables expanded in each word, so "$FOO" written in quotes is
 * still a whole-word expansion and "$$" works inside single quotes too. The first
 * word (the executable) is never expanded: systemd does not allow it to be a
 * variable. No shell is involved anywhere.
 */
#include "unit/cmdline.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A growable string. */
struct buf {
    char *s;
    size_t n, cap;
};

static int buf_putn(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return -1;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

static int buf_putc(struct buf *b, char c)
{
    return buf_putn(b, &c, 1);
}

static int buf_puts(struct buf *b, const char *s)
{
    return buf_putn(b, s, strlen(s));
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
    while (is_blank(*p))
        p++;
    return p;
}

int cmdline_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads exactly n digits of base 8 or 16 at p; -1 when they are not all there. */
static long read_digits(const char *p, int n, int base)
{
    long v = 0;

    for (int i = 0; i < n; i++) {
        int d = cmdline_hex_value(p[i]);
        if (d < 0 || d >= base)
            return -1;
        v = v * base + d;
    }
    return v;
}

static int buf_put_utf8(struct buf *b, uint32_t cp)
{
    char out[4];
    size_t n;

    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        out[0] = (char)(0xf0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return buf_putn(b, out, n);
}

/* Decodes the escape whose character after the backslash is at p, appending
 * the result to b; returns how many characters after the backslash it used, or
 * -1 on ENOMEM. A sequence systemd does not know (or one that would produce a
 * NUL) is kept as written, backslash included, as systemd does after warning. */
static int cmdline_decode_escape(const char *p, struct buf *b)
{
    static const char simple_from[] = "abfnrtv\\\"'s;";
    static const char simple_to[] = "\a\b\f\n\r\t\v\\\"' ;";
    const char *hit = strchr(simple_from, *p);
    long v = -1;
    int used = 0;

    if (*p && hit)
        return buf_putc(b, simple_to[hit - simple_from]) < 0 ? -1 : 1;
    switch (*p) {
    case 'x':
        v = read_digits(p + 1, 2, 16);
        used = 3;
        break;
    case 'u':
        v = read_digits(p + 1, 4, 16);
        used = 5;
        break;
    case 'U':
        v = read_digits(p + 1, 8, 16);
        used = 9;
        break;
    case '0':
    case '1':
    case '2':
    case '3':
        v = read_digits(p, 3, 8);
        used = 3;
        break;
    default:
        break;
    }
    if (v > 0 && (*p == 'x' || (*p >= '0' && *p <= '3')))
        return buf_putc(b, (char)(unsigned char)v) < 0 ? -1 : used;
    if (v > 0 && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff))
        return buf_put_utf8(b, (uint32_t)v) < 0 ? -1 : used;
    /* Unknown or invalid: keep the backslash and the character. */
    if (buf_putc(b, '\\') < 0 || buf_putc(b, *p) < 0)
        return -1;
    return 1;
}

/* Extracts the next word of *pp. A quote groups up to its match and is removed;
 * like a shell, and like systemd in practice, it may open anywhere in a word
 * ("--opt=\"a b\"" is one word; systemd issue #38926 notes systemd.syntax(7)
 * says otherwise). With cunescape, C escapes are decoded (systemd's Exec*= and Environment=
 * rules); without it a backslash just takes the next character literally (the
 * rule for splitting a "$VAR" value). relax accepts an unterminated quote or a
 * trailing backslash. Returns 1 with a new string in *out, 0 at the end, -1 with
 * errno (and *err for EINVAL). */
static int cmdline_next_word(const char **pp, bool cunescape, bool relax, char **out,
                             const char **err)
{
    const char *p = skip_blanks(*pp);
    struct buf b = {0};
    char quote = 0;

    *pp = p;
    if (*p == '\0')
        return 0;
    if (buf_puts(&b, "") < 0) /* so that '' yields an empty word, not NULL */
        return -1;
    for (;;) {
        char c = *p;

        if (c == '\0') {
            if (quote && !relax) {
                *err = "unbalanced quotes";
                goto invalid;
            }
            break;
        }
        if (quote && c == quote) {
            quote = 0;
            p++;
            continue;
        }
        if (!quote && (c == '\'' || c == '"')) {
            quote = c;
            p++;
            continue;
        }
        if (!quote && is_blank(c))
            break;
        if (c == '\\') {
            int used;

            p++;
            if (*p == '\0') {
                if (!relax) {
                    *err = quote ? "unbalanced quotes" : "trailing backslash";
                    goto invalid;
                }
                if (buf_putc(&b, '\\') < 0)
                    goto nomem;
                break;
            }
            if (cunescape) {
                used = cmdline_decode_escape(p, &b);
                if (used < 0)
                    goto nomem;
            } else {
                if (buf_putc(&b, *p) < 0)
                    goto nomem;
                used = 1;
            }
            p += used;
            continue;
        }
        if (buf_putc(&b, c) < 0)
            goto nomem;
        p++;
    }
    *pp = p;
    *out = b.s;
    return 1;

invalid:
    free(b.s);
    errno = EINVAL;
    return -1;
nomem:
    free(b.s);
    errno = ENOMEM;
    return -1;
}

int cmdline_parse_prefixes(const char **line)
{
    const char *p = *line;
    int flags = 0, bit;

    for (;; p++) {
        switch (*p) {
        case '-':
            bit = EXEC_FLAG_IGNORE_FAILURE;
            break;
        case '@':
            bit = EXEC_FLAG_ARGV0;
            break;
        case ':':
            bit = EXEC_FLAG_NO_ENV_EXPAND;
            break;
        case '+':
            bit = EXEC_FLAG_FULL_PRIVILEGES;
            break;
        case '!':
            bit = EXEC_FLAG_AMBIENT;
            if (p[1] == '!') /* "!!" is one prefix */
                p++;
            break;
        default:
            *line = p;
            return flags;
        }
        /* '+', '!' and '!!' exclude each other. */
        if ((flags & bit) || ((bit & (EXEC_FLAG_FULL_PRIVILEGES | EXEC_FLAG_AMBIENT)) &&
                              (flags & (EXEC_FLAG_FULL_PRIVILEGES | EXEC_FLAG_AMBIENT)))) {
            errno = EINVAL;
            return -1;
        }
        flags |= bit;
    }
}

static bool env_name_valid(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

static const char *cmdline_getenv(const struct strv *env, const char *name, size_t len)
{
    return env ? env_get(env, name, len) : NULL;
}

/* "${NAME}", "${NAME:-default}", "${NAME:+alternate}" and "$$" inside a word;
 * any other '$' (and an unterminated "${") is literal. */
static int cmdline_expand_braces(const char *word, const struct strv *env, struct buf *b)
{
    const char *p = word;

    while (*p) {
        const char *name = p + 2, *end = NULL, *colon, *v;
        int r;

        if (p[0] == '$' && p[1] == '$') {
            if (buf_putc(b, '$') < 0)
                return -1;
            p += 2;
            continue;
        }
        if (p[0] == '$' && p[1] == '{')
            end = strchr(name, '}');
        if (!end) {
            if (buf_putc(b, *p++) < 0)
                return -1;
            continue;
        }
        colon = memchr(name, ':', (size_t)(end - name));
        if (colon && (colon[1] == '-' || colon[1] == '+')) {
            const char *alt = colon + 2;
            bool set;

            v = cmdline_getenv(env, name, (size_t)(colon - name));
            set = v && *v;
            if (colon[1] == '-')
                r = set ? buf_puts(b, v) : buf_putn(b, alt, (size_t)(end - alt));
            else
                r = set ? buf_putn(b, alt, (size_t)(end - alt)) : 0;
        } else {
            v = cmdline_getenv(env, name, (size_t)(end - name));
            r = v ? buf_puts(b, v) : 0;
        }
        if (r < 0)
            return -1;
        p = end + 1;
    }
    return 0;
}

/* Expands one unquoted word into zero or more words appended to argv. */
static int cmdline_expand_word(const char *word, const struct strv *env, struct strv *argv)
{
    struct buf b = {0};

    if (word[0] == '$' && env_name_valid(word + 1)) {
        const char *v = cmdline_getenv(env, word + 1, strlen(word + 1));
        const char *dummy;
        char *w;
        int r;

        /* Split at blanks; quotes in the value group and are removed. */
        while (v && (r = cmdline_next_word(&v, false, true, &w, &dummy)) != 0) {
            if (r < 0 || strv_push_owned(argv, w) < 0)
                return -1;
        }
        return 0;
    }
    if (buf_puts(&b, "") < 0 || cmdline_expand_braces(word, env, &b) < 0) {
        free(b.s);
        return -1;
    }
    return strv_push_owned(argv, b.s);
}

int cmdline_unquote(const char *line, struct strv *words, const char **err)
{
    const char *p = line, *dummy;
    char *w;
    int r;

    if (!err)
        err = &dummy;
    while ((r = cmdline_next_word(&p, true, false, &w, err)) > 0)
        if (strv_push_owned(words, w) < 0)
            break;
    if (r != 0) {
        strv_clear(words);
        return -1;
    }
    return 0;
}

int cmdline_split(const char *line, const struct strv *env, int flags, struct strv *argv,
                  const char **err)
{
    struct strv words = {0};
    const char *dummy;

    if (!err)
        err = &dummy;
    if (cmdline_unquote(line, &words, err) < 0)
        return -1;
    if (words.n == 0) {
        *err = "empty command";
        goto invalid;
    }
    for (size_t i = 0; i < words.n; i++) {
        if (i == 0 || (flags & EXEC_FLAG_NO_ENV_EXPAND)) {
            /* hand the word over instead of copying it */
            if (strv_push_owned(argv, words.v[i]) < 0) {
                words.v[i] = NULL;
                goto fail;
            }
            words.v[i] = NULL;
        } else if (cmdline_expand_word(words.v[i], env, argv) < 0) {
            goto fail;
        }
    }
    if ((flags & EXEC_FLAG_ARGV0) && argv->n < 2) {
        *err = "'@' needs a word for argv[0] after the executable";
        goto invalid;
    }
    strv_clear(&words);
    return 0;

invalid:
    strv_clear(&words);
    strv_clear(argv);
    errno = EINVAL;
    return -1;
fail:
    strv_clear(&words);
    strv_clear(argv);
    if (errno != EINVAL)
        errno = ENOMEM;
    return -1;
}

size_t cmdline_command_len(const char *line)
{
    const char *p = line, *dummy;
    char *w;

    for (;;) {
        p = skip_blanks(p);
        if (*p == ';' && (p[1] == '\0' || is_blank(p[1])))
            return (size_t)(p - line);
        /* An error here (unbalanced quotes) ends the scan; cmdline_split reports it. */
        if (cmdline_next_word(&p, true, false, &w, &dummy) <= 0)
            return strlen(line);
        free(w);
    }
}
