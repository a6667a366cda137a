/* fuzz_socket_lines.c - a socket's address through the protocol, JSON and
 * the table (wire/escape.h), and the `socket`/`listen` reply lines read
 * back (wire/proto_socket.h), on any bytes.
 *
 * Properties: an address escaped as a word decodes to itself, holds only
 * printable ASCII, and, cut to any smaller buffer, stays terminated and a
 * prefix of the whole word before its "..."; the displayed form holds no
 * control character; the JSON string is valid UTF-8 with no raw control
 * character; a `listen` line parsed and written again parses to the same
 * address.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "wire/escape.h"
#include "wire/proto_socket.h"

/* True when s[0..n) is valid UTF-8 (the strict form escape.c keeps). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t k = c < 0x80                 ? 1
                   : c >= 0xc2 && c <= 0xdf ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
        if (!k || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

static void check_word(const char *s)
{
    size_t cap = 4 * strlen(s) + 8;
    char *w = malloc(cap);
    if (!w)
        return;
    bool cut = true;
    size_t n = esc_word(w, cap, s, &cut);
    FUZZ_ASSERT(!cut && n == strlen(w) && n > 0);
    for (size_t i = 0; i < n; i++)
        FUZZ_ASSERT(w[i] > 0x20 && w[i] < 0x7f);
    /* Every smaller buffer: terminated, within it, a prefix of the whole. */
    for (size_t size = 5; size < n + 1 && size < 64; size++) {
        char small[64];
        size_t m = esc_word(small, size, s, &cut);
        FUZZ_ASSERT(m < size && small[m] == '\0');
        if (cut) {
            FUZZ_ASSERT(m >= 3 && memcmp(small + m - 3, "...", 3) == 0);
            FUZZ_ASSERT(strncmp(small, w, m - 3) == 0);
        } else {
            FUZZ_ASSERT(strcmp(small, w) == 0);
        }
    }
    FUZZ_ASSERT(esc_word_decode(w) == 0);
    FUZZ_ASSERT(strcmp(w, s) == 0);
    free(w);

    char shown[256];
    size_t d = esc_display(shown, sizeof(shown), s);
    FUZZ_ASSERT(d < sizeof(shown) && shown[d] == '\0');
    for (size_t i = 0; i < d; i++)
        FUZZ_ASSERT((unsigned char)shown[i] >= 0x20 && shown[i] != 0x7f);
    FUZZ_ASSERT(utf8_valid((const unsigned char *)shown, d));
}

static void check_json(const char *s)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f)
        return;
    esc_json_string(f, s);
    fclose(f);
    if (!out)
        return;
    FUZZ_ASSERT(len >= 2 && out[0] == '"' && out[len - 1] == '"');
    FUZZ_ASSERT(utf8_valid((const unsigned char *)out, len));
    for (size_t i = 0; i < len; i++)
        FUZZ_ASSERT((unsigned char)out[i] >= 0x20);
    free(out);
}

static void check_lines(const char *s)
{
    /* The name is the first word, so that the line names it. */
    char name[64];
    size_t k = strcspn(s, " ");
    if (k == 0 || k >= sizeof(name))
        return;
    memcpy(name, s, k);
    name[k] = '\0';
    struct proto_socket ps;
    memset(&ps, 0, sizeof(ps));
    (void)proto_parse_socket(s, name, &ps);
    memset(&ps, 0, sizeof(ps));
    if (proto_parse_listen(s, name, &ps) == 1) {
        FUZZ_ASSERT(ps.nlisten == 1);
        char line[4096];
        size_t n =
            proto_format_listen(line, sizeof(line), name, ps.listen[0].type, ps.listen[0].address);
        FUZZ_ASSERT(n > 7 && n < sizeof(line));
        struct proto_socket again;
        memset(&again, 0, sizeof(again));
        FUZZ_ASSERT(proto_parse_listen(line + 7, name, &again) == 1);
        FUZZ_ASSERT(strcmp(again.listen[0].address, ps.listen[0].address) == 0);
        proto_socket_clear(&again);
    }
    proto_socket_clear(&ps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 2048)
        return 0;
    char *s = fuzz_strdup(data, size);
    if (!s)
        return 0;
    check_word(s);
    check_json(s);
    check_lines(s);
    free(s);
    return 0;
}
