/* unit_reader.h - pxinit's reader of systemd's unit file syntax
 * (systemd.syntax(7)): sections, assignments and their line numbers, nothing
 * about what the keys mean (unit_keys.c) or what a unit is (unit_parse.c).
 *
 * The rules, as systemd applies them: lines end at LF, CRLF, CR or NUL; a
 * UTF-8 BOM opens the file unseen; a line whose first non-blank is '#' or
 * ';' is a comment, also between the lines of a continued value; a line
 * ending in an unescaped backslash continues on the next, the backslash
 * becoming a space; blanks around keys and values go; there are no inline
 * comments, so ';' and '#' inside a value are kept. A line may be up to
 * 1 MiB long, joined lines included (systemd's LONG_LINE_MAX).
 */
#ifndef PXINIT_UNIT_READER_H
#define PXINIT_UNIT_READER_H

#include <stddef.h>

#include "unit/unit_diag.h"

#define UNIT_READER_LINE_MAX (1024 * 1024) /* systemd's limit for a (joined) line */

enum unit_item_kind {
    UNIT_ITEM_SECTION,    /* "[Name]": section is Name */
    UNIT_ITEM_ASSIGNMENT, /* "Key=Value" inside a section */
};

/* What unit_reader_next() found. The strings live in the reader until the
 * next call. */
struct unit_item {
    enum unit_item_kind kind;
    unsigned lineno;     /* the file's line where the (continued) line starts */
    const char *section; /* the section, for both kinds */
    const char *key;     /* an assignment's key and value, blanks stripped; */
    const char *value;   /* the value may be "" (which resets a list) */
};

struct unit_reader {
    const char *p, *end;    /* what is left of the text */
    struct diag_file *diag; /* where malformed lines are reported */
    unsigned lineno;        /* physical lines read so far */
    int state;              /* before any section, in one, after a bad header */
    char *section;          /* the current section's name */
    char *line;             /* the current logical line */
    size_t line_cap;
};

/* Reads text (len bytes, which may hold NULs) and reports malformed lines to
 * diag. The text must outlive the reader. */
void unit_reader_init(struct unit_reader *r, const char *text, size_t len, struct diag_file *diag);

/* The next section header or assignment: 1 with *item filled in, 0 at the
 * end, -1 on a line too long or ENOMEM (reported to diag; the reader then
 * stays at its end). Lines that are neither (blank, comments, assignments
 * outside a section, a missing '=' or key) are skipped, the malformed ones
 * reported as warnings; an invalid section header is an error, and the
 * assignments under it are skipped. */
int unit_reader_next(struct unit_reader *r, struct unit_item *item);

void unit_reader_free(struct unit_reader *r);

#endif
