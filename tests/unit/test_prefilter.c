/*
 * test_prefilter.c — the vector pre-filter (lib/logscan/prefilter.c) and
 * the exploit-path gate (exploit_gate.c) change no verdict:
 *  - every vector level's byte classes are the reference table's (the
 *    level is in use at all);
 *  - mr_raw_suspect, mr_literal_any and mr_literal_ends answer as the
 *    byte loops do, at every level, on every request of tests/corpus, of
 *    the held-out collections when present (the .txt files of
 *    /tmp/h11-heldout-f/attacks or the glob MAMORI_HELDOUT, kept out of
 *    the repository; absent, the case is left out and says so) and on
 *    random and hostile bytes;
 *  - every literal of the sets is found at every place of the first
 *    blocks, and every anchor key is in the AVX-512 sketches;
 *  - mr_detect with the pre-filter finds exactly what the full path
 *    (mr_detect_scratch_unfiltered: no pre-check of the target, user
 *    agent or referer, no exploit-path gate) finds, on the same
 *    requests: a request the pre-filter lets skip decoding is one no
 *    detector flags;
 *  - SQL words of English in searches and the cache of clean parts hide
 *    nothing (test_clean_cache).
 * TESTS_DIR (set by tests/meson.build) names tests/.
 */
#include "common.h"

#include <glob.h>
#include <setjmp.h>
#include <cmocka.h>

#include "logscan/detect.h"
#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"
#include "logscan/exploit_gate.h"
#include "logscan/normalize.h"
#include "logscan/prefilter.h"

#define MR_TEST_FILE_MAX ((size_t)16 << 20)   /* bytes of one corpus file */
#define MR_TEST_PATH_MAX 4096
#define MR_TEST_RANDOM_ROUNDS 20000           /* random requests per run */
#define MR_TEST_RANDOM_LEN_MAX 300            /* bytes of one */
#define MR_TEST_SHOW_MAX 5                    /* disagreements printed */
#define MR_TEST_ENDS_MAX 32                   /* literal ends compared */
#define MR_HELDOUT_GLOB "/tmp/h11-heldout-f/attacks/*.txt"

typedef struct fixture {
    mr_detector *d;
    mr_detect_scratch *fast, *full;
    mr_literal_set *sets[2];
    size_t requests, flagged, disagree;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->d = mr_detector_new()) || !(f->fast = mr_detect_scratch_new(f->d)) ||
        !(f->full = mr_detect_scratch_new(f->d)) ||
        !(f->sets[0] = mr_target_literals_new()) ||
        !(f->sets[1] = mr_agent_literals_new()))
        return -1;
    mr_detect_scratch_unfiltered(f->full, true);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (!f)
        return 0;
    mr_prefilter_force(mr_prefilter_best());
    mr_literal_set_free(f->sets[0]);
    mr_literal_set_free(f->sets[1]);
    mr_detect_scratch_free(f->fast);
    mr_detect_scratch_free(f->full);
    mr_detector_free(f->d);
    free(f);
    return 0;
}

static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* ---- the primitives, level by level ---- */

/* Every level answers as the byte loops on p[0..n), and on each suffix
 * of its first bytes (a block boundary falls everywhere). */
static void check_primitives(fixture *f, const char *p, size_t n)
{
    for (size_t off = 0; off < 4 && off <= n; off++) {
        const char *q = p + off;
        size_t m = n - off;
        bool raw[2] = {mr_raw_suspect_scalar(q, m, false), mr_raw_suspect_scalar(q, m, true)};
        bool lit[2] = {mr_literal_any_scalar(f->sets[0], q, m),
                       mr_literal_any_scalar(f->sets[1], q, m)};
        /* where literals end, with room for all and for two (overflow) */
        size_t ends[2][MR_TEST_ENDS_MAX], count[2];
        bool over[2];
        count[0] = mr_literal_ends_scalar(f->sets[0], q, m, ends[0], MR_TEST_ENDS_MAX, &over[0]);
        count[1] = mr_literal_ends_scalar(f->sets[0], q, m, ends[1], 2, &over[1]);
        for (int level = MR_PREFILTER_SCALAR; level <= mr_prefilter_best(); level++) {
            assert_int_equal(mr_prefilter_force(level), 0);
            for (int k = 0; k < 2; k++) {
                size_t got[MR_TEST_ENDS_MAX];
                bool got_over;
                size_t got_n = mr_literal_ends(f->sets[0], q, m, got, k ? 2 : MR_TEST_ENDS_MAX,
                                               &got_over);
                if (got_n != count[k] || got_over != over[k] ||
                    memcmp(got, ends[k], got_n * sizeof *got) != 0) {
                    print_message("# level %d: literal ends differ on %.*s\n", level,
                                  (int)MR_MIN(m, 200), q);
                    fail();
                }
                if (mr_raw_suspect(q, m, k == 1) != raw[k] ||
                    mr_literal_any(f->sets[k], q, m) != lit[k]) {
                    print_message("# level %d disagrees on %.*s\n", level, (int)MR_MIN(m, 200), q);
                    fail();
                }
            }
        }
    }
    mr_prefilter_force(mr_prefilter_best());
}

