/* SPDX-License-Identifier: MIT */
/*
 * import_pipe.h - internal to app/import*.c: the reader thread of a two-stage
 * import (see import_kind_t's check and apply) and the bounded queue of batches
 * it hands to the writer.
 *
 * The reader reads rows, checks their shape (import__shape) and runs the kind's
 * 'check' on them, and fills batches of up to IMPORT_PIPE_ROWS rows: the checked
 * rows as items with their records and strings, and the rejected rows with their
 * reasons, both in file order. At most IMPORT_PIPE_BATCHES batches exist, so the
 * reader waits when the writer falls behind, and memory stays bounded.
 *
 * Threading: import_pipe_start, _next, _done and _stop are called from one thread
 * (the writer, which owns the store); the reader thread touches only the csvin_t,
 * the kind's 'check' and the batches it is filling.
 */
#ifndef CB_IMPORT_IMPORT_PIPE_H
#define CB_IMPORT_IMPORT_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "import/csvin.h"
#include "import/import.h"
#include "import/import_shape.h"
#include "core/compiler.h"

/* Rows a batch holds at most: 50,000 (the rows of a transaction) is a multiple. */
#define IMPORT_PIPE_ROWS 2500
/* Batches in flight: one being filled, one being applied, the rest queued. */
#define IMPORT_PIPE_BATCHES 6

typedef struct import_rejected {
    size_t line;
    import_reject_t rej;
} import_rejected_t;

/* One batch, as the writer sees it. Owned by the pipe; valid until import_pipe_done. */
typedef struct import_batch {
    size_t nrows;                /* rows read into this batch, whatever their fate */
    size_t first_line, last_line;
    import_item_t *items;        /* rows for 'apply', in file order */
    size_t nitems;
    import_rejected_t *rejected; /* rows rejected by the reader, in file order */
    size_t nrejected;
    uint64_t done, total;        /* bytes read so far and the file's size (progress) */
    int end;                     /* the last batch: the file ended, or rc < 0 */
    int rc;                      /* with end: CB_OK, or why the reader stopped */
    char err[512];               /* with rc < 0 */
} import_batch_t;

/* What the reader reads with; borrowed until import_pipe_stop. */
typedef struct import_source {
    csvin_t *in;                 /* positioned after the header */
    const import_kind_t *k;      /* with check, apply and rec_size */
    const long *map;             /* the header map of import_run */
    const unsigned char *given;
    size_t header_n;
} import_source_t;

typedef struct import_pipe import_pipe_t;

/* Start the reader thread. CB_ENOMEM when the thread cannot be created. */
CB_NODISCARD int import_pipe_start(const import_source_t *src, import_pipe_t **out);

/* The next batch in file order, waiting for the reader as needed. Never NULL: the
 * last batch has 'end' set; do not call again after it. */
import_batch_t *import_pipe_next(import_pipe_t *p);

/* Hand a batch back for the reader to fill again. */
void import_pipe_done(import_pipe_t *p, import_batch_t *b);

/* Stop the reader (at once, if it has not finished), wait for it and free
 * everything. NULL is a no-op. */
void import_pipe_stop(import_pipe_t *p);

#endif
