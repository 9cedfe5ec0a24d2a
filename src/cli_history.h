/*
 * cli_history.h — how a command that audits grades and remembers its
 * run (mamori/score.h, mamori/history.h): it opens the history before the
 * run, copies every finding into it and into the scorer beside the report
 * (a tee of three sinks), and at its end adds the grades and what changed
 * since the last run of the same scope to the report and stores both. A history that cannot be opened or written never costs
 * the report: the report is printed, the reason is said, and the exit
 * status becomes 2.
 */
#ifndef MAMORI_CLI_HISTORY_H
#define MAMORI_CLI_HISTORY_H

#include "cli.h"
#include "mamori/history.h"
#include "mamori/score.h"
#include "mamori/selfcheck.h"

#define CLI_HISTORY_NEW_SHOWN 20 /* new findings listed in the report */

/* The --db option every command reading the history declares. */
#define CLI_HISTORY_DB_OPTION(code)                                          \
    {"db", (code), "FILE",                                                   \
     "the history database (default: where\n`mamori audit` keeps it)",      \
     CLI_COMPLETE_FILE}

/* Opens the history read-only: db, or the default place. 0, or
 * CLI_EXIT_USAGE after saying why (*h may then be NULL). path (cap
 * bytes) gets the file's name. */
int cli_history_open_ro(cli_opts *o, const char *db, char *path, size_t cap,
                        mamori_history **h);

typedef struct cli_history {
    const char *db;            /* --db, or NULL: the default place */
    int disabled;              /* --no-history */
    char path[CLI_PATH_MAX];
    mamori_history *h;         /* NULL when not recording */
    mamori_score *score;       /* NULL when out of memory */
    mamori_sink record, report, tee;
    int failed;                /* the run could not be stored */
    int64_t run;               /* once stored */
    int64_t started;           /* this run's start (unix s) */
} cli_history;

/* Opens the history and starts recording; on failure says why and sets
 * ch->failed (the run goes on). scope names what the run looks at. */
void cli_history_begin(cli_opts *o, cli_history *ch, const char *root,
                       const char *scope);
/* The sink to hand to capabilities: the report's, and the history's when
 * recording. Valid until cli_history_end(). */
mamori_sink *cli_history_sink(cli_opts *o, cli_history *ch);
/* Grades the run, stores it with its grades, and adds the grades and the
 * "since the last run" summary to the report (call before cli_run_end). */
void cli_history_commit(cli_opts *o, cli_history *ch);
/* Records the run's exit status, closes the history; returns the status
 * to exit with (2 when the history failed). */
int cli_history_end(cli_opts *o, cli_history *ch, int status);

#endif
