/*
 * modsec_replay.c — the peer of `mamori logscan` for detection and speed:
 * replays the requests of an access log through ModSecurity v3
 * (libmodsecurity) with the OWASP Core Rule Set, engine on, anomaly
 * scoring at the CRS defaults (inbound threshold 5) and the paranoia level
 * given with -p (tx.paranoia_level and tx.executing_paranoia_level set by
 * a SecAction before the rules). A request is "flagged" when ModSecurity
 * asks for an intervention (the CRS's 949110 deny once the anomaly score
 * reaches the threshold). Used by bench/modsec.sh (`make bench`: CRS
 * lines per second beside mamori's) and by the detection-corpus test
 * (tests/tools/corpus_check.c: CRS PL1 and PL2 per category, informational).
 *
 * A request is replayed as the log saw it: method, target (path and query,
 * as sent), protocol, and the User-Agent and Referer headers when the line
 * has them. A Host header is added to every request (the log does not
 * record it, every client sends it, and the CRS scores its absence) and
 * nothing else. Log lines are parsed by mamori's own combined-format parser
 * (weblog/parse.h), so both tools see the same requests. With -c the input
 * is a detection corpus file instead (tests/corpus/README.md: a target,
 * then TAB-separated UA: and REF: fields; '#' comments); corpus lines with
 * no user agent get an ordinary browser's, as corpus-check gives them.
 *
 * Output: per request "LINENO<TAB>flagged<TAB>SCORE" or "LINENO<TAB>clean"
 * on stdout (-q: none), then one summary line on stderr:
 *   modsec-replay: pl P, N requests, F flagged, U unparsed, S s, R lines/s
 * The time counts the replay only, not loading the rules (about a second).
 *
 * With -v the rule messages ModSecurity logs go to stderr (why a request
 * was flagged). With -k K only every K-th request is replayed (the others are not
 * counted): a sample of a big benign file at the CRS's speed.
 *
 * Usage: modsec-replay [-p 1|2|3|4] [-c] [-q] [-v] [-n MAX] [-k K]
 *                      [-r RULES_DIR] [-S CRS_SETUP] FILE
 * Exit: 0 done, 2 usage, input or rule-loading error.
 */
#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

#include "common.h"

#include <time.h>
#include <unistd.h>

#include "weblog/parse.h"

#define REPLAY_LINE_MAX 65536     /* longer lines are counted as unparsed */
#define REPLAY_FIELD_MAX 16384    /* one header value or target, NUL-ended */
#define REPLAY_RULES_MAX 4096     /* the generated directives */
#define REPLAY_PATH_MAX 4096
#define REPLAY_DEFAULT_RULES "/usr/share/modsecurity-crs/rules"
#define REPLAY_HOST "www.example.com"
#define REPLAY_BROWSER_UA                                                          \
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like " \
    "Gecko) Chrome/124.0.0.0 Safari/537.36"

/* Where Debian and upstream put crs-setup.conf; the first readable wins. */
static const char *const setup_paths[] = {
    "/etc/modsecurity/crs/crs-setup.conf",
    "/usr/share/modsecurity-crs/crs-setup.conf.example",
    "/etc/modsecurity/crs/crs-setup.conf.example",
};

typedef struct replay_opts {
    int level;            /* CRS paranoia level */
    bool corpus;          /* -c: corpus lines, not an access log */
    bool quiet;           /* -q: summary only */
    unsigned long max;    /* -n: stop after this many requests; 0 = all */
    unsigned long step;   /* -k: replay every step-th request */
    const char *rules;    /* -r */
    const char *setup;    /* -S */
    const char *file;
} replay_opts;

/* One request to replay; the spans point into the current line. */
typedef struct replay_req {
    mr_span client, method, target, protocol, user_agent, referer;
} replay_req;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Copies s into buf (cap bytes) NUL-ended; false when it does not fit. */
static bool cstr(mr_span s, char *buf, size_t cap)
{
    if (s.n >= cap)
        return false;
    if (s.n)
        memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    return true;
}

/* The value of a TAB-separated "PREFIX..." field of a corpus line. */
static mr_span corpus_field(const char *line, size_t n, const char *prefix)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i + plen <= n; i++) {
        if ((i == 0 || line[i - 1] == '\t') && memcmp(line + i, prefix, plen) == 0) {
            size_t e = i + plen;
            while (e < n && line[e] != '\t')
                e++;
            return mr_span_make(line + i + plen, e - i - plen);
        }
    }
    return MR_SPAN_NULL;
}

/* 1 request, 0 comment or blank, -1 unparsable. */
static int parse_corpus(const char *line, size_t n, replay_req *r)
{
    if (n == 0 || line[0] == '#')
        return 0;
    r->user_agent = corpus_field(line, n, "UA:");
    r->referer = corpus_field(line, n, "REF:");
    if (strncmp(line, "UA:", 3) == 0 || strncmp(line, "REF:", 4) == 0) {
        r->target = MR_SPAN_LIT("/");
    } else {
        const char *tab = memchr(line, '\t', n);
        r->target = mr_span_make(line, tab ? (size_t)(tab - line) : n);
    }
    if (r->user_agent.n == 0)
        r->user_agent = MR_SPAN_LIT(REPLAY_BROWSER_UA);
    r->method = MR_SPAN_LIT("GET");
    r->protocol = MR_SPAN_LIT("HTTP/1.1");
    r->client = MR_SPAN_LIT("192.0.2.10");
    return 1;
}

