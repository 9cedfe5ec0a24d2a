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
 * The statistics are text_summary.c's, the wrapping term_wrap.c's.
 * Every byte from the input goes through mr_term_put, so a log line
 * cannot move the cursor, change colours or retitle the terminal. ANSI
 * colour is used only when opts.color is set.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

#define MR_TEXT_VALUE_COLS 240   /* a request or evidence on the line */
#define MR_TEXT_FIELD_COLS 80    /* any other field value */
#define MR_TEXT_HEAD_MAX 1024    /* bytes of a recap heading */
#define MR_TEXT_RECAP_INDENT 12  /* "  critical  " */
/* A record to publish ("fix") is shown whole, on a line of its own, so it
 * can be copied as it is: cut, it would be a wrong record. */
#define MR_TEXT_FIX_FIELD "fix"

typedef struct text_state {
    mr_seen checks;      /* every check met, with counts, for the recap */
} text_state;

static const char *const sev_color[MAMORI_SEV_COUNT] = {
    "\033[2m", "\033[36m", "\033[33m", "\033[1;31m", "\033[1;37;41m"};
#define C_RESET "\033[0m"
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
        if (!fl->name || field_is_quiet(fl->name) ||
            strcmp(fl->name, MR_TEXT_FIX_FIELD) == 0)
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
    if ((fl = mamori_finding_get(f, MR_TEXT_FIX_FIELD)) &&
        fl->kind == MAMORI_FIELD_STR) {
        /* a DNS record is published; any other fix is a change to make */
        int record = f->check && !strncmp(f->check->id, "dns.", 4);
        if (record)
            fputs_unlocked(w->opts.lang == MAMORI_LANG_JA
                           ? "    \xE5\x85\xAC\xE9\x96\x8B\xE3\x81\x99\xE3\x82\x8B"
                             "\xE3\x83\xAC\xE3\x82\xB3\xE3\x83\xBC\xE3\x83\x89: " /* 公開するレコード */
                           : "    publish: ", out);
        else
            fputs_unlocked(w->opts.lang == MAMORI_LANG_JA
                           ? "    \xE5\xA4\x89\xE6\x9B\xB4: " /* 変更: */
                           : "    change: ", out);
        put_str_field(out, fl, SIZE_MAX);
        putc_unlocked('\n', out);
    }
}

/* ---- what to do now ------------------------------------------------ */

static void put_sev_tag(mamori_writer *w, mamori_severity sev, size_t width)
{
    const char *l = mr_sev_label(w->opts.lang, sev);
    size_t cols = mr_term_put(NULL, l, strlen(l), SIZE_MAX);

    color(w, sev_color[sev]);
    fputs_unlocked(l, w->out);
    color(w, C_RESET);
    mr_term_spaces(w->out, width > cols ? width - cols : 1);
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
        mr_term_wrap(out, h.b, MR_TEXT_RECAP_INDENT, MR_TEXT_RECAP_INDENT, MR_TEXT_WIDTH);
        putc_unlocked('\n', out);
        if (remedy[0]) {
            mr_term_spaces(out, MR_TEXT_RECAP_INDENT);
            mr_term_wrap(out, remedy, MR_TEXT_RECAP_INDENT, MR_TEXT_RECAP_INDENT, MR_TEXT_WIDTH);
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
        mr_term_wrap(out, h.b, 2, 2, MR_TEXT_WIDTH);
        fputs_unlocked("\n      ", out);
        mr_term_wrap(out, report, 6, 6, MR_TEXT_WIDTH);
        putc_unlocked('\n', out);
    }
}

static mamori_err text_finish(mamori_writer *w)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    uint64_t total = 0;

    /* After the streamed findings: the grades and what changed since the
     * last run first, then each capability's statistics. */
    for (int headline = 1; headline >= 0; headline--)
        for (size_t i = 0; i < w->nsummaries; i++)
            if (mr_summary_headline(w->summaries[i]) == headline)
                mr_text_summary(w, w->summaries[i]);
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
