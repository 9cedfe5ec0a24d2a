/*
 * html_summary.c — one summary as HTML for the statistics at the end of
 * the report page: its counters in a section closed by default (only
 * those not at zero: "entries evicted: 0" is nothing to read), a
 * stacked time chart (inline SVG) for each series, and for each table a
 * horizontal bar chart (inline SVG, when a column is numeric) above the
 * table itself, whose headers are translated and whose cells carry
 * their column's name for the card layout of narrow screens.
 *
 * The charts are drawn here in C with integer coordinates only (a decimal
 * comma from the locale cannot break the SVG), and every label, name and
 * cell goes through mr_html_str, inside SVG text and <title> too.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

#define MR_HTML_BARS_MAX 15        /* bars per table chart */
#define MR_HTML_TABLE_ROWS_MAX 50  /* rows per table shown */
#define MR_HTML_CHART_COLS_MAX 120 /* columns of a time chart */
#define MR_HTML_CHART_NAMES_MAX 10 /* stacked names per time chart */
#define MR_HTML_LABEL_CHARS 34     /* characters of a bar label */
#define MR_HTML_NARROW_COLS 4      /* columns a table shows on a phone */
#define MR_HTML_LONG_CELL 24       /* bytes past which a cell may break */

/* Bar chart geometry (viewBox units). */
#define BAR_W 720
#define BAR_LABEL_W 270
#define BAR_ROW_H 24
#define BAR_H 16
#define BAR_MAX_W 370

/* Time chart geometry. */
#define TC_W 720
#define TC_H 230
#define TC_LEFT 56
#define TC_RIGHT 8
#define TC_TOP 12
#define TC_BOTTOM 30

static const char *const palette[MR_HTML_CHART_NAMES_MAX] = {
    "#2f6fb3", "#d9822b", "#3a9d5d", "#c23b3b", "#7d5ba6",
    "#8c6d31", "#d16ba5", "#5f6b73", "#a6a832", "#2aa1b3"};

