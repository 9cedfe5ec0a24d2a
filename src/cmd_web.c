/*
 * cmd_web.c — `mamori web URL...`: what an attacker sees of the
 * organisation's own sites (METI 002 要対応項目4): TLS with an SSL Labs
 * grade and the differences to Mozilla's intermediate configuration,
 * exposed files, directory listings, default pages, version disclosure;
 * and with --config (or --root DIR) the nginx/Apache files of this
 * machine, each weakness tied to its file and line. The checks are the
 * library's (mamori/web.h); this file parses options, reads --from-file
 * and picks the writer.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "commands.h"
#include "mamori/web.h"

#define WEB_LIST_LINE_MAX 2048   /* one URL of --from-file */
#define WEB_TIMEOUT_MAX_S 600

enum { OPT_FROM_FILE = CLI_OWN_CODE_MIN, OPT_CA, OPT_TIMEOUT, OPT_NO_TLS,
       OPT_NO_EXPOSURE, OPT_CONFIG, OPT_ROOT, OPT_CONCURRENCY,
       OPT_HTTP_PORT, OPT_HTTPS_PORT, OPT_FROM_LOGSCAN };

typedef struct web_cmd {
    cli_opts o;
    mamori_web_opts wopts;
    const char *from_file, *root;
    int config;
    char **urls;
    size_t n, cap;
} web_cmd;

static const cli_option web_options[] = {
    CLI_HEADING("web options"),
    {"from-file", OPT_FROM_FILE, "FILE",
     "URLs to check, one a line ('#' comments)", CLI_COMPLETE_FILE},
    {"from-logscan", OPT_FROM_LOGSCAN, "REPORT",
     "ask every site again for the sensitive files this\n"
     "`mamori logscan --format json` report saw served\n"
     "(2xx) to attackers", CLI_COMPLETE_FILE},
    {"ca", OPT_CA, "FILE",
     "verify certificates against this PEM bundle\n"
     "(default: the system's store)", CLI_COMPLETE_FILE},
    {"timeout", OPT_TIMEOUT, "SEC", "deadline per site (default 30)", NULL},
    {"concurrency", OPT_CONCURRENCY, "N",
     "sites checked at once (default 8, at most 64);\n"
     "one at a time per host and port", NULL},
    {"http-port", OPT_HTTP_PORT, "PORT",
     "where an https:// site's http:// side listens, for\n"
     "the header grade's redirection test (default 80\n"
     "for a site on 443, else none)", NULL},
    {"https-port", OPT_HTTPS_PORT, "PORT",
     "where an http:// site's https:// side listens\n"
     "(default 443 for a site on 80, else none)", NULL},
    {"no-tls", OPT_NO_TLS, NULL, "skip the TLS probes", NULL},
    {"no-exposure", OPT_NO_EXPOSURE, NULL,
     "do not ask for exposed files", NULL},
    {"config", OPT_CONFIG, NULL,
     "also review this machine's nginx and Apache\n"
     "configuration (includes followed)", NULL},
    {"root", OPT_ROOT, "DIR",
     "review the nginx/Apache configuration under DIR\n"
     "(implies --config)", CLI_COMPLETE_DIR},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const web_checks[] = {"web.", NULL};

const cli_command cli_cmd_web = {
    .name = "web",
    .synopsis =
        "usage: mamori web [options] URL...\n"
        "       mamori web [options] --from-file FILE\n"
        "       mamori web --config [--root DIR]\n"
        "\n"
        "Checks the organisation's own web sites as an attacker sees them (METI,\n"
        "item 4: application security): the TLS protocols and cipher suites a\n"
        "site accepts, forward secrecy, its certificate (trust, expiry, key,\n"
        "signature, names, OCSP stapling) with an SSL Labs grade and the\n"
        "differences to Mozilla's intermediate configuration; the security\n"
        "headers graded as the MDN HTTP Observatory grades them (both schemes\n"
        "and a CORS preflight asked, as it asks them); files that must\n"
        "never be served (.git, .env, dumps, backups, status pages), directory\n"
        "listings, default pages and version disclosure. With --config, the\n"
        "nginx and Apache files of this machine, each weakness with its file\n"
        "and line. Each finding says what an attacker gains and the nginx and\n"
        "Apache directives that fix it.\n"
        "\n",
    .options = web_options,
    .common = CLI_C_REPORT | CLI_C_PROGRESS,
    .check_prefixes = web_checks,
    .examples = "  mamori web https://www.example.jp/\n"
                "  mamori web --from-file sites.txt --format html -o web.html\n"
                "  mamori web --from-logscan logscan.json https://www.example.jp/\n"
                "  sudo mamori web --config\n",
};

static int add_url(web_cmd *w, const char *s, size_t n)
{
    if (w->n >= MAMORI_WEB_SITES_MAX) {
        cli_error(&w->o, "more than %d sites", MAMORI_WEB_SITES_MAX);
        return -1;
    }
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        char **v = realloc(w->urls, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        w->urls = v;
        w->cap = cap;
    }
    char *u = malloc(n + 1);
    if (u == NULL)
        return -1;
    memcpy(u, s, n);
    u[n] = '\0';
    w->urls[w->n++] = u;
    return 0;
}

static void free_urls(web_cmd *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->urls[i]);
    free(w->urls);
}

