/*
 * text_summary.c — a summary's statistics in the terminal report: the
 * counters not at zero (one line says how many are), each table as
 * aligned columns fitted to MR_TEXT_WIDTH (the widest text columns cut
 * first, times and addresses never; a column that cannot fit is left
 * out and named), each series as plain-character sparklines with a
 * legend. Headers and fixed strings in the report's language; every
 * string from the summary through mr_term_put.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

#define MR_TEXT_CELL_COLS 48     /* a table cell */
#define MR_TEXT_CELL_MIN 12      /* a text column is not cut below */
#define MR_TEXT_TABLE_ROWS 15    /* rows shown per table */
#define MR_TEXT_SPARK_COLS 60    /* width of a sparkline */
#define MR_TEXT_SPARK_NAMES 12   /* names shown per series */

static void bold(mamori_writer *w, int on)
{
    if (w->opts.color)
        fputs_unlocked(on ? "\033[1m" : "\033[0m", w->out);
}

/* A number cell that prints as a word: "-" (no value), "true", "false";
 * NULL for a number. */
static const char *num_word(const mamori_cell *c)
{
    return c->num == MAMORI_CELL_NULL    ? "-"
           : c->num == MAMORI_CELL_TRUE  ? "true"
           : c->num == MAMORI_CELL_FALSE ? "false"
                                         : NULL;
}

/* A cell cut to `width` columns; text pads on the right when `pad`,
 * numbers align right. */
static void put_cell(FILE *out, const mamori_cell *c, size_t width, int pad)
{
    size_t cols;

    if (c->str) {
        cols = mr_term_put(out, c->str, strlen(c->str), width);
        if (pad)
            mr_term_spaces(out, width > cols ? width - cols : 0);
    } else {
        char num[32];
        const char *w = num_word(c);
        int n = w ? snprintf(num, sizeof(num), "%s", w)
                  : snprintf(num, sizeof(num), "%" PRId64, c->num);
        mr_term_spaces(out, width > (size_t)n ? width - (size_t)n : 0);
        fputs_unlocked(num, out);
    }
}

static size_t cell_width(const mamori_cell *c)
{
    if (c->str)
        return mr_term_put(NULL, c->str, strlen(c->str), MR_TEXT_CELL_COLS);
    char num[32];
    if (num_word(c))
        return strlen(num_word(c));
    return (size_t)snprintf(num, sizeof(num), "%" PRId64, c->num);
}

/* Column keys whose cells are not worth showing cut (a time without its
 * hour, half an address): they keep their width like numbers. */
