/*
 * prefilter_avx512.c — the pre-filter of detect_precheck.h 64 bytes a
 * step, on CPUs with AVX-512 F, BW and VBMI, and GFNI (prefilter.c
 * chooses it at run time, after checking the classifier and the sketch
 * hashes here against the reference tables and functions):
 *  - the raw pre-check (mr_raw_suspect): the byte classes of
 *    classify_avx2 with vpshufb nibble lookups on zmm registers, straight
 *    into 64-bit k-masks, and the query's context bytes with masks as in
 *    raw_suspect_avx2 (prefilter.c says why both are exact). The last
 *    block is read with masked loads that fill with the pad byte: the
 *    same bytes as the AVX2 driver's padded copy, without the copy.
 *  - the literal prefilter (mr_literal_any, mr_literal_ends) without
 *    gathers: at each of 64 places a first stage looks the window up in
 *    the set's four sketches (mr_literal_set.sketch: 1024 bits each, in
 *    two registers), hashed with GF2P8AFFINEQB (a GF(2) matrix per byte,
 *    the fold included), the byte fetched with vpermi2b, the bit picked
 *    with vpshufb. Only a place found in all four (0.20% of the places
 *    of real-shaped targets, most of them anchors indeed; 0.64% with
 *    three sketches, 7.3% with tests of pairs of bytes) goes on to
 *    mr_literal_maybe and mr_literal_end_at, as in the byte loop. Why
 *    that is exact: a place ends a literal only when its window's key
 *    is an anchor key (mr_literal_end_at looks the key up), and the
 *    sketches hold every anchor key, so every such place passes; places
 *    are taken in increasing order, so the ends, their order and the
 *    overflow are the loop's.
 * On other CPUs and architectures only mr_avx512_usable() is called, and
 * says no.
 */
#include "common.h"

#include "logscan/prefilter_impl.h"

#if defined(__x86_64__)

#include <immintrin.h>

#define MR_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi,gfni")))
#define MR_AVX512_READ (64 + 2)   /* bytes a block reads: its own and two after */

bool mr_avx512_usable(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("gfni");
}

MR_AVX512_TARGET
static inline __m512i table512(const uint8_t t[16])
{
    return _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)t));
}

/* The bytes p[0..n) (n may be 0), then `fill` up to 64: a masked load,
 * which reads nothing past n. */
MR_AVX512_TARGET
static inline __m512i load_upto(const unsigned char *p, size_t n, int fill)
{
    __mmask64 m = n >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << n) - 1;
    return _mm512_mask_loadu_epi8(_mm512_set1_epi8((char)fill), m, p);
}

MR_AVX512_TARGET
static inline __m512i load64(const unsigned char *p)
{
    return _mm512_loadu_si512((const void *)p);
}

/* ---- the raw pre-check ---- */

/* v: the block, v1: the bytes one after. Bits as classify_avx2's. */
MR_AVX512_TARGET
static inline __attribute__((always_inline)) void classify512(__m512i v, __m512i v1,
                                                              uint64_t *trig, uint64_t *ctx)
{
    __m512i nib = _mm512_set1_epi8(0x0f);
    __m512i lo = _mm512_and_si512(v, nib);
    __m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), nib);
    __m512i lo1 = _mm512_and_si512(v1, nib);
    __m512i hi1 = _mm512_and_si512(_mm512_srli_epi16(v1, 4), nib);
    __mmask64 t = _mm512_test_epi8_mask(_mm512_shuffle_epi8(table512(mr_pf_trig_lo), lo),
                                        _mm512_shuffle_epi8(table512(mr_pf_trig_hi), hi));
    __m512i f = _mm512_and_si512(_mm512_shuffle_epi8(table512(mr_pf_first_lo), lo),
                                 _mm512_shuffle_epi8(table512(mr_pf_first_hi), hi));
    __m512i s = _mm512_and_si512(_mm512_shuffle_epi8(table512(mr_pf_second_lo), lo1),
                                 _mm512_shuffle_epi8(table512(mr_pf_second_hi), hi1));
    __mmask64 pair = _mm512_test_epi8_mask(_mm512_and_si512(f, s),
                                           _mm512_set1_epi8(MR_PF_FIRST_PAIRS));
    *trig = t | pair;
    *ctx = _mm512_test_epi8_mask(f, _mm512_set1_epi8(MR_PF_FIRST_CTX));
}

MR_AVX512_TARGET
void mr_classify_avx512(const unsigned char *blk, uint64_t *trig, uint64_t *ctx)
{
    classify512(load64(blk), load64(blk + 1), trig, ctx);
}

/* The query's context bytes of a block (mr_query_bits), as
 * query_masks_avx2 (prefilter.c). */
