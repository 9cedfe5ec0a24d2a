/*
 * cmd_dns.c — `mamori dns`: the DNS health of domains (SPF, DMARC, DKIM,
 * MX, MTA-STS, TLS-RPT, CAA, DNSSEC), and `mamori dns spf-eval`, which
 * runs RFC 7208's check_host() for one message like libspf2's spfquery.
 * Parses options, reads --from-file lists (bounded), and hands the rest
 * to mamori_dns_* (mamori/dns.h) and the common writer.
 */
#include "common.h"

#include "cli.h"
#include "commands.h"
#include "mamori/dns.h"

#define DNS_LIST_LINE_MAX 1024          /* one line of --from-file */
#define DNS_LIST_MAX 10000000           /* domains in one run */

enum {
    OPT_FROM_FILE = 512, OPT_RESOLVER, OPT_TRUST_ANCHOR, OPT_SELECTOR,
    OPT_TIMEOUT, OPT_CONCURRENCY, OPT_NO_HTTPS, OPT_HTTPS_CA, OPT_HTTPS_PORT,
    OPT_IP, OPT_MAIL_FROM, OPT_HELO, OPT_NO_PROBE, OPT_NS_PORT, OPT_SMTP_PORT,
    OPT_STDIN
};

static void usage(FILE *f)
{
    fputs("usage: mamori dns [options] DOMAIN...\n"
          "       mamori dns [options] --from-file FILE\n"
          "       mamori dns spf-eval --ip ADDR [--mail-from ADDR] --helo NAME\n"
          "       mamori dns spf-eval --stdin < 'IP MAIL-FROM HELO' lines\n"
          "\n"
          "Checks whether a domain can be used to send mail in its name and\n"
          "whether its DNS is looked after (METI 要対応項目3): SPF (found, one,\n"
          "syntax, lookup limits, +all/?all/~all, ptr, parked domains), DMARC\n"
          "(own or organisational record, every tag, p=none, sp/np, reports\n"
          "and their authorisation), DKIM keys (given and common selectors,\n"
          "key size, t=y, revoked), MX and null MX, MTA-STS (TXT and the HTTPS\n"
          "policy), TLS-RPT, CAA and DNSSEC; and, asking the domain's servers\n"
          "directly, STARTTLS on the MX hosts, lame delegation, open resolvers\n"
          "and zone transfer (AXFR) to anyone. Each finding gives the record to\n"
          "publish instead (field \"fix\").\n"
          "\n"
          "spf-eval prints the RFC 7208 result (pass, fail, softfail, neutral,\n"
          "none, permerror, temperror) for a client address and sender.\n"
          "\n"
          "exit status: dns: 0 clean, 1 findings at or above --fail-on, 2 usage\n"
          "error or a lookup that failed (a check that could not be made);\n"
          "spf-eval: 0 for pass, fail, softfail, neutral or none, 1 for\n"
          "permerror, 2 for temperror or a usage error (--stdin: the worst line).\n"
          "\n"
          "dns options:\n"
          "      --from-file FILE    domains to check, one a line ('#' comments)\n"
          "      --resolver A[:P]    ask this DNS server (default: /etc/resolv.conf)\n"
          "      --trust-anchor F    DS/DNSKEY file for DNSSEC validation (default:\n"
          "                          the root key, without --resolver)\n"
          "      --dkim-selector S   a DKIM selector to check (repeatable); common\n"
          "                          ones are probed as well\n"
          "      --timeout SEC       deadline per domain (default 10)\n"
          "      --concurrency N     domains checked at once (default 16)\n"
          "      --no-https          do not fetch MTA-STS policies\n"
          "      --https-ca FILE     CA bundle for the MTA-STS fetch (tests)\n"
          "      --https-port N      port of the MTA-STS fetch (tests; default 443)\n"
          "      --no-probe          DNS lookups only: do not contact the domain's\n"
          "                          nameservers (lame delegation, open resolver,\n"
          "                          AXFR) or MX hosts (STARTTLS) directly\n"
          "      --ns-port N         port nameservers are probed on (tests; default 53)\n"
          "      --smtp-port N       port MX hosts are probed on (tests; default 25)\n"
          "spf-eval options:\n"
          "      --ip ADDR           the SMTP client's address\n"
          "      --mail-from ADDR    MAIL FROM (empty: the HELO identity)\n"
          "      --helo NAME         the HELO/EHLO name\n"
          "      --stdin             many queries, one 'IP MAIL-FROM HELO' a line\n"
          "                          ('-' for an empty MAIL FROM); prints one\n"
          "                          'RESULT<TAB>DOMAIN<TAB>REASON' line each\n",
          f);
    cli_common_help(f);
    fputs("\nexamples:\n"
          "  mamori dns example.jp\n"
          "  mamori dns --format json --dkim-selector s2024 example.jp | jq .fix\n"
          "  mamori dns --from-file domains.txt --format html -o dns.html\n"
          "  mamori dns spf-eval --ip 192.0.2.10 --mail-from a@example.jp --helo mx.example.jp\n",
          f);
}

