/*
 * detect.c — mr_detect(): attack detection on one HTTP request (detect.h).
 *
 * Most requests are benign, so the work is split in two. A pre-check over
 * the RAW bytes decides whether a part could hold an attack: a 256-entry
 * byte-class table flags the characters payloads need (quotes, angle
 * brackets, parentheses, ';', '|', '`', '$', '{', '\', '*', control
 * bytes...), percent escapes are judged by the byte they decode to (%20
 * and %2B in a query, base64 padding %3D and UTF-8 text pass; %27, %2e,
 * %25 and %u do not), and a few pairs ("..", "/.", "--", "@@", a second
 * '=' in one parameter) count too; then the literal prefilter
 * (detect_literals.c) looks for the keywords and file names that carry no
 * special character (union, phpinfo, .bak, scanner names...). Only a
 * flagged part is normalized (normalize.h) and handed, parameter value by
 * parameter value, to the category detectors (detect_rules.h).
 *
 * A target whose only literals are SQL words of everyday English
 * ("select+comfort+pillow") is flagged only when the detailed path finds
 * something in it (words_suspect).
 *
 * The detector holds the compiled literal sets, read-only and shared;
 * the scratch holds the decode buffers, a cache of the pre-check
 * verdicts of recent targets, user agents and referers, which repeat from
 * line to line (a hit costs a hash and a memcmp instead of a scan), and
 * one of the query parameters and paths found clean (clean_cache.h:
 * searches repeat where whole targets do not). A user agent's verdict is the
 * detectors' own (agent_verdict): no byte test tells a browser's ';' and
 * parentheses from a payload's.
 */
#include "common.h"

#include "logscan/detect.h"
#include "logscan/clean_cache.h"
#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"
#include "logscan/exploit_gate.h"
#include "logscan/normalize.h"
#include "check_ids.h"

struct mr_detector {
    mr_literal_set *target_lits;   /* keywords and file names, raw target/referer */
    mr_literal_set *target_strong; /* the same without the SQL words of English */
    mr_literal_set *agent_lits;    /* scanner names and payload marks, raw UA */
    mr_exploit_gate *exploit_gate; /* may the decoded target hold an exploit path? */
};

/* The pre-check verdicts of recent targets, user agents and referers: a
 * log repeats the same few thousand of them (static assets, browsers,
 * the site's own pages), and a verdict costs one hash and one memcmp
 * instead of a pass over the bytes. Two-way set associative; longer
 * parts bypass it. The text is compared whole, never trusted to the hash:
 * an attacker who forges a colliding request only evicts a slot. */
#define MR_VERDICT_SLOTS 1024
#define MR_VERDICT_LEN_MAX 256
/* Targets longer than this rarely repeat (a click id or a cache buster
 * in every query string): looking them up would cost a cache miss and
 * storing them a copy, for nothing; the pre-check itself is cheaper. */
#define MR_VERDICT_TARGET_LEN_MAX 64

typedef struct verdict_slot {
    uint16_t len;       /* 0 = empty */
    uint8_t suspect;
    uint8_t lru;        /* first slot of a pair: which of the two to replace */
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
    bool unfiltered;            /* tests: no pre-check, no gate (detect.h) */
    literal_hits lits;
    bool target_raw_clean;      /* this request's target passed the raw pre-check,
                                 * and lits are its literals (target_precheck) */
    mr_clean_cache clean;       /* parts found clean (clean_cache.h) */
    verdict_slot targets[MR_VERDICT_SLOTS];
    verdict_slot agents[MR_VERDICT_SLOTS];
    verdict_slot referers[MR_VERDICT_SLOTS];
    char value[MR_NORM_MAX];    /* one normalized part */
    char whole[MR_NORM_MAX];    /* the whole normalized target */
    char cased[MR_NORM_MAX];    /* a hit's part decoded again, case kept */
};

static const char *const category_names[MR_CAT_COUNT] = {
    "sqli", "xss", "traversal", "rfi", "cmdi", "exploit", "sensitive-file", "scanner",
    "code-injection",
};

static const char *const category_check_ids[MR_CAT_COUNT] = {
    MR_CHECK_LOGSCAN_SQLI, MR_CHECK_LOGSCAN_XSS, MR_CHECK_LOGSCAN_TRAVERSAL,
    MR_CHECK_LOGSCAN_RFI, MR_CHECK_LOGSCAN_CMDI, MR_CHECK_LOGSCAN_EXPLOIT,
    MR_CHECK_LOGSCAN_SENSITIVE_FILE, MR_CHECK_LOGSCAN_SCANNER,
    MR_CHECK_LOGSCAN_CODE_INJECTION,
};

