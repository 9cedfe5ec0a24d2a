/*
 * prefilter.c — the pre-filter of detect_precheck.h with vectors: the raw
 * pre-check (mr_raw_suspect) on SSE2, which every x86-64 has, or AVX2
 * where the CPU has it, and the literal prefilter (mr_literal_any,
 * mr_literal_ends) eight places a step with AVX2; both 64 bytes a step
 * where the CPU has AVX-512 (prefilter_avx512.c); the level is chosen
 * once, at run time, here. The byte loops of detect_precheck.c and
 * detect_literals.c elsewhere. Every request goes through here; only
 * what it flags is decoded (detect.c).
 *
 * Why it is exact. mr_raw_suspect_scalar answers true at the first byte
 * that is (a) of class RAW_TRIGGER, (b) the first of a pair whose FIRST_k
 * bit meets the next byte's SECOND_k bit, or (c) of class RAW_CONTEXT
 * and judged suspect by mr_raw_context() given the state the context
 * bytes before it left; failing all, it answers mr_raw_end() of the
 * state the last context byte left. (a) and (b) depend on two bytes and
 * no state; the state changes only at context bytes. So the answer is
 * "any (a) or (b) anywhere, or any (c) in order, or the end", whatever
 * order (a) and (b) are looked at in. A block of 16 (SSE2), 32 (AVX2)
 * or 64 (AVX-512) bytes is classified at once into two bit masks,
 * (a)|(b) and "context byte"; the context bytes of a block, found with
 * ctz, go through the same mr_raw_context() as the reference loop, in
 * order. The block past the end is padded with 'a' (class 0): no pair
 * is made with the byte after the last one, as in the loop.
 *
 * The vector classes must be raw_class's. Rather than trust that, the
 * first use (choose_level) compares every level's block classifier with
 * mr_raw_class() on all 256 bytes, alone and in pairs with each byte
 * that takes part in a pair, before using it; a level that disagrees (a
 * class added to the table and not here) is never used, and the unit
 * test test_prefilter fails on it.
 */
#include "common.h"

#include <pthread.h>

#include "logscan/detect_precheck.h"
#include "logscan/prefilter.h"
#include "logscan/prefilter_impl.h"

#if defined(__x86_64__)   /* SSE2 is part of the ABI there */
#define MR_HAVE_X86 1
#include <immintrin.h>
#else
#define MR_HAVE_X86 0
#endif


#define MR_BLOCK_MAX 32        /* bytes of the widest block of this file */
#define MR_CHECK_BLOCK_MAX 64  /* of any level (AVX-512: prefilter_avx512.c) */

/* A block classifier as classifier_agrees sees it: blk holds width + 1
 * readable bytes (the byte after the block closes its last pair); sets
 * bit k of *trig when blk[k] is a payload byte or starts a pair, of *ctx
 * when it is a context byte. */
typedef void (*classify_fn)(const unsigned char *blk, uint64_t *trig, uint64_t *ctx);

#if MR_HAVE_X86

/* ---- SSE2: ranges and equalities ---- */

static inline __m128i eq8(__m128i v, int c)
{
    return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c));
}

/* lo <= v <= hi, unsigned */
static inline __m128i range8(__m128i v, int lo, int hi)
{
    __m128i d = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char)(hi - lo))), d);
}

static inline __attribute__((always_inline)) void classify_sse2(const unsigned char *blk, uint32_t *trig, uint32_t *ctx)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)blk);
    __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(blk + 1));
    /* control bytes and ' ', "#$, '()*, ;<, >, \, `, {|}~ DEL, C0 C1 */
    __m128i t = _mm_or_si128(range8(v, 0x00, 0x20), range8(v, 0x22, 0x24));
    t = _mm_or_si128(t, range8(v, 0x27, 0x2a));
    t = _mm_or_si128(t, range8(v, 0x3b, 0x3c));
    t = _mm_or_si128(t, _mm_or_si128(eq8(v, 0x3e), eq8(v, 0x5c)));
    t = _mm_or_si128(t, eq8(v, 0x60));
    t = _mm_or_si128(t, range8(v, 0x7b, 0x7f));
    t = _mm_or_si128(t, range8(v, 0xc0, 0xc1));
    /* the pairs: ".." "/." "--" "@@" */
    __m128i pair = _mm_and_si128(range8(v, '.', '/'), eq8(v1, '.'));
    pair = _mm_or_si128(pair, _mm_and_si128(eq8(v, '-'), eq8(v1, '-')));
    pair = _mm_or_si128(pair, _mm_and_si128(eq8(v, '@'), eq8(v1, '@')));
    t = _mm_or_si128(t, pair);
    __m128i c = _mm_or_si128(range8(v, '%', '&'), eq8(v, '+'));
    c = _mm_or_si128(c, _mm_or_si128(eq8(v, '='), eq8(v, '?')));
    *trig = (uint32_t)_mm_movemask_epi8(t);
    *ctx = (uint32_t)_mm_movemask_epi8(c);
}

