/* SPDX-License-Identifier: MIT */
/*
 * todo_sheet.h - a worker's ranked to-do list (jobs/todo.h) made printable: the
 * first households with their unpaid members, places, amounts and reasons; written
 * as CSV and HTML (todo_files.c) or rendered with the worker_todo template.
 *
 * What a sheet shows: full names (the worker visits them), full phone numbers (the
 * worker calls them; the files are written mode 0600 for the worker alone), ID
 * numbers masked (430923********7878: enough to tell people apart, nothing to
 * copy). The message built by todo_sheet_ctx carries no phones or ID numbers: it
 * passes through gateways and may land in a group chat.
 *
 * Threading: the caller's.
 */
#ifndef CB_JOBS_TODO_SHEET_H
#define CB_JOBS_TODO_SHEET_H

#include <stddef.h>
#include <stdio.h>

#include "jobs/todo.h"
#include "core/policy.h"
#include "store/store_worker.h"
#include "templates/tpl.h"

typedef struct todo_member {
    char name[128], id_masked[24], phone[24], relation[32], category[64], amount[24];
} todo_member_t;

typedef struct todo_row {
    const todo_entry_t *e; /* borrowed from the sheet's list */
    int pos;               /* 1-based */
    char township[128], village[128], group[128];
    char reasons[512];     /* Chinese, with figures */
    char codes[256];       /* reason codes, ',' separated */
    char last_contact[11]; /* "YYYY-MM-DD", "" never */
    char said[768];        /* who said what, waiting for the worker ("人4说已缴费：我交了"),
                            * free text masked (mask_text); "" when nothing */
    todo_member_t *m;
    size_t nm;
} todo_row_t;

typedef struct todo_sheet {
    const store_worker_t *w; /* borrowed */
    char day[11];
    char area[512];          /* the villages of the listed households, "、" separated */
    size_t households;       /* on the whole ranking */
    int unpaid;              /* unpaid members on the whole ranking */
    todo_list_t list;        /* the ranking (owned) */
    todo_row_t *rows;        /* the first 'n' households of it */
    size_t n;
} todo_sheet_t;

/* Rank worker 'w' (todo_rank) and fill 'out' with its first 'max' households.
 * CB_OK or a store failure; free with todo_sheet_free either way. */
CB_NODISCARD int todo_sheet_build(store_t *st, const policy_t *pol, int64_t campaign,
                                  const store_worker_t *w, cb_date_t day, int64_t now,
                                  size_t max, todo_sheet_t *out);
void todo_sheet_free(todo_sheet_t *s);

/* How the worker_todo message is made (todo_sheet_ctx's 'how'). */
enum todo_msg {
    TODO_MSG_MARKDOWN = 1, /* a robot route: the "markdown" variable is true */
    TODO_MSG_BRIEF = 2     /* an SMS with a part limit: each household's first reason only */
};

/* The worker_todo variables for the first 'listed' rows (campaign variables
 * included), made as 'how' (enum todo_msg bits) says; destroy with tpl_ctx_destroy. */
tpl_ctx_t *todo_sheet_ctx(const todo_sheet_t *s, const policy_t *pol, cb_date_t today,
                          size_t listed, unsigned how);

/* The sheet as CSV (UTF-8 with BOM for Excel, one line per member) or as a
 * printable HTML page. CB_OK or CB_EIO. */
CB_NODISCARD int todo_write_csv(const todo_sheet_t *s, FILE *fp);
CB_NODISCARD int todo_write_html(const todo_sheet_t *s, FILE *fp);
/* The sheet as plain text for a terminal ('canbao todo --print'). */
CB_NODISCARD int todo_write_text(const todo_sheet_t *s, FILE *fp);

/* job_todo for every worker, or only the worker with code 'worker' (NULL: all;
 * CB_ENOTFOUND when there is none). */
struct job_env;
struct job_result;
CB_NODISCARD int todo_job_run(const struct job_env *env, const char *worker,
                              struct job_result *res);

#endif
