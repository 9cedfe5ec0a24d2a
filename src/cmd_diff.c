/*
 * cmd_diff.c — `mamori diff [OLDER] [NEWER]`: what changed between two
 * audits kept in the history. Each problem (a fingerprint) is reported
 * once with a field `change`: new (only in the newer run), fixed (only in
 * the older) or open (in both); through the usual writers, so text, JSON,
 * SARIF and HTML all show a diff, and --fail-on can gate on what is new.
 * Without runs named: the newest run and the one before it that looked at
 * the same things.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/history.h"

enum { OPT_DB = CLI_OWN_CODE_MIN };

typedef struct diff_cmd {
    cli_opts o;
    const char *db;
    mamori_sink sink;
    uint64_t count[3];
} diff_cmd;

static const cli_option diff_options[] = {
    CLI_HISTORY_DB_OPTION(OPT_DB),
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_diff = {
    .name = "diff",
    .synopsis = "usage: mamori diff [options] [[OLDER] NEWER]\n"
                "\n"
                "Shows what changed between two audits kept in the history (run\n"
                "numbers as `mamori history` lists them): each problem once, marked\n"
                "new, fixed or open. Without runs: the newest run and the one before\n"
                "it that looked at the same things; with one: that run and the one\n"
                "before it.\n"
                "\n",
    .options = diff_options,
    .common = CLI_C_REPORT,
    .examples = "  mamori diff\n"
                "  mamori diff 12 15 --format json | jq 'select(.change == \"new\")'\n"
                "  mamori diff --fail-on high --format html -o changes.html\n",
};

static int own_option(void *user, int c, const char *arg)
{
    diff_cmd *d = user;
    (void)c;
    d->db = arg;
    return 0;
}

static int parse_run(diff_cmd *d, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v <= 0) {
        cli_error(&d->o, "'%s' is not a run number (see `mamori history`)", s);
        return -1;
    }
    *out = v;
    return 0;
}

static int each_change(void *user, mamori_change c, const mamori_finding *f)
{
    diff_cmd *d = user;
    d->count[c]++;
    return d->sink.finding(d->sink.user, f);
}

int cmd_diff(int argc, char **argv)
{
    diff_cmd d;
    char path[CLI_PATH_MAX];
    int64_t older = 0, newer = 0;
    memset(&d, 0, sizeof(d));
    cli_opts_init(&d.o, "mamori diff");
    int r = cli_parse(&d.o, argc, argv, &cli_cmd_diff, own_option, &d);
    if (r != CLI_CONTINUE)
        return r;
    int nruns = argc - optind;
    if (nruns > 2) {
        cli_error(&d.o, "diff compares two runs: give at most OLDER and NEWER");
        return CLI_EXIT_USAGE;
    }
    if ((nruns == 2 && (parse_run(&d, argv[optind], &older) ||
                        parse_run(&d, argv[optind + 1], &newer))) ||
        (nruns == 1 && parse_run(&d, argv[optind], &newer)))
        return CLI_EXIT_USAGE;
    mamori_history *db = NULL;
    if (cli_history_open_ro(&d.o, d.db, path, sizeof(path), &db))
        return CLI_EXIT_USAGE;
    mamori_err e = MAMORI_OK;
    if (nruns == 0)
        e = mamori_history_latest(db, &newer);
    if (!e && nruns < 2 && newer)
        e = mamori_history_previous(db, newer, &older);
    if (e || !newer || !older) {
        if (e)
            cli_error(&d.o, "cannot read the history %s: %s", path,
                      mamori_history_error(db));
        else
            cli_error(&d.o, "the history %s has no earlier run of the same scope "
                            "to compare with: name two runs (mamori history)", path);
        mamori_history_free(db);
        return CLI_EXIT_USAGE;
    }
    if (!d.o.wopts.title)
        d.o.wopts.title = d.o.ctx.lang == MAMORI_LANG_JA
                              ? "mamori 前回との差分" : "mamori changes between audits";
    cli_set_inputs(&d.o, 0, NULL);
    if ((r = cli_run_begin(&d.o)) != 0) {
        mamori_history_free(db);
        return r;
    }
    d.sink = cli_sink(&d.o);
    uint64_t unknown = 0;
    e = mamori_history_diff(db, older, newer, each_change, &d, &unknown);
    if (e && e != MAMORI_E_ABORTED) {
        cli_error(&d.o, "%s", mamori_history_error(db));
        d.o.input_errors++;
    }
    if (unknown)
        cli_error(&d.o, "%llu problems from checks this mamori no longer has "
                        "are left out", (unsigned long long)unknown);
    mamori_summary *s = mamori_summary_new("diff");
    if (s) {
        mamori_summary_counter(s, "older_run", "Older run", "比較元の実行", older);
        mamori_summary_counter(s, "newer_run", "Newer run", "比較先の実行", newer);
        mamori_summary_counter(s, "new", "New problems", "新しい問題",
                               (int64_t)d.count[MAMORI_CHANGE_NEW]);
        mamori_summary_counter(s, "fixed", "Fixed", "解消された問題",
                               (int64_t)d.count[MAMORI_CHANGE_FIXED]);
        mamori_summary_counter(s, "open", "Still open", "未解決の問題",
                               (int64_t)d.count[MAMORI_CHANGE_OPEN]);
        d.sink.summary(d.sink.user, s);
    }
    mamori_history_free(db);
    return cli_run_end(&d.o);
}
