/* SPDX-License-Identifier: MIT */
#include "core/privfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

FILE *privfile_open(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600), saved;
    FILE *fp;

    if (fd < 0)
        return NULL;
    /* Narrow an existing file first, then empty it: its old contents are never
     * readable by others past this point. */
    if (fchmod(fd, 0600) < 0 || ftruncate(fd, 0) < 0 || (fp = fdopen(fd, "w")) == NULL) {
        saved = errno;
        close(fd);
        errno = saved;
        return NULL;
    }
    return fp;
}