/* ---- AVX2: nibble lookups (a byte is in a class when the bit of its
 * low nibble's entry meets the bit of its high nibble's) ---- */


__attribute__((target("avx2")))
static inline __m256i table256(const uint8_t t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)t));
}

__attribute__((target("avx2")))
static inline __m256i lookup256(__m256i lo_t, __m256i hi_t, __m256i v)
{
    __m256i nib = _mm256_set1_epi8(0x0f);
    __m256i lo = _mm256_and_si256(v, nib);
    __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nib);
    return _mm256_and_si256(_mm256_shuffle_epi8(lo_t, lo), _mm256_shuffle_epi8(hi_t, hi));
}

__attribute__((target("avx2")))
static inline __attribute__((always_inline)) void classify_avx2(const unsigned char *blk, uint32_t *trig, uint32_t *ctx)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)blk);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(blk + 1));
    __m256i zero = _mm256_setzero_si256();
    __m256i t = lookup256(table256(mr_pf_trig_lo), table256(mr_pf_trig_hi), v);
    __m256i f = lookup256(table256(mr_pf_first_lo), table256(mr_pf_first_hi), v);
    __m256i s = lookup256(table256(mr_pf_second_lo), table256(mr_pf_second_hi), v1);
    __m256i pair = _mm256_and_si256(_mm256_and_si256(f, s), _mm256_set1_epi8(MR_PF_FIRST_PAIRS));
    __m256i tp = _mm256_or_si256(t, pair);
    __m256i c = _mm256_and_si256(f, _mm256_set1_epi8(MR_PF_FIRST_CTX));
    *trig = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(tp, zero));
    *ctx = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c, zero));
}

/* One driver per width, so that each inlines its classifier. */
#define MR_RAW_DRIVER(name, width, classify, attr)                                 \
    attr static bool name(const char *p, size_t n, bool in_value)                  \
    {                                                                              \
        mr_raw_state st;                                                           \
        mr_raw_state_init(&st, in_value);                                          \
        for (size_t i = 0; i < n; i += (width)) {                                  \
            const unsigned char *blk = (const unsigned char *)p + i;               \
            unsigned char pad[MR_BLOCK_MAX + 1];                                   \
            if (n - i < (width) + 1) {                                             \
                memset(pad, MR_PAD_BYTE, sizeof pad);                              \
                memcpy(pad, blk, n - i);                                           \
                blk = pad;                                                         \
            }                                                                      \
            uint32_t trig, ctx;                                                    \
            classify(blk, &trig, &ctx);                                            \
            if (n - i < (width)) {                                                 \
                trig &= ((uint32_t)1 << (n - i)) - 1;                              \
                ctx &= ((uint32_t)1 << (n - i)) - 1;                               \
            }                                                                      \
            if (trig)                                                              \
                return true;                                                       \
            while (ctx) {                                                          \
                size_t k = (size_t)__builtin_ctz(ctx);                             \
                ctx &= ctx - 1;                                                    \
                if (mr_raw_context(p, i + k, n, &st))                              \
                    return true;                                                   \
            }                                                                      \
        }                                                                          \
        return mr_raw_end(&st, n);                                                 \
    }

MR_RAW_DRIVER(raw_suspect_sse2, 16, classify_sse2, )

