/* bench/sockecho.c - copies stdin to stdout until EOF: the echo program
 * that pxinit (StandardInput=socket), xinetd and tcpserver all run, one per
 * connection. No stdio, so no buffering and nothing at exit. */
#include <unistd.h>

int main(void)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, n - off);
            if (w <= 0)
                return 1;
            off += w;
        }
    return 0;
}
