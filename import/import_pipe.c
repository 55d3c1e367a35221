/* SPDX-License-Identifier: MIT */
/*
 * import_pipe.c - the reader thread of a two-stage import and its bounded queue.
 *
 * Why a thread: a roster import spends about a third of its time parsing and
 * validating (CSV, UTF-8, ID numbers, the duplicate set, categories, dates) and
 * the rest in SQLite. Neither needs the other until a row is complete, so the
 * reader does the first part for batch N+1 while the calling thread writes batch
 * N. The store stays with the calling thread: one connection, one thread.
 */
#include "import/import_pipe.h"

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

/* A batch ends early when its strings reach this much (long rows). */
#define ARENA_SOFT_LIMIT ((size_t)1 << 20)
#define ARENA_BLOCK ((size_t)64 * 1024)

typedef struct arena_block {
    struct arena_block *next;
    size_t cap, used;
    char data[];
} arena_block_t;

/* Blocks are kept from batch to batch; a reset only rewinds them. */
struct import_arena {
    arena_block_t *head, *cur;
    size_t used; /* bytes handed out since the last reset */
};

typedef struct batch {
    import_batch_t pub;        /* first: the writer's view */
    unsigned char *recs;       /* IMPORT_PIPE_ROWS records of rec_size bytes */
    size_t rejected_cap;
    import_arena_t arena;
    struct batch *next;        /* in the queue or the free list */
} batch_t;

struct import_pipe {
    import_source_t src;
    size_t rec_size;           /* rounded up to max_align_t */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t ready;      /* a batch was queued (the writer waits) */
    pthread_cond_t freed;      /* a batch was handed back (the reader waits) */
    batch_t *queue_head, *queue_tail, *free_list;
    int cancel;                /* the writer stopped: the reader must end */
    batch_t batches[IMPORT_PIPE_BATCHES];
};

const char *import_arena_copy(import_arena_t *a, const char *s, size_t len)
{
    arena_block_t *b = a->cur;
    char *out;

    while (b != NULL && b->cap - b->used < len + 1)
        b = b->next; /* a kept block with room (reuse after a reset) */
    if (b == NULL) {
        size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        b = xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = NULL;
        if (a->cur == NULL) {
            a->head = b;
        } else {
            arena_block_t *last = a->cur;
            while (last->next != NULL)
                last = last->next;
            last->next = b;
        }
    }
    a->cur = b;
    out = b->data + b->used;
    if (len > 0)
        memcpy(out, s, len);
    out[len] = '\0';
    b->used += len + 1;
    a->used += len + 1;
    return out;
}

static void arena_reset(import_arena_t *a)
{
    for (arena_block_t *b = a->head; b != NULL; b = b->next)
        b->used = 0;
    a->cur = a->head;
    a->used = 0;
}

static void arena_free(import_arena_t *a)
{
    arena_block_t *b = a->head;
    while (b != NULL) {
        arena_block_t *next = b->next;
        free(b);
        b = next;
    }
}

static void batch_reset(batch_t *b)
{
    b->pub.nrows = b->pub.nitems = b->pub.nrejected = 0;
    b->pub.first_line = b->pub.last_line = 0;
    b->pub.end = 0;
    b->pub.rc = CB_OK;
    b->pub.err[0] = '\0';
    arena_reset(&b->arena);
}

static void add_rejected(batch_t *b, size_t line, const import_reject_t *rej)
{
    if (b->pub.nrejected == b->rejected_cap) {
        b->rejected_cap = b->rejected_cap ? b->rejected_cap * 2 : 16;
        b->pub.rejected = xrealloc(b->pub.rejected, b->rejected_cap * sizeof *b->pub.rejected);
    }
    b->pub.rejected[b->pub.nrejected].line = line;
    b->pub.rejected[b->pub.nrejected].rej = *rej;
    b->pub.nrejected++;
}

