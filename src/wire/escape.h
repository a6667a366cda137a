/* escape.h - text that may hold any byte, made safe for the protocol, for
 * JSON and for a terminal.
 *
 * A socket's address is written by a unit file's author: a path may hold
 * spaces, backslashes, bytes that are not UTF-8, control characters. The
 * protocol's lines are words of printable ASCII (ctl_reply turns anything
 * else into '?'), JSON strings must be valid UTF-8, and a table on a
 * terminal must not take escape sequences from a path. Pure functions.
 */
#ifndef PXINIT_ESCAPE_H
#define PXINIT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes in as one protocol word: bytes up to the space, from DEL up, and
 * the backslash as \xHH (lower-case hex); "" as "-" and "-" as "\x2d", so
 * '-' alone keeps meaning "none". When the word does not fit size (NUL
 * included), it is cut before an escape, never inside one, and ends in
 * "..." (then *cut is true). Returns the length written. size must be at
 * least 5. */
size_t esc_word(char *out, size_t size, const char *in, bool *cut);
/* Undoes esc_word() in place ("-" gives ""). 0, or -1 when s holds a
 * backslash that is not \xHH, an escaped NUL, or a byte esc_word() would
 * have escaped. */
int esc_word_decode(char *s);

/* s as a JSON string, quoted: '"', '\\' and control characters escaped,
 * valid UTF-8 kept, each byte that is not part of valid UTF-8 written as
 * U+FFFD (a JSON string cannot hold it). */
void esc_json_string(FILE *f, const char *s);

/* s for a person at a terminal: control characters, the backslash and
 * bytes that are not valid UTF-8 as \xHH, the rest as it is. Cut like
 * esc_word() when it does not fit (size at least 5). Returns the length. */
size_t esc_display(char *out, size_t size, const char *s);

#endif
