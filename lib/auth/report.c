/*
 * report.c — authscan's results as findings: one finding per campaign
 * (check auth.<category>; an attack on root or another privileged
 * account is at least high, and an attack campaign with successes one
 * step above that); a campaign that break-ins belong to carries an "id"
 * that each of them names as its "campaign"; then a summary with the counters, the campaigns per
 * category, and the evictions that made it approximate.
 *
 * The evidence text is English (the findings' titles and remedies carry
 * the Japanese): counts agree in number ("1 attempt", "2 attempts").
 */
#include "common.h"

#include <time.h>

#include "auth/scan.h"

#define MR_AUTH_EVIDENCE_MAX 256

static void iso(char *buf, size_t n, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        snprintf(buf, n, "-");
        return;
    }
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int is_attack(mr_auth_category c) { return c <= MR_AC_DISTRIBUTED; }

static void services_text(char *buf, size_t n, unsigned mask)
{
    size_t used = 0;
    buf[0] = 0;
    for (int s = 0; s < MR_SVC_COUNT; s++)
        if (mask & (1u << s))
            used += (size_t)snprintf(buf + used, n - MR_MIN(used, n), "%s%s",
                                     used ? "," : "", mr_auth_service_name((mr_auth_service)s));
}

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

/* "about 12 per minute" for n events over [first, last]. */
static void rate_text(char *buf, size_t n, uint64_t count, int64_t first,
                      int64_t last)
{
    static const struct { int64_t secs; const char *unit; } units[] = {
        {60, "minute"}, {3600, "hour"}, {86400, "day"}};
    int64_t span = last > first ? last - first : 0;
    if (count < 2 || span == 0) {
        snprintf(buf, n, "all within a second");
        return;
    }
    for (size_t i = 0; i < MR_ARRAY_LEN(units); i++) {
        double per = (double)(count - 1) * (double)units[i].secs / (double)span;
        if (per >= 1.0 || i + 1 == MR_ARRAY_LEN(units)) {
            snprintf(buf, n, "about %.0f per %s over %lld s", per < 1 ? 1.0 : per,
                     units[i].unit, (long long)span);
            return;
        }
    }
}

static int emit(const mamori_sink *sink,
                const mr_auth_campaign *c)
{
    const mamori_check *check = mamori_check_find(mr_auth_category_check(c->cat));
    if (!check)
        return 0;
    char first[32], last[32], svc[32], evidence[MR_AUTH_EVIDENCE_MAX];
    iso(first, sizeof(first), c->first);
    iso(last, sizeof(last), c->last);
    services_text(svc, sizeof(svc), c->services);
    uint64_t nsrc = c->nsources + c->more_sources;
    uint64_t nacc = c->naccounts + c->more_accounts;
    int n;
    if (c->cat == MR_AC_PROBING) {
        char rate[64];
        rate_text(rate, sizeof(rate), c->attempts, c->first, c->last);
        n = snprintf(evidence, sizeof(evidence),
                     "%llu connection%s closed before any login try, from %llu source%s, %s (%s)",
                     (unsigned long long)c->attempts, plural(c->attempts),
                     (unsigned long long)nsrc, plural(nsrc), rate, svc);
    } else {
        n = snprintf(evidence, sizeof(evidence),
                     "%llu attempt%s, %llu successful, from %llu source%s on %llu account%s (%s)",
                     (unsigned long long)c->attempts, plural(c->attempts),
                     (unsigned long long)c->successes,
                     (unsigned long long)nsrc, plural(nsrc),
                     (unsigned long long)nacc, plural(nacc), svc);
    }
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = check;
    f.severity = check->severity;
    if (is_attack(c->cat) && c->privileged && f.severity < MAMORI_SEV_HIGH)
        f.severity = MAMORI_SEV_HIGH;
    if (is_attack(c->cat) && c->successes && f.severity < MAMORI_SEV_CRITICAL)
        f.severity = (mamori_severity)(f.severity + 1);
    f.category = mr_auth_category_name(c->cat);
    f.verdict = c->successes && c->cat != MR_AC_ANONYMOUS ? "possible-success" : "attempt";
    if (!is_attack(c->cat))
        f.verdict = c->cat == MR_AC_BREAK_IN ? "success" : "login";
    if (c->cat == MR_AC_PROBING)
        f.verdict = "attempt";
    f.time = c->first ? c->first : INT64_MIN;
    f.evidence = evidence;
    f.evidence_len = n > 0 ? MR_MIN((size_t)n, sizeof(evidence) - 1) : 0;
    mamori_finding_list(&f, "sources", c->sources, c->nsources, c->more_sources);
    mamori_finding_list(&f, "accounts", c->accounts, c->naccounts, c->more_accounts);
    if (c->linked) /* only where a break-in names it: no churn elsewhere */
        mamori_finding_int(&f, "id", (int64_t)c->id);
    if (c->link)
        mamori_finding_int(&f, "campaign", (int64_t)c->link);
    mamori_finding_int(&f, "attempts", (int64_t)c->attempts);
    mamori_finding_int(&f, "successes", (int64_t)c->successes);
    mamori_finding_str(&f, "first", first, strlen(first));
    mamori_finding_str(&f, "last", last, strlen(last));
    mamori_finding_str(&f, "service", svc, strlen(svc));
    return sink && sink->finding ? sink->finding(sink->user, &f) : 0;
}