/* ---- AVX2 in the query: the context bytes with masks ----
 * Shop query strings hold a context byte every few bytes ('=', '&', the
 * '%' of browser-encoded UTF-8), and taking them one by one through
 * mr_raw_context(), a branch on each byte's kind, cost more than the
 * block tests. Once the query has begun (st.in_query, which never ends)
 * the kinds no longer depend on each other: '=' and '&' read and write
 * only st.equals and st.segment; '%' reads st.equals and writes only the
 * stray count, '+' nothing; '?' neither answers nor changes anything. So
 * a block of the query is judged thus, with the answer of the loop in
 * order (mr_query_block in prefilter_impl.h):
 *  - '=' and '&' with masks (query_masks below): a '=' whose previous
 *    '='/'&' in the block is a '=' (two in one parameter), or an '&'
 *    whose previous one is an '&' not just before it (a bare segment);
 *    the first of the block against the state the blocks before left;
 *  - a '%' outside a value's places (mr_query_values): in a name;
 *  - a '%' that escapes a byte of escape_benign: nothing (below);
 *  - '+' not followed by '-': nothing (only "+-" and a letter count);
 *  - every other '%' and '+' through mr_raw_context() as before.
 * escape_benign holds bytes for which mr_escape_suspect() answers false
 * in the query whatever follows (not %u, '=', '/', AD, E0, F0, a letter,
 * digit, payload byte or one of % & . -), and a valid escape counts no
 * stray sign; the set is checked against mr_escape_suspect() at the
 * first use (escape_benign_agrees), like the classes. Before the query
 * the driver is the plain loop. test_prefilter and fuzz_prefilter hold
 * it to the reference loop on every input. */


static bool escape_benign(unsigned b)
{
    return (mr_pf_benign_hi[b >> 4] & mr_pf_benign_lo[b & 15]) != 0;
}

/* Does mr_escape_suspect() answer false, in the query, on every escape
 * of the set, at the query's start or not, followed by each kind of
 * byte? */
static bool escape_benign_agrees(void)
{
    static const char hex[] = "0123456789abcdef0123456789ABCDEF";
    static const char after[] = "a%8%9%&=%3D";
    for (size_t x = 0; x < 32; x++)
        for (size_t y = 0; y < 32; y++) {
            unsigned b = (unsigned)((x & 15) << 4 | (y & 15));
            if (!escape_benign(b))
                continue;
            for (size_t k = 0; k + 1 < sizeof after; k++) {
                unsigned char s[10] = {'a', '%', (unsigned char)hex[x], (unsigned char)hex[y]};
                for (size_t j = 4; j < sizeof s; j++)
                    s[j] = k + j - 4 < sizeof after - 1 ? (unsigned char)after[k + j - 4] : 'a';
                for (size_t qs = 0; qs < 3; qs++)
                    if (mr_escape_suspect(s, 1, sizeof s, true, qs))
                        return false;
            }
        }
    return true;
}

/* The query's context bytes of a block (blk holds 34 readable bytes):
 * mr_query_bits of prefilter_impl.h. */
