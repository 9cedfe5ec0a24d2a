/*
 * cmd_audit.c — `mamori audit`, mamori's main job: run every capability
 * that applies to this machine and print one report: logscan over the
 * web server logs, authscan over the journal and auth logs (and both over
 * any paths given), and the review of the password settings. Each
 * capability adds itself to the table below.
 */
#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mamori/authscan.h"
#include "mamori/dns.h"
#include "mamori/logscan.h"
#include "mamori/password.h"

enum { OPT_NO_SYSTEM = 512, OPT_DOMAIN, OPT_RESOLVER };

#define AUDIT_DOMAINS_MAX 64

/* Where Debian, Red Hat and their kin keep web server access logs. */
static const char *const web_log_dirs[] = {
    "/var/log/nginx", "/var/log/apache2", "/var/log/httpd",
    "/var/log/lighttpd", "/var/log/caddy",
};

typedef struct audit {
    cli_opts o;
    int no_system;
    const char *domains[AUDIT_DOMAINS_MAX];
    size_t ndomains;
    const char *resolver;     /* NULL: the system's */
    char **paths;
    int npaths;
} audit;

static void usage(FILE *f)
{
    fputs("usage: mamori audit [options] [PATH...]\n"
          "\n"
          "Runs every check that applies to this machine and prints one report:\n"
          "  logscan   attack traces in the web server access logs found under\n"
          "            /var/log/{nginx,apache2,httpd,lighttpd,caddy}, and in PATHs\n"
          "  authscan  login attacks and break-ins in the systemd journal,\n"
          "            /var/log/auth.log, secure, FTP server logs, and in PATHs\n"
          "  password  this machine's password settings (/etc/login.defs, the\n"
          "            PAM stack, sshd's PasswordAuthentication)\n"
          "  dns       with --domain: SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT, CAA\n"
          "            and DNSSEC of the organisation's domains\n"
          "\n"
          "      --no-system        skip this machine's usual locations; check only PATHs\n"
          "      --domain DOMAIN    also check this domain's DNS and mail health\n"
          "                         (repeatable)\n"
          "      --resolver ADDR[:PORT]  DNS server for --domain (default: the system's)\n",
          f);
    cli_common_help(f);
    fputs("\nexamples:\n"
          "  sudo mamori audit\n"
          "  mamori audit --format html -o audit.html\n"
          "  mamori audit --no-system --lang ja examples/logs\n",
          f);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A capability's part of the audit: what it cannot read it reports
 * through diagnostics, which make the exit status 2. */
static void run_logscan(audit *a, mamori_sink *sink)
{
    mamori_logscan *ls = NULL;
    mamori_logscan_opts lo = {0};
    if (mamori_logscan_new(&a->o.ctx, &lo, &ls) != MAMORI_OK) {
        mamori_diagf(&a->o.ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "logscan: cannot start (out of memory)");
        return;
    }
    int scanned = 0;
    for (size_t i = 0; !a->no_system && i < MR_ARRAY_LEN(web_log_dirs); i++)
        if (is_dir(web_log_dirs[i])) {
            mamori_logscan_path(ls, web_log_dirs[i], sink);
            scanned++;
        }
    for (int i = 0; i < a->npaths; i++) {
        mamori_logscan_path(ls, a->paths[i], sink);
        scanned++;
    }
    if (!scanned)
        mamori_diagf(&a->o.ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "logscan: no web server logs on this machine (looked in "
                     "/var/log/nginx, apache2, httpd, lighttpd, caddy)");
    mamori_logscan_finish(ls, sink);
    mamori_logscan_free(ls);
}

/* Where sshd and the FTP servers log when they log to files (a modern
 * Debian logs to the journal, which is read too). */
static const char *const auth_logs[] = {
    "/var/log/auth.log", "/var/log/secure", "/var/log/vsftpd.log",
    "/var/log/proftpd/proftpd.log", "/var/log/pure-ftpd/transfer.log",
};

static void run_authscan(audit *a, mamori_sink *sink)
{
    mamori_authscan *as = NULL;
    if (mamori_authscan_new(&a->o.ctx, NULL, &as) != MAMORI_OK) {
        mamori_diagf(&a->o.ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "authscan: cannot start (out of memory)");
        return;
    }
    if (!a->no_system) {
        if (is_dir("/var/log/journal") || is_dir("/run/log/journal"))
            mamori_authscan_journal(as, NULL);
        for (size_t i = 0; i < MR_ARRAY_LEN(auth_logs); i++)
            if (access(auth_logs[i], F_OK) == 0)
                mamori_authscan_path(as, auth_logs[i]);
    }
    /* PATHs given hold web logs (logins to web forms) and auth logs. */
    for (int i = 0; i < a->npaths; i++)
        mamori_authscan_path(as, a->paths[i]);
    mamori_authscan_finish(as, sink);
    mamori_authscan_free(as);
}

/* The organisation's domains: SPF, DKIM, DMARC and the rest. */
static void run_dns(audit *a, mamori_sink *sink)
{
    for (size_t i = 0; i < a->ndomains; i++)
        mamori_dns_audit(&a->o.ctx, a->domains[i], a->resolver, sink);
}

/* This machine's password settings: login.defs, the PAM stack, sshd. */
static void run_password_policy(audit *a, mamori_sink *sink)
{
    if (!a->no_system)
        mamori_password_policy_review(&a->o.ctx, "/", sink);
}

static const struct {
    const char *name;
    void (*run)(audit *a, mamori_sink *sink);
} capabilities[] = {
    {"logscan", run_logscan},
    {"authscan", run_authscan},
    {"password-policy", run_password_policy},
    {"dns", run_dns},
};

static int own_option(void *user, int c, const char *arg)
{
    audit *a = user;
    switch (c) {
    case OPT_NO_SYSTEM:
        a->no_system = 1;
        return 0;
    case OPT_DOMAIN:
        if (a->ndomains == AUDIT_DOMAINS_MAX) {
            cli_error(&a->o, "at most %d --domain options", AUDIT_DOMAINS_MAX);
            return CLI_EXIT_USAGE;
        }
        a->domains[a->ndomains++] = arg;
        return 0;
    default: /* OPT_RESOLVER */
        a->resolver = arg;
        return 0;
    }
}

int cmd_audit(int argc, char **argv)
{
    static const struct option mine[] = {
        {"no-system", no_argument, NULL, OPT_NO_SYSTEM},
        {"domain", required_argument, NULL, OPT_DOMAIN},
        {"resolver", required_argument, NULL, OPT_RESOLVER},
        {NULL, 0, NULL, 0},
    };
    audit a;
    int status;

    memset(&a, 0, sizeof(a));
    cli_opts_init(&a.o, "mamori audit");
    status = cli_parse(&a.o, argc, argv, mine, usage, own_option, &a);
    if (status != CLI_CONTINUE)
        return status;
    a.paths = argv + optind;
    a.npaths = argc - optind;
    if (a.no_system && a.npaths == 0 && a.ndomains == 0) {
        cli_error(&a.o, "--no-system leaves nothing to check: name some PATHs or --domain");
        return CLI_EXIT_USAGE;
    }
    if (!a.o.wopts.title)
        a.o.wopts.title = a.o.ctx.lang == MAMORI_LANG_JA ? "mamori 監査レポート"
                                                         : "mamori audit report";
    cli_set_inputs(&a.o, a.npaths, a.paths);
    if ((status = cli_run_begin(&a.o)) != 0)
        return status;
    mamori_sink sink = cli_sink(&a.o);
    for (size_t i = 0; i < MR_ARRAY_LEN(capabilities); i++)
        capabilities[i].run(&a, &sink);
    return cli_run_end(&a.o);
}
