/*
 * cli.h — what every mamori command shares: the common options (output
 * format and file, language, severities, threads, time window, colour,
 * progress, --only/--skip), the option tables every command declares,
 * the diagnostics and progress printers, and the exit codes.
 * cli_parse() reads a command's options by its table;
 * cli_run_begin()/cli_run_end() open the writer and turn the run into an
 * exit status.
 */
#ifndef MAMORI_CLI_H
#define MAMORI_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <stddef.h>

#include "mamori/mamori.h"
#include "mamori/report.h"

enum {
    CLI_EXIT_OK = 0,       /* nothing at or above --fail-on */
    CLI_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    CLI_EXIT_USAGE = 2     /* usage or input error */
};

#define CLI_FILTER_MAX 64          /* --only or --skip patterns, each */
#define CLI_PATH_MAX 4096      /* an output path and its temporary */

/* A report or block list being written: straight to a terminal, pipe or
 * device, or to a temporary file beside `path` that cli_out_close()
 * renames into place once it is complete. */
typedef struct cli_outfile {
    FILE *f;
    const char *path;            /* borrowed; NULL for stdout */
    char tmp[CLI_PATH_MAX];      /* the temporary; "" when writing directly */
} cli_outfile;
#define CLI_HOST_MAX 256 /* a host name (HOST_NAME_MAX is 64 on Linux) */

typedef struct cli_opts {
    const char *prog;            /* "mamori logscan" */
    mamori_ctx ctx;
    mamori_writer_opts wopts;
    const char *output;          /* NULL = stdout */
    mamori_severity fail_on;
    int color_mode;              /* -1 auto, 0 never, 1 always */
    int progress_mode;           /* -1 auto, 0 never */
    int format_given;            /* --format was on the command line */
    unsigned given;              /* CLI_C_* of the common options on the
                                    command line (a file's settings yield
                                    to them: mamori audit --config) */
    /* run state */
    FILE *out;
    mamori_writer *writer;
    mamori_sink writer_sink;     /* the writer's own sink, behind cli_sink() */
    unsigned diag_shown[3];      /* per level, to cap the flood */
    unsigned diag_dropped;
    int input_errors;            /* an input could not be read */
    int progress_drawn;
    /* --only / --skip: patterns (comma-separated lists split), BORROWED
     * from argv; findings are filtered in cli_sink(). */
    struct cli_pattern { const char *s; size_t n; } only[CLI_FILTER_MAX],
        skip[CLI_FILTER_MAX];
    size_t nonly, nskip;
    uint64_t filtered;           /* findings left out by them */
    cli_outfile outf;            /* --output */
    char *const *inputs;         /* cli_set_inputs(): never written over */
    int ninputs;
    char host[CLI_HOST_MAX];     /* gethostname(), for the report header */
} cli_opts;

/*
 * Options are data. Each command (and each verb: "dns spf-eval",
 * "password check") declares a cli_command: its synopsis, a table of its
 * own options, and which of the common options it honours. From that one
 * declaration come the parser (cli_parse), --help (cli_usage) and the
 * bash completion (complete.c). A command lists only what it honours; a
 * common option it does not honour is refused with exit 2, never ignored.
 */

/* The common options, as bits of cli_command.common. */
enum {
    CLI_C_FORMAT = 1u << 0,    /* -f, --format */
    CLI_C_OUTPUT = 1u << 1,    /* -o, --output */
    CLI_C_LANG = 1u << 2,      /* --lang */
    CLI_C_MIN_SEV = 1u << 3,   /* --min-severity */
    CLI_C_FAIL_ON = 1u << 4,   /* --fail-on */
    CLI_C_QUIET = 1u << 5,     /* -q, --quiet */
    CLI_C_COLOR = 1u << 6,     /* --color, --no-color */
    CLI_C_PROGRESS = 1u << 7,  /* --no-progress */
    CLI_C_FILTER = 1u << 8,    /* --only, --skip */
    CLI_C_TIME = 1u << 9,      /* --since, --until */
    CLI_C_THREADS = 1u << 10   /* -j, --threads */
};
/* What every command that writes a findings report honours. */
#define CLI_C_REPORT (CLI_C_FORMAT | CLI_C_OUTPUT | CLI_C_LANG | CLI_C_MIN_SEV | \
                      CLI_C_FAIL_ON | CLI_C_QUIET | CLI_C_COLOR | CLI_C_FILTER)
/* cli_command.formats: the --format values allowed, 0 = all. */
#define CLI_FORMAT_BIT(f) (1u << (f))
#define CLI_FORMATS_TEXT_JSON (CLI_FORMAT_BIT(MAMORI_OUT_TEXT) | \
                               CLI_FORMAT_BIT(MAMORI_OUT_JSON))

/* Codes of a command's own options start here (below: the common ones). */
#define CLI_OWN_CODE_MIN 512

/* How the completion completes an option's argument or an operand. */
#define CLI_COMPLETE_FILE "@file"
#define CLI_COMPLETE_DIR "@dir"
#define CLI_COMPLETE_CHECKS "@checks"   /* check and countermeasure ids */