__attribute__((target("avx2")))
static inline __attribute__((always_inline)) void query_masks_avx2(const unsigned char *blk,
                                                                   mr_query_bits *m)
{
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)blk);
    __m256i v1 = _mm256_loadu_si256((const __m256i *)(const void *)(blk + 1));
    __m256i v2 = _mm256_loadu_si256((const __m256i *)(const void *)(blk + 2));
    __m256i nib = _mm256_set1_epi8(0x0f);
    /* hex digits: '0'-'9', and 'A'-'F' / 'a'-'f' folded */
    __m256i d1 = _mm256_sub_epi8(v1, _mm256_set1_epi8('0'));
    __m256i d2 = _mm256_sub_epi8(v2, _mm256_set1_epi8('0'));
    __m256i l1 = _mm256_sub_epi8(_mm256_or_si256(v1, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
    __m256i l2 = _mm256_sub_epi8(_mm256_or_si256(v2, _mm256_set1_epi8(0x20)), _mm256_set1_epi8('a'));
    __m256i nine = _mm256_set1_epi8(9), five = _mm256_set1_epi8(5);
    __m256i dig1 = _mm256_cmpeq_epi8(_mm256_min_epu8(d1, nine), d1);
    __m256i dig2 = _mm256_cmpeq_epi8(_mm256_min_epu8(d2, nine), d2);
    __m256i let1 = _mm256_cmpeq_epi8(_mm256_min_epu8(l1, five), l1);
    __m256i let2 = _mm256_cmpeq_epi8(_mm256_min_epu8(l2, five), l2);
    __m256i hex = _mm256_and_si256(_mm256_or_si256(dig1, let1), _mm256_or_si256(dig2, let2));
    /* the nibbles: a digit's low four bits, a letter's plus 9 */
    __m256i n1 = _mm256_add_epi8(_mm256_and_si256(v1, nib), _mm256_and_si256(let1, nine));
    __m256i n2 = _mm256_add_epi8(_mm256_and_si256(v2, nib), _mm256_and_si256(let2, nine));
    __m256i ok = _mm256_and_si256(
        _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(
                                _mm_loadu_si128((const __m128i *)(const void *)mr_pf_benign_hi)),
                            _mm256_and_si256(n1, nib)),
        _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(
                                _mm_loadu_si128((const __m128i *)(const void *)mr_pf_benign_lo)),
                            _mm256_and_si256(n2, nib)));
    __m256i zero = _mm256_setzero_si256();
    __m256i pct = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('%'));
    __m256i plus = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('+'));
    m->eq = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('=')));
    m->amp = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('&')));
    m->pct = (uint32_t)_mm256_movemask_epi8(pct);
    m->pct_ok = (uint32_t)_mm256_movemask_epi8(
        _mm256_and_si256(pct, _mm256_andnot_si256(_mm256_cmpeq_epi8(ok, zero), hex)));
    m->plus = (uint32_t)_mm256_movemask_epi8(plus);
    m->plus_ok = (uint32_t)_mm256_movemask_epi8(
        _mm256_andnot_si256(_mm256_cmpeq_epi8(v1, _mm256_set1_epi8('-')), plus));
}


#define MR_AVX2_READ (32 + 2)   /* bytes a block reads: its own and two after */

/* memcpy of n < MR_AVX2_READ bytes without a call to the library: every
 * target ends in such a block. Overlapping fixed-size copies. */
static inline void copy_tail(unsigned char *dst, const unsigned char *src, size_t n)
{
    if (n >= 16) {
        memcpy(dst, src, 16);
        if (n > 32)
            memcpy(dst + 16, src + 16, 16);
        memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + n - 8, src + n - 8, 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + n - 4, src + n - 4, 4);
    } else if (n > 0) {   /* 1 to 3 bytes (a loop would become a call) */
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

__attribute__((target("avx2")))
static bool raw_suspect_avx2(const char *p, size_t n, bool in_value)
{
    mr_raw_state st;
    mr_raw_state_init(&st, in_value);
    for (size_t i = 0; i < n; i += 32) {
        const unsigned char *blk = (const unsigned char *)p + i;
        unsigned char pad[MR_AVX2_READ];
        size_t left = n - i;
        if (left < MR_AVX2_READ) {
            memset(pad, MR_PAD_BYTE, sizeof pad);
            copy_tail(pad, blk, left);
            blk = pad;
        }
        uint32_t trig, ctx, valid = left < 32 ? ((uint32_t)1 << left) - 1 : ~(uint32_t)0;
        classify_avx2(blk, &trig, &ctx);
        trig &= valid;
        ctx &= valid;
        if (trig)
            return true;
        if (!ctx)
            continue;
        if (st.in_query) {
            mr_query_bits m;
            query_masks_avx2(blk, &m);
            /* an escape needs its two digits before the end (the pad
             * byte 'a' is a hex digit) */
            if (left < MR_AVX2_READ)
                m.pct_ok &= left > 2 ? ((uint64_t)1 << (left - 2)) - 1 : 0;
            if (mr_query_block(p, i, n, valid, &m, &st))
                return true;
        } else if (mr_block_context(p, i, n, ctx, &st)) {
            return true;
        }
    }
    return mr_raw_end(&st, n);
}

/* ---- the literal prefilter, eight windows a step ----
 * The windows (three bytes at each place, folded), their hashes and the
 * bitmap test are mr_literal_maybe's, for eight places at once: the
 * windows are shuffled out of one 16-byte load, the bitmap words
 * gathered. Only the places whose bit is set go to mr_literal_end_at,
 * as in the byte loop; every place from 0 to n - 3 is tested once,
 * so the answer is the loop's. */

/* The places j..j+7 (j + 16 <= n) whose window's bit is set, bit k for
 * place j + k. */
__attribute__((target("avx2")))
static inline __attribute__((always_inline)) unsigned literal_candidates(
    const mr_literal_set *set, const unsigned char *s, size_t j)
{
    const int *words = (const int *)(const void *)set->bits;   /* 32-bit view, little-endian */
    const __m256i windows = _mm256_setr_epi8(0, 1, 2, -1, 1, 2, 3, -1, 2, 3, 4, -1, 3, 4, 5, -1,
                                             4, 5, 6, -1, 5, 6, 7, -1, 6, 7, 8, -1, 7, 8, 9, -1);
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + j));
    __m256i key = _mm256_or_si256(_mm256_shuffle_epi8(_mm256_broadcastsi128_si256(x), windows),
                                  _mm256_set1_epi32(0x202020));
    __m256i h = _mm256_srli_epi32(_mm256_mullo_epi32(key, _mm256_set1_epi32((int)0x9E3779B1u)),
                                  MR_LIT_HASH_SHIFT);
    __m256i word = _mm256_i32gather_epi32(words, _mm256_srli_epi32(h, 5), 4);
    __m256i bit = _mm256_srlv_epi32(word, _mm256_and_si256(h, _mm256_set1_epi32(31)));
    return (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_slli_epi32(bit, 31)));
}

