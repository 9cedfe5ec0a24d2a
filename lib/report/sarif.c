/*
 * sarif.c — the SARIF 2.1.0 writer, for code-scanning dashboards. It
 * streams: the log header at start, each result as its finding arrives,
 * and at finish the closing of "results", tool.driver with a rule for
 * every check seen (in the order first seen, so ruleIndex is known when
 * the result is written), and the summaries as run.properties.
 *
 * Levels: critical/high -> error, medium -> warning, low/info -> note.
 * Locations: a relative path becomes a relative URI, an absolute one a
 * file:/// URI, percent-encoded (mr_uri_path).
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

#define MR_SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

typedef struct sarif_state {
    mr_seen rules;          /* tool.driver.rules, in order first seen */
    uint64_t nresults;
} sarif_state;

static const char *sarif_level(mamori_severity s)
{
    if (s >= MAMORI_SEV_HIGH)
        return "error";
    if (s == MAMORI_SEV_MEDIUM)
        return "warning";
    return "note";
}

static mamori_err sarif_start(mamori_writer *w)
{
    sarif_state *st = calloc(1, sizeof(*st));
    if (!st)
        return MAMORI_E_NOMEM;
    mr_seen_init(&st->rules);
    w->state = st;
    fputs_unlocked("{\"$schema\":\"" MR_SARIF_SCHEMA "\",\"version\":\"2.1.0\","
          "\"runs\":[{\"columnKind\":\"unicodeCodePoints\",\"results\":[\n",
          w->out);
    return MAMORI_OK;
}

static void sarif_message(FILE *out, const mamori_finding *f,
                          const char *title)
{
    /* One JSON string made of the title, ": " and the evidence. */
    size_t tl = strlen(title);
    size_t el = f->evidence ? f->evidence_len : 0;
    char *buf = malloc(tl + 2 + el + 1);

    if (!buf) {
        mr_json_cstr(out, title);
        return;
    }
    memcpy(buf, title, tl);
    size_t n = tl;
    if (el) {
        memcpy(buf + n, ": ", 2);
        memcpy(buf + n + 2, f->evidence, el);
        n += 2 + el;
    }
    mr_json_str(out, buf, n);
    free(buf);
}

static void sarif_finding(mamori_writer *w, const mamori_finding *f)
{
    sarif_state *st = w->state;
    FILE *out = w->out;
    const mamori_check *c = f->check;
    mamori_severity sev = mr_sev_clamp(f->severity);
    char iso[MR_TIME_ISO_MAX];

    if (st->nresults++)
        fputs_unlocked(",\n", out);
    fputs_unlocked("{\"ruleId\":", out);
    mr_json_cstr(out, c && c->id ? c->id : "mamori.unknown");
    long idx = mr_seen_add(&st->rules, c, NULL);
    if (idx >= 0)
        fprintf(out, ",\"ruleIndex\":%ld", idx);
    fprintf(out, ",\"level\":\"%s\",\"message\":{\"text\":", sarif_level(sev));
    sarif_message(out, f, c ? mr_check_text(c->title, w->opts.lang) : "");
    putc_unlocked('}', out);
    if (f->file && f->file[0]) {
        fputs_unlocked(",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":"
              "{\"uri\":\"", out);
        mr_uri_path(out, f->file);
        putc_unlocked('"', out);
        putc_unlocked('}', out);
        if (f->line)
            fprintf(out, ",\"region\":{\"startLine\":%" PRIu64 "}", f->line);
        fputs_unlocked("}}]", out);
    }
    fputs_unlocked(",\"properties\":{\"severity\":", out);
    mr_json_cstr(out, mamori_severity_name(sev));
    fputs_unlocked(",\"category\":", out);
    mr_json_cstr(out, f->category);
    fputs_unlocked(",\"verdict\":", out);
    mr_json_cstr(out, f->verdict);
    fputs_unlocked(",\"countermeasures\":", out);
    mr_json_countermeasures(out, c);
    fputs_unlocked(",\"time\":", out);
    mr_json_cstr(out, mr_time_iso(f->time, iso) == 0 ? iso : NULL);
    mr_json_fields(out, f);
    fputs_unlocked("}}", out);
}

