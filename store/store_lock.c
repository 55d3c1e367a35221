/* SPDX-License-Identifier: MIT */
#include "store/store_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/err.h"
#include "core/num.h"

/* The pid holding a flock on the file open as 'fd', from /proc/locks (Linux), or 0. */
static long flock_holder(int fd)
{
    struct stat sb;
    char want[64], line[256];
    long pid = 0;
    FILE *fp;

    if (fstat(fd, &sb) != 0 || (fp = fopen("/proc/locks", "r")) == NULL)
        return 0;
    /* "1: FLOCK  ADVISORY  WRITE 2127 fe:00:10955923 0 EOF"; waiters have "->". */
    snprintf(want, sizeof want, "%02x:%02x:%llu", major(sb.st_dev), minor(sb.st_dev),
             (unsigned long long)sb.st_ino);
    while (pid == 0 && fgets(line, sizeof line, fp) != NULL) {
        const char *f[6];
        size_t n = 0;
        int64_t p;
        char *save = NULL;

        if (strstr(line, "->") != NULL)
            continue;
        for (char *t = strtok_r(line, " \t\n", &save); t != NULL && n < 6;
             t = strtok_r(NULL, " \t\n", &save))
            f[n++] = t;
        /* fields: "1:" kind mode access pid dev:inode ... */
        if (n == 6 && strcmp(f[1], "FLOCK") == 0 && strcmp(f[5], want) == 0 &&
            num_parse_count(f[4], strlen(f[4]), &p) == CB_OK)
            pid = (long)p;
    }
    fclose(fp);
    return pid;
}

int store_lock_daemon(const char *path, int *fd, char *err, size_t errlen)
{
    long pid;
    int e;

    *fd = -1;
    if (strcmp(path, ":memory:") == 0)
        return CB_OK;
    *fd = open(path, O_RDWR | O_CLOEXEC);
    if (*fd < 0 && errno == ENOENT)
        return CB_OK;
    if (*fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
        return CB_OK;
    e = errno;
    if (e != EWOULDBLOCK) {
        snprintf(err, errlen, "%s: cannot lock: %s", path, strerror(e));
    } else if ((pid = flock_holder(*fd)) > 0) {
        snprintf(err, errlen, "database %s is in use by another canbao serve (pid %ld)", path,
                 pid);
    } else {
        snprintf(err, errlen, "database %s is in use by another canbao serve", path);
    }
    /* Nothing of this process has the database open yet: closing drops no lock. */
    close(*fd);
    *fd = -1;
    return e == EWOULDBLOCK ? CB_EBUSY : CB_EIO;
}

void store_unlock_daemon(int fd)
{
    if (fd >= 0)
        close(fd); /* releases the flock */
}
