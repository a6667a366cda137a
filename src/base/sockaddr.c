/* sockaddr.c - socket addresses as systemd.socket(5) writes them
 * (sockaddr.h).
 *
 * What systemd 252's socket_address_parse() takes, less what needs a
 * lookup or a socket family pxinit does not open:
 *   "80"               a port alone: [::]:80 (the opener falls back to
 *                      0.0.0.0:80 where the machine has no IPv6)
 *   "1.2.3.4:80"       IPv4, dotted quad only (inet_pton), and a port
 *   "[::1]:80"         IPv6 in brackets, and a port
 *   "[fe80::1%2]:80"   with a scope: systemd's own "[fe80::1]:80%2" too
 *   "/run/x.sock"      a path (at most 107 bytes: sun_path holds the NUL)
 *   "@name"            an abstract name (not empty, at most 107 bytes)
 * A scope given as an interface name ("%eth0") is refused: turning it into
 * an index is a lookup (if_nametoindex), which a pure parser must not do
 * and whose answer can change between `pxinit check` and boot; write the
 * numeric index instead. Port 0 (systemd refuses it too), host names,
 * relative paths and "vsock:" addresses are errors with their reason.
 */
#include "base/sockaddr.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path))

/* A whole string of decimal digits, 1..65535. */
static int parse_port(const char *s, unsigned *port, const char **err)
{
    unsigned long v = 0;

    if (!*s) {
        *err = "missing port number after ':'";
        return -1;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            *err = "the port is not a number";
            return -1;
        }
        if (v <= 65535)
            v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v == 0 || v > 65535) {
        *err = "port out of range (1-65535)";
        return -1;
    }
    *port = (unsigned)v;
    return 0;
}

/* A numeric scope id (an interface index) after '%'. */
static int parse_scope(const char *s, uint32_t *scope, const char **err)
{
    unsigned long long v = 0;

    if (!*s) {
        *err = "empty scope after '%'";
        return -1;
    }
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') {
            *err =
                "interface names are not supported as a scope (a lookup): write the "
                "interface's number, as in [fe80::1%2]:80";
            return -1;
        }
        v = v * 10 + (unsigned long long)(*p - '0');
        if (v > UINT32_MAX) {
            *err = "scope id out of range";
            return -1;
        }
    }
    if (v == 0) {
        *err = "scope id 0 is no interface";
        return -1;
    }
    *scope = (uint32_t)v;
    return 0;
}

static int parse_unix(const char *text, struct sock_addr *a, const char **err)
{
    size_t n = strlen(text);

    a->un.sun_family = AF_UNIX;
    if (text[0] == '@') {
        /* A NUL byte then the name; bind() counts its length exactly. */
        if (n == 1) {
            *err = "empty abstract socket name";
            return -1;
        }
        if (n > SUN_PATH_MAX) {
            *err = "abstract socket name too long (at most 107 bytes)";
            return -1;
        }
        memcpy(a->un.sun_path + 1, text + 1, n - 1);
        a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
        return 0;
    }
    if (n >= SUN_PATH_MAX) {
        *err = "socket path too long (at most 107 bytes)";
        return -1;
    }
    memcpy(a->un.sun_path, text, n + 1);
    a->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    return 0;
}

/* "[V6]:PORT", "[V6%SCOPE]:PORT" or systemd's "[V6]:PORT%SCOPE". */
static int parse_ipv6(const char *text, struct sock_addr *a, const char **err)
{
    char host[INET6_ADDRSTRLEN + 16], portbuf[16];
    const char *close = strchr(text, ']');
    const char *scope = NULL;
    unsigned port;

    if (!close) {
        *err = "missing ']' after an IPv6 address";
        return -1;
    }
    size_t hn = (size_t)(close - text - 1);
    if (hn == 0 || hn >= sizeof(host)) {
        *err = "not an IPv6 address";
        return -1;
    }
    memcpy(host, text + 1, hn);
    host[hn] = '\0';
    char *pct = strchr(host, '%');
    if (pct) {
        *pct = '\0';
        scope = pct + 1;
    }
    if (close[1] != ':') {
        *err = close[1] ? "junk after ']': expected :PORT" : "missing :PORT after the address";
        return -1;
    }
    const char *ps = close + 2, *pe = strchr(ps, '%');
    if (pe) {
        if (scope) {
            *err = "two scopes";
            return -1;
        }
        scope = pe + 1;
    }
    size_t pn = pe ? (size_t)(pe - ps) : strlen(ps);
    if (pn >= sizeof(portbuf)) {
        *err = "port out of range (1-65535)";
        return -1;
    }
    memcpy(portbuf, ps, pn);
    portbuf[pn] = '\0';
    if (inet_pton(AF_INET6, host, &a->in6.sin6_addr) != 1) {
        *err = "not an IPv6 address";
        return -1;
    }
    if (parse_port(portbuf, &port, err) < 0)
        return -1;
    if (scope && parse_scope(scope, &a->in6.sin6_scope_id, err) < 0)
        return -1;
    a->in6.sin6_family = AF_INET6;
    a->in6.sin6_port = htons((uint16_t)port);
    a->len = sizeof(a->in6);
    return 0;
}

