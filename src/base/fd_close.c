/* fd_close.c - closing an fd that another process shaped (fd_close.h). */
#include "base/fd_close.h"

#include <sys/socket.h>
#include <unistd.h>

void fd_close_foreign(int fd)
{
    if (fd < 0)
        return;
    /* Off: the close returns at once and the kernel sends what is left in
     * the background. ENOTSOCK for anything else, which is fine. */
    struct linger off = {.l_onoff = 0, .l_linger = 0};
    (void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
    close(fd);
}
