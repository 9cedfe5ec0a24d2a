/*
 * engine.c — the reading half of the campaign engine (engine.h): each
 * login event updates the per-source, per-account, per-bucket, success
 * and session tables. Constant work per event (a few hash lookups), so
 * the engine keeps up with the parsers; all judgement waits for finish
 * (campaign.c), when the whole picture is known.
 *
 * Each attempt counts once, though a process may tell it in several
 * lines: sshd with UsePAM logs pam_unix's line before its own "Failed
 * password", and summaries ("maximum authentication attempts exceeded",
 * "PAM 2 more authentication failures", sudo's "3 incorrect password
 * attempts") after. Per pid (a direct-mapped slot table): a pam_unix
 * line waits up to MR_AUTH_PENDING_HOLD s for a direct line of its pid,
 * which replaces it, and counts when none comes (pam-only logs); a
 * summary counts only when no direct line of its pid told the tries.
 * Mail daemons serve many connections per process: there a detail line
 * (Dovecot's auth process) counts at once and gives its account a credit
 * that the summary of the same try (the login process, Postfix) uses up.
 *
 * Tables grow as entries come (atable.h), each up to its share of the
 * memory budget: sources 60 %, accounts 16 %, successes 8 %, probers 4 %,
 * stuffing buckets and sshd sessions 2 % each; the rest is for finish
 * (campaign strings, the judging indexes) and the reading buffers.
 */
#include "common.h"

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"

#define MR_AUTH_EXPLAIN_WINDOW 600   /* a success this soon after a failure
                                      * of the same account and source is a
                                      * typo, not an attack */
#define MR_AUTH_FP_SEED 0x6d616d6f7269ULL /* of the sketch hashes */
#define MR_AUTH_SHARE_MIN ((size_t)256 << 10) /* bytes, smallest table */


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

/* The table key (keyed, never 0) and the sketch fingerprint (fixed
 * seed, never 0) of one name. */
static inline void name_keys(const mr_auth_engine *e, mr_span s,
                             uint64_t *key, uint64_t *fp)
{
    const char *p = s.n ? s.p : "";
    uint64_t k = mr_hash(&e->key, p, s.n);
    uint64_t f = mr_hash_fixed(p, s.n, MR_AUTH_FP_SEED);
    *key = k ? k : 1;
    *fp = f ? f : 1;
}

void mr_auth_engine_keys(const mr_auth_engine *e, mr_auth_event *ev)
{
    name_keys(e, ev->source, &ev->source_key, &ev->source_fp);
    name_keys(e, ev->account, &ev->account_key, &ev->account_fp);
}

uint64_t mr_auth_num_key(const mr_auth_engine *e, uint64_t n)
{
    uint64_t h = mr_hash(&e->key, &n, sizeof(n));
    return h ? h : 1;
}

void mr_auth_engine_prefetch(const mr_auth_engine *e, const mr_auth_event *ev,
                             int stage)
{
    if (!ev->source_key)
        return;
    if (stage == 0) {
        mr_atab_prefetch_slot(e->sources, ev->source_key);
        if (ev->account.n)
            mr_atab_prefetch_slot(e->accounts, ev->account_key);
    } else {
        mr_atab_prefetch_entry(e->sources, ev->source_key);
        if (ev->account.n)
            mr_atab_prefetch_entry(e->accounts, ev->account_key);
    }
}

