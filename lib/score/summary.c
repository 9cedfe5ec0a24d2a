/*
 * summary.c — the grades as a report summary (capability "score"): one
 * row per factor and the few fixes that would raise the grades most, so
 * every writer (text, JSON, SARIF, HTML) shows them without knowing of
 * scores. A factor not measured shows "-" for its score and grade.
 */
#include "common.h"

#include <math.h>

#include "score_int.h"

static mamori_cell str(const char *s)
{
    mamori_cell c = {s, 0};
    return c;
}

static mamori_cell num(int64_t v)
{
    mamori_cell c = {NULL, v};
    return c;
}

mamori_summary *mamori_score_summary(const mamori_score *s, mamori_lang lang)
{
    static const char *const fcols[] = {"factor", "name", "grade", "score",
                                        "problems", "points_lost"};
    static const char *const tcols[] = {"check", "title", "points", "problems"};
    static const char grades[6][2] = {"A", "B", "C", "D", "F", "-"};
    mamori_summary *sum = mamori_summary_new("score");
    if (!sum)
        return NULL;
    int overall;
    char og;
    mamori_score_overall(s, &overall, &og);
    mamori_err e = mamori_summary_counter(sum, "overall", "Overall score (0-100)",
                                          "総合スコア (0-100)", overall);
    if (!e)
        e = mamori_summary_table(sum, "factors", "Grade per factor",
                                 "要素ごとの評価", 6, fcols);
    for (size_t i = 0; !e && i < MR_FACTORS; i++) {
        const mamori_factor_score *f = &s->factors[i];
        const char *g = grades[f->measured ? (f->grade == 'F' ? 4 : f->grade - 'A') : 5];
        mamori_cell row[6] = {
            str(f->id), str(f->name[lang]), str(g),
            f->measured ? num(f->score) : str("-"),
            num((int64_t)f->problems), num((int64_t)floor(f->lost + 0.5)),
        };
        e = mamori_summary_row(sum, row);
    }
    if (!e)
        e = mamori_summary_table(sum, "fixes_that_gain_most",
                                 "Fixes that would raise the grades most",
                                 "評価を最も上げる対策", 4, tcols);
    for (size_t i = 0; !e && i < s->ntop; i++) {
        const mamori_score_cost *c = &s->top[i];
        mamori_cell row[4] = {
            str(c->check->id), str(c->check->title[lang]),
            num((int64_t)floor(c->points + 0.5)), num((int64_t)c->problems),
        };
        e = mamori_summary_row(sum, row);
    }
    if (e) {
        mamori_summary_free(sum);
        return NULL;
    }
    return sum;
}
