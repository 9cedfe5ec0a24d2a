/*
 * detect_literals.c — the caseless multi-literal prefilter of the
 * detector's fast path (detect_precheck.h): does a raw request part hold
 * one of ~150 keywords and file names ("union", ".bak", "jndi"...), and
 * where?
 *
 * Hyperscan answers that too, but one call costs ~90 ns of setup on a
 * 25-byte target, more than the whole budget of a benign request. Here
 * each literal is anchored on its rarest three bytes (a crude rarity
 * score per character: "oc/" of "proc/", not the "pro" of every
 * "/products/" URL); the scan loads the three bytes at each position and
 * tests a hash of them, folded to lowercase, in a bitmap of
 * MR_LIT_BITMAP_BITS bits that stays in L1 (mr_literal_maybe). A set bit
 * is rare on benign text; only then is the window looked up among the
 * sorted anchors and the whole literal compared. Literals match as
 * substrings, ASCII letters caselessly, like Hyperscan's HS_FLAG_CASELESS.
 * The set also keeps four small hashed sketches of its anchor keys,
 * which the AVX-512 level (prefilter_avx512.c) tests in registers, 64
 * places at once, before the bitmap.
 */
#include "common.h"

#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"

/* ASCII letters to lowercase, every other byte unchanged. */
static const uint8_t lower_table[256] = {
#define R16(b) b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, \
    b + 10, b + 11, b + 12, b + 13, b + 14, b + 15
    R16(0x00), R16(0x10), R16(0x20), R16(0x30),
    0x40, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
    R16(0x60), R16(0x70), R16(0x80), R16(0x90), R16(0xa0), R16(0xb0), R16(0xc0),
    R16(0xd0), R16(0xe0), R16(0xf0),
#undef R16
};

/* How rare a byte is in URLs and user agents, roughly (anchors also
 * avoid common_text below). */
static unsigned rarity(unsigned char c)
{
    c = lower_table[c];
    if (c == 0)
        return 4;
    if (c == '-' || strchr("etaoinsrhldcump", c))
        return 1;
    if (c == '/' || c == '.' || mr_is_digit(c))
        return 2;
    if (strchr("gfwybvk", c))
        return 3;
    if (strchr("jxqz", c))
        return 5;
    return 4;
}

/* Everyday URL and user-agent text: an anchor found in it would send
 * benign requests to the exact lookup on every line ("le." of
 * "console.portal" in every "example.com"), so anchors avoid it. */
static const char common_text[] =
    "https://www.example.com/ http://shop.example.co.jp/index.html "
    "/search?q=&page=1&sort=price&lang=en&category=books&archive "
    "/images/products/hero-1200.webp /static/js/app.bundle.min.js /css/main.css "
    "/fonts/inter.woff2 /favicon.ico /blog/2024/05/how-to-care-for-linen/ "
    "/account/orders /cart/checkout /login /api/v1/users/me /feed/ /sitemap.xml "
    "/robots.txt /wp-content/uploads/ /assets/ /products/leather-wallet-black "
    "utm_source=newsletter&utm_medium=email&utm_campaign=spring /tag/booking/ "
    "/collections/sale /articles/learning-language /settings/profile "
    "/auth/callback?code=&state= /downloads/manual.pdf /video/stream.m3u8 "
    "/category/clothing/blocks /cabinet/binder /docs/getting-started "
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0 "
    "Firefox/125.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 "
    "(Linux; Android 14; Pixel 8) SamsungBrowser/24.0 Googlebot/2.1 bingbot/2.0 "
    "facebookexternalhit/1.1 curl/8.5.0 python-requests/2.31 "
    /* the query strings of shops: campaign tags, click ids, filters */
    "?utm_source=google&utm_medium=social&utm_campaign=brand%20search&utm_term=gift "
    "&utm_content=banner_10&fbclid=&gclid=&_ga=2.1000000&limit=24&offset=0&per_page=48 "
    "&sort=price_asc&color=navy&size=xl&material=linen&price_min=2000&q=rain+jacket "
    "/checkout /category/men/ /products/handmade-socks-1000 /api/v2/search?lang=ja "
    "/search?q=heart+shaped+cherry /gift-certificate /interactive-map /user/settings";

/* The trigrams of common_text as bits of a bitmap like the set's own
 * (a collision only makes an anchor look commoner than it is). */
