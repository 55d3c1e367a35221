/* SPDX-License-Identifier: MIT */
/* fuzz.h - shared by the libFuzzer targets. */
#ifndef CB_FUZZ_FUZZ_H
#define CB_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the code under test: abort, which libFuzzer reports. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#endif
