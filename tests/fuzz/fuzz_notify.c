/* fuzz_notify.c - notify_parse(), the sd_notify datagram parser.
 *
 * Any bytes a local process can send to the notify socket (at most the
 * daemon's 4 KiB buffer). notify_parse() is already pure: the harness feeds
 * it an exact-size copy so any read past the datagram is caught.
 * Properties: STATUS= points inside the datagram; the numbers that pass are
 * in the ranges the supervisor relies on (a positive pid, errno < 4096, a
 * positive watchdog period).
 */
#include "fuzz.h"

#include "run/notify.h"

#define NOTIFY_MAX 4096 /* notify.c's NOTIFY_BUFFER_MAX */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > NOTIFY_MAX)
        return 0; /* the daemon drops longer datagrams unread */
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    struct notify_msg m;
    notify_parse(buf, size, &m);
    if (m.status) {
        FUZZ_ASSERT(m.status >= buf && m.status <= buf + size);
        FUZZ_ASSERT(m.status_len <= (size_t)(buf + size - m.status));
        FUZZ_ASSERT(memchr(m.status, '\n', m.status_len) == NULL);
    }
    if (m.has_mainpid)
        FUZZ_ASSERT(m.mainpid > 0);
    if (m.has_errno)
        FUZZ_ASSERT(m.err >= 0 && m.err < 4096);
    if (m.has_watchdog_usec)
        FUZZ_ASSERT(m.watchdog_usec > 0);
    free(buf);
    return 0;
}
