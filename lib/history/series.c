/*
 * series.c — the grades over time, for the report's charts: for the runs
 * with the same scope as a given one, each factor's score per day (the
 * day's last run; a day without a run keeps the day before's score),
 * over at most MR_SERIES_DAYS days up to that run, as one series per
 * factor measured in the run, overall first.
 */
#include "common.h"

#include "history_int.h"

#define MR_SERIES_DAYS 366
#define MR_SERIES_FACTORS 16 /* factors charted */
#define MR_DAY 86400

typedef struct factor_line {
    char id[32];
    uint64_t value[MR_SERIES_DAYS];
    int seen[MR_SERIES_DAYS];
} factor_line;

mamori_err mamori_history_grade_series(mamori_history *h, int64_t run,
                                       mamori_summary *s)
{
    sqlite3_stmt *st;
    if (!h || !s)
        return MAMORI_E_INVAL;
    /* The grades of the runs of the same scope, oldest first, within the
     * days charted before the run. */
    if (sqlite3_prepare_v2(h->db,
                           "SELECT r.started, g.factor, g.score FROM runs r"
                           " JOIN grades g ON g.run = r.id"
                           " WHERE r.scope IS (SELECT scope FROM runs WHERE id = ?1)"
                           " AND r.id <= ?1 AND g.score IS NOT NULL"
                           " AND r.started > (SELECT started FROM runs WHERE id = ?1) - ?2"
                           " ORDER BY r.started, r.id",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the grades");
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (int64_t)MR_SERIES_DAYS * MR_DAY);
    factor_line *lines = calloc(MR_SERIES_FACTORS, sizeof(*lines));
    size_t nlines = 0;
    int64_t first_day = INT64_MIN, last_day = 0;
    int rc;
    if (!lines) {
        sqlite3_finalize(st);
        return MAMORI_E_NOMEM;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t day = sqlite3_column_int64(st, 0) / MR_DAY;
        if (first_day == INT64_MIN)
            first_day = day;
        if (day - first_day >= MR_SERIES_DAYS)
            break;
        last_day = day;
        const char *factor = (const char *)sqlite3_column_text(st, 1);
        size_t k = 0;
        while (k < nlines && strcmp(lines[k].id, factor ? factor : "") != 0)
            k++;
        if (k == nlines) {
            if (nlines == MR_SERIES_FACTORS || !factor)
                continue;
            snprintf(lines[nlines++].id, sizeof(lines->id), "%s", factor);
        }
        int score = sqlite3_column_int(st, 2);
        lines[k].value[day - first_day] = (uint64_t)(score < 0 ? 0 : score);
        lines[k].seen[day - first_day] = 1;
    }
    sqlite3_finalize(st);
    mamori_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? MAMORI_OK : MAMORI_E_IO;
    size_t days = first_day == INT64_MIN ? 0 : (size_t)(last_day - first_day + 1);
    /* Overall first, then the factors in the order they were stored. */
    for (int pass = 0; !e && days >= 2 && pass < 2; pass++)
        for (size_t k = 0; !e && k < nlines; k++) {
            if ((strcmp(lines[k].id, "overall") == 0) != (pass == 0))
                continue;
            for (size_t d = 1; d < days; d++)
                if (!lines[k].seen[d] && lines[k].seen[d - 1]) {
                    lines[k].value[d] = lines[k].value[d - 1]; /* carried */
                    lines[k].seen[d] = 1;
                }
            char id[48], en[80], ja[80];
            const char *name = lines[k].id;
            snprintf(id, sizeof(id), "grade_%s", name);
            snprintf(en, sizeof(en), "Score over time: %s", name);
            snprintf(ja, sizeof(ja), "スコアの推移: %s", name);
            e = mamori_summary_series(s, id, en, ja, first_day * MR_DAY, MR_DAY, days, 1,
                                      &name, lines[k].value);
        }
    free(lines);
    return e == MAMORI_E_IO ? mr_history_fail(h, e, "cannot read the grades") : e;
}
