/*
 * patterns.c — sequences (abcdef, 13579, 987654), repeats (aaaa, abcabc,
 * 1212) and zigzags (a1s2d3f4: two walks or sequences interleaved).
 *
 * A sequence is a run of one character class with a constant step of 1
 * to 5; its guesses are the likely starting characters times its length
 * (zxcvbn's estimate). A repeat is a base repeated twice or more; its
 * guesses are the base's own estimate (found by checking the base as a
 * password of its own) times the repeat count. A zigzag alternates two
 * chains each of whose steps is a keyboard neighbour or a +-1..2 step.
 */
#include "common.h"

#include <math.h>

#include "password/pw_internal.h"

#define SEQ_STEP_MAX 5
#define ZIGZAG_MIN 6

/* Lower case, upper case or digit (MR_PWC_*); 0 for anything else. */
static unsigned char_class(unsigned char c)
{
    return mr_pw_byte_class(c) & (MR_PWC_LOWER | MR_PWC_UPPER | MR_PWC_DIGIT);
}

static void add_sequence(mr_pw_work *w, size_t i, size_t j, int delta)
{
    unsigned char c = (unsigned char)w->raw[i];
    double base;
    if (c == 'a' || c == 'A' || c == 'z' || c == 'Z' || c == '0' ||
        c == '1' || c == '9')
        base = 4;
    else
        base = char_class(c) == MR_PWC_DIGIT ? 10 : 26;
    double g = log10(base * (double)(j - i) * (delta < 0 ? 2 : 1) *
                     (delta == 1 || delta == -1 ? 1 : 2));
    mr_pw_add(w, i, j, MR_PWK_SEQUENCE, 0, g);
}

void mr_pw_find_sequences(mr_pw_work *w)
{
    const unsigned char *s = (const unsigned char *)w->raw;
    size_t n = w->n, i = 0;
    /* step[k]: bytes k and k+1 are a step of a sequence (one class, 1 to
     * SEQ_STEP_MAX apart either way); more[k]: how many steps in a row
     * from k on repeat the step before them. One pass without a branch
     * per byte; then a sequence from i ends at i + 1 + more[i + 1]. */
    uint8_t step[MAMORI_PASSWORD_MAX];
    uint16_t more[MAMORI_PASSWORD_MAX + 1];
    if (n < 3)
        return;
    /* backwards, carrying byte k+1's class and step k+1's delta */
    unsigned cls_next = char_class(s[n - 1]);
    int delta_next = 0;
    step[n - 1] = 0;
    more[n] = 0;
    for (size_t k = n - 1; k-- > 0;) {
        int delta = (int)s[k + 1] - (int)s[k];
        unsigned cls = char_class(s[k]);
        step[k] = (uint8_t)((cls != 0) & (cls_next == cls) & (delta != 0) &
                            ((unsigned)(delta + SEQ_STEP_MAX) <=
                             2u * SEQ_STEP_MAX));
        unsigned again = step[k + 1] & (delta_next == delta);
        more[k + 1] = (uint16_t)(again * (more[k + 2] + 1u));
        cls_next = cls;
        delta_next = delta;
    }
    while (i + 2 < n) {
        if (step[i] && more[i + 1] > 0) {
            size_t j = i + 1 + more[i + 1];
            add_sequence(w, i, j + 1, (int)s[i + 1] - (int)s[i]);
            i = j;
        } else {
            i++;
        }
    }
}

double mr_pw_substring_log10(const char *s, size_t n);

#define REPEAT_HASH 256     /* slots of the two-byte index of repeats */

static unsigned pair_hash(const char *s)
{
    return ((unsigned char)s[0] * 31u + (unsigned char)s[1]) % REPEAT_HASH;
}

void mr_pw_find_repeats(mr_pw_work *w)
{
    if (w->skip_repeat)
        return;
    const char *s = w->raw;
    size_t n = w->n;
    /* same[k]: the next position whose two bytes hash like those at k, so
     * the base lengths tried from i are only those where its first two
     * bytes recur (every repeat's do: aaa, abab); 0xffff (none) makes a
     * base too long to try. A collision only costs a comparison. */
    uint16_t same[MAMORI_PASSWORD_MAX], last[REPEAT_HASH];
    if (n < 2)
        return;
    for (size_t k = 0; k + 1 < n; k++)  /* only the slots it uses */
        last[pair_hash(s + k)] = 0xffff;
    same[n - 1] = 0xffff;
    for (size_t k = n - 1; k-- > 0;) {
        unsigned h = pair_hash(s + k);
        same[k] = last[h];
        last[h] = (uint16_t)k;
    }
    for (size_t i = 0; i + 2 <= w->n; i++) {
        size_t best_b = 0, best_r = 0;
        for (size_t b = same[i] - i; i + 2 * b <= w->n;
             b = same[i + b] - i) {
            size_t r = 1;
            /* the copy's last byte first: most candidates fail there,
             * without a call */
            while (i + (r + 1) * b <= w->n &&
                   s[i + (r + 1) * b - 1] == s[i + b - 1] &&
                   memcmp(s + i, s + i + r * b, b) == 0)
                r++;
            if (r >= 2 && r * b > best_r * best_b && (b > 1 || r >= 3)) {
                best_b = b;
                best_r = r;
            }
        }
        if (best_r >= 2) {
            double base = mr_pw_substring_log10(s + i, best_b);
            mr_pw_add(w, i, i + best_b * best_r, MR_PWK_REPEAT, 0,
                      base + log10((double)best_r));
            i += best_b * best_r - 1;
        }
    }
}

/* Is a to b one step of a chain? Without branches: it is asked of
 * every pair of bytes two apart. */
static unsigned chain_step(const uint8_t (*adjacency)[128], unsigned char a,
                           unsigned char b)
{
    unsigned ca = char_class(a);
    unsigned near = (unsigned)((int)b - (int)a + 2) <= 4u && a != b;
    unsigned ascii = (a | b) < 128;
    return (ca != 0 && ca == char_class(b) && near) |
           (ascii && adjacency[a & 127][b & 127] != 0);
}

void mr_pw_find_zigzags(mr_pw_work *w);
void mr_pw_find_zigzags(mr_pw_work *w)
{
    const unsigned char *s = (const unsigned char *)w->raw;
    const uint8_t (*adjacency)[128] = mr_pw_keys_adjacency();
    size_t n = w->n, i = 0;
    /* run[k]: chain steps in a row from k on (step k joins k-2 and k) */
    uint16_t run[MAMORI_PASSWORD_MAX + 1];
    unsigned longest = 0;
    if (n < ZIGZAG_MIN)
        return;
    run[n] = 0;
    for (size_t k = n; k-- > 2;) {
        run[k] = (uint16_t)(chain_step(adjacency, s[k - 2], s[k]) *
                            (run[k + 1] + 1u));
        longest = MR_MAX(longest, run[k]);
    }
    if (longest < ZIGZAG_MIN - 2)
        return;
    while (i + ZIGZAG_MIN <= n) {
        size_t k = i + 2 + run[i + 2];
        if (k - i >= ZIGZAG_MIN) {
            double g = 2 * log10(94 * 4.6) + log10((double)(k - i));
            mr_pw_add(w, i, k, MR_PWK_KEYBOARD, 0, g);
            i = k - 1;
        } else {
            i++;
        }
    }
}
