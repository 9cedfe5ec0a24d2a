/*
 * score.c — findings into one grade per factor (score.h has the formula).
 *
 * Problems are kept by fingerprint (history.h: the same problem seen on
 * many lines counts once), each with its check, its worst severity and
 * whether every sighting was only an attempt. Costs are computed at the
 * end, per check and factor, from the problems sorted by cost, so the
 * n-th problem of a check costs 1/n of its own base whatever order the
 * findings came in: the same report always gives the same grades.
 */
#include "common.h"

#include <math.h>

#include "mamori/history.h"
#include "score_int.h"
#include "util/grow.h"

const mr_factor_def mr_factors[MR_FACTORS] = {
    {"patching", {"Patching Cadence", "パッチ適用 (Patching Cadence)"},
     {"meti.patching", "basic.update"}, {"patch"}, {NULL}},
    {"network", {"Network Security", "ネットワーク (Network Security)"},
     {"meti.network"}, {"authscan", "exposure"}, {NULL}},
    {"dns", {"DNS Health", "DNS・メール (DNS Health)"},
     {"meti.dns", "common.mail"}, {"dns"}, {NULL}},
    {"appsec", {"Application Security", "Webアプリ (Application Security)"},
     {"meti.appsec"}, {"logscan", "web"}, {NULL}},
    {"passwords", {"Passwords", "パスワード管理"},
     {"basic.password"}, {"password", "host", "authscan"}, {NULL}},
    {"antivirus", {"Security software", "セキュリティソフト"},
     {"basic.antivirus"}, {"selfcheck"}, {NULL}},
    {"config", {"Configuration", "設定の見直し"},
     {"basic.config"}, {"host"}, {NULL}},
    {"backup", {"Backups", "バックアップ"}, {"common.backup"}, {"backup"}, {NULL}},
    {"logging", {"Logging", "ログの記録と保管"}, {NULL}, {"host"},
     {"host.log.", "host.ssh.log-level"}},
    {"incident", {"Incident readiness", "インシデント対応の備え"},
     {"common.incident", "common.reporting"}, {"selfcheck"}, {NULL}},
};

/* Points a problem of each severity costs (info, low, medium, high,
 * critical); an attack seen in a log with no sign that it worked costs
 * MR_SCORE_ATTEMPT of it: it says the site is a target, not that it is
 * weak. common.server is on most host and log checks and stands for no
 * factor of its own: "configuration" is basic.config. */
static const double severity_cost[MAMORI_SEV_COUNT] = {0, 2, 8, 20, 40};
#define MR_SCORE_ATTEMPT 0.1

char mamori_score_grade(int score)
{
    return score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C'
         : score >= 60 ? 'D' : 'F';
}

mamori_err mamori_score_new(mamori_score **out)
{
    mamori_score *s = calloc(1, sizeof(*s));
    *out = s;
    if (!s)
        return MAMORI_E_NOMEM;
    s->problems = mr_table_new_bytes(MAMORI_SCORE_PROBLEMS_MAX, MR_SCORE_TABLE_BYTES,
                                     sizeof(mr_problem), NULL);
    if (!s->problems) {
        free(s);
        *out = NULL;
        return MAMORI_E_NOMEM;
    }
    for (size_t i = 0; i < MR_FACTORS; i++) {
        mamori_factor_score *f = &s->factors[i];
        f->id = mr_factors[i].id;
        f->name[MAMORI_LANG_EN] = mr_factors[i].name[MAMORI_LANG_EN];
        f->name[MAMORI_LANG_JA] = mr_factors[i].name[MAMORI_LANG_JA];
        f->score = -1;
        f->grade = '-';
    }
    return MAMORI_OK;
}

void mamori_score_free(mamori_score *s)
{
    if (!s)
        return;
    mr_table_free(s->problems);
    free(s);
}

/* The factors a check counts for, as bits: by its countermeasure ids, or
 * by its id where a factor names checks (a prefix ending in '.' names a
 * family, any other the one check). */
static unsigned factors_of(const mamori_check *c)
{
    unsigned bits = 0;
    for (size_t i = 0; i < MR_FACTORS; i++) {
        for (size_t k = 0; k < MR_FACTOR_CMS && mr_factors[i].cms[k]; k++)
            if (mamori_check_has_countermeasure(c, mr_factors[i].cms[k]))
                bits |= 1u << i;
        for (size_t k = 0; k < MR_FACTOR_PREFIXES && mr_factors[i].prefixes[k]; k++) {
            const char *pre = mr_factors[i].prefixes[k];
            size_t n = strlen(pre);
            if (pre[n - 1] == '.' ? strncmp(c->id, pre, n) == 0 : strcmp(c->id, pre) == 0)
                bits |= 1u << i;
        }
    }
    return bits;
}

void mamori_score_capability(mamori_score *s, const char *capability)
{
    for (size_t i = 0; i < MR_FACTORS; i++)
        for (size_t k = 0; k < MR_FACTOR_CAPS && mr_factors[i].caps[k]; k++)
            if (strcmp(mr_factors[i].caps[k], capability) == 0)
                s->factors[i].measured = 1;
}

void mamori_score_check_measured(mamori_score *s, const mamori_check *c)
{
    unsigned bits = c ? factors_of(c) : 0;
    for (size_t i = 0; i < MR_FACTORS; i++)
        if (bits & (1u << i))
            s->factors[i].measured = 1;
}