static int parse_log(mr_logformat *fmt, const char *line, size_t n, replay_req *r)
{
    mr_http_event ev;
    int rc = mr_logformat_parse_line(fmt, line, n, &ev);
    if (rc == MR_PARSE_SKIP)
        return 0;
    if (rc != MR_PARSE_OK || ev.target.n == 0)
        return -1;
    r->client = ev.client.n ? ev.client : MR_SPAN_LIT("192.0.2.10");
    r->method = ev.method.n ? ev.method : MR_SPAN_LIT("GET");
    r->target = ev.target;
    r->protocol = ev.protocol;
    /* "-" is the log's way of saying the header was absent */
    bool no_ua = ev.user_agent.n == 0 || (ev.user_agent.n == 1 && ev.user_agent.p[0] == '-');
    bool no_ref = ev.referer.n == 0 || (ev.referer.n == 1 && ev.referer.p[0] == '-');
    r->user_agent = no_ua ? MR_SPAN_NULL : ev.user_agent;
    r->referer = no_ref ? MR_SPAN_NULL : ev.referer;
    return 1;
}

/* Anomaly score from the intervention's log ("Total Score: N"), -1 if none. */
static long score_of(const char *log)
{
    const char *p = log ? strstr(log, "Total Score: ") : NULL;
    if (!p)
        return -1;
    char *end = NULL;
    long v = strtol(p + 13, &end, 10);
    return end == p + 13 ? -1 : v;
}

/* True (and *score) when ModSecurity wants to intervene now. */
static bool intervened(Transaction *t, long *score)
{
    ModSecurityIntervention it = {200, 0, NULL, NULL, 0};
    int hit = msc_intervention(t, &it);
    if (hit && *score < 0)
        *score = score_of(it.log);
    free(it.url);
    free(it.log);
    return hit != 0;
}

/* Replays one request; 1 flagged, 0 clean, -1 it could not be built. */
static int replay(ModSecurity *ms, RulesSet *rules, const replay_req *r, long *score)
{
    static char client[64], method[32], version[16], target[REPLAY_FIELD_MAX];
    static char ua[REPLAY_FIELD_MAX], ref[REPLAY_FIELD_MAX];
    if (!cstr(r->client, client, sizeof client) || !cstr(r->method, method, sizeof method) ||
        !cstr(r->target, target, sizeof target) || !cstr(r->user_agent, ua, sizeof ua) ||
        !cstr(r->referer, ref, sizeof ref))
        return -1;
    /* "HTTP/1.1" -> "1.1"; HTTP/0.9 lines have no protocol */
    mr_span v = r->protocol;
    if (v.n > 5 && memcmp(v.p, "HTTP/", 5) == 0)
        v = mr_span_make(v.p + 5, v.n - 5);
    if (v.n == 0 || !cstr(v, version, sizeof version))
        memcpy(version, "1.1", 4);

    Transaction *t = msc_new_transaction(ms, rules, NULL);
    if (!t)
        return -1;
    *score = -1;
    bool hit = false;
    msc_process_connection(t, client, 40000, "127.0.0.1", 80);
    hit = intervened(t, score);
    if (!hit) {
        msc_process_uri(t, target, method, version);
        hit = intervened(t, score);
    }
    if (!hit) {
        msc_add_request_header(t, (const unsigned char *)"Host",
                               (const unsigned char *)REPLAY_HOST);
        if (ua[0])
            msc_add_request_header(t, (const unsigned char *)"User-Agent",
                                   (const unsigned char *)ua);
        if (ref[0])
            msc_add_request_header(t, (const unsigned char *)"Referer",
                                   (const unsigned char *)ref);
        msc_process_request_headers(t);
        hit = intervened(t, score);
    }
    if (!hit) {
        /* phase 2, where the CRS compares the score with the threshold */
        msc_process_request_body(t);
        hit = intervened(t, score);
    }
    msc_transaction_cleanup(t);
    return hit ? 1 : 0;
}

/* The log callback: rule messages go to stderr with -v (why a request
 * was flagged), nowhere otherwise. */
static bool verbose;

static void rule_log(void *data, const void *msg)
{
    (void)data;
    if (verbose && msg)
        fprintf(stderr, "%s\n", (const char *)msg);
}

