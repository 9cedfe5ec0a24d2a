/*
 * csp.c — Content-Security-Policy parsed and judged as the MDN HTTP
 * Observatory's analyzer does (src/analyzer/cspParser.js and
 * tests/csp.js of @mdn/mdn-http-observatory 1.4.8), written anew in C.
 *
 * Its parse has rules a browser's has not, and the score depends on
 * them: a policy shorter than "img-sr" or a directive repeated within a
 * policy (but report-uri and report-to) makes the header invalid;
 * sources are lower-cased and sorted by the "en" collation, and a source
 * that starts with the one sorted before it in the same policy is
 * dropped; with several policies a source is kept only when a later
 * policy allows it too (their path-part match, whose percent-decoding
 * failure also makes the header invalid). This file keeps those rules
 * and bounds every count (MR_OBS_CSP_*_MAX); past one, the rest is
 * ignored and `truncated` set.
 */
#include "common.h"

#include "web/obs_int.h"

typedef struct csp_item {
    mr_obs_str s;
    int index;                       /* policy it came from */
    bool keep;
} csp_item;

typedef struct csp_dir {
    mr_obs_str name;
    int seen;                        /* last policy that named it */
    int *list;                       /* items kept, in sorted order */
    size_t n;
    /* the final set: unique sources; dead = deleted by the test */
    mr_obs_str *set;
    bool *dead;
    size_t nset;
} csp_dir;

typedef struct csp_map {
    csp_dir dirs[MR_OBS_CSP_DIRECTIVES_MAX];
    size_t ndirs;
    csp_item items[MR_OBS_CSP_SOURCES_MAX];
    size_t nitems;
    int ints[4 * MR_OBS_CSP_SOURCES_MAX];     /* lists, append-only */
    size_t nints;
    mr_obs_str set_pool[MR_OBS_CSP_SOURCES_MAX + MR_OBS_CSP_DIRECTIVES_MAX];
    bool dead_pool[MR_OBS_CSP_SOURCES_MAX + MR_OBS_CSP_DIRECTIVES_MAX];
    size_t nset;
    char *text;                      /* policies, cleaned and lower-cased */
    size_t ntext, captext;
    bool dup_warning;                /* report-uri/report-to repeated */
    bool truncated;
} csp_map;

static const char NONE_SRC[] = "'none'";
static const char STAR_SRC[] = "*";

/* The "en" collation (ICU root) over ASCII: punctuation, symbols,
 * digits, letters; other bytes after them. */
static const char COLLATION[] =
    "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789"
    "abcdefghijklmnopqrstuvwxyz";

static int coll_rank(unsigned char c)
{
    const char *p = c ? strchr(COLLATION, c) : NULL;
    if (p)
        return (int)(p - COLLATION);
    if (c >= 'A' && c <= 'Z')
        return coll_rank((unsigned char)(c - 'A' + 'a'));
    return 128 + c;
}

static int coll_cmp(mr_obs_str a, mr_obs_str b)
{
    size_t n = MR_MIN(a.n, b.n);
    for (size_t i = 0; i < n; i++) {
        int d = coll_rank((unsigned char)a.p[i]) - coll_rank((unsigned char)b.p[i]);
        if (d)
            return d;
    }
    return a.n < b.n ? -1 : a.n > b.n;
}

/* decodeURIComponent of a path piece into code points; -1 where it
 * throws (a bad escape, bad UTF-8). */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int pct_byte(mr_obs_str s, size_t k)
{
    if (k + 2 >= s.n)
        return -1;
    if (s.p[k] != '%')
        return -1;
    int h = hexval(s.p[k + 1]), l = hexval(s.p[k + 2]);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
}