const char *mr_category_name(mr_category c)
{
    return (unsigned)c < MR_CAT_COUNT ? category_names[c] : "unknown";
}

const char *mr_category_check_id(mr_category c)
{
    return (unsigned)c < MR_CAT_COUNT ? category_check_ids[c] : "logscan.unknown";
}

mr_detector *mr_detector_new(void)
{
    mr_detector *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->target_lits = mr_target_literals_new();
    d->target_strong = mr_target_strong_new();
    d->agent_lits = mr_agent_literals_new();
    d->exploit_gate = mr_exploit_gate_new();
    if (!d->target_lits || !d->target_strong || !d->agent_lits || !d->exploit_gate) {
        mr_detector_free(d);
        return NULL;
    }
    return d;
}

void mr_detector_free(mr_detector *d)
{
    if (!d)
        return;
    mr_literal_set_free(d->target_lits);
    mr_literal_set_free(d->target_strong);
    mr_literal_set_free(d->agent_lits);
    mr_exploit_gate_free(d->exploit_gate);
    free(d);
}

mr_detect_scratch *mr_detect_scratch_new(const mr_detector *d)
{
    (void)d;
    /* Zeroed is empty (len 0, tag 0). calloc, not a loop over the
     * slots: a block this large comes from the kernel already zeroed, and
     * its pages are touched only as the caches fill (a first touch costs
     * microseconds in some virtual machines; a small log never fills them). */
    mr_detect_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->unfiltered = false;
    s->target_raw_clean = false;
    mr_clean_cache_init(&s->clean);
    return s;
}

void mr_detect_scratch_free(mr_detect_scratch *s)
{
    free(s);
}

void mr_detect_scratch_unfiltered(mr_detect_scratch *s, bool on)
{
    s->unfiltered = on;
}

static uint64_t load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A hash of the whole part, 8 bytes a step: user agents of one length
 * that differ only in a version number in the middle must not share a
 * slot, or two common ones evict each other on every line. */
static size_t verdict_set_of(const char *p, size_t n)
{
    /* two independent lanes, so the multiplies overlap */
    uint64_t h = n * 0x9E3779B97F4A7C15ull, g = 0;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        h = (h ^ load64(p + i)) * 0xC2B2AE3D27D4EB4Full;
        g = (g ^ load64(p + i + 8)) * 0x27D4EB2F165667C5ull;
    }
    if (i + 8 <= n) {
        h = (h ^ load64(p + i)) * 0xC2B2AE3D27D4EB4Full;
        i += 8;
    }
    if (i < n) {
        /* the last 8 bytes, overlapping what came before; short parts
         * byte by byte (a variable-size memcpy is a libc call) */
        uint64_t tail = 0;
        if (n >= 8)
            tail = load64(p + n - 8);
        else
            for (size_t k = i; k < n; k++)
                tail = tail << 8 | (unsigned char)p[k];
        g = (g ^ tail) * 0x165667B19E3779F9ull;
    }
    h ^= g ^ (h >> 31) ^ (g >> 29);
    return (size_t)(h % (MR_VERDICT_SLOTS / 2)) * 2;
}

typedef bool (*precheck_fn)(const mr_detector *d, mr_detect_scratch *s, const char *p,
                            size_t n);

/* The pair of slots where a part of n bytes (at most len_max) may sit,
 * asked of the memory at once: the three caches are larger than the
 * processor's nearer caches, and mr_detect looks up the agent and the
 * referer only after the target's work, which hides the wait. */
static verdict_slot *verdict_pair(verdict_slot *cache, size_t len_max, const char *p,
                                  size_t n)
{
    if (n == 0 || n > len_max)
        return NULL;
    verdict_slot *pair = &cache[verdict_set_of(p, n)];
    for (unsigned k = 0; k < 2; k++)
        for (size_t off = 0; off < offsetof(verdict_slot, text) + n; off += 64)
            __builtin_prefetch((const char *)&pair[k] + off);
    return pair;
}

/* Two-way set associative: a part may sit in either slot of its pair;
 * a miss replaces the one that was not used last (pair[0].lru says which).
 * pair: verdict_pair() of the part, NULL when it is too long to cache. */
static bool cached_precheck(verdict_slot *pair, precheck_fn check,
                            const mr_detector *d, mr_detect_scratch *s, const char *p,
                            size_t n)
{
    if (!pair)
        return check(d, s, p, n);
    for (unsigned k = 0; k < 2; k++) {
        verdict_slot *slot = &pair[k];
        if (slot->len == n && memcmp(slot->text, p, n) == 0) {
            pair[0].lru = (uint8_t)(1 - k);
            return slot->suspect;
        }
    }
    bool suspect = check(d, s, p, n);
    unsigned victim = pair[0].lru;
    verdict_slot *slot = &pair[victim];
    slot->len = (uint16_t)n;
    slot->suspect = suspect;
    memcpy(slot->text, p, n);
    pair[0].lru = (uint8_t)(1 - victim);
    return suspect;
}