static mamori_summary *summary(mamori_authscan *as, const uint64_t *per_cat,
                               const uint64_t *per_cat_succ)
{
    mr_auth_counts c;
    mr_auth_engine_counts(as->engine, &c);
    mamori_summary *s = mamori_summary_new("authscan");
    if (!s)
        return NULL;
    struct { const char *id, *en, *ja; uint64_t v; } ctr[] = {
        {"files", "files read", "読んだファイル", as->files},
        {"journal_entries", "journal entries read", "読んだジャーナル項目", as->journal_entries},
        {"lines", "lines read", "読んだ行", as->lines},
        {"events", "login events", "ログインイベント", c.events},
        {"failures", "failed logins", "ログイン失敗", c.failures},
        {"invalid_users", "attempts on unknown accounts", "存在しないアカウントへの試行", c.invalid},
        {"successes", "successful logins", "ログイン成功", c.successes},
        {"malformed", "lines not understood", "解釈できない行", as->malformed},
        {"campaigns", "campaigns found", "検知したキャンペーン", mr_auth_engine_ncampaigns(as->engine)},
        {"evicted_sources", "sources evicted (memory bound)", "上限で追い出した送信元", c.evicted_sources},
        {"evicted_accounts", "accounts evicted (memory bound)", "上限で追い出したアカウント", c.evicted_accounts},
        {"evicted_successes", "successes evicted (memory bound)", "上限で追い出した成功記録", c.evicted_successes},
        {"dropped_campaigns", "campaigns over the cap", "上限を超えたキャンペーン", c.dropped_campaigns},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(ctr); i++)
        if (mamori_summary_counter(s, ctr[i].id, ctr[i].en, ctr[i].ja, (int64_t)ctr[i].v))
            goto fail;
    static const char *const cols[] = {"category", "campaigns", "successes"};
    if (mamori_summary_table(s, "by_category", "Campaigns by category",
                             "分類別のキャンペーン", 3, cols))
        goto fail;
    for (int k = 0; k < MR_AC_COUNT; k++) {
        if (!per_cat[k])
            continue;
        mamori_cell row[3] = {{mr_auth_category_name((mr_auth_category)k), 0},
                              {NULL, (int64_t)per_cat[k]},
                              {NULL, (int64_t)per_cat_succ[k]}};
        if (mamori_summary_row(s, row))
            goto fail;
    }
    return s;
fail:
    mamori_summary_free(s);
    return NULL;
}

mamori_err mamori_authscan_finish(mamori_authscan *as, const mamori_sink *sink)
{
    uint64_t per_cat[MR_AC_COUNT] = {0}, per_cat_succ[MR_AC_COUNT] = {0};
    if (mr_auth_engine_finish(as->engine))
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "out of memory while grouping campaigns: results are incomplete");
    mr_auth_counts c;
    mr_auth_engine_counts(as->engine, &c);
    if (c.evicted_sources || c.evicted_accounts || c.evicted_successes)
        mamori_diagf(as->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "memory bound reached: %llu sources, %llu accounts and %llu "
                     "successes were evicted (least active first); raise "
                     "--memory to keep more",
                     (unsigned long long)c.evicted_sources,
                     (unsigned long long)c.evicted_accounts,
                     (unsigned long long)c.evicted_successes);
    if (c.dropped_campaigns)
        mamori_diagf(as->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "%llu campaigns over the cap of %d were not reported",
                     (unsigned long long)c.dropped_campaigns, MR_AUTH_CAMPAIGNS_MAX);
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(as->engine); i++) {
        const mr_auth_campaign *cp = mr_auth_engine_campaign(as->engine, i);
        per_cat[cp->cat]++;
        per_cat_succ[cp->cat] += cp->successes;
        if (emit(sink, cp))
            return MAMORI_E_ABORTED;
    }
    mamori_summary *s = summary(as, per_cat, per_cat_succ);
    if (!s)
        return MAMORI_E_NOMEM;
    if (sink && sink->summary)
        return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
    mamori_summary_free(s);
    return MAMORI_OK;
}
