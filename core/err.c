/* SPDX-License-Identifier: MIT */
#include "core/err.h"

const char *cb_strerror(int rc)
{
    switch (rc) {
    case CB_OK: return "success";
    case CB_EINVAL: return "invalid argument";
    case CB_ENOMEM: return "out of memory";
    case CB_ENOTFOUND: return "not found";
    case CB_EEXIST: return "already exists";
    case CB_EBUSY: return "busy";
    case CB_EIO: return "input/output error";
    case CB_ETEMP: return "temporary failure";
    case CB_EREJECTED: return "rejected";
    case CB_EPARSE: return "malformed input";
    case CB_ETOOBIG: return "too big";
    case CB_ESTATE: return "invalid state";
    case CB_ECONFIG: return "invalid configuration";
    default: return "unknown error";
    }
}
