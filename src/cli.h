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

#define CLI_PATH_MAX 4096      /* an output path and its temporary */

/* A report or block list being written: straight to a terminal, pipe or
 * device, or to a temporary file beside `path` that cli_out_close()
 * renames into place once it is complete. */
typedef struct cli_outfile {
    FILE *f;
    const char *path;            /* borrowed; NULL for stdout */
    char tmp[CLI_PATH_MAX];      /* the temporary; "" when writing directly */
} cli_outfile;

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
    cli_outfile outf;            /* --output */
    char *const *inputs;         /* cli_set_inputs(): never written over */
    int ninputs;
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

/* Names the command's inputs, so that an output (-o, --emit-file) that
 * is one of them (same device and inode) is refused before it is
 * touched. Call before cli_run_begin(); paths are borrowed. */
void cli_set_inputs(cli_opts *o, int n, char *const *paths);
/* Opens path for writing a whole report: never through a symbolic link
 * at path (/dev/stdout and /dev/stderr excepted: they name our own
 * descriptors), never over one of the inputs; a regular file is written
 * to a temporary beside it (new files get 0666 & ~umask, existing ones
 * keep their mode). Returns 0, or -1 after printing why. */
int cli_out_open(const cli_opts *o, const char *path, cli_outfile *of);
/* Closes of->f; when `ok` and everything was written, renames the
 * temporary into place, else removes it (the old file stays). Returns 0,
 * or -1 after printing why (then the exit status is 2). */
int cli_out_close(const cli_opts *o, cli_outfile *of, int ok);

/* Opens --output, creates the writer, sets up diagnostics and progress.
 * Returns 0, or prints the reason and returns CLI_EXIT_USAGE. */
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

/* printf to stderr prefixed with the program name; the message (it may
 * hold a file name) is escaped for the terminal (mamori_term_put). */
void cli_error(const cli_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* One diagnostic on stderr, "PROG: FILE:LINE: LEVEL: MSG", every byte of
 * file and msg escaped for the terminal. */
void cli_diag_print(const char *prog, mamori_diag_level level,
                    const char *file, uint64_t line, const char *msg);

#endif