int mr_score_add(mamori_score *s, const mamori_check *check,
                 mamori_severity severity, int attempt, const char *fingerprint)
{
    int created;
    if (!check)
        return 0;
    mr_problem *p = mr_table_upsert(s->problems, fingerprint,
                                    MAMORI_FINGERPRINT_LEN, &created);
    if (!p)
        return -1;
    if (created) {
        p->check = check;
        p->severity = severity;
        p->attempt = attempt;
    } else {
        if (severity > p->severity)
            p->severity = severity;
        p->attempt = p->attempt && attempt;
    }
    unsigned bits = factors_of(check);
    for (size_t i = 0; i < MR_FACTORS; i++)
        if (bits & (1u << i))
            s->factors[i].measured = 1;
    return 0;
}

void mamori_score_add(mamori_score *s, const mamori_finding *f, const char *fingerprint)
{
    int attempt = f->verdict && strcmp(f->verdict, "attempt") == 0;
    if (mr_score_add(s, f->check, f->severity, attempt, fingerprint))
        s->dropped++;
}

static int score_finding(void *user, const mamori_finding *f)
{
    char fp[MAMORI_FINGERPRINT_LEN + 1];
    mamori_finding_fingerprint(f, fp);
    mamori_score_add(user, f, fp);
    return 0;
}

static int score_summary(void *user, mamori_summary *sum)
{
    mamori_score_capability(user, mamori_summary_capability(sum));
    mamori_summary_free(sum);
    return 0;
}

mamori_sink mamori_score_sink(mamori_score *s)
{
    mamori_sink k = {score_finding, score_summary, s};
    return k;
}

/* ---- the grades --------------------------------------------------- */

typedef struct costed {
    const mamori_check *check;
    double base;
} costed;

/* By check, then the costliest first (so the 1/n discount is the same
 * whatever order the problems came in). */
static int by_check_then_cost(const void *a, const void *b)
{
    const costed *x = a, *y = b;
    int c = strcmp(x->check->id, y->check->id);
    if (c)
        return c;
    return (x->base < y->base) - (x->base > y->base);
}

static int by_points(const void *a, const void *b)
{
    const mamori_score_cost *x = a, *y = b;
    if (x->points != y->points)
        return (x->points < y->points) - (x->points > y->points);
    return strcmp(x->check->id, y->check->id);
}

/* Keeps the MAMORI_SCORE_TOP_MAX costliest of top[0..*n) plus c. */
static void keep_top(mamori_score_cost *top, size_t *n, mamori_score_cost c)
{
    if (*n < MAMORI_SCORE_TOP_MAX) {
        top[(*n)++] = c;
    } else if (by_points(&c, &top[*n - 1]) < 0) {
        top[*n - 1] = c;
    } else {
        return;
    }
    qsort(top, *n, sizeof(*top), by_points);
}

mamori_err mamori_score_finish(mamori_score *s)
{
    size_t n = 0, slots = mr_table_slots(s->problems);
    costed *all = slots ? calloc(slots, sizeof(*all)) : NULL;
    if (slots && !all)
        return MAMORI_E_NOMEM;
    for (size_t i = 0; i < slots; i++) {
        const mr_problem *p = mr_table_slot(s->problems, i, NULL, NULL);
        if (!p)
            continue;
        double base = severity_cost[p->severity];
        all[n].check = p->check;
        all[n].base = p->attempt ? base * MR_SCORE_ATTEMPT : base;
        n++;
    }
    if (n)
        qsort(all, n, sizeof(*all), by_check_then_cost);
    /* Per check: its points (harmonic discount), added to its factors. */
    s->ntop = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double points = 0;
        while (j < n && all[j].check == all[i].check) {
            points += all[j].base / (double)(j - i + 1);
            j++;
        }
        unsigned bits = factors_of(all[i].check);
        mamori_score_cost c = {all[i].check, points, j - i};
        mamori_score_cost overall = c;
        overall.points = 0;
        for (size_t k = 0; k < MR_FACTORS; k++) {
            if (!(bits & (1u << k)))
                continue;
            mamori_factor_score *f = &s->factors[k];
            f->lost += points;
            f->problems += j - i;
            if (points > 0)
                keep_top(f->top, &f->ntop, c);
            overall.points += points;
        }
        if (overall.points > 0)
            keep_top(s->top, &s->ntop, overall);
        i = j;
    }
    free(all);
    int sum = 0, measured = 0;
    for (size_t k = 0; k < MR_FACTORS; k++) {
        mamori_factor_score *f = &s->factors[k];
        if (!f->measured)
            continue;
        double left = 100.0 - f->lost;
        f->score = left <= 0 ? 0 : (int)floor(left + 0.5);
        f->grade = mamori_score_grade(f->score);
        sum += f->score;
        measured++;
    }
    s->overall = measured ? (int)floor((double)sum / measured + 0.5) : -1;
    return MAMORI_OK;
}

size_t mamori_score_nfactors(const mamori_score *s)
{
    (void)s;
    return MR_FACTORS;
}

const mamori_factor_score *mamori_score_factor(const mamori_score *s, size_t i)
{
    return i < MR_FACTORS ? &s->factors[i] : NULL;
}

void mamori_score_overall(const mamori_score *s, int *score, char *grade)
{
    *score = s->overall;
    *grade = s->overall < 0 ? '-' : mamori_score_grade(s->overall);
}

size_t mamori_score_top(const mamori_score *s, const mamori_score_cost **top)
{
    *top = s->top;
    return s->ntop;
}
