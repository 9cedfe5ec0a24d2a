/*
 * cmd_history.c — `mamori history`: the audits this machine remembers,
 * one line per run (when, what it looked at, how many findings of each
 * severity), so that an administrator sees whether things get better.
 * Text for people, JSON Lines (one object per run) for scripts. The
 * database is opened read-only: listing never creates or migrates it.
 */
#include "common.h"

#include <getopt.h>
#include <time.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_LIMIT };

#define HISTORY_LIMIT_DEFAULT 20

typedef struct history_cmd {
    cli_opts o;
    const char *db;
    size_t limit;
    FILE *f;
    size_t shown;
    mamori_history *store;
} history_cmd;

/* A run's grades, as JSON members or as the overall grade for the text. */
typedef struct grades_out {
    FILE *f;
    int json, n;
    char overall;
} grades_out;

static int put_grade(void *user, const char *factor, int score, char grade)
{
    grades_out *g = user;
    if (strcmp(factor, "overall") == 0)
        g->overall = grade;
    if (!g->json)
        return 0;
    fputs(g->n++ ? "," : "", g->f);
    cli_json_string(g->f, factor);
    if (score < 0)
        fputs(":{\"score\":null,\"grade\":null}", g->f);
    else
        fprintf(g->f, ":{\"score\":%d,\"grade\":\"%c\"}", score, grade);
    return 0;
}

static const cli_option history_options[] = {
    CLI_HISTORY_DB_OPTION(OPT_DB),
    {"limit", OPT_LIMIT, "N", "the last N runs (default 20; 0: all)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_history = {
    .name = "history",
    .synopsis = "usage: mamori history [--db FILE] [--limit N] [--format text|json]\n"
                "\n"
                "Lists the audits kept in the history, oldest first: when each ran,\n"
                "what it looked at and how many findings of each severity it had.\n"
                "`mamori diff` shows what changed between two of them.\n"
                "\n",
    .options = history_options,
    .common = CLI_C_FORMAT | CLI_C_OUTPUT,
    .formats = CLI_FORMATS_TEXT_JSON,
    .examples = "  mamori history\n"
                "  mamori history --format json --limit 0 | jq .findings\n",
};

static int own_option(void *user, int c, const char *arg)
{
    history_cmd *h = user;
    if (c == OPT_DB) {
        h->db = arg;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || end == arg || *arg == '-' || v > SIZE_MAX) {
        cli_error(&h->o, "--limit wants a number of runs, not '%s'", arg);
        return CLI_EXIT_USAGE;
    }
    h->limit = (size_t)v;
    return 0;
}

static void iso_time(int64_t t, char *buf, size_t cap)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(buf, cap, "@%lld", (long long)t);
}

static int print_run(void *user, const mamori_history_run *r)
{
    history_cmd *h = user;
    char when[32];
    iso_time(r->started, when, sizeof(when));
    if (h->o.wopts.format == MAMORI_OUT_JSON) {
        fprintf(h->f, "{\"run\":%lld,\"uuid\":", (long long)r->id);
        cli_json_string(h->f, r->uuid);
        fprintf(h->f, ",\"time\":\"%s\",\"finished\":%lld,\"host\":", when,
                (long long)r->finished);
        cli_json_string(h->f, r->host);
        fputs(",\"root\":", h->f);
        cli_json_string(h->f, r->root);
        fputs(",\"scope\":", h->f);
        cli_json_string(h->f, r->scope);
        fputs(",\"version\":", h->f);
        cli_json_string(h->f, r->version);
        fprintf(h->f, ",\"exit_status\":%d,\"findings\":%llu,\"dropped\":%llu,"
                      "\"by_severity\":{",
                r->exit_status, (unsigned long long)r->findings,
                (unsigned long long)r->dropped);
        for (int s = MAMORI_SEV_CRITICAL; s >= MAMORI_SEV_INFO; s--)
            fprintf(h->f, "%s\"%s\":%llu", s == MAMORI_SEV_CRITICAL ? "" : ",",
                    mamori_severity_name((mamori_severity)s),
                    (unsigned long long)r->by_severity[s]);
        fputs("},\"grades\":{", h->f);
        grades_out g = {h->f, 1, 0, '-'};
        mamori_history_grades(h->store, r->id, put_grade, &g);
        fputs("}}\n", h->f);
    } else {
        grades_out g = {h->f, 0, 0, '-'};
        mamori_history_grades(h->store, r->id, put_grade, &g);
        if (h->shown == 0)
            fprintf(h->f, "%5s  %-20s  %5s  %8s  %4s %4s %4s %4s %4s  %s\n", "run",
                    "time (UTC)", "grade", "findings", "crit", "high", "med", "low",
                    "info", "scope");
        fprintf(h->f, "%5lld  %-20s  %5c  %8llu  %4llu %4llu %4llu %4llu %4llu  ",
                (long long)r->id, when, g.overall, (unsigned long long)r->findings,
                (unsigned long long)r->by_severity[MAMORI_SEV_CRITICAL],
                (unsigned long long)r->by_severity[MAMORI_SEV_HIGH],
                (unsigned long long)r->by_severity[MAMORI_SEV_MEDIUM],
                (unsigned long long)r->by_severity[MAMORI_SEV_LOW],
                (unsigned long long)r->by_severity[MAMORI_SEV_INFO]);
        mamori_term_put(h->f, r->scope, strlen(r->scope), SIZE_MAX);
        fputc('\n', h->f);
    }
    h->shown++;
    return 0;
}

int cmd_history(int argc, char **argv)
{
    history_cmd h;
    char path[CLI_PATH_MAX];
    memset(&h, 0, sizeof(h));
    h.limit = HISTORY_LIMIT_DEFAULT;
    cli_opts_init(&h.o, "mamori history");
    int r = cli_parse(&h.o, argc, argv, &cli_cmd_history, own_option, &h);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&h.o, "history takes no arguments");
        return CLI_EXIT_USAGE;
    }
    mamori_history *db = NULL;
    if (cli_history_open_ro(&h.o, h.db, path, sizeof(path), &db))
        return CLI_EXIT_USAGE;
    cli_outfile of;
    if (cli_out_open(&h.o, h.o.output ? h.o.output : "/dev/stdout", &of)) {
        mamori_history_free(db);
        return CLI_EXIT_USAGE;
    }
    h.f = of.f;
    h.store = db;
    mamori_err e = mamori_history_runs(db, h.limit, print_run, &h);
    if (e)
        cli_error(&h.o, "%s", mamori_history_error(db));
    if (!e && h.shown == 0 && h.o.wopts.format != MAMORI_OUT_JSON)
        fprintf(h.f, "no run in the history %s yet: `mamori audit` keeps one\n",
                path);
    mamori_history_free(db);
    return cli_out_close(&h.o, &of, !e) || e ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}
