/*
 * pw_internal.h — what the parts of the password checker share: the
 * working copy of one password in its variants (lower case, look-alikes
 * undone, reversed), the matches the pattern finders add, and the
 * functions of each finder. One mr_pw_work lives on the checker's stack
 * for one check and is wiped (explicit_bzero) before the check returns.
 *
 * Positions are byte offsets into the password; a match covers [i, j).
 * Guesses are kept as log10 so that long passwords never overflow.
 */
#ifndef MR_PW_INTERNAL_H
#define MR_PW_INTERNAL_H

#include "mamori/password.h"
#include "password/fuse.h"

#define MR_PW_WORD_MAX 24          /* longest dictionary word looked up */
#define MR_PW_MATCHES_MAX 1024     /* matches kept per password */
#define MR_PW_CONTEXT_MAX 16       /* context words per check */
#define MR_PW_CONTEXT_WORD_MAX 64  /* bytes per context word */

typedef enum mr_pw_kind {
    MR_PWK_DICT = 0,     /* sub = MR_PW_DICT_* */
    MR_PWK_KEYBOARD,
    MR_PWK_SEQUENCE,
    MR_PWK_REPEAT,
    MR_PWK_DATE,
    MR_PWK_CONTEXT,
    MR_PWK_BRUTE         /* only in the decomposition, never added */
} mr_pw_kind;

/* What kind of byte: one bit each, so a password's kinds are their OR.
 * Bytes of multi-byte characters count as symbols too. */
enum {
    MR_PWC_LOWER = 1,
    MR_PWC_UPPER = 2,
    MR_PWC_DIGIT = 4,
    MR_PWC_SYMBOL = 8,
    MR_PWC_HIGH = 16
};

/* A 256-entry table of F(byte) written out by the preprocessor, for
 * per-byte answers in one load instead of a chain of comparisons. */
#define MR_PW_BYTES_16(F, b)                                                \
    F(b), F(b + 1), F(b + 2), F(b + 3), F(b + 4), F(b + 5), F(b + 6),       \
    F(b + 7), F(b + 8), F(b + 9), F(b + 10), F(b + 11), F(b + 12),          \
    F(b + 13), F(b + 14), F(b + 15)
#define MR_PW_BYTES_256(F)                                                  \
    MR_PW_BYTES_16(F, 0x00), MR_PW_BYTES_16(F, 0x10),                       \
    MR_PW_BYTES_16(F, 0x20), MR_PW_BYTES_16(F, 0x30),                       \
    MR_PW_BYTES_16(F, 0x40), MR_PW_BYTES_16(F, 0x50),                       \
    MR_PW_BYTES_16(F, 0x60), MR_PW_BYTES_16(F, 0x70),                       \
    MR_PW_BYTES_16(F, 0x80), MR_PW_BYTES_16(F, 0x90),                       \
    MR_PW_BYTES_16(F, 0xa0), MR_PW_BYTES_16(F, 0xb0),                       \
    MR_PW_BYTES_16(F, 0xc0), MR_PW_BYTES_16(F, 0xd0),                       \
    MR_PW_BYTES_16(F, 0xe0), MR_PW_BYTES_16(F, 0xf0)

extern const uint8_t mr_pw_byte_classes[256];  /* check.c */

static inline unsigned mr_pw_byte_class(unsigned char c)
{
    return mr_pw_byte_classes[c];
}

typedef struct mr_pw_match {
    uint16_t i, j;       /* [i, j) in bytes */
    uint8_t kind;        /* mr_pw_kind */
    uint8_t sub;         /* dictionary kind */
    float log10_guesses;
} mr_pw_match;

#define MR_PW_TIP_MAX 320          /* bytes of the closing advice */

struct mamori_password_checker {
    mamori_password_policy policy;
    char tip[MAMORI_LANG_COUNT][MR_PW_TIP_MAX]; /* advice ending feedback */
    mr_fuse user_breach;           /* from --breach-list; may be empty */
    mamori_breach_format user_format; /* how user_breach is keyed */
};

