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
 * shared; the scratch holds Hyperscan's scratch, the decode buffers and
 * a small cache of the pre-check verdicts of recent user agents and
 * referers, which repeat from line to line.
 */
#include "common.h"

#include <hs/hs.h>

#include "logscan/detect.h"
#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"
#include "logscan/normalize.h"

struct mr_detector {
    hs_database_t *target_db;   /* keywords and file names, raw target/referer */
    hs_database_t *agent_db;    /* scanner names and payload marks, raw UA */
};

/* The pre-check verdicts of recent user agents and referers: a log
 * repeats the same few thousand of them, and a verdict costs one memcmp
 * instead of a Hyperscan pass. Direct-mapped; longer headers bypass it. */
#define MR_VERDICT_SLOTS 128
#define MR_VERDICT_LEN_MAX 256

typedef struct verdict_slot {
    uint16_t len;       /* 0 = empty */
    uint8_t suspect;
    char text[MR_VERDICT_LEN_MAX];
} verdict_slot;

#define MR_LITERAL_HITS_MAX 32   /* literal matches remembered per part */

/* Where the prefilter's literals matched in the part being analyzed, so
 * that only the parameters that hold one (or a payload character) are
 * decoded and examined. */
typedef struct literal_hits {
    size_t count;
    bool overflow;
    size_t end[MR_LITERAL_HITS_MAX];   /* offset after the match */
} literal_hits;

struct mr_detect_scratch {
    hs_scratch_t *hs;
    literal_hits lits;
    verdict_slot agents[MR_VERDICT_SLOTS];
    verdict_slot referers[MR_VERDICT_SLOTS];
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
    /* a plain loop: haystacks are short, and memmem's or memchr's setup
     * costs more than the search */
    size_t len = strlen(lit);
    if (len == 0 || len > n)
        return len == 0 ? 0 : -1;
    const char first = lit[0];
    for (size_t i = 0; i + len <= n; i++)
        if (s[i] == first && memcmp(s + i + 1, lit + 1, len - 1) == 0)
            return (long)i;
    return -1;
}

mr_detector *mr_detector_new(void)
{
    mr_detector *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->target_db = mr_compile_target_literals();
    d->agent_db = mr_compile_agent_literals();
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
    for (size_t i = 0; i < MR_VERDICT_SLOTS; i++)
        s->agents[i].len = s->referers[i].len = 0;
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

static uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A cheap hash of a header: its length and three 8-byte samples. */
static size_t verdict_slot_of(const char *p, size_t n)
{
    uint64_t h = n * 0x9E3779B97F4A7C15ull;
    if (n >= 16) {
        h ^= load64(p) * 0xC2B2AE3D27D4EB4Full;
        h ^= load64(p + n / 2 - 8) * 0x165667B19E3779F9ull;
        h ^= load64(p + n - 8) * 0x27D4EB2F165667C5ull;
    } else {
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)p[i]) * 0x100000001B3ull;
    }
    h ^= h >> 29;
    return (size_t)(h % MR_VERDICT_SLOTS);
}

typedef bool (*precheck_fn)(const mr_detector *d, hs_scratch_t *hs, const char *p, size_t n);

static bool cached_precheck(verdict_slot *cache, precheck_fn check, const mr_detector *d,
                            hs_scratch_t *hs, const char *p, size_t n)
{
    if (n > MR_VERDICT_LEN_MAX)
        return check(d, hs, p, n);
    verdict_slot *slot = &cache[verdict_slot_of(p, n)];
    if (slot->len == n && memcmp(slot->text, p, n) == 0)
        return slot->suspect;
    bool suspect = check(d, hs, p, n);
    slot->len = (uint16_t)n;
    slot->suspect = suspect;
    memcpy(slot->text, p, n);
    return suspect;
}

static bool agent_precheck(const mr_detector *d, hs_scratch_t *hs, const char *p, size_t n)
{
    return mr_agent_suspect(p, n) || literal_found(d->agent_db, hs, p, n);
}

static bool url_precheck(const mr_detector *d, hs_scratch_t *hs, const char *p, size_t n)
{
    return mr_raw_suspect(p, n, false) || literal_found(d->target_db, hs, p, n);
}

/* ---- the detailed pass ---- */

static int on_literal_hit(unsigned id, unsigned long long from, unsigned long long to,
                          unsigned flags, void *ctx)
{
    literal_hits *l = ctx;
    (void)id, (void)from, (void)flags;
    if (l->count == MR_LITERAL_HITS_MAX) {
        l->overflow = true;
        return 1;
    }
    l->end[l->count++] = (size_t)to;
    return 0;
}