static long decode_uri(mr_obs_str s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < s.n && n < cap; k++) {
        unsigned char c = (unsigned char)s.p[k];
        if (c != '%') {
            out[n++] = c;
            continue;
        }
        int b = pct_byte(s, k);
        if (b < 0)
            return -1;
        k += 2;
        if (b < 0x80) {
            out[n++] = (uint32_t)b;
            continue;
        }
        int extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2
                  : (b & 0xF8) == 0xF0 ? 3 : -1;
        if (extra < 0)
            return -1;
        uint32_t cp = (uint32_t)(b & (0x3F >> extra));
        for (int j = 0; j < extra; j++) {
            int cb = pct_byte(s, k + 1);
            if (cb < 0 || (cb & 0xC0) != 0x80)
                return -1;
            cp = (cp << 6) | (uint32_t)(cb & 0x3F);
            k += 3;
        }
        static const uint32_t min[] = { 0, 0x80, 0x800, 0x10000 };
        if (cp < min[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        out[n++] = cp;
    }
    return (long)n;
}

static size_t count_char(mr_obs_str s, char c)
{
    size_t n = 0;
    for (size_t i = 0; i < s.n; i++)
        n += s.p[i] == c;
    return n;
}

/* The i-th '/'-separated piece of s. */
static mr_obs_str piece(mr_obs_str s, size_t i)
{
    size_t start = 0;
    for (size_t k = 0; k < s.n && i > 0; k++)
        if (s.p[k] == '/') {
            i--;
            start = k + 1;
        }
    size_t end = start;
    while (end < s.n && s.p[end] != '/')
        end++;
    return (mr_obs_str){ s.p + start, end - start };
}

/* cspParser.js pathPartMatch: 1 match, 0 not, -1 it throws. */
static int path_part_match(mr_obs_str a, mr_obs_str b)
{
    if (a.n == 0)
        return 1;
    if (a.n == 1 && a.p[0] == '/' && b.n == 0)
        return 1;
    bool exact = a.p[a.n - 1] != '/';
    size_t la = count_char(a, '/') + 1, lb = count_char(b, '/') + 1;
    if (la > lb || (exact && la != lb))
        return 0;
    if (!exact)
        la--;
    uint32_t da[256], db[256];
    for (size_t i = 0; i < la; i++) {
        long na = decode_uri(piece(a, i), da, MR_ARRAY_LEN(da));
        if (na < 0)
            return -1;
        long nb = decode_uri(piece(b, i), db, MR_ARRAY_LEN(db));
        if (nb < 0)
            return -1;
        if (na != nb || memcmp(da, db, (size_t)na * sizeof da[0]) != 0)
            return 0;
    }
    return 1;
}

static csp_dir *find_dir(csp_map *m, mr_obs_str name)
{
    for (size_t i = 0; i < m->ndirs; i++)
        if (m->dirs[i].name.n == name.n &&
            memcmp(m->dirs[i].name.p, name.p, name.n) == 0)
            return &m->dirs[i];
    return NULL;
}

static csp_dir *get(csp_map *m, const char *name)
{
    return find_dir(m, (mr_obs_str){ name, strlen(name) });
}

static bool ends_with(mr_obs_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p + s.n - n, lit, n) == 0;
}

/* Copies s into the map's text, lower-cased. */
static mr_obs_str keep_lower(csp_map *m, mr_obs_str s)
{
    char *d = m->text + m->ntext;
    for (size_t i = 0; i < s.n; i++)
        d[i] = (char)mr_obs_lower((unsigned char)s.p[i]);
    m->ntext += s.n;
    return (mr_obs_str){ d, s.n };
}

