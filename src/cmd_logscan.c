/*
 * cmd_logscan.c — `mamori logscan`: attack traces in web server access
 * logs. Declares its options (the table below, read by cli.c), and feeds
 * every path given (files, directories, "-") to one scanner and one
 * writer.
 */
#include "common.h"

#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mamori/logscan.h"

enum {
    OPT_LOGFORMAT = 512, OPT_NGINXFORMAT, OPT_MAX_CLIENTS, OPT_MAX_PATHS, OPT_FOLLOW,
    OPT_MEMORY
};

static const cli_option logscan_options[] = {
    CLI_HEADING("log format"),
    {"log-format", OPT_LOGFORMAT, "STR",
     "an Apache LogFormat string, e.g.\n"
     "'%h %l %u %t \"%r\" %>s %b \"%{Referer}i\"'", NULL},
    {"nginx-format", OPT_NGINXFORMAT, "STR",
     "an nginx log_format string, e.g.\n"
     "'$remote_addr - [$time_local] \"$request\" $status'", NULL},
    CLI_HEADING("directories"),
    {"follow", OPT_FOLLOW, NULL,
     "follow links to directories outside the one\n"
     "given (skipped by default, with a note)", NULL},
    CLI_HEADING("limits"),
    {"memory", OPT_MEMORY, "MB",
     "memory for the whole scan, tables and chunks\n"
     "in flight, whatever --threads (default 64)", NULL},
    {"max-clients", OPT_MAX_CLIENTS, "N",
     "attacking clients tracked at once, at most\n"
     "(default 65536; --memory may hold fewer)", NULL},
    {"max-paths", OPT_MAX_PATHS, "N",
     "paths tracked at once, at most (default 65536)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const logscan_checks[] = {"logscan.", NULL};

const cli_command cli_cmd_logscan = {
    .name = "logscan",
    .synopsis =
        "usage: mamori logscan [options] [FILE|DIR|-]...\n"
        "\n"
        "Finds traces of attacks in web server access logs: SQL injection,\n"
        "cross-site scripting, directory traversal / file inclusion, remote\n"
        "file inclusion, OS command injection, known exploit probes (Log4Shell,\n"
        "Shellshock, Struts, PHP-CGI), requests for sensitive files, and\n"
        "vulnerability scanners. Each finding says whether the attack possibly\n"
        "succeeded (a 2xx answer; for SQL injection, a response size far from\n"
        "that path's usual size). A summary follows: per category, client,\n"
        "path and hour, repeated attacks, top clients.\n"
        "\n"
        "Reads Apache/nginx common and combined logs, IIS W3C logs and JSON\n"
        "access logs (Caddy, Traefik, nginx escape=json, ECS), the format\n"
        "detected per file, plain, .gz or .zst; directories recursively;\n"
        "standard input when no path is given or for '-'.\n"
        "\n",
    .options = logscan_options,
    .common = CLI_C_REPORT | CLI_C_PROGRESS | CLI_C_TIME | CLI_C_THREADS,
    .check_prefixes = logscan_checks,
    .operands = CLI_COMPLETE_FILE,
    .examples =
        "  mamori logscan /var/log/nginx\n"
        "  mamori logscan --format html -o report.html access.log*\n"
        "  mamori logscan --only meti.appsec --skip logscan.scanner access.log\n"
        "  zcat old.log.gz | mamori logscan --format json - | jq -r 'select(.type == \"finding\") | .category'\n",
};

typedef struct logscan_cli {
    cli_opts o;
    mamori_logscan_opts lo;
} logscan_cli;

static int parse_count(cli_opts *o, const char *opt, const char *arg,
                       size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || end == arg || v < 16 || v > 100000000ULL) {
        cli_error(o, "%s wants a number from 16 to 100000000", opt);
        return CLI_EXIT_USAGE;
    }
    *out = (size_t)v;
    return 0;
}

static int own_option(void *user, int c, const char *arg)
{
    logscan_cli *l = user;
    switch (c) {
    case OPT_LOGFORMAT:
        l->lo.format_kind = MAMORI_LOGFORMAT_APACHE;
        l->lo.format = arg;
        return 0;
    case OPT_NGINXFORMAT:
        l->lo.format_kind = MAMORI_LOGFORMAT_NGINX;
        l->lo.format = arg;
        return 0;
    case OPT_MAX_CLIENTS:
        return parse_count(&l->o, "--max-clients", arg, &l->lo.max_clients);
    case OPT_FOLLOW:
        l->lo.follow = 1;
        return 0;
    case OPT_MEMORY: {
        char *end;
        errno = 0;
        unsigned long long mb = strtoull(arg, &end, 10);
        if (errno || *end || end == arg || mb < (MAMORI_LOGSCAN_MEMORY_MIN >> 20) ||
            mb > 1048576) {
            cli_error(&l->o, "--memory wants megabytes, from %zu to 1048576",
                      MAMORI_LOGSCAN_MEMORY_MIN >> 20);
            return CLI_EXIT_USAGE;
        }
        l->lo.memory_budget = (size_t)mb << 20;
        return 0;
    }
    default:
        return parse_count(&l->o, "--max-paths", arg, &l->lo.max_paths);
    }
}

int cmd_logscan(int argc, char **argv)
{
    logscan_cli l;
    int status;

    memset(&l, 0, sizeof(l));
    cli_opts_init(&l.o, "mamori logscan");
    status = cli_parse(&l.o, argc, argv, &cli_cmd_logscan, own_option, &l);
    if (status != CLI_CONTINUE)
        return status;
    char *stdin_only[] = {"-"};
    char **paths = argv + optind;
    int npaths = argc - optind;
    if (npaths == 0) {
        if (isatty(STDIN_FILENO)) {
            cli_error(&l.o, "no log given. Name files or directories, or pipe a "
                          "log in. See 'mamori logscan --help'.");
            return CLI_EXIT_USAGE;
        }
        paths = stdin_only;
        npaths = 1;
    }

    cli_set_inputs(&l.o, npaths, paths);
    if ((status = cli_run_begin(&l.o)) != 0)
        return status;
    mamori_logscan *ls = NULL;
    mamori_err e = mamori_logscan_new(&l.o.ctx, &l.lo, &ls);
    if (e) {
        if (e != MAMORI_E_INVAL)
            cli_error(&l.o, "cannot start the scan: %s", mamori_strerror(e));
        cli_run_end(&l.o);
        return CLI_EXIT_USAGE;
    }
    mamori_sink sink = cli_sink(&l.o);
    for (int i = 0; i < npaths && e != MAMORI_E_ABORTED; i++)
        e = mamori_logscan_path(ls, paths[i], &sink);
    if (e != MAMORI_E_ABORTED)
        mamori_logscan_finish(ls, &sink);
    mamori_logscan_free(ls);
    return cli_run_end(&l.o);
}
