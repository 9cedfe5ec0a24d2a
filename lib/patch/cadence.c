/*
 * cadence.c — how fast this machine gets its security updates: METI's
 * first item (seed 002, 要対応項目1, Patching Cadence) asks that fixes be
 * applied in good time and IPA's first basic measure (seed 000, table
 * 1.1) the same. The seeds give no number; the window is
 * SecurityScorecard's rule (GUIDANCE.md's reference facts): a fix for a
 * high-severity flaw installed more than 45 days after its release is
 * late, and an update from a security suite is judged high, as
 * pending-security-update is.
 *
 * A wait is measured for each security update applied in the last
 * MAMORI_PATCH_CADENCE_DAYS, from when it was known to be available to
 * when it was installed:
 *
 *   - the audit history: a pending-security-update that earlier runs saw
 *     waiting (from the first of them) and that is gone since; installed
 *     at dpkg.log's upgrade of that package to the candidate or newer
 *     after the last run that saw it, else (the log rotated away) at the
 *     first run that no longer saw it, an upper bound. A package removed
 *     since, or still older than the candidate, was not patched: no wait.
 *   - dpkg.log's upgrades against OSV records (--osv): an upgrade from
 *     older than a record's fixed version to it or newer waited from the
 *     record's "published" date (the earliest of the records it fixed).
 *
 * An upgrade dated both ways counts once, from the earlier date; the
 * binaries of one source upgraded to one version are one update. The
 * summary gets the count, the median and the worst wait; one wait past
 * MAMORI_PATCH_CADENCE_WINDOW days makes a cadence finding: high when
 * the median is past it (late is the habit), medium when only some are.
 */
#include "common.h"

#include <stdlib.h>

#include "check_ids.h"
#include "patch/patch_int.h"
#include "util/table.h"

#define CADENCE_NAME_MAX 128

