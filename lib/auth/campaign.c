/*
 * campaign.c — the judging half of the campaign engine (engine.h): turns
 * the tables built while reading into campaigns, in an order where each
 * step can use the one before:
 *
 *   1. time buckets with many accounts tried at most twice, from several
 *      sources, merged when adjacent: list-based attack candidates;
 *   2. sources: which candidates they took part in; a candidate where one
 *      source made most of the attempts is that source's spray instead;
 *   3. accounts: distributed brute force (many sources, one account), the
 *      accounts of each list-based attack, and a hash -> name index;
 *   4. sources again: per-source campaigns for those not in a list-based
 *      attack, one for every category the source meets (brute force:
 *      many tries on a name, a dictionary of passwords; enumeration: many
 *      names tried once or twice; spraying: many real accounts a few
 *      times each), and probing (connections that never tried a login);
 *   5. successes: break-ins, privileged password logins, off-hours and
 *      outside-the-allow-list logins, anonymous FTP, long sessions,
 *      grouped per account. A success is a break-in when its source is
 *      part of an attack campaign (whether its failures came before or
 *      after), when its account was a campaign's target and its source
 *      failed on other accounts in the campaign's time, or when it comes
 *      from a fresh address of a campaign's network (/24, /64) during or
 *      within MR_AUTH_RANGE_AFTER of the campaign; it is linked to that
 *      campaign, which counts it.
 */
#include "common.h"

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"
#include "auth/parse.h"
#include "check_ids.h"
#include "util/grow.h"

#include <arpa/inet.h>

#define MR_AUTH_RANGE_AFTER 3600     /* s after a campaign that a login from
                                      * its network is still part of it */
#define MR_AUTH_ENUM_TRIES 2         /* tries per name of an enumeration */
#define MR_AUTH_DICT_TRIES 3         /* average tries per name that make a
                                      * many-name attack a dictionary one */

static const char *const cat_names[MR_AC_COUNT] = {
    "brute-force", "user-enumeration", "spraying", "credential-stuffing",
    "distributed-brute-force", "break-in", "privileged-login", "off-hours",
    "outside-allowlist", "anonymous-login", "long-session", "probing"};

const char *mr_auth_category_name(mr_auth_category c)
{
    return (unsigned)c < MR_AC_COUNT ? cat_names[c] : "?";
}

const char *mr_auth_category_check(mr_auth_category c)
{
    static const char *const ids[MR_AC_COUNT] = {
        MR_CHECK_AUTH_BRUTE_FORCE, MR_CHECK_AUTH_USER_ENUMERATION,
        MR_CHECK_AUTH_SPRAYING, MR_CHECK_AUTH_CREDENTIAL_STUFFING,
        MR_CHECK_AUTH_DISTRIBUTED_BRUTE_FORCE, MR_CHECK_AUTH_BREAK_IN,
        MR_CHECK_AUTH_PRIVILEGED_LOGIN, MR_CHECK_AUTH_OFF_HOURS,
        MR_CHECK_AUTH_OUTSIDE_ALLOWLIST, MR_CHECK_AUTH_ANONYMOUS_LOGIN,
        MR_CHECK_AUTH_LONG_SESSION, MR_CHECK_AUTH_PROBING};
    return (unsigned)c < MR_AC_COUNT ? ids[c] : "?";
}

typedef struct group {
    uint32_t b_first, b_last;        /* bucket ids (+1), inclusive */
    int64_t first, last;
    uint64_t fails, low_sum, low_max, members;
    size_t campaign;                 /* index + 1 when valid */
} group;

typedef struct judge {
    mr_auth_engine *e;
    group *groups;
    size_t ngroups;
    mr_table *by_key;                /* "cat\naccount" -> campaign + 1 */
    mr_table *by_net;                /* a campaign source's network ->
                                      * campaign + 1 */
} judge;

/* ---- campaigns ---------------------------------------------------- */

