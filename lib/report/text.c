/*
 * text.c — the terminal writer: one grep-friendly line per finding,
 *
 *   access.log:1234: high sqli [possible-success] 203.0.113.9
 *       "GET /item?id=1'+or+'1'='1 HTTP/1.1" 200 — evidence: 1' or '1'='1
 *
 * (on one line), then at the first finding of each check a few indented
 * lines with its title, what to do and whom to tell, in the chosen
 * language. At finish: each summary (counters, tables as aligned
 * columns, series as plain-character sparklines) and the totals.
 *
 * Every byte from the input goes through mr_term_put, so a log line
 * cannot move the cursor, change colours or retitle the terminal. ANSI
 * colour is used only when opts.color is set.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

#define MR_TEXT_VALUE_COLS 240   /* a request or evidence on the line */
#define MR_TEXT_FIELD_COLS 80    /* any other field value */
#define MR_TEXT_CELL_COLS 48     /* a table cell */
#define MR_TEXT_TABLE_ROWS 15    /* rows shown per table */
#define MR_TEXT_SPARK_COLS 60    /* width of a sparkline */
#define MR_TEXT_SPARK_NAMES 12   /* names shown per series */

typedef struct text_state {
    mr_seen explained;   /* checks whose title and remedy were printed */
} text_state;

static const char *const sev_color[MAMORI_SEV_COUNT] = {
    "\033[2m", "\033[36m", "\033[33m", "\033[1;31m", "\033[1;37;41m"};
#define C_RESET "\033[0m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"

static void color(mamori_writer *w, const char *code)
{
    if (w->opts.color)
        fputs_unlocked(code, w->out);
}

/* Fields the head line shows in their own place or leaves out (the
 * request line already holds method and target). */
static int field_is_quiet(const char *name)
{
    static const char *const quiet[] = {
        "client", "request", "status", "method", "target", "path",
        "protocol", "size", "bytes", "referer", "user_agent", "vhost",
        "user", "time"};
    for (size_t i = 0; i < MR_ARRAY_LEN(quiet); i++)
        if (strcmp(name, quiet[i]) == 0)
            return 1;
    return 0;
}

static void put_str_field(FILE *out, const mamori_field *fl, size_t cols)
{
    if (fl->kind == MAMORI_FIELD_INT) {
        fprintf(out, "%" PRId64, fl->num);
    } else if (fl->kind == MAMORI_FIELD_STR && fl->str) {
        mr_term_put(out, fl->str, fl->len, cols);
    } else if (fl->kind == MAMORI_FIELD_LIST) {
        for (size_t j = 0; fl->strs && j < fl->nstrs; j++) {
            if (j)
                putc_unlocked(',', out);
            if (fl->strs[j])
                mr_term_put(out, fl->strs[j], strlen(fl->strs[j]), cols);
        }
        if (fl->more)
            fprintf(out, ",+%" PRIu64, fl->more);
    }
}

static void text_explain(mamori_writer *w, const mamori_check *c)
{
    text_state *st = w->state;
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    int is_new = 0;

    if (mr_seen_add(&st->explained, c, &is_new) < 0 || !is_new)
        return;
    color(w, C_DIM);
    fprintf(out, "    %s [%s", mr_check_text(c->title, lang), c->id);
    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && c->countermeasures[i]; i++)
        fprintf(out, "%s%s", i ? ", " : "; ", c->countermeasures[i]);
    fputs_unlocked("]\n", out);
    const char *remedy = mr_check_text(c->remedy, lang);
    const char *report = mr_check_text(c->report, lang);
    if (remedy[0])
        fprintf(out, "    %s: %s\n", mr_label(lang, MR_L_WHAT_TO_DO), remedy);
    if (report[0])
        fprintf(out, "    %s: %s\n", mr_label(lang, MR_L_WHOM_TO_TELL),
                report);
    color(w, C_RESET);
}

