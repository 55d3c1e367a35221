/* SPDX-License-Identifier: MIT */
/* cli_import.c - 'canbao init' and 'canbao import'. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/config.h"
#include "import/import_roster.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/policy.h"
#include "store/store.h"

char *cli_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (fp == NULL)
        return NULL;
    do {
        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap + 1);
        }
        got = fread(buf + n, 1, cap - n, fp);
        n += got;
    } while (got > 0);
    if (ferror(fp)) {
        free(buf);
        fclose(fp);
        errno = EIO;
        return NULL;
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

int cli_load_config(const cli_t *c, const char *cmd, const char *config, app_config_t *cfg)
{
    char err[1024];

    if (app_config_load(config && *config ? config : NULL, c->db, cfg, err, sizeof err) < 0) {
        fprintf(stderr, "canbao %s: %s\n", cmd, err);
        app_config_free(cfg);
        return 1;
    }
    return 0;
}

int cli_open_campaign(const cli_t *c, store_t **st, policy_t **pol, long long *campaign)
{
    char err[512], *json = NULL;
    int64_t id = 0;
    int rc;

    *pol = NULL;
    rc = store_open(c->db, st, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao: %s\n", err);
        return 1;
    }
    rc = store_campaign_current(*st, &id, &json);
    if (rc == CB_OK)
        rc = policy_parse(json, strlen(json), pol, err, sizeof err);
    else
        snprintf(err, sizeof err, "%s", store_errmsg(*st));
    free(json);
    if (rc < 0) {
        fprintf(stderr, "canbao: %s: %s\n", c->db, err);
        store_close(*st);
        *st = NULL;
        return 1;
    }
    *campaign = id;
    return 0;
}

/* Import 'path' as 'kind'; 'pay' (payments: thank-yous and their route) may be NULL. */
static int run_import(const cli_t *c, store_t *st, const policy_t *pol, long long campaign,
                      const char *kind, const char *category, const char *path,
                      const char *report, pay_env_t *pay)
{
    char source[512], err[1024] = "";
    const char *base = strrchr(path, '/');
    import_env_t env = {.st = st, .pol = pol, .campaign = campaign, .today = c->today,
                        .now = c->now, .source = source, .pay = pay};
    import_summary_t sum;
    int rc;

    snprintf(source, sizeof source, "import:%s:%s", kind, base ? base + 1 : path);
    rc = import_file(&env, kind, category, path, report, c->tty, &sum, err, sizeof err);
    if (pay != NULL)
        pay_env_done(pay);
    if (rc < 0) {
        fprintf(stderr, "canbao: import %s: %s\n", kind, err);
        return EXIT_FATAL;
    }
    import_print_summary(stdout, kind, &sum);
    return sum.rejected ? EXIT_REJECTED : EXIT_OK;
}

int cli_init(const cli_t *c, int argc, char **argv)
{
    const char *policy_path = NULL, *targets = NULL;
    char err[512], *json;
    size_t len = 0;
    policy_t *pol = NULL;
    store_t *st = NULL;
    int64_t id;
    int rc, code = EXIT_FATAL;

    int bad = 0;

    for (int i = 1; i < argc && !bad; i++) {
        if (strcmp(argv[i], "--policy") == 0 && i + 1 < argc)
            policy_path = argv[++i];
        else if (strcmp(argv[i], "--targets") == 0 && i + 1 < argc)
            targets = argv[++i];
        else
            bad = 1;
    }
    if (bad || policy_path == NULL || cli_wants_help(argc, argv)) {
        fputs("usage: canbao [--db FILE] init --policy FILE [--targets FILE]\n"
              "Creates the database (mode 0600) for the campaign the policy describes and,\n"
              "with --targets, imports its task table. See docs/policy.md for the format.\n",
              cli_wants_help(argc, argv) ? stdout : stderr);
        return cli_wants_help(argc, argv) ? EXIT_OK : EXIT_FATAL;
    }
    json = cli_slurp(policy_path, &len);
    if (json == NULL) {
        fprintf(stderr, "canbao: %s: %s\n", policy_path, strerror(errno));
        return EXIT_FATAL;
    }
    rc = policy_parse(json, len, &pol, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao: %s: %s\n", policy_path, err);
        goto out;
    }
    rc = store_open(c->db, &st, err, sizeof err);
    if (rc < 0) {
        fprintf(stderr, "canbao: %s\n", err);
        goto out;
    }
    rc = store_campaign_create(st, policy_year(pol), policy_county(pol), json, c->now, &id);
    if (rc == CB_EEXIST) {
        char *cur = NULL;
        if (store_campaign_current(st, &id, &cur) == CB_OK && strcmp(cur, json) == 0) {
            printf("%s: the %d campaign of %s is already set up with this policy\n", c->db,
                   policy_year(pol), policy_county(pol));
            rc = CB_OK;
        } else {
            fprintf(stderr, "canbao: %s already holds a %d campaign with another policy\n",
                    c->db, policy_year(pol));
        }
        free(cur);
    } else if (rc < 0) {
        fprintf(stderr, "canbao: %s: %s\n", c->db, store_errmsg(st));
    } else {
        printf("%s: campaign %d of %s created\n", c->db, policy_year(pol), policy_county(pol));
    }
    if (rc < 0)
        goto out;
    code = targets ? run_import(c, st, pol, id, "targets", NULL, targets, NULL, NULL) : EXIT_OK;
out:
    store_close(st);
    policy_destroy(pol);
    free(json);
    return code;
}