static size_t new_campaign(mr_auth_engine *e, mr_auth_category cat)
{
    if (e->ncampaigns >= MR_AUTH_CAMPAIGNS_MAX) {
        e->counts.dropped_campaigns++;
        return 0;
    }
    if (MR_GROW(&e->campaigns, &e->cap, e->ncampaigns + 1, 64)) {
        e->counts.oom++;
        return 0;
    }
    mr_auth_campaign *c = &e->campaigns[e->ncampaigns++];
    memset(c, 0, sizeof(*c));
    c->cat = cat;
    c->serial = e->ncampaigns - 1;
    return e->ncampaigns;
}

static void span_time(mr_auth_campaign *c, int64_t first, int64_t last)
{
    if (!c->first || (first && first < c->first))
        c->first = first;
    if (last > c->last)
        c->last = last;
}

static void add_name(mr_auth_engine *e, const char **list, size_t *n,
                     uint64_t *more, const char *s, size_t len)
{
    if (*n >= MR_AUTH_LIST_MAX) {
        (*more)++;
        return;
    }
    char *copy = mr_arena_strndup(&e->arena, s, len);
    if (!copy) {
        (*more)++;
        return;
    }
    list[(*n)++] = copy;
}

#define ADD_SOURCE(e, c, s, n) \
    add_name(e, (c)->sources, &(c)->nsources, &(c)->more_sources, s, n)
#define ADD_ACCOUNT(e, c, s, n) \
    add_name(e, (c)->accounts, &(c)->naccounts, &(c)->more_accounts, s, n)

static mr_auth_campaign *at(mr_auth_engine *e, size_t idx1)
{
    return idx1 ? &e->campaigns[idx1 - 1] : NULL;
}

/* ---- 1. stuffing candidates --------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int find_groups(judge *j)
{
    mr_auth_engine *e = j->e;
    size_t n = 0, cap = mr_atab_count(e->buckets);
    uint32_t *ids = malloc((cap + 1) * sizeof(*ids));
    if (!ids)
        return -1;
    for (size_t i = 0; i < cap; i++) {
        const char *k;
        mr_auth_bucket *b = mr_atab_at(e->buckets, i, &k, NULL, NULL);
        if (b && b->low >= (int32_t)e->cfg.stuffing_accounts &&
            mr_auth_sketch_count(b->src_bits, 4) >= e->cfg.stuffing_sources &&
            n < cap)
            memcpy(&ids[n++], k, sizeof(uint32_t));
    }
    qsort(ids, n, sizeof(*ids), cmp_u32);
    j->groups = calloc(n + 1, sizeof(group));
    if (!j->groups) {
        free(ids);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        mr_auth_bucket *b = mr_atab_find(e->buckets, mr_auth_num_key(e, ids[i]),
                                         &ids[i], sizeof(ids[i]));
        group *g = j->ngroups ? &j->groups[j->ngroups - 1] : NULL;
        if (!g || ids[i] != g->b_last + 1) {
            g = &j->groups[j->ngroups++];
            g->b_first = ids[i];
            g->first = b->first;
        }
        g->b_last = ids[i];
        g->last = MR_MAX(g->last, b->last);
        g->fails += b->fails;
    }
    free(ids);
    return 0;
}

static group *group_of(judge *j, uint32_t b)
{
    size_t lo = 0, hi = j->ngroups;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        group *g = &j->groups[mid];
        if (b < g->b_first)
            hi = mid;
        else if (b > g->b_last)
            lo = mid + 1;
        else
            return g;
    }
    return NULL;
}

static group *src_group(judge *j, const mr_auth_src *s)
{
    if (!s->low_fails || !j->ngroups)
        return NULL;
    group *g = group_of(j, s->low_last);
    return g ? g : group_of(j, s->low_first);
}

/* ---- 2. who took part --------------------------------------------- */