static int parse_uint(cli_opts *o, const char *opt, const char *arg,
                      unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || *end || end == arg || v < lo || v > hi) {
        cli_error(o, "%s wants a number from %u to %u", opt, lo, hi);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

typedef struct dns_list {
    char **v;
    size_t n, cap;
} dns_list;

static void list_free(dns_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int list_add(dns_list *l, const char *s, size_t n)
{
    if (l->n >= DNS_LIST_MAX)
        return -1;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (nv == NULL)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    char *c = malloc(n + 1);
    if (c == NULL)
        return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    return 0;
}

/* Reads domains, one a line; blank lines and '#' comments skipped. */
static int read_list(cli_opts *o, const char *path, dns_list *l)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char line[DNS_LIST_LINE_MAX + 2];
    uint64_t lineno = 0;
    if (f == NULL) {
        cli_error(o, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    int ret = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] != '\n' && !feof(f)) {
            cli_error(o, "%s:%llu: line longer than %d bytes; skipped", path,
                      (unsigned long long)lineno, DNS_LIST_LINE_MAX);
            int ch;
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            continue;
        }
        char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        size_t s = 0;
        while (s < n && (line[s] == ' ' || line[s] == '\t'))
            s++;
        while (n > s && (line[n - 1] == '\n' || line[n - 1] == '\r' ||
                         line[n - 1] == ' ' || line[n - 1] == '\t'))
            n--;
        if (n > s && list_add(l, line + s, n - s) != 0) {
            cli_error(o, "too many domains (or out of memory)");
            ret = -1;
            break;
        }
    }
    if (ferror(f)) {
        cli_error(o, "error reading %s", path);
        ret = -1;
    }
    if (f != stdin)
        fclose(f);
    return ret;
}

static int spf_eval_stream(cli_opts *o, mamori_dns *d, FILE *in);

/* The exit status of one spf-eval result: 0 for an answer (pass, fail,
 * softfail, neutral, none), 1 for permerror (the domain's records are
 * broken), 2 for temperror (no answer could be had: try again later). */
static int spf_status(const char *result)
{
    if (strcmp(result, "temperror") == 0)
        return CLI_EXIT_USAGE;
    if (strcmp(result, "permerror") == 0)
        return CLI_EXIT_FINDINGS;
    return CLI_EXIT_OK;
}