typedef struct mr_pw_work {
    size_t n;                               /* bytes */
    char raw[MAMORI_PASSWORD_MAX];
    char low[MAMORI_PASSWORD_MAX];          /* ASCII lower-cased */
    char leet_i[MAMORI_PASSWORD_MAX];       /* look-alikes undone, 1 -> i */
    char leet_l[MAMORI_PASSWORD_MAX];       /* the same with 1 -> l */
    char rev[MAMORI_PASSWORD_MAX];          /* low reversed */
    int has_leet;                           /* leet_i differs from low */
    int has_one;                            /* leet_l differs from leet_i */
    int has_upper;                          /* raw differs from low */
    unsigned classes_seen;                  /* MR_PWC_* of every byte */
    size_t nctx;
    char ctx[MR_PW_CONTEXT_MAX][MR_PW_CONTEXT_WORD_MAX];
    size_t ctx_len[MR_PW_CONTEXT_MAX];
    float brute[MAMORI_PASSWORD_MAX + 1];   /* brute[k]: log10 of bytes
                                               [0, k) by brute force */
    float byte_cost[MAMORI_PASSWORD_MAX];   /* log10 of byte k alone */
    size_t nm;
    mr_pw_match m[MR_PW_MATCHES_MAX];
    int skip_repeat;                        /* estimating a repeat's base */
} mr_pw_work;

/* Finders: each adds what it sees in w. */
void mr_pw_find_dict(mr_pw_work *w);
void mr_pw_find_context(mr_pw_work *w);
void mr_pw_find_keyboard(mr_pw_work *w);
void mr_pw_find_sequences(mr_pw_work *w);
void mr_pw_find_repeats(mr_pw_work *w);
void mr_pw_find_dates(mr_pw_work *w);

/* adjacency[a][b] for ASCII a, b: bit l set when the keys are neighbours
 * on keyboard layout l (none: 0). */
const uint8_t (*mr_pw_keys_adjacency(void))[128];

/* Looks a lower-case word of n bytes up in the built-in dictionary by
 * its mr_pw_hash: 1 and its kind and rank when found. */
int mr_pw_dict_lookup(uint64_t hash, size_t n, unsigned *kind,
                      double *log10_rank);

/* The decomposition: fills the cheapest sequence of matches covering the
 * password (brute force between them) and returns log10 of the guesses.
 * out may be NULL; *nout receives the number of segments. */
double mr_pw_estimate(mr_pw_work *w, mr_pw_match *out, size_t out_max,
                      size_t *nout);
/* log10 of brute-forcing bytes [i, j) of the password; the table behind
 * it is filled by mr_pw_brute_init (mr_pw_work_init calls it). Inline:
 * every match added asks. */
static inline double mr_pw_brute_log10(const mr_pw_work *w, size_t i,
                                       size_t j)
{
    if (j > w->n)
        j = w->n;
    return i < j ? (double)(w->brute[j] - w->brute[i]) : 0;
}
void mr_pw_brute_init(mr_pw_work *w);

/* Adds a match, unless it is no cheaper than brute force; silently drops
 * matches past MR_PW_MATCHES_MAX. Inline: the finders add hundreds. */
#define MR_PW_MATCH_MIN_LOG10 1.0  /* no multi-byte pattern is cheaper */
static inline void mr_pw_add(mr_pw_work *w, size_t i, size_t j,
                             mr_pw_kind kind, unsigned sub,
                             double log10_guesses)
{
    if (j <= i || j > w->n)
        return;
    if (j - i > 1 && log10_guesses < MR_PW_MATCH_MIN_LOG10)
        log10_guesses = MR_PW_MATCH_MIN_LOG10;
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

/* Prepares w from a password: bounds, lower case, look-alikes, reversal. */
void mr_pw_work_init(mr_pw_work *w, const char *pw, size_t n);

/* The built-in breach filter or the checker's own contains this? */
int mr_pw_breach_lookup(const mamori_password_checker *c, const char *pw,
                        size_t n);
/* The same for a prepared password, given mr_pw_hash of w->raw and of
 * w->low (a check has them already). */
int mr_pw_breach_lookup_work(const mamori_password_checker *c,
                             const mr_pw_work *w, uint64_t raw_hash,
                             uint64_t low_hash);

/* Writes feedback for the result's reasons into res->feedback. */
void mr_pw_feedback(mamori_password_result *res,
                    const mamori_password_checker *c);
/* Fills c->tip from c->policy (once, when the checker is made). */
void mr_pw_feedback_tips(mamori_password_checker *c);

#endif
