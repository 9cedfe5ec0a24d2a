/*
 * engine.c — the reading half of the campaign engine (engine.h): each
 * login event updates the per-source, per-account, per-bucket, success
 * and session tables. Constant work per event (a few hash lookups), so
 * the engine keeps up with the parsers; all judgement waits for finish
 * (campaign.c), when the whole picture is known.
 *
 * Table sizes come from the memory budget: each entry costs its value,
 * its key copy, allocator overhead and its share of the slot array, and
 * the tables get fixed shares (sources half, accounts a quarter,
 * successes a tenth; the rest is for finish and the small tables).
 */
#include "common.h"

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"

#define MR_AUTH_KEY_COST 48          /* typical key copy (an address) */
#define MR_AUTH_ENTRY_OVERHEAD 102   /* slots at worst load + malloc */
#define MR_AUTH_EXPLAIN_WINDOW 600   /* a success this soon after a failure
                                      * of the same account and source is a
                                      * typo, not an attack */
#define MR_AUTH_TABLE_MIN 1024

uint64_t mr_auth_hash(const void *p, size_t n)
{
    uint64_t h = mr_hash64(p, n, 0x6d616d6f7269ULL);
    return h ? h : 1;
}

uint64_t mr_auth_sketch_count(const uint64_t *bits, size_t words)
{
    size_t m = words * 64, zeros = 0;
    for (size_t i = 0; i < words; i++)
        zeros += 64 - (size_t)__builtin_popcountll(bits[i]);
    if (zeros == 0)
        return (uint64_t)(m * 4); /* saturated: "many" */
    double est = -(double)m * __builtin_log((double)zeros / (double)m);
    return (uint64_t)(est + 0.5);
}

static void sketch_add(uint64_t *bits, size_t words, uint64_t h)
{
    size_t bit = (size_t)((h >> 20) % (words * 64));
    bits[bit / 64] |= (uint64_t)1 << (bit % 64);
}

static size_t entries_for(size_t bytes, size_t value_size)
{
    size_t per = MR_AUTH_ENTRY_OVERHEAD + MR_AUTH_KEY_COST +
                 ((value_size + 15) & ~(size_t)15);
    return MR_MAX(bytes / per, (size_t)MR_AUTH_TABLE_MIN);
}

static uint64_t weight_src(const void *v)
{
    const mr_auth_src *s = v;
    return (uint64_t)s->failures * 4 + s->successes + (s->bf_hit ? 1000 : 0);
}

static uint64_t weight_acct(const void *v)
{
    const mr_auth_acct *a = v;
    return (uint64_t)a->failures + a->successes * 2u;
}

static uint64_t weight_success(const void *v)
{
    const mr_auth_success *s = v;
    return s->pre_failures ? 1000 + s->pre_failures : s->count;
}

mr_auth_engine *mr_auth_engine_new(const mr_auth_cfg *cfg)
{
    mr_auth_engine *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->cfg = *cfg;
    size_t b = cfg->memory_budget;
    e->sources = mr_table_new(entries_for(b / 2, sizeof(mr_auth_src)),
                              sizeof(mr_auth_src), weight_src);
    e->accounts = mr_table_new(entries_for(b / 4, sizeof(mr_auth_acct)),
                               sizeof(mr_auth_acct), weight_acct);
    e->successes = mr_table_new(entries_for(b / 10, sizeof(mr_auth_success)),
                                sizeof(mr_auth_success), weight_success);
    e->buckets = mr_table_new(MR_AUTH_BUCKETS_MAX, sizeof(mr_auth_bucket), NULL);
    e->pids = mr_table_new(MR_AUTH_PIDS_MAX, sizeof(int64_t), NULL);
    mr_arena_init(&e->arena, b / 8);
    e->now = INT64_MIN;
    if (!e->sources || !e->accounts || !e->successes || !e->buckets || !e->pids) {
        mr_auth_engine_free(e);
        return NULL;
    }
    return e;
}

void mr_auth_engine_free(mr_auth_engine *e)
{
    if (!e)
        return;
    mr_table_free(e->sources);
    mr_table_free(e->accounts);
    mr_table_free(e->successes);
    mr_table_free(e->buckets);
    mr_table_free(e->pids);
    mr_arena_free(&e->arena);
    free(e->campaigns);
    free(e);
}

