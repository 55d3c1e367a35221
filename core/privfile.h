/* SPDX-License-Identifier: MIT */
/*
 * privfile.h - files that hold personal data (reject reports, exports) are the
 * owner's alone, like the database: mode 0600 whatever the umask, and a file that
 * already exists with wider rights is narrowed before anything is written to it.
 * Threading: safe anywhere (no shared state).
 */
#ifndef CB_CORE_PRIVFILE_H
#define CB_CORE_PRIVFILE_H

#include <stdio.h>

/* Open 'path' for writing, created or truncated, mode 0600. NULL with errno set
 * on failure. Close it with fclose. */
FILE *privfile_open(const char *path);

#endif
