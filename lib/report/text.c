/*
 * text.c — the terminal writer. What a person at a terminal sees, top to
 * bottom:
 *
 *   1. one grep-friendly line per finding, as it arrives:
 *        access.log:1234: high sqli [possible-success] 203.0.113.9
 *            "GET /item?id=1'+or+'1'='1 HTTP/1.1" 200 — evidence: 1' or '1'='1
 *      (on one line: grep, sort and cut keep working, so its width is
 *      the input's; severity, category and verdict stay ids);
 *   2. each summary's statistics: counters (those at zero left out),
 *      tables fitted to 120 columns, time charts with a legend;
 *   3. "What to do now": each distinct check once, most severe first
 *      (by the highest severity of its findings), with its count, what
 *      to do, its ids and countermeasures; then "Whom to tell", each
 *      distinct text once with the checks it concerns;
 *   4. the final line: the findings per severity.
 *
 * Why this order: findings stream (an audit can run for minutes, and a
 * pipe reader wants them at once), so nothing can be printed above them
 * without holding everything back; and what stays on the screen when the
 * run ends is its last lines. So the recap of what to do sits right above
 * the final count, and the statistics, which matter least, go before it.
 * Every fixed part (recap, tables, charts, totals) fits MR_TEXT_WIDTH
 * columns: long texts wrap at word boundaries, Japanese between any two
 * characters (not before closing punctuation), East Asian wide
 * characters counting 2 columns. Fixed strings come in both languages.
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
#define MR_TEXT_WIDTH 120        /* columns of every fixed line */
#define MR_TEXT_CELL_MIN 12      /* a text column is not cut below */
#define MR_TEXT_HEAD_MAX 1024    /* bytes of a recap heading */
#define MR_TEXT_RECAP_INDENT 12  /* "  critical  " */

