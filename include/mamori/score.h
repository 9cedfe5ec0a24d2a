/*
 * score.h — one grade per countermeasure: findings turned into a score
 * from 0 to 100 and a grade A–F for each factor that outside raters score
 * (METI's four, named as SecurityScorecard names them: Patching Cadence,
 * Network Security, DNS Health, Application Security) and for IPA's other
 * measures mamori checks (passwords, security software, configuration,
 * backups, incident readiness), and one overall grade.
 *
 * The formula (docs/score.md) is meant to be explained, not tuned:
 *  - a factor is measured when a capability that checks it ran (its
 *    summary reached the scorer) or one of its findings did; a factor
 *    not measured is "not measured", never passed;
 *  - a factor starts at 100; each problem (a fingerprint: sightings of
 *    one problem count once) costs points by its severity (critical 40,
 *    high 20, medium 8, low 2, info 0), a tenth of that when it is an
 *    attack seen in a log with no sign that it worked (verdict
 *    "attempt": the site is a target, not proven weak), and the
 *    n-th problem of one check costs 1/n of the first (many attackers of
 *    one kind are one weakness to fix, not many); a finding counts for
 *    every factor its countermeasures map to;
 *  - score = 100 - points lost, at least 0; grades as SecurityScorecard
 *    gives them: A 90–100, B 80–89, C 70–79, D 60–69, F below 60;
 *  - overall = the mean of the measured factors' scores.
 * Every point lost is kept with the check that cost it, so a report can
 * say which few fixes raise the grade most.
 *
 * Feed findings and summaries through mamori_score_sink() (or a JSON Lines
 * report through mamori_score_read_report()), then mamori_score_finish().
 */
#ifndef MAMORI_SCORE_H
#define MAMORI_SCORE_H

#include <stdio.h>

#include "mamori/export.h"
#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_SCORE_TOP_MAX 5      /* checks listed per factor and overall */
#define MAMORI_SCORE_PROBLEMS_MAX 1000000 /* distinct problems scored */

typedef struct mamori_score mamori_score;

typedef struct mamori_score_cost {
    const mamori_check *check;
    double points;                  /* lost to this check */
    uint64_t problems;              /* its distinct problems */
} mamori_score_cost;

typedef struct mamori_factor_score {
    const char *id;                 /* "patching", "network", "dns", ... */
    const char *name[MAMORI_LANG_COUNT];
    int measured;
    int score;                      /* 0..100; -1 when not measured */
    char grade;                     /* 'A'..'F'; '-' when not measured */
    double lost;
    uint64_t problems;
    mamori_score_cost top[MAMORI_SCORE_TOP_MAX]; /* most points first */
    size_t ntop;
} mamori_factor_score;

MAMORI_API mamori_err mamori_score_new(mamori_score **out);
MAMORI_API void mamori_score_free(mamori_score *s);
/* A sink that scores findings and marks the factors of each summary's
 * capability measured (it frees the summaries). */
MAMORI_API mamori_sink mamori_score_sink(mamori_score *s);
/* What the sink's finding callback does, for a caller that has the
 * finding's fingerprint (mamori_finding_fingerprint) already. */
MAMORI_API void mamori_score_add(mamori_score *s, const mamori_finding *f,
                                 const char *fingerprint);
/* Marks the factors a capability checks as measured ("patch", "host"...). */
MAMORI_API void mamori_score_capability(mamori_score *s, const char *capability);
/* Marks the factors a check counts for as measured (a self-assessment
 * answered "done" is evidence, though it reports no finding). */
MAMORI_API void mamori_score_check_measured(mamori_score *s, const mamori_check *c);
/* Reads a JSON Lines report (mamori's --format json): its findings and
 * summaries. Lines that are not JSON objects are counted in *bad (may be
 * NULL) and skipped. */
MAMORI_API mamori_err mamori_score_read_report(mamori_score *s, FILE *f,
                                               uint64_t *bad);
/* Computes the grades. */
MAMORI_API mamori_err mamori_score_finish(mamori_score *s);

MAMORI_API size_t mamori_score_nfactors(const mamori_score *s);
MAMORI_API const mamori_factor_score *mamori_score_factor(const mamori_score *s,
                                                          size_t i);
/* Overall: *score 0..100 and its grade, or -1 and '-' when nothing was
 * measured. The checks whose fixes would gain most, over all factors. */
MAMORI_API void mamori_score_overall(const mamori_score *s, int *score,
                                     char *grade);
MAMORI_API size_t mamori_score_top(const mamori_score *s,
                                   const mamori_score_cost **top);
/* 'A'..'F' for a score 0..100 (SecurityScorecard's bands). */
MAMORI_API char mamori_score_grade(int score);

/* The grades as a summary (capability "score"): a table of the factors
 * and one of the fixes that gain most; for every report writer. The
 * caller owns it. */
MAMORI_API mamori_summary *mamori_score_summary(const mamori_score *s,
                                                mamori_lang lang);

#ifdef __cplusplus
}
#endif
#endif
