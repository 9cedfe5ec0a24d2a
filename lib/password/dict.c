/*
 * dict.c — dictionary and context matches: every substring of 3 to
 * MR_PW_WORD_MAX bytes, in every variant of the password (lower case,
 * look-alikes undone with 1 as i and as l, reversed), looked up in the
 * compiled-in hash table. The prefix bitmap ends a start position's scan
 * as soon as no word begins with what has been read, which keeps a
 * check to a few dozen probes. The user's own context (name, e-mail,
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

/* Both tests take the raw FNV state: one multiply, one load. */
static int prefix_known(uint64_t state)
{
    uint64_t bit = mr_pw_bit_index(state, MR_PW_PREFIX_MULT,
                                   mr_pw_prefix_log2);
    return (mr_pw_prefix_bits[bit >> 6] >> (bit & 63)) & 1;
}

static int word_maybe(uint64_t state)
{
    uint64_t bit = mr_pw_bit_index(state, MR_PW_WORD_MULT, mr_pw_prefix_log2);
    return (mr_pw_word_bits[bit >> 6] >> (bit & 63)) & 1;
}

static int lookup_hash(uint64_t h, unsigned *kind, double *log10_rank)
{
    uint32_t fp = fingerprint(h);
    size_t idx = h & mr_pw_dict_mask;
    for (size_t probes = 0; probes <= mr_pw_dict_mask; probes++) {
        uint32_t v = mr_pw_dict_slots[idx];
        if (v == 0)
            return 0;
        if ((v >> 8) == fp) {
            *kind = (v >> 5) & 7u;
            *log10_rank = (double)(v & 31u) * LOG10_2;
            return 1;
        }
        idx = (idx + 1) & mr_pw_dict_mask;
    }
    return 0;
}

int mr_pw_dict_lookup(const char *s, size_t n, unsigned *kind,
                      double *log10_rank)
{
    uint64_t st = MR_PW_FNV_INIT;
    if (n < 3 || n > MR_PW_WORD_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        st = mr_pw_fnv_step(st, (unsigned char)s[i]);
    return word_maybe(st) && lookup_hash(mr_pw_fmix(st), kind, log10_rank);
}

/* log10 of the ways to capitalize raw[i, j) as it is. */
static double upper_variations(const char *raw, size_t i, size_t j)
{
    unsigned up = 0, lo = 0;
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
    for (size_t k = i; k < j; k++)
        s += v[k] != w->low[k];
    return s;
}

/* Scans variant v; reversed says v is w->rev (positions map back). */
static void scan_variant(mr_pw_work *w, const char *v, int reversed)
{
    size_t n = w->n;
    for (size_t i = 0; i + 3 <= n; i++) {
        uint64_t h = MR_PW_FNV_INIT;
        for (size_t j = i; j < n && j - i < MR_PW_WORD_MAX; j++) {
            h = mr_pw_fnv_step(h, (unsigned char)v[j]);
            if (j - i + 1 < 3)
                continue;
            unsigned kind;
            double lr;
            if (word_maybe(h) && lookup_hash(mr_pw_fmix(h), &kind, &lr)) {
                size_t a = reversed ? n - 1 - j : i;
                size_t b = reversed ? n - i : j + 1;
                unsigned subs = reversed ? 0 : substitutions(w, v, a, b);
                if (v == w->low || reversed || subs > 0) {
                    double g = lr + upper_variations(w->raw, a, b) +
                               subs * LOG10_2 + (reversed ? LOG10_2 : 0);
                    mr_pw_add(w, a, b, MR_PWK_DICT, kind, g);
                }
            }
            if (!prefix_known(h))
                break;
        }
    }
}

void mr_pw_find_dict(mr_pw_work *w)
{
    if (mr_pw_dict_entries == 0)
        return;
    scan_variant(w, w->low, 0);
    if (w->has_leet)
        scan_variant(w, w->leet_i, 0);
    if (w->has_one)
        scan_variant(w, w->leet_l, 0);
    scan_variant(w, w->rev, 1);
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
                double g = upper_variations(w->raw, a, a + len) +
                           (v == 2 ? LOG10_2 : 0) +
                           (v == 1 ? substitutions(w, w->leet_i, a, a + len)
                                         * LOG10_2 : 0);
                mr_pw_add(w, a, a + len, MR_PWK_CONTEXT, 0, g);
            }
        }
    }
}
