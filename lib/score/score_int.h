/*
 * score_int.h — what the files of lib/score share: the factors (which
 * countermeasure ids and capabilities each one stands for), the scorer's
 * state, and how a problem is added. score.c computes the grades,
 * summary.c turns them into a report summary, read.c reads a JSON Lines
 * report into the scorer.
 */
#ifndef MR_SCORE_INT_H
#define MR_SCORE_INT_H

#include "mamori/score.h"
#include "util/table.h"

#define MR_FACTORS 10
#define MR_FACTOR_CMS 2          /* countermeasure ids per factor */
#define MR_FACTOR_CAPS 3         /* capabilities that measure a factor */
#define MR_FACTOR_PREFIXES 2     /* check-id prefixes that count for a factor */
#define MR_SCORE_TABLE_BYTES (128u * 1024 * 1024) /* the problems kept */

typedef struct mr_factor_def {
    const char *id;
    const char *name[MAMORI_LANG_COUNT];
    const char *cms[MR_FACTOR_CMS];   /* NULL-padded */
    const char *caps[MR_FACTOR_CAPS]; /* summary capabilities; NULL-padded */
    /* checks that count for it by id, where no countermeasure id stands
     * for the factor alone (logging is part of common.server) */
    const char *prefixes[MR_FACTOR_PREFIXES];
} mr_factor_def;

extern const mr_factor_def mr_factors[MR_FACTORS];

typedef struct mr_problem {
    const mamori_check *check;
    mamori_severity severity;  /* the worst sighting's */
    int attempt;               /* every sighting was an attempt */
} mr_problem;

struct mamori_score {
    mr_table *problems;        /* fingerprint -> mr_problem */
    uint64_t dropped;          /* problems past the table's bound */
    mamori_factor_score factors[MR_FACTORS];
    mamori_score_cost top[MAMORI_SCORE_TOP_MAX];
    size_t ntop;
    int overall;
};

/* One sighting of the problem named by fingerprint (MAMORI_FINGERPRINT_LEN
 * bytes). 0, or -1 when it could not be kept. */
int mr_score_add(mamori_score *s, const mamori_check *check,
                 mamori_severity severity, int attempt, const char *fingerprint);

#endif
