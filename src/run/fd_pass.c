/* fd_pass.c - the list of descriptors a service is given (fd_pass.h). */
#include "run/fd_pass.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void fd_pass_init(struct fd_pass *fp)
{
    memset(fp, 0, sizeof(*fp));
    fp->conn_fd = -1;
}

int fd_pass_add(struct fd_pass *fp, int fd, const char *name)
{
    if (fp->n == fp->cap) {
        size_t cap = fp->cap ? 2 * fp->cap : 8;
        int *fds = realloc(fp->fds, cap * sizeof(*fds));
        if (!fds)
            return -1;
        fp->fds = fds;
        const char **names = realloc(fp->names, cap * sizeof(*names));
        if (!names)
            return -1;
        fp->names = names;
        fp->cap = cap;
    }
    fp->fds[fp->n] = fd;
    fp->names[fp->n] = name;
    fp->n++;
    return 0;
}

void fd_pass_clear(struct fd_pass *fp)
{
    free(fp->fds);
    free(fp->names);
    fd_pass_init(fp);
}