/* mr_literal_ends_scalar's walk: the same places, in the same order. */
__attribute__((target("avx2")))
static size_t literal_ends_avx2(const mr_literal_set *set, const char *p, size_t n,
                                size_t *ends, size_t max, bool *overflow)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t found = 0, j = 0;
    *overflow = false;
    for (; j + 16 <= n; j += 8) {
        unsigned m = literal_candidates(set, s, j);
        while (__builtin_expect(m != 0, 0)) {
            size_t k = j + (size_t)__builtin_ctz(m);
            m &= m - 1;
            if (!mr_pf_keep_end(mr_literal_end_at(set, mr_pf_window3(s, k), p, k, n), ends, max, &found)) {
                *overflow = true;
                return found;
            }
        }
    }
    for (; j + 3 <= n; j++) {
        uint32_t w = mr_pf_window3(s, j);
        if (mr_literal_maybe(set, w) &&
            !mr_pf_keep_end(mr_literal_end_at(set, w, p, j, n), ends, max, &found)) {
            *overflow = true;
            return found;
        }
    }
    return found;
}

#endif /* MR_HAVE_X86 */

/* ---- choosing a level ---- */

#if MR_HAVE_X86

/* Does the classifier of `width` bytes agree with mr_raw_class()? Every
 * byte alone (followed by the pad byte), at the first and the last
 * place of a block, and every byte before and after each byte that
 * takes part in a pair. */
static bool classifier_agrees(classify_fn classify, size_t width)
{
    unsigned char blk[MR_CHECK_BLOCK_MAX + 1];
    for (unsigned c = 0; c < 256; c++) {
        unsigned cls = mr_raw_class((unsigned char)c);
        size_t places[2] = {0, width - 1};
        for (size_t k = 0; k < 2; k++) {
            memset(blk, MR_PAD_BYTE, sizeof blk);
            blk[places[k]] = (unsigned char)c;
            uint64_t trig, ctx;
            classify(blk, &trig, &ctx);
            bool want_trig = (cls & RAW_TRIGGER) != 0;
            bool want_ctx = (cls & RAW_CONTEXT) != 0;
            if (((trig >> places[k]) & 1u) != want_trig || ((ctx >> places[k]) & 1u) != want_ctx)
                return false;
        }
        for (unsigned other = 0; other < 256; other++) {
            unsigned ocls = mr_raw_class((unsigned char)other);
            if (!(ocls & (RAW_SECONDS | (RAW_SECONDS >> 1))) &&
                !(cls & (RAW_SECONDS | (RAW_SECONDS >> 1))))
                continue;
            /* c then other inside the block, and at its end (the pair
             * crosses into the byte after it) */
            size_t ats[2] = {0, width - 1};
            for (size_t k = 0; k < 2; k++) {
                size_t at = ats[k];
                memset(blk, MR_PAD_BYTE, sizeof blk);
                blk[at] = (unsigned char)c;
                blk[at + 1] = (unsigned char)other;
                uint64_t trig, ctx;
                classify(blk, &trig, &ctx);
                bool want = (cls & RAW_TRIGGER) || ((cls << 1) & ocls & RAW_SECONDS);
                if (((trig >> at) & 1u) != want)
                    return false;
            }
        }
    }
    return true;
}

