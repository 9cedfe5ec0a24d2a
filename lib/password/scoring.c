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
 *
 * Speed: a first pass without the k! term gives, for every position, the
 * cheapest cost of covering the rest, and its covering (with its own k!)
 * an upper bound of the answer; the main program then skips every state
 * whose cost plus that remaining cost plus its own k! already exceeds
 * the bound, which on long passphrases is most of them. The answer is
 * unchanged: a skipped state cannot lead to the minimum.
 */
#include "common.h"

#include <math.h>

#include "password/pw_internal.h"

#define SEG_MAX 12                 /* segments counted in k! */
#define BOUND_SLACK 0.01f          /* float rounding allowance (log10) */
#define UNREACHED_BYTE 0x7fu       /* 0x7f7f7f7f: 3.4e38, a finite float */

static const double log10_fact[SEG_MAX + 1] = {
    0, 0, 0.30103, 0.77815, 1.38021, 2.07918, 2.85733, 3.70243, 4.60552,
    5.55976, 6.55976, 7.60116, 8.68034};

/* log10 of brute-forcing one byte, by its class (mr_pw_byte_class):
 * 10 digits, 26 letters, 33 symbols, 16 per byte of a multi-byte
 * character. */
static const float class_log10[MR_PWC_HIGH * 2] = {
    [MR_PWC_LOWER] = 1.41497f, [MR_PWC_UPPER] = 1.41497f,
    [MR_PWC_DIGIT] = 1.0f, [MR_PWC_SYMBOL] = 1.51851f,
    [MR_PWC_HIGH | MR_PWC_SYMBOL] = 1.20412f};

void mr_pw_brute_init(mr_pw_work *w)
{
    w->brute[0] = 0;
    for (size_t k = 0; k < w->n; k++) {
        w->byte_cost[k] = class_log10[mr_pw_byte_class((unsigned char)w->raw[k])];
        w->brute[k + 1] = w->brute[k] + w->byte_cost[k];
    }
}

/* How the cheapest way to a state came: from which state, by which
 * match (-1: brute force, and then the state is the one the brute-force
 * run began from). Costs are kept apart in a flat array so that setting
 * them all to "unreached" is one memset. */
typedef struct dp_from {
    int16_t pos;        /* -1 = start */
    uint8_t k, b;
    int16_t match;      /* index into w->m, -1 = a brute-force run from
                           pos (the state it began at) */
} dp_from;

/* The matches grouped by start position, in the order they were added
 * (ties go to the first, as before): one contiguous run per position. */
typedef struct dp_edge {
    uint16_t j;
    int16_t m;
    float cost;
} dp_edge;

typedef struct dp_graph {
    uint16_t first[MAMORI_PASSWORD_MAX + 2];  /* edges of p: [first[p],
                                                  first[p + 1]) */
    dp_edge edge[MR_PW_MATCHES_MAX];
} dp_graph;

static void group_matches(const mr_pw_work *w, dp_graph *g)
{
    size_t n = w->n;
    memset(g->first, 0, (n + 2) * sizeof(g->first[0]));
    for (size_t m = 0; m < w->nm; m++)
        g->first[w->m[m].i + 1]++;
    for (size_t p = 0; p <= n; p++)
        g->first[p + 1] = (uint16_t)(g->first[p + 1] + g->first[p]);
    uint16_t fill[MAMORI_PASSWORD_MAX + 1];
    memcpy(fill, g->first, (n + 1) * sizeof(fill[0]));
    for (size_t m = 0; m < w->nm; m++) {
        const mr_pw_match *x = &w->m[m];
        g->edge[fill[x->i]++] = (dp_edge){x->j, (int16_t)m, x->log10_guesses};
    }
}

/* rest[p]: the cheapest sum of segment costs covering [p, n) (no k!).
 * Returns an upper bound of the estimate: the covering from 0 that
 * reaches rest[0], with its segments' k!. */
static float bounds(const mr_pw_work *w, const dp_graph *g, float *rest)
{
    size_t n = w->n;
    uint16_t pick[MAMORI_PASSWORD_MAX];   /* end of the match taken at p,
                                             0 for a brute-force byte */
    size_t next = n;   /* the first position after p with a match */
    rest[n] = 0;
    for (size_t p = n; p-- > 0;) {
        uint16_t end = 0;
        if (g->first[p] == g->first[p + 1]) {
            /* brute force up to the next match: from the prefix sums, so
             * that a long run is not a chain of dependent additions */
            rest[p] = (w->brute[next] - w->brute[p]) + rest[next];
            pick[p] = 0;
            continue;
        }
        next = p;
        float best = w->byte_cost[p] + rest[p + 1];
        /* selects, not branches: which edge wins is a coin toss */
        for (size_t e = g->first[p]; e < g->first[p + 1]; e++) {
            float c = g->edge[e].cost + rest[g->edge[e].j];
            int better = c < best;
            best = better ? c : best;
            end = better ? g->edge[e].j : end;
        }
        rest[p] = best;
        pick[p] = end;
    }
    size_t segs = 0;
    int in_brute = 0;
    for (size_t p = 0; p < n;) {
        if (pick[p]) {
            segs++;
            in_brute = 0;
            p = pick[p];
        } else {
            segs += !in_brute;
            in_brute = 1;
            p++;
        }
    }
    float cover = rest[0] + (float)log10_fact[MR_MIN(segs, (size_t)SEG_MAX)];
    /* brute force alone is one segment: sometimes the tighter bound */
    return MR_MIN(cover, (float)mr_pw_brute_log10(w, 0, n));
}

