/*
 * patch.c — the `mamori patch` object (patch.h): one run per host, in
 * the order an administrator reads them: updates waiting and the age of
 * the lists (apt.c), automatic updates (autoupd.c; dnf-automatic in
 * autoupd_dnf.c when the inventory is RPM's, rpmdb.c), restarts
 * (restart.c), the release's support (support.c), how fast security
 * updates were applied (cadence.c); then, at finish, one
 * summary of what was read.
 */
#include "common.h"

#include <time.h>

#include "patch/patch_int.h"
#include "util/time.h"

struct mamori_patch {
    const mamori_ctx *ctx;
    mamori_patch_opts opts;
    char *tracker;           /* opts.tracker, copied */
    char *osv;               /* opts.osv, copied */
    char *scope;             /* opts.scope, copied */
    /* the cadence of the last host that measured one (cadence.c) */
    uint64_t waits, waits_late;
    int64_t wait_median, wait_worst;
    int tracker_read;
    /* apt's history of the last host that had one */
    int have_history;
    int64_t last_upgrade;
    mr_apt_run runs[MR_PATCH_RUNS_MAX];
    size_t nruns;
    /* dpkg's log of the last host that had one: the last upgrade */
    int have_dpkglog;
    int64_t dpkg_upgrade;
    mr_dpkg_change changes[MR_PATCH_CHANGES_MAX];
    uint64_t nchanges;
    /* the charts of the last host with something to draw (chart.c) */
    mr_suite_count suites[MR_PATCH_RELEASES_MAX];
    size_t nsuites;
    mr_exposure exp[MR_PATCH_EXPOSURE_MAX];
    size_t nexp;
    uint64_t known_packages, cves_fixed, cves_open, cves_postponed,
        cves_ignored, cves_unimportant, osv_records;
    mamori_err first_error;
    int hosts;             /* reviewed with a dpkg status */
    uint64_t installed, held, lists, releases, updates, security_updates;
};

void mr_patch_display(const mr_patch_run *r, const char *path, char *out)
{
    if (mamori_sysroot_display(r->sr, path, out, MR_PATCH_PATH_MAX))
        snprintf(out, MR_PATCH_PATH_MAX, "%s", path);
}

void mr_patch_finding(mr_patch_run *r, mamori_finding *f, const char *id,
                      const char *file)
{
    (void)r;
    memset(f, 0, sizeof(*f));
    f->check = mamori_check_find(id);
    f->severity = f->check ? f->check->severity : MAMORI_SEV_MEDIUM;
    f->category = strncmp(id, "patch.", 6) == 0 ? id + 6 : id;
    f->file = file;
    f->time = INT64_MIN;
}

void mr_patch_field(mamori_finding *f, const char *name, const char *s)
{
    if (s)
        mamori_finding_str(f, name, s, strlen(s));
}

void mr_patch_send(mr_patch_run *r, mamori_finding *f)
{
    if (r->stopped || !r->sink->finding)
        return;
    if (r->sink->finding(r->sink->user, f))
        r->stopped = 1;
}

int64_t mr_patch_days(const mr_patch_run *r, int64_t t)
{
    if (t == INT64_MIN || t > r->now)
        return 0;
    return (r->now - t) / 86400;
}

void mr_patch_date(int64_t t, char *out)
{
    out[0] = '\0';
    if (t == INT64_MIN)
        return;
    /* civil_from_days (Howard Hinnant's algorithm): no gmtime. */
    int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 16, "%04d-%02d-%02d", (int)(y % 10000), (int)m, (int)d);
}

