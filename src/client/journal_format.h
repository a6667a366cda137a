/* journal_format.h - one journal entry as journalctl 252 prints it
 * (-o short, short-precise, short-iso, short-iso-precise, short-full,
 * short-unix, short-monotonic, with-unit, cat, json, json-pretty,
 * json-seq). The fields journald would have stored for a line of a
 * service's stdout or stderr are made up from the `entry` line.
 */
#ifndef PXINIT_JOURNAL_FORMAT_H
#define PXINIT_JOURNAL_FORMAT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/tz.h"
#include "wire/proto_journal.h"

enum jf_mode {
    JF_SHORT,
    JF_SHORT_PRECISE,
    JF_SHORT_ISO,
    JF_SHORT_ISO_PRECISE,
    JF_SHORT_FULL,
    JF_SHORT_UNIX,
    JF_SHORT_MONOTONIC,
    JF_WITH_UNIT,
    JF_CAT,
    JF_JSON,
    JF_JSON_PRETTY,
    JF_JSON_SEQ,
};

struct jf_ctx {
    enum jf_mode mode;
    const struct tz *zone; /* local time (tz_local(), or tz_utc() for --utc) */
    bool utc;              /* --utc: short-full shows "UTC" */
    bool no_hostname;
    bool color; /* stdout is a terminal: errors in red, as journalctl */
    const char *hostname;
    const char *boot_id;      /* 32 hex digits */
    int64_t mono_offset_usec; /* realtime - monotonic, for __MONOTONIC_TIMESTAMP */
};

/* The mode named as -o names it; -1 when unknown. */
int jf_mode_from_name(const char *name);
/* The name of mode (0, 1, ...); NULL past the last. */
const char *jf_mode_name(int mode);
/* True for the modes in which journalctl turns -q on (json*, cat). */
bool jf_mode_quiet(enum jf_mode mode);
/* Prints e (msg, msg_len) in c->mode, newline included. */
void jf_print(FILE *f, const struct jf_ctx *c, const struct proto_entry *e);

/* systemd's utf8_is_printable(): valid UTF-8 without control characters
 * (tab and newline allowed). */
bool jf_utf8_printable(const char *s, size_t len);

#endif
