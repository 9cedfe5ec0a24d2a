/*
 * spf_suite.c — runs the RFC 7208 test suite against the SPF engine
 * through an in-memory resolver fed from each test's zone data.
 *
 * Reads the line format tests/conformance/spf_suite.py writes on stdin
 * (doc / rr / test lines, variable fields hex-encoded), answers queries
 * from the current document's zone with the suite driver's conventions
 * (TIMEOUT entries, CNAMEs followed, names case-insensitive), and prints
 * TAP: one line per suite test, then "# SPF RFC 7208 suite: N/M passed".
 * Exits 1 unless every test passed (and, given a count as argument, that
 * many ran).
 */
#include "common.h"

#include <strings.h>

#include "dns/spf.h"

#define SUITE_LINE_MAX (1 << 20)
#define SUITE_ZONE_MAX 4096        /* records of one document */
#define SUITE_FIELD_MAX 70000      /* one decoded field */
#define SUITE_CNAME_HOPS 8
#define SUITE_T_TIMEOUT (-1)

typedef struct zone_rr {
    char name[MR_DNS_NAME_MAX + 2];
    int type;
    uint16_t pref;
    unsigned char *data;
    size_t len;
} zone_rr;

typedef struct zone {
    zone_rr rr[SUITE_ZONE_MAX];
    size_t n;
} zone;

static zone the_zone;

static void zone_clear(zone *z)
{
    for (size_t i = 0; i < z->n; i++)
        free(z->rr[i].data);
    z->n = 0;
}

/* Decodes a hex field ("-" is empty) into out; returns the length or -1. */
static long unhex(const char *s, unsigned char *out, size_t cap)
{
    if (strcmp(s, "-") == 0)
        return 0;
    size_t n = strlen(s);
    if (n % 2 != 0 || n / 2 > cap)
        return -1;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                              : 16;
            if (d == 16)
                return -1;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return (long)(n / 2);
}

/* Decodes a hex field into a NUL-terminated string. */
static int unhex_str(const char *s, char *out, size_t cap)
{
    long n = unhex(s, (unsigned char *)out, cap - 1);
    if (n < 0 || memchr(out, '\0', (size_t)n) != NULL)
        return -1;
    out[n] = '\0';
    return 0;
}

/* Copies a name without its final dot. */
static void norm_name(const char *in, size_t n, char *out, size_t cap)
{
    if (n > 0 && in[n - 1] == '.')
        n--;
    snprintf(out, cap, "%.*s", (int)n, in);
}

static int type_of(const char *t)
{
    static const struct { const char *name; int type; } types[] = {
        {"A", MR_DNS_T_A}, {"AAAA", MR_DNS_T_AAAA}, {"MX", MR_DNS_T_MX},
        {"PTR", MR_DNS_T_PTR}, {"TXT", MR_DNS_T_TXT}, {"SPF", MR_DNS_T_SPF},
        {"CNAME", MR_DNS_T_CNAME}, {"TIMEOUT", SUITE_T_TIMEOUT}};
    for (size_t i = 0; i < MR_ARRAY_LEN(types); i++) {
        if (strcmp(t, types[i].name) == 0)
            return types[i].type;
    }
    return 0;
}

static int zone_query(void *user, const char *qname, int type,
                      mr_dns_answer *ans)
{
    zone *z = user;
    char name[MR_DNS_NAME_MAX + 2];
    norm_name(qname, strlen(qname), name, sizeof name);
    for (int hop = 0; hop <= SUITE_CNAME_HOPS; hop++) {
        bool exists = false, answered = false;
        const zone_rr *cname = NULL;
        for (size_t i = 0; i < z->n; i++) {
            const zone_rr *rr = &z->rr[i];
            if (strcasecmp(rr->name, name) != 0)
                continue;
            exists = true;
            if (rr->type == SUITE_T_TIMEOUT) {
                if (!answered)
                    return MR_DNS_TIMEOUT;
                break;
            }
            if (rr->type == type) {
                answered = true;
                mr_dns_answer_add(ans, type, rr->pref, rr->data, rr->len);
            } else if (rr->type == MR_DNS_T_CNAME && cname == NULL) {
                cname = rr;
            }
        }
        if (answered || cname == NULL)
            return exists ? MR_DNS_NOERROR : MR_DNS_NXDOMAIN;
        norm_name((const char *)cname->data, cname->len, name, sizeof name);
    }
    return MR_DNS_LOOP;
}