mamori_err mamori_patch_new(const mamori_ctx *ctx,
                            const mamori_patch_opts *opts, mamori_patch **out)
{
    *out = NULL;
    mamori_patch *p = calloc(1, sizeof(*p));
    if (!p)
        return MAMORI_E_NOMEM;
    p->ctx = ctx;
    if (opts)
        p->opts = *opts;
    if (p->opts.tracker && !(p->tracker = strdup(p->opts.tracker))) {
        free(p);
        return MAMORI_E_NOMEM;
    }
    p->opts.tracker = p->tracker;
    if (p->opts.osv && !(p->osv = strdup(p->opts.osv))) {
        free(p->tracker);
        free(p);
        return MAMORI_E_NOMEM;
    }
    p->opts.osv = p->osv;
    if (p->opts.scope && !(p->scope = strdup(p->opts.scope))) {
        free(p->osv);
        free(p->tracker);
        free(p);
        return MAMORI_E_NOMEM;
    }
    p->opts.scope = p->scope;
    if (!p->opts.stale_days)
        p->opts.stale_days = MAMORI_PATCH_STALE_DAYS;
    *out = p;
    return MAMORI_OK;
}

mamori_err mamori_patch_host(mamori_patch *p, const mamori_sysroot *sr,
                             const mamori_sink *sink)
{
    mr_patch_run *r = calloc(1, sizeof(*r));
    if (!r)
        return MAMORI_E_NOMEM;
    r->ctx = p->ctx;
    r->sink = sink;
    r->sr = sr;
    r->now = p->opts.now ? p->opts.now : (int64_t)time(NULL);
    r->stale_days = p->opts.stale_days;
    mr_arena_init(&r->arena, MR_PATCH_ARENA_MAX);
    mamori_err e = MAMORI_OK;
    r->pkgs = mr_table_new(MR_PATCH_PACKAGES_MAX, sizeof(mr_pkg), NULL);
    if (!r->pkgs) {
        e = MAMORI_E_NOMEM;
        goto out;
    }
    int rpm = mr_patch_is_rpm(r);
    e = rpm ? mr_patch_rpmdb(r) : mr_patch_dpkg(r);
    if (e == MAMORI_OK) {
        if (!rpm) {
            mr_patch_history(r);
            mr_patch_dpkglog(r);
            mr_patch_apt(r);
        } else {
            mr_patch_dnf_repos(r);
        }
        if (!r->stopped && (p->opts.tracker || p->opts.osv)) {
            mr_table *sources = mr_patch_sources(r);
            if (!sources) {
                mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, NULL, 0,
                             "out of memory: known vulnerabilities not "
                             "matched");
                r->tracker_error = MAMORI_E_NOMEM;
            }
            if (sources && p->opts.tracker)
                mr_patch_tracker(r, p->opts.tracker, sources);
            if (sources && p->opts.osv && !r->stopped)
                mr_patch_osv(r, p->opts.osv, sources);
            mr_table_free(sources);
        }
        if (!r->stopped)
            mr_patch_cadence(r, p->opts.history, p->opts.scope);
        if (!r->stopped && rpm)
            mr_patch_auto_dnf(r);
        else if (!r->stopped)
            mr_patch_auto(r);
        if (r->tracker_error && !e)
            e = r->tracker_error;
    }
    if (!r->stopped)
        mr_patch_restart(r);
    if (!r->stopped)
        mr_patch_support(r);
    if (!r->stopped && r->have_status && !r->rpm)
        mr_patch_unsupported(r);
    if (r->stopped)
        e = MAMORI_E_ABORTED;
    p->hosts += r->have_status;
    p->installed += r->installed;
    p->held += r->held;
    p->lists += r->lists;
    p->releases += r->nrel;
    p->updates += r->updates;
    p->security_updates += r->security_updates;
    p->tracker_read |= r->tracker_read;
    if (r->history_files) {
        /* The ring's runs, oldest first. */
        p->have_history = 1;
        p->last_upgrade = r->last_upgrade;
        p->nruns = (size_t)MR_MIN(r->nruns, (uint64_t)MR_PATCH_RUNS_MAX);
        for (size_t i = 0; i < p->nruns; i++)
            p->runs[i] = r->runs[(r->nruns - p->nruns + i) % MR_PATCH_RUNS_MAX];
    }
    if (r->dpkglog_files) {
        p->have_dpkglog = 1;
        p->dpkg_upgrade = r->dpkg_upgrade;
        p->nchanges = r->nchanges;
        memcpy(p->changes, r->changes, sizeof(p->changes));
    }
    if (r->nsuites || r->nexp) {
        p->nsuites = r->nsuites;
        memcpy(p->suites, r->suites, r->nsuites * sizeof(r->suites[0]));
        p->nexp = r->nexp;
        memcpy(p->exp, r->exp, r->nexp * sizeof(r->exp[0]));
    }
    if (r->nwaits) {
        p->waits = r->nwaits;
        p->waits_late = r->waits_late;
        p->wait_median = r->wait_median;
        p->wait_worst = r->wait_worst;
    }
    p->known_packages += r->known_packages;
    p->osv_records += r->osv_records;
    p->cves_fixed += r->cves_fixed;
    p->cves_open += r->cves_open;
    p->cves_postponed += r->cves_postponed;
    p->cves_ignored += r->cves_ignored;
    p->cves_unimportant += r->cves_unimportant;
