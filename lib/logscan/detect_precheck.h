/*
 * detect_precheck.h — the raw-byte pre-check of detect_precheck.c and the
 * literal prefilter of detect_literals.c: is a request part worth
 * decoding? All functions read (p, n) only, any bytes; a literal set
 * belongs to its creator (mr_literal_set_free) and is read-only, so one
 * set serves every thread.
 */
#ifndef MR_DETECT_PRECHECK_H
#define MR_DETECT_PRECHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "logscan/detect_rules.h"   /* mr_is_alpha */
#include "logscan/normalize.h"      /* MR_STRAY_PERCENT_MIN */

/* A payload character, a suspicious escape or pair in a target, path or
 * referer; in_value: p is one query value, where any '=' counts.
 * Vectorised (prefilter.c); mr_raw_suspect_scalar is the reference loop
 * it must agree with, byte for byte. */
bool mr_raw_suspect(const char *p, size_t n, bool in_value);
bool mr_raw_suspect_scalar(const char *p, size_t n, bool in_value);

/* The byte classes of the raw pre-check (mr_raw_class): a payload
 * character; the first and second byte of the pairs "..", "/.", "--" and
 * "@@" (FIRST_k shifted left by one is SECOND_k); and the bytes whose
 * meaning depends on where they stand ('%', '?', '=', '&', '+'). */
enum {
    RAW_TRIGGER = 1,
    RAW_FIRST_DOT = 2,      /* '.' or '/' before '.' */
    RAW_SECOND_DOT = 4,
    RAW_FIRST_DASH = 8,     /* "--" */
    RAW_SECOND_DASH = 16,
    RAW_FIRST_AT = 32,      /* "@@" (SQL server variables) */
    RAW_SECOND_AT = 64,
    RAW_CONTEXT = 128
};
#define RAW_SECONDS (RAW_SECOND_DOT | RAW_SECOND_DASH | RAW_SECOND_AT)
unsigned mr_raw_class(unsigned char c);

/* Where a scan of one part stands: past the '?', past a '=' in this
 * parameter, where the query starts, where the query's segment after its
 * last '&' starts (SIZE_MAX before the first), and how many '%' started
 * no escape. */
typedef struct mr_raw_state {
    bool in_query, equals;
    size_t query_start;
    size_t segment;
    unsigned stray;
} mr_raw_state;
void mr_raw_state_init(mr_raw_state *st, bool in_value);
/* Is the percent escape at s[i] one a browser would not have written? */
bool mr_escape_suspect(const unsigned char *s, size_t i, size_t n, bool in_query,
                       size_t query_start);
/* Does the '%' at s[i] start a %XX escape (two hex digits)? */
static inline bool mr_escape_at(const unsigned char *s, size_t i, size_t n)
{
    return i + 2 < n && mr_is_xdigit(s[i + 1]) && mr_is_xdigit(s[i + 2]);
}

/* p[i] is a RAW_CONTEXT byte: true when, after what st says came before,
 * it makes p[0..n) suspect; updates st. Inline: both the reference loop
 * and the vector one (prefilter.c) run it for every context byte. */
static inline bool mr_raw_context(const char *p, size_t i, size_t n, mr_raw_state *st)
{
    const unsigned char *s = (const unsigned char *)p;
    switch (s[i]) {
    case '%':
        /* a '%' in a parameter's name (or a segment without '='): the
         * detailed path looks at every such name (check_query), and an
         * escape a browser writes may hide a payload there
         * ("%40%40version=1", "bash%20-i=1") */
        if (st->in_query && !st->equals)
            return true;
        if (mr_escape_suspect(s, i, n, st->in_query, st->query_start))
            return true;
        /* normalization drops stray signs once there are enough of them
         * after its first pass, which joins a word the literals would
         * find ("c%o%n%s%o%l%e.portal"); every such sign that was not
         * made by an escape flagged above is one of these */
        return !mr_escape_at(s, i, n) && ++st->stray >= MR_STRAY_PERCENT_MIN;
    case '=':
        if (st->in_query) {
            if (st->equals)
                return true;
            st->equals = true;
        }
        return false;
    case '&': {
        /* the segment this '&' closes followed a '&' and holds no '=':
         * detect.c judges it joined to the value before it */
        bool bare = st->segment != SIZE_MAX && !st->equals && i > st->segment;
        if (st->in_query)
            st->segment = i + 1;
        st->equals = false;
        return bare;
    }
    case '+':
        /* "ls+-la+/tmp": a command option after a '+' space */
        return st->in_query && i + 2 < n && s[i + 1] == '-' && mr_is_alpha(s[i + 2]);
    default:   /* '?' */
        if (!st->in_query) {
            st->in_query = true;
            st->query_start = i + 1;
            st->equals = false;
            if (i + 1 < n && s[i + 1] == '-')
                return true;   /* PHP-CGI: "?-d allow_url_include..." */
        }
        return false;
    }
}
/* After the last byte: true when the query ends in a segment that
 * follows a '&' and holds no '=' (see the '&' above). */
static inline bool mr_raw_end(const mr_raw_state *st, size_t n)
{
    return st->segment != SIZE_MAX && !st->equals && n > st->segment;
}
/* A character a payload in a User-Agent needs and browsers never send. */
bool mr_agent_suspect(const char *p, size_t n);
/* A payload character or a percent escape anywhere in p. */
bool mr_has_payload_char(const char *p, size_t n);
/* p percent-encodes a letter or digit, uses %u / %25, or holds
 * MR_STRAY_PERCENT_MIN '%' that start no escape (normalization may drop
 * them): a literal may be hidden from the prefilter. */