void mr_auth_engine_counts(const mr_auth_engine *e, mr_auth_counts *c)
{
    *c = e->counts;
    c->evicted_sources = mr_table_evictions(e->sources);
    c->evicted_accounts = mr_table_evictions(e->accounts);
    c->evicted_successes = mr_table_evictions(e->successes);
}

static void touch(int64_t *first, int64_t *last, int64_t t)
{
    if (*first == 0 || t < *first)
        *first = t;
    if (t > *last)
        *last = t;
}

/* fail2ban-like "N failures within W": a sliding window estimated from
 * the counts of the current and the previous fixed window. */
static void rate(const mr_auth_cfg *cfg, mr_auth_src *s, int64_t t)
{
    uint32_t w = (uint32_t)((t > 0 ? t : 0) / cfg->bf_window) + 1;
    if (w == s->win || w < s->win) {
        s->win_cur++;
    } else {
        s->win_prev = w == s->win + 1 ? s->win_cur : 0;
        s->win_cur = 1;
        s->win = w;
    }
    int64_t into = (t > 0 ? t : 0) % cfg->bf_window;
    double est = (double)s->win_prev * (double)(cfg->bf_window - into) /
                     (double)cfg->bf_window + s->win_cur;
    if (est + 1e-9 >= cfg->bf_failures)
        s->bf_hit = 1;
}

static void on_failure(mr_auth_engine *e, const mr_auth_event *ev,
                       mr_auth_src *s, mr_auth_acct *a, int64_t t,
                       uint64_t ah, uint64_t sh)
{
    const mr_auth_cfg *cfg = &e->cfg;
    int invalid = ev->result == MR_AUTH_INVALID_USER;
    e->counts.failures++;
    e->counts.invalid += (uint64_t)invalid;
    s->failures++;
    s->invalid += (uint32_t)invalid;
    if (!s->fail_first || t < s->fail_first)
        s->fail_first = t;
    sketch_add(&s->acct_bits, 1, ah);
    if (invalid)
        sketch_add(&s->inval_bits, 1, ah);
    if (!s->acct_hash[0])
        s->acct_hash[0] = ah;
    else if (!s->acct_hash[1] && s->acct_hash[0] != ah)
        s->acct_hash[1] = ah;
    rate(cfg, s, t);
    if (!a)
        return;
    a->failures++;
    a->invalid += (uint32_t)invalid;
    a->last_fail_t = t;
    a->last_fail_src = (uint32_t)sh;
    sketch_add(a->src_bits, 2, sh);

    /* Stuffing trace: accounts tried at most twice in a bucket. */
    uint32_t b = (uint32_t)((t > 0 ? t : 0) / cfg->stuffing_window) + 1;
    if (a->bucket != b) {
        a->bucket = b;
        a->bucket_fails = 0;
        a->low_counted = 0;
    }
    a->bucket_fails++;
    if (a->bucket_fails > 3)
        return;
    mr_auth_bucket *bk = mr_table_upsert(e->buckets, &b, sizeof(b), NULL);
    if (!bk) {
        e->counts.oom++;
        return;
    }
    if (a->bucket_fails == 3) {
        if (a->low_counted) {
            bk->low--;
            a->low_counted = 0;
        }
        return;
    }
    if (a->bucket_fails == 1) {
        bk->low++;
        a->low_counted = 1;
    }
    bk->fails++;
    touch(&bk->first, &bk->last, t);
    sketch_add(bk->src_bits, 4, sh);
    s->low_fails++;
    if (!s->low_first)
        s->low_first = b;
    s->low_first = MR_MIN(s->low_first, b);
    s->low_last = MR_MAX(s->low_last, b);
}

#define MR_AUTH_SKEY_MAX MR_TABLE_KEY_MAX

static size_t success_key(char *buf, mr_span src, mr_span acct)
{
    size_t n = MR_MIN(src.n, (size_t)200);
    memcpy(buf, src.p, n);
    buf[n++] = '\n';
    size_t m = MR_MIN(acct.n, (size_t)MR_AUTH_SKEY_MAX - n);
    memcpy(buf + n, acct.p, m);
    return n + m;
}

