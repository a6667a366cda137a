/* fuzz_proto_journal.c - the `entry` reply line (wire/proto_journal.h) on
 * any bytes, both ways.
 *
 * Properties: a line that parses, written again, parses to the same entry;
 * the bytes, taken as a message, are written on one line (no control
 * character, a newline only at the end) and read back unchanged, a NUL as
 * U+FFFD; a buffer of any size is never overrun and always terminated.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "wire/proto_journal.h"

#define LINE_MAX_BYTES ((int)(PROTO_JOURNAL_MSG_MAX * 4 + SB_NAME_MAX * 8 + 128))

static void same_entry(const struct proto_entry *a, const struct proto_entry *b)
{
    FUZZ_ASSERT(a->usec == b->usec && a->pid == b->pid && a->prio == b->prio);
    FUZZ_ASSERT(strcmp(a->unit, b->unit) == 0 && strcmp(a->ident, b->ident) == 0);
    FUZZ_ASSERT(a->msg_len == b->msg_len && memcmp(a->msg, b->msg, a->msg_len) == 0);
}

/* e written, checked to be one clean line, parsed back into *back. */
static void round_trip(const struct proto_entry *e, char *line, char *copy,
                       struct proto_entry *back)
{
    int n = proto_format_entry(line, LINE_MAX_BYTES, e, e->msg, e->msg_len);
    FUZZ_ASSERT(n > 7 && n < LINE_MAX_BYTES && strlen(line) == (size_t)n);
    FUZZ_ASSERT(strncmp(line, "entry ", 6) == 0 && line[n - 1] == '\n');
    for (int i = 0; i < n - 1; i++)
        FUZZ_ASSERT((unsigned char)line[i] >= 0x20 && line[i] != 0x7f);
    memcpy(copy, line + 6, (size_t)n - 7);
    copy[n - 7] = '\0';
    FUZZ_ASSERT(proto_parse_entry(copy, back) == 0);
    /* Short buffers: terminated, a prefix of the whole line. */
    for (size_t sz = 1; sz < 24 && sz < (size_t)n; sz += 5) {
        char small[24];
        memset(small, 'Z', sizeof(small));
        FUZZ_ASSERT(proto_format_entry(small, sz, e, e->msg, e->msg_len) == n);
        FUZZ_ASSERT(small[sz - 1] == '\0' && memcmp(small, line, sz - 1) == 0);
        FUZZ_ASSERT(sz == sizeof(small) || small[sz] == 'Z');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strdup(data, size);
    char *line = malloc(LINE_MAX_BYTES), *copy = malloc(LINE_MAX_BYTES);
    if (!s || !line || !copy)
        goto out;
    /* 1. data as what follows "entry ". */
    struct proto_entry e, back;
    if (proto_parse_entry(s, &e) == 0) {
        FUZZ_ASSERT(e.prio <= 7 && e.pid >= 0);
        FUZZ_ASSERT(strlen(e.msg) <= e.msg_len && e.msg[e.msg_len] == '\0');
        if (e.msg_len <= PROTO_JOURNAL_MSG_MAX) {
            round_trip(&e, line, copy, &back);
            same_entry(&e, &back);
        }
    }
    /* 2. data as a unit name, an identifier and a message. */
    memset(&e, 0, sizeof(e));
    size_t k = size < 40 ? size : 40;
    memcpy(e.unit, data, k / 2);
    memcpy(e.ident, data + k / 2, k - k / 2);
    e.unit[strnlen(e.unit, k / 2)] = '\0';
    e.ident[strnlen(e.ident, k - k / 2)] = '\0';
    e.usec = size ? (int64_t)data[0] << 40 : -1;
    e.pid = (int32_t)size;
    e.prio = size & 7;
    /* Every byte, NUL included (written as U+FFFD: three bytes back). */
    e.msg = (const char *)data;
    e.msg_len = size;
    size_t nuls = 0;
    for (size_t i = 0; i < size && i < PROTO_JOURNAL_MSG_MAX; i++)
        nuls += data[i] == 0;
    round_trip(&e, line, copy, &back);
    FUZZ_ASSERT(strlen(back.msg) == back.msg_len);
    size_t kept = size < PROTO_JOURNAL_MSG_MAX ? size : PROTO_JOURNAL_MSG_MAX;
    FUZZ_ASSERT(back.msg_len == kept + 2 * nuls);
    if (nuls == 0 && size <= PROTO_JOURNAL_MSG_MAX)
        same_entry(&e, &back);
out:
    free(s);
    free(line);
    free(copy);
    return 0;
}