static int load_rules(RulesSet *rules, const replay_opts *o)
{
    const char *setup = o->setup;
    for (size_t i = 0; !setup && i < MR_ARRAY_LEN(setup_paths); i++)
        if (access(setup_paths[i], R_OK) == 0)
            setup = setup_paths[i];
    if (!setup) {
        fprintf(stderr, "modsec-replay: no crs-setup.conf found (-S)\n");
        return -1;
    }
    char text[REPLAY_RULES_MAX];
    int n = snprintf(text, sizeof text,
        "SecRuleEngine On\n"
        "SecRequestBodyAccess On\n"
        "SecResponseBodyAccess Off\n"
        "SecAuditEngine Off\n"
        "Include %s\n"
        "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=%d\"\n"
        "SecAction \"id:900001,phase:1,nolog,pass,t:none,"
        "setvar:tx.executing_paranoia_level=%d\"\n"
        "Include %s/*.conf\n",
        setup, o->level, o->level, o->rules);
    if (n < 0 || (size_t)n >= sizeof text) {
        fprintf(stderr, "modsec-replay: rule path too long\n");
        return -1;
    }
    const char *err = NULL;
    if (msc_rules_add(rules, text, &err) < 0) {
        fprintf(stderr, "modsec-replay: loading the CRS: %s\n", err ? err : "error");
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, replay_opts *o)
{
    *o = (replay_opts){1, false, false, 0, 1, REPLAY_DEFAULT_RULES, NULL, NULL};
    int c;
    while ((c = getopt(argc, argv, "p:cqvn:k:r:S:")) != -1) {
        char *end = NULL;
        switch (c) {
        case 'p':
            o->level = (int)strtol(optarg, &end, 10);
            if (*end || o->level < 1 || o->level > 4)
                return -1;
            break;
        case 'c': o->corpus = true; break;
        case 'q': o->quiet = true; break;
        case 'v': verbose = true; break;
        case 'n':
            o->max = strtoul(optarg, &end, 10);
            if (*end)
                return -1;
            break;
        case 'k':
            o->step = strtoul(optarg, &end, 10);
            if (*end || o->step == 0)
                return -1;
            break;
        case 'r': o->rules = optarg; break;
        case 'S': o->setup = optarg; break;
        default: return -1;
        }
    }
    if (optind != argc - 1 || strlen(o->rules) > REPLAY_PATH_MAX)
        return -1;
    o->file = argv[optind];
    return 0;
}

int main(int argc, char **argv)
{
    replay_opts o;
    if (parse_args(argc, argv, &o) < 0) {
        fprintf(stderr, "usage: modsec-replay [-p 1|2|3|4] [-c] [-q] [-v] [-n MAX] [-k K] "
                        "[-r RULES_DIR] [-S CRS_SETUP] FILE\n");
        return 2;
    }
    FILE *f = strcmp(o.file, "-") == 0 ? stdin : fopen(o.file, "r");
    if (!f) {
        fprintf(stderr, "modsec-replay: %s: %s\n", o.file, strerror(errno));
        return 2;
    }
    ModSecurity *ms = msc_init();
    RulesSet *rules = ms ? msc_create_rules_set() : NULL;
    static mr_logformat fmt;
    static char line[REPLAY_LINE_MAX];
    int status = 2;
    if (!rules)
        goto out;
    msc_set_connector_info(ms, "mamori-bench-modsec-replay");
    msc_set_log_cb(ms, rule_log);
    if (load_rules(rules, &o) < 0)
        goto out;
    mr_logformat_init(&fmt, MR_LOGFORMAT_COMBINED);

    unsigned long lineno = 0, requests = 0, flagged = 0, unparsed = 0, seen = 0;
    double t0 = now_s();
    while (fgets(line, sizeof line, f) && (o.max == 0 || requests < o.max)) {
        size_t n = strlen(line);
        lineno++;
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            int ch;   /* overlong: drop the rest of the line */
            while ((ch = fgetc(f)) != EOF && ch != '\n')
                ;
            unparsed++;
            continue;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        replay_req r = {MR_SPAN_NULL, MR_SPAN_NULL, MR_SPAN_NULL,
                        MR_SPAN_NULL, MR_SPAN_NULL, MR_SPAN_NULL};
        int p = o.corpus ? parse_corpus(line, n, &r) : parse_log(&fmt, line, n, &r);
        if (p == 0 || seen++ % o.step != 0)
            continue;
        long score = -1;
        int hit = p < 0 ? -1 : replay(ms, rules, &r, &score);
        if (hit < 0) {
            unparsed++;
            continue;
        }
        requests++;
        flagged += (unsigned long)hit;
        if (!o.quiet) {
            if (hit)
                printf("%lu\tflagged\t%ld\n", lineno, score);
            else
                printf("%lu\tclean\n", lineno);
        }
    }
    double secs = now_s() - t0;
    if (ferror(f)) {
        fprintf(stderr, "modsec-replay: %s: read error\n", o.file);
        goto out;
    }
    fprintf(stderr, "modsec-replay: pl %d, %lu requests, %lu flagged, %lu unparsed, "
                    "%.3f s, %.0f lines/s\n",
            o.level, requests, flagged, unparsed, secs,
            secs > 0 ? (double)(requests + unparsed) / secs : 0.0);
    status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
out:
    if (rules)
        msc_rules_cleanup(rules);
    if (ms)
        msc_cleanup(ms);
    if (f != stdin)
        fclose(f);
    return status;
}