static void put_num(FILE *out, const mamori_cell *c)
{
    if (c->str)
        mr_html_cstr(out, c->str);
    else if (c->num == MAMORI_CELL_NULL)
        fputs("-", out);
    else if (c->num == MAMORI_CELL_FALSE || c->num == MAMORI_CELL_TRUE)
        fputs(c->num == MAMORI_CELL_TRUE ? "true" : "false", out);
    else
        fprintf(out, "%" PRId64, c->num);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* value * span / max without overflow, for value <= max. */
static unsigned scale(uint64_t value, uint64_t max, unsigned span)
{
    if (max == 0)
        return 0;
    return (unsigned)((double)value / (double)max * (double)span);
}

static void bar_chart(FILE *out, const mamori_table *t, mamori_lang lang)
{
    size_t rows = MR_MIN(t->nrows, (size_t)MR_HTML_BARS_MAX);
    size_t ncols = t->ncols, num_col = SIZE_MAX, label_col = SIZE_MAX;

    if (rows == 0)
        return;
    for (size_t c = 0; c < ncols && num_col == SIZE_MAX; c++) {
        size_t r = 0, values = 0;
        /* yes/no cells are no quantity to draw; a column of nulls has none */
        while (r < rows && !t->cells[r * ncols + c].str &&
               t->cells[r * ncols + c].num != MAMORI_CELL_TRUE &&
               t->cells[r * ncols + c].num != MAMORI_CELL_FALSE) {
            values += t->cells[r * ncols + c].num != MAMORI_CELL_NULL;
            r++;
        }
        if (r == rows && values)
            num_col = c;
    }
    for (size_t c = 0; c < ncols && label_col == SIZE_MAX; c++)
        if (t->cells[c].str)
            label_col = c;
    if (num_col == SIZE_MAX)
        return;

    uint64_t max = 0;
    for (size_t r = 0; r < rows; r++) {
        int64_t v = t->cells[r * ncols + num_col].num;
        max = MR_MAX(max, v > 0 ? (uint64_t)v : 0);
    }
    fprintf(out, "<svg class=\"chart bars\" viewBox=\"0 0 %d %zu\" role=\"img\" "
            "aria-label=\"", BAR_W, rows * BAR_ROW_H + 4);
    mr_html_cstr(out, mr_title(t->title, lang, t->id));
    fputs_unlocked("\">\n", out);
    for (size_t r = 0; r < rows; r++) {
        const mamori_cell *lc =
            label_col != SIZE_MAX ? &t->cells[r * ncols + label_col] : NULL;
        int64_t v = t->cells[r * ncols + num_col].num;
        unsigned w = scale(v > 0 ? (uint64_t)v : 0, max, BAR_MAX_W);
        size_t y = r * BAR_ROW_H + 2;
        char shown[24];   /* a value, or "-" for a null cell, as the table */

        if (v == MAMORI_CELL_NULL)
            snprintf(shown, sizeof shown, "-");
        else
            snprintf(shown, sizeof shown, "%" PRId64, v);
        fputs_unlocked("<g><title>", out);
        if (lc && lc->str)
            mr_html_cstr(out, lc->str);
        else
            fprintf(out, "%zu", r + 1);
        fprintf(out, ": %s</title>", shown);
        fprintf(out, "<text x=\"%d\" y=\"%zu\" class=\"lbl\">",
                BAR_LABEL_W - 8, y + 13);
        if (lc && lc->str) {
            size_t n = strlen(lc->str);
            size_t cut = mr_utf8_prefix(lc->str, n, MR_HTML_LABEL_CHARS);
            mr_html_str(out, lc->str, cut);
            if (cut < n)
                fputs_unlocked("\xE2\x80\xA6", out);
        } else {
            fprintf(out, "%zu", r + 1);
        }
        fprintf(out, "</text><rect x=\"%d\" y=\"%zu\" width=\"%u\" "
                "height=\"%d\" rx=\"2\" class=\"bar\"/>",
                BAR_LABEL_W, y, w ? w : 1, BAR_H);
        fprintf(out, "<text x=\"%u\" y=\"%zu\" class=\"val\">%s</text></g>\n",
                BAR_LABEL_W + (w ? w : 1) + 6, y + 13, shown);
    }
    fputs_unlocked("</svg>\n", out);
}

static void html_table(FILE *out, const mamori_table *t, mamori_lang lang)
{
    size_t rows = MR_MIN(t->nrows, (size_t)MR_HTML_TABLE_ROWS_MAX);

    fputs_unlocked("<h3>", out);
    mr_html_cstr(out, mr_title(t->title, lang, t->id));
    fputs_unlocked("</h3>\n", out);
    if (t->nrows == 0 && t->more_rows == 0) {
        fprintf(out, "<p class=\"none\">%s</p>\n", mr_label(lang, MR_L_NONE));
        return;
    }
    bar_chart(out, t, lang);
    /* Past MR_HTML_NARROW_COLS columns a table becomes cards on a
     * narrow screen (html_style.c); up to it, it fits as a table. */
    fputs_unlocked(t->ncols > MR_HTML_NARROW_COLS
                       ? "<table class=\"data wide\"><thead><tr>"
                       : "<table class=\"data\"><thead><tr>", out);
    for (size_t c = 0; c < t->ncols; c++) {
        int numeric = rows && !t->cells[c].str;
        fputs_unlocked(numeric ? "<th class=\"num\">" : "<th>", out);
        mr_html_cstr(out, mr_col_title(lang, t->cols[c]));
        fputs_unlocked("</th>", out);
    }
    fputs_unlocked("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < rows; r++) {
        fputs_unlocked("<tr>", out);
        for (size_t c = 0; c < t->ncols; c++) {
            const mamori_cell *cell = &t->cells[r * t->ncols + c];
            fputs_unlocked("<td data-label=\"", out);
            mr_html_cstr(out, mr_col_title(lang, t->cols[c]));
            /* Only a long value may break anywhere: a short one (an
             * address, a time) keeps the width it needs. */
            fputs_unlocked(!cell->str ? "\" class=\"num\">"
                           : strlen(cell->str) > MR_HTML_LONG_CELL
                               ? "\" class=\"long\">"
                               : "\">", out);
            put_num(out, cell);
            fputs_unlocked("</td>", out);
        }
        fputs_unlocked("</tr>\n", out);
    }
    fputs_unlocked("</tbody></table>\n", out);
    uint64_t more = (uint64_t)(t->nrows - rows) + t->more_rows;
    if (more)
        fprintf(out, "<p class=\"more\">\xE2\x80\xA6 %" PRIu64 " %s</p>\n",
                more, mr_label(lang, MR_L_MORE_ROWS));
}

static void time_axis(FILE *out, const mamori_series *se, uint64_t max)
{
    char iso[MR_TIME_ISO_MAX];
    int64_t end = se->start;

    if (se->step > 0 && se->nbuckets < (size_t)INT64_MAX / (size_t)se->step &&
        se->start <= INT64_MAX - (int64_t)se->nbuckets * se->step)
        end = se->start + (int64_t)se->nbuckets * se->step;
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>",
            TC_LEFT, TC_H - TC_BOTTOM, TC_W - TC_RIGHT, TC_H - TC_BOTTOM);
    fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>",
            TC_LEFT, TC_TOP, TC_LEFT, TC_H - TC_BOTTOM);
    fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">%" PRIu64 "</text>",
            TC_LEFT - 6, TC_TOP + 10, max);
    fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"lbl\">0</text>",
            TC_LEFT - 6, TC_H - TC_BOTTOM);
    mr_time_iso(se->start, iso);
    fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"tick\">%s</text>",
            TC_LEFT, TC_H - 10, iso);
    mr_time_iso(end, iso);
    fprintf(out, "<text x=\"%d\" y=\"%d\" class=\"tick end\">%s</text>\n",
            TC_W - TC_RIGHT, TC_H - 10, iso);
}

