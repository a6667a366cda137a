/* fuzz_control_request.c - the control protocol's text forms (protocol.c).
 *
 * The input is what a client writes to the control socket: lines framed and
 * checked as control.c frames them (PROTO_MAX_REQUEST, proto_request_valid(),
 * proto_split()), then the words as the verbs read them: unit names
 * (proto_unit_name_ok(), unit_name_normalize(), proto_short_name()) and
 * signals. A line "unit ..." is also read as a reply record the way the
 * client reads one (proto_parse_unit()), formatted back, and rendered.
 * Properties: words are non-empty, without blanks and inside the line; a
 * record that parses formats to a line that parses to the same record.
 */
#include "fuzz.h"

#include <stdio.h>

#include "wire/protocol.h"
#include "base/signame.h"
#include "wire/status_line.h"
#include "unit/unit.h"

static FILE *devnull;

static void check_word(const char *w)
{
    char out[64];
    if (proto_unit_name_ok(w)) {
        char *full = strchr(w, '.') ? strdup(w) : unit_name_normalize(w);
        if (full)
            FUZZ_ASSERT(strlen(full) >= strlen(w));
        free(full);
    }
    proto_short_name(w, out, sizeof(out));
    FUZZ_ASSERT(strlen(out) < sizeof(out));
    (void)signal_from_string(w);
}

static void check_record(const char *rest)
{
    struct sb_unit u, again;
    char line[PROTO_MAX_REQUEST + 64];
    if (proto_parse_unit(rest, &u) < 0)
        return;
    FUZZ_ASSERT(memchr(u.name, '\0', sizeof(u.name)) != NULL);
    int n = proto_format_unit(line, sizeof(line), &u);
    FUZZ_ASSERT(n > 5 && (size_t)n < sizeof(line));
    FUZZ_ASSERT(proto_parse_unit(line + 5, &again) == 0);
    FUZZ_ASSERT(strcmp(u.name, again.name) == 0 && u.state == again.state && u.sub == again.sub);
    FUZZ_ASSERT(u.restarts == again.restarts && u.since == again.since);
    if (devnull) {
        proto_print_json(devnull, &u, 1);
        proto_print_table(devnull, &u, 1, 1700000000, true);
    }
    (void)proto_unit_active(&u);
}

static void check_line(char *line, size_t len)
{
    if (!proto_request_valid(line, len) || memchr(line, '\0', len))
        return; /* the daemon answers with a usage error and hangs up */
    char copy[PROTO_MAX_REQUEST + 1];
    memcpy(copy, line, len + 1);
    if (strncmp(line, "unit ", 5) == 0)
        check_record(line + 5);
    char *argv[PROTO_MAX_ARGS];
    int argc = proto_split(line, argv, PROTO_MAX_ARGS);
    FUZZ_ASSERT(argc >= -1 && argc <= PROTO_MAX_ARGS);
    for (int i = 0; i < argc; i++) {
        FUZZ_ASSERT(argv[i] >= line && argv[i] < line + len);
        FUZZ_ASSERT(argv[i][0] != '\0' && !strpbrk(argv[i], " \t\r"));
        check_word(argv[i]);
    }
    /* An error reply quotes the request: it must stay one line of text. */
    proto_sanitize(copy);
    for (const char *p = copy; *p; p++)
        FUZZ_ASSERT((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!devnull)
        devnull = fopen("/dev/null", "we");
    /* Frame as control.c does: a line ends at '\n' (or at EOF); a line that
     * fills the whole buffer without one ends the connection. */
    const char *in = (const char *)data;
    size_t pos = 0;
    while (pos < size) {
        const char *nl = memchr(in + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (in + pos)) : size - pos;
        if (len >= PROTO_MAX_REQUEST)
            break;
        char line[PROTO_MAX_REQUEST + 1];
        memcpy(line, in + pos, len);
        line[len] = '\0';
        check_line(line, len);
        pos += nl ? len + 1 : len;
    }
    return 0;
}