out:
    mr_table_free(r->pkgs);
    mr_arena_free(&r->arena);
    free(r);
    if (e && !p->first_error)
        p->first_error = e;
    return e;
}

/* The last upgrade session of dpkg's log: how many packages it changed
 * and the first MR_PATCH_CHANGES_MAX of them. */
static void last_upgrade_table(const mamori_patch *p, mamori_summary *s)
{
    char day[16];
    mamori_summary_counter(s, "last_upgrade_changes",
                           "packages the last upgrade changed (dpkg.log)",
                           "直近の更新で変わったパッケージ（dpkg.log）",
                           (int64_t)p->nchanges);
    static const char *const cols[] = {"date", "action", "package", "from",
                                       "to"};
    if (mamori_summary_table(s, "last_upgrade",
                             "the last upgrade (dpkg.log)",
                             "直近の更新（dpkg.log）", 5, cols) != MAMORI_OK)
        return;
    size_t kept = (size_t)MR_MIN(p->nchanges, (uint64_t)MR_PATCH_CHANGES_MAX);
    for (size_t i = 0; i < kept; i++) {
        const mr_dpkg_change *c = &p->changes[i];
        mr_patch_date(c->when, day);
        mamori_cell row[5] = {{day, 0},       {c->action, 0},
                              {c->package, 0}, {c->from, 0},
                              {c->to, 0}};
        mamori_summary_row(s, row);
    }
}

