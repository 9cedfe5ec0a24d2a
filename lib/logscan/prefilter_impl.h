/*
 * prefilter_impl.h — what the vector levels of the pre-filter share:
 * prefilter.c (SSE2, AVX2, the choice of a level) and prefilter_avx512.c
 * (64 bytes a step). Internal to those two files: the nibble tables of
 * the byte classes and of benign escapes, the mask arithmetic of the
 * query's '=' and '&', and the AVX-512 entry points. Nothing here
 * allocates; the tables are read-only.
 */
#ifndef MR_PREFILTER_IMPL_H
#define MR_PREFILTER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logscan/detect_precheck.h"

#define MR_PAD_BYTE 'a'        /* class 0: pads the last block */

/* ---- nibble lookups (a byte is in a class when the bit of its low
 * nibble's entry meets the bit of its high nibble's) ---- */

/* Payload bytes, one bit per rectangle of (high nibble, low nibbles):
 * 1 control 0x00-0x1f; 2 ' "#$ '()*; 4 ;<>; 8 \; 16 `; 32 {|}~ DEL;
 * 64 C0 C1. */
static const uint8_t mr_pf_trig_lo[16] = {
    1 | 2 | 16 | 64, 1 | 64, 1 | 2, 1 | 2, 1 | 2, 1, 1, 1 | 2,
    1 | 2, 1 | 2, 1 | 2, 1 | 4 | 32, 1 | 4 | 8 | 32, 1 | 32, 1 | 4 | 32, 1 | 32,
};
static const uint8_t mr_pf_trig_hi[16] = {
    1, 1, 2, 4, 0, 8, 16, 32, 0, 0, 0, 0, 64, 0, 0, 0,
};
/* The byte itself: 1 %&+, 16 =?, 2 first of a dot pair (. /), 4 '-',
 * 8 '@'. */