static bool url_precheck(const mr_detector *d, mr_detect_scratch *s, const char *p, size_t n)
{
    (void)s;
    return mr_url_suspect(d->target_lits, p, n);
}

/* ---- the detailed pass ---- */

static void collect_literals(const mr_literal_set *set, const char *p, size_t n,
                             literal_hits *l)
{
    l->count = mr_literal_ends(set, p, n, l->end, MR_LITERAL_HITS_MAX, &l->overflow);
}

#define MR_RAW_SHORT_MAX 24   /* parts this short: the byte loop beats setting up vectors */

/* Does a literal the prefilter found end inside p[off..off+len)? */
static bool literal_within(const literal_hits *l, size_t off, size_t len)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->end[i] > off && l->end[i] <= off + len)
            return true;
    return false;
}

/* Does the part p[off..off+len) deserve a closer look? raw_clean: the
 * whole it lies in passed the raw pre-check (target_raw_clean). */
static bool part_suspect(const literal_hits *l, const char *p, size_t off, size_t len,
                         bool in_value, bool raw_clean)
{
    if (l->overflow)
        return true;
    if (!raw_clean && (len <= MR_RAW_SHORT_MAX ? mr_raw_suspect_scalar(p + off, len, in_value)
                                               : mr_raw_suspect(p + off, len, in_value)))
        return true;
    return literal_within(l, off, len);
}

/* Where the text being matched came from, so that a hit's evidence can
 * be decoded again in the sender's case: normalization lowercases byte
 * for byte, so offsets into the lowercased text hold in the cased one. */
typedef enum src_kind {
    SRC_NONE,        /* the text is shown as matched */
    SRC_PART,        /* mr_normalize_part(raw, flags) */
    SRC_CANONICAL,   /* the same, then mr_path_canonical */
    SRC_WHOLE,       /* mr_normalize of the whole target */
    SRC_BASE64       /* mr_base64_text(raw) */
} src_kind;

typedef struct text_src {
    src_kind kind;
    const char *raw;
    size_t raw_n;
    unsigned flags;
} text_src;

typedef struct hit_set {
    mr_hit *hits;
    size_t max, count;
    unsigned seen;   /* categories already reported */
    char *cased;     /* scratch for the cased evidence, MR_NORM_MAX */
} hit_set;

/* The text src decodes to, case kept, in buf; NULL when it cannot be
 * rebuilt to the same length (then the matched text is shown). */
static const char *cased_text(const text_src *src, char *buf, size_t n)
{
    size_t len = 0;
    switch (src->kind) {
    case SRC_PART:
    case SRC_CANONICAL:
        len = mr_normalize_part(src->raw, src->raw_n, buf, MR_NORM_MAX,
                                src->flags | MR_NORM_KEEP_CASE);
        if (src->kind == SRC_CANONICAL)
            len = mr_path_canonical(buf, len);
        break;
    case SRC_WHOLE: {
        const char *q = memchr(src->raw, '?', src->raw_n);
        size_t path_n = q ? (size_t)(q - src->raw) : src->raw_n;
        len = mr_normalize_part(src->raw, path_n, buf, MR_NORM_MAX,
                                MR_NORM_PATH | MR_NORM_KEEP_CASE);
        if (q && len < MR_NORM_MAX)
            len += mr_normalize_part(q, src->raw_n - path_n, buf + len, MR_NORM_MAX - len,
                                     MR_NORM_PLUS | MR_NORM_KEEP_CASE);
        break;
    }
    case SRC_BASE64:
        len = mr_base64_text(src->raw, src->raw_n, buf, MR_NORM_MAX, false);
        break;
    default:
        return NULL;
    }
    return len == n ? buf : NULL;
}

static void add_hit(hit_set *h, mr_category cat, const mr_match *m, const char *text, size_t n,
                    const text_src *src)
{
    if ((h->seen & (1u << cat)) || h->count >= h->max)
        return;
    h->seen |= 1u << cat;
    if (src && h->cased) {
        const char *cased = cased_text(src, h->cased, n);
        if (cased)
            text = cased;
    }
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
                    CAT(MR_CAT_RFI) | CAT(MR_CAT_CMDI) | CAT(MR_CAT_EXPLOIT) | \
                    CAT(MR_CAT_CODE_INJECTION))