static void sarif_text(FILE *out, const char *key, const char *text)
{
    fprintf(out, ",\"%s\":{\"text\":", key);
    mr_json_cstr(out, text);
    putc_unlocked('}', out);
}

static void sarif_rule(mamori_writer *w, const mamori_check *c)
{
    FILE *out = w->out;
    mamori_lang lang = w->opts.lang;
    const char *remedy = mr_check_text(c->remedy, lang);
    const char *report = mr_check_text(c->report, lang);

    fputs_unlocked("{\"id\":", out);
    mr_json_cstr(out, c->id);
    sarif_text(out, "shortDescription", mr_check_text(c->title, lang));
    sarif_text(out, "fullDescription", remedy);
    /* help: what to do, then whom to tell, as one text. */
    fputs_unlocked(",\"help\":{\"text\":", out);
    size_t rl = strlen(remedy), pl = strlen(report);
    char *help = malloc(rl + 2 + pl + 1);
    if (help) {
        memcpy(help, remedy, rl);
        memcpy(help + rl, "\n\n", 2);
        memcpy(help + rl + 2, report, pl);
        mr_json_str(out, help, rl + 2 + pl);
        free(help);
    } else {
        mr_json_cstr(out, remedy);
    }
    fprintf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"}",
            sarif_level(mr_sev_clamp(c->severity)));
    fputs_unlocked(",\"properties\":{\"countermeasures\":", out);
    mr_json_countermeasures(out, c);
    fputs_unlocked(",\"tags\":", out);
    mr_json_countermeasures(out, c);
    fputs_unlocked(",\"severity\":", out);
    mr_json_cstr(out, mamori_severity_name(mr_sev_clamp(c->severity)));
    fputs_unlocked(",\"guidance\":", out);
    mr_json_cstr(out, c->cite[0] ? mr_check_text(c->cite, lang) : c->source);
    fputs_unlocked(",\"whomToTell\":", out);
    mr_json_cstr(out, report);
    fputs_unlocked("}}", out);
}

static mamori_err sarif_finish(mamori_writer *w)
{
    sarif_state *st = w->state;
    FILE *out = w->out;

    fputs_unlocked("\n],\"tool\":{\"driver\":{\"name\":\"mamori\",\"version\":", out);
    mr_json_cstr(out, mamori_version());
    fputs_unlocked(",\"semanticVersion\":", out);
    mr_json_cstr(out, mamori_version());
    fputs_unlocked(",\"rules\":[", out);
    for (size_t i = 0; i < st->rules.n; i++) {
        fputs_unlocked(i ? ",\n" : "\n", out);
        sarif_rule(w, &st->rules.checks[i]);
    }
    fputs_unlocked("]}},\"properties\":{\"findings\":{", out);
    for (int s = MAMORI_SEV_COUNT - 1; s >= 0; s--)
        fprintf(out, "\"%s\":%" PRIu64 "%s",
                mamori_severity_name((mamori_severity)s), w->count[s],
                s ? "," : "");
    fprintf(out, "},\"shown\":%" PRIu64 ",\"minSeverity\":\"%s\",",
            w->shown, mamori_severity_name(w->opts.min_severity));
    fputs_unlocked("\"summaries\":[", out);
    for (size_t i = 0; i < w->nsummaries; i++) {
        fputs_unlocked(i ? ",\n{" : "\n{", out);
        mr_json_summary_body(out, w->summaries[i]);
        putc_unlocked('}', out);
    }
    fputs_unlocked("]}}]}\n", out);
    return MAMORI_OK;
}

static void sarif_free(void *state)
{
    sarif_state *st = state;
    if (st)
        mr_seen_free(&st->rules);
    free(st);
}

const mr_writer_ops mr_sarif_ops = {
    .start = sarif_start,
    .finding = sarif_finding,
    .summary = NULL,
    .finish = sarif_finish,
    .free_state = sarif_free,
};