typedef struct text_state {
    mr_seen checks;      /* every check met, with counts, for the recap */
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

/* ---- wrapping -------------------------------------------------------- */

static void spaces(FILE *out, size_t n)
{
    while (n--)
        putc_unlocked(' ', out);
}

/* Punctuation that may not start a line (kinsoku): 、。，．）」』】〕！？：；
 * ー・, the small kana, and ASCII closers (glued to a wide character
 * before them; after a narrow one they are part of its word anyway). */
static int no_line_start(uint32_t c)
{
    if (c < 0x80)
        return c && strchr(").,:;!?]", (int)c) != NULL;
    static const uint32_t closers[] = {
        0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF09, 0x300D, 0x300F, 0x3011,
        0x3015, 0xFF01, 0xFF1F, 0xFF1A, 0xFF1B, 0x30FC, 0x30FB, 0x3041,
        0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087,
        0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
        0x30E7};
    for (size_t i = 0; i < MR_ARRAY_LEN(closers); i++)
        if (c == closers[i])
            return 1;
    return 0;
}

/* Opening brackets that may not end a line: （「『【〔. */
static int no_line_end(uint32_t c)
{
    return c == 0xFF08 || c == 0x300C || c == 0x300E || c == 0x3010 ||
           c == 0x3014;
}

typedef struct wrap_char {
    size_t len;     /* bytes */
    size_t cols;    /* as mr_term_put writes it */
    uint32_t cp;    /* MR_UTF8_BAD when invalid */
} wrap_char;

static void char_at(const char *s, size_t n, wrap_char *c)
{
    c->len = mr_utf8_next((const unsigned char *)s, n, &c->cp);
    c->cols = mr_term_put(NULL, s, c->len, SIZE_MAX);
}

/* A wide character: a line may break before and after it. */
static int breaks_around(const wrap_char *c)
{
    return c->cp != MR_UTF8_BAD && c->cols == 2;
}

/* The token at s[0..n): a word of narrow characters or one wide
 * character, with the closing punctuation that follows it, and after an
 * opening bracket also the token it opens. Sets *cols; returns its
 * length (at least one character: s[0] is not a space). */
static size_t token_at(const char *s, size_t n, size_t *cols)
{
    size_t i = 0;
    wrap_char c;
    int opener;

    *cols = 0;
    do {
        char_at(s + i, n - i, &c);
        opener = 0;
        if (breaks_around(&c)) {
            opener = no_line_end(c.cp);
            i += c.len;
            *cols += c.cols;
        } else {
            while (i < n && s[i] != ' ') {
                char_at(s + i, n - i, &c);
                if (breaks_around(&c))
                    break;
                i += c.len;
                *cols += c.cols;
            }
        }
        while (i < n) { /* closers stay with what they close */
            char_at(s + i, n - i, &c);
            if (!no_line_start(c.cp))
                break;
            i += c.len;
            *cols += c.cols;
        }
    } while (opener && i < n && s[i] != ' ');
    return i;
}

/*
 * Writes s wrapped to MR_TEXT_WIDTH columns. The cursor is at column
 * `col` of the first line (what the caller already wrote); later lines
 * start with `indent` spaces. Breaks at spaces, and between wide
 * characters; a word wider than a line is broken where it must be.
 * Ends without a newline; returns the column reached.
 */
static size_t text_wrap(FILE *out, const char *s, size_t col, size_t indent)
{
    size_t n = strlen(s), i = 0;
    int space = 0;

    while (i < n) {
        if (s[i] == ' ') {
            space = 1;
            i++;
            continue;
        }
        size_t cols, len = token_at(s + i, n - i, &cols);
        size_t need = cols + (space && col > indent ? 1 : 0);
        if (col + need > MR_TEXT_WIDTH && col > indent) {
            putc_unlocked('\n', out);
            spaces(out, indent);
            col = indent;
        } else if (space && col > indent) {
            putc_unlocked(' ', out);
            col++;
        }
        space = 0;
        if (col + cols <= MR_TEXT_WIDTH) {
            col += mr_term_put(out, s + i, len, SIZE_MAX);
        } else {
            /* Wider than a whole line: break inside it. */
            for (size_t j = 0; j < len;) {
                wrap_char c;
                char_at(s + i + j, len - j, &c);
                if (col + c.cols > MR_TEXT_WIDTH && col > indent) {
                    putc_unlocked('\n', out);
                    spaces(out, indent);
                    col = indent;
                }
                col += mr_term_put(out, s + i + j, c.len, SIZE_MAX);
                j += c.len;
            }
        }
        i += len;
    }
    return col;
}

/* A bounded string builder for a recap heading (our own texts only). */
typedef struct head_buf {
    char b[MR_TEXT_HEAD_MAX];
    size_t n;
} head_buf;

static void head_add(head_buf *h, const char *s)
{
    size_t room = sizeof(h->b) - 1 - h->n, k = strlen(s);
    if (k > room) { /* cut, but not inside a UTF-8 sequence */
        k = room;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(h->b + h->n, s, k);
    h->n += k;
    h->b[h->n] = '\0';
}

static void text_finding(mamori_writer *w, const mamori_finding *f)
{
    text_state *st = w->state;
    FILE *out = w->out;
    mamori_severity sev = mr_sev_clamp(f->severity);

    /* Counted for the recap even when quiet; past MR_CHECKS_SEEN_MAX
     * checks a finding still counts in the totals. */
    mr_seen_tally(&st->checks, f);
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
        fputs_unlocked(w->opts.lang == MAMORI_LANG_JA
                           ? " \xE2\x80\x94 \xE6\xA0\xB9\xE6\x8B\xA0: " /* 根拠 */
                           : " \xE2\x80\x94 evidence: ", out);
        mr_term_put(out, f->evidence, f->evidence_len, MR_TEXT_VALUE_COLS);
    }
    putc_unlocked('\n', out);
}

/* ---- summaries ----------------------------------------------------- */

/* A cell cut to `width` columns; text pads on the right when `pad`,
 * numbers align right. */
static void put_cell(FILE *out, const mamori_cell *c, size_t width, int pad)
{
    size_t cols;

    if (c->str) {
        cols = mr_term_put(out, c->str, strlen(c->str), width);
        if (pad)
            spaces(out, width > cols ? width - cols : 0);
    } else {
        char num[32];
        int n = snprintf(num, sizeof(num), "%" PRId64, c->num);
        spaces(out, width > (size_t)n ? width - (size_t)n : 0);
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

/* Column keys whose cells are not worth showing cut (a time without its
 * hour, half an address): they keep their width like numbers. */
static int keep_whole(const char *key)
{
    static const char *const keys[] = {"client", "first", "last", "domain"};
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
    color(w, C_BOLD);
    const char *title = mr_title(t->title, lang, t->id);
    mr_term_put(out, title, strlen(title), MR_TEXT_WIDTH - 2);
    color(w, C_RESET);
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
            spaces(out, width[c] > hw ? width[c] - hw : 0);
        mr_term_put(out, h, strlen(h), width[c]);
        if (c < last) {
            if (!numeric[c])
                spaces(out, width[c] > hw ? width[c] - hw : 0);
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
    color(w, C_BOLD);
    const char *title = mr_title(se->title, lang, se->id);
    size_t cols = 2 + mr_term_put(out, title, strlen(title), 60);
    color(w, C_RESET);
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
    text_wrap(out, head, cols, 4);
    putc_unlocked('\n', out);
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        namew = MR_MAX(namew, mr_term_put(NULL, nm, strlen(nm), 24));
    }
    for (size_t n = 0; n < nnames; n++) {
        const char *nm = se->names[n] ? se->names[n] : "";
        fputs_unlocked("    ", out);
        size_t c = mr_term_put(out, nm, strlen(nm), 24);
        spaces(out, namew + 1 - c);
        text_spark(out, se->values + n * nb, nb, group, lang);
    }
    if (se->nnames > nnames)
        fprintf(out, "    ... %zu %s\n", se->nnames - nnames,
                mr_label(lang, MR_L_MORE_ROWS));
    /* The legend of the symbols. */
    fputs_unlocked("    ", out);
    text_wrap(out, mr_label(lang, MR_L_SPARK_RAMP), 4, 4);
    putc_unlocked('\n', out);
}

static void text_summary(mamori_writer *w, const mamori_summary *s)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    size_t titlew = 0, zero = 0;

    fputs_unlocked("\n", out);
    color(w, C_BOLD);
    fprintf(out, "== %s: ", mr_label(lang, MR_L_SUMMARY));
    const char *cap = mamori_summary_capability(s);
    mr_term_put(out, cap, strlen(cap), 80);
    fputs_unlocked(" ==", out);
    color(w, C_RESET);
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
        spaces(out, titlew + 2 - cols);
        fprintf(out, "%" PRId64 "\n", c->value);
    }
    if (zero)
        fprintf(out, "  (%zu %s)\n", zero, mr_label(lang, MR_L_ZERO_HIDDEN));
    for (size_t i = 0; i < mamori_summary_ntables(s); i++)
        text_table(w, mamori_summary_table_at(s, i));
    for (size_t i = 0; i < mamori_summary_nseries(s); i++)
        text_series(w, mamori_summary_series_at(s, i));
}

/* ---- what to do now ------------------------------------------------ */

static void put_sev_tag(mamori_writer *w, mamori_severity sev, size_t width)
{
    const char *l = mr_sev_label(w->opts.lang, sev);
    size_t cols = mr_term_put(NULL, l, strlen(l), SIZE_MAX);

    color(w, sev_color[sev]);
    fputs_unlocked(l, w->out);
    color(w, C_RESET);
    spaces(w->out, width > cols ? width - cols : 1);
}

/* "SQL injection attempt: 31 findings [logscan.sqli; meti.appsec]" */
static void recap_head(mamori_writer *w, const mamori_check *c, uint64_t hits,
                       head_buf *h)
{
    mamori_lang lang = w->opts.lang;
    char num[32];

    h->n = 0;
    h->b[0] = '\0';
    head_add(h, mr_check_text(c->title, lang));
    snprintf(num, sizeof(num), ": %" PRIu64 " ", hits);
    head_add(h, num);
    head_add(h, mr_label(lang, hits == 1 ? MR_L_FINDING_ONE : MR_L_FINDING_MANY));
    head_add(h, " [");
    head_add(h, c->id);
    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && c->countermeasures[i]; i++) {
        head_add(h, i ? ", " : "; ");
        head_add(h, c->countermeasures[i]);
    }
    head_add(h, "]");
}

