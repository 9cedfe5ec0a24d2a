/*
 * cmd_score.c — `mamori score`: one grade per countermeasure factor (the
 * four METI's raters score, and IPA's other measures mamori checks) and
 * the fixes that would raise them most, from the latest audit kept in the
 * history, another run (--run N) or a JSON Lines report (--from FILE).
 * The formula is the library's (mamori/score.h, docs/score.md); this file
 * picks the source and hands the grades to the report writer.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/history.h"
#include "mamori/score.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_RUN, OPT_FROM };

typedef struct score_cmd {
    cli_opts o;
    const char *db;
    const char *from;
    int64_t run;
} score_cmd;

static const cli_option score_options[] = {
    {"from", OPT_FROM, "FILE", "grade this JSON Lines report (mamori ... -f json;\n"
                               "- reads standard input) instead of the history",
     CLI_COMPLETE_FILE},
    CLI_HISTORY_DB_OPTION(OPT_DB),
    {"run", OPT_RUN, "N", "grade run N of the history (default: the newest)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_score = {
    .name = "score",
    .synopsis =
        "usage: mamori score [options] [--from FILE | --run N]\n"
        "\n"
        "Grades the latest audit from 0 to 100 and A to F for each factor\n"
        "outside raters score (METI: Patching Cadence, Network Security, DNS\n"
        "Health, Application Security) and IPA's other measures (passwords,\n"
        "security software, configuration, backups, logging, incident\n"
        "readiness), and lists the fixes that would raise the grades most.\n"
        "A factor no check looked at is \"not measured\" (-), never passed.\n"
        "The formula: man mamori-score.\n"
        "\n",
    .options = score_options,
    .common = CLI_C_FORMAT | CLI_C_OUTPUT | CLI_C_LANG | CLI_C_COLOR,
    .examples = "  mamori score\n"
                "  mamori score --format json | jq '.tables.factors'\n"
                "  mamori audit -f json -o audit.json && mamori score --from audit.json\n",
};

static int own_option(void *user, int c, const char *arg)
{
    score_cmd *s = user;
    char *end;
    switch (c) {
    case OPT_DB: s->db = arg; return 0;
    case OPT_FROM: s->from = arg; return 0;
    default:
        errno = 0;
        s->run = strtoll(arg, &end, 10);
        if (errno || *end || end == arg || s->run <= 0) {
            cli_error(&s->o, "--run wants a run number (see `mamori history`), not '%s'",
                      arg);
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
}

/* Feeds the scorer from a report file; 0, or 2 after saying why. */
static int from_report(score_cmd *s, mamori_score *sc)
{
    FILE *f = strcmp(s->from, "-") == 0 ? stdin : fopen(s->from, "r");
    uint64_t bad = 0;
    if (!f) {
        cli_error(&s->o, "cannot read %s: %s", s->from, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    mamori_err e = mamori_score_read_report(sc, f, &bad);
    if (f != stdin)
        fclose(f);
    if (e) {
        cli_error(&s->o, "cannot read %s: %s", s->from, mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    if (bad)
        cli_error(&s->o, "%s: %llu lines are not JSON objects and were skipped",
                  s->from, (unsigned long long)bad);
    return 0;
}

/* Feeds the scorer from a run of the history; 0, or 2 after saying why. */
static int from_history(score_cmd *s, mamori_score *sc)
{
    char path[CLI_PATH_MAX];
    mamori_history *h = NULL;
    if (cli_history_open_ro(&s->o, s->db, path, sizeof(path), &h))
        return CLI_EXIT_USAGE;
    mamori_err e = s->run ? MAMORI_OK : mamori_history_latest(h, &s->run);
    if (!e && !s->run) {
        cli_error(&s->o, "the history %s has no run yet: run `mamori audit` first", path);
        mamori_history_free(h);
        return CLI_EXIT_USAGE;
    }
    mamori_sink sink = mamori_score_sink(sc);
    if (!e)
        e = mamori_history_problems(h, s->run, &sink, NULL);
    if (e)
        cli_error(&s->o, "cannot read the history %s: %s", path, mamori_history_error(h));
    mamori_history_free(h);
    return e ? CLI_EXIT_USAGE : 0;
}

int cmd_score(int argc, char **argv)
{
    score_cmd s;
    memset(&s, 0, sizeof(s));
    cli_opts_init(&s.o, "mamori score");
    int r = cli_parse(&s.o, argc, argv, &cli_cmd_score, own_option, &s);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&s.o, "score takes no arguments (--from FILE grades a report)");
        return CLI_EXIT_USAGE;
    }
    if (s.from && (s.run || s.db)) {
        cli_error(&s.o, "--from grades a report; --run and --db a run of the history: "
                        "give one of them");
        return CLI_EXIT_USAGE;
    }
    mamori_score *sc = NULL;
    if (mamori_score_new(&sc)) {
        cli_error(&s.o, "out of memory");
        return CLI_EXIT_USAGE;
    }
    r = s.from ? from_report(&s, sc) : from_history(&s, sc);
    if (r == 0 && mamori_score_finish(sc))
        r = CLI_EXIT_USAGE;
    if (r) {
        mamori_score_free(sc);
        return r;
    }
    if (!s.o.wopts.title)
        s.o.wopts.title = s.o.ctx.lang == MAMORI_LANG_JA ? "mamori 評価" : "mamori grades";
    cli_set_inputs(&s.o, s.from && strcmp(s.from, "-") ? 1 : 0, (char *const *)&s.from);
    if ((r = cli_run_begin(&s.o)) == 0) {
        mamori_sink out = cli_sink(&s.o);
        mamori_summary *sum = mamori_score_summary(sc, s.o.ctx.lang);
        if (sum)
            out.summary(out.user, sum);
        r = cli_run_end(&s.o);
    }
    mamori_score_free(sc);
    return r;
}
