/* pxtest-fusehang.c - a file system that hangs, for the end-to-end tests:
 * what a dead NFS server or a stuck FUSE daemon does to whoever looks inside.
 *
 *   pxtest-fusehang DIR
 *
 * Mounts a FUSE file system on DIR (raw /dev/fuse: no libfuse), answers the
 * kernel's INIT and the root's GETATTR, and never answers anything else: a
 * lookup of any name below DIR (chdir, open, execve of DIR/x) blocks until
 * the caller gets a fatal signal or this process dies, which ends the mount's
 * connection. Returns once DIR is mounted, serving from a child; exits 77
 * where FUSE cannot be mounted (no /dev/fuse, no CAP_SYS_ADMIN).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void reply(int fd, uint64_t unique, int error, const void *body, size_t len)
{
    struct fuse_out_header h = {
        .len = (uint32_t)(sizeof(h) + len), .error = error, .unique = unique};
    struct iovec iov[2] = {{&h, sizeof(h)}, {(void *)body, len}};
    (void)writev(fd, iov, body ? 2 : 1);
}

static void serve(int fd)
{
    static char buf[(1 << 20) + 4096]; /* more than max_write plus a page */
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == ENOENT))
            continue;
        if (n < (ssize_t)sizeof(struct fuse_in_header))
            _exit(0); /* unmounted */
        const struct fuse_in_header *in = (const void *)buf;
        if (in->opcode == FUSE_INIT) {
            struct fuse_init_out out = {.major = FUSE_KERNEL_VERSION,
                                        .minor = 31,
                                        .max_readahead = 65536,
                                        .max_write = 65536,
                                        .max_background = 16,
                                        .congestion_threshold = 12};
            reply(fd, in->unique, 0, &out, sizeof(out));
        } else if (in->opcode == FUSE_GETATTR && in->nodeid == FUSE_ROOT_ID) {
            struct fuse_attr_out out = {.attr_valid = 3600};
            out.attr.ino = FUSE_ROOT_ID;
            out.attr.mode = S_IFDIR | 0755;
            out.attr.nlink = 2;
            reply(fd, in->unique, 0, &out, sizeof(out));
        } else if (in->opcode == FUSE_LOOKUP || in->opcode == FUSE_INTERRUPT ||
                   in->opcode == FUSE_FORGET || in->opcode == FUSE_BATCH_FORGET) {
            /* The hang: no answer, ever (forgets take none anyway). */
        } else {
            reply(fd, in->unique, -ENOSYS, NULL, 0);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pxtest-fusehang DIR\n");
        return 2;
    }
    int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        perror("pxtest-fusehang: /dev/fuse");
        return 77;
    }
    /* Mounted first: /dev/fuse refuses reads (EPERM) before; the kernel's
     * INIT waits in the queue for the server. */
    char opts[128];
    snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
    if (mount("pxtest-fusehang", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts) < 0) {
        perror("pxtest-fusehang: mount");
        return 77;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("pxtest-fusehang: fork");
        umount2(argv[1], MNT_DETACH);
        return 1;
    }
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        serve(fd);
    }
    return 0;
}