/* "A.B.C.D:PORT"; what else has a ':' says why it is not one. */
static int parse_ipv4(const char *text, struct sock_addr *a, const char **err)
{
    char host[INET_ADDRSTRLEN];
    const char *colon = strrchr(text, ':');
    unsigned port;

    if (!colon) {
        bool dotted = strspn(text, "0123456789.") == strlen(text);
        *err = dotted ? "missing :PORT after the IPv4 address"
                      : "not an address: write a port, ADDR:PORT, [ADDR]:PORT, an absolute "
                        "path or @name (host names are not looked up)";
        return -1;
    }
    size_t hn = (size_t)(colon - text);
    if (memchr(text, ':', hn)) {
        *err = "an IPv6 address needs brackets: [ADDR]:PORT";
        return -1;
    }
    if (memchr(text, '%', hn) || strchr(colon, '%')) {
        *err = "a scope is only for IPv6 addresses";
        return -1;
    }
    if (hn == 0 || hn >= sizeof(host) || strspn(text, "0123456789.") != hn) {
        *err = "not an IPv4 address (host names are not looked up)";
        return -1;
    }
    memcpy(host, text, hn);
    host[hn] = '\0';
    if (inet_pton(AF_INET, host, &a->in.sin_addr) != 1) {
        *err = "not an IPv4 address";
        return -1;
    }
    if (parse_port(colon + 1, &port, err) < 0)
        return -1;
    a->in.sin_family = AF_INET;
    a->in.sin_port = htons((uint16_t)port);
    a->len = sizeof(a->in);
    return 0;
}

int sock_addr_parse(const char *text, struct sock_addr *a, const char **err)
{
    unsigned port;
    int r;

    memset(a, 0, sizeof(*a));
    if (!text || !*text) {
        *err = "empty address";
        return -1;
    }
    if (text[0] == '/' || text[0] == '@')
        r = parse_unix(text, a, err);
    else if (strncmp(text, "vsock:", 6) == 0) {
        *err = "vsock addresses are not supported";
        r = -1;
    } else if (text[0] == '[')
        r = parse_ipv6(text, a, err);
    else if (strspn(text, "0123456789") == strlen(text)) {
        /* A port alone: the IPv6 wildcard, as systemd binds it. */
        r = parse_port(text, &port, err);
        if (r == 0) {
            a->in6.sin6_family = AF_INET6;
            a->in6.sin6_addr = in6addr_any;
            a->in6.sin6_port = htons((uint16_t)port);
            a->len = sizeof(a->in6);
        }
    } else
        r = parse_ipv4(text, a, err);
    if (r < 0)
        memset(a, 0, sizeof(*a));
    return r;
}

int sock_addr_format(const struct sock_addr *a, char *buf, size_t size)
{
    char host[INET6_ADDRSTRLEN];
    const size_t off = offsetof(struct sockaddr_un, sun_path);

    switch (a->sa.sa_family) {
    case AF_INET:
        if (a->len != sizeof(a->in) || !inet_ntop(AF_INET, &a->in.sin_addr, host, sizeof(host)))
            return -1;
        return snprintf(buf, size, "%s:%u", host, ntohs(a->in.sin_port));
    case AF_INET6:
        if (a->len != sizeof(a->in6) || !inet_ntop(AF_INET6, &a->in6.sin6_addr, host, sizeof(host)))
            return -1;
        /* systemd's order: the scope after the port ("[fe80::1]:80%2"). */
        if (a->in6.sin6_scope_id)
            return snprintf(buf, size, "[%s]:%u%%%u", host, ntohs(a->in6.sin6_port),
                            (unsigned)a->in6.sin6_scope_id);
        return snprintf(buf, size, "[%s]:%u", host, ntohs(a->in6.sin6_port));
    case AF_UNIX:
        if (a->len <= off + 1 || a->len > sizeof(a->un))
            return -1;
        if (a->un.sun_path[0] == '\0') /* abstract: exactly len bytes, no NUL */
            return snprintf(buf, size, "@%.*s", (int)(a->len - off - 1), a->un.sun_path + 1);
        return snprintf(buf, size, "%.*s", (int)(a->len - off - 1), a->un.sun_path);
    default:
        return -1;
    }
}

bool sock_addr_equal(const struct sock_addr *a, const struct sock_addr *b)
{
    return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

bool sock_addr_is_path(const struct sock_addr *a)
{
    return a->sa.sa_family == AF_UNIX && a->len > sizeof(sa_family_t) && a->un.sun_path[0];
}