static void collect_literals(const hs_database_t *db, hs_scratch_t *hs, const char *p,
                             size_t n, literal_hits *l)
{
    l->count = 0;
    l->overflow = n > UINT_MAX;
    if (n > 0 && !l->overflow)
        hs_scan(db, p, (unsigned)n, 0, hs, on_literal_hit, l);
}

/* Does the part p[off..off+len) deserve a closer look? */
static bool part_suspect(const literal_hits *l, const char *p, size_t off, size_t len,
                         bool in_value)
{
    if (l->overflow || mr_raw_suspect(p + off, len, in_value))
        return true;
    for (size_t i = 0; i < l->count; i++)
        if (l->end[i] > off && l->end[i] <= off + len)
            return true;
    return false;
}

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


/* Each parameter of a raw query string, name and value decoded apart. */
static void check_query(hit_set *h, mr_detect_scratch *s, unsigned mask,
                        const char *base, const char *q, size_t n)
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
            if (mr_has_payload_char(name, name_n)) {
                size_t nn = mr_normalize_part(name, name_n, s->value, sizeof s->value,
                                              MR_NORM_PLUS);
                check_part(h, mask & ~CAT(MR_CAT_RFI), "", 0, s->value, nn);
            }
        }
        if (part_suspect(&s->lits, base, (size_t)(value - base), value_n, true)) {
            size_t vn = mr_normalize_part(value, value_n, s->value, sizeof s->value,
                                          MR_NORM_PLUS);
            check_part(h, mask, name, name_n, s->value, vn);
        }
        if (!amp)
            break;
        i = end + 1;
    }
}


static void check_target(hit_set *h, const mr_detector *d, mr_detect_scratch *s,
                         const char *t, size_t n)
{
    mr_match m;
    const char *qm = memchr(t, '?', n);
    size_t path_n = qm ? (size_t)(qm - t) : n;

    collect_literals(d->target_db, s->hs, t, n, &s->lits);
    if (part_suspect(&s->lits, t, 0, path_n, false)) {
        size_t pn = mr_normalize_part(t, path_n, s->value, sizeof s->value, MR_NORM_PATH);
        check_part(h, MASK_VALUE & ~CAT(MR_CAT_RFI), NULL, 0, s->value, pn);
        memcpy(s->whole, s->value, pn);
        size_t cn = mr_path_canonical(s->whole, pn);
        if (wanted(h, MR_CAT_SENSITIVE_FILE, ~0u) && mr_detect_sensitive(s->whole, cn, &m))
            add_hit(h, MR_CAT_SENSITIVE_FILE, &m, s->whole, cn);
    }

    if (qm) {
        const char *q = qm + 1;
        size_t qn = n - path_n - 1;
        if (qn > 0 && (q[0] == '-' || q[0] == '%')) {
            size_t dn = mr_normalize_part(q, qn, s->value, sizeof s->value, MR_NORM_PLUS);
            if (wanted(h, MR_CAT_EXPLOIT, ~0u) && mr_detect_php_cgi(s->value, dn, &m))
                add_hit(h, MR_CAT_EXPLOIT, &m, s->value, dn);
        }
        check_query(h, s, MASK_VALUE, t, q, qn);
    }
    /* every exploit path holds a prefilter literal, unless encoded */
    if (wanted(h, MR_CAT_EXPLOIT, ~0u) &&
        (s->lits.count > 0 || s->lits.overflow || mr_encodes_letters(t, n))) {
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

static void check_referer(hit_set *h, const mr_detector *d, mr_detect_scratch *s,
                          const char *r, size_t n)
{
    collect_literals(d->target_db, s->hs, r, n, &s->lits);
    size_t un = mr_normalize_part(r, n, s->value, sizeof s->value, 0);
    check_part(h, CAT(MR_CAT_EXPLOIT), "", 0, s->value, un);
    const char *qm = memchr(r, '?', n);
    if (qm)
        check_query(h, s, MASK_HEADER, r, qm + 1, n - (size_t)(qm - r) - 1);
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
    if (t.n > 0 && url_precheck(d, s->hs, t.p, t.n))
        check_target(&h, d, s, t.p, t.n);
    mr_span ua = ev->user_agent;
    if (ua.n > 0 && cached_precheck(s->agents, agent_precheck, d, s->hs, ua.p, ua.n))
        check_agent(&h, s, ua.p, ua.n);
    mr_span r = strip_scheme(ev->referer);
    if (r.n > 1 && cached_precheck(s->referers, url_precheck, d, s->hs, r.p, r.n))
        check_referer(&h, d, s, r.p, r.n);
    return h.count;
}
