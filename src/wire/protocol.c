/* protocol.c - text forms of the control protocol (doc/protocol.md): request
 * checks and splitting, the `unit` record line both ways, and how records are
 * shown - systemctl-like status, an aligned table, and JSON with everything
 * escaped. Pure functions: no sockets, no daemon state.
 */
#include "wire/protocol.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/signame.h"
#include "wire/escape.h"
#include "wire/proto_socket.h"

bool proto_request_valid(const char *line, size_t len)
{
    if (len > 0 && line[len - 1] == '\r')
        len--;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

int proto_split(char *line, char **argv, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            *p++ = '\0';
        if (!*p)
            break;
        if (n == max)
            return -1;
        argv[n++] = p;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r')
            p++;
    }
    return n;
}

static const char *num_or_dash(char *buf, size_t size, int64_t v, bool none)
{
    if (none)
        return "-";
    snprintf(buf, size, "%" PRId64, v);
    return buf;
}

int proto_format_unit(char *buf, size_t size, const struct sb_unit *u)
{
    char a[24], b[24], c[24], d[24], e[24];
    return snprintf(buf, size, "unit %s %s %s %s %s %" PRIu32 " %s %s %s", u->name,
                    unit_state_name(u->state), unit_sub_name(u->sub),
                    num_or_dash(a, sizeof(a), u->pid, u->pid <= 0),
                    num_or_dash(b, sizeof(b), u->pgid, u->pgid <= 0), u->restarts,
                    num_or_dash(c, sizeof(c), u->exit_code, u->exit_code < 0),
                    num_or_dash(d, sizeof(d), u->exit_signal, u->exit_signal < 0),
                    num_or_dash(e, sizeof(e), u->since, u->since <= 0));
}

