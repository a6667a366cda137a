/* socket_conn.c - what an Accept=yes connection is called and where it
 * comes from (socket_open.h): systemd's instance string and REMOTE_ADDR,
 * and the key MaxConnectionsPerSource= counts by.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/sockaddr.h"
#include "run/socket_open.h"

/* ::ffff:a.b.c.d: an IPv4 peer of a dual-stack socket. */
static bool v4_mapped(const struct in6_addr *a)
{
    return IN6_IS_ADDR_V4MAPPED(a);
}

static int put(char *buf, size_t size, int n)
{
    if (n < 0 || (size_t)n >= size) {
        errno = ENOSPC;
        return -1;
    }
    return 0;
}

/* An IP address as text, numeric; a v4-mapped IPv6 address as IPv4 when
 * translate is set; an IPv6 scope as "%ifname". */
static int ip_text(const struct sock_addr *a, bool translate, char *buf, size_t size)
{
    char t[INET6_ADDRSTRLEN];
    if (a->sa.sa_family == AF_INET) {
        if (!inet_ntop(AF_INET, &a->in.sin_addr, t, sizeof(t)))
            return -1;
        return put(buf, size, snprintf(buf, size, "%s", t));
    }
    const struct in6_addr *in6 = &a->in6.sin6_addr;
    if (translate && v4_mapped(in6)) {
        if (!inet_ntop(AF_INET, in6->s6_addr + 12, t, sizeof(t)))
            return -1;
        return put(buf, size, snprintf(buf, size, "%s", t));
    }
    if (!inet_ntop(AF_INET6, in6, t, sizeof(t)))
        return -1;
    if (!a->in6.sin6_scope_id)
        return put(buf, size, snprintf(buf, size, "%s", t));
    char ifn[IF_NAMESIZE];
    if (if_indextoname(a->in6.sin6_scope_id, ifn))
        return put(buf, size, snprintf(buf, size, "%s%%%s", t, ifn));
    return put(buf, size, snprintf(buf, size, "%s%%%u", t, (unsigned)a->in6.sin6_scope_id));
}

static unsigned ip_port(const struct sock_addr *a)
{
    return ntohs(a->sa.sa_family == AF_INET ? a->in.sin_port : a->in6.sin6_port);
}

static int names(int fd, struct sock_addr *local, struct sock_addr *remote)
{
    memset(local, 0, sizeof(*local));
    memset(remote, 0, sizeof(*remote));
    local->len = sizeof(local->ss);
    remote->len = sizeof(remote->ss);
    if (getsockname(fd, &local->sa, &local->len) < 0 ||
        getpeername(fd, &remote->sa, &remote->len) < 0)
        return -1;
    return 0;
}

static int describe_unix(int fd, unsigned nr, char *inst, size_t isize)
{
    struct ucred cr;
    socklen_t n = sizeof(cr);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &n) < 0)
        return -1;
    /* A peer in another PID namespace shows as pid 0: systemd says
     * "unknown" then. */
    if (n != sizeof(cr) || cr.pid <= 0)
        return put(inst, isize, snprintf(inst, isize, "%u-unknown", nr));
    return put(inst, isize,
               snprintf(inst, isize, "%u-%ld-%lu", nr, (long)cr.pid, (unsigned long)cr.uid));
}

int socket_conn_describe(int fd, unsigned nr, char *inst, size_t isize, char *addr, size_t asize,
                         unsigned *port)
{
    struct sock_addr local, remote;
    if (asize)
        addr[0] = '\0';
    *port = 0;
    if (names(fd, &local, &remote) < 0)
        return -1;
    int family = local.sa.sa_family;
    if (family == AF_UNIX)
        return describe_unix(fd, nr, inst, isize);
    if ((family != AF_INET && family != AF_INET6) || remote.sa.sa_family != family) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    /* systemd 252's instance_from_socket(): IPv6 without brackets, and a
     * pair of v4-mapped addresses as IPv4. */
    bool translate =
        family == AF_INET6 && v4_mapped(&local.in6.sin6_addr) && v4_mapped(&remote.in6.sin6_addr);
    char l[INET6_ADDRSTRLEN + IF_NAMESIZE + 1], r[sizeof(l)];
    struct sock_addr lbare = local, rbare = remote;
    if (family == AF_INET6)
        lbare.in6.sin6_scope_id = rbare.in6.sin6_scope_id = 0;
    if (ip_text(&lbare, translate, l, sizeof(l)) < 0 ||
        ip_text(&rbare, translate, r, sizeof(r)) < 0)
        return -1;
    if (put(inst, isize,
            snprintf(inst, isize, "%u-%s:%u-%s:%u", nr, l, ip_port(&local), r, ip_port(&remote))) <
        0)
        return -1;
    /* REMOTE_ADDR as systemd's sockaddr_pretty(translate_ipv6=true). */
    if (ip_text(&remote, true, addr, asize) < 0)
        return -1;
    *port = ip_port(&remote);
    return 0;
}

