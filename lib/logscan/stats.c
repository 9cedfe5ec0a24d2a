/*
 * stats.c — see stats.h. Everything here runs on the driver's merge
 * thread, once per attack (about 1% of lines) or once per chunk, so it
 * favours clarity over speed; only the tables' bounds matter.
 */
#include "common.h"

#include <math.h>
#include <time.h>

#include "logscan/stats.h"

typedef struct client_stat {
    uint64_t total, success;
    uint32_t per_cat[MR_CAT_COUNT];
    int64_t first, last;
    uint16_t sample_len;
    char sample[MR_LS_SAMPLE_MAX];
} client_stat;

typedef struct path_stat {
    uint64_t total, success;
    uint32_t cat_mask;
    uint32_t clients;        /* distinct clients seen first on this path */
} path_stat;

typedef struct pair_stat {
    uint64_t count;
    uint32_t cat_mask;
    int64_t first, last;
} pair_stat;

typedef struct hour_stat {
    uint32_t per_cat[MR_CAT_COUNT];
} hour_stat;

struct mr_ls_stats {
    mr_table *sizes, *clients, *paths, *pairs, *hours;
    uint64_t attempts[MR_CAT_COUNT], successes[MR_CAT_COUNT];
};

static uint64_t size_weight(const void *v) { return ((const mr_size_stat *)v)->n; }
static uint64_t client_weight(const void *v) { return ((const client_stat *)v)->total; }
static uint64_t path_weight(const void *v) { return ((const path_stat *)v)->total; }
static uint64_t pair_weight(const void *v) { return ((const pair_stat *)v)->count; }

static uint64_t hour_weight(const void *v)
{
    const hour_stat *h = v;
    uint64_t s = 0;
    for (int i = 0; i < MR_CAT_COUNT; i++)
        s += h->per_cat[i];
    return s;
}

mr_ls_stats *mr_ls_stats_new(size_t max_clients, size_t max_paths,
                             size_t budget)
{
    mr_ls_stats *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    size_t b = budget / 100;
    st->sizes = mr_table_new_bytes(max_paths, b * 24, sizeof(mr_size_stat), size_weight);
    st->clients = mr_table_new_bytes(max_clients, b * 30, sizeof(client_stat), client_weight);
    st->paths = mr_table_new_bytes(max_paths, b * 20, sizeof(path_stat), path_weight);
    st->pairs = mr_table_new_bytes(max_clients, b * 20, sizeof(pair_stat), pair_weight);
    st->hours = mr_table_new_bytes(MR_LS_HOURS_MAX, b * 6, sizeof(hour_stat), hour_weight);
    if (!st->sizes || !st->clients || !st->paths || !st->pairs || !st->hours) {
        mr_ls_stats_free(st);
        return NULL;
    }
    return st;
}

void mr_ls_stats_free(mr_ls_stats *st)
{
    if (!st)
        return;
    mr_table_free(st->sizes);
    mr_table_free(st->clients);
    mr_table_free(st->paths);
    mr_table_free(st->pairs);
    mr_table_free(st->hours);
    free(st);
}

mr_span mr_ls_target_path(mr_span target)
{
    /* Browsers never send a '#' fragment; a raw one stays in the key. */
    const char *q = target.n ? memchr(target.p, '?', target.n) : NULL;
    return q ? mr_span_make(target.p, (size_t)(q - target.p)) : target;
}

static void add_sizes(void *to, const void *from)
{
    mr_size_stat *s = to;
    const mr_size_stat *d = from;
    s->n += d->n;
    s->sum += d->sum;
    s->sumsq += d->sumsq;
}

void mr_ls_stats_merge_sizes(mr_ls_stats *st, const mr_table *delta)
{
    mr_table_merge(st->sizes, delta, add_sizes);
}

const mr_table *mr_ls_stats_sizes(const mr_ls_stats *st)
{
    return st->sizes;
}

int mr_ls_stats_size_unusual(const mr_ls_stats *st, mr_span path, int64_t size)
{
    const mr_size_stat *s = mr_table_find(st->sizes, path.p, path.n);
    if (!s || s->n < MR_LS_BASELINE_MIN || size < 0)
        return -1;
    double mean = s->sum / (double)s->n;
    double var = s->sumsq / (double)s->n - mean * mean;
    double sd = var > 0 ? sqrt(var) : 0;
    /* Far means beyond three standard deviations, and beyond a fifth of
     * the mean and 200 bytes, so that tiny jitter on a constant page
     * (timestamps, tokens) is not "far". */
    double tol = MR_MAX(3 * sd, MR_MAX(0.2 * mean, 200.0));
    return fabs((double)size - mean) > tol;
}