static const uint8_t mr_pf_first_lo[16] = {
    8, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 4 | 16, 2, 2 | 16,
};
static const uint8_t mr_pf_first_hi[16] = {
    0, 0, 1 | 2 | 4, 16, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* The byte after: 2 second of a dot pair (.), 4 '-', 8 '@'. */
static const uint8_t mr_pf_second_lo[16] = {
    8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2, 0,
};
static const uint8_t mr_pf_second_hi[16] = {
    0, 0, 2 | 4, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
#define MR_PF_FIRST_CTX 0x11
#define MR_PF_FIRST_PAIRS 0x0e

/* Bytes escape_benign holds, as rectangles of (high nibble, low nibble):
 * 1 {8 9 B D} x any; 2 A x not D; 4 C x 2-F; 8 {E F} x 1-F; 16 2 x {0 1
 * B C} (" " "!" "+" ","); 32 3 x A (":"). UTF-8 text past its lead
 * bytes' overlong forms, and what browsers escape in a query. */
static const uint8_t mr_pf_benign_hi[16] = {
    0, 0, 16, 32, 0, 0, 0, 0, 1, 1, 2, 1, 4, 1, 8, 8,
};
static const uint8_t mr_pf_benign_lo[16] = {
    1 | 2 | 16,     1 | 2 | 8 | 16, 1 | 2 | 4 | 8, 1 | 2 | 4 | 8,
    1 | 2 | 4 | 8,  1 | 2 | 4 | 8,  1 | 2 | 4 | 8, 1 | 2 | 4 | 8,
    1 | 2 | 4 | 8,  1 | 2 | 4 | 8,  1 | 2 | 4 | 8 | 32, 1 | 2 | 4 | 8 | 16,
    1 | 2 | 4 | 8 | 16, 1 | 4 | 8,  1 | 2 | 4 | 8, 1 | 2 | 4 | 8,
};

/* The '=' and '&' of a query block at offset i (bits of eq and amp), as
 * mr_raw_context() would take them one by one: true when one answers
 * true; else st as they leave it. With x = eq | amp, x & ~(x - (y << 1))
 * is the bits of x whose previous bit of x is in y (the borrow of each
 * marker after a y bit stops at the next bit of x, and no two markers
 * share a run: the bits of y are bits of x; a borrow out of the top
 * bit meets no bit of x). Blocks of 32 or 64 bytes. */
static inline bool mr_query_equals_amps(uint64_t eq, uint64_t amp, size_t i, mr_raw_state *st)
{
    uint64_t x = eq | amp;
    if (!x)
        return false;
    uint64_t after_eq = x & ~(x - (eq << 1));
    uint64_t after_amp = x & ~(x - (amp << 1));
    uint64_t first = x & (~x + 1);
    if ((eq & after_eq) || ((first & eq) && st->equals))
        return true;    /* a second '=' in one parameter */
    if (amp & after_amp & ~(amp << 1))
        return true;    /* a bare segment between two '&' */
    if ((first & amp) && st->segment != SIZE_MAX && !st->equals &&
        i + (size_t)__builtin_ctzll(first) > st->segment)
        return true;    /* the same, its first '&' in an earlier block */
    unsigned last = 63u - (unsigned)__builtin_clzll(x);
    st->equals = (eq >> last) & 1u;
    if (amp)
        st->segment = i + (63u - (unsigned)__builtin_clzll(amp)) + 1;
    return false;
}

/* The places of a query block that lie in a parameter's value: after
 * its '=', up to the '&' that ends it; equals: st.equals at the block's
 * start. Exact once mr_query_equals_amps answered false (at most one '='
 * a parameter): then the '=' and the '&' that follow one alternate, and
 * bit k of the prefix XOR of their bits says whether place k is past an
 * '=' not yet closed (a '&' after a '&' closes nothing). */
static inline uint64_t mr_query_values(uint64_t eq, uint64_t amp, bool equals)
{
    uint64_t x = eq | amp;
    uint64_t after_eq = x & ~(x - (eq << 1));
    uint64_t first = x & (~x + 1);
    uint64_t t = eq | (amp & (after_eq | (equals ? first : 0)));
    t ^= t << 1;
    t ^= t << 2;
    t ^= t << 4;
    t ^= t << 8;
    t ^= t << 16;
    t ^= t << 32;
    return equals ? ~t : t;
}

/* A block's context bytes (bit k of ctx: place i + k) through
 * mr_raw_context, in order: true when one answers true. */
static inline bool mr_block_context(const char *p, size_t i, size_t n, uint64_t ctx,
                                    mr_raw_state *st)
{
    while (ctx) {
        size_t k = (size_t)__builtin_ctzll(ctx);
        ctx &= ctx - 1;
        if (mr_raw_context(p, i + k, n, st))
            return true;
    }
    return false;
}

/* The query's context bytes of a block of 32 or 64 (bit k: place i + k):
 * '=', '&', the '%' whose escape is benign, every '%', '+' not before
 * '-', every '+' (query_masks_avx2 in prefilter.c, query_masks512). */
typedef struct mr_query_bits {
    uint64_t eq, amp, pct_ok, pct, plus_ok, plus;
} mr_query_bits;

/* A block of the query (st->in_query), judged from its masks as
 * mr_raw_context would judge its bytes one by one (valid: the places in
 * p[0..n)): its '=' and '&' at once, a '%' in a name, then the '%' and
 * '+' the masks could not clear. */
static inline bool mr_query_block(const char *p, size_t i, size_t n, uint64_t valid,
                                  const mr_query_bits *m, mr_raw_state *st)
{
    uint64_t eq = m->eq & valid, amp = m->amp & valid, pct = m->pct & valid;
    bool start_equals = st->equals;
    if (mr_query_equals_amps(eq, amp, i, st))
        return true;
    if (pct && (pct & ~mr_query_values(eq, amp, start_equals)))
        return true;   /* a '%' in a name (mr_raw_context) */
    /* every '%' left lies in a value, where mr_raw_context must see
     * st->equals set; st is already the block's end */
    bool end_equals = st->equals;
    st->equals = true;
    bool hit = mr_block_context(p, i, n, ((m->pct & ~m->pct_ok) | (m->plus & ~m->plus_ok)) & valid,
                                st);
    st->equals = end_equals;
    return hit;
}

/* The three bytes at s[j] (j + 3 readable) as a window, s[j] lowest. */
static inline uint32_t mr_pf_window3(const unsigned char *s, size_t j)
{
    return (uint32_t)s[j] | (uint32_t)s[j + 1] << 8 | (uint32_t)s[j + 2] << 16;
}

/* mr_literal_any from a level's mr_literal_ends: with room for no end,
 * the first literal found overflows, and the walk stops there. */
typedef size_t (*mr_pf_ends_fn)(const mr_literal_set *set, const char *p, size_t n,
                                size_t *ends, size_t max, bool *overflow);
static inline bool mr_pf_any_by_ends(mr_pf_ends_fn ends_fn, const mr_literal_set *set,
                                     const char *p, size_t n)
{
    bool found;
    ends_fn(set, p, n, NULL, 0, &found);
    return found;
}

/* Keeps the end of a literal found at place k; false when ends is full
 * (at once when max is 0: ends may then be NULL). */
static inline bool mr_pf_keep_end(size_t end, size_t *ends, size_t max, size_t *found)
{
    if (end == 0)
        return true;
    if (*found == max)
        return false;
    ends[(*found)++] = end;
    return true;
}

/* ---- AVX-512 (prefilter_avx512.c; call only where
 * mr_avx512_usable() said yes) ---- */

/* Does the CPU have what prefilter_avx512.c uses (F, BW, VBMI, GFNI)? */
bool mr_avx512_usable(void);
/* The block classifier of 64 bytes (blk holds 65 readable bytes), as
 * classify_avx2 for 32; for the check at first use. */
void mr_classify_avx512(const unsigned char *blk, uint64_t *trig, uint64_t *ctx);
/* Do the vector sketch hashes equal mr_literal_sketch_bit()? */
bool mr_sketch_hash_agrees_avx512(void);
bool mr_raw_suspect_avx512(const char *p, size_t n, bool in_value);
size_t mr_literal_ends_avx512(const mr_literal_set *set, const char *p, size_t n,
                              size_t *ends, size_t max, bool *overflow);

#endif
