/*
 * scoring.c — how many guesses a password needs: the cheapest way to
 * cover it with the matches the finders found, brute force between them.
 *
 * Like zxcvbn, an attacker is assumed to try patterns before brute force:
 * the estimate of a covering of k segments is the product of their
 * guesses times k! (the orders they could come in). A dynamic program
 * over byte positions and segment counts finds the minimum; consecutive
 * brute-force bytes form one segment. Brute force costs the size of each
 * byte's class (10 digits, 26 letters, 33 symbols, 16 per byte of a
 * multi-byte character), so a random password stays strong even when a
 * short word or "abc" hides inside it. Everything is log10.
 */
#include "common.h"

#include <math.h>

#include "password/pw_internal.h"

#define SEG_MAX 12                 /* segments counted in k! */
#define MATCH_MIN_LOG10 1.0        /* no multi-byte pattern is cheaper */

static const double log10_fact[SEG_MAX + 1] = {
    0, 0, 0.30103, 0.77815, 1.38021, 2.07918, 2.85733, 3.70243, 4.60552,
    5.55976, 6.55976, 7.60116, 8.68034};

static double byte_log10(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return 1.0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 1.41497;
    if (c >= 0x80)
        return 1.20412;
    return 1.51851;
}

double mr_pw_brute_log10(const mr_pw_work *w, size_t i, size_t j)
{
    if (j > w->n)
        j = w->n;
    return i < j ? (double)(w->brute[j] - w->brute[i]) : 0;
}

void mr_pw_brute_init(mr_pw_work *w)
{
    w->brute[0] = 0;
    for (size_t k = 0; k < w->n; k++)
        w->brute[k + 1] = w->brute[k] +
                          (float)byte_log10((unsigned char)w->raw[k]);
}

void mr_pw_add(mr_pw_work *w, size_t i, size_t j, mr_pw_kind kind,
               unsigned sub, double log10_guesses)
{
    if (j <= i || j > w->n)
        return;
    if (j - i > 1 && log10_guesses < MATCH_MIN_LOG10)
        log10_guesses = MATCH_MIN_LOG10;
    /* A match no cheaper than brute-forcing its bytes can never be part
     * of the cheapest covering (brute force joins its neighbours and adds
     * no segment), so it is not kept. */
    if (log10_guesses >= mr_pw_brute_log10(w, i, j))
        return;
    /* Duplicates (one span found in two variants) are kept: the dynamic
     * program takes the cheaper, and not searching keeps adding O(1). */
    if (w->nm >= MR_PW_MATCHES_MAX)
        return;
    w->m[w->nm++] = (mr_pw_match){(uint16_t)i, (uint16_t)j, (uint8_t)kind,
                                  (uint8_t)sub, (float)log10_guesses};
}

typedef struct dp_cell {
    float cost;
    int16_t from_pos;   /* -1 = start */
    uint8_t from_k, from_b;
    int16_t match;      /* index into w->m, -1 = brute byte */
} dp_cell;

double mr_pw_estimate(mr_pw_work *w, mr_pw_match *out, size_t out_max,
                      size_t *nout)
{
    size_t n = w->n;
    static const float inf = 1e30f;
    dp_cell dp[MAMORI_PASSWORD_MAX + 1][SEG_MAX + 1][2];
    int16_t head[MAMORI_PASSWORD_MAX + 1], next[MR_PW_MATCHES_MAX];

    if (nout)
        *nout = 0;
    if (n == 0)
        return 0;
    for (size_t p = 0; p <= n; p++) {
        head[p] = -1;
        for (size_t k = 0; k <= SEG_MAX; k++)
            for (int b = 0; b < 2; b++)
                dp[p][k][b].cost = inf;
    }
    for (size_t m = w->nm; m-- > 0;) {
        next[m] = head[w->m[m].i];
        head[w->m[m].i] = (int16_t)m;
    }
    dp[0][0][0] = (dp_cell){0, -1, 0, 0, -1};
    for (size_t p = 0; p < n; p++) {
        double c = byte_log10((unsigned char)w->raw[p]);
        /* every segment holds a byte: p bytes make at most p segments */
        size_t ktop = MR_MIN(p, (size_t)SEG_MAX);
        /* A state is dominated by one with fewer segments and no higher
         * cost (k! only grows): those are skipped. */
        float fewer = inf;
        for (size_t k = 0; k <= ktop; k++) {
            float here = MR_MIN(dp[p][k][0].cost, dp[p][k][1].cost);
            for (int b = 0; b < 2; b++) {
                float cur = dp[p][k][b].cost;
                if (cur >= inf || cur >= fewer)
                    continue;
                size_t nk = b ? k : MR_MIN(k + 1, SEG_MAX);
                float nc = (float)(cur + c);
                if (nc < dp[p + 1][nk][1].cost)
                    dp[p + 1][nk][1] = (dp_cell){nc, (int16_t)p, (uint8_t)k,
                                                 (uint8_t)b, -1};
                size_t mk = MR_MIN(k + 1, SEG_MAX);
                for (int16_t m = head[p]; m >= 0; m = next[m]) {
                    size_t e = w->m[m].j;
                    float mc = cur + w->m[m].log10_guesses;
                    if (mc < dp[e][mk][0].cost)
                        dp[e][mk][0] = (dp_cell){mc, (int16_t)p, (uint8_t)k,
                                                 (uint8_t)b, m};
                }
            }
            fewer = MR_MIN(fewer, here);
        }
    }
    double best = 1e30;
    size_t bk = 0;
    int bb = 0;
    for (size_t k = 1; k <= SEG_MAX; k++)
        for (int b = 0; b < 2; b++)
            if (dp[n][k][b].cost < inf &&
                dp[n][k][b].cost + log10_fact[k] < best) {
                best = dp[n][k][b].cost + log10_fact[k];
                bk = k;
                bb = b;
            }
    /* Walk back to list the segments (matches and brute-force runs). */
    size_t cnt = 0, p = n, k = bk, brute_end = SIZE_MAX;
    int b = bb;
    while (p > 0) {
        const dp_cell *cell = &dp[p][k][b];
        mr_pw_match seg;
        int emit = 0;
        if (cell->match >= 0) {
            seg = w->m[cell->match];
            emit = 1;
        } else {
            if (brute_end == SIZE_MAX)
                brute_end = p;
            if (cell->from_b == 0) {
                size_t st = (size_t)cell->from_pos;
                seg = (mr_pw_match){(uint16_t)st, (uint16_t)brute_end,
                                    MR_PWK_BRUTE, 0,
                                    (float)mr_pw_brute_log10(w, st,
                                                             brute_end)};
                emit = 1;
                brute_end = SIZE_MAX;
            }
        }
        if (emit) {
            if (out && cnt < out_max)
                out[cnt] = seg;
            cnt++;
        }
        k = cell->from_k;
        b = cell->from_b;
        p = (size_t)cell->from_pos;
    }
    if (nout)
        *nout = MR_MIN(cnt, out_max);
    return best;
}
