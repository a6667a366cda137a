/* private_dir.c - a directory that must be the caller's alone (private_dir.h). */
#include "base/private_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *private_dir_check(const char *dir, bool create)
{
    if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
        return strerror(errno);
    /* O_NOFOLLOW|O_DIRECTORY: a symlink planted at dir, or any other
     * file, fails (ELOOP or ENOTDIR). The checks are on the open directory:
     * a swap after them changes nothing they saw. */
    int fd;
    do
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    struct stat st;
    if (fd < 0) {
        /* Why, for the message only: the refusal stands anyway. */
        int e = errno;
        bool seen = lstat(dir, &st) == 0;
        if (e == ELOOP || (seen && S_ISLNK(st.st_mode)))
            return "it is a symlink";
        if (e == ENOTDIR)
            return "it is not a directory";
        if (seen && st.st_uid != geteuid()) /* another user's 0700 directory */
            return "another user owns it";
        return strerror(e);
    }
    int r = fstat(fd, &st);
    int e = errno;
    close(fd);
    if (r < 0)
        return strerror(e);
    if (st.st_uid != geteuid())
        return "another user owns it";
    if ((st.st_mode & 07777) != 0700)
        return "its mode is not 0700";
    return NULL;
}