/* One directive entry of policy pi: -1 when the policy is invalid. */
static int parse_entry(csp_map *m, mr_obs_str e, int pi, size_t npol)
{
    e = mr_obs_js_trim(e);
    if (e.n == 0)
        return 0;
    size_t k = 0;
    while (k < e.n && !mr_obs_js_space((unsigned char)e.p[k]))
        k++;
    mr_obs_str name = keep_lower(m, (mr_obs_str){ e.p, k });
    csp_dir *d = find_dir(m, name);
    if (d && d->seen == pi) {
        if (!mr_obs_eq_lower(name, "report-uri") &&
            !mr_obs_eq_lower(name, "report-to"))
            return -1;
        m->dup_warning = true;
    }
    if (d == NULL) {
        if (m->ndirs == MR_OBS_CSP_DIRECTIVES_MAX) {
            m->truncated = true;
            return 0;
        }
        d = &m->dirs[m->ndirs++];
        memset(d, 0, sizeof *d);
        d->name = name;
        d->seen = -1;
    }
    d->seen = pi;
    /* combined: what the directive kept so far (later policies only),
     * then this entry's sources */
    size_t base = pi == 0 ? 0 : d->n;
    int *comb = m->ints + m->nints;
    size_t room = MR_ARRAY_LEN(m->ints) - m->nints, nc = 0;
    if (room < base) {
        m->truncated = true;
        return 0;
    }
    for (size_t i = 0; i < base; i++)
        comb[nc++] = d->list[i];
    size_t nvalues = 0;
    while (k < e.n) {
        while (k < e.n && mr_obs_js_space((unsigned char)e.p[k]))
            k++;
        size_t start = k;
        while (k < e.n && !mr_obs_js_space((unsigned char)e.p[k]))
            k++;
        if (k == start)
            break;
        nvalues++;
        if (nc == room || m->nitems == MR_OBS_CSP_SOURCES_MAX) {
            m->truncated = true;
            continue;
        }
        csp_item *it = &m->items[m->nitems];
        it->s = keep_lower(m, (mr_obs_str){ e.p + start, k - start });
        it->index = pi;
        it->keep = pi == 0;
        comb[nc++] = (int)m->nitems++;
    }
    if (nvalues == 0 && ends_with(name, "-src")) {
        if (nc == room || m->nitems == MR_OBS_CSP_SOURCES_MAX) {
            m->truncated = true;
        } else {
            csp_item *it = &m->items[m->nitems];
            it->s = (mr_obs_str){ NONE_SRC, strlen(NONE_SRC) };
            it->index = pi;
            it->keep = pi == 0;
            comb[nc++] = (int)m->nitems++;
        }
    }
    /* stable insertion sort, as Array.prototype.sort is stable */
    for (size_t i = 1; i < nc; i++) {
        int v = comb[i];
        size_t j = i;
        while (j > 0 && coll_cmp(m->items[comb[j - 1]].s, m->items[v].s) > 0) {
            comb[j] = comb[j - 1];
            j--;
        }
        comb[j] = v;
    }
    for (size_t i = 1; i < nc; i++) {
        csp_item *src = &m->items[comb[i]], *prev = &m->items[comb[i - 1]];
        if (src->index == prev->index && src->s.n >= prev->s.n &&
            memcmp(src->s.p, prev->s.p, prev->s.n) == 0)
            src->keep = false;
        if (src->index != prev->index) {
            int r = path_part_match(prev->s, src->s);
            if (r < 0)
                return -1;
            if (r)
                src->keep = true;
        }
    }
    size_t nk = 0;
    for (size_t i = 0; i < nc; i++)
        if (m->items[comb[i]].keep)
            comb[nk++] = comb[i];
    d->list = comb;
    d->n = nk;
    m->nints += nk;
    if (pi == 0 && npol > 1)
        for (size_t i = 0; i < nk; i++)
            m->items[comb[i]].keep = false;
    return 0;
}

/* The final sets: unique sources, or 'none' for an emptied directive. */
static void finish(csp_map *m)
{
    for (size_t i = 0; i < m->ndirs; i++) {
        csp_dir *d = &m->dirs[i];
        d->set = m->set_pool + m->nset;
        d->dead = m->dead_pool + m->nset;
        for (size_t j = 0; j < d->n; j++) {
            mr_obs_str s = m->items[d->list[j]].s;
            bool dup = false;
            for (size_t k = 0; k < d->nset && !dup; k++)
                dup = d->set[k].n == s.n && memcmp(d->set[k].p, s.p, s.n) == 0;
            if (!dup) {
                d->dead[d->nset] = false;
                d->set[d->nset++] = s;
            }
        }
        if (d->nset == 0) {
            d->dead[0] = false;
            d->set[d->nset++] = (mr_obs_str){ NONE_SRC, strlen(NONE_SRC) };
        }
        m->nset += d->nset;
    }
}

/* parseCsp: 0, or -1 where it throws. m is zeroed by the caller. */
static int csp_parse(csp_map *m, const mr_obs_str *pol, size_t npol)
{
    mr_obs_str clean[MR_OBS_CSP_POLICIES_MAX];
    if (npol > MR_OBS_CSP_POLICIES_MAX) {
        npol = MR_OBS_CSP_POLICIES_MAX;
        m->truncated = true;
    }
    /* cleaned copies (CR and LF removed), then the lower-cased pieces */
    size_t total = 0;
    for (size_t i = 0; i < npol; i++)
        total += pol[i].n;
    m->captext = 2 * total + 1;
    m->text = malloc(m->captext);
    if (m->text == NULL)
        return -2;
    for (size_t i = 0; i < npol; i++) {
        char *d = m->text + m->ntext;
        size_t n = 0;
        for (size_t k = 0; k < pol[i].n; k++)
            if (pol[i].p[k] != '\r' && pol[i].p[k] != '\n')
                d[n++] = pol[i].p[k];
        m->ntext += n;
        clean[i] = mr_obs_js_trim((mr_obs_str){ d, n });
    }
    for (size_t i = 0; i < npol; i++)
        if (clean[i].n == 0 || clean[i].n < strlen("img-src") - 1)
            return -1;
    for (size_t pi = 0; pi < npol; pi++) {
        mr_obs_str p = clean[pi];
        size_t start = 0;
        for (size_t k = 0; k <= p.n; k++) {
            if (k < p.n && p.p[k] != ';')
                continue;
            if (parse_entry(m, (mr_obs_str){ p.p + start, k - start },
                            (int)pi, npol) < 0)
                return -1;
            start = k + 1;
        }
    }
    finish(m);
    return 0;
}

