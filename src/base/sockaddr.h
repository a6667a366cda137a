/* sockaddr.h - socket addresses as systemd.socket(5) writes them.
 *
 * ListenStream=/ListenDatagram=/ListenSequentialPacket= take a port ("80":
 * [::]:80, which also takes IPv4 unless BindIPv6Only=ipv6-only; where the
 * machine has no IPv6 the opener binds 0.0.0.0:80 instead), "ADDR:PORT"
 * (IPv4), "[V6]:PORT" (IPv6, optionally "[fe80::1%eth0]:80"), an absolute
 * path, or "@name" (an abstract socket: a NUL byte then the name). Parsing
 * is pure (no lookups, no system calls), so `pxinit check` and the fuzz
 * harness use it as the daemon does.
 */
#ifndef PXINIT_SOCKADDR_H
#define PXINIT_SOCKADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

struct sock_addr {
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_un un;
        struct sockaddr_storage ss;
    };
    socklen_t len; /* for bind(): an abstract name's length counts, no NUL after it */
};

/* Parses text into *a. 0, or -1 with *err set to a static reason ("port
 * out of range", "path too long", ...) that the caller shows after the
 * file, line and key. */
int sock_addr_parse(const char *text, struct sock_addr *a, const char **err);

/* Writes a as systemd shows it ("127.0.0.1:80", "[::]:80", "/run/x.sock",
 * "@name") into buf; the length written (snprintf's), -1 when a's family is
 * none of these. */
int sock_addr_format(const struct sock_addr *a, char *buf, size_t size);

/* True when a and b name the same address (family, bytes, length). */
bool sock_addr_equal(const struct sock_addr *a, const struct sock_addr *b);

/* True for AF_UNIX addresses with a file system path (not abstract). */
bool sock_addr_is_path(const struct sock_addr *a);

#endif