static void text_finding(mamori_writer *w, const mamori_finding *f)
{
    FILE *out = w->out;
    mamori_severity sev = mr_sev_clamp(f->severity);

    if (w->opts.quiet)
        return;
    if (f->file) {
        mr_term_put(out, f->file, strlen(f->file), SIZE_MAX);
        if (f->line)
            fprintf(out, ":%" PRIu64, f->line);
        fputs_unlocked(": ", out);
    }
    color(w, sev_color[sev]);
    fputs_unlocked(mamori_severity_name(sev), out);
    color(w, C_RESET);
    putc_unlocked(' ', out);
    if (f->category)
        mr_term_put(out, f->category, strlen(f->category), MR_TEXT_FIELD_COLS);
    if (f->verdict) {
        fputs_unlocked(" [", out);
        mr_term_put(out, f->verdict, strlen(f->verdict), MR_TEXT_FIELD_COLS);
        putc_unlocked(']', out);
    }
    const mamori_field *fl = mamori_finding_get(f, "client");
    if (fl) {
        putc_unlocked(' ', out);
        put_str_field(out, fl, MR_TEXT_FIELD_COLS);
    }
    if ((fl = mamori_finding_get(f, "request")) && fl->kind == MAMORI_FIELD_STR) {
        fputs_unlocked(" \"", out);
        put_str_field(out, fl, MR_TEXT_VALUE_COLS);
        putc_unlocked('"', out);
    }
    if ((fl = mamori_finding_get(f, "status"))) {
        putc_unlocked(' ', out);
        put_str_field(out, fl, MR_TEXT_FIELD_COLS);
    }
    for (size_t i = 0; i < f->nfields && i < MAMORI_FINDING_FIELDS_MAX; i++) {
        fl = &f->fields[i];
        if (!fl->name || field_is_quiet(fl->name))
            continue;
        putc_unlocked(' ', out);
        mr_term_put(out, fl->name, strlen(fl->name), MR_TEXT_FIELD_COLS);
        putc_unlocked('=', out);
        put_str_field(out, fl, MR_TEXT_FIELD_COLS);
    }
    if (f->evidence && f->evidence_len) {
        fputs_unlocked(" \xE2\x80\x94 evidence: ", out);
        mr_term_put(out, f->evidence, f->evidence_len, MR_TEXT_VALUE_COLS);
    }
    putc_unlocked('\n', out);
    if (f->check)
        text_explain(w, f->check);
}

/* ---- summaries ----------------------------------------------------- */

static void put_cell(FILE *out, const mamori_cell *c, size_t width, int pad)
{
    size_t cols;

    if (c->str) {
        cols = mr_term_put(out, c->str, strlen(c->str), MR_TEXT_CELL_COLS);
        for (; pad && cols < width; cols++)
            putc_unlocked(' ', out);
    } else {
        char num[32];
        int n = snprintf(num, sizeof(num), "%" PRId64, c->num);
        for (cols = (size_t)n; cols < width; cols++)
            putc_unlocked(' ', out); /* numbers align right */
        fputs_unlocked(num, out);
    }
}

static size_t cell_width(const mamori_cell *c)
{
    if (c->str)
        return mr_term_put(NULL, c->str, strlen(c->str), MR_TEXT_CELL_COLS);
    char num[32];
    return (size_t)snprintf(num, sizeof(num), "%" PRId64, c->num);
}

