/*
 * engine.h — the campaign engine of authscan: login events in, campaigns
 * out.
 *
 * While reading, mr_auth_engine_add() updates bounded tables: per source
 * (failures, a sliding-window rate, sketches of the distinct accounts
 * tried), per account (failures, a sketch of the distinct sources), per
 * time bucket (accounts tried at most twice: the trace a list-based
 * attack leaves across sources), per (source, account) success, and per
 * sshd pid (session starts). Every table is an mr_atab (atable.h): it
 * grows as entries come, up to its share of the memory budget, then
 * evicts the least active entries and counts them.
 *
 * Each key is hashed once per event (mr_auth_engine_keys, which parser
 * threads may call): SipHash under the engine's random key places it in
 * the tables (no precomputed collisions), the fixed-seed fingerprint
 * hash sets the bits of the distinct-count sketches (the same answer on
 * every run; util/hash.h).
 *
 * mr_auth_engine_finish() classifies (campaign.c): stuffing campaigns
 * across sources first, then distributed brute force per account, then
 * each remaining source (enumeration, spraying, brute force), then every
 * success (break-in, privileged, off-hours, outside the allow list,
 * anonymous, long session). Campaign strings live in the engine's arena
 * until mr_auth_engine_free().
 */
#ifndef MR_AUTH_ENGINE_H
#define MR_AUTH_ENGINE_H

#include "auth/event.h"
#include "util/hash.h"
#include "mamori/authscan.h"

#define MR_AUTH_LIST_MAX 16          /* names listed per campaign field */
#define MR_AUTH_CAMPAIGNS_MAX 50000  /* campaigns kept; more are counted */
#define MR_AUTH_PIDS_MAX 65536       /* open sshd sessions tracked */
#define MR_AUTH_BUCKETS_MAX 100000   /* stuffing time buckets tracked */
#define MR_AUTH_PROBES_MIN 5         /* connections without a login try that
                                      * make a source a prober (fail2ban's
                                      * maxretry in its aggressive mode) */

typedef enum mr_auth_category {
    MR_AC_BRUTE_FORCE = 0,
    MR_AC_USER_ENUM,
    MR_AC_SPRAYING,
    MR_AC_STUFFING,
    MR_AC_DISTRIBUTED,
    MR_AC_BREAK_IN,
    MR_AC_PRIVILEGED,
    MR_AC_OFF_HOURS,
    MR_AC_OUTSIDE_ALLOW,
    MR_AC_ANONYMOUS,
    MR_AC_LONG_SESSION,
    MR_AC_PROBING,                   /* connections that never log in */
    MR_AC_COUNT
} mr_auth_category;

const char *mr_auth_category_name(mr_auth_category c);
const char *mr_auth_category_check(mr_auth_category c);

typedef struct mr_auth_cidr {
    unsigned char addr[16];          /* IPv4 as ::ffff:a.b.c.d */
    unsigned bits;                   /* prefix length over the 128 */
} mr_auth_cidr;

/* Options with every default resolved (cfg.c). */
typedef struct mr_auth_cfg {
    unsigned bf_failures, enum_accounts, spray_accounts, spray_per_account,
        stuffing_accounts, stuffing_sources, distributed_sources,
        distributed_failures, breakin_failures, breakin_other_accounts;
    int64_t bf_window, stuffing_window, long_session;
    mr_auth_cidr allow[MAMORI_AUTHSCAN_ALLOW_MAX];
    size_t nallow;
    int hours_from, hours_to;
    char privileged[MAMORI_AUTHSCAN_PRIVILEGED_MAX][64];
    size_t nprivileged;
    size_t memory_budget;
} mr_auth_cfg;

/* Fills cfg from opts; -1 with a message in err on a bad value. */
int mr_auth_cfg_init(mr_auth_cfg *cfg, const mamori_authscan_opts *opts,
                     char *err, size_t errlen);
/* Parses "a.b.c.d[/n]" or an IPv6 "x::y[/n]". */
int mr_auth_cidr_parse(const char *s, mr_auth_cidr *out);
/* Is the logged address (a span, maybe "::ffff:a.b.c.d") in the list?
 * Host names (sshd UseDNS) are never in it. */
