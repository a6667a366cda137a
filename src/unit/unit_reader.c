/* unit_reader.c - systemd's unit file syntax, read from memory
 * (unit_reader.h has the rules).
 *
 * Why not inih, which reads pxinit.conf: Debian's libinih is built with
 * inih's defaults, which disagree with systemd.syntax(7) on nearly every
 * point a unit file exercises: lines are cut at 200 bytes, " ;" starts an
 * inline comment (ExecStart=/bin/sh -c 'a ; b'), an indented line continues
 * the previous value, a trailing backslash does not, the handler gets no line
 * number, and names are cut at 49 characters. The syntax is small; reading it
 * here, once, is simpler than bending inih to it.
 */
#include "unit/unit_reader.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum { READER_NO_SECTION, READER_IN_SECTION, READER_BAD_SECTION };

void unit_reader_init(struct unit_reader *r, const char *text, size_t len, struct diag_file *diag)
{
    memset(r, 0, sizeof(*r));
    r->p = text;
    r->end = text + len;
    r->diag = diag;
    r->state = READER_NO_SECTION;
}

void unit_reader_free(struct unit_reader *r)
{
    free(r->section);
    free(r->line);
    r->section = r->line = NULL;
    r->line_cap = 0;
}

/* A fatal problem: reported, and the reader stays at its end. */
static int reader_fail(struct unit_reader *r, unsigned lineno, const char *what)
{
    diag_report(r->diag, DIAG_ERROR, lineno, "%s", what);
    r->p = r->end;
    return -1;
}

/* The next physical line, without its terminator (LF, CRLF, CR or NUL):
 * 1 with *line and *len set, 0 at the end of the text, -1 when too long. */
static int reader_physical(struct unit_reader *r, const char **line, size_t *len)
{
    const char *s = r->p, *e = s;

    if (s == r->end)
        return 0;
    while (e < r->end && *e != '\n' && *e != '\r' && *e != '\0')
        e++;
    if ((size_t)(e - s) >= UNIT_READER_LINE_MAX)
        return reader_fail(r, r->lineno + 1, "line too long");
    r->p = e;
    if (r->p < r->end && *r->p++ == '\r' && r->p < r->end && *r->p == '\n')
        r->p++;
    if (r->lineno++ == 0 && e - s >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        s += 3;
    *line = s;
    *len = (size_t)(e - s);
    return 1;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True when the line ends in a backslash that is not itself escaped. */
static bool ends_continued(const char *s, size_t n)
{
    bool escaped = false;

    for (size_t i = 0; i < n; i++)
        escaped = !escaped && s[i] == '\\';
    return escaped;
}

/* Joins the next logical line into r->line (NUL-terminated) and sets *start
 * to its first line. Comment lines are skipped, also inside a continued
 * value, as systemd does. 1, 0 at the end, -1 on error. */
static int reader_logical(struct unit_reader *r, unsigned *start)
{
    bool continued = false;
    size_t len = 0;

    for (;;) {
        const char *phys;
        size_t n, i = 0;
        int rc = reader_physical(r, &phys, &n);

        if (rc < 0)
            return -1;
        if (rc == 0) {
            if (!continued)
                return 0;
            break; /* a file ending in a backslash: take what we have */
        }
        while (i < n && is_blank(phys[i]))
            i++;
        if (i < n && (phys[i] == '#' || phys[i] == ';'))
            continue;
        if (!continued)
            *start = r->lineno;
        if (len + n + 1 > UNIT_READER_LINE_MAX)
            return reader_fail(r, *start, "continued line too long");
        if (len + n + 1 > r->line_cap) {
            size_t cap = r->line_cap ? r->line_cap : 256;
            char *p;
            while (cap < len + n + 1)
                cap *= 2;
            if (!(p = realloc(r->line, cap)))
                return reader_fail(r, *start, "out of memory");
            r->line = p;
            r->line_cap = cap;
        }
        memcpy(r->line + len, phys, n);
        len += n;
        if (!ends_continued(phys, n))
            break;
        r->line[len - 1] = ' '; /* systemd's replacement for the backslash */
        continued = true;
    }
    r->line[len] = '\0';
    return 1;
}

/* Trims blanks at both ends, in place; returns the new start. */
static char *strip(char *s)
{
    char *e;

    while (is_blank(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_blank(e[-1]))
        *--e = '\0';
    return s;
}

/* A "[...]" line: 1 with the section in *item, 0 when it is invalid
 * (reported), -1 on ENOMEM. */
static int reader_section(struct unit_reader *r, char *line, unsigned lineno,
                          struct unit_item *item)
{
    size_t n = strlen(line);
    char *name;

    r->state = READER_BAD_SECTION;
    if (n < 3 || line[n - 1] != ']') {
        diag_report(r->diag, DIAG_ERROR, lineno, "invalid section header '%s'", line);
        return 0;
    }
    if (!(name = strndup(line + 1, n - 2)))
        return reader_fail(r, lineno, "out of memory");
    free(r->section);
    r->section = name;
    r->state = READER_IN_SECTION;
    item->kind = UNIT_ITEM_SECTION;
    item->section = name;
    item->key = item->value = NULL;
    return 1;
}

/* A key=value line: 1 with the assignment in *item, 0 when it is dropped
 * (reported as needed). */
static int reader_assignment(struct unit_reader *r, char *line, struct unit_item *item)
{
    char *eq, *key;

    if (r->state == READER_NO_SECTION) {
        diag_report(r->diag, DIAG_WARNING, item->lineno,
                    "assignment outside of any section, ignoring");
        return 0;
    }
    if (!(eq = strchr(line, '='))) {
        diag_report(r->diag, DIAG_WARNING, item->lineno, "missing '=', ignoring line");
        return 0;
    }
    *eq = '\0';
    key = strip(line);
    if (*key == '\0') {
        diag_report(r->diag, DIAG_WARNING, item->lineno,
                    "missing key name before '=', ignoring line");
        return 0;
    }
    if (r->state != READER_IN_SECTION)
        return 0;
    item->kind = UNIT_ITEM_ASSIGNMENT;
    item->section = r->section;
    item->key = key;
    item->value = strip(eq + 1);
    return 1;
}

int unit_reader_next(struct unit_reader *r, struct unit_item *item)
{
    for (;;) {
        unsigned start = 0;
        int rc = reader_logical(r, &start);
        char *line;

        if (rc <= 0)
            return rc;
        line = strip(r->line);
        if (*line == '\0')
            continue;
        item->lineno = start;
        rc = *line == '[' ? reader_section(r, line, start, item) : reader_assignment(r, line, item);
        if (rc != 0)
            return rc;
    }
}
