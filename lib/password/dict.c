/*
 * dict.c — dictionary and context matches: every substring of 3 to
 * MR_PW_WORD_MAX bytes, in every variant of the password (lower case,
 * look-alikes undone with 1 as i and as l, reversed), looked up in the
 * compiled-in hash table (the reversed one for common words of four
 * bytes or more only). The prefix bitmaps (pw_data.h: a trigram table
 * for three bytes, a small bitmap for four, a large one for five and
 * more; a small one of the common words for a reversed password) end a
 * start position's scan as soon as no word begins with what has been
 * read, which keeps a check to a few dozen probes. A look-alike
 * variant is scanned only from where it differs from the variant before
 * it; all start positions advance together, one byte a round, so that
 * their cache misses overlap. The user's own context (name, e-mail,
 * service) is searched the same way, as words of rank 1.
 */
#include "common.h"

#include <math.h>

#include "password/pw_data.h"
#include "password/pw_hash.h"
#include "password/pw_internal.h"

#define LOG10_2 0.30102999566398120

static uint32_t fingerprint(uint64_t h)
{
    uint32_t fp = (uint32_t)((h >> 40) & 0xffffffu);
    return fp ? fp : 1;
}

/* MR_PW_TRI_CODE of every byte, as a table: no branch per byte */
static const uint8_t tri_codes[256] = {MR_PW_BYTES_256(MR_PW_TRI_CODE)};

/* A bitmap of prefix and word bits (pw_data.h): the whole dictionary's,
 * or the common words' that a reversed password is searched for. */
typedef struct bitmap {
    const uint64_t *bits;
    unsigned log2;
} bitmap;

/* The two bits of a raw FNV state: one multiply, one load. */
#define BIT_PREFIX 1u
#define BIT_WORD 2u
static unsigned slot_bits(bitmap map, uint64_t state)
{
    uint64_t k = mr_pw_bit_index(state, MR_PW_PREFIX_MULT, map.log2);
    return (unsigned)(map.bits[k >> 5] >> ((k & 31) * 2)) & 3u;
}

/* The bitmap that answers for substrings of len bytes: 4 and more, or
 * any length when reversed (the trigram table answers 3 otherwise). */
static bitmap bitmap_for(int reversed, size_t len)
{
    return reversed   ? (bitmap){mr_pw_rev_bits, mr_pw_rev_log2}
           : len == 4 ? (bitmap){mr_pw_quad_bits, mr_pw_quad_log2}
                      : (bitmap){mr_pw_prefix_bits, mr_pw_prefix_log2};
}

/* The table's entry for a hash: 1 and the word's kind and log2 of its
 * rank (as stored, rounded up) when found. */
static int lookup_hash(uint64_t h, unsigned *kind, unsigned *log2_rank)
{
    uint32_t fp = fingerprint(h);
    size_t idx = h & mr_pw_dict_mask;
    for (size_t probes = 0; probes <= mr_pw_dict_mask; probes++) {
        uint32_t v = mr_pw_dict_slots[idx];
        if (v == 0)
            return 0;
        if ((v >> 8) == fp) {
            *kind = (v >> 5) & 7u;
            *log2_rank = v & 31u;
            return 1;
        }
        idx = (idx + 1) & mr_pw_dict_mask;
    }
    return 0;
}

int mr_pw_dict_lookup(uint64_t hash, size_t n, unsigned *kind,
                      double *log10_rank)
{
    if (n < 3 || n > MR_PW_WORD_MAX)
        return 0;
    /* no bitmap test: the bitmaps leave out words too rare to matter
     * inside a password, and this asks about any word */
    unsigned log2_rank;
    if (!lookup_hash(hash, kind, &log2_rank))
        return 0;
    *log10_rank = log2_rank * LOG10_2;
    return 1;
}

/* log10 of the ways to capitalize raw[i, j) as it is. */
static double upper_variations(const mr_pw_work *w, size_t i, size_t j)
{
    const char *raw = w->raw;
    unsigned up = 0, lo = 0;
    if (!w->has_upper)
        return 0;
    for (size_t k = i; k < j; k++) {
        unsigned char c = (unsigned char)raw[k];
        up += c >= 'A' && c <= 'Z';
        lo += c >= 'a' && c <= 'z';
    }
    if (up == 0)
        return 0;
    int first = raw[i] >= 'A' && raw[i] <= 'Z';
    int last = raw[j - 1] >= 'A' && raw[j - 1] <= 'Z';
    if (lo == 0 || (up == 1 && (first || last)))
        return LOG10_2;
    /* sum of C(up+lo, k) for k <= min(up, lo), bounded by 2^(up+lo) */
    unsigned small = MR_MIN(up, lo), total = up + lo;
    double sum = 0, c = 1;
    for (unsigned k = 1; k <= small; k++) {
        c = c * (double)(total - k + 1) / (double)k;
        sum += c;
    }
    return log10(sum > 1 ? sum : 2);
}

