/* unit_specifier.c - systemd's "%" specifiers in unit file values
 * (systemd.unit(5), "SPECIFIERS"): %n, %i, %t, %%, ...
 *
 * systemd resolves them when it loads a unit, in nearly every setting, so a
 * literal percent sign must be written "%%" ("date +%%s"); we do the same so
 * that unit files mean what they mean there. Values are those of a system
 * manager (pxinit is one): %t is /run, %S /var/lib, %u the user pxinit runs as.
 */
#include "unit/unit_specifier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "unit/cmdline.h"
#include "base/file_read.h"
#include "base/passwd.h"

struct sbuf {
    char *s;
    size_t n, cap;
    bool oom;
};

static void sbuf_putn(struct sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *p;
        while (cap < b->n + n + 1)
            cap *= 2;
        p = realloc(b->s, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_putn(b, s, strlen(s));
}

/* systemd's unit name unescaping: "-" is "/", "\xNN" a byte. */
static void sbuf_put_unescaped(struct sbuf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '-') {
            c = '/';
        } else if (c == '\\' && i + 3 < n && s[i + 1] == 'x' && cmdline_hex_value(s[i + 2]) >= 0 &&
                   cmdline_hex_value(s[i + 3]) >= 0) {
            c = (char)(cmdline_hex_value(s[i + 2]) * 16 + cmdline_hex_value(s[i + 3]));
            i += 3;
        }
        sbuf_putn(b, &c, 1);
    }
}

/* Splits "pre@inst.service" into prefix and instance (and the name without its
 * type suffix). */
struct unit_name_parts {
    const char *name;
    size_t stem_len;   /* without ".service" */
    size_t prefix_len; /* up to '@', or the stem */
    const char *instance;
    size_t instance_len;
};

static void unit_name_split(const char *name, struct unit_name_parts *p)
{
    const char *dot = strrchr(name, '.');
    const char *at;

    p->name = name;
    p->stem_len = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    at = memchr(name, '@', p->stem_len);
    p->prefix_len = at ? (size_t)(at - name) : p->stem_len;
    p->instance = at ? at + 1 : "";
    p->instance_len = at ? p->stem_len - p->prefix_len - 1 : 0;
}

/* The first line of a small file (%m, %b); nothing when it cannot be read.
 * Read as unit files are (file_read.h): PID 1 resolves these. */
static void sbuf_put_file(struct sbuf *b, const char *path)
{
    size_t len;
    char *buf = file_read_regular(path, 4096, &len);

    if (!buf)
        return;
    buf[strcspn(buf, "\n")] = '\0';
    sbuf_puts(b, buf);
    free(buf);
}

/* Fixed paths: those of a system manager, which pxinit is. */
static const struct {
    char c;
    const char *text;
} specifier_fixed[] = {
    {'%', "%"},    {'t', "/run"}, {'S', "/var/lib"}, {'C', "/var/cache"}, {'L', "/var/log"},
    {'E', "/etc"}, {'T', "/tmp"}, {'V', "/var/tmp"}, {'D', "/usr/share"},
};

/* The specifiers made of the unit's name and path: n N p P i I j J f y Y. */
static void specifier_put_name(struct sbuf *b, char c, const struct unit *u)
{
    char pb[4096];
    struct unit_name_parts n;
    const char *j;

    unit_name_split(u->name ? u->name : "", &n);
    switch (c) {
    case 'n':
        sbuf_puts(b, n.name);
        break;
    case 'N':
        sbuf_putn(b, n.name, n.stem_len);
        break;
    case 'p':
        sbuf_putn(b, n.name, n.prefix_len);
        break;
    case 'P':
        sbuf_put_unescaped(b, n.name, n.prefix_len);
        break;
    case 'i':
        sbuf_putn(b, n.instance, n.instance_len);
        break;
    case 'I':
        sbuf_put_unescaped(b, n.instance, n.instance_len);
        break;
    case 'j':
    case 'J':
        /* the last "-"-separated component of the prefix */
        for (j = n.name + n.prefix_len; j > n.name && j[-1] != '-'; j--)
            ;
        if (c == 'j')
            sbuf_putn(b, j, (size_t)(n.name + n.prefix_len - j));
        else
            sbuf_put_unescaped(b, j, (size_t)(n.name + n.prefix_len - j));
        break;
    case 'f':
        sbuf_puts(b, "/");
        if (n.instance_len)
            sbuf_put_unescaped(b, n.instance, n.instance_len);
        else
            sbuf_put_unescaped(b, n.name, n.prefix_len);
        break;
    case 'y':
    case 'Y':
        j = unit_path(u, pb, sizeof(pb));
        if (!j)
            j = "";
        sbuf_putn(b, j, c == 'y' || !strrchr(j, '/') ? strlen(j) : (size_t)(strrchr(j, '/') - j));
        break;
    }
}