int mr_auth_cidr_match(const mr_auth_cidr *list, size_t n, mr_span addr);
int mr_auth_is_privileged(const mr_auth_cfg *cfg, mr_span account);

/* A campaign as finish reports it; strings are the engine's. */
typedef struct mr_auth_campaign {
    mr_auth_category cat;
    int64_t first, last;
    uint64_t attempts, successes;
    unsigned services;               /* bit per mr_auth_service */
    const char *sources[MR_AUTH_LIST_MAX];
    size_t nsources;
    uint64_t more_sources;
    const char *accounts[MR_AUTH_LIST_MAX];
    size_t naccounts;
    uint64_t more_accounts;
    int privileged;                  /* tried root or another privileged
                                      * account: at least high */
    size_t id;                       /* 1.. in report order (finish) */
    int linked;                      /* a break-in names it: report id */
    size_t link;                     /* break-in: id of its attack
                                      * campaign, 0 = none */
    size_t serial;                   /* creation order (finish) */
} mr_auth_campaign;

typedef struct mr_auth_engine mr_auth_engine;

typedef struct mr_auth_counts {
    uint64_t events, failures, invalid, successes, sessions;
    uint64_t evicted_sources, evicted_accounts, evicted_successes;
    uint64_t dropped_campaigns, oom;
} mr_auth_counts;

mr_auth_engine *mr_auth_engine_new(const mr_auth_cfg *cfg);
void mr_auth_engine_free(mr_auth_engine *e);
/* Fills the key and fp hashes of ev; reads only the engine's key, so
 * any thread may call it while the engine thread adds events. */
void mr_auth_engine_keys(const mr_auth_engine *e, mr_auth_event *ev);
/* Cache hints for an event a few places ahead in a batch (stage 0 = the
 * index slots, 1 = the entries they name). */
void mr_auth_engine_prefetch(const mr_auth_engine *e, const mr_auth_event *ev,
                             int stage);
/* Events must come in input order; keys are computed when still 0. */
void mr_auth_engine_add(mr_auth_engine *e, const mr_auth_event *ev);
/* Classifies; then the campaigns are readable, sorted by first time. */
int mr_auth_engine_finish(mr_auth_engine *e);
size_t mr_auth_engine_ncampaigns(const mr_auth_engine *e);
const mr_auth_campaign *mr_auth_engine_campaign(const mr_auth_engine *e,
                                                size_t i);
void mr_auth_engine_counts(const mr_auth_engine *e, mr_auth_counts *c);

/* ---- shared between engine.c and campaign.c ---------------------- */
#ifdef MR_AUTH_ENGINE_INTERNAL
#include "auth/atable.h"
#include "util/arena.h"
#include "util/table.h"

#define MR_AUTH_SRC_KEY_CAP 46       /* INET6_ADDRSTRLEN: longer host names
                                      * are kept cut, distinct by hash */
#define MR_AUTH_ACCT_KEY_CAP 32      /* user names kept; longer ones cut */
#define MR_AUTH_NAME_CAP 48          /* names a success record keeps */
#define MR_AUTH_PID_SLOTS 4096       /* pids whose direct lines are known
                                      * (direct-mapped) */
#define MR_AUTH_PENDING_MAX 256      /* pam_unix lines awaiting sshd's own */
#define MR_AUTH_PENDING_HOLD 60      /* s a pam_unix line waits for it */
#define MR_AUTH_PID_MEMORY 600       /* s a pid's direct line speaks for
                                      * its later summaries */
#define MR_AUTH_PEND_SRC_CAP 128     /* bytes of a pending line's names */
#define MR_AUTH_PEND_ACCT_CAP 64

/* Classes a source ends up in (campaign.c). */
enum { MR_SRC_NONE = 0, MR_SRC_STUFFING, MR_SRC_ATTACKER };