#define MASK_HEADER (CAT(MR_CAT_SQLI) | CAT(MR_CAT_XSS) | CAT(MR_CAT_CMDI) | \
                     CAT(MR_CAT_EXPLOIT) | CAT(MR_CAT_CODE_INJECTION) | CAT(MR_CAT_TRAVERSAL))

/* Runs the detectors of mask over one normalized part; name is the raw
 * parameter name, NULL for the request path. */
static void check_part(hit_set *h, unsigned mask, const char *name, size_t name_n,
                       const char *v, size_t n, const text_src *src)
{
    mr_match m;
    if (n == 0)
        return;
    if (wanted(h, MR_CAT_EXPLOIT, mask) && mr_detect_exploit(v, n, &m))
        add_hit(h, MR_CAT_EXPLOIT, &m, v, n, src);
    if (wanted(h, MR_CAT_CODE_INJECTION, mask) && mr_detect_code(v, n, &m))
        add_hit(h, MR_CAT_CODE_INJECTION, &m, v, n, src);
    if (wanted(h, MR_CAT_SQLI, mask) && mr_detect_sqli(v, n, &m))
        add_hit(h, MR_CAT_SQLI, &m, v, n, src);
    if (wanted(h, MR_CAT_XSS, mask) && mr_detect_xss(v, n, &m))
        add_hit(h, MR_CAT_XSS, &m, v, n, src);
    if (wanted(h, MR_CAT_TRAVERSAL, mask) && mr_detect_traversal(v, n, name == NULL, &m))
        add_hit(h, MR_CAT_TRAVERSAL, &m, v, n, src);
    if (wanted(h, MR_CAT_RFI, mask) && name && mr_detect_rfi(name, name_n, v, n, &m))
        add_hit(h, MR_CAT_RFI, &m, v, n, src);
    if (wanted(h, MR_CAT_CMDI, mask) &&
        (mr_detect_cmdi(v, n, &m) || (name && mr_detect_cmdi_split(name, name_n, v, n, &m))))
        add_hit(h, MR_CAT_CMDI, &m, v, n, src);
}

/* ---- base64 values (mr_base64_text: base64.c) ---- */

#define MR_DATA_URL_HEAD_MAX 96   /* raw bytes of "data:<type>;base64," looked at */

/* A data: URL's base64 body: "data:;base64,PD9w...", "data://text/plain;
 * base64,..." (PHP's data wrapper), ':', '/', ';' and ',' possibly
 * percent-encoded. Returns the raw offset of the body, 0 when v is no
 * such URL; *image: the media type is image/... include() runs what the
 * body decodes to. */
