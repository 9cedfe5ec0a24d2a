/*
 * html.c — the HTML writer: one self-contained page (inline CSS and SVG,
 * no script, no external asset) that a person can open, print or mail.
 * A strict Content-Security-Policy forbids scripts and any fetch, so even
 * an escaping bug could not run code or call home.
 *
 * Findings are borrowed by the sink, so up to MAMORI_HTML_FINDINGS_MAX
 * shown ones are deep-copied (each value cut to MR_HTML_VALUE_MAX bytes)
 * into an arena; the rest are counted and the page says how many were
 * not listed. The page is written at finish, in the order a reader needs
 * it: a header naming the host, the inputs, the time (UTC) and the
 * version; the count per severity; "What to do now", each check once,
 * most severe first, its badge the highest severity of its findings,
 * and whom to tell (each distinct advice once; html_todo.c), after the
 * headline summaries (the grades, what changed since the last run); the
 * findings, most severe first; and last the statistics of each summary
 * (html_summary.c). The findings table fits the page at any width:
 * fixed columns that wrap anywhere on a wide screen, one card per
 * finding on a narrow one (html_style.c). Everything from a finding,
 * a summary or the writer options goes through mr_html_str.
 */
#include "common.h"

#include <inttypes.h>
#include <time.h>

#include "report/writer_impl.h"
#include "util/span.h"
#include "util/grow.h"

#define MR_HTML_VALUE_MAX 600           /* bytes kept per value */
#define MR_HTML_ARENA_MAX (48u << 20)   /* all kept findings */

typedef struct html_kept {
    long check;                  /* index in seen, or -1 */
    mamori_severity sev;
    uint64_t seq;                /* arrival order, for a stable sort */
    uint64_t line;
    int64_t time;
    mr_span category, verdict, file, client, request, status, evidence,
        details;
} html_kept;

typedef struct html_state {
    mr_arena arena;
    mr_seen checks;
    html_kept *kept;
    size_t nkept, cap;
    uint64_t not_listed, seq;
    size_t per_sev[MAMORI_SEV_COUNT];   /* kept findings per severity */
} html_state;

static mamori_severity lowest_kept(const html_state *st)
{
    for (int s = 0; s < MAMORI_SEV_COUNT; s++)
        if (st->per_sev[s])
            return (mamori_severity)s;
    return MAMORI_SEV_CRITICAL;
}

/* The list is full: make room for a more severe finding by dropping the
 * latest of the least severe ones, so that a flood of low findings never
 * hides a critical one. Returns the freed slot, or NULL. (Its copies stay
 * in the arena until the end: the arena's limit still bounds them.) */
static html_kept *evict_for(html_state *st, mamori_severity sev)
{
    mamori_severity low = lowest_kept(st);
    if (sev <= low)
        return NULL;
    for (size_t i = st->nkept; i-- > 0;)
        if (st->kept[i].sev == low) {
            st->per_sev[low]--;
            st->not_listed++;
            return &st->kept[i];
        }
    return NULL;
}