/* ---- whole requests: the pre-filter against the full path ---- */

static bool same_hits(const mr_hit *a, size_t na, const mr_hit *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (a[i].category != b[i].category || strcmp(a[i].rule, b[i].rule) != 0 ||
            a[i].evidence_len != b[i].evidence_len ||
            memcmp(a[i].evidence, b[i].evidence, a[i].evidence_len) != 0)
            return false;
    return true;
}

static void check_request(fixture *f, mr_span target, mr_span ua, mr_span referer)
{
    mr_http_event ev;
    mr_http_event_clear(&ev);
    ev.target = target;
    ev.referer = referer;
    ev.method = MR_SPAN_LIT("GET");
    mr_hit got[MR_HITS_MAX], want[MR_HITS_MAX];
    f->requests++;
    for (int pass = 0; pass < 2; pass++) {
        /* the target and the referer, then with the user agent: the
         * full path */
        if (pass == 1) {
            if (ua.n == 0)
                break;
            ev.user_agent = ua;
        }
        size_t nwant = mr_detect(f->d, f->full, &ev, want, MR_HITS_MAX);
        if (pass == 1 || ua.n == 0)
            f->flagged += nwant > 0;   /* the whole request, once */
        for (int level = MR_PREFILTER_SCALAR; level <= mr_prefilter_best(); level++) {
            mr_prefilter_force(level);
            size_t ngot = mr_detect(f->d, f->fast, &ev, got, MR_HITS_MAX);
            if (!same_hits(got, ngot, want, nwant) && f->disagree++ < MR_TEST_SHOW_MAX)
                print_message("# level %d: %zu hits, full path %zu: %.*s | %.*s\n", level,
                              ngot, nwant, (int)MR_MIN(target.n, 200), target.p,
                              (int)MR_MIN(ev.user_agent.n, 200), ev.user_agent.p);
        }
    }
    mr_prefilter_force(mr_prefilter_best());
    check_primitives(f, target.p, target.n);
    if (ua.n)
        check_primitives(f, ua.p, ua.n);
    if (referer.n)
        check_primitives(f, referer.p, referer.n);
}

static mr_span field(const char *line, size_t n, const char *prefix)
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

/* A corpus file (tests/corpus/README.md): one request a line, '#'
 * comments, "UA:" and "REF:" fields after a TAB. */
static size_t check_file(fixture *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = malloc(MR_TEST_FILE_MAX);
    assert_non_null(buf);
    size_t len = fread(buf, 1, MR_TEST_FILE_MAX, fp);
    fclose(fp);
    size_t lines = 0;
    for (size_t i = 0; i < len;) {
        const char *line = buf + i;
        const char *nl = memchr(line, '\n', len - i);
        size_t n = nl ? (size_t)(nl - line) : len - i;
        i += n + 1;
        if (n == 0 || line[0] == '#')
            continue;
        mr_span ua = field(line, n, "UA:"), ref = field(line, n, "REF:");
        mr_span target = MR_SPAN_LIT("/");
        if (strncmp(line, "UA:", 3) != 0 && strncmp(line, "REF:", 4) != 0) {
            const char *tab = memchr(line, '\t', n);
            target = mr_span_make(line, tab ? (size_t)(tab - line) : n);
        }
        check_request(f, target, ua, ref);
        lines++;
    }
    free(buf);
    return lines;
}

static size_t check_glob(fixture *f, const char *pattern)
{
    glob_t g;
    size_t lines = 0;
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    for (size_t i = 0; i < g.gl_pathc; i++)
        lines += check_file(f, g.gl_pathv[i]);
    globfree(&g);
    return lines;
}

