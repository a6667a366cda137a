/* proto_socket.c - a socket unit's reply lines and JSON fields
 * (proto_socket.h). Pure: no sockets, no daemon state. */
#include "wire/proto_socket.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "wire/escape.h"
#include "wire/status_line.h"

/* Longest line read back (a reply line, doc/protocol.md). */
#define LINE_MAX_READ 4096

/* Splits a copy of rest at spaces into want words; -1 when it has another
 * count, or is too long. */
static int split_copy(const char *rest, char *buf, size_t size, char **w, int want)
{
    size_t n = strlen(rest);
    if (n >= size)
        return -1;
    memcpy(buf, rest, n + 1);
    int k = 0;
    char *p = buf;
    for (;;) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        if (k == want)
            return -1;
        w[k++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return k == want ? 0 : -1;
}

static int parse_u64(const char *w, uint64_t *out)
{
    if (w[0] < '0' || w[0] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(w, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int proto_format_socket(char *buf, size_t size, const char *name, const struct proto_socket *s)
{
    return snprintf(buf, size, "socket %s %" PRIu64 " %" PRIu32 " %" PRIu64 " %s", name,
                    s->accepted, s->connections, s->triggers,
                    proto_unit_name_ok(s->activates) ? s->activates : "-");
}

int proto_parse_socket(const char *rest, const char *name, struct proto_socket *s)
{
    char buf[LINE_MAX_READ];
    char *w[5];
    uint64_t acc, conn, trig;
    if (split_copy(rest, buf, sizeof(buf), w, 5) < 0 || parse_u64(w[1], &acc) < 0 ||
        parse_u64(w[2], &conn) < 0 || conn > UINT32_MAX || parse_u64(w[3], &trig) < 0 ||
        strlen(w[4]) >= sizeof(s->activates) || !proto_unit_name_ok(w[4]))
        return -1;
    if (strcmp(w[0], name) != 0)
        return 0;
    memset(s, 0, sizeof(*s));
    s->accepted = acc;
    s->connections = (uint32_t)conn;
    s->triggers = trig;
    if (strcmp(w[4], "-") != 0)
        strcpy(s->activates, w[4]);
    return 1;
}

size_t proto_format_listen(char *buf, size_t size, const char *name, const char *type,
                           const char *address)
{
    int n = snprintf(buf, size, "listen %s %s ", name, type);
    if (n < 0 || (size_t)n + 5 >= size) {
        /* No room for an address: the caller's buffer is too small. */
        if (size)
            buf[0] = '\0';
        return 0;
    }
    return (size_t)n + esc_word(buf + n, size - (size_t)n, address, NULL);
}

/* A type word: letters only, as systemd's ("Stream", "FIFO"). */
static bool type_ok(const char *w)
{
    size_t n = strlen(w);
    if (n == 0 || n >= PROTO_SOCKET_TYPE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z')))
            return false;
    return true;
}

int proto_parse_listen(const char *rest, const char *name, struct proto_socket *s)
{
    char buf[LINE_MAX_READ];
    char *w[3];
    if (split_copy(rest, buf, sizeof(buf), w, 3) < 0 || !type_ok(w[1]) || esc_word_decode(w[2]) < 0)
        return -1;
    if (strcmp(w[0], name) != 0)
        return 0;
    char *addr = strdup(w[2]);
    struct proto_listen *v = addr ? realloc(s->listen, (s->nlisten + 1) * sizeof(*v)) : NULL;
    if (!v) {
        free(addr);
        return -2;
    }
    s->listen = v;
    struct proto_listen *l = &v[s->nlisten++];
    memset(l, 0, sizeof(*l));
    strcpy(l->type, w[1]);
    l->address = addr;
    return 1;
}

void proto_socket_clear(struct proto_socket *s)
{
    for (size_t i = 0; i < s->nlisten; i++)
        free(s->listen[i].address);
    free(s->listen);
    s->listen = NULL;
    s->nlisten = 0;
}

void proto_socket_print_json(FILE *f, const struct proto_socket *s)
{
    fputs(",\"listen\":[", f);
    for (size_t i = 0; i < s->nlisten; i++) {
        fputs(i ? ",{\"type\":" : "{\"type\":", f);
        esc_json_string(f, s->listen[i].type);
        fputs(",\"address\":", f);
        esc_json_string(f, s->listen[i].address);
        fputc('}', f);
    }
    fprintf(f,
            "],\"accepted\":%" PRIu64 ",\"connections\":%" PRIu32 ",\"triggers\":%" PRIu64
            ",\"activates\":",
            s->accepted, s->connections, s->triggers);
    if (s->activates[0])
        esc_json_string(f, s->activates);
    else
        fputs("null", f);
}