#define DP_STATES (2 * (SEG_MAX + 1))
#define DP_AT(p, k, b) ((p) * DP_STATES + (k) * 2 + (b))

typedef struct dp_table {
    float cost[(MAMORI_PASSWORD_MAX + 1) * DP_STATES];
    dp_from from[(MAMORI_PASSWORD_MAX + 1) * DP_STATES];
    dp_graph g;
} dp_table;

static void relax(dp_table *t, size_t at, float cost, dp_from from)
{
    /* selects, not a branch: whether a state improves is unpredictable */
    int better = cost < t->cost[at];
    t->cost[at] = better ? cost : t->cost[at];
    t->from[at] = better ? from : t->from[at];
}

double mr_pw_estimate(mr_pw_work *w, mr_pw_match *out, size_t out_max,
                      size_t *nout)
{
    size_t n = w->n;
    /* "unreached": the float whose four bytes are UNREACHED_BYTE, so that
     * one memset marks every state */
    const uint32_t inf_bits = UNREACHED_BYTE * 0x01010101u;
    float inf;
    memcpy(&inf, &inf_bits, sizeof(inf));
    dp_table t;
    float rest[MAMORI_PASSWORD_MAX + 1];
    /* segment counts reached at each position: [klo, khi] */
    uint8_t klo[MAMORI_PASSWORD_MAX + 1], khi[MAMORI_PASSWORD_MAX + 1];

    if (nout)
        *nout = 0;
    if (n == 0)
        return 0;
    memset(t.cost, UNREACHED_BYTE, (n + 1) * DP_STATES * sizeof(t.cost[0]));
    memset(klo, SEG_MAX, n + 1);
    memset(khi, 0, n + 1);
    group_matches(w, &t.g);
    float limit = bounds(w, &t.g, rest) + BOUND_SLACK;
    t.cost[DP_AT(0, 0, 0)] = 0;
    t.from[DP_AT(0, 0, 0)] = (dp_from){-1, 0, 0, -1};
    klo[0] = khi[0] = 0;
    for (size_t p = 0; p < n; p++) {
        float c = w->byte_cost[p];
        size_t e0 = t.g.first[p], e1 = t.g.first[p + 1];
        /* A state is dominated by one with fewer segments and no higher
         * cost (k! only grows): those are skipped. */
        float fewer = inf;
        for (size_t k = klo[p]; k <= khi[p]; k++) {
            const float *here = &t.cost[DP_AT(p, k, 0)];
            /* at least this much more to cover the rest, and k! */
            float floor_rest = rest[p] + (float)log10_fact[k];
            for (int b = 0; b < 2; b++) {
                float cur = here[b];
                if (cur >= inf || cur >= fewer || cur + floor_rest > limit)
                    continue;
                size_t nk = b ? k : MR_MIN(k + 1, SEG_MAX);
                dp_from from = {(int16_t)p, (uint8_t)k, (uint8_t)b, -1};
                /* a brute-force byte that extends a run keeps the state
                 * the run began from, so the walk back skips whole runs */
                relax(&t, DP_AT(p + 1, nk, 1), cur + c,
                      b ? t.from[DP_AT(p, k, 1)] : from);
                klo[p + 1] = (uint8_t)MR_MIN(klo[p + 1], nk);
                khi[p + 1] = (uint8_t)MR_MAX(khi[p + 1], nk);
                size_t mk = MR_MIN(k + 1, SEG_MAX);
                float fact = (float)log10_fact[mk];
                for (size_t e = e0; e < e1; e++) {
                    size_t j = t.g.edge[e].j;
                    float to = cur + t.g.edge[e].cost;
                    /* nor a match that cannot lead under the bound: its
                     * state would widen [klo, khi] for nothing */
                    if (to + rest[j] + fact > limit)
                        continue;
                    from.match = t.g.edge[e].m;
                    relax(&t, DP_AT(j, mk, 0), to, from);
                    klo[j] = (uint8_t)MR_MIN(klo[j], mk);
                    khi[j] = (uint8_t)MR_MAX(khi[j], mk);
                }
            }
            fewer = MR_MIN(fewer, MR_MIN(here[0], here[1]));
        }
    }
    double best = 1e30;
    size_t bk = 0;
    int bb = 0;
    for (size_t k = 1; k <= SEG_MAX; k++)
        for (int b = 0; b < 2; b++) {
            float cost = t.cost[DP_AT(n, k, b)];
            if (cost < inf && cost + log10_fact[k] < best) {
                best = cost + log10_fact[k];
                bk = k;
                bb = b;
            }
        }
    /* Walk back to list the segments: a match, or a whole brute-force
     * run from the state it began at. */
    size_t cnt = 0, p = n, k = bk;
    int b = bb;
    while (p > 0) {
        const dp_from *cell = &t.from[DP_AT(p, k, b)];
        size_t st = (size_t)cell->pos;
        mr_pw_match seg = cell->match >= 0
            ? w->m[cell->match]
            : (mr_pw_match){(uint16_t)st, (uint16_t)p, MR_PWK_BRUTE, 0,
                            (float)mr_pw_brute_log10(w, st, p)};
        if (out && cnt < out_max)
            out[cnt] = seg;
        cnt++;
        k = cell->k;
        b = cell->b;
        p = st;
    }
    if (nout)
        *nout = MR_MIN(cnt, out_max);
    return best;
}