static unsigned substitutions(const mr_pw_work *w, const char *v, size_t i,
                              size_t j)
{
    unsigned s = 0;
    if (v == w->low)
        return 0;
    for (size_t k = i; k < j; k++)
        s += v[k] != w->low[k];
    return s;
}

/* The start positions being extended, all by one byte a round, so that
 * every item of a round covers `len` bytes: v[start, start + len), with
 * h its FNV state. Substrings ending before from[k] are the same bytes
 * as in a variant scanned before (so already looked up, and their
 * prefixes known): they are hashed but not probed. A round's candidate
 * words (hits) are kept the same way. */
typedef struct scan_state {
    uint64_t h[MAMORI_PASSWORD_MAX];
    uint16_t start[MAMORI_PASSWORD_MAX];
    uint16_t from[MAMORI_PASSWORD_MAX];
    uint64_t hit_h[MAMORI_PASSWORD_MAX];     /* FNV state, then the hash */
    uint16_t hit_start[MAMORI_PASSWORD_MAX];
    /* reach[i]: the last byte a scan from i read before the prefix
     * bitmap stopped it (or the end); a variant equal to the one scanned
     * before up to reach[i] needs no scan of its own from i */
    uint16_t reach[MAMORI_PASSWORD_MAX];
    uint16_t diff[MAMORI_PASSWORD_MAX + 1];  /* next position that differs */
} scan_state;

/* One candidate word, v[start, start + len): looked up, and added as a
 * match when found. */
static void emit_hit(mr_pw_work *w, const char *v, int reversed, uint64_t h,
                     size_t start, size_t len)
{
    unsigned kind, log2_rank;
    size_t n = w->n;
    /* reversed, a common word only: the small bitmap lets a rare one
     * through by a collision now and then */
    if (!lookup_hash(h, &kind, &log2_rank) ||
        (reversed && log2_rank > mr_pw_rev_rank_log2_max))
        return;
    double lr = log2_rank * LOG10_2;
    size_t a = reversed ? n - start - len : start;
    size_t b = a + len;
    unsigned subs = reversed ? 0 : substitutions(w, v, a, b);
    if (v == w->low || reversed || subs > 0) {
        double g = lr + upper_variations(w, a, b) + subs * LOG10_2 +
                   (reversed ? LOG10_2 : 0);
        mr_pw_add(w, a, b, MR_PWK_DICT, kind, g);
    }
}

/* Looks up a round's candidate words of len bytes: their table slots
 * fetched together first, so that the cache misses overlap. */
static void emit_hits(mr_pw_work *w, scan_state *st, size_t nhits,
                      const char *v, int reversed, size_t len)
{
    for (size_t k = 0; k < nhits; k++) {
        st->hit_h[k] = mr_pw_fmix(st->hit_h[k]);
        __builtin_prefetch(&mr_pw_dict_slots[st->hit_h[k] & mr_pw_dict_mask]);
    }
    for (size_t k = 0; k < nhits; k++)
        emit_hit(w, v, reversed, st->hit_h[k], st->hit_start[k], len);
}

/* Scans the items (of 3 bytes) breadth first, one byte longer per round:
 * the bitmap loads of different start positions do not wait on each
 * other. Only a look-alike variant (after_prev) has items that skip
 * probes (from); the others are scanned without asking. */
static inline void scan_items(mr_pw_work *w, scan_state *st, size_t nitems,
                              const char *v, int reversed, int after_prev)
{
    size_t n = w->n;
    for (size_t len = 3; nitems > 0 && len < MR_PW_WORD_MAX; len++) {
        size_t live = 0, nhits = 0;
        bitmap map = bitmap_for(reversed, len + 1);
        /* No branch depends on a bitmap load here (survivors and hits are
         * written always and counted by the bits), so a mispredicted
         * branch never waits on a miss and the loads all overlap. */
        for (size_t k = 0; k < nitems; k++) {
            size_t start = st->start[k], j = start + len;
            uint64_t h = mr_pw_fnv_step(st->h[k], (unsigned char)v[j]);
            unsigned bits = !after_prev || j >= st->from[k]
                                ? slot_bits(map, h) : BIT_PREFIX;
            st->hit_h[nhits] = h;
            st->hit_start[nhits] = (uint16_t)start;
            nhits += bits >> 1;
            st->reach[start] = (uint16_t)j;
            st->h[live] = h;
            st->start[live] = (uint16_t)start;
            if (after_prev)
                st->from[live] = st->from[k];
            live += (bits & BIT_PREFIX) & (j + 1 < n);
        }
        emit_hits(w, st, nhits, v, reversed, len + 1);
        nitems = live;
    }
}