typedef struct cadence {
    mr_patch_run *r;
    mr_table *seen;          /* "source\0version": one update counted */
    char worst_pkg[CADENCE_NAME_MAX], worst_what[64];
    int64_t worst;
} cadence;

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    n = MR_MIN(n, cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* The source of a binary "name:arch" as dpkg.log names it, NULL when it
 * is no longer installed; signed kernels are linux (as tracker.c). */
static const char *source_of(const mr_patch_run *r, const char *pkg)
{
    char name[CADENCE_NAME_MAX];
    const char *colon = strrchr(pkg, ':');
    if (!colon)
        return NULL;
    copy(name, sizeof(name), pkg, (size_t)(colon - pkg));
    const mr_pkg *p = mr_patch_pkg(r, name, colon + 1);
    if (!p)
        return NULL;
    return strncmp(p->source, "linux-signed-", 13) == 0 ? "linux" : p->source;
}

/* The source of an upgrade's package, looked up once: every OSV record
 * asks. */
static const char *upgrade_source(const mr_patch_run *r, mr_patch_upgrade *u)
{
    if (!u->source_known) {
        u->source = source_of(r, u->c.package);
        u->source_known = 1;
    }
    return u->source;
}

void mr_patch_cadence_fix(mr_patch_run *r, const char *source,
                          const char *fixed, int64_t published,
                          const char *advisory)
{
    if (published == INT64_MIN || !fixed[0])
        return;
    for (size_t i = 0; i < r->nupgrades; i++) {
        mr_patch_upgrade *u = &r->upgrades[i];
        if (!u->c.from[0] || !u->c.to[0])
            continue;
        const char *src = upgrade_source(r, u);
        if (!src || strcmp(src, source) != 0 ||
            mr_patch_vcmp(r, u->c.from, fixed) >= 0 ||
            mr_patch_vcmp(r, u->c.to, fixed) < 0)
            continue;
        if (u->avail == INT64_MIN || published < u->avail) {
            u->avail = published;
            copy(u->advisory, sizeof(u->advisory), advisory, strlen(advisory));
        }
    }
}

/* 1 the first time an update (source, version) is counted: the
 * binaries of one source upgraded together are one update. */
static int first_time(cadence *c, const char *source, const char *version)
{
    char key[CADENCE_NAME_MAX + MAMORI_DEBVERSION_MAX + 1];
    size_t a = MR_MIN(strlen(source), (size_t)CADENCE_NAME_MAX - 1);
    size_t b = MR_MIN(strlen(version), (size_t)MAMORI_DEBVERSION_MAX);
    memcpy(key, source, a);
    key[a] = '\0';
    memcpy(key + a + 1, version, b);
    int created = 1;
    if (c->seen)
        mr_table_upsert(c->seen, key, a + 1 + b, &created);
    return created;
}

static void add_wait(cadence *c, int64_t seconds, const char *pkg,
                     const char *what)
{
    mr_patch_run *r = c->r;
    int64_t days = seconds > 0 ? seconds / 86400 : 0;
    if (r->nwaits == MR_PATCH_WAITS_MAX)
        return;
    r->waits[r->nwaits++] = days;
    if (r->nwaits == 1 || days > c->worst) {
        c->worst = days;
        copy(c->worst_pkg, sizeof(c->worst_pkg), pkg, strlen(pkg));
        copy(c->worst_what, sizeof(c->worst_what), what, strlen(what));
    }
}

/* A string field of f into out (cap bytes); "" when absent. */
static void field(const mamori_finding *f, const char *name, char *out,
                  size_t cap)
{
    const mamori_field *fl = mamori_finding_get(f, name);
    if (fl && fl->kind == MAMORI_FIELD_STR)
        copy(out, cap, fl->str, fl->len);
    else
        out[0] = '\0';
}

static int on_closed(void *user, const mamori_history_closed *hc)
{
    cadence *c = user;
    mr_patch_run *r = c->r;
    char name[CADENCE_NAME_MAX], arch[32], cand[MAMORI_DEBVERSION_MAX],
        key[CADENCE_NAME_MAX + 33];
    field(hc->last, "package", name, sizeof(name));
    field(hc->last, "arch", arch, sizeof(arch));
    field(hc->last, "candidate", cand, sizeof(cand));
    if (!name[0] || !cand[0])
        return 0;
    snprintf(key, sizeof(key), "%s:%s", name, arch);
    /* dpkg.log's upgrade that installed it, the first after the last run
     * that saw it waiting. */
    mr_patch_upgrade *best = NULL;
    for (size_t i = 0; i < r->nupgrades; i++) {
        mr_patch_upgrade *u = &r->upgrades[i];
        if (strcmp(u->c.package, key) != 0 || u->c.when < hc->last_seen ||
            (hc->closed && u->c.when > hc->closed) ||
            mr_patch_vcmp(r, u->c.to, cand) < 0)
            continue;
        if (!best || u->c.when < best->c.when)
            best = u;
    }
    if (best) {
        if (best->avail == INT64_MIN || hc->first_seen < best->avail) {
            best->avail = hc->first_seen;
            copy(best->advisory, sizeof(best->advisory), "history", 7);
        }
        return 0;
    }
    /* No line in the log: the run that saw it gone, if it was patched
     * (still installed, at the candidate or newer). */
    const mr_pkg *p = arch[0] ? mr_patch_pkg(r, name, arch) : NULL;
    if (!hc->closed || !p || mr_patch_vcmp(r, p->version, cand) < 0 ||
        hc->closed < r->now - (int64_t)MAMORI_PATCH_CADENCE_DAYS * 86400)
        return 0;
    const char *src = strncmp(p->source, "linux-signed-", 13) == 0
                          ? "linux" : p->source;
    if (first_time(c, src, cand))
        add_wait(c, hc->closed - hc->first_seen, src, "history");
    return 0;
}

static int by_days(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The upgrades dated by OSV or the history, one per source and version. */
static void upgrade_waits(cadence *c)
{
    mr_patch_run *r = c->r;
    for (size_t i = 0; i < r->nupgrades; i++) {
        mr_patch_upgrade *u = &r->upgrades[i];
        if (u->avail == INT64_MIN)
            continue;
        const char *src = upgrade_source(r, u);
        if (src && first_time(c, src, u->c.to))
            add_wait(c, u->c.when - u->avail, src, u->advisory);
    }
}

void mr_patch_cadence(mr_patch_run *r, mamori_history *h, const char *scope)
{
    cadence c;
    memset(&c, 0, sizeof(c));
    c.r = r;
    r->nwaits = 0;
    if (!r->nupgrades && !h)
        return;
    /* Without memory every update counts: a figure, not a failure. */
    c.seen = mr_table_new(MR_PATCH_WAITS_MAX, 1, NULL);
    if (h && mamori_history_closed_problems(
                 h, MR_CHECK_PATCH_PENDING_SECURITY_UPDATE, scope,
                 r->now - (int64_t)MAMORI_PATCH_CADENCE_DAYS * 86400,
                 on_closed, &c))
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, NULL, 0,
                     "history: %s: the patching cadence leaves it out",
                     mamori_history_error(h));
    upgrade_waits(&c);
    mr_table_free(c.seen);
    if (!r->nwaits)
        return;
    qsort(r->waits, r->nwaits, sizeof(r->waits[0]), by_days);
    size_t n = r->nwaits;
    r->wait_median = n % 2 ? r->waits[n / 2]
                           : (r->waits[n / 2 - 1] + r->waits[n / 2]) / 2;
    r->wait_worst = r->waits[n - 1];
    r->waits_late = 0;
    for (size_t i = 0; i < n; i++)
        r->waits_late += r->waits[i] > MAMORI_PATCH_CADENCE_WINDOW;
    if (!r->waits_late)
        return;
    mamori_finding f;
    char ev[CADENCE_NAME_MAX + 256];
    mr_patch_finding(r, &f, MR_CHECK_PATCH_CADENCE, NULL);
    f.severity = r->wait_median > MAMORI_PATCH_CADENCE_WINDOW
                     ? MAMORI_SEV_HIGH : MAMORI_SEV_MEDIUM;
    snprintf(ev, sizeof(ev),
             "%zu security update%s applied in the last %d days waited a "
             "median of %lld days, the longest %lld (%s, %s); %llu past %d "
             "days", n, n == 1 ? "" : "s", MAMORI_PATCH_CADENCE_DAYS, (long long)r->wait_median,
             (long long)r->wait_worst, c.worst_pkg, c.worst_what,
             (unsigned long long)r->waits_late, MAMORI_PATCH_CADENCE_WINDOW);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mamori_finding_int(&f, "updates", (int64_t)n);
    mamori_finding_int(&f, "late", (int64_t)r->waits_late);
    mamori_finding_int(&f, "median_days", r->wait_median);
    mamori_finding_int(&f, "worst_days", r->wait_worst);
    mr_patch_field(&f, "worst_package", c.worst_pkg);
    mr_patch_field(&f, "worst_dated_by", c.worst_what);
    mamori_finding_int(&f, "window_days", MAMORI_PATCH_CADENCE_WINDOW);
    mamori_finding_int(&f, "period_days", MAMORI_PATCH_CADENCE_DAYS);
    mr_patch_send(r, &f);
}