static int spf_eval(cli_opts *o, mamori_dns_opts *dopts, const char *ip,
                    const char *mail_from, const char *helo, bool from_stdin)
{
    mamori_dns *d = NULL;
    mamori_spf_outcome r;
    if (from_stdin && (ip || helo || mail_from)) {
        cli_error(o, "--stdin takes the queries from standard input only");
        return CLI_EXIT_USAGE;
    }
    if (!from_stdin && (ip == NULL || helo == NULL)) {
        cli_error(o, "spf-eval needs --ip and --helo (and usually "
                     "--mail-from)");
        return CLI_EXIT_USAGE;
    }
    dopts->concurrency = 1;
    mamori_err e = mamori_dns_new(&o->ctx, dopts, &d);
    if (e != MAMORI_OK) {
        if (e != MAMORI_E_INVAL) /* INVAL has been explained already */
            cli_error(o, "cannot start: %s", mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    if (from_stdin) {
        int st = spf_eval_stream(o, d, stdin);
        mamori_dns_free(d);
        return st;
    }
    e = mamori_dns_spf_eval(d, ip, mail_from, helo, &r);
    mamori_dns_free(d);
    if (e != MAMORI_OK) {
        cli_error(o, "%s", r.reason[0] ? r.reason : mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    printf("result: %s\n", r.result);
    printf("domain: %s\n", r.domain);
    if (r.mechanism[0])
        printf("mechanism: %s\n", r.mechanism);
    if (r.explanation[0])
        printf("explanation: %s\n", r.explanation);
    printf("reason: %s\n", r.reason);
    printf("dns-terms: %u\nvoid-lookups: %u\nqueries: %u\n", r.dns_terms,
           r.void_lookups, r.queries);
    return spf_status(r.result);
}

#define SPF_LINE_MAX 1024   /* one "IP MAIL-FROM HELO" query line */

/* The next whitespace-separated field of *p (NUL-terminated in place). */
static char *next_field(char **p)
{
    char *s = *p + strspn(*p, " \t\r\n");
    if (*s == '\0')
        return NULL;
    char *e = s + strcspn(s, " \t\r\n");
    if (*e != '\0')
        *e++ = '\0';
    *p = e;
    return s;
}

/* spf-eval --stdin: one process for many queries (as a mail server or a
 * benchmark would ask), one result line per query line, in order. A
 * line that is not a query gets a "usage" result; a line longer than
 * SPF_LINE_MAX is cut and answered as not a query. */
static int spf_eval_stream(cli_opts *o, mamori_dns *d, FILE *in)
{
    char line[SPF_LINE_MAX + 2];
    mamori_spf_outcome r;
    int status = CLI_EXIT_OK;     /* the worst line: 2 over 1 over 0 */
    while (fgets(line, sizeof line, in) != NULL) {
        size_t n = strlen(line);
        bool whole = n > 0 && line[n - 1] == '\n';
        if (!whole && !feof(in)) {           /* too long: skip the rest */
            int ch;
            while ((ch = fgetc(in)) != EOF && ch != '\n')
                ;
            line[0] = '\0';
        }
        char *p = line;
        char *ip = next_field(&p), *from = next_field(&p);
        char *helo = next_field(&p), *extra = next_field(&p);
        if (ip == NULL && line[0] != '\0')
            continue;                        /* blank line */
        if (ip == NULL || helo == NULL || extra != NULL) {
            printf("usage\t-\twant 'IP MAIL-FROM HELO'\n");
            status = CLI_EXIT_USAGE;
            continue;
        }
        if (strcmp(from, "-") == 0)
            from = "";
        if (mamori_dns_spf_eval(d, ip, from, helo, &r) != MAMORI_OK) {
            printf("usage\t-\t%s\n", r.reason);
            status = CLI_EXIT_USAGE;
        } else {
            printf("%s\t%s\t%s\n", r.result, r.domain[0] ? r.domain : "-",
                   r.reason);
            status = MR_MAX(status, spf_status(r.result));
        }
        fflush(stdout);   /* a caller may wait for each answer */
    }
    if (ferror(in)) {
        cli_error(o, "reading standard input: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return status;
}

int cmd_dns(int argc, char **argv)
{
    cli_opts o;
    mamori_dns_opts dopts = {0};
    const char *selectors[MAMORI_DNS_SELECTORS_MAX];
    const char *from_file = NULL, *ip = NULL, *mail_from = NULL, *helo = NULL;
    struct option longopts[48];
    unsigned secs = 0;
    int c, status;
    bool eval = argc > 1 && strcmp(argv[1], "spf-eval") == 0;
    bool from_stdin = false;

    if (eval) {           /* the verb: drop it, parse the rest */
        argv++;
        argc--;
    }
    cli_opts_init(&o, eval ? "mamori dns spf-eval" : "mamori dns");
    memcpy(longopts, cli_common_longopts,
           cli_common_nlongopts * sizeof(longopts[0]));
    struct option mine[] = {
        {"from-file", required_argument, NULL, OPT_FROM_FILE},
        {"resolver", required_argument, NULL, OPT_RESOLVER},
        {"trust-anchor", required_argument, NULL, OPT_TRUST_ANCHOR},
        {"dkim-selector", required_argument, NULL, OPT_SELECTOR},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"concurrency", required_argument, NULL, OPT_CONCURRENCY},
        {"no-https", no_argument, NULL, OPT_NO_HTTPS},
        {"https-ca", required_argument, NULL, OPT_HTTPS_CA},
        {"https-port", required_argument, NULL, OPT_HTTPS_PORT},
        {"no-probe", no_argument, NULL, OPT_NO_PROBE},
        {"ns-port", required_argument, NULL, OPT_NS_PORT},
        {"smtp-port", required_argument, NULL, OPT_SMTP_PORT},
        {"ip", required_argument, NULL, OPT_IP},
        {"mail-from", required_argument, NULL, OPT_MAIL_FROM},
        {"helo", required_argument, NULL, OPT_HELO},
        {"stdin", no_argument, NULL, OPT_STDIN},
        {NULL, 0, NULL, 0},
    };
    memcpy(longopts + cli_common_nlongopts, mine, sizeof(mine));

    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts, NULL)) != -1) {
        int r = cli_common_option(&o, c, optarg);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        switch (c) {
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        case OPT_FROM_FILE: from_file = optarg; break;
        case OPT_RESOLVER: dopts.resolver = optarg; break;
        case OPT_TRUST_ANCHOR: dopts.trust_anchor = optarg; break;
        case OPT_SELECTOR:
            if (dopts.n_dkim_selectors >= MAMORI_DNS_SELECTORS_MAX) {
                cli_error(&o, "at most %d --dkim-selector", MAMORI_DNS_SELECTORS_MAX);
                return CLI_EXIT_USAGE;
            }
            selectors[dopts.n_dkim_selectors++] = optarg;
            break;
        case OPT_TIMEOUT:
            if (parse_uint(&o, "--timeout", optarg, 1, 300, &secs))
                return CLI_EXIT_USAGE;
            dopts.timeout_ms = secs * 1000;
            break;
        case OPT_CONCURRENCY:
            if (parse_uint(&o, "--concurrency", optarg, 1,
                           MAMORI_DNS_CONCURRENCY_MAX, &dopts.concurrency))
                return CLI_EXIT_USAGE;
            break;
        case OPT_NO_HTTPS: dopts.no_https = 1; break;
        case OPT_HTTPS_CA: dopts.https_ca = optarg; break;
        case OPT_HTTPS_PORT:
            if (parse_uint(&o, "--https-port", optarg, 1, 65535, &dopts.https_port))
                return CLI_EXIT_USAGE;
            break;
        case OPT_NO_PROBE: dopts.no_probe = 1; break;
        case OPT_NS_PORT:
            if (parse_uint(&o, "--ns-port", optarg, 1, 65535, &dopts.ns_port))
                return CLI_EXIT_USAGE;
            break;
        case OPT_SMTP_PORT:
            if (parse_uint(&o, "--smtp-port", optarg, 1, 65535, &dopts.smtp_port))
                return CLI_EXIT_USAGE;
            break;
        case OPT_IP: ip = optarg; break;
        case OPT_MAIL_FROM: mail_from = optarg; break;
        case OPT_HELO: helo = optarg; break;
        case OPT_STDIN: from_stdin = true; break;
        default:
            fputs("Try 'mamori dns --help'.\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    dopts.dkim_selectors = selectors;
    if (eval)
        return spf_eval(&o, &dopts, ip, mail_from, helo, from_stdin);

    dns_list list = {0};
    for (int i = optind; i < argc; i++)
        if (list_add(&list, argv[i], strlen(argv[i])) != 0) {
            list_free(&list);
            return CLI_EXIT_USAGE;
        }
    if (from_file && read_list(&o, from_file, &list) != 0) {
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    if (list.n == 0) {
        cli_error(&o, "no domain given. Name domains or use --from-file. "
                      "See 'mamori dns --help'.");
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    o.wopts.inputs = (const char *const *)list.v; /* the report names them */
    o.wopts.ninputs = list.n;
    if ((status = cli_run_begin(&o)) != 0) {
        list_free(&list);
        return status;
    }
    mamori_dns *d = NULL;
    mamori_err e = mamori_dns_new(&o.ctx, &dopts, &d);
    if (e != MAMORI_OK) {
        if (e != MAMORI_E_INVAL) /* INVAL has been explained already */
            cli_error(&o, "cannot start: %s", mamori_strerror(e));
        cli_run_end(&o);
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    mamori_sink sink = cli_sink(&o);
    e = mamori_dns_check(d, (const char *const *)list.v, list.n, &sink);
    if (e != MAMORI_E_ABORTED)
        mamori_dns_finish(d, &sink);
    mamori_dns_free(d);
    status = cli_run_end(&o); /* the report names the domains: free after */
    list_free(&list);
    return status;
}
