/*
 * cmd_audit.c — `mamori audit`, mamori's main job: run every capability
 * that applies to this machine (or to the root given with --root) and
 * print one report. The capabilities, what each reads by default and how
 * it runs are the library's audit table (include/mamori/audit.h); this
 * file parses options into a mamori_audit_input and runs the table.
 * --config FILE (mamori.conf, conf.h: what the systemd timer's runs do)
 * fills what the command line left unsaid.
 */
#include "common.h"

#include "cli.h"
#include "cli_history.h"
#include "commands.h"
#include "mamori/audit.h"
#include "mamori/conf.h"
#include "mamori/host.h"

enum { OPT_NO_SYSTEM = 512, OPT_DOMAIN, OPT_RESOLVER, OPT_ROOT, OPT_DB,
       OPT_NO_HISTORY, OPT_SITE, OPT_CONFIG };

#define AUDIT_DOMAINS_MAX 64
#define AUDIT_SITES_MAX 64
#define AUDIT_SCOPE_MAX 4096 /* what a run looked at, as history compares it */

typedef struct audit {
    cli_opts o;
    int no_system;
    const char *domains[AUDIT_DOMAINS_MAX];
    size_t ndomains;
    const char *sites[AUDIT_SITES_MAX];
    size_t nsites;
    const char *resolver;     /* NULL: the system's */
    const char *root;         /* NULL: this machine */
    const char *config;       /* --config, or NULL: no file */
    const char *backup;       /* the file's backup declaration, or NULL */
    char **paths;
    int npaths;
    cli_history hist;
} audit;

/* The capabilities' lines of --help come from the library's table. */
static void describe(FILE *f)
{
    size_t n;
    const mamori_audit_capability *const *caps = mamori_audit_capabilities(&n);
    for (size_t i = 0; i < n; i++)
        fputs(caps[i]->help, f);
    fputc('\n', f);
}

