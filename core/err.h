/* SPDX-License-Identifier: MIT */
/*
 * err.h - the one error model: int result, 0 on success, a negative CB_E* on failure.
 * Threading: constants and a pure function; safe anywhere.
 */
#ifndef CB_CORE_ERR_H
#define CB_CORE_ERR_H

enum {
    CB_OK = 0,
    CB_EINVAL = -1,    /* bad argument: usually a caller bug */
    CB_ENOMEM = -2,    /* a library reported allocation failure */
    CB_ENOTFOUND = -3,
    CB_EEXIST = -4,
    CB_EBUSY = -5,     /* locked (SQLITE_BUSY); retry later */
    CB_EIO = -6,
    CB_ETEMP = -7,     /* remote failed, worth retrying (5xx, timeout) */
    CB_EREJECTED = -8, /* remote refused, never retry (4xx, bad number) */
    CB_EPARSE = -9,    /* malformed external input */
    CB_ETOOBIG = -10,  /* input exceeded a configured limit */
    CB_ESTATE = -11,   /* call not valid in the object's current state */
    CB_ECONFIG = -12   /* configuration or policy file is invalid */
};

/* A static English phrase for 'rc'; never NULL. */
const char *cb_strerror(int rc);

#endif
