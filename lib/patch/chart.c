/*
 * chart.c — what the report draws for `mamori patch`: two summary tables
 * whose numeric column every writer can chart (the HTML report draws a
 * bar chart above each table, html_summary.c):
 *   updates_by_suite   updates waiting per archive suite of apt's lists
 *                      (suite, updates, of them security)
 *   exposure_days      the fixes released longest ago and still not
 *                      installed, from OSV's published dates (package,
 *                      advisory, days_exposed), longest first, at
 *                      most MR_PATCH_EXPOSURE_MAX
 * Both are collected as the run goes (apt.c, osv.c) into bounded arrays
 * of the run, and turned into tables at finish (patch.c).
 */
#include "common.h"

#include "patch/patch_int.h"

static void copy(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

void mr_patch_count_update(mr_patch_run *r, const mr_release *rel, int sec)
{
    const char *suite = !rel ? "(no Release file)"
                        : rel->suite[0] ? rel->suite
                        : rel->codename[0] ? rel->codename : "(no suite)";
    mr_suite_count *c = NULL;
    for (size_t i = 0; i < r->nsuites && !c; i++)
        if (strcmp(r->suites[i].suite, suite) == 0)
            c = &r->suites[i];
    if (!c) {
        if (r->nsuites == MR_PATCH_RELEASES_MAX)
            return;
        c = &r->suites[r->nsuites++];
        memset(c, 0, sizeof(*c));
        copy(c->suite, sizeof(c->suite), suite);
    }
    c->updates++;
    c->security += (uint64_t)(sec != 0);
}

void mr_patch_exposure(mr_patch_run *r, const char *package,
                       const char *advisory, int64_t days)
{
    mr_exposure *e = NULL;
    if (r->nexp < MR_PATCH_EXPOSURE_MAX) {
        e = &r->exp[r->nexp++];
    } else {
        /* Full: the shortest exposure makes room for a longer one. */
        size_t min = 0;
        for (size_t i = 1; i < r->nexp; i++)
            if (r->exp[i].days < r->exp[min].days)
                min = i;
        if (r->exp[min].days >= days)
            return;
        e = &r->exp[min];
    }
    copy(e->package, sizeof(e->package), package);
    copy(e->advisory, sizeof(e->advisory), advisory);
    e->days = days;
}

void mr_patch_chart_tables(mamori_summary *s, const mr_suite_count *suites,
                           size_t nsuites, const mr_exposure *exp,
                           size_t nexp)
{
    static const char *const ucols[] = {"suite", "updates", "security"};
    if (nsuites &&
        mamori_summary_table(s, "updates_by_suite",
                             "updates waiting, by suite",
                             "スイートごとの未適用の更新", 3,
                             ucols) == MAMORI_OK) {
        for (size_t i = 0; i < nsuites; i++) {
            mamori_cell row[3] = {{suites[i].suite, 0},
                                  {NULL, (int64_t)suites[i].updates},
                                  {NULL, (int64_t)suites[i].security}};
            mamori_summary_row(s, row);
        }
    }
    /* Three columns: a fourth (the fixed version, in the findings)
     * would not fit a phone's width. */
    static const char *const ecols[] = {"package", "advisory",
                                        "days_exposed"};
    if (!nexp ||
        mamori_summary_table(s, "exposure_days",
                             "days exposed: fixes released, not installed",
                             "修正版の公開から未適用のままの日数", 3,
                             ecols) != MAMORI_OK)
        return;
    /* Longest first; ties by package name, so the order is stable. */
    size_t order[MR_PATCH_EXPOSURE_MAX];
    for (size_t i = 0; i < nexp; i++) {
        size_t j = i;
        while (j > 0 && (exp[order[j - 1]].days < exp[i].days ||
                         (exp[order[j - 1]].days == exp[i].days &&
                          strcmp(exp[order[j - 1]].package,
                                 exp[i].package) > 0))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t i = 0; i < nexp; i++) {
        const mr_exposure *e = &exp[order[i]];
        mamori_cell row[3] = {{e->package, 0}, {e->advisory, 0},
                              {NULL, e->days}};
        mamori_summary_row(s, row);
    }
}