static const char *tests_dir(void)
{
    const char *dir = getenv("TESTS_DIR");
    return dir ? dir : "tests";
}

/* ---- the cases ---- */

static void test_levels_in_use(void **state)
{
    (void)state;
#if defined(__x86_64__)
    /* SSE2 is on every x86-64: a best level below it means a vector
     * classifier disagreed with the byte-class table (a class added to
     * detect_precheck.c and not to prefilter.c). */
    assert_true(mr_prefilter_best() >= MR_PREFILTER_SSE2);
#endif
    assert_int_equal(mr_prefilter_level(), mr_prefilter_best());
    assert_int_equal(mr_prefilter_force(MR_PREFILTER_AVX512 + 1), -1);
}

static void test_corpus(void **state)
{
    fixture *f = *state;
    char pattern[MR_TEST_PATH_MAX];
    snprintf(pattern, sizeof pattern, "%s/corpus/attacks/*.txt", tests_dir());
    size_t attacks = check_glob(f, pattern);
    snprintf(pattern, sizeof pattern, "%s/corpus/benign.txt", tests_dir());
    size_t benign = check_glob(f, pattern);
    print_message("# corpus: %zu attack and %zu benign requests, %zu flagged, %zu disagreements\n",
                  attacks, benign, f->flagged, f->disagree);
    assert_true(attacks > 1000 && benign > 10000);
    assert_int_equal(f->disagree, 0);
}

/* The held-out collections: MAMORI_HELDOUT (a glob), or the default. */
static const char *heldout_glob(void)
{
    const char *g = getenv("MAMORI_HELDOUT");
    return g && *g ? g : MR_HELDOUT_GLOB;
}

static int heldout_present(void)
{
    glob_t g;
    if (glob(heldout_glob(), 0, NULL, &g) != 0)
        return 0;
    globfree(&g);
    return 1;
}

/* Run only where the collections are (main): cmocka's skip() prints
 * "not ok # SKIP", which meson's TAP reader counts as a failure. */
static void test_heldout(void **state)
{
    fixture *f = *state;
    size_t lines = check_glob(f, heldout_glob());
    if (lines == 0)
        fail_msg("the held-out collections at %s hold no request", heldout_glob());
    print_message("# held-out: %zu requests, %zu flagged, %zu disagreements\n", lines, f->flagged,
                  f->disagree);
    assert_int_equal(f->disagree, 0);
}

/* Random requests: any bytes, and bytes drawn from what payloads and
 * encodings are made of, spliced with pieces of attacks. */
static void test_random(void **state)
{
    fixture *f = *state;
    static const char alphabet[] = "%=&?+.-/@;'\"<>()|`$\\{}*#~ aAeEuUxX0925cfdb_:,!\t\xc0\xc1"
                                   "\xad\xe0\x80\xef\xbc";
    static const char *const pieces[] = {
        "%2e%2e%2f", "%252e", "%u002e", "%c0%ae", "&#x3c;", "&lt;", "&#104;", "&percnt;",
        "\\x27", "\\u0024{", "union+select", "/etc/passwd", "eval-stdin.php", "/hnap1",
        "call_user_func_array", "${jndi:ldap://", "() { :; };", "%{#", "<script>", "?-d",
        "%0a", "+-la", "==", "&&", "../", "@@version", "0x2e", "li4v", "/cgi-bin/luci/;stok=",
        "%3b", "%23", "%5c", "invoke%66unction", "%%32%65", "c%onsole.portal",
    };
    uint64_t x = 0x9E3779B97F4A7C15ull;
    char buf[MR_TEST_RANDOM_LEN_MAX + 64];
    for (size_t round = 0; round < MR_TEST_RANDOM_ROUNDS; round++) {
        size_t n = next_random(&x) % MR_TEST_RANDOM_LEN_MAX, w = 0;
        bool any_byte = round % 4 == 0;
        while (w < n) {
            uint64_t r = next_random(&x);
            if (!any_byte && r % 8 == 0) {
                const char *p = pieces[(r >> 8) % MR_ARRAY_LEN(pieces)];
                size_t pn = strlen(p);
                memcpy(buf + w, p, pn);
                w += pn;
            } else {
                buf[w++] = any_byte ? (char)(r >> 16)
                                    : alphabet[(r >> 16) % (sizeof alphabet - 1)];
            }
        }
        /* the same bytes as a target, as a user agent, as a referer */
        mr_span s = mr_span_make(buf, w);
        switch (round % 3) {
        case 0: check_request(f, s, MR_SPAN_NULL, MR_SPAN_NULL); break;
        case 1: check_request(f, MR_SPAN_LIT("/"), s, MR_SPAN_NULL); break;
        default: check_request(f, MR_SPAN_LIT("/"), MR_SPAN_NULL, s); break;
        }
    }
    print_message("# random: %zu requests, %zu flagged, %zu disagreements\n", f->requests,
                  f->flagged, f->disagree);
    assert_int_equal(f->disagree, 0);
}