/* The specifiers the system answers: U G u h s g H l v m b; false for
 * none of them. */
static bool specifier_put_system(struct sbuf *b, char c)
{
    struct passwd_entry pw;
    bool pw_found;
    char grname[64];
    struct utsname uts;
    char host[256], num[32];

    switch (c) {
    case 'U':
    case 'G':
        snprintf(num, sizeof(num), "%u", c == 'U' ? (unsigned)geteuid() : (unsigned)getegid());
        sbuf_puts(b, num);
        return true;
    case 'u':
    case 'h':
    case 's':
        /* The user running the service manager, as systemd defines these. */
        /* Through passwd.c: the static binary cannot use NSS. */
        pw_found = passwd_lookup(NULL, geteuid(), &pw) == 0;
        if (c == 'u')
            sbuf_puts(b, pw_found ? pw.name : "root");
        else if (c == 'h')
            sbuf_puts(b, pw_found && pw.dir[0] ? pw.dir : "/root");
        else
            sbuf_puts(b, pw_found && pw.shell[0] ? pw.shell : "/bin/sh");
        return true;
    case 'g':
        sbuf_puts(
            b, passwd_lookup_group_name(getegid(), grname, sizeof(grname)) == 0 ? grname : "root");
        return true;
    case 'H':
    case 'l':
        if (gethostname(host, sizeof(host)) < 0)
            host[0] = '\0';
        host[sizeof(host) - 1] = '\0';
        if (c == 'l')
            host[strcspn(host, ".")] = '\0';
        sbuf_puts(b, host);
        return true;
    case 'v':
        sbuf_puts(b, uname(&uts) == 0 ? uts.release : "");
        return true;
    case 'm':
        sbuf_put_file(b, "/etc/machine-id");
        return true;
    case 'b':
        sbuf_put_file(b, "/proc/sys/kernel/random/boot_id");
        return true;
    default:
        return false;
    }
}

/* Appends what specifier c stands for; false when we do not know c ('\0'
 * for a '%' at the end). */
static bool specifier_put(struct sbuf *b, char c, const struct unit *u)
{
    for (size_t i = 0; i < sizeof(specifier_fixed) / sizeof(specifier_fixed[0]); i++) {
        if (specifier_fixed[i].c == c) {
            sbuf_puts(b, specifier_fixed[i].text);
            return true;
        }
    }
    if (c && strchr("nNpPiIjJfyY", c)) {
        specifier_put_name(b, c, u);
        return true;
    }
    return specifier_put_system(b, c);
}

char *unit_specifier_expand(const struct unit *u, const char *value, char *bad)
{
    struct sbuf b = {0};

    sbuf_puts(&b, "");
    for (const char *p = value; *p; p++) {
        const char *pct = strchr(p, '%');

        if (!pct) {
            sbuf_puts(&b, p);
            break;
        }
        sbuf_putn(&b, p, (size_t)(pct - p));
        if (!specifier_put(&b, pct[1], u)) {
            *bad = pct[1];
            free(b.s);
            errno = EINVAL;
            return NULL;
        }
        p = pct + 1;
    }
    if (b.oom) {
        free(b.s);
        errno = ENOMEM;
        return NULL;
    }
    return b.s;
}