static size_t data_url_body(const char *v, size_t n, bool *image)
{
    static const char head[] = "data:";
    static const char mark[] = ";base64,";
    static const char img[] = "image/";
    size_t i = 0, h = 0, k = 0, t = 0;   /* t: bytes of "image/" matched */
    bool in_type = true;
    *image = false;
    while (i < n && i < MR_DATA_URL_HEAD_MAX) {
        unsigned char c = (unsigned char)v[i];
        size_t used = 1;
        if (c == '%' && i + 2 < n && mr_is_xdigit((unsigned char)v[i + 1]) &&
            mr_is_xdigit((unsigned char)v[i + 2])) {
            unsigned hi = (unsigned)(v[i + 1] | 0x20), lo = (unsigned)(v[i + 2] | 0x20);
            hi = hi <= '9' ? hi - '0' : hi - 'a' + 10;
            lo = lo <= '9' ? lo - '0' : lo - 'a' + 10;
            c = (unsigned char)(hi << 4 | lo);
            used = 3;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        i += used;
        if (h < sizeof head - 1) {
            if (c != (unsigned char)head[h++])
                return 0;
            continue;
        }
        /* the media type and its parameters, then ";base64," */
        if (in_type && !(t == 0 && c == '/')) {   /* "data://image/..." too */
            if (t < sizeof img - 1 && c == (unsigned char)img[t])
                *image = ++t == sizeof img - 1;
            else
                in_type = false;
        }
        k = c == (unsigned char)mark[k] ? k + 1 : (c == ';' ? 1 : 0);
        if (k == sizeof mark - 1)
            return i;
        if (!(mr_is_alnum(c) || c == '/' || c == '+' || c == '-' || c == '.' || c == ';' ||
              c == '=' || c == ','))
            return 0;
    }
    return 0;
}

/* An image's body (data:image/svg+xml;base64,...) is a picture: the
 * svg element it is made of is no attack; script in it (a script tag, a
 * handler, a javascript: URL) is. Each look starts after the last
 * element passed over and stops at the next, so the body costs one
 * pass. */
static void check_image_body(hit_set *h, unsigned mask, const char *v, size_t n,
                             const text_src *src)
{
    mr_match m;
    if (!wanted(h, MR_CAT_XSS, mask))
        return;
    size_t at = 0;
    while (at < n && mr_detect_xss(v + at, n - at, &m)) {
        if (strcmp(m.rule, "active-tag") != 0) {
            m.off += at;
            add_hit(h, MR_CAT_XSS, &m, v, n, src);
            return;
        }
        at += m.off + 1;
    }
}

/* A segment of the query without '=' is, to a form parser, a name with
 * an empty value ("?print&id=5"); after a '&' it is as often the rest of
 * the value before it, sent with its '&' unencoded: the value
 * "127.0.0.1&&cat /etc/passwd" of "?ip=127.0.0.1&&cat /etc/passwd" is
 * what the sender wrote (and what a CGI reading QUERY_STRING whole
 * gets), where the parser sees "127.0.0.1", an empty segment and a name
 * "cat /etc/passwd". So a value followed by such segments (RFC 3986
 * gives '&' no meaning; the form encoding makes it the separator) is
 * judged once more, joined with them as sent, after its parts: only what
 * the parts alone did not show is added. The pre-check flags every query
 * with a non-empty segment without '=' after a '&' (mr_raw_context). */
static void check_joined(hit_set *h, mr_detect_scratch *s, unsigned mask,
                         const char *q, size_t n)
{
    size_t run = 0, name_at = 0, name_n = 0, i = 0;
    bool bare = false;
    for (;;) {
        const char *amp = memchr(q + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - q) : n;
        const char *eq = memchr(q + i, '=', end - i);
        if (eq || !amp) {
            size_t stop = eq ? i - 1 : n;   /* the run ends before this segment */
            bare = bare || (!eq && i > 0 && end > i);
            if (bare) {
                size_t vn = mr_normalize_part(q + run, stop - run, s->value,
                                              sizeof s->value, MR_NORM_PLUS);
                text_src src = {SRC_PART, q + run, stop - run, MR_NORM_PLUS};
                check_part(h, mask, q + name_at, name_n, s->value, vn, &src);
            }
            if (eq) {
                name_at = i;
                name_n = (size_t)(eq - (q + i));
                run = name_at + name_n + 1;
                bare = false;
            }
        } else if (i > 0 && end > i) {
            bare = true;
        }
        if (!amp)
            break;
        i = end + 1;
    }
}

/* clean_cache.h tags: the kind of part | the mask it is judged with */
#define MR_CLEAN_TAG_PARAM 0x4000   /* a query parameter, raw "name=value" */
#define MR_CLEAN_TAG_PATH 0x2000    /* a request path */
_Static_assert(MR_CAT_COUNT <= 13, "a mask fits below the tags");

/* Was the part found clean before, judged the same way (tag)? *slot:
 * where to keep it if it is found clean now, NULL when it must not be:
 * a category of mask already reported for this request, or the hit set
 * full, skips detectors, so a clean answer then says nothing of the part
 * alone. */
static bool part_clean(const hit_set *h, mr_detect_scratch *s, unsigned mask, uint16_t tag,
                       const char *raw, size_t n, mr_clean_slot **slot)
{
    *slot = NULL;
    if ((h->seen & mask) || h->count >= h->max)
        return false;
    mr_clean_slot *found = mr_clean_cache_slot(&s->clean, raw, n, tag);
    if (found && mr_clean_slot_holds(found, raw, n, tag))
        return true;
    *slot = found;
    return false;
}

/* Each parameter of a raw query string, name and value decoded apart.
 * raw_clean: as part_suspect's, for the whole base. */
static void check_query(hit_set *h, mr_detect_scratch *s, unsigned mask,
                        const char *base, const char *q, size_t n, bool raw_clean)
{
    size_t i = 0;
    bool bare = false;   /* a segment check_joined would join */
    while (i <= n) {
        const char *amp = memchr(q + i, '&', n - i);
        size_t end = amp ? (size_t)(amp - q) : n;
        const char *param = q + i;
        size_t plen = end - i;
        const char *eq = memchr(param, '=', plen);
        bare = bare || (!eq && i > 0 && plen > 0);
        const char *name = param, *value = param;
        size_t name_n = 0, value_n = plen;
        if (eq) {
            name_n = (size_t)(eq - param);
            value = eq + 1;
            value_n = plen - name_n - 1;
            /* a name is looked at for a payload character, or for a
             * literal in it ("__proto__[x]=", "constructor[prototype]") */
            if ((!raw_clean && mr_has_payload_char(name, name_n)) ||
                literal_within(&s->lits, (size_t)(name - base), name_n)) {
                size_t nn = mr_normalize_part(name, name_n, s->value, sizeof s->value,
                                              MR_NORM_PLUS);
                text_src src = {SRC_PART, name, name_n, MR_NORM_PLUS};
                check_part(h, mask & ~CAT(MR_CAT_RFI), "", 0, s->value, nn, &src);
            }
        }
        mr_clean_slot *slot = NULL;
        uint16_t tag = (uint16_t)(MR_CLEAN_TAG_PARAM | mask);
        if (part_suspect(&s->lits, base, (size_t)(value - base), value_n, true, raw_clean) &&
            !part_clean(h, s, mask, tag, param, plen, &slot)) {
            size_t before = h->count;
            size_t vn = mr_normalize_part(value, value_n, s->value, sizeof s->value,
                                          MR_NORM_PLUS);
            text_src src = {SRC_PART, value, value_n, MR_NORM_PLUS};
            check_part(h, mask, name, name_n, s->value, vn, &src);
            /* a base64 value that spells a payload: "?file=Li4vLi4vZXRj..." */
            size_t bn = mr_base64_text(value, value_n, s->value, sizeof s->value, true);
            text_src b64 = {SRC_BASE64, value, value_n, 0};
            if (bn > 0)
                check_part(h, mask & (CAT(MR_CAT_TRAVERSAL) | CAT(MR_CAT_XSS) |
                                      CAT(MR_CAT_CODE_INJECTION) | CAT(MR_CAT_CMDI)),
                           name, name_n, s->value, bn, &b64);
            /* ... or the body of a data: URL ("data:;base64,PD9waHAg...") */
            bool image = false;
            size_t body = data_url_body(value, value_n, &image);
            bn = body ? mr_base64_text(value + body, value_n - body, s->value,
                                    sizeof s->value, true) : 0;
            text_src data = {SRC_BASE64, value + body, value_n - body, 0};
            if (bn > 0 && image)
                check_image_body(h, mask, s->value, bn, &data);
            else if (bn > 0)
                check_part(h, mask & (CAT(MR_CAT_XSS) | CAT(MR_CAT_CODE_INJECTION) |
                                      CAT(MR_CAT_CMDI)),
                           name, name_n, s->value, bn, &data);
            if (slot && h->count == before)
                mr_clean_slot_keep(slot, param, plen, tag);
        }
        if (!amp)
            break;
        i = end + 1;
    }
    if (bare)
        check_joined(h, s, mask, q, n);
}

/* The request path, when it may hold an attack: the path's detectors on
 * it decoded, and the sensitive files on it made canonical. */
static void check_path(hit_set *h, mr_detect_scratch *s, const char *t, size_t path_n)
{
    mr_match m;
    unsigned mask = (MASK_VALUE & ~CAT(MR_CAT_RFI)) | CAT(MR_CAT_SENSITIVE_FILE);
    mr_clean_slot *slot = NULL;
    uint16_t tag = (uint16_t)(MR_CLEAN_TAG_PATH | mask);
    if (part_clean(h, s, mask, tag, t, path_n, &slot))
        return;
    size_t before = h->count;
    size_t pn = mr_normalize_part(t, path_n, s->value, sizeof s->value, MR_NORM_PATH);
    text_src src = {SRC_PART, t, path_n, MR_NORM_PATH};
    check_part(h, mask & ~CAT(MR_CAT_SENSITIVE_FILE), NULL, 0, s->value, pn, &src);
    memcpy(s->whole, s->value, pn);
    size_t cn = mr_path_canonical(s->whole, pn);
    text_src canon = {SRC_CANONICAL, t, path_n, MR_NORM_PATH};
    if (wanted(h, MR_CAT_SENSITIVE_FILE, ~0u) && mr_detect_sensitive(s->whole, cn, &m))
        add_hit(h, MR_CAT_SENSITIVE_FILE, &m, s->whole, cn, &canon);
    if (slot && h->count == before)
        mr_clean_slot_keep(slot, t, path_n, tag);
}

/* Everything of the detailed path but the exploit paths of the whole
 * target: the path, PHP-CGI switches, each parameter.
 *
 * A target that passed the raw pre-check whole (s->target_raw_clean) is
 * clean in every part, so only the parts that hold a literal are looked
 * at: the pre-check of a part is the whole's, begun where the part
 * begins (mr_raw_state_init: a value starts past its '='), and what it
 * flags in a part it flags in the whole. Each byte class, pair, escape
 * and the '+' before an option lies inside the part; what decides a
 * '%' (in a name or not, the query's start, base64 padding up to the
 * next '&') is the same at the same byte; stray signs are counted
 * over the whole, so never fewer. Names are clean as well: a payload
 * character flags the whole, and so does a '%' before a parameter's
 * '='. */
static void check_target_parts(hit_set *h, const mr_detector *d, mr_detect_scratch *s,
                               const char *t, size_t n)
{
    mr_match m;
    const char *qm = memchr(t, '?', n);
    size_t path_n = qm ? (size_t)(qm - t) : n;
    bool raw_clean = s->target_raw_clean;

    if (!raw_clean)
        collect_literals(d->target_lits, t, n, &s->lits);
    if (part_suspect(&s->lits, t, 0, path_n, false, raw_clean))
        check_path(h, s, t, path_n);

    if (qm) {
        const char *q = qm + 1;
        size_t qn = n - path_n - 1;
        if (qn > 0 && (q[0] == '-' || q[0] == '%')) {
            size_t dn = mr_normalize_part(q, qn, s->value, sizeof s->value, MR_NORM_PLUS);
            text_src src = {SRC_PART, q, qn, MR_NORM_PLUS};
            if (wanted(h, MR_CAT_EXPLOIT, ~0u) && mr_detect_php_cgi(s->value, dn, &m))
                add_hit(h, MR_CAT_EXPLOIT, &m, s->value, dn, &src);
        }
        check_query(h, s, MASK_VALUE, t, q, qn, raw_clean);
    }
}

/* Would the search for exploit paths in the whole decoded target run?
 * Every exploit path holds a prefilter literal, unless encoded; the
 * gate proves most targets with other literals clean without decoding
 * them whole (exploit_gate.c). After check_target_parts (s->lits). */
static bool exploit_search_due(const hit_set *h, const mr_detector *d,
                               const mr_detect_scratch *s, const char *t, size_t n)
{
    return wanted(h, MR_CAT_EXPLOIT, ~0u) &&
           (s->lits.count > 0 || s->lits.overflow || mr_encodes_letters(t, n)) &&
           (s->unfiltered || mr_exploit_gate_open(d->exploit_gate, t, n));
}

static void check_target(hit_set *h, const mr_detector *d, mr_detect_scratch *s,
                         const char *t, size_t n)
{
    mr_match m;
    check_target_parts(h, d, s, t, n);
    if (exploit_search_due(h, d, s, t, n)) {
        size_t wn = mr_normalize(t, n, s->whole, sizeof s->whole);
        text_src src = {SRC_WHOLE, t, n, 0};
        if (mr_detect_exploit_path(s->whole, wn, &m))
            add_hit(h, MR_CAT_EXPLOIT, &m, s->whole, wn, &src);
    }
}

/* A raw-clean target whose only literals are SQL words of everyday
 * English ("select+comfort+pillow", "union+jack+scarf", "order+
 * tracking"): shop searches are full of them, and each sent the target
 * down the detailed path. Its verdict is the detailed path's own, run
 * into a hit set of its own (exact by construction: the same parts are
 * looked at with the same detectors), but cheap where it matters: the
 * parts were mostly seen before and found clean (clean_cache.h), and the
 * one costly step left, the search of the whole decoded target for
 * exploit paths, is not made: when it is due, the target is suspect.
 * A suspect target is then looked at again by check_target, with the
 * request's own hit set: twice the work, for attacks alone. */
static bool words_suspect(const mr_detector *d, mr_detect_scratch *s, const char *t, size_t n)
{
    mr_hit alone[MR_CAT_COUNT];
    hit_set h = {alone, MR_CAT_COUNT, 0, 0, NULL};
    check_target_parts(&h, d, s, t, n);
    return h.count > 0 || exploit_search_due(&h, d, s, t, n);
}

/* A target's: the same, but one whose only literals are SQL words of
 * English gets words_suspect's look before it is flagged. */
static bool target_precheck(const mr_detector *d, mr_detect_scratch *s, const char *p,
                            size_t n)
{
    if (mr_raw_suspect(p, n, false))
        return true;
    /* where the literals are, kept for the detailed path (words_suspect's
     * and check_target's): one pass instead of a search and two walks */
    collect_literals(d->target_lits, p, n, &s->lits);
    s->target_raw_clean = true;
    if (s->lits.count == 0 && !s->lits.overflow)
        return false;
    return s->lits.overflow || mr_literal_any(d->target_strong, p, n) ||
           words_suspect(d, s, p, n);
}

static void check_agent(hit_set *h, mr_detect_scratch *s, const char *ua, size_t n)
{
    mr_match m;
    size_t un = mr_normalize_part(ua, n, s->value, sizeof s->value, 0);
    text_src src = {SRC_PART, ua, n, 0};
    if (wanted(h, MR_CAT_SCANNER, ~0u) && mr_detect_scanner(s->value, un, &m))
        add_hit(h, MR_CAT_SCANNER, &m, s->value, un, &src);
    check_part(h, MASK_HEADER, "", 0, s->value, un, &src);
}

/* The user agent's verdict. No byte test can tell a browser's agent from
 * a payload: every browser sends ';', '(' and ')', the very characters of
 * "Mozilla/5.0; $(curl x|sh)" and "; nc -e /bin/sh", and a byte test
 * that passed them let the fast path miss what the full path finds. So
 * the verdict is the full path's own: the detectors run on the agent
 * alone, and it is suspect when they find anything (then mr_detect runs
 * them again in the request's context, where a category the target
 * already showed is not reported twice; one that finds nothing alone
 * finds nothing there either). That is exact, and cheap where it
 * matters: a log repeats a few thousand agents, and the verdict cache
 * pays for each once. An agent with payload characters or words
 * (mr_agent_precheck) is suspect at once. */
static bool agent_verdict(const mr_detector *d, mr_detect_scratch *s, const char *p, size_t n)
{
    if (mr_agent_precheck(d->agent_lits, p, n))
        return true;
    mr_hit alone[MR_CAT_COUNT];
    hit_set h = {alone, MR_CAT_COUNT, 0, 0, NULL};
    check_agent(&h, s, p, n);
    return h.count > 0;
}

static void check_referer(hit_set *h, const mr_detector *d, mr_detect_scratch *s,
                          const char *r, size_t n)
{
    collect_literals(d->target_lits, r, n, &s->lits);
    s->target_raw_clean = false;
    size_t un = mr_normalize_part(r, n, s->value, sizeof s->value, 0);
    text_src src = {SRC_PART, r, n, 0};
    /* the whole referer for exploit paths and markup: a page that lists
     * its referers shows "https://x/<script>..." to its administrator.
     * Markup and commands are looked for only where the pre-check of
     * that part says so, in both paths: the fast one gets here only when
     * the whole referer passed it, which a flagged prefix implies */
    bool whole = !s->unfiltered || mr_url_suspect(d->target_lits, r, n);
    check_part(h, CAT(MR_CAT_EXPLOIT) | (whole ? CAT(MR_CAT_XSS) : 0), "", 0, s->value, un, &src);
    /* its part before the query, where a browser puts a host and a path:
     * a command or a system file there ("cat /etc/passwd", "x.com;id")
     * is no address (the query's values are looked at one by one) */
    const char *qm = memchr(r, '?', n);
    size_t pn = qm ? (size_t)(qm - r) : n;
    if (mr_url_suspect(d->target_lits, r, pn)) {
        un = mr_normalize_part(r, pn, s->value, sizeof s->value, 0);
        text_src path_src = {SRC_PART, r, pn, 0};
        check_part(h, CAT(MR_CAT_CMDI) | CAT(MR_CAT_TRAVERSAL), "", 0, s->value, un, &path_src);
    }
    if (qm)
        check_query(h, s, MASK_HEADER, r, qm + 1, n - (size_t)(qm - r) - 1, false);
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
    hit_set h = {hits, max, 0, 0, s ? s->cased : NULL};
    if (!d || !s || !ev || !hits || max == 0)
        return 0;
    bool all = s->unfiltered;
    s->target_raw_clean = false;
    mr_span t = ev->target, ua = ev->user_agent, r = strip_scheme(ev->referer);
    verdict_slot *ua_pair = NULL, *r_pair = NULL;
    if (!all) {
        ua_pair = verdict_pair(s->agents, MR_VERDICT_LEN_MAX, ua.p, ua.n);
        r_pair = verdict_pair(s->referers, MR_VERDICT_LEN_MAX, r.p, r.n);
    }
    if (t.n > 0 &&
        (all || cached_precheck(verdict_pair(s->targets, MR_VERDICT_TARGET_LEN_MAX, t.p, t.n),
                                target_precheck, d, s, t.p, t.n)))
        check_target(&h, d, s, t.p, t.n);
    if (ua.n > 0 && (all || cached_precheck(ua_pair, agent_verdict, d, s, ua.p, ua.n)))
        check_agent(&h, s, ua.p, ua.n);
    if (r.n > 1 && (all || cached_precheck(r_pair, url_precheck, d, s, r.p, r.n)))
        check_referer(&h, d, s, r.p, r.n);
    return h.count;
}
