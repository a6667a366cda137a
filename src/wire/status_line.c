/* status_line.c - one unit's status line and its words, without the C
 * library (status_line.h says why). Also the unit name checks, which the
 * libc-free path needs as much as the client does. The state words are
 * unit_state.c's.
 */
#include "wire/status_line.h"

#include "base/signame.h"
#include "wire/freestr.h"

/* A bounded writer: keeps counting past the end, like snprintf. */
struct out {
    char *buf;
    size_t size, len;
};

static void put_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_str(struct out *o, const char *s)
{
    while (*s)
        put_char(o, *s++);
}

static void put_pad(struct out *o, int n)
{
    while (n-- > 0)
        put_char(o, ' ');
}

/* s left-aligned in width columns ("%-*s"). */
static void put_left(struct out *o, const char *s, int width)
{
    put_str(o, s);
    put_pad(o, width - (int)str_len(s));
}

/* s right-aligned in width columns ("%*s"). */
static void put_right(struct out *o, const char *s, int width)
{
    put_pad(o, width - (int)str_len(s));
    put_str(o, s);
}

/* The decimal digits of v into buf (at least 21 bytes); returns buf. */
static char *dec(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0, i = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[i++] = '-';
    while (n)
        buf[i++] = tmp[--n];
    buf[i] = '\0';
    return buf;
}

static void put_dec(struct out *o, int64_t v)
{
    char d[24];
    put_str(o, dec(d, v));
}

/* "-", a field with nothing to show. */
static void put_none(char *field)
{
    field[0] = '-';
    field[1] = '\0';
}

static size_t out_end(struct out *o)
{
    if (o->size)
        o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
    return o->len;
}

size_t sl_span(char *buf, size_t size, int64_t sec)
{
    struct out o = {buf, size, 0};
    /* Table fields never contain blanks, so scripts can split lines on them. */
    if (sec < 0)
        sec = 0;
    if (sec < 60) {
        put_dec(&o, sec);
        put_str(&o, "s");
    } else if (sec < 3600) {
        put_dec(&o, sec / 60);
        put_str(&o, "min");
        put_dec(&o, sec % 60);
        put_str(&o, "s");
    } else if (sec < 86400) {
        put_dec(&o, sec / 3600);
        put_str(&o, "h");
        put_dec(&o, sec % 3600 / 60);
        put_str(&o, "min");
    } else {
        put_dec(&o, sec / 86400);
        put_str(&o, "d");
        put_dec(&o, sec % 86400 / 3600);
        put_str(&o, "h");
    }
    return out_end(&o);
}

/* The span between now (Unix seconds) and usec (Unix microseconds) as one
 * word, to it (past false) or from it (past true); "-" when usec is 0. */
static void put_when(struct out *o, int64_t usec, int64_t now, bool past)
{
    char span[64];
    if (usec <= 0) {
        put_char(o, '-');
        return;
    }
    int64_t sec = usec / 1000000;
    sl_span(span, sizeof(span), past ? now - sec : sec - now);
    put_str(o, span);
}

size_t sl_format(char *buf, size_t size, const struct sl_unit *u, int64_t now, int wname,
                 int wstate)
{
    struct out o = {buf, size, 0};
    /* No initialisers for the arrays: a compiler may turn those into a
     * memset() call, which the libc-free build cannot link (Makefile.am). */
    char pid[24], up[64], ex[48];
    struct out e = {ex, sizeof(ex), 0};
    if (u->pid > 0)
        dec(pid, u->pid);
    else
        put_none(pid);
    if (u->state == UNIT_STATE_ACTIVE && u->since > 0)
        sl_span(up, sizeof(up), now - u->since);
    else
        put_none(up);
    if (u->exit_signal > 0) {
        put_str(&e, "signal=");
        put_str(&e, u->signal);
    } else if (u->exit_code >= 0) {
        put_str(&e, "code=");
        put_dec(&e, u->exit_code);
    } else {
        put_str(&e, "-");
    }
    out_end(&e);
    put_left(&o, u->name, wname);
    put_str(&o, "  ");
    put_left(&o, unit_state_name(u->state), wstate);
    put_str(&o, "  ");
    put_right(&o, pid, 7);
    put_str(&o, "  ");
    put_left(&o, up, 8);
    put_str(&o, "  ");
    char restarts[24];
    put_right(&o, dec(restarts, u->restarts), 8);
    put_str(&o, "  ");
    put_left(&o, ex, 11);
    put_str(&o, "  ");
    put_str(&o, unit_sub_name(u->sub));
    if (u->timer) {
        put_str(&o, "  left=");
        put_when(&o, u->next_elapse, now, false);
        put_str(&o, "  passed=");
        put_when(&o, u->last_trigger, now, true);
    }
    put_char(&o, '\n');
    return out_end(&o);
}

size_t sl_format_record(char *buf, size_t size, const struct sb_record *rec, const char *name,
                        int64_t now)
{
    struct sl_unit u = {
        .name = name,
        .state = rec->state,
        .sub = rec->sub,
        .since = rec->since,
    };
    if (rec->flags & SB_REC_TIMER) {
        /* A timer's record holds its times where a service's pids are. */
        u.pid = u.exit_code = u.exit_signal = -1;
        u.timer = true;
        u.next_elapse = rec->next_elapse;
        u.last_trigger = rec->last_trigger;
    } else {
        u.pid = rec->pid;
        u.restarts = rec->restarts;
        u.exit_code = rec->exit_code;
        u.exit_signal = rec->exit_signal;
        u.signal = signame_of(rec->exit_signal, SIGNAME_LIBC_RTMIN, SIGNAME_LIBC_RTMAX);
    }
    /* proto_print_table's widths for a table of one unit. */
    int wname = (int)str_len(u.name), wstate = (int)str_len(unit_state_name(u.state));
    return sl_format(buf, size, &u, now, wname > 4 ? wname : 4, wstate > 5 ? wstate : 5);
}

void proto_short_name(const char *name, char *out, size_t size)
{
    static const char suffix[] = ".service";
    size_t n = str_len(name);
    if (n > sizeof(suffix) - 1 && str_eq(name + n - (sizeof(suffix) - 1), suffix))
        n -= sizeof(suffix) - 1;
    if (n >= size)
        n = size - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = name[i];
    out[n] = '\0';
}

bool proto_unit_name_ok(const char *name)
{
    size_t n = str_len(name);
    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == ':' || c == '_' || c == '.' || c == '@' || c == '-' || c == '\\'))
            return false;
    }
    return true;
}
