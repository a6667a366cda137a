/* cmdline.h - systemd's command-line splitting for Exec*= values
 * (systemd.service(5), "COMMAND LINES"), without a shell. */
#ifndef PXINIT_CMDLINE_H
#define PXINIT_CMDLINE_H

#include "base/strv.h"

/* Prefix characters of Exec*= lines, as systemd defines them. */
enum exec_flags {
    EXEC_FLAG_IGNORE_FAILURE = 1 << 0,  /* '-': a failing exit status is ignored */
    EXEC_FLAG_ARGV0 = 1 << 1,           /* '@': second word is argv[0] */
    EXEC_FLAG_FULL_PRIVILEGES = 1 << 2, /* '+': no User=/Group= etc. */
    EXEC_FLAG_AMBIENT = 1 << 3,         /* '!': like '+' for us (no ambient caps) */
    EXEC_FLAG_NO_ENV_EXPAND = 1 << 4,   /* ':': no $VAR expansion */
};

/* Strips the leading prefix characters ("-@+!:" in any order, each at most once,
 * "+" and "!"/"!!" exclusive) from *line, advancing it, and returns the flags.
 * Returns -1 with errno EINVAL on a repeated or conflicting prefix. */
int cmdline_parse_prefixes(const char **line);

/* Splits line into words as systemd does: whitespace separates words;
 * double and single quotes group and are removed (anywhere in a word, as
 * systemd really does: a"b c"d is one word "ab cd");
 * C-style backslash escapes (\n \t \\ \" \' \x41 \101 \u00e4 \s for space) are
 * decoded, outside and inside double quotes; inside single quotes too, as
 * systemd does. Unless EXEC_FLAG_NO_ENV_EXPAND is in flags, "${VAR}" is replaced
 * by VAR's value from env (as part of the word), and a word that is exactly
 * "$VAR" is replaced by VAR's value split at whitespace into zero or more words;
 * unset variables expand to nothing; "$$" is a literal '$'.
 * The first word is the executable; with EXEC_FLAG_ARGV0 the result keeps all
 * words and the caller execs argv[0] with argv from index 1.
 * On success stores the words into *argv (which must be empty) and returns 0.
 * On error returns -1, sets errno (EINVAL, ENOMEM) and, for EINVAL, points *err
 * at a static message ("unbalanced quotes", "trailing backslash", "empty command"). */
int cmdline_split(const char *line, const struct strv *env, int flags, struct strv *argv,
                  const char **err);

/* Only the first step of cmdline_split(): splits line into words with the same
 * quoting and escapes, without any $ expansion, appending them to *words. Zero
 * words is fine. Used for Environment= and other quoted lists. Returns 0, or -1
 * with errno (EINVAL with *err set, ENOMEM); *words is then emptied. */
/* The value of a hex digit, or -1. */
int cmdline_hex_value(char c);

int cmdline_unquote(const char *line, struct strv *words, const char **err);

/* systemd allows several commands on one Exec*= line, separated by a lone ";"
 * word ("\;" is a literal semicolon). Returns the length of line's first
 * command: the offset of that ";", or strlen(line) when there is none. */
size_t cmdline_command_len(const char *line);

#endif