static int by_severity(const void *a, const void *b)
{
    const html_kept *x = a, *y = b;
    if (x->sev != y->sev)
        return x->sev < y->sev ? 1 : -1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

#define MR_HTML_INPUTS_SHOWN 20   /* inputs named in the header */

static const char *sev_label(mamori_lang lang, mamori_severity s)
{
    return mr_sev_label(lang, s);
}

/* A bounded copy that does not cut a UTF-8 sequence in two. */
static mr_span keep(html_state *st, const char *s, size_t n, int *failed)
{
    if (!s)
        return MR_SPAN_NULL;
    if (n > MR_HTML_VALUE_MAX) {
        n = MR_HTML_VALUE_MAX;
        for (int k = 0; k < 3 && n > 0 &&
                        ((unsigned char)s[n] & 0xC0) == 0x80; k++)
            n--;
    }
    char *c = mr_arena_strndup(&st->arena, s, n);
    if (!c) {
        *failed = 1;
        return MR_SPAN_NULL;
    }
    return mr_span_make(c, n);
}

/* Appends to a bounded buffer; silently stops when full. */
typedef struct mr_buf {
    char b[MR_HTML_VALUE_MAX];
    size_t n;
} mr_buf;

static void buf_add(mr_buf *b, const char *s, size_t n)
{
    size_t room = sizeof(b->b) - b->n;
    n = MR_MIN(n, room);
    memcpy(b->b + b->n, s, n);
    b->n += n;
}

static void buf_adds(mr_buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static int field_in_column(const char *name)
{
    return strcmp(name, "client") == 0 || strcmp(name, "request") == 0 ||
           strcmp(name, "status") == 0 || strcmp(name, "method") == 0 ||
           strcmp(name, "target") == 0;
}

/* The fields without a column of their own, as "name=value; ...". */
static void details_of(const mamori_finding *f, mr_buf *b)
{
    char num[32];

    b->n = 0;
    for (size_t i = 0; i < f->nfields && i < MAMORI_FINDING_FIELDS_MAX; i++) {
        const mamori_field *fl = &f->fields[i];
        if (!fl->name || field_in_column(fl->name))
            continue;
        if (b->n)
            buf_adds(b, "; ");
        buf_adds(b, fl->name);
        buf_adds(b, "=");
        if (fl->kind == MAMORI_FIELD_STR && fl->str) {
            buf_add(b, fl->str, fl->len);
        } else if (fl->kind == MAMORI_FIELD_INT) {
            snprintf(num, sizeof(num), "%" PRId64, fl->num);
            buf_adds(b, num);
        } else if (fl->kind == MAMORI_FIELD_LIST) {
            for (size_t j = 0; fl->strs && j < fl->nstrs; j++) {
                if (j)
                    buf_adds(b, ", ");
                buf_adds(b, fl->strs[j] ? fl->strs[j] : "");
            }
            if (fl->more) {
                snprintf(num, sizeof(num), " (+%" PRIu64 ")", fl->more);
                buf_adds(b, num);
            }
        }
    }
}

static mr_span field_span(html_state *st, const mamori_finding *f,
                          const char *name, int *failed)
{
    const mamori_field *fl = mamori_finding_get(f, name);
    char num[32];

    if (!fl)
        return MR_SPAN_NULL;
    if (fl->kind == MAMORI_FIELD_INT) {
        int n = snprintf(num, sizeof(num), "%" PRId64, fl->num);
        return keep(st, num, (size_t)n, failed);
    }
    if (fl->kind == MAMORI_FIELD_STR)
        return keep(st, fl->str, fl->len, failed);
    return MR_SPAN_NULL;
}

static void html_finding(mamori_writer *w, const mamori_finding *f)
{
    html_state *st = w->state;
    int failed = 0;
    mr_buf details;

    /* Tallied before the cap: "what to do" counts every shown finding. */
    long check = mr_seen_tally(&st->checks, f);
    html_kept *k = NULL;
    if (st->nkept >= MAMORI_HTML_FINDINGS_MAX) {
        k = evict_for(st, mr_sev_clamp(f->severity));
        if (!k) {
            st->not_listed++;
            return;
        }
    } else if (MR_GROW_MAX(&st->kept, &st->cap, st->nkept + 1, 64,
                           MAMORI_HTML_FINDINGS_MAX)) {
        st->not_listed++;
        return;
    }
    int replacing = k != NULL;
    if (!k)
        k = &st->kept[st->nkept];
    memset(k, 0, sizeof(*k));
    k->check = check;
    k->sev = mr_sev_clamp(f->severity);
    k->seq = st->seq++;
    k->line = f->line;
    k->time = f->time;
    if (f->category)
        k->category = keep(st, f->category, strlen(f->category), &failed);
    if (f->verdict)
        k->verdict = keep(st, f->verdict, strlen(f->verdict), &failed);
    if (f->file)
        k->file = keep(st, f->file, strlen(f->file), &failed);
    k->client = field_span(st, f, "client", &failed);
    k->request = field_span(st, f, "request", &failed);
    if (!k->request.p) {
        const mamori_field *m = mamori_finding_get(f, "method");
        const mamori_field *t = mamori_finding_get(f, "target");
        mr_buf b = {.n = 0};
        if (m && m->kind == MAMORI_FIELD_STR && m->str) {
            buf_add(&b, m->str, m->len);
            buf_adds(&b, " ");
        }
        if (t && t->kind == MAMORI_FIELD_STR && t->str)
            buf_add(&b, t->str, t->len);
        if (b.n)
            k->request = keep(st, b.b, b.n, &failed);
    }
    k->status = field_span(st, f, "status", &failed);
    if (f->evidence)
        k->evidence = keep(st, f->evidence, f->evidence_len, &failed);
    details_of(f, &details);
    if (details.n)
        k->details = keep(st, details.b, details.n, &failed);
    if (failed) {
        st->not_listed++;   /* arena full: counted, not listed */
        if (replacing) {    /* the slot is gone: close the gap */
            size_t i = (size_t)(k - st->kept);
            memmove(k, k + 1, (st->nkept - i - 1) * sizeof(*k));
            st->nkept--;
        }
        return;
    }
    st->per_sev[k->sev]++;
    if (!replacing)
        st->nkept++;
}

static void put_span(FILE *out, mr_span s)
{
    if (s.p)
        mr_html_str(out, s.p, s.n);
}

static void page_head(mamori_writer *w, const char *title)
{
    FILE *out = w->out;

    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\""
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n"
            "<meta name=\"generator\" content=\"mamori %s\">\n<title>",
            w->opts.lang == MAMORI_LANG_JA ? "ja" : "en", mamori_version());
    mr_html_cstr(out, title);
    fputs_unlocked("</title>\n<style>\n", out);
    fputs_unlocked(mr_html_css, out);
    fputs_unlocked("</style>\n</head>\n<body>\n", out);
}

static void page_cards(mamori_writer *w)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    uint64_t total = 0;

    fputs_unlocked("<section class=\"cards\">\n", out);
    for (int s = MAMORI_SEV_COUNT - 1; s >= 0; s--) {
        total += w->count[s];
        fprintf(out, "<div class=\"card sev-%s%s\"><span class=\"n\">%" PRIu64
                "</span><span class=\"l\">%s</span></div>\n",
                mamori_severity_name((mamori_severity)s),
                w->count[s] ? "" : " zero", w->count[s],
                sev_label(lang, (mamori_severity)s));
    }
    fputs_unlocked("</section>\n", out);
    if (total > w->shown)
        fprintf(out, "<p class=\"note\">%" PRIu64 " %s (%s)</p>\n",
                total - w->shown, mr_label(lang, MR_L_BELOW_MIN),
                sev_label(lang, w->opts.min_severity));
}

