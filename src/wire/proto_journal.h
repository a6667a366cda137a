/* proto_journal.h - the `entry` reply line of the `journal` request
 * (doc/protocol.md): one remembered line of a unit's output with what
 * journalctl shows of it.
 *
 *     entry USEC PID PRIO UNIT IDENT MESSAGE
 *
 * USEC: when pxinit read the line, Unix microseconds (__REALTIME_TIMESTAMP).
 * PID: the unit's main pid then, 0 when none (_PID). PRIO: 6 for stdout, 3
 * for stderr (PRIORITY). UNIT: the full unit name (_SYSTEMD_UNIT); IDENT:
 * SyslogIdentifier= or the unit's short name (SYSLOG_IDENTIFIER); both as
 * esc_word() words. MESSAGE: the rest of the line, the line's bytes with
 * '\\', bytes below 0x20 and 0x7f written as \xHH (other bytes, UTF-8
 * included, as they are).
 */
#ifndef PXINIT_PROTO_JOURNAL_H
#define PXINIT_PROTO_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wire/status_board.h"

#define PROTO_JOURNAL_MSG_MAX (16 * 1024)

struct proto_entry {
    int64_t usec;
    int32_t pid;
    uint8_t prio;
    char unit[SB_NAME_MAX];
    char ident[SB_NAME_MAX];
    const char *msg; /* decoded, NUL-terminated (may hold no NUL inside) */
    size_t msg_len;
};

/* The whole line, "entry " and the newline included, into buf. Returns its
 * length (like snprintf; a message too long is cut). */
int proto_format_entry(char *buf, size_t size, const struct proto_entry *e, const char *msg,
                       size_t msg_len);
/* The bytes the message msg takes in an entry line, once cut and escaped
 * as proto_format_entry() writes it (a budget counts these, not the raw
 * bytes: a line of control bytes takes four times its length). */
size_t proto_entry_msg_size(const char *msg, size_t msg_len);
/* Parses what follows "entry " in place (the message is decoded into rest,
 * e->msg points into it). 0, or -1 when malformed. */
int proto_parse_entry(char *rest, struct proto_entry *e);

#endif
