/*
 * detect.c — mr_detect(): attack detection on one HTTP request (detect.h).
 *
 * Most requests are benign, so the work is split in two. A pre-check over
 * the RAW bytes decides whether a part could hold an attack: a 256-entry
 * byte-class table flags the characters payloads need (quotes, angle
 * brackets, parentheses, ';', '|', '`', '$', '{', '\', '*', control
 * bytes...), percent escapes are judged by the byte they decode to (%20
 * and UTF-8 text pass, %27, %2e, %25 and %u do not), and a few pairs
 * ("..", "/.", "--", a second '=' in one parameter) count too; then one
 * Hyperscan pass looks for the keywords and file names that carry no
 * special character (union, phpinfo, .bak, scanner names...). Only a
 * flagged part is normalized (normalize.h) and handed, parameter value by
 * parameter value, to the category detectors (detect_rules.h).
 *
 * The detector holds the two compiled Hyperscan databases, read-only and
 * shared; the scratch holds Hyperscan's scratch and the decode buffers.
 */
#include "common.h"

#include <hs/hs.h>

#include "logscan/detect.h"
#include "logscan/detect_rules.h"
#include "logscan/normalize.h"

#define MR_DETECT_LITERAL_MAX 256   /* literals per prefilter database */

struct mr_detector {
    hs_database_t *target_db;   /* keywords and file names, raw target/referer */
    hs_database_t *agent_db;    /* scanner names and payload marks, raw UA */
};

struct mr_detect_scratch {
    hs_scratch_t *hs;
    char value[MR_NORM_MAX];    /* one normalized part */
    char whole[MR_NORM_MAX];    /* the whole normalized target */
};

static const char *const category_names[MR_CAT_COUNT] = {
    "sqli", "xss", "traversal", "rfi", "cmdi", "exploit", "sensitive-file", "scanner",
};

static const char *const category_check_ids[MR_CAT_COUNT] = {
    "logscan.sqli", "logscan.xss", "logscan.traversal", "logscan.rfi",
    "logscan.cmdi", "logscan.exploit", "logscan.sensitive-file", "logscan.scanner",
};

const char *mr_category_name(mr_category c)
{
    return (unsigned)c < MR_CAT_COUNT ? category_names[c] : "unknown";
}

const char *mr_category_check_id(mr_category c)
{
    return (unsigned)c < MR_CAT_COUNT ? category_check_ids[c] : "logscan.unknown";
}

long mr_find(const char *s, size_t n, const char *lit)
{
    size_t len = strlen(lit);
    if (len == 0 || len > n)
        return len == 0 ? 0 : -1;
    const char *p = memmem(s, n, lit, len);
    return p ? (long)(p - s) : -1;
}

/* ---- the raw pre-check ---- */

enum {
    RAW_TRIGGER = 1,   /* a payload character */
    RAW_PERCENT = 2,
    RAW_DOT = 4,       /* ".." */
    RAW_SLASH = 8,     /* "/." */
    RAW_DASH = 16,     /* "--" */
    RAW_EQUALS = 32,   /* a second '=' in one parameter */
    RAW_AMP = 64,
    RAW_QUERY = 128
};

#define T RAW_TRIGGER
static const uint8_t raw_class[256] = {
    [0x00] = T, [0x01] = T, [0x02] = T, [0x03] = T, [0x04] = T, [0x05] = T,
    [0x06] = T, [0x07] = T, [0x08] = T, [0x09] = T, [0x0a] = T, [0x0b] = T,
    [0x0c] = T, [0x0d] = T, [0x0e] = T, [0x0f] = T, [0x10] = T, [0x11] = T,
    [0x12] = T, [0x13] = T, [0x14] = T, [0x15] = T, [0x16] = T, [0x17] = T,
    [0x18] = T, [0x19] = T, [0x1a] = T, [0x1b] = T, [0x1c] = T, [0x1d] = T,
    [0x1e] = T, [0x1f] = T, [0x7f] = T, [0xc0] = T, [0xc1] = T,
    ['\''] = T, ['"'] = T, ['<'] = T, ['>'] = T, ['('] = T, [')'] = T,
    [';'] = T, ['|'] = T, ['`'] = T, ['$'] = T, ['{'] = T, ['}'] = T,
    ['\\'] = T, ['*'] = T, ['#'] = T, ['~'] = T, [' '] = T,
    ['%'] = RAW_PERCENT, ['.'] = RAW_DOT, ['/'] = RAW_SLASH, ['-'] = RAW_DASH,
    ['='] = RAW_EQUALS, ['&'] = RAW_AMP, ['?'] = RAW_QUERY,
};
#undef T

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Is the byte a percent escape decodes to one a browser would not have
 * encoded, or a payload character? */