static void text_table(mamori_writer *w, const mamori_table *t)
{
    FILE *out = w->out;
    size_t rows = MR_MIN(t->nrows, (size_t)MR_TEXT_TABLE_ROWS);
    size_t width[MAMORI_SUMMARY_COLS_MAX] = {0};
    size_t ncols = MR_MIN(t->ncols, (size_t)MAMORI_SUMMARY_COLS_MAX);

    fputs_unlocked("\n  ", out);
    color(w, C_BOLD);
    const char *title = mr_title(t->title, w->opts.lang, t->id);
    mr_term_put(out, title, strlen(title), SIZE_MAX);
    color(w, C_RESET);
    putc_unlocked('\n', out);
    if (t->nrows == 0 && t->more_rows == 0) {
        fputs_unlocked(w->opts.lang == MAMORI_LANG_JA ? "    (\xE3\x81\xAA\xE3\x81\x97)\n"
                                             : "    (none)\n", out);
        return;
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *h = t->cols[c] ? t->cols[c] : "";
        width[c] = mr_term_put(NULL, h, strlen(h), MR_TEXT_CELL_COLS);
        for (size_t r = 0; r < rows; r++)
            width[c] = MR_MAX(width[c], cell_width(&t->cells[r * t->ncols + c]));
    }
    fputs_unlocked("    ", out);
    for (size_t c = 0; c < ncols; c++) {
        const char *h = t->cols[c] ? t->cols[c] : "";
        mamori_cell head = {h, 0};
        /* Headers align like their column: right over numbers. */
        int numeric = rows && !t->cells[c].str;
        if (numeric) {
            size_t hw = mr_term_put(NULL, h, strlen(h), MR_TEXT_CELL_COLS);
            for (; hw < width[c]; hw++)
                putc_unlocked(' ', out);
            mr_term_put(out, h, strlen(h), MR_TEXT_CELL_COLS);
        } else {
            put_cell(out, &head, width[c], c + 1 < ncols);
        }
        if (c + 1 < ncols)
            fputs_unlocked("  ", out);
    }
    putc_unlocked('\n', out);
    for (size_t r = 0; r < rows; r++) {
        fputs_unlocked("    ", out);
        for (size_t c = 0; c < ncols; c++) {
            put_cell(out, &t->cells[r * t->ncols + c], width[c], c + 1 < ncols);
            if (c + 1 < ncols)
                fputs_unlocked("  ", out);
        }
        putc_unlocked('\n', out);
    }
    uint64_t more = (uint64_t)(t->nrows - rows) + t->more_rows;
    if (more)
        fprintf(out, "    ... %" PRIu64 " %s\n", more,
                mr_label(w->opts.lang, MR_L_MORE_ROWS));
}

/* A sparkline of plain characters: buckets summed into at most
 * MR_TEXT_SPARK_COLS columns, each drawn by its share of the maximum. */
static void text_spark(FILE *out, const uint64_t *v, size_t nb)
{
    static const char ramp[] = " .:-=+*#%@";
    size_t group = nb > MR_TEXT_SPARK_COLS
                       ? (nb + MR_TEXT_SPARK_COLS - 1) / MR_TEXT_SPARK_COLS
                       : 1;
    size_t ncol = group ? (nb + group - 1) / group : 0;
    uint64_t col[MR_TEXT_SPARK_COLS], max = 0, total = 0;

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
        putc_unlocked(ramp[MR_MIN(level, sizeof(ramp) - 2)], out);
    }
    fprintf(out, "| total %" PRIu64 ", max %" PRIu64 "\n", total, max);
}

static void text_series(mamori_writer *w, const mamori_series *se)
{
    FILE *out = w->out;
    char iso[MR_TIME_ISO_MAX];
    size_t namew = 0, nnames = MR_MIN(se->nnames, (size_t)MR_TEXT_SPARK_NAMES);

    fputs_unlocked("\n  ", out);
    color(w, C_BOLD);
    const char *title = mr_title(se->title, w->opts.lang, se->id);
    mr_term_put(out, title, strlen(title), SIZE_MAX);
    color(w, C_RESET);
    mr_time_iso(se->start, iso);
    if (w->opts.lang == MAMORI_LANG_JA)
        fprintf(out, " (%s \xE3\x81\x8B\xE3\x82\x89\xE3\x80\x81%" PRId64
                " \xE7\xA7\x92\xE3\x81\x94\xE3\x81\xA8)\n",
                iso[0] ? iso : "?", se->step); /* から、N 秒ごと */
    else
        fprintf(out, " (from %s, every %" PRId64 " s)\n", iso[0] ? iso : "?",
                se->step);
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        namew = MR_MAX(namew, mr_term_put(NULL, nm, strlen(nm), 24));
    }
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        fputs_unlocked("    ", out);
        size_t cols = mr_term_put(out, nm, strlen(nm), 24);
        for (; cols < namew + 1; cols++)
            putc_unlocked(' ', out);
        text_spark(out, se->values + n * se->nbuckets, se->nbuckets);
    }
    if (se->nnames > nnames)
        fprintf(out, "    ... %zu %s\n", se->nnames - nnames,
                mr_label(w->opts.lang, MR_L_MORE_ROWS));
}