void mr_ls_stats_evictions(const mr_ls_stats *st, uint64_t *clients,
                           uint64_t *paths)
{
    *clients = mr_table_evictions(st->clients) + mr_table_evictions(st->pairs);
    *paths = mr_table_evictions(st->paths) + mr_table_evictions(st->sizes);
}

static uint32_t bit(mr_category c) { return 1u << c; }

void mr_ls_stats_attack(mr_ls_stats *st, const mr_http_event *ev,
                        mr_span path, mr_category cat, int possible_success)
{
    st->attempts[cat]++;
    if (possible_success)
        st->successes[cat]++;

    int created = 0;
    client_stat *c = mr_table_upsert(st->clients, ev->client.p, ev->client.n,
                                     &created);
    if (c) {
        if (created) {
            c->first = ev->time;
            c->sample_len = (uint16_t)MR_MIN(ev->request.n, sizeof(c->sample));
            memcpy(c->sample, ev->request.p, c->sample_len);
        }
        c->total++;
        c->success += possible_success != 0;
        c->per_cat[cat]++;
        if (ev->time != INT64_MIN) {
            if (c->first == INT64_MIN || ev->time < c->first)
                c->first = ev->time;
            if (ev->time > c->last)
                c->last = ev->time;
        }
    }

    path_stat *p = mr_table_upsert(st->paths, path.p, path.n, NULL);
    if (p) {
        p->total++;
        p->success += possible_success != 0;
        p->cat_mask |= bit(cat);
    }

    char key[MR_TABLE_KEY_MAX];
    size_t cn = MR_MIN(ev->client.n, (size_t)64);
    size_t pn = MR_MIN(path.n, sizeof(key) - cn - 1);
    memcpy(key, ev->client.p, cn);
    key[cn] = '\0';
    memcpy(key + cn + 1, path.p, pn);
    pair_stat *pr = mr_table_upsert(st->pairs, key, cn + 1 + pn, &created);
    if (pr) {
        if (created) {
            pr->first = ev->time;
            if (p)
                p->clients++;
        }
        pr->count++;
        pr->cat_mask |= bit(cat);
        if (ev->time > pr->last)
            pr->last = ev->time;
    }

    if (ev->time != INT64_MIN) {
        int64_t hour = ev->time / 3600;
        hour_stat *h = mr_table_upsert(st->hours, &hour, sizeof(hour), NULL);
        if (h)
            h->per_cat[cat]++;
    }
}

/* ---- summary ------------------------------------------------------ */

#define TIME_STR_MAX 32
#define CATS_STR_MAX 128

static void fmt_time(int64_t t, char *buf, size_t cap)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t == INT64_MIN || !gmtime_r(&tt, &tm)) {
        snprintf(buf, cap, "-");
        return;
    }
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void fmt_cats(uint32_t mask, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < MR_CAT_COUNT; c++) {
        if (!(mask & bit((mr_category)c)))
            continue;
        int w = snprintf(buf + n, cap - n, "%s%s", n ? "," : "",
                         mr_category_name((mr_category)c));
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
}

typedef struct ranked {
    const char *key;
    size_t klen;
    const void *v;
    uint64_t w;
} ranked;

static int by_weight_desc(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->w != y->w)
        return x->w < y->w ? 1 : -1;
    size_t n = MR_MIN(x->klen, y->klen);
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* The entries of t with weight >= min, heaviest first; caller frees. */
static ranked *rank(const mr_table *t, uint64_t (*w)(const void *),
                    uint64_t min, size_t *n)
{
    ranked *r = malloc((mr_table_count(t) + 1) * sizeof(*r));
    *n = 0;
    if (!r)
        return NULL;
    for (size_t i = 0; i < mr_table_slots(t); i++) {
        const char *key;
        size_t klen;
        const void *v = mr_table_slot(t, i, &key, &klen);
        if (v && w(v) >= min)
            r[(*n)++] = (ranked){key, klen, v, w(v)};
    }
    qsort(r, *n, sizeof(*r), by_weight_desc);
    return r;
}

static char *key_str(const ranked *r, char *buf, size_t cap)
{
    size_t n = MR_MIN(r->klen, cap - 1);
    memcpy(buf, r->key, n);
    buf[n] = '\0';
    return buf;
}

static mamori_err add_categories(const mr_ls_stats *st, mamori_summary *s)
{
    static const char *const cols[] = {"category", "attempts", "possible_success"};
    mamori_err e = mamori_summary_table(s, "by_category", "Attacks by category",
                                        "カテゴリ別の攻撃", 3, cols);
    for (int c = 0; !e && c < MR_CAT_COUNT; c++) {
        mamori_cell row[3] = {{mr_category_name((mr_category)c), 0},
                              {NULL, (int64_t)st->attempts[c]},
                              {NULL, (int64_t)st->successes[c]}};
        e = mamori_summary_row(s, row);
    }
    return e;
}

