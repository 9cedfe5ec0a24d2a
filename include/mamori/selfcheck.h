/*
 * selfcheck.h — the 5-minute self-assessment for small organisations:
 * 25 questions in three parts (basic measures, measures for each
 * employee, measures for the organisation) after the structure of IPA's
 * 「5分でできる！情報セキュリティ自社診断」, phrased in mamori's own words
 * (data/selfcheck/questions.def), each answered done (4), partly (2), not
 * done (0) or don't know (-1): 100 points in all.
 *
 * Questions a machine can answer (updates, security software, passwords,
 * settings, backups) are answered from the latest audit's grades when the
 * factor was measured, and marked as such; a person answers the rest and
 * may answer over the evidence. Answers that are not "done" become
 * findings (checks selfcheck.*), so they flow into the report, the
 * history and `mamori score` like any other finding; the result says
 * which step of IPA's SECURITY ACTION is reached (one star: the five
 * basic measures all done; two stars: every question answered and a
 * written basic policy).
 */
#ifndef MAMORI_SELFCHECK_H
#define MAMORI_SELFCHECK_H

#include <stdio.h>

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/score.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_SELFCHECK_QUESTIONS 25
#define MAMORI_SELFCHECK_PARTS 3

typedef enum mamori_answer {
    MAMORI_ANSWER_NONE = -2,    /* not answered yet */
    MAMORI_ANSWER_UNKNOWN = -1, /* don't know: counts -1 */
    MAMORI_ANSWER_NO = 0,
    MAMORI_ANSWER_PARTLY = 2,
    MAMORI_ANSWER_DONE = 4
} mamori_answer;

typedef struct mamori_selfcheck_question {
    const char *id;             /* "q01".."q25" */
    int part;                   /* 1..3 */
    const char *check;          /* the check a "not done" reports */
    const char *factor;         /* answered from this score factor, or NULL */
    const char *text[MAMORI_LANG_COUNT];
} mamori_selfcheck_question;

/* The questions, in order; static. */
MAMORI_API const mamori_selfcheck_question *mamori_selfcheck_questions(void);
MAMORI_API const char *mamori_selfcheck_part_name(int part, mamori_lang lang);
/* "done", "partly", "no", "unknown", "none". */
MAMORI_API const char *mamori_answer_name(mamori_answer a);
/* Parses an answer word (done/yes/4, partly/2, no/0, unknown/-1, in
 * English or Japanese: 実施している, 一部, 実施していない, わからない);
 * MAMORI_ANSWER_NONE when it is none of them. */
MAMORI_API mamori_answer mamori_answer_parse(const char *s);

typedef struct mamori_selfcheck {
    mamori_answer answer[MAMORI_SELFCHECK_QUESTIONS];
    int from_evidence[MAMORI_SELFCHECK_QUESTIONS]; /* answered by the audit */
} mamori_selfcheck;

MAMORI_API void mamori_selfcheck_init(mamori_selfcheck *sc);
/* Answers the questions whose factor the score measured and that no
 * person answered yet (grade A: done; B, C, D: partly; F: not done). */
MAMORI_API void mamori_selfcheck_from_score(mamori_selfcheck *sc,
                                            const mamori_score *score);
/* Reads "q01 = done" lines (# comments, blank lines; the file the HTML
 * form exports). A bad line is reported through ctx's diagnostics with
 * its number and skipped; returns the number of bad lines, or -1 on a
 * read error. Answers read replace earlier ones. */
MAMORI_API int mamori_selfcheck_read(mamori_selfcheck *sc, FILE *f,
                                     const char *name, const mamori_ctx *ctx);

typedef struct mamori_selfcheck_result {
    int total;                          /* -25..100 */
    int part[MAMORI_SELFCHECK_PARTS];
    int answered;                       /* questions answered */
    int stars;                          /* SECURITY ACTION: 0, 1 or 2 */
} mamori_selfcheck_result;

MAMORI_API void mamori_selfcheck_result_of(const mamori_selfcheck *sc,
                                           mamori_selfcheck_result *r);
/* Sends a finding for each answer that is not "done" (a basic measure of
 * part 1 not done: critical, partly or don't know: medium; the others:
 * medium and low; each with the question and the answer) and
 * the summary "selfcheck" (points per part, the total, the stars, and
 * every answer with where it came from). */
MAMORI_API mamori_err mamori_selfcheck_report(const mamori_selfcheck *sc,
                                              const mamori_ctx *ctx,
                                              const mamori_sink *sink);
/* A self-contained HTML page with the questions as a form that a person
 * fills in and exports as an answers file (mamori_selfcheck_read reads
 * it); answers known are pre-selected. No script or style from outside. */
MAMORI_API mamori_err mamori_selfcheck_form(const mamori_selfcheck *sc,
                                            mamori_lang lang, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