bool mr_encodes_letters(const char *p, size_t n);
#define MR_LITERAL_SET_MAX 320      /* literals in one set */
#define MR_LIT_BITMAP_BITS (1u << 16)
#define MR_LIT_HASH_SHIFT 16         /* 32 - log2(MR_LIT_BITMAP_BITS) */

/* One literal, anchored on three of its bytes (see detect_literals.c). */
typedef struct mr_literal_entry {
    uint32_t key;        /* mr_literal_key() of the anchor bytes */
    uint16_t anchor;     /* offset of the anchor in the literal */
    uint16_t len;
    const char *text;    /* static, lowercase */
} mr_literal_entry;

#define MR_LIT_SKETCHES 4          /* hashed tables the AVX-512 first stage tests */
#define MR_LIT_SKETCH_BYTES 128    /* each: 1024 bits, two zmm registers */

/* A compiled literal set: the anchor bitmap and the sorted anchors; and
 * for the AVX-512 prefilter (prefilter_avx512.c), which tests windows in
 * registers before the bitmap, small tables of the anchor keys: bit
 * mr_literal_sketch_bit(t, key) of sketch[t] for every anchor key. */
typedef struct mr_literal_set {
    uint64_t bits[MR_LIT_BITMAP_BITS / 64];
    size_t count;
    mr_literal_entry lits[MR_LITERAL_SET_MAX];
    uint8_t sketch[MR_LIT_SKETCHES][MR_LIT_SKETCH_BYTES];
} mr_literal_set;

/* Compiles static, lowercase literals of 3 or more bytes (the strings
 * must outlive the set); NULL on allocation failure or a bad list. */
mr_literal_set *mr_literal_set_new(const char *const *lits, size_t count);
void mr_literal_set_free(mr_literal_set *set);
/* Does p hold any literal of the set (ASCII letters caseless)?
 * Vectorised where the CPU allows (prefilter.c); the _scalar one is the
 * reference it must agree with. */
bool mr_literal_any(const mr_literal_set *set, const char *p, size_t n);
bool mr_literal_any_scalar(const mr_literal_set *set, const char *p, size_t n);
/* The offsets just after the literal occurrences in p, in order of their
 * anchors, into ends[0..max); returns the count, *overflow when more did
 * not fit. */
size_t mr_literal_ends(const mr_literal_set *set, const char *p, size_t n,
                       size_t *ends, size_t max, bool *overflow);
size_t mr_literal_ends_scalar(const mr_literal_set *set, const char *p, size_t n,
                              size_t *ends, size_t max, bool *overflow);

/* The matcher's steps, for callers that scan themselves: window holds
 * p[j], p[j + 1], p[j + 2] in its low 24 bits, p[j] lowest (j + 3 <= n).
 * A false mr_literal_maybe() rules out a literal anchored at p[j];
 * otherwise mr_literal_end_at() returns the offset after such a literal,
 * 0 if none. */
static inline uint32_t mr_literal_key(uint32_t window)
{
    return (window | 0x202020u) & 0xFFFFFFu;   /* ASCII letters folded, and a few others */
}
static inline uint32_t mr_literal_hash(uint32_t key)
{
    return (key * 0x9E3779B1u) >> MR_LIT_HASH_SHIFT;
}
static inline bool mr_literal_maybe(const mr_literal_set *set, uint32_t window)
{
    uint32_t h = mr_literal_hash(mr_literal_key(window));
    return (set->bits[h >> 6] >> (h & 63)) & 1u;
}
size_t mr_literal_end_at(const mr_literal_set *set, uint32_t window, const char *p,
                         size_t j, size_t n);
/* The sketch hashes: of the three bytes of a window (or key: bit 5 of
 * each byte, the fold, is ignored), a byte of the table (seven bits) and
 * a bit in it (three), each the XOR of one GF(2) matrix per byte
 * (mr_literal_sketch_matrix[t][0 byte, 1 bit][byte k], in the layout of
 * GF2P8AFFINEQB, which computes them 64 lanes at once in
 * prefilter_avx512.c; the two are checked against each other at first
 * use). Returns byte * 8 + bit, below MR_LIT_SKETCH_BYTES * 8. */
extern const uint64_t mr_literal_sketch_matrix[MR_LIT_SKETCHES][2][3];
unsigned mr_literal_sketch_bit(size_t t, uint32_t window);

/* The prefilters of detect_precheck.c: keywords and file names for
 * targets and referers; scanner names and payload words for agents.
 * The target set holds the SQL words of everyday English ("select",
 * "union", "order+"...) and the rest, the strong set only the rest. */
mr_literal_set *mr_target_literals_new(void);
mr_literal_set *mr_target_strong_new(void);
mr_literal_set *mr_agent_literals_new(void);

/* The fast path in one pass each: mr_raw_suspect(p, n, false) or a
 * literal of lits; mr_agent_suspect(p, n) or a literal of lits. */
bool mr_url_suspect(const mr_literal_set *lits, const char *p, size_t n);
bool mr_agent_precheck(const mr_literal_set *lits, const char *p, size_t n);

#endif