static int off_hours(const mr_auth_cfg *cfg, int hour)
{
    if (cfg->hours_from < 0 || hour < 0)
        return 0;
    if (cfg->hours_from <= cfg->hours_to)
        return !(hour >= cfg->hours_from && hour < cfg->hours_to);
    return !(hour >= cfg->hours_from || hour < cfg->hours_to);
}

static void on_success(mr_auth_engine *e, const mr_auth_event *ev,
                       mr_auth_src *s, mr_auth_acct *a, int64_t t,
                       uint64_t sh)
{
    char key[MR_AUTH_SKEY_MAX];
    e->counts.successes++;
    s->successes++;
    if (a) {
        a->successes++;
        /* A failure just before, same account and source: a typo. */
        if (a->last_fail_src == (uint32_t)sh && a->last_fail_t &&
            t - a->last_fail_t <= MR_AUTH_EXPLAIN_WINDOW &&
            t >= a->last_fail_t) {
            s->explained++;
            if (a->low_counted) {
                uint32_t b = a->bucket;
                mr_auth_bucket *bk = mr_table_find(e->buckets, &b, sizeof(b));
                if (bk)
                    bk->low--;
                a->low_counted = 0;
            }
        }
    }
    size_t kn = success_key(key, ev->source, ev->account);
    int created;
    mr_auth_success *su = mr_table_upsert(e->successes, key, kn, &created);
    if (!su) {
        e->counts.oom++;
        return;
    }
    if (created)
        su->pre_failures = s->failures;
    su->count++;
    touch(&su->first, &su->last, t);
    su->services |= (uint8_t)(1u << ev->service);
    if (ev->method == MR_AM_PASSWORD)
        su->password++;
    if (ev->method == MR_AM_ANONYMOUS)
        su->anonymous = 1;
    if (off_hours(&e->cfg, ev->hour))
        su->off_hours++;
    if (e->cfg.nallow && !mr_auth_cidr_match(e->cfg.allow, e->cfg.nallow, ev->source))
        su->outside = 1;
    if (ev->pid) {
        int64_t *start = mr_table_upsert(e->pids, &ev->pid, sizeof(ev->pid), NULL);
        if (start)
            *start = t;
    }
}

static void on_session_end(mr_auth_engine *e, const mr_auth_event *ev, int64_t t)
{
    char key[MR_AUTH_SKEY_MAX];
    int64_t len = ev->session;
    if (len < 0 && ev->pid) {
        int64_t *start = mr_table_find(e->pids, &ev->pid, sizeof(ev->pid));
        if (!start || !*start || t < *start)
            return;
        len = t - *start;
        *start = 0;
    }
    if (len < 0)
        return;
    e->counts.sessions++;
    mr_auth_success *su = mr_table_find(e->successes, key,
                                        success_key(key, ev->source, ev->account));
    if (su && len > su->max_session)
        su->max_session = len;
}

void mr_auth_engine_add(mr_auth_engine *e, const mr_auth_event *ev)
{
    int64_t t = ev->time != INT64_MIN ? ev->time : e->now;
    if (t == INT64_MIN)
        t = 1; /* no time at all: keep order, not the calendar */
    if (t > e->now)
        e->now = t;
    e->counts.events++;
    if (ev->result == MR_AUTH_SESSION_END) {
        on_session_end(e, ev, t);
        return;
    }
    uint64_t sh = mr_auth_hash(ev->source.p, ev->source.n);
    uint64_t ah = mr_auth_hash(ev->account.p, ev->account.n);
    mr_auth_src *s = mr_table_upsert(e->sources, ev->source.p, ev->source.n, NULL);
    if (!s) {
        e->counts.oom++;
        return;
    }
    touch(&s->first, &s->last, t);
    s->services |= (uint8_t)(1u << ev->service);
    mr_auth_acct *a = NULL;
    if (ev->account.n) {
        a = mr_table_upsert(e->accounts, ev->account.p, ev->account.n, NULL);
        if (!a) {
            e->counts.oom++;
            return;
        }
        /* the source pointer may have moved: tables are separate, so no */
        touch(&a->first, &a->last, t);
        a->services |= (uint8_t)(1u << ev->service);
    }
    if (ev->result == MR_AUTH_SUCCESS)
        on_success(e, ev, s, a, t, sh);
    else
        on_failure(e, ev, s, a, t, ah, sh);
}
