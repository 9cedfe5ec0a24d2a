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
#include "util/grow.h"

#define DNS_LIST_LINE_MAX 1024          /* one line of --from-file */
#define DNS_LIST_MAX 10000000           /* domains in one run */

enum {
    OPT_FROM_FILE = 512, OPT_RESOLVER, OPT_TRUST_ANCHOR, OPT_SELECTOR,
    OPT_TIMEOUT, OPT_CONCURRENCY, OPT_NO_HTTPS, OPT_HTTPS_CA, OPT_HTTPS_PORT,
    OPT_IP, OPT_MAIL_FROM, OPT_HELO, OPT_NO_PROBE, OPT_NS_PORT, OPT_SMTP_PORT,
    OPT_STDIN
};

/* Options both forms take: where and how long to ask. */
#define DNS_RESOLVER_OPTIONS \
    {"resolver", OPT_RESOLVER, "A[:P]", \
     "ask this DNS server (default: /etc/resolv.conf)", NULL}, \
    {"trust-anchor", OPT_TRUST_ANCHOR, "F", \
     "DS/DNSKEY file for DNSSEC validation (default:\n" \
     "the root key, without --resolver)", CLI_COMPLETE_FILE}

static const cli_option dns_options[] = {
    CLI_HEADING("dns options"),
    {"from-file", OPT_FROM_FILE, "FILE",
     "domains to check, one a line ('#' comments)", CLI_COMPLETE_FILE},
    DNS_RESOLVER_OPTIONS,
    {"dkim-selector", OPT_SELECTOR, "S",
     "a DKIM selector to check (repeatable); common\nones are probed as well",
     NULL},
    {"timeout", OPT_TIMEOUT, "SEC", "deadline per domain (default 10)", NULL},
    {"concurrency", OPT_CONCURRENCY, "N", "domains checked at once (default 16)",
     NULL},
    {"no-https", OPT_NO_HTTPS, NULL, "do not fetch MTA-STS policies", NULL},
    {"https-ca", OPT_HTTPS_CA, "FILE", "CA bundle for the MTA-STS fetch (tests)",
     CLI_COMPLETE_FILE},
    {"https-port", OPT_HTTPS_PORT, "N",
     "port of the MTA-STS fetch (tests; default 443)", NULL},
    {"no-probe", OPT_NO_PROBE, NULL,
     "DNS lookups only: do not contact the domain's\n"
     "nameservers (lame delegation, open resolver,\n"
     "AXFR) or MX hosts (STARTTLS) directly", NULL},
    {"ns-port", OPT_NS_PORT, "N",
     "port nameservers are probed on (tests; default 53)", NULL},
    {"smtp-port", OPT_SMTP_PORT, "N",
     "port MX hosts are probed on (tests; default 25)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const cli_option spf_eval_options[] = {
    CLI_HEADING("spf-eval options"),
    {"ip", OPT_IP, "ADDR", "the SMTP client's address", NULL},
    {"mail-from", OPT_MAIL_FROM, "ADDR", "MAIL FROM (empty: the HELO identity)",
     NULL},
    {"helo", OPT_HELO, "NAME", "the HELO/EHLO name", NULL},
    {"stdin", OPT_STDIN, NULL,
     "many queries, one 'IP MAIL-FROM HELO' a line\n"
     "('-' for an empty MAIL FROM); prints one\n"
     "'RESULT<TAB>DOMAIN<TAB>REASON' line each\n"
     "(with --format json, one object each)", NULL},
    DNS_RESOLVER_OPTIONS,
    {"timeout", OPT_TIMEOUT, "SEC", "deadline per evaluation (default 10)",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const dns_checks[] = {"dns.", NULL};

const cli_command cli_cmd_dns_spf_eval = {
    .name = "dns spf-eval",
    .synopsis =
        "usage: mamori dns spf-eval [options] --ip ADDR [--mail-from ADDR] --helo NAME\n"
        "       mamori dns spf-eval [options] --stdin < 'IP MAIL-FROM HELO' lines\n"
        "\n"
        "Prints the RFC 7208 result (pass, fail, softfail, neutral, none,\n"
        "permerror, temperror) of check_host() for a client address and\n"
        "sender, like spfquery. --format json prints one JSON object per\n"
        "evaluation: ip, mail_from, helo, result, domain, mechanism,\n"
        "explanation, reason, dns_terms, void_lookups, queries.\n"
        "\n",
    .options = spf_eval_options,
    .common = CLI_C_FORMAT,
    .formats = CLI_FORMATS_TEXT_JSON,
    .exit_status = "\nexit status: 0 for pass, fail, softfail, neutral or none,\n"
                   "1 for permerror, 2 for temperror or a usage error\n"
                   "(--stdin: the worst line).\n",
    .examples =
        "  mamori dns spf-eval --ip 192.0.2.10 --mail-from a@example.jp --helo mx.example.jp\n"
        "  mamori dns spf-eval --stdin --format json < queries.txt | jq .result\n",
};

static const cli_command *const dns_verbs[] = {&cli_cmd_dns_spf_eval, NULL};

const cli_command cli_cmd_dns = {
    .name = "dns",
    .synopsis =
        "usage: mamori dns [options] DOMAIN...\n"
        "       mamori dns [options] --from-file FILE\n"
        "       mamori dns spf-eval --ip ADDR [--mail-from ADDR] --helo NAME\n"
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
        "spf-eval prints the RFC 7208 result for one message: see\n"
        "'mamori dns spf-eval --help'.\n"
        "\n",
    .options = dns_options,
    .common = CLI_C_REPORT | CLI_C_PROGRESS,
    .check_prefixes = dns_checks,
    .verbs = dns_verbs,
    .exit_status = "\nexit status: 0 clean, 1 findings at or above --fail-on, 2 usage\n"
                   "error or a lookup that failed (a check that could not be made).\n",
    .examples =
        "  mamori dns example.jp\n"
        "  mamori dns --format json --dkim-selector s2024 example.jp | jq -r 'select(.fix) | .fix'\n"
        "  mamori dns --from-file domains.txt --format html -o dns.html\n"
        "  mamori dns --only dns.spf.*,dns.dmarc.* example.jp\n",
};

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
    if (MR_GROW(&l->v, &l->cap, l->n + 1, 64))
        return -1;
    char *c = malloc(n + 1);
    if (c == NULL)
        return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    return 0;
}

/* Reads domains, one a line; blank lines and '#' comments skipped. A line
 * that cannot be a domain (too long, a NUL byte) is named on stderr and
 * counted as an input error, so the run cannot end in a clean exit. */
static int read_list(cli_opts *o, const char *path, dns_list *l)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char line[DNS_LIST_LINE_MAX + 2];
    uint64_t lineno = 0, full;
    if (f == NULL) {
        cli_error(o, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    int ret = 0, rc;
    while ((rc = mamori_read_line(f, line, sizeof line, &full)) > 0) {
        lineno++;
        if (full > DNS_LIST_LINE_MAX || memchr(line, '\0', (size_t)full)) {
            cli_error(o, "%s:%llu: %s; skipped", path,
                      (unsigned long long)lineno,
                      full > DNS_LIST_LINE_MAX ? "line too long for a domain"
                                               : "NUL byte in the line");
            o->input_errors++;
            continue;
        }
        size_t n = (size_t)full;
        char *hash = memchr(line, '#', n);
        if (hash)
            n = (size_t)(hash - line);
        size_t s = 0;
        while (s < n && (line[s] == ' ' || line[s] == '\t'))
            s++;
        while (n > s && (line[n - 1] == '\r' || line[n - 1] == ' ' ||
                         line[n - 1] == '\t'))
            n--;
        if (n > s && list_add(l, line + s, n - s) != 0) {
            cli_error(o, "too many domains (or out of memory)");
            ret = -1;
            break;
        }
    }
    if (rc < 0) {
        cli_error(o, "error reading %s: %s", path, strerror(errno));
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

/* One evaluation as one JSON object on one line; r NULL: the query line
 * was not a query (result "usage"). */
static void print_json(const char *ip, const char *mail_from,
                       const char *helo, const mamori_spf_outcome *r)
{
    static const char *const keys[] = {"ip", "mail_from", "helo"};
    const char *vals[] = {ip, mail_from, helo};
    fputc('{', stdout);
    for (size_t i = 0; i < MR_ARRAY_LEN(keys); i++) {
        printf("\"%s\":", keys[i]);
        if (vals[i])
            cli_json_string(stdout, vals[i]);
        else
            fputs("null", stdout);
        fputc(',', stdout);
    }
    fputs("\"result\":", stdout);
    cli_json_string(stdout, r->result);
    fputs(",\"domain\":", stdout);
    cli_json_string(stdout, r->domain);
    fputs(",\"mechanism\":", stdout);
    cli_json_string(stdout, r->mechanism);
    fputs(",\"explanation\":", stdout);
    cli_json_string(stdout, r->explanation);
    fputs(",\"reason\":", stdout);
    cli_json_string(stdout, r->reason);
    printf(",\"dns_terms\":%u,\"void_lookups\":%u,\"queries\":%u}\n",
           r->dns_terms, r->void_lookups, r->queries);
}

/* label, then v escaped for a terminal (names and explanations come from
 * DNS answers, chosen by whoever runs the zone), then sep. */
static void put_field(const char *label, const char *v, const char *sep)
{
    fputs(label, stdout);
    mamori_term_put(stdout, v, strlen(v), SIZE_MAX);
    fputs(sep, stdout);
}

static void put_line(const char *label, const char *v)
{
    put_field(label, v, "\n");
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
    if (o->wopts.format == MAMORI_OUT_JSON) {
        print_json(ip, mail_from ? mail_from : "", helo, &r);
        return spf_status(r.result);
    }
    put_line("result: ", r.result);
    put_line("domain: ", r.domain);
    if (r.mechanism[0])
        put_line("mechanism: ", r.mechanism);
    if (r.explanation[0])
        put_line("explanation: ", r.explanation);
    put_line("reason: ", r.reason);
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
 * benchmark would ask), one result line per query line, in order; blank
 * lines get none. A line that is not a query (a NUL byte, longer than
 * SPF_LINE_MAX, wrong fields) gets a "usage" result of its own. */
/* A query line that is not a query: its own "usage" answer, in order. */
static void usage_answer(bool json, const char *why)
{
    if (json) {
        mamori_spf_outcome r;
        memset(&r, 0, sizeof(r));
        snprintf(r.result, sizeof(r.result), "usage");
        snprintf(r.reason, sizeof(r.reason), "%s", why);
        print_json(NULL, NULL, NULL, &r);
    } else {
        put_field("usage\t-\t", why, "\n");
    }
    fflush(stdout);
}

static int spf_eval_stream(cli_opts *o, mamori_dns *d, FILE *in)
{
    char line[SPF_LINE_MAX + 1];
    mamori_spf_outcome r;
    bool json = o->wopts.format == MAMORI_OUT_JSON;
    int status = CLI_EXIT_OK;     /* the worst line: 2 over 1 over 0 */
    uint64_t full;
    int rc;
    while ((rc = mamori_read_line(in, line, sizeof line, &full)) > 0) {
        if (full > SPF_LINE_MAX) {
            char why[64];
            snprintf(why, sizeof(why), "line longer than %d bytes", SPF_LINE_MAX);
            usage_answer(json, why);
            status = CLI_EXIT_USAGE;
            continue;
        }
        if (memchr(line, '\0', (size_t)full)) {
            usage_answer(json, "NUL byte in the line");
            status = CLI_EXIT_USAGE;
            continue;
        }
        char *p = line;
        char *ip = next_field(&p), *from = next_field(&p);
        char *helo = next_field(&p), *extra = next_field(&p);
        if (ip == NULL)
            continue;                        /* blank line */
        if (helo == NULL || extra != NULL) {
            usage_answer(json, "want 'IP MAIL-FROM HELO'");
            status = CLI_EXIT_USAGE;
            continue;
        }
        if (strcmp(from, "-") == 0)
            from = "";
        if (mamori_dns_spf_eval(d, ip, from, helo, &r) != MAMORI_OK) {
            if (json) {
                snprintf(r.result, sizeof(r.result), "usage");
                print_json(ip, from, helo, &r);
            } else {
                put_field("usage\t-\t", r.reason, "\n");
            }
            status = CLI_EXIT_USAGE;
        } else {
            if (json) {
                print_json(ip, from, helo, &r);
            } else {
                put_field("", r.result, "\t");
                put_field("", r.domain[0] ? r.domain : "-", "\t");
                put_field("", r.reason, "\n");
            }
            status = MR_MAX(status, spf_status(r.result));
        }
        fflush(stdout);   /* a caller may wait for each answer */
    }
    if (rc < 0) {
        cli_error(o, "reading standard input: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return status;
}

typedef struct dns_cli {
    cli_opts o;
    mamori_dns_opts dopts;
    const char *selectors[MAMORI_DNS_SELECTORS_MAX];
    const char *from_file, *ip, *mail_from, *helo;
    bool from_stdin;
} dns_cli;

static int own_option(void *user, int c, const char *arg)
{
    dns_cli *n = user;
    mamori_dns_opts *dopts = &n->dopts;
    unsigned secs;
    switch (c) {
    case OPT_FROM_FILE: n->from_file = arg; return 0;
    case OPT_RESOLVER: dopts->resolver = arg; return 0;
    case OPT_TRUST_ANCHOR: dopts->trust_anchor = arg; return 0;
    case OPT_SELECTOR:
        if (dopts->n_dkim_selectors >= MAMORI_DNS_SELECTORS_MAX) {
            cli_error(&n->o, "at most %d --dkim-selector", MAMORI_DNS_SELECTORS_MAX);
            return CLI_EXIT_USAGE;
        }
        n->selectors[dopts->n_dkim_selectors++] = arg;
        return 0;
    case OPT_TIMEOUT:
        if (parse_uint(&n->o, "--timeout", arg, 1, 300, &secs))
            return CLI_EXIT_USAGE;
        dopts->timeout_ms = secs * 1000;
        return 0;
    case OPT_CONCURRENCY:
        return parse_uint(&n->o, "--concurrency", arg, 1,
                          MAMORI_DNS_CONCURRENCY_MAX, &dopts->concurrency)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_NO_HTTPS: dopts->no_https = 1; return 0;
    case OPT_HTTPS_CA: dopts->https_ca = arg; return 0;
    case OPT_HTTPS_PORT:
        return parse_uint(&n->o, "--https-port", arg, 1, 65535, &dopts->https_port)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_NO_PROBE: dopts->no_probe = 1; return 0;
    case OPT_NS_PORT:
        return parse_uint(&n->o, "--ns-port", arg, 1, 65535, &dopts->ns_port)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_SMTP_PORT:
        return parse_uint(&n->o, "--smtp-port", arg, 1, 65535, &dopts->smtp_port)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_IP: n->ip = arg; return 0;
    case OPT_MAIL_FROM: n->mail_from = arg; return 0;
    case OPT_HELO: n->helo = arg; return 0;
    case OPT_STDIN: n->from_stdin = true; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

int cmd_dns(int argc, char **argv)
{
    dns_cli n;
    int status;
    bool eval = argc > 1 && strcmp(argv[1], "spf-eval") == 0;
    const cli_command *cmd = eval ? &cli_cmd_dns_spf_eval : &cli_cmd_dns;

    if (eval) {           /* the verb: drop it, parse the rest */
        argv++;
        argc--;
    }
    memset(&n, 0, sizeof(n));
    cli_opts_init(&n.o, eval ? "mamori dns spf-eval" : "mamori dns");
    status = cli_parse(&n.o, argc, argv, cmd, own_option, &n);
    if (status != CLI_CONTINUE)
        return status;
    cli_opts *o = &n.o;
    mamori_dns_opts *dopts = &n.dopts;
    dopts->dkim_selectors = n.selectors;
    if (eval) {
        if (optind < argc) {
            cli_error(o, "spf-eval takes no operands ('%s'): use --ip, "
                          "--mail-from and --helo", argv[optind]);
            return CLI_EXIT_USAGE;
        }
        return spf_eval(o, dopts, n.ip, n.mail_from, n.helo, n.from_stdin);
    }
    dns_list list = {0};
    for (int i = optind; i < argc; i++)
        if (list_add(&list, argv[i], strlen(argv[i])) != 0) {
            list_free(&list);
            return CLI_EXIT_USAGE;
        }
    if (n.from_file && read_list(o, n.from_file, &list) != 0) {
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    if (list.n == 0) {
        cli_error(o, "no domain given. Name domains or use --from-file. "
                      "See 'mamori dns --help'.");
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    o->wopts.inputs = (const char *const *)list.v; /* the report names them */
    o->wopts.ninputs = list.n;
    if ((status = cli_run_begin(o)) != 0) {
        list_free(&list);
        return status;
    }
    mamori_dns *d = NULL;
    mamori_err e = mamori_dns_new(&o->ctx, dopts, &d);
    if (e != MAMORI_OK) {
        if (e != MAMORI_E_INVAL) /* INVAL has been explained already */
            cli_error(o, "cannot start: %s", mamori_strerror(e));
        cli_run_end(o);
        list_free(&list);
        return CLI_EXIT_USAGE;
    }
    mamori_sink sink = cli_sink(o);
    e = mamori_dns_check(d, (const char *const *)list.v, list.n, &sink);
    if (e != MAMORI_E_ABORTED)
        mamori_dns_finish(d, &sink);
    mamori_dns_free(d);
    status = cli_run_end(o); /* the report names the domains: free after */
    list_free(&list);
    return status;
}