/* A number or '-' (-1 then). */
static int parse_field(const char *w, int64_t *out)
{
    if (strcmp(w, "-") == 0) {
        *out = -1;
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(w, &end, 10);
    if (errno || end == w || *end)
        return -1;
    *out = v;
    return 0;
}

static int copy_word(char *dst, size_t size, const char *w)
{
    size_t n = strlen(w);
    if (n >= size)
        return -1;
    memcpy(dst, w, n + 1);
    return 0;
}

int proto_parse_unit(const char *rest, struct sb_unit *u)
{
    char line[PROTO_MAX_REQUEST];
    char *w[12];
    int64_t v[6];
    if (copy_word(line, sizeof(line), rest) < 0 || proto_split(line, w, 12) != 9)
        return -1;
    memset(u, 0, sizeof(*u));
    if (copy_word(u->name, sizeof(u->name), w[0]) < 0)
        return -1;
    /* A word this client does not know (a newer daemon's) reads "unknown". */
    u->state = unit_state_code(w[1]);
    u->sub = unit_sub_code(w[2]);
    for (int i = 0; i < 6; i++)
        if (parse_field(w[3 + i], &v[i]) < 0)
            return -1;
    u->pid = (int32_t)v[0];
    u->pgid = (int32_t)v[1];
    u->restarts = v[2] < 0 ? 0 : (uint32_t)v[2];
    u->exit_code = (int32_t)v[3];
    u->exit_signal = (int32_t)v[4];
    u->since = v[5] < 0 ? 0 : v[5];
    return 0;
}

int proto_format_timer(char *buf, size_t size, const struct sb_unit *u)
{
    char a[24], b[24];
    return snprintf(buf, size, "timer %s %s %s %s", u->name,
                    num_or_dash(a, sizeof(a), u->next_elapse, u->next_elapse <= 0),
                    num_or_dash(b, sizeof(b), u->last_trigger, u->last_trigger <= 0),
                    u->activates[0] ? u->activates : "-");
}

int proto_parse_timer(const char *rest, struct sb_unit *u)
{
    char line[PROTO_MAX_REQUEST];
    char *w[6];
    int64_t next, last;
    if (copy_word(line, sizeof(line), rest) < 0 || proto_split(line, w, 6) != 4 ||
        parse_field(w[1], &next) < 0 || parse_field(w[2], &last) < 0)
        return -1;
    if (strcmp(w[0], u->name) != 0)
        return 0;
    if (strcmp(w[3], "-") != 0 && copy_word(u->activates, sizeof(u->activates), w[3]) < 0)
        return -1;
    u->timer = true;
    u->pid = u->pgid = u->exit_code = u->exit_signal = -1;
    u->next_elapse = next < 0 ? 0 : next;
    u->last_trigger = last < 0 ? 0 : last;
    return 1;
}

void proto_sanitize(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            *s = '?';
}

bool proto_unit_active(const struct sb_unit *u)
{
    return u->state == UNIT_STATE_ACTIVE;
}

/* --- JSON -------------------------------------------------------------------- */

void proto_json_string(FILE *f, const char *s)
{
    /* Unit names are ASCII; a socket's path may be anything (escape.h). */
    esc_json_string(f, s);
}

static void json_int_or_null(FILE *f, int64_t v, bool none)
{
    if (none)
        fputs("null", f);
    else
        fprintf(f, "%" PRId64, v);
}

void proto_print_json(FILE *f, const struct sb_unit *units, size_t n)
{
    fputs("{\"units\":[", f);
    for (size_t i = 0; i < n; i++) {
        const struct sb_unit *u = &units[i];
        fputs(i ? ",{\"name\":" : "{\"name\":", f);
        proto_json_string(f, u->name);
        fputs(",\"state\":", f);
        proto_json_string(f, unit_state_name(u->state));
        fputs(",\"sub\":", f);
        proto_json_string(f, unit_sub_name(u->sub));
        fputs(",\"pid\":", f);
        json_int_or_null(f, u->pid, u->pid <= 0);
        fputs(",\"pgid\":", f);
        json_int_or_null(f, u->pgid, u->pgid <= 0);
        fprintf(f, ",\"restarts\":%" PRIu32 ",\"last_exit\":{\"code\":", u->restarts);
        json_int_or_null(f, u->exit_code, u->exit_code < 0);
        fputs(",\"signal\":", f);
        json_int_or_null(f, u->exit_signal, u->exit_signal < 0);
        fputs("},\"since\":", f);
        json_int_or_null(f, u->since, u->since <= 0);
        if (u->timer) {
            /* SPEC: Unix seconds, as since is. */
            fputs(",\"next_elapse\":", f);
            json_int_or_null(f, u->next_elapse / 1000000, u->next_elapse <= 0);
            fputs(",\"last_trigger\":", f);
            json_int_or_null(f, u->last_trigger / 1000000, u->last_trigger <= 0);
        }
        if (u->socket)
            proto_socket_print_json(f, u->socket);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

/* --- people --------------------------------------------------------------------- */

void proto_print_table(FILE *f, const struct sb_unit *units, size_t n, int64_t now, bool header)
{
    int wname = 4, wstate = 5;
    for (size_t i = 0; i < n; i++) {
        int l = (int)strlen(units[i].name);
        wname = l > wname ? l : wname;
        l = (int)strlen(unit_state_name(units[i].state));
        wstate = l > wstate ? l : wstate;
    }
    if (header)
        fprintf(f, "%-*s  %-*s  %7s  %-8s  %8s  %-11s  %s\n", wname, "UNIT", wstate, "STATE", "PID",
                "UPTIME", "RESTARTS", "LAST-EXIT", "SUB");
    for (size_t i = 0; i < n; i++) {
        const struct sb_unit *u = &units[i];
        /* The same rows as the libc-free `pxinit status UNIT` (status_line.c). */
        struct sl_unit row = {
            .name = u->name,
            .state = u->state,
            .sub = u->sub,
            .pid = u->pid,
            .restarts = u->restarts,
            .exit_code = u->exit_code,
            .exit_signal = u->exit_signal,
            .signal = signal_to_name(u->exit_signal),
            .since = u->since,
            .timer = u->timer,
            .next_elapse = u->next_elapse,
            .last_trigger = u->last_trigger,
        };
        char line[SL_LINE_MAX];
        size_t len = sl_format(line, sizeof(line), &row, now, wname, wstate);
        fwrite(line, 1, len < sizeof(line) ? len : sizeof(line) - 1, f);
    }
}