static size_t share(size_t budget, size_t percent)
{
    return MR_MAX(budget / 100 * percent, MR_AUTH_SHARE_MIN);
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

static uint64_t weight_prober(const void *v)
{
    return ((const mr_auth_prober *)v)->probes;
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
    if (mr_hash_key_random(&e->key) != MAMORI_OK) {
        free(e);
        return NULL;
    }
    size_t b = cfg->memory_budget;
    e->sources = mr_atab_new(sizeof(mr_auth_src), MR_AUTH_SRC_KEY_CAP,
                             share(b, 60), weight_src);
    e->accounts = mr_atab_new(sizeof(mr_auth_acct), MR_AUTH_ACCT_KEY_CAP,
                              share(b, 16), weight_acct);
    e->successes = mr_atab_new(sizeof(mr_auth_success), 2 * sizeof(uint64_t),
                               share(b, 8), weight_success);
    e->buckets = mr_atab_new(sizeof(mr_auth_bucket), sizeof(uint32_t),
                             MR_MIN(share(b, 2), (size_t)MR_AUTH_BUCKETS_MAX * 96),
                             NULL);
    e->pids = mr_atab_new(sizeof(int64_t), sizeof(uint32_t),
                          MR_MIN(share(b, 2), (size_t)MR_AUTH_PIDS_MAX * 40), NULL);
    e->probers = mr_atab_new(sizeof(mr_auth_prober), MR_AUTH_SRC_KEY_CAP,
                             share(b, 4), weight_prober);
    mr_arena_init(&e->arena, b / 16);
    e->now = INT64_MIN;
    for (size_t i = 0; i < cfg->nprivileged; i++) {
        mr_auth_event pk;
        mr_auth_event_clear(&pk);
        pk.source = pk.account = mr_span_make(cfg->privileged[i],
                                              strlen(cfg->privileged[i]));
        mr_auth_engine_keys(e, &pk);
        e->priv_keys[i] = pk.account_key;
    }
    if (!e->sources || !e->accounts || !e->successes || !e->buckets || !e->pids ||
        !e->probers) {
        mr_auth_engine_free(e);
        return NULL;
    }
    return e;
}

void mr_auth_engine_free(mr_auth_engine *e)
{
    if (!e)
        return;
    mr_atab_free(e->sources);
    mr_atab_free(e->accounts);
    mr_atab_free(e->successes);
    mr_atab_free(e->buckets);
    mr_atab_free(e->pids);
    mr_atab_free(e->probers);
    mr_arena_free(&e->arena);
    free(e->campaigns);
    free(e);
}

void mr_auth_engine_counts(const mr_auth_engine *e, mr_auth_counts *c)
{
    *c = e->counts;
    c->evicted_sources = mr_atab_evictions(e->sources);
    c->evicted_accounts = mr_atab_evictions(e->accounts);
    c->evicted_successes = mr_atab_evictions(e->successes);
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
        s->win_cur += s->win_cur < UINT16_MAX;
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
                       mr_auth_src *s, mr_auth_acct *a, int64_t t)
{
    uint64_t ah = ev->account_key, sh = ev->source_fp;
    const mr_auth_cfg *cfg = &e->cfg;
    int invalid = ev->result == MR_AUTH_INVALID_USER;
    e->counts.failures++;
    e->counts.invalid += (uint64_t)invalid;
    s->failures++;
    if (!s->fail_first || t < s->fail_first)
        s->fail_first = t;
    sketch_add(&s->acct_bits, 1, ev->account_fp);
    if (invalid)
        sketch_add(&s->inval_bits, 1, ev->account_fp);
    if (ev->announce) {
        s->announce++;
    } else if (s->acct_hash[1] == ah) { /* majority vote of the tries */
        s->heavy_votes += s->heavy_votes < UINT16_MAX;
        s->heavy_n += s->heavy_n < UINT16_MAX;
    } else if (s->heavy_votes == 0) {
        s->acct_hash[1] = ah;
        s->heavy_votes = s->heavy_n = 1;
    } else {
        s->heavy_votes--;
    }
    for (size_t i = 0; i < cfg->nprivileged && ev->account.n; i++)
        if (e->priv_keys[i] == ah)
            s->priv = 1;
    if (!s->acct_hash[0])
        s->acct_hash[0] = ah;
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
    mr_auth_bucket *bk = mr_atab_upsert(e->buckets, mr_auth_num_key(e, b), &b,
                                        sizeof(b), NULL);
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

/* A success record is keyed by the table keys of its two names. */
static void success_key(uint64_t key[2], const mr_auth_event *ev)
{
    key[0] = ev->source_key;
    key[1] = ev->account_key;
}

static uint64_t success_hash(const mr_auth_engine *e, const uint64_t key[2])
{
    uint64_t h = mr_hash(&e->key, key, 2 * sizeof(uint64_t));
    return h ? h : 1;
}

static void keep_name(char *dst, uint8_t *n, mr_span s)
{
    *n = (uint8_t)MR_MIN(s.n, (size_t)MR_AUTH_NAME_CAP);
    if (*n)
        memcpy(dst, s.p, *n);
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
                       mr_auth_src *s, mr_auth_acct *a, int64_t t)
{
    uint64_t key[2], sh = ev->source_fp;
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
                mr_auth_bucket *bk = mr_atab_find(e->buckets, mr_auth_num_key(e, b),
                                                  &b, sizeof(b));
                if (bk)
                    bk->low--;
                a->low_counted = 0;
            }
        }
    }
    success_key(key, ev);
    int created;
    mr_auth_success *su = mr_atab_upsert(e->successes, success_hash(e, key), key,
                                         sizeof(key), &created);
    if (!su) {
        e->counts.oom++;
        return;
    }
    if (created) {
        su->pre_failures = s->failures;
        su->source_key = key[0];
        su->account_key = key[1];
        keep_name(su->source, &su->source_n, ev->source);
        keep_name(su->account, &su->account_n, ev->account);
    }
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
        int64_t *start = mr_atab_upsert(e->pids, mr_auth_num_key(e, ev->pid),
                                        &ev->pid, sizeof(ev->pid), NULL);
        if (start)
            *start = t;
    }
}

