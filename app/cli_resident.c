/* SPDX-License-Identifier: MIT */
/* cli_resident.c - 'canbao resident show ID': one person and what they owe. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "core/catset.h"
#include "core/err.h"
#include "core/idcard.h"
#include "core/mask.h"
#include "core/money.h"
#include "core/policy.h"
#include "core/safetext.h"
#include "store/store_roster.h"

/* "township village group" of 'area' into buf. */
static void area_path(store_t *st, int64_t area, char *buf, size_t n)
{
    store_area_t *a = NULL;
    size_t na = 0;
    const char *part[3] = {"", "", ""};

    buf[0] = '\0';
    if (store_areas(st, &a, &na) < 0)
        return;
    for (int hop = 0; hop < 3 && area != 0; hop++) {
        size_t i;
        for (i = 0; i < na && a[i].id != area; i++)
            ;
        if (i == na)
            break;
        part[a[i].level - 1] = a[i].name;
        area = a[i].parent;
    }
    snprintf(buf, n, "%s%s%s%s%s", part[0], part[1][0] ? " " : "", part[1],
             part[2][0] ? " " : "", part[2]);
    store_areas_free(a, na);
}

static int show(const cli_t *c, const char *arg, int json)
{
    char id[IDCARD_LEN + 1], why[160], masked[24], area[256], fen[3][24];
    store_t *st = NULL;
    policy_t *pol = NULL;
    store_resident_t r;
    long long campaign;
    int rc, code = EXIT_FATAL;
    policy_owed_t o;
    const char *cat;

    if (idcard_check(arg, strlen(arg), c->today, id, why, sizeof why) != IDCARD_OK) {
        fprintf(stderr, "canbao: not a valid ID number: %s\n", why);
        return EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    rc = store_resident_get(st, campaign, idcard_key(id), &r);
    mask_id(id, masked, sizeof masked);
    if (rc < 0 || r.status == NULL) {
        fprintf(stderr, "canbao: %s: %s\n", masked,
                rc == CB_ENOTFOUND || rc == CB_OK ? "not on the roster of this campaign"
                                                  : store_errmsg(st));
        if (rc == CB_OK)
            store_resident_free(&r);
        goto out;
    }
    o = catset_owed(pol, r.categories);
    cat = o.category >= 0 ? policy_category(pol, (size_t)o.category)->name : NULL;
    money_format(o.pay_now_fen, fen[0]);
    money_format(o.subsidy_fen, fen[1]);
    money_format(o.refund_fen, fen[2]);
    area_path(st, r.area_id, area, sizeof area);
    if (json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "id_number", masked);
        cJSON_AddStringToObject(j, "name", r.name);
        cJSON_AddStringToObject(j, "area", area);
        cJSON_AddStringToObject(j, "household", r.household ? r.household : "");
        cJSON_AddStringToObject(j, "categories", r.categories);
        cJSON_AddStringToObject(j, "status", r.status);
        cJSON_AddNumberToObject(j, "pay_now_fen", (double)o.pay_now_fen);
        cJSON_AddNumberToObject(j, "subsidy_fen", (double)o.subsidy_fen);
        cJSON_AddNumberToObject(j, "refund_fen", (double)o.refund_fen);
        cJSON_AddStringToObject(j, "payer", o.payer == POL_PAYER_DEPARTMENT ? "department"
                                                                             : "resident");
        if (cat)
            cJSON_AddStringToObject(j, "category_applied", cat);
        else
            cJSON_AddNullToObject(j, "category_applied");
        cli_print_json(j);
    } else { /* the roster's fields, one line each */
        printf("ID number   %s\n", masked);
        safetext_printf(stdout, "name        %s\n", r.name);
        safetext_printf(stdout, "area        %s\n", area);
        safetext_printf(stdout, "household   %s\n", r.household ? r.household : "-");
        safetext_printf(stdout, "categories  %s\n", r.categories[0] ? r.categories : "-");
        printf("status      %s\npays now    %s yuan (%s)\nsubsidy     %s yuan%s%s\n"
               "refund      %s yuan after paying\n", r.status, fen[0],
               o.payer == POL_PAYER_DEPARTMENT ? "paid in bulk by a department" : "by the resident",
               fen[1], cat ? " as " : "", cat ? cat : "", fen[2]);
    }
    store_resident_free(&r);
    code = EXIT_OK;
out:
    store_close(st);
    policy_destroy(pol);
    return code;
}

static void usage(FILE *fp)
{
    fputs("usage: canbao [--db FILE] resident show ID [--json]\n"
          "Shows the person (ID number masked), their area, categories, status and what\n"
          "they owe: pay_now_fen, subsidy_fen, refund_fen, payer and the category applied.\n",
          fp);
}

int cli_resident(const cli_t *c, int argc, char **argv)
{
    const char *pos[2] = {NULL, NULL}; /* show ID */
    int json = 0;
    const cli_opt_t opts[] = {{"--json", CLI_FLAG, &json, 0, 0}, {NULL, CLI_FLAG, NULL, 0, 0}};
    int code = cli_parse("resident", argc, argv, opts, pos, 2, NULL, usage);

    if (code >= 0)
        return code;
    if (pos[0] == NULL || strcmp(pos[0], "show") != 0 || pos[1] == NULL) {
        usage(stderr);
        return EXIT_FATAL;
    }
    return show(c, pos[1], json);
}