mamori_err mamori_patch_finish(mamori_patch *p, const mamori_sink *sink)
{
    if (p->hosts && sink->summary) {
        mamori_summary *s = mamori_summary_new("patch");
        if (!s)
            return p->first_error ? p->first_error : MAMORI_E_NOMEM;
        mamori_summary_counter(s, "packages", "installed packages",
                               "インストール済みパッケージ",
                               (int64_t)p->installed);
        mamori_summary_counter(s, "held", "packages on hold",
                               "保留中のパッケージ", (int64_t)p->held);
        mamori_summary_counter(s, "releases", "archive suites (Release files)",
                               "アーカイブのスイート（Releaseファイル）",
                               (int64_t)p->releases);
        mamori_summary_counter(s, "lists", "package lists read",
                               "読み込んだパッケージ一覧",
                               (int64_t)p->lists);
        mamori_summary_counter(s, "updates", "updates waiting",
                               "未適用の更新", (int64_t)p->updates);
        mamori_summary_counter(s, "security_updates",
                               "security updates waiting",
                               "未適用のセキュリティ更新",
                               (int64_t)p->security_updates);
        /* The charts first: what waits, and for how long. */
        mr_patch_chart_tables(s, p->suites, p->nsuites, p->exp, p->nexp);
        if (p->have_history || p->have_dpkglog) {
            int64_t now = p->opts.now ? p->opts.now : (int64_t)time(NULL);
            /* The later of apt's history and dpkg's log: dpkg sees
             * upgrades apt did not make (dpkg -i, other front ends). */
            int64_t last = p->have_history ? p->last_upgrade : INT64_MIN;
            if (p->have_dpkglog && p->dpkg_upgrade > last)
                last = p->dpkg_upgrade;
            mamori_summary_counter(
                s, "days_since_upgrade",
                "days since a package was last upgraded (-1: never)",
                "パッケージが最後に更新されてからの日数（-1: なし）",
                last == INT64_MIN ? -1
                : last > now      ? 0
                                  : (now - last) / 86400);
        }
        if (p->have_dpkglog)
            last_upgrade_table(p, s);
        if (p->waits) {
            mamori_summary_counter(
                s, "cadence_updates",
                "security updates applied in the last 90 days, with a known wait",
                "直近90日に適用されたセキュリティ更新（待ち日数が分かるもの）",
                (int64_t)p->waits);
            mamori_summary_counter(s, "cadence_median_days",
                                   "days they waited (median)",
                                   "適用までの日数（中央値）", p->wait_median);
            mamori_summary_counter(s, "cadence_worst_days",
                                   "days they waited (longest)",
                                   "適用までの日数（最長）", p->wait_worst);
            mamori_summary_counter(s, "cadence_late",
                                   "of them waited past 45 days",
                                   "うち45日を超えて待ったもの",
                                   (int64_t)p->waits_late);
        }
        if (p->have_history) {
            static const char *const cols[] = {"date", "command", "upgraded",
                                               "installed", "removed"};
            if (mamori_summary_table(s, "apt_runs",
                                     "apt's last runs (history.log)",
                                     "aptの直近の実行（history.log）", 5,
                                     cols) == MAMORI_OK) {
                for (size_t i = 0; i < p->nruns; i++) {
                    char day[16];
                    mr_patch_date(p->runs[i].start, day);
                    mamori_cell row[5] = {
                        {day, 0},
                        {p->runs[i].command, 0},
                        {NULL, (int64_t)p->runs[i].upgraded},
                        {NULL, (int64_t)p->runs[i].installed},
                        {NULL, (int64_t)p->runs[i].removed}};
                    mamori_summary_row(s, row);
                }
            }
        }
        if (p->tracker_read) {
            mamori_summary_counter(s, "vulnerable_packages",
                                   "packages with fixes not installed",
                                   "修正が未適用のパッケージ",
                                   (int64_t)p->known_packages);
            if (p->opts.osv)
                mamori_summary_counter(s, "osv_records", "OSV records read",
                                       "読み込んだOSVレコード",
                                       (int64_t)p->osv_records);
            mamori_summary_counter(s, "cves_fixed_not_installed",
                                   "CVEs fixed, fix not installed",
                                   "修正版が出ているが未適用のCVE",
                                   (int64_t)p->cves_fixed);
            mamori_summary_counter(s, "cves_no_fix", "CVEs with no fix yet",
                                   "修正版がまだないCVE",
                                   (int64_t)p->cves_open);
            mamori_summary_counter(s, "cves_postponed",
                                   "CVEs postponed by the distribution",
                                   "ディストリビューションが対応を延期したCVE",
                                   (int64_t)p->cves_postponed);
            mamori_summary_counter(s, "cves_ignored",
                                   "CVEs ignored by the distribution",
                                   "ディストリビューションが対応しないCVE",
                                   (int64_t)p->cves_ignored);
            mamori_summary_counter(s, "cves_unimportant", "unimportant CVEs",
                                   "重要度が低いとされたCVE",
                                   (int64_t)p->cves_unimportant);
        }
        if (sink->summary(sink->user, s) && !p->first_error)
            p->first_error = MAMORI_E_ABORTED;
    }
    return p->first_error;
}

void mamori_patch_free(mamori_patch *p)
{
    if (p) {
        free(p->tracker);
        free(p->osv);
        free(p->scope);
    }
    free(p);
}
