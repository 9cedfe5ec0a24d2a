/*
 * cmd_fleet.c — `mamori fleet`: the whole fleet from its PostgreSQL
 * (mamori/fleet.h). `init` makes or migrates the schema, `add-host NAME`
 * makes a host's role; the views (status, stale, worst, finding FP) come
 * back as one summary table that the report layer prints as text, JSON or
 * HTML like any other.
 */
#include "common.h"

#include "cli.h"
#include "commands.h"
#include "mamori/fleet.h"

enum { OPT_DB = CLI_OWN_CODE_MIN, OPT_STALE, OPT_LIMIT };

#define FLEET_STALE_MAX_DAYS 3650

typedef struct fleet_cmd {
    cli_opts o;
    mamori_fleet_query_opts q;
} fleet_cmd;

static const cli_option fleet_options[] = {
    {"db", OPT_DB, "CONNINFO",
     "the fleet's PostgreSQL: a libpq connection string or\n"
     "postgresql:// URI (default: $MAMORI_FLEET_DB)", NULL},
    {"stale-after", OPT_STALE, "AGE",
     "stale: silent for longer than AGE (\"36h\", \"2d\";\ndefault 2d)", NULL},
    {"limit", OPT_LIMIT, "N", "at most N rows (worst: default 50)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_fleet = {
    .name = "fleet",
    .synopsis = "usage: mamori fleet [--db CONNINFO] [status|stale|worst|finding FP]\n"
                "       mamori fleet [--db CONNINFO] init\n"
                "       mamori fleet [--db CONNINFO] add-host NAME\n"
                "\n"
                "Reads the runs every host sent with `mamori push`: the latest run and\n"
                "grade of each host (status, the default), the hosts that stopped\n"
                "reporting (stale), the worst problems of the hosts' latest runs\n"
                "(worst), or one problem's history across hosts (finding FP, FP a\n"
                "fingerprint). `init` creates or migrates the schema; `add-host NAME`\n"
                "creates the role host NAME pushes with (it sees only its own rows).\n"
                "\n",
    .options = fleet_options,
    .common = CLI_C_FORMAT | CLI_C_OUTPUT | CLI_C_LANG | CLI_C_QUIET | CLI_C_COLOR,
    .formats = CLI_FORMATS_TEXT_JSON | CLI_FORMAT_BIT(MAMORI_OUT_HTML),
    .operands = "status stale worst finding init add-host",
    .examples = "  mamori fleet --db 'dbname=mamori' init\n"
                "  mamori fleet --db 'dbname=mamori' add-host web1\n"
                "  mamori fleet --db 'dbname=mamori' worst -f html -o fleet.html\n",
    .exit_status = "\nexit status: 0 the view was printed, 2 the database could not be\n"
                   "read or a usage error.\n",
};

static int own_option(void *user, int c, const char *arg)
{
    fleet_cmd *f = user;
    if (c == OPT_DB) {
        f->q.conninfo = arg;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (c == OPT_LIMIT) {
        if (errno || *end || end == arg || *arg == '-' || v == 0 ||
            v > MAMORI_FLEET_ROWS_MAX) {
            cli_error(&f->o, "--limit wants 1 to %d, not '%s'",
                      MAMORI_FLEET_ROWS_MAX, arg);
            return CLI_EXIT_USAGE;
        }
        f->q.limit = (size_t)v;
        return 0;
    }
    unsigned long long unit = *end == 'd' ? 86400 : *end == 'h' ? 3600 : 0;
    if (errno || end == arg || *arg == '-' || !unit || end[1] || v == 0 ||
        v > FLEET_STALE_MAX_DAYS * 24ull) {
        cli_error(&f->o, "--stale-after wants an age such as 36h or 2d, not '%s'",
                  arg);
        return CLI_EXIT_USAGE;
    }
    f->q.stale_after = (int64_t)(v * unit);
    return 0;
}

int cmd_fleet(int argc, char **argv)
{
    fleet_cmd f;
    char err[MAMORI_FLEET_ERR_MAX] = "";
    memset(&f, 0, sizeof(f));
    cli_opts_init(&f.o, "mamori fleet");
    int r = cli_parse(&f.o, argc, argv, &cli_cmd_fleet, own_option, &f);
    if (r != CLI_CONTINUE)
        return r;
    if (!f.q.conninfo)
        f.q.conninfo = getenv("MAMORI_FLEET_DB");
    const char *verb = optind < argc ? argv[optind] : "status";
    int nargs = argc - optind - (optind < argc);
    int want = strcmp(verb, "finding") == 0 || strcmp(verb, "add-host") == 0;
    if (nargs != want) {
        cli_error(&f.o, "%s takes %s", verb, want ? "one argument" : "no arguments");
        return CLI_EXIT_USAGE;
    }
    const char *arg = want ? argv[optind + 1] : NULL;
    if (strcmp(verb, "init") == 0) {
        if (mamori_fleet_init(f.q.conninfo, err, sizeof(err))) {
            cli_error(&f.o, "%s", err);
            return CLI_EXIT_USAGE;
        }
        if (!f.o.wopts.quiet)
            printf("the fleet schema is at version %d\n", MAMORI_FLEET_SCHEMA);
        return CLI_EXIT_OK;
    }
    if (strcmp(verb, "add-host") == 0) {
        char hint[MAMORI_FLEET_HINT_MAX];
        if (mamori_fleet_add_host(f.q.conninfo, arg, hint, sizeof(hint), err,
                                  sizeof(err))) {
            cli_error(&f.o, "%s", err);
            return CLI_EXIT_USAGE;
        }
        printf("%s\n", hint);
        explicit_bzero(hint, sizeof(hint));
        return CLI_EXIT_OK;
    }
    static const char *const views[] = {"status", "stale", "worst", "finding"};
    size_t v = 0;
    while (v < MR_ARRAY_LEN(views) && strcmp(views[v], verb) != 0)
        v++;
    if (v == MR_ARRAY_LEN(views)) {
        cli_error(&f.o, "no view '%s': status, stale, worst, finding FP, init "
                        "or add-host NAME", verb);
        return CLI_EXIT_USAGE;
    }
    f.q.view = (mamori_fleet_view)v;
    f.q.fingerprint = arg;
    mamori_summary *s = NULL;
    if (mamori_fleet_query(&f.q, &s, err, sizeof(err))) {
        cli_error(&f.o, "%s", err);
        return CLI_EXIT_USAGE;
    }
    optind = argc;   /* the verb is not an input to name in the report */
    if ((r = cli_run_begin(&f.o)) != 0) {
        mamori_summary_free(s);
        return r;
    }
    mamori_sink sink = cli_sink(&f.o);
    sink.summary(sink.user, s);
    return cli_run_end(&f.o);
}