static void mark_common_text(uint64_t *bits)
{
    for (size_t i = 0; i + 3 < sizeof common_text; i++) {
        uint32_t key = mr_literal_key((uint32_t)(unsigned char)common_text[i] |
                                      (uint32_t)(unsigned char)common_text[i + 1] << 8 |
                                      (uint32_t)(unsigned char)common_text[i + 2] << 16);
        uint32_t h = mr_literal_hash(key);
        bits[h >> 6] |= (uint64_t)1 << (h & 63);
    }
}

static bool in_common_text(const uint64_t *bits, const unsigned char *gram)
{
    uint32_t h = mr_literal_hash(mr_literal_key((uint32_t)gram[0] | (uint32_t)gram[1] << 8 |
                                                (uint32_t)gram[2] << 16));
    return (bits[h >> 6] >> (h & 63)) & 1u;
}

/* The sketch hashes' matrices (detect_precheck.h): random bits of a
 * fixed seed, column 5 of each row cleared (the fold). The row of
 * output bit i is byte 7 - i of a word; a byte matrix has rows for bits
 * 0-6 (vpermi2b reads seven), a bit matrix for bits 0-2 (and vpshufb
 * must see 0 in bits 3-7). */
const uint64_t mr_literal_sketch_matrix[MR_LIT_SKETCHES][2][3] = {
    {
        {0x0ad1045c92010b00ull, 0x1b9407c181da0500ull, 0xd71c43dad1070a00ull},
        {0x5a9d960000000000ull, 0xc158db0000000000ull, 0x885d4f0000000000ull},
    },
    {
        {0x87011b4ec888dc00ull, 0xda8edb9e0f9f4900ull, 0xc79b134886d79600ull},
        {0xd1898a0000000000ull, 0x520c9e0000000000ull, 0x8fc0d10000000000ull},
    },
    {
        {0x5b00870a871c5400ull, 0x481e8ed551dc0c00ull, 0x8c445d83d18d1900ull},
        {0x121e050000000000ull, 0x49ccc70000000000ull, 0x848b5c0000000000ull},
    },
    {
        {0xc61b4a805f005200ull, 0x9e1ac91d0d571000ull, 0xdc1e980d9b8a5900ull},
        {0x8d5e840000000000ull, 0xd093840000000000ull, 0x47cd8d0000000000ull},
    },
};

/* GF2P8AFFINEQB on one byte: bit i is the parity of x and row i. */
static unsigned affine8(uint64_t m, unsigned x)
{
    unsigned r = 0;
    for (unsigned i = 0; i < 8; i++)
        r |= (unsigned)__builtin_parity((unsigned)(m >> (8 * (7 - i))) & x & 0xffu) << i;
    return r;
}

unsigned mr_literal_sketch_bit(size_t t, uint32_t window)
{
    const uint64_t(*m)[3] = mr_literal_sketch_matrix[t];
    unsigned a = window & 0xff, b = (window >> 8) & 0xff, c = (window >> 16) & 0xff;
    unsigned byte = affine8(m[0][0], a) ^ affine8(m[0][1], b) ^ affine8(m[0][2], c);
    unsigned bit = affine8(m[1][0], a) ^ affine8(m[1][1], b) ^ affine8(m[1][2], c);
    return (byte & 0x7fu) * 8 + (bit & 7u);
}

static int cmp_entry(const void *a, const void *b)
{
    uint32_t x = ((const mr_literal_entry *)a)->key, y = ((const mr_literal_entry *)b)->key;
    return x < y ? -1 : x > y;
}