/* mr_literal_any and mr_literal_ends at every vector level against the
 * byte loops, on p[0..n) only. */
static void check_literals(const mr_literal_set *set, const char *p, size_t n)
{
    size_t want[MR_TEST_ENDS_MAX], got[MR_TEST_ENDS_MAX];
    bool want_over, got_over;
    bool any = mr_literal_any_scalar(set, p, n);
    size_t count = mr_literal_ends_scalar(set, p, n, want, MR_TEST_ENDS_MAX, &want_over);
    assert_true(any);
    for (int level = MR_PREFILTER_SCALAR + 1; level <= mr_prefilter_best(); level++) {
        mr_prefilter_force(level);
        size_t got_n = mr_literal_ends(set, p, n, got, MR_TEST_ENDS_MAX, &got_over);
        if (mr_literal_any(set, p, n) != any || got_n != count || got_over != want_over ||
            memcmp(got, want, count * sizeof *got) != 0)
            fail_msg("level %d: literals differ on %.*s", level, (int)n, p);
    }
    mr_prefilter_force(mr_prefilter_best());
}

/* Every literal of both sets, in either case, at every place of the
 * first blocks of every level (0 to 130: both sides of the 16-, 32- and
 * 64-byte boundaries) in a text that ends with it or runs on, found at
 * every level as by the byte loops; and every anchor key in every
 * sketch of the AVX-512 first stage (a key missing would hide its
 * literal at that level). */
static void test_literal_places(void **state)
{
    fixture *f = *state;
    char text[MR_TEST_RANDOM_LEN_MAX];
    size_t checked = 0;
    for (int k = 0; k < 2; k++) {
        const mr_literal_set *set = f->sets[k];
        for (size_t i = 0; i < set->count; i++) {
            const mr_literal_entry *e = &set->lits[i];
            for (size_t t = 0; t < MR_LIT_SKETCHES; t++) {
                unsigned b = mr_literal_sketch_bit(t, e->key);
                assert_true((set->sketch[t][b >> 3] >> (b & 7)) & 1u);
            }
            size_t len = e->len;
            for (size_t at = 0; at <= 130; at++) {
                for (size_t after = 0; after < 3; after += 2) {
                    size_t n = at + len + after * 37;
                    assert_true(n <= sizeof text);
                    memset(text, after == 2 ? '=' : 'x', n);
                    for (size_t c = 0; c < len; c++)
                        text[at + c] = (char)(at % 2 && e->text[c] >= 'a' && e->text[c] <= 'z'
                                                  ? e->text[c] - 32
                                                  : e->text[c]);
                    check_literals(set, text, n);
                    checked++;
                }
            }
        }
    }
    print_message("# literal places: %zu texts\n", checked);
}

/* The exploit-path gate alone: closed only where the decoded target
 * holds no exploit path, on the exploit literals themselves with their
 * letters and separators encoded at random. */