typedef struct mr_auth_src {
    int64_t first, last;             /* failures and successes */
    int64_t fail_first;
    uint64_t acct_bits, inval_bits;  /* sketches: distinct failed accounts */
    uint64_t acct_hash[2];           /* the first failed account, and the
                                      * most tried one (majority vote) */
    uint32_t failures, announce, successes, explained;
    uint32_t win;                    /* sliding-window failure rate */
    uint32_t low_fails, low_first, low_last; /* stuffing buckets (+1) */
    uint32_t campaign;               /* campaign index + 1 (finish) */
    uint16_t win_cur, win_prev;      /* (saturating) */
    uint16_t heavy_votes, heavy_n;   /* acct_hash[1]'s vote, and its tries
                                      * since it became the candidate */
    uint8_t bf_hit, services, cls, priv;
} mr_auth_src;                       /* 104 bytes: 160 with its key, and
                                      * the sources table decides how many
                                      * fit the budget */

/* A source's connections that never tried a login (its own table, so
 * the hot source entries stay small). */
typedef struct mr_auth_prober {
    int64_t first, last;
    uint32_t probes;
    uint8_t services;
} mr_auth_prober;

typedef struct mr_auth_acct {
    int64_t first, last, last_fail_t;
    uint64_t src_bits[2];            /* sketch: distinct failing sources */
    uint32_t failures, invalid, successes;
    uint32_t bucket, bucket_fails;   /* current stuffing bucket (+1) */
    uint32_t last_fail_src;
    uint32_t campaign;               /* distributed campaign + 1 */
    uint8_t low_counted, services;
    uint16_t credit;                 /* mail tries a detail line told that
                                      * no summary has yet */
} mr_auth_acct;

typedef struct mr_auth_bucket {
    int64_t first, last;
    uint64_t src_bits[4];
    int32_t low;                     /* accounts tried at most twice */
    uint32_t fails;
} mr_auth_bucket;

typedef struct mr_auth_success {
    uint64_t source_key, account_key; /* table hashes of its two names */
    int64_t first, last, max_session;
    uint32_t count, pre_failures, off_hours, password;
    uint8_t anonymous, outside, services;
    uint8_t source_n, account_n;     /* bytes kept of each name */
    char source[MR_AUTH_NAME_CAP], account[MR_AUTH_NAME_CAP];
} mr_auth_success;

/* A pam_unix failure waiting for its sshd line (engine.c). */
typedef struct mr_auth_pending {
    mr_auth_event ev;                /* spans into the two buffers */
    int64_t t;
    uint32_t slot;
    uint8_t live;
    char source[MR_AUTH_PEND_SRC_CAP], account[MR_AUTH_PEND_ACCT_CAP];
} mr_auth_pending;

typedef struct mr_auth_pidslot {
    uint32_t pid;
    uint32_t pending;                /* ring index + 1 */
    int64_t direct_t;                /* time of its last direct line */
} mr_auth_pidslot;

struct mr_auth_engine {
    mr_auth_cfg cfg;
    mr_atab *sources, *accounts, *buckets, *successes, *pids, *probers;
    mr_hash_key key;                 /* of the table hashes (random) */
    mr_auth_counts counts;
    mr_arena arena;                  /* campaign strings */
    mr_auth_campaign *campaigns;
    size_t ncampaigns, cap;
    int64_t now;                     /* last known event time */
    int finished;
    uint64_t priv_keys[MAMORI_AUTHSCAN_PRIVILEGED_MAX]; /* table hashes */
    mr_auth_pidslot pidslot[MR_AUTH_PID_SLOTS];
    mr_auth_pending pending[MR_AUTH_PENDING_MAX];
    size_t pend_head, npend;
};

/* Counts the pam_unix lines still waiting (finish calls it first). */
void mr_auth_engine_flush(mr_auth_engine *e);

/* The table hash of a bucket or pid number. */
uint64_t mr_auth_num_key(const mr_auth_engine *e, uint64_t n);
/* Linear-counting estimate of the distinct items of a bit sketch. */
uint64_t mr_auth_sketch_count(const uint64_t *bits, size_t words);
#endif

#endif