static bool decoded_suspect(unsigned char b)
{
    return (raw_class[b] & RAW_TRIGGER) || mr_is_alnum(b) || b == '%' || b == '&' ||
           b == '=' || b == '.' || b == '-' || b == '+';
}

static bool raw_suspect(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    bool in_query = false, equals = false;
    size_t query_start = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t cls = raw_class[s[i]];
        if (__builtin_expect(cls == 0, 1))
            continue;
        unsigned char next = i + 1 < n ? s[i + 1] : 0;
        switch (cls) {
        case RAW_TRIGGER:
            return true;
        case RAW_PERCENT: {
            if ((next | 0x20) == 'u')
                return true;
            int h1 = hex_digit(next), h2 = i + 2 < n ? hex_digit(s[i + 2]) : -1;
            if (h1 < 0 || h2 < 0)
                break;
            unsigned char b = (unsigned char)(h1 << 4 | h2);
            if (b == '+' && in_query)
                break;   /* %2B: a literal plus, common in values */
            if (decoded_suspect(b))
                return true;
            if ((b == 0xE0 || b == 0xF0) && i + 4 < n && s[i + 3] == '%' &&
                (s[i + 4] == '8' || s[i + 4] == '9'))
                return true;   /* overlong UTF-8 */
            if (b == 0xAD && in_query && i == query_start)
                return true;   /* PHP-CGI soft hyphen */
            i += 2;
            break;
        }
        case RAW_DOT:
            if (next == '.')
                return true;
            break;
        case RAW_SLASH:
            if (next == '.')
                return true;
            break;
        case RAW_DASH:
            if (next == '-' || (in_query && i == query_start))
                return true;
            break;
        case RAW_EQUALS:
            if (in_query) {
                if (equals)
                    return true;
                equals = true;
            }
            break;
        case RAW_AMP:
            equals = false;
            break;
        case RAW_QUERY:
            if (!in_query) {
                in_query = true;
                query_start = i + 1;
            }
            equals = false;
            break;
        default:
            break;
        }
    }
    return false;
}

/* Keywords and names that need no special character (caseless). */
static const char *const target_literals[] = {
    "union", "select", "sleep", "waitfor", "benchmark", "order", "having",
    "extractvalue", "updatexml", "load_file", "xp_", "information_schema",
    "@@", "jndi", "passwd", "win.ini", "boot.ini", "etc/", "proc/",
    "system32", "web-inf", "://", "%3a%2f%2f", "data:", "phpinfo",
    "info.php", "server-status", "server-info", ".bak", ".old", ".orig",
    ".save", ".swp", ".swo", ".backup", ".sql", ".tmp", ".sav", ".bk",
    ".dist", ".copy", ".mdb", ".sqlite", ".pem", ".key", ".pfx", ".p12",
    ".jks", ".keystore", ".kdbx", "id_rsa", "id_dsa", "id_ecdsa",
    "id_ed25519", "authorized_keys", "web.config", "wp-config",
    "docker-compose", "database.yml", "settings.py", "configuration.php",
    "localsettings", "elmah.axd", "trace.axd", "heapdump", "actuator",
    "pprof", "_profiler", "config/database", "backup.", "www.", "site.",
    "htdocs.", "public_html.", "wwwroot.", "web.", "db.", "database.",
    "dump.", "data.", "html.", "website.", "eval-stdin", "invokefunction",
    "_ignition", "hnap1", "boaform", "gponform", "luci", "setup.cgi",
    "mgmt/tm", "tmui", "fgt_lang", "cscoe", "autodiscover", "wls-wsat",
    "_async", "console.portal", "jsonws", "connector.minimal", "device.rsp",
    "picsdesc", "mainfunction", "ctrlt", "gateway/routes", "xdebug",
    "vpns", "dana-na", "call_user_func", "config.exp", "classloader",
    "ognl", "memberaccess", "bin/", "cmd", "powershell", "dev/tcp",
    "php:", "expect:", "phar:", "zip:", "glob:", "file:", "ftp:",
};