static void tally_members(judge *j)
{
    mr_auth_engine *e = j->e;
    for (size_t i = 0; i < mr_atab_count(e->sources); i++) {
        mr_auth_src *s = mr_atab_at(e->sources, i, NULL, NULL, NULL);
        group *g = src_group(j, s);
        if (!g)
            continue;
        g->low_sum += s->low_fails;
        g->low_max = MR_MAX(g->low_max, (uint64_t)s->low_fails);
        g->members++;
    }
    for (size_t i = 0; i < j->ngroups; i++) {
        group *g = &j->groups[i];
        if (g->members < e->cfg.stuffing_sources || g->low_max * 10 >= g->low_sum * 8)
            continue;
        g->campaign = new_campaign(e, MR_AC_STUFFING);
        mr_auth_campaign *c = at(e, g->campaign);
        if (c) {
            span_time(c, g->first, g->last);
            c->attempts = g->fails;
        }
    }
}

/* ---- 3. accounts -------------------------------------------------- */

static void judge_accounts(judge *j)
{
    mr_auth_engine *e = j->e;
    for (size_t i = 0; i < mr_atab_count(e->accounts); i++) {
        const char *k;
        size_t kn;
        mr_auth_acct *a = mr_atab_at(e->accounts, i, &k, &kn, NULL);
        group *g = a->low_counted ? group_of(j, a->bucket) : NULL;
        mr_auth_campaign *c = g ? at(e, g->campaign) : NULL;
        int priv = mr_auth_is_privileged(&e->cfg, mr_span_make(k, kn));
        if (c) {
            ADD_ACCOUNT(e, c, k, kn);
            c->services |= a->services;
            c->privileged |= priv;
        }
        if (a->failures >= e->cfg.distributed_failures &&
            mr_auth_sketch_count(a->src_bits, 2) >= e->cfg.distributed_sources) {
            a->campaign = (uint32_t)new_campaign(e, MR_AC_DISTRIBUTED);
            c = at(e, a->campaign);
            if (!c)
                continue;
            ADD_ACCOUNT(e, c, k, kn);
            span_time(c, a->first, a->last);
            c->attempts = a->failures;
            c->services = a->services;
            c->privileged = priv;
        }
    }
}

/* ---- 4. per-source campaigns ---------------------------------------- */

/* The categories a source meets, a bit per mr_auth_category. Tries are
 * failures less sshd's "Invalid user" lines, which name a user without
 * trying a password; the most-tried name (majority vote) is set apart
 * when it was tried like a brute force, so that 276 tries on root and
 * one each on twenty other names are both a brute force on root and an
 * enumeration. */
static unsigned classify(const mr_auth_cfg *cfg, const mr_auth_src *s)
{
    uint64_t accts = mr_auth_sketch_count(&s->acct_bits, 1);
    uint64_t inval = mr_auth_sketch_count(&s->inval_bits, 1);
    uint64_t valid = accts > inval ? accts - inval : 0;
    uint64_t unexplained = valid > s->explained ? valid - s->explained : 0;
    uint64_t tries = s->failures > s->announce ? s->failures - s->announce
                                               : s->failures;
    int heavy = s->heavy_n >= cfg->bf_failures && accts >= 1;
    uint64_t rest = heavy && tries > s->heavy_n ? tries - s->heavy_n
                                                : heavy ? 0 : tries;
    uint64_t rest_names = heavy && accts > 1 ? accts - 1 : accts;
    uint64_t rest_inval = heavy && inval > 1 ? inval - 1 : inval;
    unsigned cats = 0;
    if (s->bf_hit && s->failures > s->explained * 2u &&
        (heavy || tries >= (uint64_t)MR_AUTH_DICT_TRIES * MR_MAX(accts, 1)))
        cats |= 1u << MR_AC_BRUTE_FORCE;
    if (rest_inval >= cfg->enum_accounts && rest_inval * 2 >= rest_names &&
        rest <= (uint64_t)MR_AUTH_ENUM_TRIES * rest_names)
        cats |= 1u << MR_AC_USER_ENUM;
    if (unexplained >= cfg->spray_accounts &&
        rest <= (uint64_t)cfg->spray_per_account * rest_names &&
        !(cats & (1u << MR_AC_USER_ENUM)))
        cats |= 1u << MR_AC_SPRAYING;
    /* a fast source that fits no pattern above is still a brute force */
    if (!cats && s->bf_hit && s->failures > s->explained * 2u)
        cats |= 1u << MR_AC_BRUTE_FORCE;
    return cats;
}