static void csp_free(csp_map *m)
{
    if (m) {
        free(m->text);
        free(m);
    }
}

/* A set as the test sees it: a directive's, or a fresh one. */
typedef struct src_set {
    mr_obs_str *s;
    bool *dead;
    size_t n;
} src_set;

static src_set dir_set(csp_dir *d)
{
    return (src_set){ d->set, d->dead, d->nset };
}

static bool has(src_set s, const char *lit)
{
    for (size_t i = 0; i < s.n; i++)
        if (!s.dead[i] && s.s[i].n == strlen(lit) &&
            memcmp(s.s[i].p, lit, s.s[i].n) == 0)
            return true;
    return false;
}

static const char *const BROAD[] = { "ftp:", "http:", "https:", "*",
    "http://*", "http://*.*", "https://*", "https://*.*" };

static bool has_broad(src_set s, bool or_inline)
{
    for (size_t i = 0; i < MR_ARRAY_LEN(BROAD); i++)
        if (has(s, BROAD[i]))
            return true;
    return or_inline && (has(s, "'unsafe-inline'") || has(s, "data:"));
}

static bool has_nonce_hash(src_set s)
{
    static const char *const nh[] = { "'sha256-", "'sha384-", "'sha512-", "'nonce-" };
    for (size_t i = 0; i < s.n; i++)
        for (size_t j = 0; j < MR_ARRAY_LEN(nh); j++)
            if (!s.dead[i] && mr_obs_starts(s.s[i], nh[j]))
                return true;
    return false;
}

static bool any_insecure(src_set s)
{
    for (size_t i = 0; i < s.n; i++)
        if (!s.dead[i] && (mr_obs_starts(s.s[i], "http:") ||
                           mr_obs_starts(s.s[i], "ftp:")))
            return true;
    return false;
}

static void del(src_set s, const char *lit)
{
    for (size_t i = 0; i < s.n; i++)
        if (s.s[i].n == strlen(lit) && memcmp(s.s[i].p, lit, s.s[i].n) == 0)
            s.dead[i] = true;
}

static csp_map *parse_new(const mr_obs_str *pol, size_t n, int *rc)
{
    csp_map *m = calloc(1, sizeof *m);
    if (m == NULL) {
        *rc = -2;
        return NULL;
    }
    *rc = csp_parse(m, pol, n);
    return m;
}

static size_t map_size(const csp_map *m, bool meta)
{
    size_t n = m->ndirs + (m->dup_warning ? 1 : 0);
    if (meta) {
        static const char *const banned[] = { "frame-ancestors", "report-uri", "sandbox" };
        for (size_t i = 0; i < MR_ARRAY_LEN(banned); i++)
            if (get((csp_map *)m, banned[i]))
                n--;
    }
    return n;
}