/* Scanner names first (see mr_detect_scanner), then payload marks. */
static const char *const agent_literals[] = {
    "sqlmap", "nikto", "nuclei", "nmap", "masscan", "zgrab", "wpscan",
    "dirbuster", "gobuster", "acunetix", "nessus", "openvas", "w3af",
    "whatweb", "netsparker", "arachni", "skipfish", "wfuzz", "ffuf",
    "feroxbuster", "dirb/", "havij", "commix", "xsstrike", "jaeles",
    "paros", "appscan", "webinspect", "zmeu", "morfeus", "fimap", "wapiti",
    "sqlninja", "bsqlbf", "pangolin", "dotdotpwn", "metasploit", "joomscan",
    "droopescan", "cmsmap", "burpcollaborator", "interactsh", "l9explore",
    "l9tcpid", "censysinspect", "qualys", "hydra", "brutus", "grabber",
    "teh forest lobster", "blackwidow", "jorgee", "netlab360", "x-scan",
    "ipip.net", "internet-measurement", "zap/", "owasp zap",
    "httpx - open-source", "dirsearch", "katana", "projectdiscovery",
    "struts-pwn", "log4j-scan",
    /* payload marks */
    "${", "%{", "()", "( )", "'", "\"", "`", "$(", "|", "<", ">", "%",
    "&&", "union", "select", "sleep", "waitfor", "benchmark", "jndi", "../",
    "..\\", "/bin/", "/etc/", "passwd", "cmd", "powershell", "whoami",
    "uname", "nslookup", "/dev/tcp", "classloader", "ognl", "#", "@@",
    "\\", "{", "}", "\n", "\x00",
};

static hs_database_t *compile_literals(const char *const *lits, size_t count)
{
    unsigned flags[MR_DETECT_LITERAL_MAX], ids[MR_DETECT_LITERAL_MAX];
    size_t lens[MR_DETECT_LITERAL_MAX];
    if (count > MR_DETECT_LITERAL_MAX)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        ids[i] = (unsigned)i;
        lens[i] = strlen(lits[i]);
        if (lens[i] == 0)
            lens[i] = 1;   /* the NUL byte literal */
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)count, HS_MODE_BLOCK,
                             NULL, &db, &err) != HS_SUCCESS) {
        hs_free_compile_error(err);
        return NULL;
    }
    return db;
}

mr_detector *mr_detector_new(void)
{
    mr_detector *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->target_db = compile_literals(target_literals, MR_ARRAY_LEN(target_literals));
    d->agent_db = compile_literals(agent_literals, MR_ARRAY_LEN(agent_literals));
    if (!d->target_db || !d->agent_db) {
        mr_detector_free(d);
        return NULL;
    }
    return d;
}

void mr_detector_free(mr_detector *d)
{
    if (!d)
        return;
    hs_free_database(d->target_db);
    hs_free_database(d->agent_db);
    free(d);
}

mr_detect_scratch *mr_detect_scratch_new(const mr_detector *d)
{
    mr_detect_scratch *s = malloc(sizeof *s);
    if (!s)
        return NULL;
    s->hs = NULL;
    if (hs_alloc_scratch(d->target_db, &s->hs) != HS_SUCCESS ||
        hs_alloc_scratch(d->agent_db, &s->hs) != HS_SUCCESS) {
        mr_detect_scratch_free(s);
        return NULL;
    }
    return s;
}

void mr_detect_scratch_free(mr_detect_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    free(s);
}

static int on_literal(unsigned id, unsigned long long from, unsigned long long to,
                      unsigned flags, void *ctx)
{
    (void)id, (void)from, (void)to, (void)flags;
    *(bool *)ctx = true;
    return 1;   /* one is enough: stop */
}

static bool literal_found(const hs_database_t *db, hs_scratch_t *hs, const char *p, size_t n)
{
    bool found = false;
    if (n == 0 || n > UINT_MAX)
        return n > UINT_MAX;
    hs_scan(db, p, (unsigned)n, 0, hs, on_literal, &found);
    return found;
}

/* ---- the detailed pass ---- */