MR_AVX512_TARGET
static inline __attribute__((always_inline)) void query_masks512(__m512i v, __m512i v1,
                                                                 __m512i v2, mr_query_bits *m)
{
    __m512i nib = _mm512_set1_epi8(0x0f), nine = _mm512_set1_epi8(9);
    __m512i five = _mm512_set1_epi8(5), zero = _mm512_set1_epi8('0');
    __m512i fold = _mm512_set1_epi8(0x20), a = _mm512_set1_epi8('a');
    /* hex digits: '0'-'9', and 'A'-'F' / 'a'-'f' folded */
    __mmask64 dig1 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v1, zero), nine);
    __mmask64 dig2 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(v2, zero), nine);
    __mmask64 let1 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(v1, fold), a), five);
    __mmask64 let2 = _mm512_cmple_epu8_mask(_mm512_sub_epi8(_mm512_or_si512(v2, fold), a), five);
    __mmask64 hex = (dig1 | let1) & (dig2 | let2);
    /* the nibbles: a digit's low four bits, a letter's plus 9 */
    __m512i n1 = _mm512_and_si512(v1, nib), n2 = _mm512_and_si512(v2, nib);
    n1 = _mm512_and_si512(_mm512_mask_add_epi8(n1, let1, n1, nine), nib);
    n2 = _mm512_and_si512(_mm512_mask_add_epi8(n2, let2, n2, nine), nib);
    __mmask64 ok = _mm512_test_epi8_mask(_mm512_shuffle_epi8(table512(mr_pf_benign_hi), n1),
                                         _mm512_shuffle_epi8(table512(mr_pf_benign_lo), n2));
    __mmask64 pct = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('%'));
    __mmask64 plus = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('+'));
    m->eq = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('='));
    m->amp = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('&'));
    m->pct = pct;
    m->pct_ok = pct & ok & hex;
    m->plus = plus;
    m->plus_ok = plus & ~_mm512_cmpeq_epi8_mask(v1, _mm512_set1_epi8('-'));
}

MR_AVX512_TARGET
bool mr_raw_suspect_avx512(const char *p, size_t n, bool in_value)
{
    const unsigned char *s = (const unsigned char *)p;
    mr_raw_state st;
    mr_raw_state_init(&st, in_value);
    for (size_t i = 0; i < n; i += 64) {
        const unsigned char *blk = s + i;
        size_t left = n - i;
        bool tail = left < MR_AVX512_READ;
        __m512i v = tail ? load_upto(blk, left, MR_PAD_BYTE) : load64(blk);
        __m512i v1 = tail ? load_upto(blk + 1, left - 1, MR_PAD_BYTE) : load64(blk + 1);
        uint64_t trig, ctx, valid = left < 64 ? ((uint64_t)1 << left) - 1 : ~(uint64_t)0;
        classify512(v, v1, &trig, &ctx);
        if (trig & valid)
            return true;
        ctx &= valid;
        if (!ctx)
            continue;
        if (st.in_query) {
            mr_query_bits m;
            /* (blk + 2 is not formed past the end: one past it is the
             * last pointer C allows) */
            __m512i v2 = !tail ? load64(blk + 2)
                       : left > 2 ? load_upto(blk + 2, left - 2, MR_PAD_BYTE)
                                  : _mm512_set1_epi8((char)MR_PAD_BYTE);
            query_masks512(v, v1, v2, &m);
            /* an escape needs its two digits before the end (the pad
             * byte 'a' is a hex digit) */
            if (tail)
                m.pct_ok &= left > 2 ? ((uint64_t)1 << (left - 2)) - 1 : 0;
            if (mr_query_block(p, i, n, valid, &m, &st))
                return true;
        } else if (mr_block_context(p, i, n, ctx, &st)) {
            return true;
        }
    }
    return mr_raw_end(&st, n);
}

/* ---- the literal prefilter ---- */

/* The sketch tables of a set, two registers each, and the matrices of
 * their hashes, broadcast. */
typedef struct sketches {
    __m512i lo[MR_LIT_SKETCHES], hi[MR_LIT_SKETCHES];
    __m512i m[MR_LIT_SKETCHES][2][3];
} sketches;

MR_AVX512_TARGET
static inline void load_matrices(sketches *t)
{
    for (size_t k = 0; k < MR_LIT_SKETCHES; k++)
        for (size_t h = 0; h < 2; h++)
            for (size_t b = 0; b < 3; b++)
                t->m[k][h][b] = _mm512_set1_epi64((long long)mr_literal_sketch_matrix[k][h][b]);
}

MR_AVX512_TARGET
static inline void load_sketches(const mr_literal_set *set, sketches *t)
{
    for (size_t k = 0; k < MR_LIT_SKETCHES; k++) {
        t->lo[k] = load64(set->sketch[k]);
        t->hi[k] = load64(set->sketch[k] + 64);
    }
    load_matrices(t);
}

/* mr_literal_sketch_bit(k, ...) in byte lanes, for the windows whose
 * bytes are v0, v1, v2: the byte of the table (vpermi2b reads its low
 * seven bits) and the bit in it, as a mask. */