static void test_exploit_gate(void **state)
{
    fixture *f = *state;
    (void)f;
    mr_exploit_gate *g = mr_exploit_gate_new();
    assert_non_null(g);
    static char out[MR_NORM_MAX];
    char buf[512];
    uint64_t x = 12345;
    size_t closed = 0, found = 0;
    for (size_t round = 0; round < MR_TEST_RANDOM_ROUNDS; round++) {
        const char *lit = NULL;
        size_t count = 0;
        while (mr_exploit_path_literal(count))
            count++;
        lit = mr_exploit_path_literal(next_random(&x) % count);
        size_t w = 0, len = strlen(lit);
        /* half the rounds change one byte of the literal: then the gate
         * may close, and must only where no exploit path is left */
        size_t changed = round % 4 < 2 ? next_random(&x) % len : len;
        w += (size_t)snprintf(buf, sizeof buf, "/x%s", round % 2 ? "?a=1&b=" : "/");
        for (size_t k = 0; lit[k] && w + 16 < sizeof buf; k++) {
            uint64_t r = next_random(&x);
            unsigned char c = (unsigned char)lit[k];
            if (k == changed)
                c = (unsigned char)("qz_.-/%"[r % 7]);
            if (round % 4 == 1 && !mr_is_alnum(c)) {
                /* letter-safe: only separators encoded */
                w += (size_t)snprintf(buf + w, 8, "%%%02X", c);
                continue;
            }
            switch (r % 9) {
            case 0: w += (size_t)snprintf(buf + w, 8, "%%%02X", c); break;
            case 1: w += (size_t)snprintf(buf + w, 8, "&#%u;", c); break;
            case 2: buf[w++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c); break;
            case 3: w += (size_t)snprintf(buf + w, 12, "%%25%02X", c); break;
            default: buf[w++] = (char)c; break;
            }
        }
        size_t wn = mr_normalize(buf, w, out, sizeof out);
        mr_match m;
        bool hit = mr_detect_exploit_path(out, wn, &m);
        bool open = mr_exploit_gate_open(g, buf, w);
        found += hit;
        closed += !open;
        if (hit && !open) {
            print_message("# gate closed on %.*s\n", (int)w, buf);
            fail();
        }
    }
    print_message("# gate: %zu exploit paths found, gate closed on %zu\n", found, closed);
    mr_exploit_gate_free(g);
}

/* Every literal mr_detect_exploit and mr_detect_exploit_path look for
 * gets past the pre-check wherever it can be found: in a referer (where
 * check_part runs the exploit detector on the whole text), in a target's
 * path and in a query value, in any case. The brief fuzz run found a
 * referer ending in "xwork.methodaccessor" that the fast path passed;
 * this walks them all instead of waiting for the fuzzer. */
static void test_exploit_literals(void **state)
{
    fixture *f = *state;
    static const char *const frames[][2] = {
        {"shop.example/a/", ""}, {"shop.example/", "&lang=en"}, {"/x/", ""}, {"/x?q=", ""},
        {"/x?a=1&q=", "&b=2"}, {"shop.example/i", ""},
    };
    char text[256], upper[256];
    size_t checked = 0;
    for (int kind = 0; kind < 2; kind++) {
        for (size_t k = 0;; k++) {
            const char *lit = kind == 0 ? mr_exploit_literal(k) : mr_exploit_path_literal(k);
            if (!lit)
                break;
            for (size_t i = 0; i < MR_ARRAY_LEN(frames); i++) {
                int len = snprintf(text, sizeof text, "%s%s%s", frames[i][0], lit, frames[i][1]);
                assert_true(len > 0 && (size_t)len < sizeof text);
                for (int c = 0; c <= len; c++)
                    upper[c] = (char)(text[c] >= 'a' && text[c] <= 'z' ? text[c] - 32 : text[c]);
                for (int level = MR_PREFILTER_SCALAR; level <= mr_prefilter_best(); level++) {
                    mr_prefilter_force(level);
                    if (!mr_url_suspect(f->sets[0], text, (size_t)len) ||
                        !mr_url_suspect(f->sets[0], upper, (size_t)len))
                        fail_msg("level %d: the pre-check passes %s", level, text);
                }
                mr_prefilter_force(mr_prefilter_best());
                /* and the whole request: what the full path finds */
                mr_span s = mr_span_make(text, (size_t)len);
                check_request(f, text[0] == '/' ? s : MR_SPAN_LIT("/"), MR_SPAN_NULL,
                              text[0] == '/' ? MR_SPAN_NULL : s);
                checked++;
            }
        }
    }
    print_message("# exploit literals: %zu texts, %zu disagreements\n", checked, f->disagree);
    assert_int_equal(f->disagree, 0);
}

/* ---- the words and the clean cache ----
 * Requests in order, through one scratch: a target whose only literals
 * are SQL words of everyday English is judged by the detailed path into
 * a hit set of its own (words_suspect in detect.c), and parts found
 * clean are kept (clean_cache.h); an injection with the same words, or a
 * part first judged while its category was already reported, must
 * still be found. Each row also agrees with the full path. */