static void text_summary(mamori_writer *w, const mamori_summary *s)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    size_t titlew = 0;

    fputs_unlocked("\n", out);
    color(w, C_BOLD);
    fprintf(out, "== %s: ", mr_label(lang, MR_L_SUMMARY));
    const char *cap = mamori_summary_capability(s);
    mr_term_put(out, cap, strlen(cap), SIZE_MAX);
    fputs_unlocked(" ==", out);
    color(w, C_RESET);
    putc_unlocked('\n', out);
    for (size_t i = 0; i < mamori_summary_ncounters(s); i++) {
        const mamori_counter *c = mamori_summary_counter_at(s, i);
        const char *t = mr_title(c->title, lang, c->id);
        titlew = MR_MAX(titlew, mr_term_put(NULL, t, strlen(t), 40));
    }
    for (size_t i = 0; i < mamori_summary_ncounters(s); i++) {
        const mamori_counter *c = mamori_summary_counter_at(s, i);
        const char *t = mr_title(c->title, lang, c->id);
        fputs_unlocked("  ", out);
        size_t cols = mr_term_put(out, t, strlen(t), 40);
        for (; cols < titlew + 2; cols++)
            putc_unlocked(' ', out);
        fprintf(out, "%" PRId64 "\n", c->value);
    }
    for (size_t i = 0; i < mamori_summary_ntables(s); i++)
        text_table(w, mamori_summary_table_at(s, i));
    for (size_t i = 0; i < mamori_summary_nseries(s); i++)
        text_series(w, mamori_summary_series_at(s, i));
}

static mamori_err text_finish(mamori_writer *w)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    uint64_t total = 0;

    for (size_t i = 0; i < w->nsummaries; i++)
        text_summary(w, w->summaries[i]);
    fprintf(out, "\n%s:", mr_label(lang, MR_L_FINDINGS));
    for (int s = MAMORI_SEV_COUNT - 1; s >= 0; s--) {
        total += w->count[s];
        putc_unlocked(' ', out);
        if (w->count[s])
            color(w, sev_color[s]);
        fprintf(out, "%s %" PRIu64, mamori_severity_name((mamori_severity)s),
                w->count[s]);
        if (w->count[s])
            color(w, C_RESET);
        if (s)
            putc_unlocked(',', out);
    }
    fprintf(out, " (%s %" PRIu64 ")\n", mr_label(lang, MR_L_TOTAL), total);
    if (total > w->shown && w->opts.min_severity > MAMORI_SEV_INFO)
        fprintf(out, "%" PRIu64 " %s\n", total - w->shown,
                mr_label(lang, MR_L_BELOW_MIN));
    return MAMORI_OK;
}

static mamori_err text_start(mamori_writer *w)
{
    text_state *st = calloc(1, sizeof(*st));
    if (!st)
        return MAMORI_E_NOMEM;
    mr_seen_init(&st->explained);
    w->state = st;
    return MAMORI_OK;
}

static void text_free(void *state)
{
    text_state *st = state;
    if (st)
        mr_seen_free(&st->explained);
    free(st);
}

const mr_writer_ops mr_text_ops = {
    .start = text_start,
    .finding = text_finding,
    .summary = NULL,
    .finish = text_finish,
    .free_state = text_free,
};
