/* SPDX-License-Identifier: MIT */
/* todo_files.c - a to-do sheet as CSV and as a printable HTML page. Names and
 * places come from the roster: control characters are escaped, CSV cells cannot
 * start a formula (core/safetext.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/todo_sheet.h"
#include "core/err.h"
#include "core/safetext.h"

static void csv_line(FILE *fp, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        safetext_csv_cell(fp, f[i], i + 1 == n);
}

int todo_write_csv(const todo_sheet_t *s, FILE *fp)
{
    static const char *const head[] = {"pos",        "household", "township", "village",
                                       "group",      "reasons",   "reason_codes", "name",
                                       "relation",   "id_number", "phone",    "amount_yuan",
                                       "category",   "last_contact", "last_visit", "said"};
    enum { NCOLS = sizeof head / sizeof head[0] };

    fputs("\xEF\xBB\xBF", fp); /* Excel reads UTF-8 only with a BOM */
    csv_line(fp, head, NCOLS);
    for (size_t i = 0; i < s->n; i++) {
        const todo_row_t *r = &s->rows[i];
        char pos[16], visit[40];

        snprintf(pos, sizeof pos, "%d", r->pos);
        snprintf(visit, sizeof visit, "%s%s%s", r->e->visit_day, r->e->visit_day[0] ? " " : "",
                 r->e->visit_outcome);
        for (size_t k = 0; k < r->nm; k++) {
            const todo_member_t *m = &r->m[k];
            const char *f[NCOLS] = {pos,         r->e->code,  r->township,  r->village,
                                    r->group,    r->reasons,  r->codes,     m->name,
                                    m->relation, m->id_masked, m->phone,    m->amount,
                                    m->category, r->last_contact, visit,      r->said};
            csv_line(fp, f, NCOLS);
        }
    }
    return ferror(fp) ? CB_EIO : CB_OK;
}

/* 's' with control characters (safetext) and &, <, >, " and ' escaped. */
static void html(FILE *fp, const char *text)
{
    char *safe = safetext_dup(text);

    for (const char *s = safe; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        case '\'': fputs("&#39;", fp); break;
        default: fputc(*s, fp);
        }
    }
    free(safe);
}