typedef struct cli_option {
    const char *name;     /* long name without "--"; NULL ends the table,
                             or with help set is a heading in --help */
    int code;             /* handed to the command's handler, >= 512 */
    const char *arg;      /* the argument's name in --help ("FILE"); NULL:
                             the option takes no argument */
    const char *help;     /* English; lines separated by '\n' */
    const char *complete; /* the argument's completion: CLI_COMPLETE_*, a
                             space-separated word list, or NULL: none */
} cli_option;

#define CLI_HEADING(text) {NULL, 0, NULL, text, NULL}

typedef struct cli_command cli_command;
struct cli_command {
    const char *name;          /* "logscan", "dns spf-eval" */
    const char *synopsis;      /* "usage: ..." lines and what it does */
    void (*describe)(FILE *f); /* more of it, computed (audit's table); or NULL */
    const cli_option *options; /* own options and headings, ended by {0};
                                  may be NULL */
    unsigned common;           /* CLI_C_* honoured; --help always is */
    unsigned formats;          /* --format values allowed; 0 = all */
    /* --only/--skip: the check ids the command reports start with one of
     * these ("dns."); NULL-ended; NULL = every check. */
    const char *const *check_prefixes;
    const char *operands;      /* completion of non-option words:
                                  CLI_COMPLETE_*, words, or NULL: none */
    const cli_command *const *verbs; /* sub-verbs, NULL-ended, or NULL */
    /* Help of common options that mean more or less here: entries with
     * the common option's name and the help to show; ended by {0}. */
    const cli_option *common_help;
    const char *examples;      /* after the options; may be NULL */
    const char *exit_status;   /* NULL: the findings report's */
};

/* The commands and verbs, for mamori.c and complete.c. */
extern const cli_command cli_cmd_audit, cli_cmd_authscan, cli_cmd_dns,
    cli_cmd_dns_spf_eval, cli_cmd_logscan, cli_cmd_password,
    cli_cmd_password_check, cli_cmd_password_audit, cli_cmd_password_policy,
    cli_cmd_password_info, cli_cmd_patch;
extern const cli_command cli_cmd_exposure;
extern const cli_command cli_cmd_host;
extern const cli_command cli_cmd_history;
extern const cli_command cli_cmd_diff;
extern const cli_command cli_cmd_score;
extern const cli_command cli_cmd_selfcheck;
extern const cli_command cli_cmd_incident;
extern const cli_command cli_cmd_web;
extern const cli_command cli_cmd_backup;
extern const cli_command cli_cmd_fleet;
extern const cli_command cli_cmd_push;

/* Prints cmd's --help: synopsis, its options, the common options it
 * honours, exit status, examples. */
void cli_usage(FILE *f, const cli_command *cmd);

/* The common options, for complete.c: the table and each entry's bit. */
extern const cli_option cli_common_options[];
extern const unsigned cli_common_bits[];
extern const char cli_common_shorts[];   /* short letter or 0, per entry */
extern const size_t cli_common_count;

void cli_opts_init(cli_opts *o, const char *prog);

#define CLI_CONTINUE (-1)     /* cli_parse: options read, go on */
#define CLI_OWN_OPTIONS_MAX 32 /* a command's own long options */

/* A command's handler for one of its own options: returns 0, or
 * CLI_EXIT_USAGE after printing why. */
typedef int (*cli_own_fn)(void *user, int code, const char *arg);

/*
 * Reads argv by cmd's table: the common options cmd honours (into o; any
 * other is refused), and cmd's own, each handed to own(user, code, arg).
 * -h prints cli_usage() to stdout. Returns CLI_CONTINUE with optind at
 * the first operand, or the exit status to return now (0 after --help, 2
 * after a usage error, which it has explained).
 */
int cli_parse(cli_opts *o, int argc, char **argv, const cli_command *cmd,
              cli_own_fn own, void *user);

/* Is c among the checks cmd reports (by cmd->check_prefixes)? */
int cli_command_reports(const cli_command *cmd, const mamori_check *c);
/* --only/--skip (cli_filter.c): adds the comma-separated patterns of arg
 * to --only (only = 1) or --skip (0 or CLI_EXIT_USAGE after saying why);
 * is finding f in the report? */
int cli_add_patterns(cli_opts *o, const cli_command *cmd, int only,
                     const char *arg);
int cli_keep_finding(const cli_opts *o, const mamori_finding *f);

/* Writes s as a JSON string: valid UTF-8 passes through, controls are
 * escaped, a byte that is not UTF-8 becomes U+FFFD. */
void cli_json_string(FILE *f, const char *s);

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

/* Opens --output, creates the writer, sets up diagnostics and progress;
 * the report names this host and, unless the command set
 * wopts.inputs, the operands cli_parse() left. Returns 0, or prints the
 * reason and returns CLI_EXIT_USAGE. */
int cli_run_begin(cli_opts *o);
/* Finishes the writer, closes the output and returns the exit status. */
int cli_run_end(cli_opts *o);
/* The sink commands hand to capabilities: the writer's, clearing the
 * progress bar before each result. Findings --only/--skip exclude never
 * reach the writer (they count for neither --fail-on nor the report's
 * totals; o->filtered counts them); summaries pass whole, so a
 * capability's own tables still describe everything it saw. Valid
 * between begin and end. */
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