static mamori_err add_clients(const mr_ls_stats *st, mamori_summary *s)
{
    static const char *const cols[] = {"client", "attacks", "possible_success",
                                       "categories", "first", "last", "sample"};
    size_t n;
    ranked *r = rank(st->clients, client_weight, 1, &n);
    if (!r)
        return MAMORI_E_NOMEM;
    mamori_err e = mamori_summary_table(s, "top_clients",
        "Top attacking clients and what they tried",
        "攻撃元クライアント上位と試行内容", 7, cols);
    for (size_t i = 0; !e && i < MR_MIN(n, (size_t)MR_LS_TOP_ROWS); i++) {
        const client_stat *c = r[i].v;
        char key[MR_TABLE_KEY_MAX + 1], cats[CATS_STR_MAX], first[TIME_STR_MAX],
            last[TIME_STR_MAX], sample[MR_LS_SAMPLE_MAX + 1];
        uint32_t mask = 0;
        for (int k = 0; k < MR_CAT_COUNT; k++)
            if (c->per_cat[k])
                mask |= bit((mr_category)k);
        fmt_cats(mask, cats, sizeof(cats));
        fmt_time(c->first, first, sizeof(first));
        fmt_time(c->last == 0 ? c->first : c->last, last, sizeof(last));
        memcpy(sample, c->sample, c->sample_len);
        sample[c->sample_len] = '\0';
        mamori_cell row[7] = {{key_str(&r[i], key, sizeof(key)), 0},
                              {NULL, (int64_t)c->total},
                              {NULL, (int64_t)c->success},
                              {cats, 0}, {first, 0}, {last, 0}, {sample, 0}};
        e = mamori_summary_row(s, row);
    }
    if (!e && n > MR_LS_TOP_ROWS)
        mamori_summary_more_rows(s, n - MR_LS_TOP_ROWS);
    free(r);
    return e;
}

static mamori_err add_paths(const mr_ls_stats *st, mamori_summary *s)
{
    static const char *const cols[] = {"path", "attacks", "possible_success",
                                       "clients", "categories"};
    size_t n;
    ranked *r = rank(st->paths, path_weight, 1, &n);
    if (!r)
        return MAMORI_E_NOMEM;
    mamori_err e = mamori_summary_table(s, "top_paths", "Most attacked paths",
                                        "攻撃が多いパス", 5, cols);
    for (size_t i = 0; !e && i < MR_MIN(n, (size_t)MR_LS_TOP_ROWS); i++) {
        const path_stat *p = r[i].v;
        char key[MR_TABLE_KEY_MAX + 1], cats[CATS_STR_MAX];
        fmt_cats(p->cat_mask, cats, sizeof(cats));
        mamori_cell row[5] = {{key_str(&r[i], key, sizeof(key)), 0},
                              {NULL, (int64_t)p->total},
                              {NULL, (int64_t)p->success},
                              {NULL, (int64_t)p->clients}, {cats, 0}};
        e = mamori_summary_row(s, row);
    }
    if (!e && n > MR_LS_TOP_ROWS)
        mamori_summary_more_rows(s, n - MR_LS_TOP_ROWS);
    free(r);
    return e;
}

static mamori_err add_repeats(const mr_ls_stats *st, mamori_summary *s)
{
    static const char *const cols[] = {"client", "path", "attacks",
                                       "categories", "first", "last"};
    size_t n;
    ranked *r = rank(st->pairs, pair_weight, MR_LS_REPEAT_MIN, &n);
    if (!r)
        return MAMORI_E_NOMEM;
    mamori_err e = mamori_summary_table(s, "repeated",
        "Repeated attacks on one URL from one client",
        "同一クライアントから同一URLへの繰り返し攻撃", 6, cols);
    for (size_t i = 0; !e && i < MR_MIN(n, (size_t)MR_LS_TOP_ROWS); i++) {
        const pair_stat *p = r[i].v;
        char key[MR_TABLE_KEY_MAX + 1], cats[CATS_STR_MAX], first[TIME_STR_MAX],
            last[TIME_STR_MAX];
        key_str(&r[i], key, sizeof(key));
        size_t cl = strlen(key); /* client, NUL, path */
        char *path = key + MR_MIN(cl + 1, r[i].klen);
        key[MR_MIN(r[i].klen, sizeof(key) - 1)] = '\0';
        fmt_cats(p->cat_mask, cats, sizeof(cats));
        fmt_time(p->first, first, sizeof(first));
        fmt_time(p->last == 0 ? p->first : p->last, last, sizeof(last));
        mamori_cell row[6] = {{key, 0}, {path, 0}, {NULL, (int64_t)p->count},
                              {cats, 0}, {first, 0}, {last, 0}};
        e = mamori_summary_row(s, row);
    }
    if (!e && n > MR_LS_TOP_ROWS)
        mamori_summary_more_rows(s, n - MR_LS_TOP_ROWS);
    free(r);
    return e;
}