/* The classifiers of 16 and 32 bytes as classify_fn. */
static void check_sse2(const unsigned char *blk, uint64_t *trig, uint64_t *ctx)
{
    uint32_t t, c;
    classify_sse2(blk, &t, &c);
    *trig = t;
    *ctx = c;
}

__attribute__((target("avx2")))
static void check_avx2(const unsigned char *blk, uint64_t *trig, uint64_t *ctx)
{
    uint32_t t, c;
    classify_avx2(blk, &t, &c);
    *trig = t;
    *ctx = c;
}

#endif /* MR_HAVE_X86 */

typedef bool (*raw_fn)(const char *p, size_t n, bool in_value);

static raw_fn raw_impl = mr_raw_suspect_scalar;
static int raw_level = MR_PREFILTER_SCALAR;
static int level_best = MR_PREFILTER_SCALAR;   /* what this CPU and build allow */
static pthread_once_t level_once = PTHREAD_ONCE_INIT;

static raw_fn raw_for(int level)
{
#if MR_HAVE_X86
    return level == MR_PREFILTER_AVX512 ? mr_raw_suspect_avx512
         : level == MR_PREFILTER_AVX2 ? raw_suspect_avx2
         : level == MR_PREFILTER_SSE2 ? raw_suspect_sse2
         : mr_raw_suspect_scalar;
#else
    (void)level;
    return mr_raw_suspect_scalar;
#endif
}

/* Each level only on top of the one below it, and only when its
 * classes and hashes agree with the reference tables. */
static void choose_level(void)
{
    level_best = MR_PREFILTER_SCALAR;
#if MR_HAVE_X86
    if (classifier_agrees(check_sse2, 16))
        level_best = MR_PREFILTER_SSE2;
    __builtin_cpu_init();
    if (level_best == MR_PREFILTER_SSE2 && __builtin_cpu_supports("avx2") &&
        classifier_agrees(check_avx2, 32) && escape_benign_agrees())
        level_best = MR_PREFILTER_AVX2;
    if (level_best == MR_PREFILTER_AVX2 && mr_avx512_usable() &&
        classifier_agrees(mr_classify_avx512, 64) && mr_sketch_hash_agrees_avx512())
        level_best = MR_PREFILTER_AVX512;
#endif
    raw_level = level_best;
    raw_impl = raw_for(raw_level);
}

int mr_prefilter_level(void)
{
    pthread_once(&level_once, choose_level);
    return raw_level;
}

int mr_prefilter_best(void)
{
    pthread_once(&level_once, choose_level);
    return level_best;
}

int mr_prefilter_force(int level)
{
    pthread_once(&level_once, choose_level);
    if (level < MR_PREFILTER_SCALAR || level > level_best)
        return -1;
    raw_level = level;
    raw_impl = raw_for(level);
    return 0;
}

bool mr_raw_suspect(const char *p, size_t n, bool in_value)
{
    pthread_once(&level_once, choose_level);
    return raw_impl(p, n, in_value);
}

size_t mr_literal_ends(const mr_literal_set *set, const char *p, size_t n,
                       size_t *ends, size_t max, bool *overflow)
{
    pthread_once(&level_once, choose_level);
#if MR_HAVE_X86
    if (raw_level == MR_PREFILTER_AVX512)
        return mr_literal_ends_avx512(set, p, n, ends, max, overflow);
    if (raw_level == MR_PREFILTER_AVX2)
        return literal_ends_avx2(set, p, n, ends, max, overflow);
#endif
    return mr_literal_ends_scalar(set, p, n, ends, max, overflow);
}

bool mr_literal_any(const mr_literal_set *set, const char *p, size_t n)
{
    pthread_once(&level_once, choose_level);
#if MR_HAVE_X86
    if (raw_level == MR_PREFILTER_AVX512)
        return mr_pf_any_by_ends(mr_literal_ends_avx512, set, p, n);
    if (raw_level == MR_PREFILTER_AVX2)
        return mr_pf_any_by_ends(literal_ends_avx2, set, p, n);
#endif
    return mr_literal_any_scalar(set, p, n);
}
