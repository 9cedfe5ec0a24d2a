/*
 * cmd_push.c — `mamori push`: sends this machine's audits to the fleet's
 * PostgreSQL (mamori/fleet.h). The runs of the history not handed over
 * yet go, the spool of runs that could not be sent before goes first. A
 * server out of reach costs nothing but a warning: the runs wait in the
 * spool (exit 0, the spool named); exit 2 only when a run could be
 * neither sent nor spooled.
 */
#include "common.h"

#include <unistd.h>

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/conf.h"
#include "mamori/fleet.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_HOST_ID, OPT_HISTORY, OPT_SPOOL,
       OPT_SPOOL_MAX, OPT_NEWEST, OPT_CONFIG };

#define PUSH_SPOOL_ROOT "/var/spool/mamori"
#define PUSH_SPOOL_MAX_MB 1024   /* the largest --spool-max-mb */

typedef struct push_cmd {
    cli_opts o;
    mamori_fleet_push_opts p;
    const char *history;
    const char *config;
} push_cmd;

static const cli_option push_options[] = {
    {"db", OPT_DB, "CONNINFO",
     "the fleet's PostgreSQL: a libpq connection string or\n"
     "postgresql:// URI (default: $MAMORI_FLEET_DB)", NULL},
    {"config", OPT_CONFIG, "FILE",
     "read [push] and [history] of mamori.conf (the\n"
     "options given here override it)", CLI_COMPLETE_FILE},
    {"host-id", OPT_HOST_ID, "ID", "this host's id (default: /etc/machine-id)",
     NULL},
    {"db-history", OPT_HISTORY, "FILE",
     "the history database (default: where\n`mamori audit` keeps it)",
     CLI_COMPLETE_FILE},
    {"spool", OPT_SPOOL, "DIR",
     "where runs wait when the server is out of reach\n"
     "(default: " PUSH_SPOOL_ROOT " for root,\n"
     "~/.local/state/mamori/spool for others)", CLI_COMPLETE_DIR},
    {"spool-max-mb", OPT_SPOOL_MAX, "MB",
     "the spool's size; the oldest runs are dropped\nto stay in it (default 64)",
     NULL},
    {"newest", OPT_NEWEST, NULL,
     "send the newest run only, not every run since\nthe last push", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_push = {
    .name = "push",
    .synopsis = "usage: mamori push [--db CONNINFO] [--config FILE] [--host-id ID] [--db-history FILE]\n"
                "                   [--spool DIR] [--spool-max-mb MB] [--newest]\n"
                "\n"
                "Sends the audits of this machine's history that the fleet has not had\n"
                "yet (findings, grades, host name, OS, kernel) to the fleet's PostgreSQL\n"
                "(`mamori fleet init` makes its schema). A run sent twice is stored\n"
                "once. When the server is out of reach the runs wait in the spool and\n"
                "the next push sends them first, in order.\n"
                "\n",
    .options = push_options,
    .common = CLI_C_QUIET,
    .examples = "  mamori push --db 'host=db.example dbname=mamori user=mamori_host_web1 sslmode=verify-full'\n",
    .exit_status = "\nexit status: 0 every run sent or spooled (a warning names the\n"
                   "spool), 2 a run could be neither sent nor spooled, or a usage error.\n",
};

static int own_option(void *user, int c, const char *arg)
{
    push_cmd *p = user;
    switch (c) {
    case OPT_DB: p->p.conninfo = arg; return 0;
    case OPT_HOST_ID: p->p.host_id = arg; return 0;
    case OPT_HISTORY: p->history = arg; return 0;
    case OPT_SPOOL: p->p.spool_dir = arg; return 0;
    case OPT_NEWEST: p->p.newest_only = 1; return 0;
    case OPT_CONFIG: p->config = arg; return 0;
    default: break;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || end == arg || *arg == '-' || v == 0 ||
        v > PUSH_SPOOL_MAX_MB) {
        cli_error(&p->o, "--spool-max-mb wants 1 to %d, not '%s'",
                  PUSH_SPOOL_MAX_MB, arg);
        return CLI_EXIT_USAGE;
    }
    p->p.spool_max = (uint64_t)v * 1024 * 1024;
    return 0;
}

static int default_spool(char *buf, size_t cap)
{
    int n;
    if (geteuid() == 0) {
        n = snprintf(buf, cap, "%s", PUSH_SPOOL_ROOT);
    } else {
        const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
        if (state && *state == '/')
            n = snprintf(buf, cap, "%s/mamori/spool", state);
        else if (home && *home == '/')
            n = snprintf(buf, cap, "%s/.local/state/mamori/spool", home);
        else
            return -1;
    }
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* Says what happened; the exit status. */
static int report(push_cmd *p, mamori_err e, const mamori_fleet_push_result *res)
{
    if (e == MAMORI_E_INVAL)
        return CLI_EXIT_USAGE;
    int quiet = p->o.wopts.quiet;
    if (!quiet || res->spooled || res->waiting)
        fprintf(stderr, "mamori push: %u run%s stored (%u from the spool), "
                        "%u already there, %u spooled, %u waiting in %s\n",
                res->sent, res->sent == 1 ? "" : "s", res->resent, res->duplicate,
                res->spooled, res->waiting, p->p.spool_dir);
    if (res->spooled || (res->waiting && res->err[0]))
        cli_error(&p->o, "warning: the fleet's database was not reached or refused (%s): "
                        "the runs wait in the spool %s",
                  res->err, p->p.spool_dir);
    if (res->dropped)
        cli_error(&p->o, "warning: %u spooled run%s dropped to keep %s within "
                        "its size",
                  res->dropped, res->dropped == 1 ? "" : "s", p->p.spool_dir);
    if (e || res->lost) {
        cli_error(&p->o, "%u run%s neither sent nor spooled", res->lost,
                  res->lost == 1 ? "" : "s");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cmd_push(int argc, char **argv)
{
    push_cmd p;
    char hpath[CLI_PATH_MAX], spool[CLI_PATH_MAX];
    memset(&p, 0, sizeof(p));
    cli_opts_init(&p.o, "mamori push");
    int r = cli_parse(&p.o, argc, argv, &cli_cmd_push, own_option, &p);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&p.o, "push takes no arguments");
        return CLI_EXIT_USAGE;
    }
    mamori_conf *conf = NULL;
    if (p.config) {
        mamori_err ce = mamori_conf_load(p.config, &conf);
        if (ce) {
            if (!conf)
                cli_error(&p.o, "cannot read %s: %s", p.config,
                          ce == MAMORI_E_IO ? strerror(errno) : mamori_strerror(ce));
            for (size_t i = 0; conf && i < conf->nerrors; i++)
                cli_error(&p.o, "%s:%llu: %s", p.config,
                          (unsigned long long)conf->errors[i].line,
                          conf->errors[i].msg);
            mamori_conf_free(conf);
            return CLI_EXIT_USAGE;
        }
        if (!p.p.conninfo)
            p.p.conninfo = conf->push_db;
        if (!p.p.host_id)
            p.p.host_id = conf->host_id;
        if (!p.p.spool_dir)
            p.p.spool_dir = conf->spool;
        if (!p.p.spool_max)
            p.p.spool_max = conf->spool_max_mb * 1024 * 1024;
        if (!p.history)
            p.history = conf->history_db;
    }
    if (!p.p.conninfo)
        p.p.conninfo = getenv("MAMORI_FLEET_DB");
    if (!p.p.conninfo || !*p.p.conninfo) {
        /* The timer runs push after every audit: a machine that is not
         * part of a fleet is not an error there. */
        int configured_off = p.config != NULL;
        if (configured_off) {
            if (!p.o.wopts.quiet)
                fprintf(stderr, "mamori push: %s has no [push] db: nothing sent\n",
                        p.config);
        } else {
            cli_error(&p.o, "no database: give --db CONNINFO or --config FILE");
        }
        mamori_conf_free(conf);
        return configured_off ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    }
    if (!p.p.spool_dir) {
        if (default_spool(spool, sizeof(spool))) {
            cli_error(&p.o, "no spool directory: set HOME or give --spool DIR");
            return CLI_EXIT_USAGE;
        }
        p.p.spool_dir = spool;
    }
    mamori_history *h = NULL;
    if (cli_history_open_ro(&p.o, p.history, hpath, sizeof(hpath), &h)) {
        mamori_conf_free(conf);
        return CLI_EXIT_USAGE;
    }
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(NULL, &sr)) {
        mamori_history_free(h);
        mamori_conf_free(conf);
        cli_error(&p.o, "cannot read this machine's files");
        return CLI_EXIT_USAGE;
    }
    mamori_fleet_push_result res;
    mamori_err e = mamori_fleet_push(&p.o.ctx, &p.p, sr, h, &res);
    mamori_sysroot_free(sr);
    mamori_history_free(h);
    /* The spool's name is printed below: keep conf (which may own it)
     * until the end. */
    int status = report(&p, e, &res);
    mamori_conf_free(conf);
    return status;
}