static int keep_whole(const char *key)
{
    static const char *const keys[] = {"client", "first", "last", "domain",
                                       "url"};
    for (size_t i = 0; key && i < MR_ARRAY_LEN(keys); i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

/* Narrows the widest cuttable columns, one column at a time, until the
 * row (4 columns of indent, 2 between shown columns) fits MR_TEXT_WIDTH.
 * A cut column keeps at least MR_TEXT_CELL_MIN columns; when that is
 * not enough, the last cuttable column (never the first) is left out
 * (shown[c] = 0) and the fitting starts again from the natural widths. */
static void fit_columns(size_t *width, const int *fixed, int *shown,
                        size_t ncols)
{
    size_t natural[MAMORI_SUMMARY_COLS_MAX];

    memcpy(natural, width, ncols * sizeof(*width));
    for (;;) {
        size_t total = 2, widest = SIZE_MAX;
        for (size_t c = 0; c < ncols; c++) {
            if (!shown[c])
                continue;
            total += width[c] + 2;
            if (!fixed[c] && width[c] > MR_TEXT_CELL_MIN &&
                (widest == SIZE_MAX || width[c] > width[widest]))
                widest = c;
        }
        if (total <= MR_TEXT_WIDTH)
            return;
        if (widest != SIZE_MAX) {
            width[widest]--;
            continue;
        }
        size_t drop = SIZE_MAX;
        for (size_t c = 1; c < ncols; c++)
            if (shown[c] && !fixed[c])
                drop = c;
        if (drop == SIZE_MAX)
            return; /* nothing left to give: the row stays wide */
        shown[drop] = 0;
        memcpy(width, natural, ncols * sizeof(*width));
    }
}

static void text_table(mamori_writer *w, const mamori_table *t)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    size_t rows = MR_MIN(t->nrows, (size_t)MR_TEXT_TABLE_ROWS);
    size_t width[MAMORI_SUMMARY_COLS_MAX] = {0};
    int fixed[MAMORI_SUMMARY_COLS_MAX] = {0}, numeric[MAMORI_SUMMARY_COLS_MAX];
    int shown[MAMORI_SUMMARY_COLS_MAX];
    size_t ncols = MR_MIN(t->ncols, (size_t)MAMORI_SUMMARY_COLS_MAX);
    size_t last = 0;

    fputs_unlocked("\n  ", out);
    bold(w, 1);
    const char *title = mr_title(t->title, lang, t->id);
    mr_term_put(out, title, strlen(title), MR_TEXT_WIDTH - 2);
    bold(w, 0);
    putc_unlocked('\n', out);
    if (t->nrows == 0 && t->more_rows == 0) {
        fprintf(out, "    (%s)\n", mr_label(lang, MR_L_NONE));
        return;
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *h = mr_col_title(lang, t->cols[c]);
        numeric[c] = rows && !t->cells[c].str;
        fixed[c] = numeric[c] || keep_whole(t->cols[c]);
        shown[c] = 1;
        width[c] = mr_term_put(NULL, h, strlen(h), MR_TEXT_CELL_COLS);
        for (size_t r = 0; r < rows; r++)
            width[c] = MR_MAX(width[c], cell_width(&t->cells[r * t->ncols + c]));
    }
    fit_columns(width, fixed, shown, ncols);
    for (size_t c = 0; c < ncols; c++)
        if (shown[c])
            last = c;
    fputs_unlocked("    ", out);
    for (size_t c = 0; c < ncols; c++) {
        if (!shown[c])
            continue;
        const char *h = mr_col_title(lang, t->cols[c]);
        /* Headers align like their column: right over numbers. */
        size_t hw = mr_term_put(NULL, h, strlen(h), width[c]);
        if (numeric[c])
            mr_term_spaces(out, width[c] > hw ? width[c] - hw : 0);
        mr_term_put(out, h, strlen(h), width[c]);
        if (c < last) {
            if (!numeric[c])
                mr_term_spaces(out, width[c] > hw ? width[c] - hw : 0);
            fputs_unlocked("  ", out);
        }
    }
    putc_unlocked('\n', out);
    for (size_t r = 0; r < rows; r++) {
        fputs_unlocked("    ", out);
        for (size_t c = 0; c < ncols; c++) {
            if (!shown[c])
                continue;
            put_cell(out, &t->cells[r * t->ncols + c], width[c], c < last);
            if (c < last)
                fputs_unlocked("  ", out);
        }
        putc_unlocked('\n', out);
    }
    uint64_t more = (uint64_t)(t->nrows - rows) + t->more_rows;
    if (more)
        fprintf(out, "    ... %" PRIu64 " %s\n", more,
                mr_label(lang, MR_L_MORE_ROWS));
    /* Columns left out for width: say which, and where they are. */
    int any = 0;
    for (size_t c = 0; c < ncols; c++) {
        if (shown[c])
            continue;
        fputs_unlocked(any ? ", " : "    (", out);
        if (!any)
            fprintf(out, "%s: ", mr_label(lang, MR_L_COLS_LEFT_OUT));
        const char *h = mr_col_title(lang, t->cols[c]);
        mr_term_put(out, h, strlen(h), MR_TEXT_CELL_COLS);
        any = 1;
    }
    if (any)
        fputs_unlocked(")\n", out);
}

static const char spark_ramp[] = " .:-=+*#%@";

/* A sparkline of plain characters: buckets summed `group` at a time into
 * at most MR_TEXT_SPARK_COLS columns, each drawn by its share of the
 * row's highest column. */
static void text_spark(FILE *out, const uint64_t *v, size_t nb, size_t group,
                       mamori_lang lang)
{
    size_t ncol = group ? (nb + group - 1) / group : 0;
    uint64_t col[MR_TEXT_SPARK_COLS], max = 0, total = 0;

    ncol = MR_MIN(ncol, (size_t)MR_TEXT_SPARK_COLS);
    for (size_t c = 0; c < ncol; c++) {
        uint64_t sum = 0;
        for (size_t b = c * group; b < nb && b < (c + 1) * group; b++)
            sum = sum + v[b] < sum ? UINT64_MAX : sum + v[b];
        col[c] = sum;
        max = MR_MAX(max, sum);
        total = total + sum < total ? UINT64_MAX : total + sum;
    }
    putc_unlocked('|', out);
    for (size_t c = 0; c < ncol; c++) {
        size_t level = 0;
        if (col[c] && max)
            level = 1 + (size_t)((double)col[c] / (double)max * 8.0 + 0.5);
        putc_unlocked(spark_ramp[MR_MIN(level, sizeof(spark_ramp) - 2)], out);
    }
    fprintf(out, "| %s %" PRIu64 "%s%s %" PRIu64 "\n",
            mr_label(lang, MR_L_TOTAL), total,
            lang == MAMORI_LANG_JA ? "\xE3\x80\x81" : ", ", /* 、 */
            mr_label(lang, MR_L_MAX), max);
}

static void text_series(mamori_writer *w, const mamori_series *se)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    char iso[MR_TIME_ISO_MAX], dur[MR_DURATION_MAX];
    size_t namew = 0, nnames = MR_MIN(se->nnames, (size_t)MR_TEXT_SPARK_NAMES);
    size_t nb = se->nbuckets;
    size_t group = nb > MR_TEXT_SPARK_COLS
                       ? (nb + MR_TEXT_SPARK_COLS - 1) / MR_TEXT_SPARK_COLS
                       : 1;

    fputs_unlocked("\n  ", out);
    bold(w, 1);
    const char *title = mr_title(se->title, lang, se->id);
    size_t cols = 2 + mr_term_put(out, title, strlen(title), 60);
    bold(w, 0);
    mr_time_iso(se->start, iso);
    /* What one column covers: `group` buckets of `step` seconds. */
    int64_t span = se->step > 0 && (int64_t)group <= INT64_MAX / se->step
                       ? se->step * (int64_t)group
                       : se->step;
    mr_duration(span, lang, dur);
    char head[MR_TIME_ISO_MAX + MR_DURATION_MAX + 64];
    if (lang == MAMORI_LANG_JA)
        snprintf(head, sizeof(head), " (%s \xE3\x81\x8B\xE3\x82\x89\xE3\x80\x81"
                 "%s = %s)", iso[0] ? iso : "?", mr_label(lang, MR_L_SPARK_COLUMN),
                 dur); /* から、1 列 = N 時間 */
    else
        snprintf(head, sizeof(head), " (from %s, %s = %s)", iso[0] ? iso : "?",
                 mr_label(lang, MR_L_SPARK_COLUMN), dur);
    mr_term_wrap(out, head, cols, 4, MR_TEXT_WIDTH);
    putc_unlocked('\n', out);
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        namew = MR_MAX(namew, mr_term_put(NULL, nm, strlen(nm), 24));
    }
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        fputs_unlocked("    ", out);
        size_t c = mr_term_put(out, nm, strlen(nm), 24);
        mr_term_spaces(out, namew + 1 - c);
        text_spark(out, se->values + n * nb, nb, group, lang);
    }
    if (se->nnames > nnames)
        fprintf(out, "    ... %zu %s\n", se->nnames - nnames,
                mr_label(lang, MR_L_MORE_ROWS));
    /* The legend of the symbols. */
    fputs_unlocked("    ", out);
    mr_term_wrap(out, mr_label(lang, MR_L_SPARK_RAMP), 4, 4, MR_TEXT_WIDTH);
    putc_unlocked('\n', out);
}