#define TIMELINE_BUCKETS_MAX 96

static mamori_err add_timeline(const mr_ls_stats *st, mamori_summary *s)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < mr_table_slots(st->hours); i++) {
        const char *key;
        if (!mr_table_slot(st->hours, i, &key, NULL))
            continue;
        int64_t h;
        memcpy(&h, key, sizeof(h));
        lo = MR_MIN(lo, h);
        hi = MR_MAX(hi, h);
    }
    if (lo > hi)
        return MAMORI_OK;
    static const int64_t steps[] = {1, 2, 3, 6, 12, 24, 48, 168, 336, 720, 2160, 8760};
    int64_t step = steps[MR_ARRAY_LEN(steps) - 1];
    for (size_t i = 0; i < MR_ARRAY_LEN(steps); i++)
        if ((hi - lo) / steps[i] < TIMELINE_BUCKETS_MAX) {
            step = steps[i];
            break;
        }
    int64_t start = lo - ((lo % step) + step) % step;
    size_t nb = (size_t)((hi - start) / step + 1);
    if (nb > TIMELINE_BUCKETS_MAX)
        nb = TIMELINE_BUCKETS_MAX;
    uint64_t values[MR_CAT_COUNT * TIMELINE_BUCKETS_MAX] = {0};
    for (size_t i = 0; i < mr_table_slots(st->hours); i++) {
        const char *key;
        const hour_stat *h = mr_table_slot(st->hours, i, &key, NULL);
        if (!h)
            continue;
        int64_t hour;
        memcpy(&hour, key, sizeof(hour));
        size_t b = (size_t)((hour - start) / step);
        if (b >= nb)
            continue;
        for (int c = 0; c < MR_CAT_COUNT; c++)
            values[(size_t)c * nb + b] += h->per_cat[c];
    }
    const char *names[MR_CAT_COUNT];
    for (int c = 0; c < MR_CAT_COUNT; c++)
        names[c] = mr_category_name((mr_category)c);
    return mamori_summary_series(s, "timeline", "Attacks over time",
                                 "攻撃の推移", start * 3600, step * 3600, nb,
                                 MR_CAT_COUNT, names, values);
}

mamori_summary *mr_ls_stats_summary(const mr_ls_stats *st,
                                    const mr_ls_counts *k)
{
    mamori_summary *s = mamori_summary_new("logscan");
    if (!s)
        return NULL;
    struct {
        const char *id, *en, *ja;
        uint64_t v;
    } counters[] = {
        {"files", "Files scanned", "走査したファイル", k->files},
        {"bytes", "Bytes read", "読み込んだバイト数", k->bytes},
        {"lines", "Lines", "行数", k->lines},
        {"requests", "Requests parsed", "解析したリクエスト", k->parsed},
        {"malformed", "Malformed lines", "不正な形式の行", k->malformed},
        {"overlong", "Overlong lines skipped", "長すぎてスキップした行", k->overlong},
        {"out_of_window", "Outside --since/--until", "期間外の行", k->out_of_window},
        {"unreadable", "Unreadable or damaged inputs", "読めない／破損した入力", k->unreadable},
        {"skipped_files", "Files skipped (not an access log)", "対象外としたファイル", k->skipped_files},
        {"login_logs", "Login logs left to mamori authscan",
         "ここでは走査しないログインログ（mamori authscan）", k->login_logs},
        {"findings", "Findings", "検出件数", k->findings},
        {"clients", "Attacking clients", "攻撃元クライアント数", mr_table_count(st->clients)},
        {"clients_evicted", "Client entries evicted (table full)",
         "上限により破棄したクライアント", mr_table_evictions(st->clients)},
        {"paths_evicted", "Path entries evicted (table full)",
         "上限により破棄したパス", mr_table_evictions(st->paths) + mr_table_evictions(st->sizes)},
    };
    mamori_err e = MAMORI_OK;
    for (size_t i = 0; !e && i < MR_ARRAY_LEN(counters); i++)
        e = mamori_summary_counter(s, counters[i].id, counters[i].en,
                                   counters[i].ja, (int64_t)counters[i].v);
    if (!e)
        e = add_categories(st, s);
    if (!e)
        e = add_clients(st, s);
    if (!e)
        e = add_paths(st, s);
    if (!e)
        e = add_repeats(st, s);
    if (!e)
        e = add_timeline(st, s);
    if (e) {
        mamori_summary_free(s);
        return NULL;
    }
    return s;
}