const char *mr_obs_csp_test(const mr_obs_str *http, size_t n_http,
                            const mr_obs_str *meta, size_t n_meta,
                            bool https, bool report_only,
                            bool *frame_ancestors, bool *pass,
                            bool *truncated)
{
    *frame_ancestors = false;
    *pass = false;
    mr_obs_str all[MR_OBS_CSP_POLICIES_MAX];
    size_t nall = 0;
    for (size_t i = 0; i < n_http && nall < MR_ARRAY_LEN(all); i++)
        all[nall++] = http[i];
    for (size_t i = 0; i < n_meta && nall < MR_ARRAY_LEN(all); i++)
        all[nall++] = meta[i];
    if (nall < n_http + n_meta)
        *truncated = true;

    const char *res = NULL;
    int rc, rh, rm;
    csp_map *csp = parse_new(all, nall, &rc);
    csp_map *hm = parse_new(http, n_http, &rh);
    csp_map *mm = parse_new(meta, MR_MIN(n_meta, MR_OBS_CSP_POLICIES_MAX), &rm);
    if (rc == -2 || rh == -2 || rm == -2)
        goto out;
    if (csp->truncated || hm->truncated || mm->truncated)
        *truncated = true;
    if (rc < 0) {
        res = "csp-header-invalid";
        goto out;
    }
    if ((rh < 0 ? 0 : map_size(hm, false)) + (rm < 0 ? 0 : map_size(mm, true)) == 0) {
        res = report_only ? "csp-not-implemented-but-reporting-enabled"
                          : "csp-not-implemented";
        goto out;
    }

    mr_obs_str star_s[3] = { { STAR_SRC, 1 }, { STAR_SRC, 1 }, { STAR_SRC, 1 } };
    bool star_d[3] = { false, false, false };
    csp_dir *def = get(csp, "default-src");
    csp_dir *d;
    src_set object_src = (d = get(csp, "object-src")) || (d = def)
        ? dir_set(d) : (src_set){ &star_s[0], &star_d[0], 1 };
    src_set script_src = (d = get(csp, "script-src")) || (d = def)
        ? dir_set(d) : (src_set){ &star_s[1], &star_d[1], 1 };
    src_set style_src = (d = get(csp, "style-src")) || (d = def)
        ? dir_set(d) : (src_set){ &star_s[2], &star_d[2], 1 };

    src_set lists[2] = { script_src, style_src };
    for (size_t i = 0; i < 2; i++)
        if (has_nonce_hash(lists[i]) && has(lists[i], "'unsafe-inline'"))
            del(lists[i], "'unsafe-inline'");

    if (has_nonce_hash(script_src) && has(script_src, "'strict-dynamic'")) {
        for (size_t i = 0; i < script_src.n; i++) {
            mr_obs_str s = script_src.s[i];
            bool drop = mr_obs_eq_lower(s, "'self'") ||
                        mr_obs_eq_lower(s, "'unsafe-inline'");
            for (size_t j = 0; j < MR_ARRAY_LEN(BROAD) && !drop; j++)
                drop = mr_obs_starts(s, BROAD[j]);
            if (drop)
                script_src.dead[i] = true;
        }
    } else if (has(script_src, "'strict-dynamic'")) {
        res = "csp-header-invalid";
    }

    bool active_insecure = any_insecure(script_src);
    for (size_t i = 0; i < csp->ndirs; i++) {
        mr_obs_str n = csp->dirs[i].name;
        if (mr_obs_eq_lower(n, "img-src") || mr_obs_eq_lower(n, "media-src") ||
            mr_obs_eq_lower(n, "script-src"))
            continue;
        active_insecure = active_insecure || any_insecure(dir_set(&csp->dirs[i]));
    }
    bool passive_insecure = false;
    const char *passive[] = { "img-src", "media-src" };
    for (size_t i = 0; i < 2; i++)
        if ((d = get(csp, passive[i])) || (d = def))
            passive_insecure = passive_insecure || any_insecure(dir_set(d));

    if (!res && (has_broad(script_src, true) || has_broad(object_src, false)))
        res = "csp-implemented-with-unsafe-inline";
    if (!res && https && active_insecure)
        res = "csp-implemented-with-insecure-scheme";
    if (!res && (has(script_src, "'unsafe-eval'") || has(style_src, "'unsafe-eval'")))
        res = "csp-implemented-with-unsafe-eval";
    if (!res && https && passive_insecure)
        res = "csp-implemented-with-insecure-scheme-in-passive-content-only";
    if (!res && has_broad(style_src, true))
        res = "csp-implemented-with-unsafe-inline-in-style-src-only";
    if (!res) {
        src_set ds = def ? dir_set(def) : (src_set){ 0 };
        size_t live = 0;
        for (size_t i = 0; i < ds.n; i++)
            live += !ds.dead[i];
        res = def && has(ds, "'none'") && live == 1
            ? "csp-implemented-with-no-unsafe-default-src-none"
            : "csp-implemented-with-no-unsafe";
    }
    if (strcmp(res, "csp-implemented-with-no-unsafe") == 0 ||
        strcmp(res, "csp-implemented-with-no-unsafe-default-src-none") == 0 ||
        strcmp(res, "csp-implemented-with-unsafe-inline-in-style-src-only") == 0 ||
        strcmp(res, "csp-implemented-with-insecure-scheme-in-passive-content-only") == 0) {
        *pass = true;
        if (csp->dup_warning)
            res = "csp-implemented-but-duplicate-directives";
    }
    *frame_ancestors = get(csp, "frame-ancestors") != NULL;
out:
    csp_free(csp);
    csp_free(hm);
    csp_free(mm);
    return res;
}