void mr_text_summary(mamori_writer *w, const mamori_summary *s)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    size_t titlew = 0, zero = 0;

    fputs_unlocked("\n", out);
    bold(w, 1);
    fprintf(out, "== %s: ", mr_label(lang, MR_L_SUMMARY));
    const char *cap = mamori_summary_capability(s);
    mr_term_put(out, cap, strlen(cap), 80);
    fputs_unlocked(" ==", out);
    bold(w, 0);
    putc_unlocked('\n', out);
    for (size_t i = 0; i < mamori_summary_ncounters(s); i++) {
        const mamori_counter *c = mamori_summary_counter_at(s, i);
        const char *t = mr_title(c->title, lang, c->id);
        titlew = MR_MAX(titlew, mr_term_put(NULL, t, strlen(t), 40));
    }
    /* A counter at zero ("entries evicted: 0") says nothing to act on. */
    for (size_t i = 0; i < mamori_summary_ncounters(s); i++) {
        const mamori_counter *c = mamori_summary_counter_at(s, i);
        const char *t = mr_title(c->title, lang, c->id);
        if (c->value == 0) {
            zero++;
            continue;
        }
        fputs_unlocked("  ", out);
        size_t cols = mr_term_put(out, t, strlen(t), 40);
        mr_term_spaces(out, titlew + 2 - cols);
        fprintf(out, "%" PRId64 "\n", c->value);
    }
    if (zero)
        fprintf(out, "  (%zu %s)\n", zero, mr_label(lang, MR_L_ZERO_HIDDEN));
    for (size_t i = 0; i < mamori_summary_ntables(s); i++)
        text_table(w, mamori_summary_table_at(s, i));
    for (size_t i = 0; i < mamori_summary_nseries(s); i++)
        text_series(w, mamori_summary_series_at(s, i));
}
