/*
 * cmd_incident.c — `mamori incident`: an incident record from an audit
 * kept in the history (mamori/incident.h): the findings that may mean a
 * break-in (or the problems named with --fingerprint, or everything in a
 * --since/--until window with --all), their timeline, the accounts and
 * hosts involved, read-only hashed copies of the logs they came from,
 * and a draft report in English and Japanese saying whom to tell and by
 * when. The record goes into a new directory; nothing else is changed.
 */
#include "common.h"

#include <getopt.h>
#include <time.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/history.h"
#include "mamori/incident.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_RUN, OPT_FP, OPT_ALL, OPT_OUT, OPT_PERSONAL,
       OPT_CRIME };

#define INCIDENT_FP_MAX 64 /* --fingerprint options */

typedef struct incident_cmd {
    cli_opts o;
    const char *db, *out;
    int64_t run;
    const char *fps[INCIDENT_FP_MAX];
    mamori_incident_opts io;
} incident_cmd;

static const cli_option incident_options[] = {
    {"fingerprint", OPT_FP, "FP", "record this problem (from mamori diff or the\n"
                                  "report's fingerprint field; repeatable)", NULL},
    {"all", OPT_ALL, NULL, "record every finding in the --since/--until window,\n"
                           "not only those that may mean a break-in", NULL},
    {"personal-data", OPT_PERSONAL, "yes|no|unknown",
     "may personal data have leaked? (default unknown:\n"
     "the Personal Information Protection Commission's\n"
     "deadlines are listed)", "yes no unknown"},
    {"crime", OPT_CRIME, "yes|no", "is a crime suspected? (default: yes when a\n"
                                   "break-in may have succeeded)", "yes no"},
    {"out", OPT_OUT, "DIR", "write the record into the new directory DIR\n"
                            "(default ./incident-DATE-TIME)", CLI_COMPLETE_DIR},
    CLI_HISTORY_DB_OPTION(OPT_DB),
    {"run", OPT_RUN, "N", "the audit to take findings from (default: the newest)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_incident = {
    .name = "incident",
    .synopsis =
        "usage: mamori incident [options]\n"
        "\n"
        "Turns the findings of an audit that may be an incident (a break-in, a\n"
        "possibly successful attack, a sensitive file served) into a record: the\n"
        "timeline, the accounts and hosts involved, read-only copies of the logs\n"
        "with SHA-256 hashes, and a draft report (English and Japanese, text and\n"
        "HTML) saying whom to tell and by when (IPA table 1.6; the Personal\n"
        "Information Protection Commission's deadlines).\n"
        "\n",
    .options = incident_options,
    .common = CLI_C_TIME | CLI_C_LANG,
    .examples = "  mamori incident\n"
                "  mamori incident --since 2026-11-19 --until 2026-11-20 --all\n"
                "  mamori incident --fingerprint ba38659fb88746cd --personal-data yes\n",
};

static int yes_no(incident_cmd *c, const char *opt, const char *arg, int unknown_ok)
{
    if (strcmp(arg, "yes") == 0)
        return 1;
    if (strcmp(arg, "no") == 0)
        return 0;
    if (unknown_ok && strcmp(arg, "unknown") == 0)
        return -1;
    cli_error(&c->o, "--%s wants yes%s or no, not '%s'", opt, unknown_ok ? ", unknown" : "",
              arg);
    return -2;
}

static int own_option(void *user, int code, const char *arg)
{
    incident_cmd *c = user;
    char *end;
    switch (code) {
    case OPT_DB: c->db = arg; return 0;
    case OPT_OUT: c->out = arg; return 0;
    case OPT_ALL: c->io.everything = 1; return 0;
    case OPT_FP:
        if (c->io.nfingerprints == INCIDENT_FP_MAX || strlen(arg) < 8) {
            cli_error(&c->o, "--fingerprint: at most %d, each at least 8 hex digits",
                      INCIDENT_FP_MAX);
            return CLI_EXIT_USAGE;
        }
        c->fps[c->io.nfingerprints++] = arg;
        return 0;
    case OPT_PERSONAL:
        return (c->io.personal_data = yes_no(c, "personal-data", arg, 1)) == -2
                   ? CLI_EXIT_USAGE : 0;
    case OPT_CRIME:
        return (c->io.crime = yes_no(c, "crime", arg, 0)) == -2 ? CLI_EXIT_USAGE : 0;
    default:
        errno = 0;
        c->run = strtoll(arg, &end, 10);
        if (errno || *end || end == arg || c->run <= 0) {
            cli_error(&c->o, "--run wants a run number, not '%s'", arg);
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
}

static void diag(void *user, mamori_diag_level level, const char *file, uint64_t line,
                 const char *msg)
{
    cli_diag_print(((cli_opts *)user)->prog, level, file, line, msg);
}

int cmd_incident(int argc, char **argv)
{
    incident_cmd c;
    char path[CLI_PATH_MAX], outdir[CLI_PATH_MAX];
    memset(&c, 0, sizeof(c));
    mamori_incident_opts_init(&c.io);
    cli_opts_init(&c.o, "mamori incident");
    int r = cli_parse(&c.o, argc, argv, &cli_cmd_incident, own_option, &c);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&c.o, "incident takes no arguments");
        return CLI_EXIT_USAGE;
    }
    c.io.fingerprints = c.fps;
    c.io.since = c.o.ctx.since;
    c.io.until = c.o.ctx.until;
    c.io.detected = (int64_t)time(NULL);
    c.o.ctx.diag = diag;
    c.o.ctx.diag_user = &c.o;
    mamori_history *h = NULL;
    mamori_incident *inc = NULL;
    if (cli_history_open_ro(&c.o, c.db, path, sizeof(path), &h))
        return CLI_EXIT_USAGE;
    mamori_err e = MAMORI_OK;
    if (!c.run)
        e = mamori_history_latest(h, &c.run);
    if (!e && !c.run) {
        cli_error(&c.o, "the history %s has no audit yet: run `mamori audit` first", path);
        mamori_history_free(h);
        return CLI_EXIT_USAGE;
    }
    if (!e && (e = mamori_incident_new(&c.io, &inc)) == MAMORI_OK) {
        mamori_sink sink = mamori_incident_sink(inc);
        e = mamori_history_findings(h, c.run, &sink, NULL);
    }
    if (e) {
        cli_error(&c.o, "cannot read the history %s: %s", path, mamori_history_error(h));
        mamori_incident_free(inc);
        mamori_history_free(h);
        return CLI_EXIT_USAGE;
    }
    mamori_history_free(h);
    if (mamori_incident_count(inc) == 0) {
        printf("No finding of run %lld looks like an incident (no break-in, no possibly "
               "successful attack). Name a problem with --fingerprint, or record a window "
               "with --since/--until --all.\n", (long long)c.run);
        mamori_incident_free(inc);
        return CLI_EXIT_OK;
    }
    if (c.out) {
        snprintf(outdir, sizeof(outdir), "%s", c.out);
    } else {
        time_t now = (time_t)c.io.detected;
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(outdir, sizeof(outdir), "incident-%Y%m%d-%H%M%S", &tm);
    }
    size_t n = mamori_incident_count(inc);
    e = mamori_incident_write(inc, &c.o.ctx, outdir);
    mamori_incident_free(inc);
    if (e == MAMORI_E_IO)
        cli_error(&c.o, "the record in %s is incomplete: a file could not be written", outdir);
    if (e)
        return CLI_EXIT_USAGE;
    printf(c.o.ctx.lang == MAMORI_LANG_JA
               ? "%zu 件の事象を %s に記録しました。report.ja.txt の連絡先に、期限までに連絡してください。\n"
               : "Recorded %zu events in %s. Tell the people in report.en.txt, by the dates it gives.\n",
           n, outdir);
    return CLI_EXIT_OK;
}