mr_literal_set *mr_literal_set_new(const char *const *lits, size_t count)
{
    mr_literal_set *set = calloc(1, sizeof *set);
    uint64_t *common = calloc(MR_LIT_BITMAP_BITS / 64, sizeof *common);
    if (!set || !common || count > MR_LITERAL_SET_MAX) {
        free(common);
        free(set);
        return NULL;
    }
    mark_common_text(common);
    for (size_t i = 0; i < count; i++) {
        const unsigned char *lit = (const unsigned char *)lits[i];
        size_t len = strlen(lits[i]);
        bool lowercase = true;
        for (size_t k = 0; k < len; k++)
            lowercase = lowercase && lower_table[lit[k]] == lit[k];
        if (len < 3 || len > UINT16_MAX || !lowercase) {
            free(common);
            free(set);
            return NULL;   /* shorter ones belong in the class tables */
        }
        size_t best = 0;
        unsigned best_score = 0;
        for (size_t a = 0; a + 3 <= len; a++) {
            unsigned score = rarity(lit[a]) + rarity(lit[a + 1]) + rarity(lit[a + 2]) +
                             (in_common_text(common, lit + a) ? 0 : 16);
            if (score > best_score) {
                best_score = score;
                best = a;
            }
        }
        mr_literal_entry *e = &set->lits[set->count++];
        e->key = mr_literal_key((uint32_t)lit[best] | (uint32_t)lit[best + 1] << 8 |
                                (uint32_t)lit[best + 2] << 16);
        e->anchor = (uint16_t)best;
        e->len = (uint16_t)len;
        e->text = lits[i];
        uint32_t h = mr_literal_hash(e->key);
        set->bits[h >> 6] |= (uint64_t)1 << (h & 63);
        for (size_t t = 0; t < MR_LIT_SKETCHES; t++) {
            unsigned b = mr_literal_sketch_bit(t, e->key);
            set->sketch[t][b >> 3] |= (uint8_t)(1u << (b & 7));
        }
    }
    free(common);
    qsort(set->lits, set->count, sizeof(mr_literal_entry), cmp_entry);
    return set;
}

void mr_literal_set_free(mr_literal_set *set)
{
    free(set);
}

/* Does literal e start at s[start..n), caseless? */
static bool literal_at(const mr_literal_entry *e, const unsigned char *s, size_t start, size_t n)
{
    if (e->len > n - start)
        return false;
    for (size_t k = 0; k < e->len; k++)
        if (lower_table[s[start + k]] != (unsigned char)e->text[k])
            return false;
    return true;
}

size_t mr_literal_end_at(const mr_literal_set *set, uint32_t window, const char *p,
                         size_t j, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    uint32_t key = mr_literal_key(window);
    const mr_literal_entry *v = set->lits;
    size_t lo = 0, hi = set->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < set->count && v[lo].key == key; lo++) {
        /* the anchor's three bytes start at s[j] */
        if (j < v[lo].anchor)
            continue;
        size_t start = j - v[lo].anchor;
        if (literal_at(&v[lo], s, start, n))
            return start + v[lo].len;
    }
    return 0;
}

/* The three bytes at s[j] (j + 3 <= n) as a window: little-endian,
 * s[j] lowest. One unaligned load where four bytes are readable. */
static inline uint32_t load_le32(const unsigned char *s)
{
    uint32_t w;
    memcpy(&w, s, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;   /* mr_literal_key drops byte 3 */
}

static inline uint32_t window_at(const unsigned char *s, size_t j, size_t n)
{
    if (j + 4 <= n)
        return load_le32(s + j);
    return (uint32_t)s[j] | (uint32_t)s[j + 1] << 8 | (uint32_t)s[j + 2] << 16;
}

size_t mr_literal_ends_scalar(const mr_literal_set *set, const char *p, size_t n,
                              size_t *ends, size_t max, bool *overflow)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t found = 0;
    *overflow = false;
    for (size_t j = 0; j + 3 <= n; j++) {
        uint32_t w = window_at(s, j, n);
        if (!mr_literal_maybe(set, w))
            continue;
        size_t end = mr_literal_end_at(set, w, p, j, n);
        if (end == 0)
            continue;
        if (found == max) {
            *overflow = true;
            return found;
        }
        ends[found++] = end;
    }
    return found;
}

/* The reference; mr_literal_any (prefilter.c) tests the same windows
 * eight at a time where the CPU has AVX2. */
bool mr_literal_any_scalar(const mr_literal_set *set, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t j = 0;
    /* two windows per load: the three bytes at j and those at j + 1 */
    for (; j + 4 <= n; j += 2) {
        uint32_t w = load_le32(s + j);
        bool a = mr_literal_maybe(set, w), b = mr_literal_maybe(set, w >> 8);
        if (__builtin_expect(a | b, 0) &&
            ((a && mr_literal_end_at(set, w, p, j, n)) ||
             (b && mr_literal_end_at(set, w >> 8, p, j + 1, n))))
            return true;
    }
    if (j + 3 == n) {
        uint32_t w = window_at(s, j, n);
        return mr_literal_maybe(set, w) && mr_literal_end_at(set, w, p, j, n);
    }
    return false;
}