static int read_list(web_cmd *w, const char *path)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
    char line[WEB_LIST_LINE_MAX + 2];
    uint64_t lineno = 0, full;
    int ret = 0, rc;
    if (f == NULL) {
        cli_error(&w->o, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    while ((rc = mamori_read_line(f, line, sizeof line, &full)) > 0) {
        lineno++;
        if (full > WEB_LIST_LINE_MAX || memchr(line, '\0', (size_t)full)) {
            cli_error(&w->o, "%s:%llu: %s; skipped", path,
                      (unsigned long long)lineno,
                      full > WEB_LIST_LINE_MAX ? "line too long for a URL"
                                               : "NUL byte in the line");
            w->o.input_errors++;
            continue;
        }
        size_t n = (size_t)full, s = 0;
        char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        while (s < n && (line[s] == ' ' || line[s] == '\t'))
            s++;
        while (n > s && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
                         line[n - 1] == '\t'))
            n--;
        if (n > s && add_url(w, line + s, n - s) != 0) {
            ret = -1;
            break;
        }
    }
    if (rc < 0) {
        cli_error(&w->o, "error reading %s: %s", path, strerror(errno));
        ret = -1;
    }
    if (f != stdin)
        fclose(f);
    return ret;
}

static int own_option(void *user, int c, const char *arg)
{
    web_cmd *w = user;
    char *end = NULL;
    unsigned long v;
    switch (c) {
    case OPT_FROM_FILE: w->from_file = arg; return 0;
    case OPT_CA: w->wopts.ca_file = arg; return 0;
    case OPT_FROM_LOGSCAN: w->wopts.from_logscan = arg; return 0;
    case OPT_TIMEOUT:
        errno = 0;
        v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v == 0 || v > WEB_TIMEOUT_MAX_S) {
            cli_error(&w->o, "--timeout wants seconds from 1 to %d, not '%s'",
                      WEB_TIMEOUT_MAX_S, arg);
            return CLI_EXIT_USAGE;
        }
        w->wopts.timeout_ms = (unsigned)v * 1000;
        return 0;
    case OPT_CONCURRENCY:
        errno = 0;
        v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v == 0 ||
            v > MAMORI_WEB_CONCURRENCY_MAX) {
            cli_error(&w->o, "--concurrency wants 1 to %d, not '%s'",
                      MAMORI_WEB_CONCURRENCY_MAX, arg);
            return CLI_EXIT_USAGE;
        }
        w->wopts.concurrency = (unsigned)v;
        return 0;
    case OPT_HTTP_PORT:
    case OPT_HTTPS_PORT:
        errno = 0;
        v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v == 0 || v > 65535) {
            cli_error(&w->o, "--%s wants a port from 1 to 65535, not '%s'",
                      c == OPT_HTTP_PORT ? "http-port" : "https-port", arg);
            return CLI_EXIT_USAGE;
        }
        *(c == OPT_HTTP_PORT ? &w->wopts.http_port : &w->wopts.https_port) =
            (unsigned)v;
        return 0;
    case OPT_NO_TLS: w->wopts.no_tls = 1; return 0;
    case OPT_NO_EXPOSURE: w->wopts.no_exposure = 1; return 0;
    case OPT_CONFIG: w->config = 1; return 0;
    case OPT_ROOT: w->root = arg; w->config = 1; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

int cmd_web(int argc, char **argv)
{
    web_cmd w;
    memset(&w, 0, sizeof(w));
    cli_opts_init(&w.o, "mamori web");
    int status = cli_parse(&w.o, argc, argv, &cli_cmd_web, own_option, &w);
    if (status != CLI_CONTINUE)
        return status;
    for (int i = optind; i < argc; i++)
        if (add_url(&w, argv[i], strlen(argv[i])) != 0) {
            free_urls(&w);
            return CLI_EXIT_USAGE;
        }
    if (w.from_file && read_list(&w, w.from_file) != 0) {
        free_urls(&w);
        return CLI_EXIT_USAGE;
    }
    if (w.n == 0 && !w.config) {
        cli_error(&w.o, "no URL given. Name sites, use --from-file, or "
                        "--config. See 'mamori web --help'.");
        free_urls(&w);
        return CLI_EXIT_USAGE;
    }
    w.o.wopts.inputs = (const char *const *)w.urls;
    w.o.wopts.ninputs = w.n;
    if ((status = cli_run_begin(&w.o)) != 0) {
        free_urls(&w);
        return status;
    }
    mamori_sink sink = cli_sink(&w.o);
    mamori_web *web = NULL;
    mamori_sysroot *sr = NULL;
    mamori_err e = mamori_web_new(&w.o.ctx, &w.wopts, &web);
    if (e == MAMORI_OK && w.n)
        e = mamori_web_check(web, (const char *const *)w.urls, w.n, &sink);
    if (e != MAMORI_E_ABORTED && web && w.config) {
        mamori_err r = mamori_sysroot_new(w.root, &sr);
        if (r) {
            cli_error(&w.o, "cannot open the root: %s",
                      r == MAMORI_E_IO ? strerror(errno) : mamori_strerror(r));
            w.o.input_errors++;
        } else {
            r = mamori_web_config(web, sr, &sink);
            if (!e)
                e = r;
        }
    }
    if (web && e != MAMORI_E_ABORTED) {
        mamori_err f = mamori_web_finish(web, &sink);
        if (!e)
            e = f;
    }
    if (e && e != MAMORI_E_ABORTED)
        w.o.input_errors++;
    mamori_web_free(web);
    mamori_sysroot_free(sr);
    status = cli_run_end(&w.o);
    free_urls(&w);
    return status;
}