typedef struct hit_set {
    mr_hit *hits;
    size_t max, count;
    unsigned seen;   /* categories already reported */
} hit_set;

static void add_hit(hit_set *h, mr_category cat, const mr_match *m, const char *text, size_t n)
{
    if ((h->seen & (1u << cat)) || h->count >= h->max)
        return;
    h->seen |= 1u << cat;
    mr_hit *hit = &h->hits[h->count++];
    hit->category = cat;
    hit->rule = m->rule;
    size_t start = m->off > 24 ? m->off - 24 : 0;
    if (n <= MR_EVIDENCE_MAX)
        start = 0;
    else if (start > n - MR_EVIDENCE_MAX)
        start = n - MR_EVIDENCE_MAX;
    size_t len = MR_MIN(n - MR_MIN(start, n), (size_t)MR_EVIDENCE_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[start + i];
        hit->evidence[i] = (char)(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    hit->evidence_len = len;
}

static bool wanted(const hit_set *h, mr_category cat, unsigned mask)
{
    return (mask & (1u << cat)) && !(h->seen & (1u << cat)) && h->count < h->max;
}

#define CAT(c) (1u << (c))
#define MASK_VALUE (CAT(MR_CAT_SQLI) | CAT(MR_CAT_XSS) | CAT(MR_CAT_TRAVERSAL) | \
                    CAT(MR_CAT_RFI) | CAT(MR_CAT_CMDI) | CAT(MR_CAT_EXPLOIT))
#define MASK_HEADER (CAT(MR_CAT_SQLI) | CAT(MR_CAT_XSS) | CAT(MR_CAT_CMDI) | \
                     CAT(MR_CAT_EXPLOIT))

/* Runs the detectors of mask over one normalized part; name is the raw
 * parameter name, NULL for the request path. */
static void check_part(hit_set *h, unsigned mask, const char *name, size_t name_n,
                       const char *v, size_t n)
{
    mr_match m;
    if (n == 0)
        return;
    if (wanted(h, MR_CAT_EXPLOIT, mask) && mr_detect_exploit(v, n, &m))
        add_hit(h, MR_CAT_EXPLOIT, &m, v, n);
    if (wanted(h, MR_CAT_SQLI, mask) && mr_detect_sqli(v, n, &m))
        add_hit(h, MR_CAT_SQLI, &m, v, n);
    if (wanted(h, MR_CAT_XSS, mask) && mr_detect_xss(v, n, &m))
        add_hit(h, MR_CAT_XSS, &m, v, n);
    if (wanted(h, MR_CAT_TRAVERSAL, mask) && mr_detect_traversal(v, n, name == NULL, &m))
        add_hit(h, MR_CAT_TRAVERSAL, &m, v, n);
    if (wanted(h, MR_CAT_RFI, mask) && name && mr_detect_rfi(name, name_n, v, n, &m))
        add_hit(h, MR_CAT_RFI, &m, v, n);
    if (wanted(h, MR_CAT_CMDI, mask) && mr_detect_cmdi(v, n, &m))
        add_hit(h, MR_CAT_CMDI, &m, v, n);
}

static bool has_payload_char(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (raw_class[(unsigned char)p[i]] & (RAW_TRIGGER | RAW_PERCENT))
            return true;
    return false;
}

/* Each parameter of a raw query string, name and value decoded apart. */
static void check_query(hit_set *h, mr_detect_scratch *s, unsigned mask,
                        const char *q, size_t n)
{
    size_t i = 0;
    while (i <= n) {
        const char *amp = memchr(q + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - q) : n;
        const char *param = q + i;
        size_t plen = end - i;
        const char *eq = memchr(param, '=', plen);
        const char *name = param, *value = param;
        size_t name_n = 0, value_n = plen;
        if (eq) {
            name_n = (size_t)(eq - param);
            value = eq + 1;
            value_n = plen - name_n - 1;
            if (has_payload_char(name, name_n)) {
                size_t nn = mr_normalize_part(name, name_n, s->value, sizeof s->value,
                                              MR_NORM_PLUS);
                check_part(h, mask & ~CAT(MR_CAT_RFI), "", 0, s->value, nn);
            }
        }
        size_t vn = mr_normalize_part(value, value_n, s->value, sizeof s->value, MR_NORM_PLUS);
        check_part(h, mask, name, name_n, s->value, vn);
        if (!amp)
            break;
        i = end + 1;
    }
}