static const char css[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;font-size:11pt;"
    "margin:1.5em;overflow-wrap:anywhere}\n"
    "h1{font-size:15pt;margin:0 0 .3em}p.sum{margin:0 0 1em}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{border:1px solid #444;padding:3px 5px;vertical-align:top;text-align:left}\n"
    "th{background:#eee}td.pos{text-align:right;font-weight:bold}\n"
    "tbody{page-break-inside:avoid;break-inside:avoid}\n"
    ".why{color:#a00}.box{white-space:nowrap}.said{color:#005;font-weight:bold}\n"
    /* A phone (390 px): one cell a line, labelled, no side scrolling. */
    "@media screen and (max-width:600px){body{margin:.5em;font-size:12pt}"
    "table,tbody,tr,td{display:block;width:auto}thead{display:none}"
    "tbody{border:1px solid #444;margin:0 0 .8em;padding:.3em}"
    "td{border:none;padding:1px 0}td.pos{text-align:left}td.pos::before{content:\"#\"}"
    "td[data-l]::before{content:attr(data-l) \"：\";color:#666}.box{white-space:normal}}\n"
    "@media print{body{margin:0;font-size:10pt}@page{size:A4 landscape;margin:12mm}"
    "th{background:none}thead{display:table-header-group}}\n";

static void household_html(FILE *fp, const todo_row_t *r)
{
    fputs("<tbody>\n", fp);
    for (size_t k = 0; k < r->nm; k++) {
        const todo_member_t *m = &r->m[k];

        fputs("<tr>", fp);
        if (k == 0) {
            fprintf(fp, "<td class=\"pos\" rowspan=\"%zu\">%d</td><td rowspan=\"%zu\">", r->nm,
                    r->pos, r->nm);
            html(fp, r->e->code);
            fputs("<br>", fp);
            html(fp, r->village);
            html(fp, r->group);
            fprintf(fp, "</td><td class=\"why\" rowspan=\"%zu\">", r->nm);
            if (r->said[0]) {
                fputs("<span class=\"said\">", fp);
                html(fp, r->said);
                fputs("</span><br>", fp);
            }
            html(fp, r->reasons);
            fputs("</td>", fp);
        }
        fputs("<td>", fp);
        html(fp, m->name);
        fputs("</td><td data-l=\"关系\">", fp);
        html(fp, m->relation);
        fputs("</td><td data-l=\"身份证\">", fp);
        html(fp, m->id_masked);
        fputs("</td><td data-l=\"电话\">", fp);
        html(fp, m->phone);
        fputs("</td><td data-l=\"应缴\">", fp);
        html(fp, m->amount);
        fputs("元 ", fp);
        html(fp, m->category);
        fputs("</td>", fp);
        if (k == 0) {
            fprintf(fp, "<td data-l=\"最近联系\" rowspan=\"%zu\">", r->nm);
            html(fp, r->last_contact[0] ? r->last_contact : "从未");
            fprintf(fp, "</td><td class=\"box\" rowspan=\"%zu\">□已缴 □承诺 □放弃<br>"
                        "□外出 □拒缴</td>", r->nm);
        }
        fputs("</tr>\n", fp);
    }
    fputs("</tbody>\n", fp);
}

int todo_write_html(const todo_sheet_t *s, FILE *fp)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", fp);
    html(fp, s->w->name);
    fprintf(fp, " 待办名单 %s</title>\n<style>\n%s</style></head><body>\n<h1>", s->day, css);
    html(fp, s->w->name);
    fputs("（", fp);
    html(fp, s->w->code);
    fprintf(fp, "）待办名单 %s</h1>\n<p class=\"sum\">", s->day);
    html(fp, s->area);
    fprintf(fp, " 共%zu户%d人未缴，列出前%zu户。电话请勿外传；身份证号已打码。</p>\n",
            s->households, s->unpaid, s->n);
    fputs("<table>\n<thead><tr><th>序号</th><th>户号/村组</th><th>原因</th><th>姓名</th>"
          "<th>关系</th><th>身份证号</th><th>电话</th><th>应缴</th><th>最近联系</th>"
          "<th>走访结果</th></tr></thead>\n", fp);
    for (size_t i = 0; i < s->n; i++)
        household_html(fp, &s->rows[i]);
    fputs("</table>\n</body></html>\n", fp);
    return ferror(fp) ? CB_EIO : CB_OK;
}

int todo_write_text(const todo_sheet_t *s, FILE *fp)
{
    safetext_printf(fp, "%s (%s) %s: %zu households, %d unpaid, %zu listed\n", s->w->name,
                    s->w->code, s->day, s->households, s->unpaid, s->n);
    for (size_t i = 0; i < s->n; i++) {
        const todo_row_t *r = &s->rows[i];

        safetext_printf(fp, "%3d. %s %s%s%s  %s; last contact %s%s%s\n", r->pos, r->e->code,
                        r->township, r->village, r->group, r->reasons,
                        r->last_contact[0] ? r->last_contact : "never",
                        r->e->visit_day[0] ? "; visited " : "", r->e->visit_day);
        if (r->said[0])
            safetext_printf(fp, "     said: %s\n", r->said);
        for (size_t k = 0; k < r->nm; k++) {
            const todo_member_t *m = &r->m[k];
            safetext_printf(fp, "     %s %s %s %s %s元%s%s\n", m->name, m->relation,
                            m->id_masked, m->phone[0] ? m->phone : "-", m->amount,
                            m->category[0] ? " " : "", m->category);
        }
    }
    return ferror(fp) ? CB_EIO : CB_OK;
}