/* <td data-label="..."> : the label heads the cell when the table is
 * shown as cards on a narrow screen. */
static void td_open(FILE *out, mamori_lang lang, mr_label_id label,
                    const char *cls)
{
    fprintf(out, "<td data-label=\"%s\"%s%s%s>", mr_label(lang, label),
            cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
}

static void page_findings(mamori_writer *w)
{
    html_state *st = w->state;
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    char iso[MR_TIME_ISO_MAX];
    static const struct {
        mr_label_id label;
        const char *col;
    } cols[] = {{MR_L_SEVERITY, "c-sev"},      {MR_L_CHECK, "c-check"},
                {MR_L_WHERE_WHEN, "c-where"},  {MR_L_CLIENT, "c-client"},
                {MR_L_REQUEST, "c-req"},       {MR_L_EVIDENCE_DETAILS, "c-ev"}};

    fprintf(out, "<section id=\"findings\">\n<h2>%s (%" PRIu64 ")</h2>\n",
            mr_label(lang, MR_L_FINDINGS), w->shown);
    if (st->nkept == 0 && st->not_listed == 0) {
        fprintf(out, "<p class=\"none\">%s</p>\n</section>\n",
                mr_label(lang, MR_L_NO_FINDINGS));
        return;
    }
    /* A column no kept finding fills (a client, a request: host checks
     * have neither) is left out, and its room goes to the evidence. */
    int has[MR_ARRAY_LEN(cols)] = {1, 1, 1, 0, 0, 1};
    for (size_t i = 0; i < st->nkept; i++) {
        has[3] |= st->kept[i].client.p != NULL;
        has[4] |= st->kept[i].request.p != NULL || st->kept[i].status.p != NULL;
    }
    fputs_unlocked("<table class=\"findings\"><colgroup>", out);
    for (size_t i = 0; i < MR_ARRAY_LEN(cols); i++)
        if (has[i])
            fprintf(out, "<col class=\"%s\">", cols[i].col);
    fputs_unlocked("</colgroup><thead><tr>", out);
    for (size_t i = 0; i < MR_ARRAY_LEN(cols); i++)
        if (has[i])
            fprintf(out, "<th>%s</th>", mr_label(lang, cols[i].label));
    fputs_unlocked("</tr></thead>\n<tbody>\n", out);
    /* Most severe first; within a severity, in the order they were seen.
     * kept is NULL when none could be kept (qsort wants an array). */
    if (st->nkept > 1)
        qsort(st->kept, st->nkept, sizeof(*st->kept), by_severity);
    for (size_t i = 0; i < st->nkept; i++) {
        const html_kept *k = &st->kept[i];
        const mamori_check *c = k->check >= 0 ? &st->checks.checks[k->check]
                                              : NULL;
        const char *sev = mamori_severity_name(k->sev);
        fprintf(out, "<tr class=\"sev-%s\">", sev);
        td_open(out, lang, MR_L_SEVERITY, NULL);
        fprintf(out, "<span class=\"badge sev-%s\">%s</span></td>", sev,
                sev_label(lang, k->sev));
        td_open(out, lang, MR_L_CHECK, NULL);
        if (c) {
            mr_html_cstr(out, mr_check_text(c->title, lang));
            fputs_unlocked("<br><span class=\"id\">", out);
            mr_html_cstr(out, c->id);
            fputs_unlocked("</span>", out);
        }
        fputs_unlocked(" <span class=\"cat\">", out);
        put_span(out, k->category);
        fputs_unlocked("</span>", out);
        if (k->verdict.p) {
            fputs_unlocked("<br><span class=\"verdict\">", out);
            put_span(out, k->verdict);
            fputs_unlocked("</span>", out);
        }
        fputs_unlocked("</td>", out);
        td_open(out, lang, MR_L_WHERE_WHEN, "where");
        if (k->file.p)
            mr_html_path(out, k->file.p, k->file.n);
        if (k->line)
            fprintf(out, ":%" PRIu64, k->line);
        if (mr_time_iso(k->time, iso) == 0)
            fprintf(out, "%s<span class=\"time\">%s</span>",
                    k->file.p ? "<br>" : "", iso);
        fputs_unlocked("</td>", out);
        if (has[3]) {
            td_open(out, lang, MR_L_CLIENT, "client");
            put_span(out, k->client);
            fputs_unlocked("</td>", out);
        }
        if (has[4]) {
            td_open(out, lang, MR_L_REQUEST, NULL);
            if (k->request.p) { /* an empty cell stays empty: no card line */
                fputs_unlocked("<code>", out);
                put_span(out, k->request);
                fputs_unlocked("</code>", out);
            }
            if (k->status.p) {
                fprintf(out, " <span class=\"status\" title=\"%s\">",
                        mr_label(lang, MR_L_STATUS));
                put_span(out, k->status);
                fputs_unlocked("</span>", out);
            }
            fputs_unlocked("</td>", out);
        }
        td_open(out, lang, MR_L_EVIDENCE_DETAILS, NULL);
        if (k->evidence.p) {
            fputs_unlocked("<code>", out);
            put_span(out, k->evidence);
            fputs_unlocked("</code>", out);
        }
        if (k->details.p) {
            fputs_unlocked("<div class=\"details\">", out);
            put_span(out, k->details);
            fputs_unlocked("</div>", out);
        }
        fputs_unlocked("</td></tr>\n", out);
    }
    fputs_unlocked("</tbody></table>\n", out);
    if (st->not_listed)
        fprintf(out, "<p class=\"note\">%" PRIu64 " %s</p>\n", st->not_listed,
                mr_label(lang, MR_L_NOT_LISTED));
    fputs_unlocked("</section>\n", out);
}

static void page_todo(mamori_writer *w)
{
    html_state *st = w->state;
    mr_html_todo(w->out, &st->checks, w->opts.lang);
}

/* The header: title, then host, inputs, time and version. */
static void page_header(mamori_writer *w, const char *title)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    char iso[MR_TIME_ISO_MAX];

    mr_time_iso((int64_t)time(NULL), iso);
    fputs_unlocked("<header>\n<h1>", out);
    mr_html_cstr(out, title);
    fputs_unlocked("</h1>\n<dl class=\"meta\">\n", out);
    if (w->opts.host && w->opts.host[0]) {
        fprintf(out, "<div><dt>%s</dt><dd class=\"host\">",
                mr_label(lang, MR_L_HOST));
        mr_html_cstr(out, w->opts.host);
        fputs_unlocked("</dd></div>\n", out);
    }
    fprintf(out, "<div><dt>%s</dt><dd class=\"inputs\">",
            mr_label(lang, MR_L_INPUTS));
    if (w->opts.ninputs == 0 || !w->opts.inputs)
        fputs_unlocked(mr_label(lang, MR_L_INPUTS_DEFAULT), out);
    size_t shown = MR_MIN(w->opts.ninputs, (size_t)MR_HTML_INPUTS_SHOWN);
    for (size_t i = 0; w->opts.inputs && i < shown; i++) {
        if (i)
            fputs_unlocked(" ", out);
        fputs_unlocked("<code>", out);
        mr_html_path(out, w->opts.inputs[i], strlen(w->opts.inputs[i]));
        fputs_unlocked("</code>", out);
    }
    if (w->opts.inputs && w->opts.ninputs > shown)
        fprintf(out, " \xE2\x80\xA6 %zu %s", w->opts.ninputs - shown,
                mr_label(lang, MR_L_AND_MORE));
    fprintf(out, "</dd></div>\n<div><dt>%s</dt><dd class=\"when\">%s</dd></div>\n"
            "<div><dt>%s</dt><dd>mamori %s</dd></div>\n</dl>\n</header>\n",
            mr_label(lang, MR_L_GENERATED), iso, mr_label(lang, MR_L_VERSION),
            mamori_version());
}