typedef struct sequence_row {
    const char *target;
    int category;   /* the one expected, -1: none */
} sequence_row;

static const sequence_row cache_rows[] = {
    {"/s?q=select+comfort+pillow", -1},
    {"/s?q=select+comfort+pillow", -1},          /* from the cache */
    {"/s?q=union+jack+scarf&sort=price", -1},
    {"/s?q=1+union+select+1,2,3", MR_CAT_SQLI},  /* words that are SQL */
    {"/s?q=1+union+select+1,2,3", MR_CAT_SQLI},  /* never kept */
    {"/order/select+1+union+select+2", MR_CAT_SQLI},
    {"/account/order/12345", -1},
    {"/s?select=1&having=2", -1},                /* words in names */
    {"/s?q=1+having+1=1", MR_CAT_SQLI},
    {"/s?q=1+order+by+5", MR_CAT_SQLI},
    {"/s?q=benchmark+results+2026", -1},
    /* the second q is judged after the first reported sqli: not kept */
    {"/x?id=1'+or+'1'='1&q=1'+or+'2'='2", MR_CAT_SQLI},
    {"/y?q=1'+or+'2'='2", MR_CAT_SQLI},
    {"/s?q=men%27s+sneakers", -1},
    {"/s?q=men%27s+sneakers", -1},
    {"/s?q=men%27s+sneakers&x=%3Cscript%3Ealert(1)%3C/script%3E", MR_CAT_XSS},
    /* a word sends every detector to its part and to every name with a
     * '%', not the SQL one alone (a reviewer's cases) */
    {"/s?q=select%20sh%20-c%20id", MR_CAT_CMDI},
    {"/dl?file=/root/order/x", MR_CAT_TRAVERSAL},
    {"/order/%2F.env", MR_CAT_SENSITIVE_FILE},
    {"/order/%2F.env", MR_CAT_SENSITIVE_FILE},   /* paths found dirty are not kept */
    {"/s?q=union+jack&%40%40version=1", MR_CAT_SQLI},
    {"/s?q=union&bash%20-i=1", MR_CAT_CMDI},
    /* and without a word: a '%' in a name is a payload's place too */
    {"/s?%40%40version=1", MR_CAT_SQLI},
    {"/s?q=1&bash%20-i=1", MR_CAT_CMDI},
    {"/s?utm%5Fsource=news&q=%E3%81%82", -1},
};

static void test_clean_cache(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < MR_ARRAY_LEN(cache_rows); i++) {
        const sequence_row *r = &cache_rows[i];
        mr_http_event ev;
        mr_http_event_clear(&ev);
        ev.target = mr_span_make(r->target, strlen(r->target));
        ev.method = MR_SPAN_LIT("GET");
        mr_hit got[MR_HITS_MAX], want[MR_HITS_MAX];
        size_t nwant = mr_detect(f->d, f->full, &ev, want, MR_HITS_MAX);
        size_t ngot = mr_detect(f->d, f->fast, &ev, got, MR_HITS_MAX);
        if (!same_hits(got, ngot, want, nwant))
            fail_msg("row %zu: %zu hits, full path %zu: %s", i, ngot, nwant, r->target);
        if (r->category < 0 ? ngot != 0 : ngot == 0 || (int)got[0].category != r->category)
            fail_msg("row %zu: %zu hits (first %s): %s", i, ngot,
                     ngot ? mr_category_name(got[0].category) : "-", r->target);
    }
}

int main(void)
{
    const struct CMUnitTest all[] = {
        cmocka_unit_test(test_levels_in_use),
        cmocka_unit_test_setup_teardown(test_corpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heldout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_places, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exploit_gate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exploit_literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clean_cache, setup, teardown),
    };
    struct CMUnitTest tests[MR_ARRAY_LEN(all)];
    size_t n = 0;
    int heldout = heldout_present();
    if (!heldout)
        print_message("# SKIP test_heldout: no held-out collections at %s "
                      "(MAMORI_HELDOUT names another glob)\n", heldout_glob());
    for (size_t i = 0; i < MR_ARRAY_LEN(all); i++)
        if (heldout || all[i].test_func != test_heldout)
            tests[n++] = all[i];
    return _cmocka_run_group_tests("test_prefilter", tests, n, NULL, NULL);
}