static void on_session_end(mr_auth_engine *e, const mr_auth_event *ev, int64_t t)
{
    uint64_t key[2];
    int64_t len = ev->session;
    if (len < 0 && ev->pid) {
        int64_t *start = mr_atab_find(e->pids, mr_auth_num_key(e, ev->pid),
                                      &ev->pid, sizeof(ev->pid));
        if (!start || !*start || t < *start)
            return;
        len = t - *start;
        *start = 0;
    }
    if (len < 0)
        return;
    e->counts.sessions++;
    success_key(key, ev);
    mr_auth_success *su = mr_atab_find(e->successes, success_hash(e, key), key,
                                       sizeof(key));
    if (su && len > su->max_session)
        su->max_session = len;
}

static void on_probe(mr_auth_engine *e, const mr_auth_event *ev, int64_t t)
{
    mr_auth_prober *p = mr_atab_upsert(e->probers, ev->source_key, ev->source.p,
                                       ev->source.n, NULL);
    if (!p) {
        e->counts.oom++;
        return;
    }
    p->probes++;
    touch(&p->first, &p->last, t);
    p->services |= (uint8_t)(1u << ev->service);
}

/* Counts n attempts of ev; a pid-less summary first uses up the credit
 * its account has from detail lines (mail). */
static void account(mr_auth_engine *e, const mr_auth_event *ev, int64_t t,
                    uint32_t n)
{
    mr_auth_src *s = mr_atab_upsert(e->sources, ev->source_key, ev->source.p,
                                    ev->source.n, NULL);
    if (!s) {
        e->counts.oom++;
        return;
    }
    mr_auth_acct *a = NULL;
    if (ev->account.n) {
        a = mr_atab_upsert(e->accounts, ev->account_key, ev->account.p,
                           ev->account.n, NULL);
        if (!a) {
            e->counts.oom++;
            return;
        }
        /* s stays valid: the upsert was into another table */
        if (!ev->pid && ev->result != MR_AUTH_SUCCESS) {
            if (ev->origin == MR_AO_PAM) {
                a->credit = (uint16_t)MR_MIN((uint32_t)a->credit + n, 0xffffu);
            } else if (ev->origin == MR_AO_TOTAL) {
                uint32_t used = MR_MIN(n, (uint32_t)a->credit);
                a->credit = (uint16_t)(a->credit - used);
                if (!(n -= used))
                    return;
            }
        }
        touch(&a->first, &a->last, t);
        a->services |= (uint8_t)(1u << ev->service);
    }
    touch(&s->first, &s->last, t);
    s->services |= (uint8_t)(1u << ev->service);
    for (uint32_t i = 0; i < n; i++) {
        if (ev->result == MR_AUTH_SUCCESS)
            on_success(e, ev, s, a, t);
        else
            on_failure(e, ev, s, a, t);
    }
}

/* ---- one attempt, many lines (see the top) --------------------------- */