/* Read rows into 'b' until it is full or the file ends. */
static void fill_batch(import_pipe_t *p, batch_t *b, const char **v, size_t *vl)
{
    const import_source_t *s = &p->src;
    import_reject_t rej;
    csvin_row_t row;

    while (b->pub.nrows < IMPORT_PIPE_ROWS && b->arena.used < ARENA_SOFT_LIMIT) {
        int rc = csvin_next(s->in, &row), outcome;
        if (rc <= 0) {
            b->pub.end = 1;
            b->pub.rc = rc;
            if (rc < 0)
                snprintf(b->pub.err, sizeof b->pub.err, "after line %zu: %s", b->pub.last_line,
                         cb_strerror(rc));
            break;
        }
        if (b->pub.nrows++ == 0)
            b->pub.first_line = row.line;
        b->pub.last_line = row.line;
        outcome = import__shape(s->k, s->map, s->header_n, &row, v, vl, &rej);
        if (outcome == IMPORT_PENDING) {
            import_item_t *it = &b->pub.items[b->pub.nitems];
            import_fields_t f = {row.line, v, vl, s->given};
            it->line = row.line;
            it->rec = b->recs + b->pub.nitems * p->rec_size;
            it->outcome = IMPORT_PENDING;
            memset(it->rec, 0, p->rec_size);
            outcome = s->k->check(s->k->ud, &f, it->rec, &b->arena, &rej);
            if (outcome == IMPORT_PENDING)
                b->pub.nitems++;
        }
        if (outcome == IMPORT_REJECTED) {
            add_rejected(b, row.line, &rej);
        } else if (outcome < 0) {
            b->pub.end = 1;
            b->pub.rc = outcome;
            snprintf(b->pub.err, sizeof b->pub.err, "line %zu: %s", row.line,
                     cb_strerror(outcome));
            break;
        }
    }
    csvin_progress(s->in, &b->pub.done, &b->pub.total);
}

static void *reader_main(void *arg)
{
    import_pipe_t *p = arg;
    const char **v = xcalloc(p->src.k->ncols, sizeof *v);
    size_t *vl = xcalloc(p->src.k->ncols, sizeof *vl);
    int end = 0;

    while (!end) {
        batch_t *b;
        pthread_mutex_lock(&p->mu);
        while (p->free_list == NULL && !p->cancel)
            pthread_cond_wait(&p->freed, &p->mu);
        b = p->cancel ? NULL : p->free_list;
        if (b != NULL)
            p->free_list = b->next;
        pthread_mutex_unlock(&p->mu);
        if (b == NULL)
            break;
        batch_reset(b);
        fill_batch(p, b, v, vl);
        end = b->pub.end;
        pthread_mutex_lock(&p->mu);
        b->next = NULL;
        if (p->queue_tail != NULL)
            p->queue_tail->next = b;
        else
            p->queue_head = b;
        p->queue_tail = b;
        pthread_cond_signal(&p->ready);
        pthread_mutex_unlock(&p->mu);
    }
    free(v);
    free(vl);
    return NULL;
}

int import_pipe_start(const import_source_t *src, import_pipe_t **out)
{
    import_pipe_t *p = xcalloc(1, sizeof *p);
    size_t align = alignof(max_align_t);

    *out = NULL;
    p->src = *src;
    p->rec_size = (src->k->rec_size + align - 1) / align * align;
    for (int i = 0; i < IMPORT_PIPE_BATCHES; i++) {
        batch_t *b = &p->batches[i];
        b->pub.items = xcalloc(IMPORT_PIPE_ROWS, sizeof *b->pub.items);
        b->recs = xmalloc(IMPORT_PIPE_ROWS * p->rec_size);
        b->next = p->free_list;
        p->free_list = b;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    pthread_cond_init(&p->freed, NULL);
    if (pthread_create(&p->thread, NULL, reader_main, p) != 0) {
        p->cancel = 1; /* nothing to join */
        import_pipe_stop(p);
        return CB_ENOMEM;
    }
    *out = p;
    return CB_OK;
}

import_batch_t *import_pipe_next(import_pipe_t *p)
{
    batch_t *b;

    pthread_mutex_lock(&p->mu);
    while (p->queue_head == NULL)
        pthread_cond_wait(&p->ready, &p->mu);
    b = p->queue_head;
    p->queue_head = b->next;
    if (p->queue_head == NULL)
        p->queue_tail = NULL;
    pthread_mutex_unlock(&p->mu);
    return &b->pub;
}

void import_pipe_done(import_pipe_t *p, import_batch_t *pub)
{
    /* pub is the first member of its batch_t. */
    batch_t *b = (batch_t *)(void *)((char *)pub - offsetof(batch_t, pub));

    pthread_mutex_lock(&p->mu);
    b->next = p->free_list;
    p->free_list = b;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
}

void import_pipe_stop(import_pipe_t *p)
{
    int joinable;

    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    joinable = !p->cancel;
    p->cancel = 1;
    pthread_cond_signal(&p->freed);
    pthread_mutex_unlock(&p->mu);
    if (joinable)
        pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->ready);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->mu);
    for (int i = 0; i < IMPORT_PIPE_BATCHES; i++) {
        free(p->batches[i].pub.items);
        free(p->batches[i].pub.rejected);
        free(p->batches[i].recs);
        arena_free(&p->batches[i].arena);
    }
    free(p);
}