static void source_campaign(judge *j, mr_auth_src *s, const char *k,
                            size_t kn, mr_auth_category cat)
{
    mr_auth_engine *e = j->e;
    size_t idx = new_campaign(e, cat);
    mr_auth_campaign *c = at(e, idx);
    if (!c)
        return;
    if (!s->campaign || cat == MR_AC_BRUTE_FORCE)
        s->campaign = (uint32_t)idx;
    ADD_SOURCE(e, c, k, kn);
    span_time(c, s->first, s->last);
    c->attempts = (uint64_t)s->failures + s->successes;
    c->services = s->services;
    c->privileged = s->priv;
    size_t listed = 0;
    for (int h = 0; h < 2; h++) { /* the first tried, the most tried */
        const char *an;
        size_t ann;
        if (s->acct_hash[h] && (h == 0 || s->acct_hash[1] != s->acct_hash[0]) &&
            mr_atab_find_hash(e->accounts, s->acct_hash[h], &an, &ann)) {
            ADD_ACCOUNT(e, c, an, ann);
            listed++;
        }
    }
    uint64_t accts = mr_auth_sketch_count(&s->acct_bits, 1);
    c->more_accounts += accts > listed ? accts - listed : 0;
}

static void probing_campaign(judge *j, const mr_auth_prober *p, const char *k,
                             size_t kn, uint64_t h)
{
    /* a connection that tried a login ends with a close line too */
    const mr_auth_src *s = mr_atab_find_hash(j->e->sources, h, NULL, NULL);
    uint64_t tried = s ? (uint64_t)s->failures + s->successes : 0;
    uint64_t n = p->probes > tried ? p->probes - tried : 0;
    if (n < MR_AUTH_PROBES_MIN)
        return;
    mr_auth_campaign *c = at(j->e, new_campaign(j->e, MR_AC_PROBING));
    if (!c)
        return;
    ADD_SOURCE(j->e, c, k, kn);
    span_time(c, p->first, p->last);
    c->attempts = n;
    c->services = p->services;
}

static void judge_probers(judge *j)
{
    mr_auth_engine *e = j->e;
    for (size_t i = 0; i < mr_atab_count(e->probers); i++) {
        const char *k;
        size_t kn;
        uint64_t h;
        const mr_auth_prober *p = mr_atab_at(e->probers, i, &k, &kn, &h);
        probing_campaign(j, p, k, kn, h);
    }
}

static void judge_sources(judge *j)
{
    mr_auth_engine *e = j->e;
    for (size_t i = 0; i < mr_atab_count(e->sources); i++) {
        const char *k;
        size_t kn;
        mr_auth_src *s = mr_atab_at(e->sources, i, &k, &kn, NULL);
        if (!s->failures)
            continue;
        for (int h = 0; h < 2; h++) {
            if (h == 1 && s->acct_hash[1] == s->acct_hash[0])
                break;
            mr_auth_acct *a = s->acct_hash[h]
                ? mr_atab_find_hash(e->accounts, s->acct_hash[h], NULL, NULL) : NULL;
            mr_auth_campaign *c = a ? at(e, a->campaign) : NULL;
            if (c) {
                ADD_SOURCE(e, c, k, kn);
                s->cls = MR_SRC_ATTACKER;
                if (!s->campaign)
                    s->campaign = a->campaign;
            }
        }
        group *g = src_group(j, s);
        mr_auth_campaign *c = g ? at(e, g->campaign) : NULL;
        if (c) {
            ADD_SOURCE(e, c, k, kn);
            c->privileged |= s->priv;
            s->cls = MR_SRC_STUFFING;
        }
        /* a source of a list-based attack keeps its brute force: 40 root
         * passwords are one whoever else took part (its many names tried
         * once or twice are the list-based attack itself) */
        unsigned cats = classify(&e->cfg, s);
        if (s->cls == MR_SRC_STUFFING)
            cats &= 1u << MR_AC_BRUTE_FORCE;
        if (!cats)
            continue;
        if (s->cls == MR_SRC_NONE)
            s->cls = MR_SRC_ATTACKER;
        for (int cat = 0; cat < MR_AC_COUNT; cat++)
            if (cats & (1u << cat))
                source_campaign(j, s, k, kn, (mr_auth_category)cat);
    }
}