static int add_rr(zone *z, char **f)
{
    if (z->n >= SUITE_ZONE_MAX)
        return -1;
    static unsigned char tmp[SUITE_FIELD_MAX];
    zone_rr *rr = &z->rr[z->n];
    char name[MR_DNS_NAME_MAX + 2];
    long n = unhex(f[4], tmp, sizeof tmp);
    if (n < 0 || unhex_str(f[1], name, sizeof name) != 0 ||
        (rr->type = type_of(f[2])) == 0)
        return -1;
    unsigned char *buf = malloc((size_t)n + 1);
    if (buf == NULL)
        return -1;
    memcpy(buf, tmp, (size_t)n);
    norm_name(name, strlen(name), rr->name, sizeof rr->name);
    rr->pref = (uint16_t)strtoul(f[3], NULL, 10);
    rr->data = buf;
    rr->len = (size_t)n;
    z->n++;
    return 0;
}

static int run_test(char **f, int number, const char *doc)
{
    static char name[256], helo[1024], host[256], from[1024], exp[2048];
    if (unhex_str(f[1], name, sizeof name) || unhex_str(f[2], helo, sizeof helo) ||
        unhex_str(f[3], host, sizeof host) || unhex_str(f[4], from, sizeof from) ||
        unhex_str(f[6], exp, sizeof exp)) {
        printf("not ok %d - malformed test line\n", number);
        return 0;
    }
    mr_dns_resolver res = {zone_query, &the_zone};
    mr_spf_request req = {.ip = host, .mail_from = from, .helo = helo,
                          .default_exp = "DEFAULT", .now = 1400000000};
    mr_spf_verdict v;
    int rc = mr_spf_check(&res, &req, &v);
    const char *got = mr_spf_result_name(v.result);
    bool ok = false;
    char want[128];
    snprintf(want, sizeof want, "%s", f[5]);
    for (char *p = want, *comma; p != NULL; p = comma ? comma + 1 : NULL) {
        comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == strlen(got) && strncmp(p, got, len) == 0)
            ok = true;
    }
    bool exp_ok = strcmp(f[6], "-") == 0 || strcmp(exp, v.explanation) == 0;
    ok = ok && exp_ok && rc == 0;
    printf("%s %d - %s: %s => %s\n", ok ? "ok" : "not ok", number, doc, name,
           got);
    if (ok && getenv("SPF_SUITE_VERBOSE") != NULL)
        printf("#   %s [%s in %s] %s\n", v.reason, v.mechanism, v.domain,
               v.explanation);
    if (!ok) {
        printf("#   want %s%s%s; reason: %s\n", f[5], exp_ok ? "" : ", exp: ",
               exp_ok ? "" : exp, v.reason);
        if (!exp_ok)
            printf("#   got explanation: %s\n", v.explanation);
    }
    return ok;
}

/* Splits line into at most max space-separated fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max && *p) {
        f[n++] = p;
        while (*p && *p != ' ')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

int main(int argc, char **argv)
{
    /* The driver says how many tests the suite holds: running fewer is a
     * failure too (a converter that silently drops tests). */
    long expected = argc > 1 ? strtol(argv[1], NULL, 10) : -1;
    char *line = malloc(SUITE_LINE_MAX);
    char doc[256] = "";
    int total = 0, passed = 0, bad_input = 0;
    if (line == NULL)
        return 2;
    while (fgets(line, SUITE_LINE_MAX, stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *f[8];
        int n = split(line, f, 8);
        if (n == 2 && strcmp(f[0], "doc") == 0) {
            zone_clear(&the_zone);
            if (unhex_str(f[1], doc, sizeof doc) != 0)
                snprintf(doc, sizeof doc, "?");
        } else if (n == 5 && strcmp(f[0], "rr") == 0) {
            if (add_rr(&the_zone, f) != 0)
                bad_input++;
        } else if (n == 7 && strcmp(f[0], "test") == 0) {
            passed += run_test(f, ++total, doc);
        } else if (n > 0) {
            bad_input++;
        }
        fflush(stdout);
    }
    zone_clear(&the_zone);
    free(line);
    if (bad_input > 0)
        printf("# %d malformed input lines\n", bad_input);
    printf("1..%d\n", total);
    printf("# SPF RFC 7208 suite: %d/%d passed\n", passed, total);
    if (expected >= 0 && total != expected)
        printf("# ran %d tests, the suite holds %ld\n", total, expected);
    return passed == total && total > 0 && bad_input == 0 &&
                   (expected < 0 || total == expected)
               ? 0 : 1;
}