static mamori_err html_finish(mamori_writer *w)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    const char *title = w->opts.title ? w->opts.title
                                      : mr_label(lang, MR_L_DEFAULT_TITLE);

    page_head(w, title);
    page_header(w, title);
    fputs_unlocked("<main>\n", out);
    page_cards(w);
    /* The grades and what changed since the last run come first; each
     * capability's statistics last. */
    for (size_t i = 0; i < w->nsummaries; i++)
        if (mr_summary_headline(w->summaries[i]))
            mr_html_summary(out, w->summaries[i], lang);
    page_todo(w);
    page_findings(w);
    for (size_t i = 0; i < w->nsummaries; i++)
        if (!mr_summary_headline(w->summaries[i]))
            mr_html_summary(out, w->summaries[i], lang);
    fputs_unlocked("</main>\n<footer>mamori ", out);
    fputs_unlocked(mamori_version(), out);
    fputs_unlocked("</footer>\n</body>\n</html>\n", out);
    return MAMORI_OK;
}

static mamori_err html_start(mamori_writer *w)
{
    html_state *st = calloc(1, sizeof(*st));
    if (!st)
        return MAMORI_E_NOMEM;
    mr_arena_init(&st->arena, MR_HTML_ARENA_MAX);
    mr_seen_init(&st->checks);
    w->state = st;
    return MAMORI_OK;
}

static void html_free(void *state)
{
    html_state *st = state;
    if (!st)
        return;
    mr_arena_free(&st->arena);
    mr_seen_free(&st->checks);
    free(st->kept);
    free(st);
}

const mr_writer_ops mr_html_ops = {
    .start = html_start,
    .finding = html_finding,
    .summary = NULL,
    .finish = html_finish,
    .free_state = html_free,
};