static const cli_option audit_options[] = {
    {"config", OPT_CONFIG, "FILE",
     "read settings from this mamori.conf ([audit],\n"
     "[history]); the command line overrides them", CLI_COMPLETE_FILE},
    {"no-system", OPT_NO_SYSTEM, NULL,
     "skip this machine's usual locations; check only PATHs", NULL},
    {"root", OPT_ROOT, "DIR",
     "audit the system under DIR (a mounted disk image,\n"
     "a container's root) instead of this machine; live\n"
     "sources (the journal) are skipped with a note", CLI_COMPLETE_DIR},
    {"domain", OPT_DOMAIN, "DOMAIN",
     "also check this domain's DNS and mail health\n(repeatable)", NULL},
    {"site", OPT_SITE, "URL",
     "also check this web site's TLS and exposed files\n(repeatable)", NULL},
    {"resolver", OPT_RESOLVER, "ADDR[:PORT]",
     "DNS server for --domain (default: the system's)", NULL},
    {"db", OPT_DB, "FILE",
     "keep the run in this history database (default:\n"
     "/var/lib/mamori/history.db as root, else\n"
     "~/.local/state/mamori/history.db; $MAMORI_HISTORY_DB)", CLI_COMPLETE_FILE},
    {"no-history", OPT_NO_HISTORY, NULL,
     "do not keep this run in the history", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

const cli_command cli_cmd_audit = {
    .name = "audit",
    .synopsis =
        "usage: mamori audit [options] [PATH...]\n"
        "\n"
        "Runs every check that applies to this machine and prints one report:\n",
    .describe = describe,
    .options = audit_options,
    .common = CLI_C_REPORT | CLI_C_PROGRESS | CLI_C_TIME | CLI_C_THREADS,
    .operands = CLI_COMPLETE_FILE,
    .examples =
        "  sudo mamori audit\n"
        "  mamori audit --format html -o audit.html\n"
        "  mamori audit --root /mnt/image --format json\n"
        "  sudo mamori audit --config /etc/mamori/mamori.conf\n"
        "  mamori audit --no-system --lang ja examples/logs\n"
        "  mamori audit --only meti.appsec,meti.network examples/logs\n",
};

static int own_option(void *user, int c, const char *arg)
{
    audit *a = user;
    switch (c) {
    case OPT_NO_SYSTEM:
        a->no_system = 1;
        return 0;
    case OPT_ROOT:
        a->root = arg;
        return 0;
    case OPT_DOMAIN:
        if (a->ndomains == AUDIT_DOMAINS_MAX) {
            cli_error(&a->o, "at most %d --domain options", AUDIT_DOMAINS_MAX);
            return CLI_EXIT_USAGE;
        }
        a->domains[a->ndomains++] = arg;
        return 0;
    case OPT_DB:
        a->hist.db = arg;
        return 0;
    case OPT_NO_HISTORY:
        a->hist.disabled = 1;
        return 0;
    case OPT_CONFIG:
        a->config = arg;
        return 0;
    case OPT_SITE:
        if (a->nsites == AUDIT_SITES_MAX) {
            cli_error(&a->o, "at most %d --site options", AUDIT_SITES_MAX);
            return CLI_EXIT_USAGE;
        }
        a->sites[a->nsites++] = arg;
        return 0;
    default: /* OPT_RESOLVER */
        a->resolver = arg;
        return 0;
    }
}

/* What the run looks at: runs are compared with the last run of the
 * same scope (a --no-system audit of examples is not the machine's). */
static void describe_scope(const audit *a, char *buf, size_t cap)
{
    size_t len = 0;
    int n = snprintf(buf, cap, "root=%s%s", a->root ? a->root : "/",
                     a->no_system ? " no-system" : "");
    len = n > 0 && (size_t)n < cap ? (size_t)n : cap - 1;
    for (int i = 0; i < a->npaths && len < cap - 1; i++) {
        n = snprintf(buf + len, cap - len, " path=%s", a->paths[i]);
        len = n > 0 && (size_t)n < cap - len ? len + (size_t)n : cap - 1;
    }
    for (size_t i = 0; i < a->ndomains && len < cap - 1; i++) {
        n = snprintf(buf + len, cap - len, " domain=%s", a->domains[i]);
        len = n > 0 && (size_t)n < cap - len ? len + (size_t)n : cap - 1;
    }
    for (size_t i = 0; i < a->nsites && len < cap - 1; i++) {
        n = snprintf(buf + len, cap - len, " site=%s", a->sites[i]);
        len = n > 0 && (size_t)n < cap - len ? len + (size_t)n : cap - 1;
    }
}

/* Reads --config: its settings where the command line said nothing. The
 * strings stay conf's (freed after the run). Returns 0, or
 * CLI_EXIT_USAGE after saying why: a file with errors is refused whole,
 * not half applied. */
static int read_config(audit *a, mamori_conf **out)
{
    mamori_conf *c = NULL;
    mamori_err e = mamori_conf_load(a->config, &c);
    *out = c;
    if (e == MAMORI_E_FORMAT) {
        for (size_t i = 0; i < c->nerrors; i++)
            cli_diag_print(a->o.prog, MAMORI_DIAG_ERROR, a->config,
                           c->errors[i].line, c->errors[i].msg);
        if (c->more_errors)
            cli_error(&a->o, "%s: %llu more errors", a->config,
                      (unsigned long long)c->more_errors);
        return CLI_EXIT_USAGE;
    }
    if (e) {
        cli_error(&a->o, "cannot read %s: %s", a->config,
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    cli_opts *o = &a->o;
    if (a->ndomains == 0) {
        memcpy(a->domains, c->domains, c->ndomains * sizeof(*c->domains));
        a->ndomains = c->ndomains;
    }
    if (a->nsites == 0) {
        memcpy(a->sites, c->sites, c->nsites * sizeof(*c->sites));
        a->nsites = c->nsites;
    }
    if (!a->root && !a->no_system)
        a->root = c->root;
    if (!a->hist.db)
        a->hist.db = c->history_db;
    a->backup = c->backup;
    if (c->lang >= 0 && !(o->given & CLI_C_LANG))
        o->ctx.lang = o->wopts.lang = (mamori_lang)c->lang;
    if (c->min_severity >= 0 && !(o->given & CLI_C_MIN_SEV))
        o->wopts.min_severity = (mamori_severity)c->min_severity;
    if (c->fail_on >= 0 && !(o->given & CLI_C_FAIL_ON))
        o->fail_on = (mamori_severity)c->fail_on;
    return 0;
}

static int run_audit(audit *a)
{
    int status;

    if (a->no_system && a->npaths == 0 && a->ndomains == 0 && a->nsites == 0) {
        cli_error(&a->o, "--no-system leaves nothing to check: name some PATHs, --domain or --site");
        return CLI_EXIT_USAGE;
    }
    if (a->no_system && a->root) {
        cli_error(&a->o, "--root names a system to audit, --no-system skips it: "
                        "give one of them");
        return CLI_EXIT_USAGE;
    }
    mamori_sysroot *host = NULL;
    mamori_err e = mamori_sysroot_new(a->root, &host);
    if (e) {
        cli_error(&a->o, "cannot open the root %s: %s", a->root,
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    if (!a->o.wopts.title)
        a->o.wopts.title = a->o.ctx.lang == MAMORI_LANG_JA ? "mamori 監査レポート"
                                                         : "mamori audit report";
    cli_set_inputs(&a->o, a->npaths, a->paths);
    if ((status = cli_run_begin(&a->o)) != 0) {
        mamori_sysroot_free(host);
        return status;
    }
    mamori_audit_input in = {
        .host = host,
        .no_system = a->no_system,
        .paths = (const char *const *)a->paths,
        .npaths = (size_t)a->npaths,
        .domains = a->domains,
        .ndomains = a->ndomains,
        .resolver = a->resolver,
        .sites = a->sites,
        .nsites = a->nsites,
        .backup_config = a->backup,
    };
    char scope[AUDIT_SCOPE_MAX];
    describe_scope(a, scope, sizeof(scope));
    cli_history_begin(&a->o, &a->hist, a->root, scope);
    in.history = a->hist.h;
    in.scope = scope;
    /* errors were said as diagnostics; the exit status comes from them */
    (void)mamori_audit_run(&a->o.ctx, &in, cli_history_sink(&a->o, &a->hist));
    mamori_sysroot_free(host);
    cli_history_commit(&a->o, &a->hist);
    return cli_history_end(&a->o, &a->hist, cli_run_end(&a->o));
}

int cmd_audit(int argc, char **argv)
{
    audit a;
    int status;

    memset(&a, 0, sizeof(a));
    cli_opts_init(&a.o, "mamori audit");
    status = cli_parse(&a.o, argc, argv, &cli_cmd_audit, own_option, &a);
    if (status != CLI_CONTINUE)
        return status;
    a.paths = argv + optind;
    a.npaths = argc - optind;
    mamori_conf *conf = NULL;
    if (a.config && (status = read_config(&a, &conf)) != 0) {
        mamori_conf_free(conf);
        return status;
    }
    status = run_audit(&a);
    mamori_conf_free(conf);
    return status;
}