/* The first round of v's scan: every start position whose scan is not a
 * repeat of the variant `prev` scanned before (prev NULL: all of them)
 * reads its first three bytes, which the trigram table answers (the
 * small bitmap of common words, reversed); the three-byte words are
 * looked up and the starts some longer word may begin with are queued
 * as items for scan_items. */
static size_t queue_starts(mr_pw_work *w, scan_state *st, const char *v,
                           const char *prev, int reversed)
{
    size_t n = w->n, nitems = 0, nhits = 0;
    if (prev) {
        st->diff[n] = (uint16_t)n;
        for (size_t k = n; k-- > 0;)
            st->diff[k] = v[k] == prev[k] ? st->diff[k + 1] : (uint16_t)k;
    }
    for (size_t i = 0; i + 3 <= n; i++) {
        size_t from = i + 2;
        if (prev) {
            size_t f = st->diff[i];
            /* no differing byte within reach: every substring from i is
             * one prev had, or one prev's prefixes already ruled out */
            if (f >= n || f - i >= MR_PW_WORD_MAX || f > st->reach[i])
                continue;
            from = MR_MAX(from, f);
        }
        uint64_t h = MR_PW_FNV_INIT;
        h = mr_pw_fnv_step(h, (unsigned char)v[i]);
        h = mr_pw_fnv_step(h, (unsigned char)v[i + 1]);
        h = mr_pw_fnv_step(h, (unsigned char)v[i + 2]);
        unsigned bits = BIT_PREFIX;
        if (reversed) {
            /* three reversed letters are chance, not a word: prefix only */
            bits = slot_bits(bitmap_for(1, 3), h) & BIT_PREFIX;
        } else if (from == i + 2) {
            unsigned k3 = (unsigned)tri_codes[(unsigned char)v[i]] << 12 |
                          (unsigned)tri_codes[(unsigned char)v[i + 1]] << 6 |
                          tri_codes[(unsigned char)v[i + 2]];
            bits = (unsigned)(mr_pw_tri_bits[k3 >> 5] >> ((k3 & 31) * 2)) & 3u;
        }
        st->hit_h[nhits] = h;
        st->hit_start[nhits] = (uint16_t)i;
        nhits += bits >> 1;
        st->reach[i] = (uint16_t)(i + 2);
        st->h[nitems] = h;
        st->start[nitems] = (uint16_t)i;
        st->from[nitems] = (uint16_t)from;
        nitems += (bits & BIT_PREFIX) & (i + 3 < n);
    }
    emit_hits(w, st, nhits, v, reversed, 3);
    return nitems;
}

void mr_pw_find_dict(mr_pw_work *w)
{
    scan_state st;
    if (mr_pw_dict_entries == 0 || w->n < 3)
        return;
    /* lower case; then look-alikes with 1 as i, only where they differ
     * from it; then 1 as l, only where that differs from 1 as i (a
     * variant's reach starts as its predecessor's, which it equals
     * where it was not scanned) */
    scan_items(w, &st, queue_starts(w, &st, w->low, NULL, 0), w->low, 0, 0);
    if (w->has_leet)
        scan_items(w, &st, queue_starts(w, &st, w->leet_i, w->low, 0),
                   w->leet_i, 0, 1);
    if (w->has_one)
        scan_items(w, &st, queue_starts(w, &st, w->leet_l, w->leet_i, 0),
                   w->leet_l, 0, 1);
    scan_items(w, &st, queue_starts(w, &st, w->rev, NULL, 1), w->rev, 1, 0);
}

/* Finds needle in hay[0, n) from `from`; the index or n. */
static size_t find_from(const char *hay, size_t n, size_t from,
                        const char *needle, size_t len)
{
    for (size_t i = from; i + len <= n; i++)
        if (memcmp(hay + i, needle, len) == 0)
            return i;
    return n;
}

void mr_pw_find_context(mr_pw_work *w)
{
    const char *variants[3] = {w->low, w->leet_i, w->rev};
    for (size_t c = 0; c < w->nctx; c++) {
        size_t len = w->ctx_len[c];
        for (size_t v = 0; v < 3; v++) {
            for (size_t i = 0; (i = find_from(variants[v], w->n, i,
                                              w->ctx[c], len)) < w->n; i++) {
                size_t a = v == 2 ? w->n - i - len : i;
                double g = upper_variations(w, a, a + len) +
                           (v == 2 ? LOG10_2 : 0) +
                           (v == 1 ? substitutions(w, w->leet_i, a, a + len)
                                         * LOG10_2 : 0);
                mr_pw_add(w, a, a + len, MR_PWK_CONTEXT, 0, g);
            }
        }
    }
}