static void check_target(hit_set *h, mr_detect_scratch *s, const char *t, size_t n)
{
    mr_match m;
    const char *qm = memchr(t, '?', n);
    size_t path_n = qm ? (size_t)(qm - t) : n;

    size_t pn = mr_normalize_part(t, path_n, s->value, sizeof s->value, MR_NORM_PATH);
    check_part(h, MASK_VALUE & ~CAT(MR_CAT_RFI), NULL, 0, s->value, pn);
    memcpy(s->whole, s->value, pn);
    size_t cn = mr_path_canonical(s->whole, pn);
    if (wanted(h, MR_CAT_SENSITIVE_FILE, ~0u) && mr_detect_sensitive(s->whole, cn, &m))
        add_hit(h, MR_CAT_SENSITIVE_FILE, &m, s->whole, cn);

    if (qm) {
        const char *q = qm + 1;
        size_t qn = n - path_n - 1;
        if (qn > 0 && (q[0] == '-' || q[0] == '%')) {
            size_t dn = mr_normalize_part(q, qn, s->value, sizeof s->value, MR_NORM_PLUS);
            if (wanted(h, MR_CAT_EXPLOIT, ~0u) && mr_detect_php_cgi(s->value, dn, &m))
                add_hit(h, MR_CAT_EXPLOIT, &m, s->value, dn);
        }
        check_query(h, s, MASK_VALUE, q, qn);
    }
    if (wanted(h, MR_CAT_EXPLOIT, ~0u)) {
        size_t wn = mr_normalize(t, n, s->whole, sizeof s->whole);
        if (mr_detect_exploit_path(s->whole, wn, &m))
            add_hit(h, MR_CAT_EXPLOIT, &m, s->whole, wn);
    }
}

static void check_agent(hit_set *h, mr_detect_scratch *s, const char *ua, size_t n)
{
    mr_match m;
    size_t un = mr_normalize_part(ua, n, s->value, sizeof s->value, 0);
    if (wanted(h, MR_CAT_SCANNER, ~0u) && mr_detect_scanner(s->value, un, &m))
        add_hit(h, MR_CAT_SCANNER, &m, s->value, un);
    check_part(h, MASK_HEADER, "", 0, s->value, un);
}

static void check_referer(hit_set *h, mr_detect_scratch *s, const char *r, size_t n)
{
    size_t un = mr_normalize_part(r, n, s->value, sizeof s->value, 0);
    check_part(h, CAT(MR_CAT_EXPLOIT), "", 0, s->value, un);
    const char *qm = memchr(r, '?', n);
    if (qm)
        check_query(h, s, MASK_HEADER, qm + 1, n - (size_t)(qm - r) - 1);
}

/* The referer without its scheme, whose "://" is not a payload. */
static mr_span strip_scheme(mr_span r)
{
    size_t i = 0;
    while (i < r.n && i < 16 && (mr_is_alnum((unsigned char)r.p[i]) || r.p[i] == '+' ||
                                 r.p[i] == '-' || r.p[i] == '.'))
        i++;
    if (i > 0 && i + 3 <= r.n && memcmp(r.p + i, "://", 3) == 0)
        return mr_span_make(r.p + i + 3, r.n - i - 3);
    return r;
}

size_t mr_detect(const mr_detector *d, mr_detect_scratch *s,
                 const mr_http_event *ev, mr_hit *hits, size_t max)
{
    hit_set h = {hits, max, 0, 0};
    if (!d || !s || !ev || !hits || max == 0)
        return 0;
    mr_span t = ev->target;
    if (t.n > 0 && (raw_suspect(t.p, t.n) || literal_found(d->target_db, s->hs, t.p, t.n)))
        check_target(&h, s, t.p, t.n);
    mr_span ua = ev->user_agent;
    if (ua.n > 0 && literal_found(d->agent_db, s->hs, ua.p, ua.n))
        check_agent(&h, s, ua.p, ua.n);
    mr_span r = strip_scheme(ev->referer);
    if (r.n > 1 && (raw_suspect(r.p, r.n) || literal_found(d->target_db, s->hs, r.p, r.n)))
        check_referer(&h, s, r.p, r.n);
    return h.count;
}