/* The attack campaign a source took part in, + 1; 0 = none. */
static size_t src_campaign(judge *j, const mr_auth_src *s)
{
    if (s->cls == MR_SRC_STUFFING) {
        group *g = src_group(j, s);
        return g ? g->campaign : 0;
    }
    return s->cls == MR_SRC_ATTACKER ? s->campaign : 0;
}

/* The network of an address as a table key: "4" + first three bytes of
 * IPv4, "6" + first eight of IPv6; 0 when the key is a host name. */
static size_t net_key(const char *addr, size_t n, char *key)
{
    char buf[64];
    unsigned char a[16];
    if (n == 0 || n >= sizeof(buf))
        return 0;
    memcpy(buf, addr, n);
    buf[n] = 0;
    const char *p = buf;
    if (strncasecmp(p, "::ffff:", 7) == 0 && strchr(p + 7, '.'))
        p += 7;
    if (inet_pton(AF_INET, p, a) == 1) {
        key[0] = '4';
        memcpy(key + 1, a, 3);
        return 4;
    }
    if (inet_pton(AF_INET6, p, a) == 1) {
        key[0] = '6';
        memcpy(key + 1, a, 8);
        return 9;
    }
    return 0;
}

/* The networks of the successes from addresses that never failed, each
 * mapped to the campaign (+ 1) of an attacking source in it. Built only
 * when there are such successes, and only as large as their number. */
static int index_networks(judge *j)
{
    mr_auth_engine *e = j->e;
    size_t fresh = 0;
    char key[16];
    for (size_t i = 0; i < mr_atab_count(e->successes); i++) {
        const mr_auth_success *su = mr_atab_at(e->successes, i, NULL, NULL, NULL);
        const mr_auth_src *s = mr_atab_find_hash(e->sources, su->source_key, NULL, NULL);
        fresh += (!s || !s->failures) && net_key(su->source, su->source_n, key);
    }
    if (!fresh)
        return 0;
    if (!(j->by_net = mr_table_new(MR_MIN(fresh, (size_t)MR_AUTH_CAMPAIGNS_MAX),
                                   sizeof(size_t), NULL)))
        return -1;
    for (size_t i = 0; i < mr_atab_count(e->successes); i++) {
        const mr_auth_success *su = mr_atab_at(e->successes, i, NULL, NULL, NULL);
        const mr_auth_src *s = mr_atab_find_hash(e->sources, su->source_key, NULL, NULL);
        size_t n;
        int created;
        if ((!s || !s->failures) && (n = net_key(su->source, su->source_n, key)))
            mr_table_upsert(j->by_net, key, n, &created);
    }
    for (size_t i = 0; i < mr_atab_count(e->sources); i++) {
        const char *k;
        size_t kn, n, *v;
        mr_auth_src *s = mr_atab_at(e->sources, i, &k, &kn, NULL);
        size_t idx = s->cls ? src_campaign(j, s) : 0;
        if (idx && (n = net_key(k, kn, key)) && (v = mr_table_find(j->by_net, key, n)) &&
            !*v)
            *v = idx;
    }
    return 0;
}