static void text_recap(mamori_writer *w)
{
    text_state *st = w->state;
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    size_t order[MR_CHECKS_SEEN_MAX];
    size_t n = mr_seen_order(&st->checks, order);
    head_buf h;

    if (n == 0)
        return;
    putc_unlocked('\n', out);
    color(w, C_BOLD);
    fprintf(out, "== %s (%s) ==", mr_label(lang, MR_L_WHAT_TO_DO_NOW),
            mr_label(lang, MR_L_MOST_SEVERE_FIRST));
    color(w, C_RESET);
    putc_unlocked('\n', out);
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        const mamori_check *c = &st->checks.checks[i];
        const char *remedy = mr_check_text(c->remedy, lang);
        fputs_unlocked("  ", out);
        put_sev_tag(w, st->checks.worst[i], MR_TEXT_RECAP_INDENT - 2);
        recap_head(w, c, st->checks.hits[i], &h);
        text_wrap(out, h.b, MR_TEXT_RECAP_INDENT, MR_TEXT_RECAP_INDENT);
        putc_unlocked('\n', out);
        if (remedy[0]) {
            spaces(out, MR_TEXT_RECAP_INDENT);
            text_wrap(out, remedy, MR_TEXT_RECAP_INDENT, MR_TEXT_RECAP_INDENT);
            putc_unlocked('\n', out);
        }
    }

    /* Whom to tell: often the same advice for many checks, so each
     * distinct text once, after the checks it concerns. */
    int header = 0;
    for (size_t k = 0; k < n; k++) {
        const char *report = mr_check_text(st->checks.checks[order[k]].report, lang);
        int earlier = 0;
        for (size_t j = 0; j < k && !earlier; j++)
            earlier = strcmp(report, mr_check_text(
                                 st->checks.checks[order[j]].report, lang)) == 0;
        if (!report[0] || earlier)
            continue;
        if (!header) {
            putc_unlocked('\n', out);
            color(w, C_BOLD);
            fprintf(out, "== %s ==", mr_label(lang, MR_L_WHOM_TO_TELL));
            color(w, C_RESET);
            putc_unlocked('\n', out);
            header = 1;
        }
        h.n = 0;
        h.b[0] = '\0';
        for (size_t j = k; j < n; j++) {
            const mamori_check *c = &st->checks.checks[order[j]];
            if (strcmp(report, mr_check_text(c->report, lang)) != 0)
                continue;
            if (h.n)
                head_add(&h, ", ");
            head_add(&h, c->id);
        }
        head_add(&h, ":");
        fputs_unlocked("  ", out);
        text_wrap(out, h.b, 2, 2);
        fputs_unlocked("\n      ", out);
        text_wrap(out, report, 6, 6);
        putc_unlocked('\n', out);
    }
}

static mamori_err text_finish(mamori_writer *w)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    uint64_t total = 0;

    for (size_t i = 0; i < w->nsummaries; i++)
        text_summary(w, w->summaries[i]);
    text_recap(w);
    fprintf(out, "\n%s: ", mr_label(lang, MR_L_FINDINGS));
    for (int s = MAMORI_SEV_COUNT - 1; s >= 0; s--) {
        total += w->count[s];
        if (w->count[s])
            color(w, sev_color[s]);
        fprintf(out, "%s %" PRIu64, mr_sev_label(lang, (mamori_severity)s),
                w->count[s]);
        if (w->count[s])
            color(w, C_RESET);
        if (s) /* "high 2, medium 0" or "高 2、中 0" */
            fputs_unlocked(lang == MAMORI_LANG_JA ? "\xE3\x80\x81" : ", ", out);
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
    mr_seen_init(&st->checks);
    w->state = st;
    return MAMORI_OK;
}

static void text_free(void *state)
{
    text_state *st = state;
    if (st)
        mr_seen_free(&st->checks);
    free(st);
}

const mr_writer_ops mr_text_ops = {
    .start = text_start,
    .finding = text_finding,
    .summary = NULL,
    .finish = text_finish,
    .free_state = text_free,
};