static void time_chart(FILE *out, const mamori_series *se, mamori_lang lang)
{
    size_t nb = se->nbuckets;
    size_t names = MR_MIN(se->nnames, (size_t)MR_HTML_CHART_NAMES_MAX);
    uint64_t col[MR_HTML_CHART_NAMES_MAX][MR_HTML_CHART_COLS_MAX];
    uint64_t max = 0;

    fputs_unlocked("<h3>", out);
    mr_html_cstr(out, mr_title(se->title, lang, se->id));
    fputs_unlocked("</h3>\n", out);
    if (nb == 0 || names == 0)
        return;
    size_t group = (nb + MR_HTML_CHART_COLS_MAX - 1) / MR_HTML_CHART_COLS_MAX;
    size_t ncol = (nb + group - 1) / group;
    memset(col, 0, sizeof(col));
    for (size_t c = 0; c < ncol; c++) {
        uint64_t stack = 0;
        for (size_t n = 0; n < names; n++) {
            const uint64_t *v = se->values + n * nb;
            for (size_t b = c * group; b < nb && b < (c + 1) * group; b++)
                col[n][c] = sat_add(col[n][c], v[b]);
            stack = sat_add(stack, col[n][c]);
        }
        max = MR_MAX(max, stack);
    }

    unsigned plot_w = TC_W - TC_LEFT - TC_RIGHT, plot_h = TC_H - TC_TOP - TC_BOTTOM;
    unsigned colw = plot_w / (unsigned)ncol;
    fprintf(out, "<svg class=\"chart time\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"", TC_W, TC_H);
    mr_html_cstr(out, mr_title(se->title, lang, se->id));
    fputs_unlocked("\">\n", out);
    time_axis(out, se, max);
    for (size_t c = 0; c < ncol; c++) {
        uint64_t below = 0;
        unsigned x = TC_LEFT + (unsigned)c * colw + 1;
        for (size_t n = 0; n < names; n++) {
            if (!col[n][c])
                continue;
            unsigned y0 = scale(below, max, plot_h);
            below = sat_add(below, col[n][c]);
            unsigned y1 = scale(below, max, plot_h);
            unsigned h = y1 > y0 ? y1 - y0 : 1;
            fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" "
                    "fill=\"%s\"><title>", x, TC_TOP + plot_h - y0 - h,
                    colw > 1 ? colw - 1 : 1, h, palette[n]);
            mr_html_cstr(out, se->names[n]);
            fprintf(out, ": %" PRIu64 "</title></rect>", col[n][c]);
        }
        putc_unlocked('\n', out);
    }
    fputs_unlocked("</svg>\n<ul class=\"legend\">", out);
    for (size_t n = 0; n < names; n++) {
        fprintf(out, "<li><span class=\"sw\" style=\"background:%s\"></span>",
                palette[n]);
        mr_html_cstr(out, se->names[n]);
        fputs_unlocked("</li>", out);
    }
    if (se->nnames > names)
        fprintf(out, "<li>\xE2\x80\xA6 %zu %s</li>", se->nnames - names,
                mr_label(lang, MR_L_MORE_ROWS));
    fputs_unlocked("</ul>\n", out);
}

/* The counters not at zero, in a <details> closed by default. */
static void counters(FILE *out, const mamori_summary *s, mamori_lang lang)
{
    size_t n = mamori_summary_ncounters(s), zero = 0;

    for (size_t i = 0; i < n; i++)
        zero += mamori_summary_counter_at(s, i)->value == 0;
    if (n == 0)
        return;
    fprintf(out, "<details class=\"counters\"><summary>%s (%zu)",
            mr_label(lang, MR_L_COUNTERS), n - zero);
    if (zero)
        fprintf(out, " \xC2\xB7 %zu %s", zero, mr_label(lang, MR_L_ZERO_HIDDEN));
    fputs_unlocked("</summary>\n", out);
    if (zero < n) {
        fputs_unlocked("<dl>\n", out);
        for (size_t i = 0; i < n; i++) {
            const mamori_counter *c = mamori_summary_counter_at(s, i);
            if (c->value == 0)
                continue;
            fputs_unlocked("<div><dt>", out);
            mr_html_cstr(out, mr_title(c->title, lang, c->id));
            fprintf(out, "</dt><dd>%" PRId64 "</dd></div>\n", c->value);
        }
        fputs_unlocked("</dl>\n", out);
    }
    fputs_unlocked("</details>\n", out);
}

void mr_html_summary(FILE *out, const mamori_summary *s, mamori_lang lang)
{
    fputs_unlocked("<section class=\"summary\">\n<h2>", out);
    mr_html_cstr(out, mr_label(lang, MR_L_SUMMARY));
    fputs_unlocked(": ", out);
    mr_html_cstr(out, mamori_summary_capability(s));
    fputs_unlocked("</h2>\n", out);
    counters(out, s, lang);
    for (size_t i = 0; i < mamori_summary_nseries(s); i++)
        time_chart(out, mamori_summary_series_at(s, i), lang);
    for (size_t i = 0; i < mamori_summary_ntables(s); i++)
        html_table(out, mamori_summary_table_at(s, i), lang);
    fputs_unlocked("</section>\n", out);
}