/* ---- 5. successes ----------------------------------------------------- */

static mr_auth_campaign *per_account(judge *j, mr_auth_category cat,
                                     const char *acct, size_t an)
{
    char key[MR_TABLE_KEY_MAX];
    size_t n = MR_MIN(an, sizeof(key) - 2);
    key[0] = (char)('A' + cat);
    key[1] = '\n';
    memcpy(key + 2, acct, n);
    int created;
    size_t *v = mr_table_upsert(j->by_key, key, n + 2, &created);
    if (!v)
        return NULL;
    if (created) {
        *v = new_campaign(j->e, cat);
        mr_auth_campaign *c = at(j->e, *v);
        if (c)
            ADD_ACCOUNT(j->e, c, acct, an);
    }
    return at(j->e, *v);
}

static mr_auth_campaign *record(judge *j, mr_auth_category cat,
                                const char *src, size_t sn, const char *acct,
                                size_t an, const mr_auth_success *su)
{
    mr_auth_campaign *c = per_account(j, cat, acct, an);
    if (!c)
        return NULL;
    ADD_SOURCE(j->e, c, src, sn);
    span_time(c, su->first, su->last);
    c->attempts += su->count;
    c->successes += su->count;
    c->services |= su->services;
    return c;
}

/* Is the success su a break-in? Its campaign (+ 1) in *link, if any. */
static int broken_in(judge *j, const mr_auth_src *s, const mr_auth_acct *a,
                     const mr_auth_success *su, uint64_t ah, size_t *link)
{
    mr_auth_engine *e = j->e;
    const mr_auth_cfg *cfg = &e->cfg;
    *link = 0;
    if (s && s->failures) {
        int failed_here = s->acct_hash[0] == ah || s->acct_hash[1] == ah;
        uint64_t accts = mr_auth_sketch_count(&s->acct_bits, 1);
        *link = src_campaign(j, s);
        if (*link) /* part of a campaign, before or after its failures */
            return 1;
        if (a && a->campaign && failed_here) {
            *link = a->campaign;
            return 1;
        }
        if (su->pre_failures >= cfg->breakin_failures &&
            su->pre_failures > s->explained * 2u)
            return 1;
        /* failures a success explained (typos behind one NAT) do not count */
        uint64_t unexplained = accts > s->explained ? accts - s->explained : 0;
        if (unexplained >= cfg->breakin_other_accounts + (uint64_t)failed_here)
            return 1;
        /* the account was a campaign's target, and this source began
         * failing on other accounts while the campaign ran (or just
         * before): not an office address whose typos span the week */
        group *g = a && a->failures ? group_of(j, a->bucket) : NULL;
        size_t idx = a && a->campaign ? a->campaign : g ? g->campaign : 0;
        mr_auth_campaign *c = at(e, idx);
        if (c && (accts > 1 || !failed_here) && s->fail_first <= c->last &&
            s->fail_first + MR_AUTH_RANGE_AFTER >= c->first) {
            *link = idx;
            return 1;
        }
    }
    if (s && s->failures)
        return 0;
    /* a fresh address of a campaign's network, while it ran or soon after */
    char key[16];
    size_t n = net_key(su->source, su->source_n, key);
    size_t *v = n && j->by_net ? mr_table_find(j->by_net, key, n) : NULL;
    mr_auth_campaign *c = v ? at(e, *v) : NULL;
    if (c && su->first >= c->first && su->first <= c->last + MR_AUTH_RANGE_AFTER) {
        *link = *v;
        return 1;
    }
    return 0;
}