MR_AVX512_TARGET
static inline __attribute__((always_inline)) void sketch_hash(const sketches *t, size_t k,
                                                              __m512i v0, __m512i v1, __m512i v2,
                                                              __m512i *byte, __m512i *mask)
{
    const __m512i bitsel = _mm512_broadcast_i32x4(
        _mm_setr_epi8(1, 2, 4, 8, 16, 32, 64, (char)128, 0, 0, 0, 0, 0, 0, 0, 0));
    /* 0x96: the XOR of three */
    *byte = _mm512_ternarylogic_epi64(_mm512_gf2p8affine_epi64_epi8(v0, t->m[k][0][0], 0),
                                      _mm512_gf2p8affine_epi64_epi8(v1, t->m[k][0][1], 0),
                                      _mm512_gf2p8affine_epi64_epi8(v2, t->m[k][0][2], 0), 0x96);
    __m512i bit = _mm512_ternarylogic_epi64(_mm512_gf2p8affine_epi64_epi8(v0, t->m[k][1][0], 0),
                                            _mm512_gf2p8affine_epi64_epi8(v1, t->m[k][1][1], 0),
                                            _mm512_gf2p8affine_epi64_epi8(v2, t->m[k][1][2], 0),
                                            0x96);
    *mask = _mm512_shuffle_epi8(bitsel, bit);
}

/* The places k of a block (v0, v1, v2: the bytes at k, k + 1, k + 2)
 * whose window is in every sketch. */
MR_AVX512_TARGET
static inline __attribute__((always_inline)) uint64_t sketch_hits(const sketches *t, __m512i v0,
                                                                  __m512i v1, __m512i v2)
{
    __mmask64 hits = ~(__mmask64)0;
    for (size_t k = 0; k < MR_LIT_SKETCHES; k++) {
        __m512i byte, mask;
        sketch_hash(t, k, v0, v1, v2, &byte, &mask);
        hits &= _mm512_test_epi8_mask(_mm512_permutex2var_epi8(t->lo[k], byte, t->hi[k]), mask);
    }
    return hits;
}

/* The candidates of the block at j (j + 3 <= n): places from j whose
 * window is in the sketches, bit k for place j + k. */
MR_AVX512_TARGET
static inline __attribute__((always_inline)) uint64_t block_candidates(const sketches *t,
                                                                       const unsigned char *s,
                                                                       size_t j, size_t n)
{
    size_t left = n - j;
    if (left >= MR_AVX512_READ)
        return sketch_hits(t, load64(s + j), load64(s + j + 1), load64(s + j + 2));
    /* places k with k + 3 <= left; bytes past n read as 0 and unused */
    uint64_t m = sketch_hits(t, load_upto(s + j, left, 0), load_upto(s + j + 1, left - 1, 0),
                             load_upto(s + j + 2, left - 2, 0));
    return m & (((uint64_t)1 << (left - 2)) - 1);
}

MR_AVX512_TARGET
size_t mr_literal_ends_avx512(const mr_literal_set *set, const char *p, size_t n, size_t *ends,
                              size_t max, bool *overflow)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t found = 0;
    sketches t;
    load_sketches(set, &t);
    *overflow = false;
    for (size_t j = 0; j + 3 <= n; j += 64) {
        uint64_t m = block_candidates(&t, s, j, n);
        while (__builtin_expect(m != 0, 0)) {
            size_t k = j + (size_t)__builtin_ctzll(m);
            m &= m - 1;
            uint32_t w = mr_pf_window3(s, k);
            if (mr_literal_maybe(set, w) &&
                !mr_pf_keep_end(mr_literal_end_at(set, w, p, k, n), ends, max, &found)) {
                *overflow = true;
                return found;
            }
        }
    }
    return found;
}

/* The hashes are linear in the window's 24 bits (XORs of matrix
 * products, over GF(2)): agreeing on the windows of one bit each shows
 * that the layout of the matrices is the one the scalar hash reads, and
 * 232 windows of random bytes check the rest. */
MR_AVX512_TARGET
bool mr_sketch_hash_agrees_avx512(void)
{
    sketches t;
    load_matrices(&t);
    uint8_t v[3][64], byte[64], mask[64];
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (unsigned round = 0; round < 4; round++) {
        for (unsigned k = 0; k < 64; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            uint32_t w = round == 0 && k < 24 ? (uint32_t)1 << k : (uint32_t)x;
            for (unsigned b = 0; b < 3; b++)
                v[b][k] = (uint8_t)(w >> (8 * b));
        }
        for (size_t h = 0; h < MR_LIT_SKETCHES; h++) {
            __m512i by, ma;
            sketch_hash(&t, h, load64(v[0]), load64(v[1]), load64(v[2]), &by, &ma);
            _mm512_storeu_si512((void *)byte, by);
            _mm512_storeu_si512((void *)mask, ma);
            for (unsigned k = 0; k < 64; k++) {
                uint32_t w = (uint32_t)v[0][k] | (uint32_t)v[1][k] << 8 | (uint32_t)v[2][k] << 16;
                unsigned want = mr_literal_sketch_bit(h, w);
                if ((byte[k] & 0x7fu) != want >> 3 || mask[k] != 1u << (want & 7))
                    return false;
            }
        }
    }
    return true;
}

#else /* not x86-64 */

bool mr_avx512_usable(void)
{
    return false;
}

#endif