static void pend_pop(mr_auth_engine *e, int count)
{
    mr_auth_pending *p = &e->pending[e->pend_head];
    e->pend_head = (e->pend_head + 1) % MR_AUTH_PENDING_MAX;
    e->npend--;
    if (!p->live)
        return;
    p->live = 0;
    mr_auth_pidslot *sl = &e->pidslot[p->slot];
    if (sl->pending == (uint32_t)(p - e->pending) + 1)
        sl->pending = 0;
    if (count)
        account(e, &p->ev, p->t, 1);
}

void mr_auth_engine_flush(mr_auth_engine *e)
{
    while (e->npend)
        pend_pop(e, 1);
}

static void keep(char *dst, size_t cap, mr_span *s)
{
    s->n = MR_MIN(s->n, cap);
    if (s->n)
        memcpy(dst, s->p, s->n);
    s->p = dst;
}

static void pend_push(mr_auth_engine *e, const mr_auth_event *ev, int64_t t,
                      mr_auth_pidslot *sl)
{
    if (e->npend == MR_AUTH_PENDING_MAX)
        pend_pop(e, 1);
    size_t i = (e->pend_head + e->npend) % MR_AUTH_PENDING_MAX;
    mr_auth_pending *p = &e->pending[i];
    e->npend++;
    p->ev = *ev;
    keep(p->source, sizeof(p->source), &p->ev.source);
    keep(p->account, sizeof(p->account), &p->ev.account);
    p->t = t;
    p->slot = (uint32_t)(sl - e->pidslot);
    p->live = 1;
    sl->pending = (uint32_t)i + 1;
}

/* The pending line of sl: counted (flush) or replaced (drop). */
static void pend_settle(mr_auth_engine *e, mr_auth_pidslot *sl, int count)
{
    if (!sl->pending)
        return;
    mr_auth_pending *p = &e->pending[sl->pending - 1];
    sl->pending = 0;
    if (!p->live)
        return;
    p->live = 0;
    if (count)
        account(e, &p->ev, p->t, 1);
}

static void by_pid(mr_auth_engine *e, const mr_auth_event *ev, int64_t t)
{
    mr_auth_pidslot *sl = &e->pidslot[ev->pid % MR_AUTH_PID_SLOTS];
    if (sl->pid != ev->pid) { /* another process: its lines are settled */
        pend_settle(e, sl, 1);
        sl->pid = ev->pid;
        sl->direct_t = 0;
    }
    int told = sl->direct_t && t >= sl->direct_t &&
               t - sl->direct_t <= MR_AUTH_PID_MEMORY;
    switch (ev->origin) {
    case MR_AO_PAM:
        if (told)
            return;
        pend_settle(e, sl, 1);
        pend_push(e, ev, t, sl);
        return;
    case MR_AO_PAM_ECHO:
        if (told)
            return;
        pend_settle(e, sl, 0);   /* the pam_unix line of this very try */
        pend_push(e, ev, t, sl);
        return;
    case MR_AO_TOTAL:
        if (told)
            return;
        pend_settle(e, sl, 0);
        account(e, ev, t, ev->count);
        return;
    case MR_AO_MORE:
        if (told)
            return;
        pend_settle(e, sl, 1);
        account(e, ev, t, ev->count);
        return;
    default:
        pend_settle(e, sl, 0);
        sl->direct_t = t;
        account(e, ev, t, ev->count);
        return;
    }
}

void mr_auth_engine_add(mr_auth_engine *e, const mr_auth_event *event)
{
    mr_auth_event keyed_ev;
    const mr_auth_event *ev = event;
    if (!ev->source_key) {
        keyed_ev = *event;
        mr_auth_engine_keys(e, &keyed_ev);
        ev = &keyed_ev;
    }
    int64_t t = ev->time != INT64_MIN ? ev->time : e->now;
    if (t == INT64_MIN)
        t = 1; /* no time at all: keep order, not the calendar */
    if (t > e->now)
        e->now = t;
    e->counts.events++;
    while (e->npend && e->pending[e->pend_head].t + MR_AUTH_PENDING_HOLD < t)
        pend_pop(e, 1);
    if (ev->result == MR_AUTH_SESSION_END) {
        on_session_end(e, ev, t);
        return;
    }
    if (ev->result == MR_AUTH_PROBE) {
        on_probe(e, ev, t);
        return;
    }
    if (ev->pid)
        by_pid(e, ev, t);
    else
        account(e, ev, t, ev->count ? ev->count : 1);
}