static void judge_successes(judge *j)
{
    mr_auth_engine *e = j->e;
    const mr_auth_cfg *cfg = &e->cfg;
    for (size_t i = 0; i < mr_atab_count(e->successes); i++) {
        mr_auth_success *su = mr_atab_at(e->successes, i, NULL, NULL, NULL);
        const char *k = su->source, *acct = su->account;
        size_t sn = su->source_n, an = su->account_n, link;
        mr_auth_src *s = mr_atab_find_hash(e->sources, su->source_key, NULL, NULL);
        mr_auth_acct *a = an ? mr_atab_find_hash(e->accounts, su->account_key, NULL, NULL)
                             : NULL;
        uint64_t ah = su->account_key;
        if (broken_in(j, s, a, su, ah, &link)) {
            mr_auth_campaign *c = record(j, MR_AC_BREAK_IN, k, sn, acct, an, su);
            mr_auth_campaign *camp = at(e, link);
            if (camp) {
                camp->successes += su->count;
                if (c && !c->link) {
                    c->link = camp->serial + 1; /* an id after sorting */
                    camp->linked = 1;
                }
            }
            if (s && s->cls == MR_SRC_NONE)
                s->cls = MR_SRC_ATTACKER;
        }
        if (su->password && mr_auth_is_privileged(cfg, mr_span_make(acct, an)))
            record(j, MR_AC_PRIVILEGED, k, sn, acct, an, su);
        if (su->off_hours)
            record(j, MR_AC_OFF_HOURS, k, sn, acct, an, su);
        if (su->outside)
            record(j, MR_AC_OUTSIDE_ALLOW, k, sn, acct, an, su);
        if (su->anonymous)
            record(j, MR_AC_ANONYMOUS, k, sn, acct, an, su);
        if (su->max_session >= cfg->long_session)
            record(j, MR_AC_LONG_SESSION, k, sn, acct, an, su);
    }
}

static int cmp_campaign(const void *a, const void *b)
{
    const mr_auth_campaign *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    const char *sx = x->nsources ? x->sources[0] : "";
    const char *sy = y->nsources ? y->sources[0] : "";
    int d = strcmp(sx, sy);
    if (d)
        return d;
    sx = x->naccounts ? x->accounts[0] : "";
    sy = y->naccounts ? y->accounts[0] : "";
    return strcmp(sx, sy);
}

/* Ids in report order; links from creation order to ids. */
static int number(mr_auth_engine *e)
{
    size_t *id_of = malloc((e->ncampaigns + 1) * sizeof(*id_of));
    if (!id_of)
        return -1;
    for (size_t i = 0; i < e->ncampaigns; i++) {
        e->campaigns[i].id = i + 1;
        id_of[e->campaigns[i].serial] = i + 1;
    }
    for (size_t i = 0; i < e->ncampaigns; i++)
        if (e->campaigns[i].link)
            e->campaigns[i].link = id_of[e->campaigns[i].link - 1];
    free(id_of);
    return 0;
}

int mr_auth_engine_finish(mr_auth_engine *e)
{
    judge j = {.e = e};
    int ret = -1;
    if (e->finished)
        return 0;
    e->finished = 1;
    mr_auth_engine_flush(e);
    if (!(j.by_key = mr_table_new(MR_AUTH_CAMPAIGNS_MAX, sizeof(size_t), NULL)))
        goto out;
    if (find_groups(&j))
        goto out;
    tally_members(&j);
    judge_accounts(&j);
    judge_sources(&j);
    judge_probers(&j);
    if (index_networks(&j))
        goto out;
    judge_successes(&j);
    if (e->ncampaigns)
        qsort(e->campaigns, e->ncampaigns, sizeof(*e->campaigns), cmp_campaign);
    if (number(e))
        goto out;
    ret = 0;
out:
    if (ret)
        e->counts.oom++;
    free(j.groups);
    mr_table_free(j.by_key);
    mr_table_free(j.by_net);
    return ret;
}

size_t mr_auth_engine_ncampaigns(const mr_auth_engine *e)
{
    return e->ncampaigns;
}

const mr_auth_campaign *mr_auth_engine_campaign(const mr_auth_engine *e,
                                                size_t i)
{
    return i < e->ncampaigns ? &e->campaigns[i] : NULL;
}