/* SipHash-2-4 (Aumasson, Bernstein), keyed at random once: a peer that
 * picks its IPv6 address in its own /64 must not be able to land on the
 * count of another source. */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
    v[0] += v[1];
    v[1] = ROTL(v[1], 13) ^ v[0];
    v[0] = ROTL(v[0], 32);
    v[2] += v[3];
    v[3] = ROTL(v[3], 16) ^ v[2];
    v[0] += v[3];
    v[3] = ROTL(v[3], 21) ^ v[0];
    v[2] += v[1];
    v[1] = ROTL(v[1], 17) ^ v[2];
    v[2] = ROTL(v[2], 32);
}

static uint64_t siphash24(const uint8_t *in, size_t len, const uint64_t k[2])
{
    uint64_t v[4] = {0x736f6d6570736575ULL ^ k[0], 0x646f72616e646f6dULL ^ k[1],
                     0x6c7967656e657261ULL ^ k[0], 0x7465646279746573ULL ^ k[1]};
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t m = 0;
        for (int j = 7; j >= 0; j--)
            m = (m << 8) | in[i + (size_t)j];
        v[3] ^= m;
        sip_round(v);
        sip_round(v);
        v[0] ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t j = 0; i + j < len; j++)
        b |= (uint64_t)in[i + j] << (8 * j);
    v[3] ^= b;
    sip_round(v);
    sip_round(v);
    v[0] ^= b;
    v[2] ^= 0xff;
    for (int j = 0; j < 4; j++)
        sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static const uint64_t *source_key(void)
{
    /* The one process-wide value here: a key drawn once, never exposed. */
    static uint64_t key[2];
    static bool set;
    if (!set) {
        if (getrandom(key, sizeof(key), GRND_NONBLOCK) != (ssize_t)sizeof(key)) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            key[0] ^= (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
            key[1] ^= (uint64_t)ts.tv_sec * 0xc2b2ae3d27d4eb4fULL ^ (uint64_t)(uintptr_t)&ts;
        }
        set = true;
    }
    return key;
}

uint64_t socket_conn_source(int fd)
{
    struct sock_addr peer;
    memset(&peer, 0, sizeof(peer));
    peer.len = sizeof(peer.ss);
    if (getpeername(fd, &peer.sa, &peer.len) < 0)
        return 0;
    /* A family byte, then the address: an IPv4 peer counts the same
     * whether it came through an IPv4 or a dual-stack IPv6 socket. */
    uint8_t in[1 + 16];
    size_t n;
    switch (peer.sa.sa_family) {
    case AF_INET:
        in[0] = 4;
        memcpy(in + 1, &peer.in.sin_addr, 4);
        n = 5;
        break;
    case AF_INET6:
        if (v4_mapped(&peer.in6.sin6_addr)) {
            in[0] = 4;
            memcpy(in + 1, peer.in6.sin6_addr.s6_addr + 12, 4);
            n = 5;
        } else {
            in[0] = 6;
            memcpy(in + 1, &peer.in6.sin6_addr, 16);
            n = 17;
        }
        break;
    case AF_UNIX: {
        struct ucred cr;
        socklen_t len = sizeof(cr);
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || len != sizeof(cr))
            return 0;
        in[0] = 1;
        memcpy(in + 1, &cr.uid, sizeof(cr.uid));
        n = 1 + sizeof(cr.uid);
        break;
    }
    default:
        return 0;
    }
    uint64_t h = siphash24(in, n, source_key());
    return h ? h : 1;
}
