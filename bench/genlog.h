/*
 * genlog.h — what the parts of the log generator (genlog) share: the
 * seeded PRNG, the bounded cursor lines are built with, the client
 * table, the clock, and the word and payload tables.
 *
 * Nothing here allocates; every table is static data owned by
 * genlog_data.c. A cursor writes into memory its creator owns and never
 * past `end`: a field that does not fit is cut, so no line can overflow
 * the buffer whatever the tables hold.
 */
#ifndef GENLOG_H
#define GENLOG_H

#include "common.h"

#define GEN_IP_MAX 40                 /* bytes of one client address */
#define GEN_TZ_OFFSET (9 * 3600)      /* times are written as +0900 */

/* ---- PRNG: xoshiro256** (Blackman & Vigna), seeded by splitmix64 ---- */

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

void gen_rng_seed(gen_rng *r, uint64_t seed);

static inline uint64_t gen_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = gen_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gen_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift; the bias is far below
 * anything a log could show). n == 0 gives 0. */
static inline uint32_t gen_below(gen_rng *r, uint32_t n)
{
    return (uint32_t)(((gen_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability per_10k / 10000. */
static inline bool gen_chance(gen_rng *r, uint32_t per_10k)
{
    return gen_below(r, 10000) < per_10k;
}

/* Index in [0, n) skewed towards 0 (cube of a uniform): a few clients
 * and products are popular, most are seen rarely. */
uint32_t gen_skewed(gen_rng *r, uint32_t n);

#define GEN_PICK(r, arr) ((arr)[gen_below((r), (uint32_t)MR_ARRAY_LEN(arr))])

/* ---- bounded cursor ------------------------------------------------- */

typedef struct gen_cursor {
    char *p;
    char *end; /* one past the last byte the line may use */
} gen_cursor;

static inline void gen_put(gen_cursor *c, const char *s, size_t n)
{
    size_t room = (size_t)(c->end - c->p);
    if (n > room)
        n = room;
    memcpy(c->p, s, n);
    c->p += n;
}

static inline void gen_puts(gen_cursor *c, const char *s)
{
    gen_put(c, s, strlen(s));
}

static inline void gen_putc(gen_cursor *c, char ch)
{
    if (c->p < c->end)
        *c->p++ = ch;
}

void gen_put_uint(gen_cursor *c, uint64_t v);
void gen_put_hex(gen_cursor *c, uint64_t v, size_t digits);

/* A response size in [lo, hi) that is the same for every request of this
 * path (hash of its bytes), plus or minus noise_pct percent. */
uint64_t gen_path_size(gen_rng *r, const char *path, size_t n, uint32_t lo,
                       uint32_t hi, uint32_t noise_pct);

/* ---- clock ---------------------------------------------------------- */

typedef struct gen_clock {
    int64_t ms;             /* now, UTC milliseconds */
    int64_t day;            /* local day `date` holds, -1 before the first */
    char date[16];          /* "09/Nov/2026:" */
    size_t date_len;
    uint32_t mean_step_ms;  /* average gap between two lines */
} gen_clock;

/* Moves the clock forward by a random gap, shorter in busy hours. */
void gen_clock_tick(gen_rng *r, gen_clock *ck);
/* Writes "09/Nov/2026:13:55:36 +0900". */
void gen_put_time(gen_cursor *c, gen_clock *ck);

/* ---- clients and lines ---------------------------------------------- */

enum gen_client_kind { CK_BROWSER, CK_MOBILE, CK_BOT, CK_APP, CK_MONITOR,
                       CK_ATTACKER };

typedef struct gen_client {
    char ip[GEN_IP_MAX];
    uint8_t ip_len;
    uint8_t kind;      /* enum gen_client_kind */
    uint16_t ua;       /* index into the user-agent table of its kind */
    uint8_t http2;     /* browsers on HTTP/2 */
} gen_client;

/* Writes a public-looking IPv4 or IPv6 address into buf[GEN_IP_MAX]. */
uint8_t gen_make_ip(gen_rng *r, char *buf, bool v6);
void gen_make_clients(gen_rng *r, gen_client *cl, size_t n);
void gen_make_attackers(gen_rng *r, gen_client *cl, size_t n);

typedef struct gen_state {
    gen_rng *r;
    gen_clock *ck;
    const gen_client *clients;   /* nclients benign clients */
    size_t nclients;
    const gen_client *attackers; /* nattackers hostile clients */
    size_t nattackers;
    uint32_t attack_per_10k;     /* share of attack lines */
    bool shaped;                 /* -r: real-shaped query strings */
} gen_state;

#define GEN_SHAPED_MAX 512       /* bytes -r may add to one request */

/* Writes one request line (without newline) at the current time;
 * returns whether it is an attack. */
bool gen_line(gen_state *st, gen_cursor *c);
/* Parts of a line, shared by the benign and the hostile generator. */
void gen_put_head(gen_state *st, gen_cursor *c, const gen_client *k,
                  const char *user);
void gen_benign(gen_state *st, gen_cursor *c);
void gen_attack(gen_state *st, gen_cursor *c);
const char *gen_client_ua(const gen_client *k);

/* ---- tables (genlog_data.c) ----------------------------------------- */

#define GEN_TABLE(name) \
    extern const char *const name[]; \
    extern const size_t name##_len

GEN_TABLE(gen_ua_desktop);
GEN_TABLE(gen_ua_mobile);
GEN_TABLE(gen_ua_bots);
GEN_TABLE(gen_ua_apps);
GEN_TABLE(gen_ua_tools);        /* curl, python-requests: attackers' own */
GEN_TABLE(gen_ua_scanners);     /* sqlmap, Nikto, Nuclei... */
GEN_TABLE(gen_ipv6_prefixes);
GEN_TABLE(gen_adjectives);
GEN_TABLE(gen_nouns);
GEN_TABLE(gen_categories);
GEN_TABLE(gen_search_terms);
GEN_TABLE(gen_blog_titles);
GEN_TABLE(gen_tags);
GEN_TABLE(gen_ext_referers);
GEN_TABLE(gen_static_assets);
GEN_TABLE(gen_atk_sqli);
GEN_TABLE(gen_atk_xss);
GEN_TABLE(gen_atk_traversal);
GEN_TABLE(gen_atk_rfi);
GEN_TABLE(gen_atk_cmdi);
GEN_TABLE(gen_atk_probe);       /* exploit probe paths */
GEN_TABLE(gen_atk_jndi);        /* Log4Shell strings, obfuscated */
GEN_TABLE(gen_atk_shellshock);
GEN_TABLE(gen_atk_sensitive);
GEN_TABLE(gen_atk_scan_paths);  /* what a scanner asks for */

/* Random element of a table declared with GEN_TABLE. */
#define GEN_ONE(r, name) ((name)[gen_below((r), (uint32_t)name##_len)])

#endif
