/* SPDX-License-Identifier: MIT */
/* sim_chart.c - progress curves as SVG. */
#include "sim/sim_chart.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"

#define W 960
#define H 540
#define LEFT 60
#define RIGHT 200
#define TOP 50
#define BOTTOM 50

static void escaped(FILE *fp, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static double xpos(const sim_curves_t *c, cb_date_t day)
{
    double span = c->npoints > 1 ? (double)(c->days[c->npoints - 1] - c->days[0]) : 1.0;
    return LEFT + (W - LEFT - RIGHT) * (double)(day - c->days[0]) / (span > 0 ? span : 1.0);
}

static double ypos(double v)
{
    if (v > 1.1)
        v = 1.1;
    if (v < 0)
        v = 0;
    return TOP + (H - TOP - BOTTOM) * (1.1 - v) / 1.1;
}

int sim_chart_write(const sim_curves_t *c, const char *path, char *err, size_t errlen)
{
    static const char *const colours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    FILE *fp = fopen(path, "w");

    if (fp == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "font-family=\"sans-serif\" font-size=\"12\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                "<text x=\"%d\" y=\"28\" font-size=\"16\">",
            W, H, LEFT);
    escaped(fp, c->title);
    fputs("</text>\n", fp);
    for (int pct = 0; pct <= 100; pct += 20) {
        double y = ypos(pct / 100.0);
        fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>\n",
                LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, pct);
    }
    for (size_t i = 0; i < c->npoints; i++) {
        int y, m, d;
        if (i % 2 != 0 && i + 1 != c->npoints)
            continue;
        date_to_ymd(c->days[i], &y, &m, &d);
        fprintf(fp, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d/%d</text>\n",
                xpos(c, c->days[i]), H - BOTTOM + 18, m, d);
    }
    for (size_t k = 0; k < c->nmarks; k++) {
        double y = ypos(c->marks[k]);
        fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c00\" "
                    "stroke-dasharray=\"6 4\"/>\n",
                LEFT, y, W - RIGHT, y);
        if (c->mark_days != NULL && c->npoints > 0 && c->mark_days[k] >= c->days[0] &&
            c->mark_days[k] <= c->days[c->npoints - 1]) {
            double x = xpos(c, c->mark_days[k]);
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c00\" "
                        "stroke-dasharray=\"6 4\"/>\n",
                    x, TOP, x, H - BOTTOM);
        }
    }
    for (size_t s = 0; s < c->nseries; s++) {
        const char *col = colours[s % (sizeof colours / sizeof colours[0])];
        fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col);
        for (size_t i = 0; i < c->npoints; i++)
            fprintf(fp, "%s%.1f,%.1f", i ? " " : "", xpos(c, c->days[i]),
                    ypos(c->values[i * c->nseries + s]));
        fprintf(fp, "\"/>\n<text x=\"%d\" y=\"%zu\" fill=\"%s\">", W - RIGHT + 10,
                (size_t)TOP + 16 * s, col);
        escaped(fp, c->names[s]);
        fputs("</text>\n", fp);
    }
    fputs("</svg>\n", fp);
    if (fclose(fp) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return CB_EIO;
    }
    return CB_OK;
}
