/*
 * cli.h — what every mamori command shares: the common options (output
 * format and file, language, severities, threads, time window, colour,
 * progress), the diagnostics and progress printers, and the exit codes.
 * Commands parse their own options and hand the common ones to
 * cli_common_option(); cli_run_begin()/cli_run_end() open the writer and
 * turn the run into an exit status.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "mamori/mamori.h"
#include "mamori/report.h"

enum {
    CLI_EXIT_OK = 0,       /* nothing at or above --fail-on */
    CLI_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    CLI_EXIT_USAGE = 2     /* usage or input error */
};

#define CLI_HOST_MAX 256 /* a host name (HOST_NAME_MAX is 64 on Linux) */

typedef struct cli_opts {
    const char *prog;            /* "mamori logscan" */
    mamori_ctx ctx;
    mamori_writer_opts wopts;
    const char *output;          /* NULL = stdout */
    mamori_severity fail_on;
    int color_mode;              /* -1 auto, 0 never, 1 always */
    int progress_mode;           /* -1 auto, 0 never */
    /* run state */
    FILE *out;
    mamori_writer *writer;
    mamori_sink writer_sink;     /* the writer's own sink, behind cli_sink() */
    unsigned diag_shown[3];      /* per level, to cap the flood */
    unsigned diag_dropped;
    int input_errors;            /* an input could not be read */
    int progress_drawn;
    char host[CLI_HOST_MAX];     /* gethostname(), for the report header */
} cli_opts;

/* Long options every command accepts; commands append theirs and end the
 * array with {0}. CLI_COMMON_SHORT lists the short ones for getopt. */
#define CLI_COMMON_SHORT "f:o:j:qh"
extern const struct option cli_common_longopts[];
extern const size_t cli_common_nlongopts;
/* Help text for the common options, one per line, both languages kept
 * short: printed by each command's usage. */
void cli_common_help(FILE *f);

void cli_opts_init(cli_opts *o, const char *prog);

#define CLI_CONTINUE (-1)     /* cli_parse: options read, go on */
#define CLI_OWN_OPTIONS_MAX 32 /* a command's own long options */

/* A command's handler for one of its own options: returns 0, or
 * CLI_EXIT_USAGE after printing why. */
typedef int (*cli_own_fn)(void *user, int c, const char *arg);

/*
 * Reads argv: the common options (into o) and the command's own, `mine`
 * (ended by {0}, codes >= 512), each handed to own(user, c, arg). -h
 * prints usage to stdout. Returns CLI_CONTINUE with optind at the first
 * operand, or the exit status to return now (0 after --help, 2 after a
 * usage error, which it has explained).
 */
int cli_parse(cli_opts *o, int argc, char **argv, const struct option *mine,
              void (*usage)(FILE *), cli_own_fn own, void *user);
/* Handles a common option; returns 1 if it was one, 0 if not, -1 after
 * printing an error for a bad value. */
int cli_common_option(cli_opts *o, int c, const char *arg);

/* Opens --output, creates the writer, sets up diagnostics and progress;
 * the report names this host and, unless the command set
 * wopts.inputs, the operands cli_parse() left. Returns 0, or prints the
 * reason and returns CLI_EXIT_USAGE. */
int cli_run_begin(cli_opts *o);
/* Finishes the writer, closes the output and returns the exit status. */
int cli_run_end(cli_opts *o);
/* The sink commands hand to capabilities: the writer's, clearing the
 * progress bar before each result. Valid between begin and end. */
mamori_sink cli_sink(cli_opts *o);

/* Parses --since/--until values: "2026-11-01", "2026-11-01T10:00:00Z",
 * "2026-11-01 10:00+09:00", "@1700000000", or an age "90m", "24h", "7d".
 * Returns 0 on success. */
int cli_parse_time(const char *s, int64_t now, int64_t *out);

/* printf to stderr prefixed with the program name. */
void cli_error(const cli_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