/* 'import payments': a match thanks the payer on the config's reply route (the
 * embedded default: the file channel), as the payment hook does. */
static int import_payments(const cli_t *c, store_t *st, const policy_t *pol,
                           long long campaign, const char *config, const char *path,
                           const char *report)
{
    app_config_t cfg = {0};
    tplset_t *thanks = NULL;
    char err[1024];
    int code = EXIT_FATAL;

    if (cli_load_config(c, "import", config, &cfg) != 0)
        return EXIT_FATAL;
    if (app_config_reply_templates(&cfg, &thanks, err, sizeof err) < 0) {
        fprintf(stderr, "canbao import: %s\n", err);
    } else {
        pay_env_t pay = {.st = st, .pol = pol, .campaign = campaign, .tpl = thanks,
                         .reply_route = cfg.serve.reply_route};
        code = run_import(c, st, pol, campaign, "payments", NULL, path, report, &pay);
    }
    tplset_destroy(thanks);
    app_config_free(&cfg);
    return code;
}

int cli_import(const cli_t *c, int argc, char **argv)
{
    const char *kind = NULL, *path = NULL, *report = NULL, *category = NULL;
    const char *config = getenv("CANBAO_CONFIG");
    store_t *st = NULL;
    policy_t *pol = NULL;
    long long campaign;
    int code, bad = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0 && i + 1 < argc)
            report = argv[++i];
        else if ((strcmp(argv[i], "--category") == 0 || strcmp(argv[i], "--flag") == 0) &&
                 i + 1 < argc)
            category = argv[++i]; /* --flag NAME for flags */
        else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            config = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            bad = 1;
        else if (kind == NULL)
            kind = argv[i];
        else if (path == NULL)
            path = argv[i];
        else
            bad = 1;
    }
    if (bad || path == NULL || cli_wants_help(argc, argv)) {
        FILE *fp = cli_wants_help(argc, argv) ? stdout : stderr;
        fputs("usage: canbao [--db FILE] import KIND FILE [--report FILE] [--category NAME]\n"
              "                                 [--config FILE]\n"
              "KIND is one of:\n"
              "  roster      persons: 姓名/name, 身份证号/id_number, 手机号/phone, 户号/household,\n"
              "              与户主关系/relation, 乡镇/township, 村/社区/village, 组/group,\n"
              "              类别/category, 出生日期/birth_date, 状态/status\n"
              "  subsidies   a department's list (身份证号, 姓名) for --category NAME\n"
              "  flags       ID numbers (身份证号/id_number, 姓名/name optional) given the flag\n"
              "              --flag NAME (e.g. the people a window extension covers)\n"
              "  targets     the task table: township, village, target, registered\n"
              "  payments    a tax export: receipt_no, id_number, amount (yuan), channel, paid_at;\n"
              "              a match queues the thank-you on the config's reply route, as the\n"
              "              payment hook does (--config FILE, default $CANBAO_CONFIG or the\n"
              "              embedded file channel)\n"
              "  workers     grid workers, one row per area: 工号/code, 姓名/name, 手机/phone,\n"
              "              乡镇/township, 村/village, 组/group, 户号/household, route (sms,\n"
              "              robot or a channel), 企业微信账号/wecom_userid, 钉钉账号/dingtalk_userid;\n"
              "              village only = 包村, with group = 包组, with household = 包户;\n"
              "              re-importing replaces the scopes of the workers the file names\n"
              "  lapses      people whose employee insurance ended: 身份证号/id_number, 姓名/name,\n"
              "              停保日期/lapse_date; the policy's \"from\": \"lapse\" reminders use it\n"
              "  openids     residents' WeChat Official Account openids: 身份证号/id_number,\n"
              "              openid; the wechat_mp channel sends to them\n"
              "FILE is CSV with a header row, UTF-8 (BOM or not) or GBK/GB18030; '-' reads stdin.\n"
              "Lines end in LF or CRLF, or all in a lone CR (old Mac CSV). A row with a control\n"
              "character or U+FEFF in a column the import reads is rejected.\n"
              "Rejected rows go to FILE.rejected.csv (or --report), mode 0600, with line, column\n"
              "and reason. Exit code 0 when nothing was rejected, 3 when some rows were, 2 on\n"
              "errors (among them a file with a header but no data rows, or a column named twice\n"
              "in the header).\n",
              fp);
        return fp == stdout ? EXIT_OK : EXIT_FATAL;
    }
    if (cli_open_campaign(c, &st, &pol, &campaign) != 0)
        return EXIT_FATAL;
    if (strcmp(kind, "payments") == 0)
        code = import_payments(c, st, pol, campaign, config, path, report);
    else
        code = run_import(c, st, pol, campaign, kind, category, path, report, NULL);
    store_close(st);
    policy_destroy(pol);
    return code;
}
