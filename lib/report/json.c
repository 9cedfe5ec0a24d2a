/*
 * json.c — the JSON Lines writer: one object per line, for programs (jq,
 * a SIEM). Each finding is written as it arrives:
 *
 *   {"type":"finding","check":..,"category":..,"severity":..,
 *    "countermeasures":[..],"title":..,"file":..,"line":..,"time":..,
 *    "verdict":..,"evidence":..,<fields by name>,"remedy":..}
 *
 * each summary as {"type":"summary","capability":..,"counters":{..},
 * "tables":{..},"series":{..}} when it arrives — the contract other
 * tools rely on ends there: findings, then summaries. check,
 * category, severity, file, line, time and verdict are always present
 * (null when unknown). Strings go through mr_json_str: whatever the input
 * bytes, every line is valid JSON; a byte that is not valid UTF-8 comes
 * out as \u00XX of its value.
 */
#include "common.h"

#include <inttypes.h>

#include "report/writer_impl.h"

/* Keys of the finding object that a field must not repeat. */
static const char *const fixed_keys[] = {
    "type", "check", "category", "severity", "countermeasures", "title",
    "file", "line", "time", "verdict", "evidence", "remedy", "ruleId",
};

static void json_key(FILE *out, const char *name, const char *suffix)
{
    int clash = 0;

    for (size_t i = 0; i < MR_ARRAY_LEN(fixed_keys) && !suffix; i++)
        if (strcmp(name, fixed_keys[i]) == 0)
            clash = 1;
    putc_unlocked(',', out);
    if (!clash && !suffix) {
        mr_json_cstr(out, name);
    } else {
        /* Build the key in pieces so that it stays one JSON string. */
        char key[128];
        snprintf(key, sizeof(key), "%s%s%s", clash ? "field_" : "", name,
                 suffix ? suffix : "");
        mr_json_cstr(out, key);
    }
    putc_unlocked(':', out);
}

void mr_json_fields(FILE *out, const mamori_finding *f)
{
    size_t n = MR_MIN(f->nfields, (size_t)MAMORI_FINDING_FIELDS_MAX);

    for (size_t i = 0; i < n; i++) {
        const mamori_field *fl = &f->fields[i];
        if (!fl->name)
            continue;
        json_key(out, fl->name, NULL);
        switch (fl->kind) {
        case MAMORI_FIELD_STR:
            mr_json_str(out, fl->str ? fl->str : "", fl->str ? fl->len : 0);
            break;
        case MAMORI_FIELD_INT:
            fprintf(out, "%" PRId64, fl->num);
            break;
        case MAMORI_FIELD_LIST:
            putc_unlocked('[', out);
            for (size_t j = 0; fl->strs && j < fl->nstrs; j++) {
                if (j)
                    putc_unlocked(',', out);
                mr_json_cstr(out, fl->strs[j] ? fl->strs[j] : "");
            }
            putc_unlocked(']', out);
            if (fl->more > 0) {
                json_key(out, fl->name, "_more");
                fprintf(out, "%" PRIu64, fl->more);
            }
            break;
        default:
            fputs_unlocked("null", out);
        }
    }
}

void mr_json_countermeasures(FILE *out, const mamori_check *c)
{
    putc_unlocked('[', out);
    for (size_t i = 0; c && i < MAMORI_CHECK_CM_MAX && c->countermeasures[i];
         i++) {
        if (i)
            putc_unlocked(',', out);
        mr_json_cstr(out, c->countermeasures[i]);
    }
    putc_unlocked(']', out);
}

static void json_cell(FILE *out, const mamori_cell *c)
{
    if (c->str)
        mr_json_cstr(out, c->str);
    else if (c->num == MAMORI_CELL_NULL)
        fputs_unlocked("null", out);
    else if (c->num == MAMORI_CELL_FALSE || c->num == MAMORI_CELL_TRUE)
        fputs_unlocked(c->num == MAMORI_CELL_TRUE ? "true" : "false", out);
    else
        fprintf(out, "%" PRId64, c->num);
}

static void json_tables(FILE *out, const mamori_summary *s)
{
    size_t nt = mamori_summary_ntables(s);

    fputs_unlocked(",\"tables\":{", out);
    for (size_t i = 0; i < nt; i++) {
        const mamori_table *t = mamori_summary_table_at(s, i);
        if (i)
            putc_unlocked(',', out);
        mr_json_cstr(out, t->id ? t->id : "");
        fputs_unlocked(":[", out);
        for (size_t r = 0; r < t->nrows; r++) {
            fputs_unlocked(r ? ",{" : "{", out);
            for (size_t c = 0; c < t->ncols; c++) {
                if (c)
                    putc_unlocked(',', out);
                mr_json_cstr(out, t->cols[c] ? t->cols[c] : "");
                putc_unlocked(':', out);
                json_cell(out, &t->cells[r * t->ncols + c]);
            }
            putc_unlocked('}', out);
        }
        putc_unlocked(']', out);
    }
    putc_unlocked('}', out);

    int any = 0;
    for (size_t i = 0; i < nt; i++) {
        const mamori_table *t = mamori_summary_table_at(s, i);
        if (t->more_rows == 0)
            continue;
        fputs_unlocked(any ? "," : ",\"more_rows\":{", out);
        any = 1;
        mr_json_cstr(out, t->id ? t->id : "");
        fprintf(out, ":%" PRIu64, t->more_rows);
    }
    if (any)
        putc_unlocked('}', out);
}

static void json_series(FILE *out, const mamori_summary *s)
{
    size_t ns = mamori_summary_nseries(s);

    fputs_unlocked(",\"series\":{", out);
    for (size_t i = 0; i < ns; i++) {
        const mamori_series *se = mamori_summary_series_at(s, i);
        if (i)
            putc_unlocked(',', out);
        mr_json_cstr(out, se->id ? se->id : "");
        fprintf(out, ":{\"start\":%" PRId64 ",\"step\":%" PRId64 ",\"names\":[",
                se->start, se->step);
        for (size_t n = 0; n < se->nnames; n++) {
            if (n)
                putc_unlocked(',', out);
            mr_json_cstr(out, se->names[n] ? se->names[n] : "");
        }
        fputs_unlocked("],\"values\":[", out);
        for (size_t n = 0; n < se->nnames; n++) {
            fputs_unlocked(n ? ",[" : "[", out);
            for (size_t b = 0; b < se->nbuckets; b++)
                fprintf(out, b ? ",%" PRIu64 : "%" PRIu64,
                        se->values[n * se->nbuckets + b]);
            putc_unlocked(']', out);
        }
        fputs_unlocked("]}", out);
    }
    putc_unlocked('}', out);
}

void mr_json_summary_body(FILE *out, const mamori_summary *s)
{
    fputs_unlocked("\"capability\":", out);
    mr_json_cstr(out, mamori_summary_capability(s));
    fputs_unlocked(",\"counters\":{", out);
    for (size_t i = 0; i < mamori_summary_ncounters(s); i++) {
        const mamori_counter *c = mamori_summary_counter_at(s, i);
        if (i)
            putc_unlocked(',', out);
        mr_json_cstr(out, c->id ? c->id : "");
        fprintf(out, ":%" PRId64, c->value);
    }
    putc_unlocked('}', out);
    json_tables(out, s);
    json_series(out, s);
}

static void json_finding(mamori_writer *w, const mamori_finding *f)
{
    FILE *out = w->out;
    const mamori_check *c = f->check;
    char iso[MR_TIME_ISO_MAX];

    fputs_unlocked("{\"type\":\"finding\",\"check\":", out);
    mr_json_cstr(out, c ? c->id : NULL);
    fputs_unlocked(",\"category\":", out);
    mr_json_cstr(out, f->category);
    fputs_unlocked(",\"severity\":", out);
    mr_json_cstr(out, mamori_severity_name(mr_sev_clamp(f->severity)));
    fputs_unlocked(",\"countermeasures\":", out);
    mr_json_countermeasures(out, c);
    fputs_unlocked(",\"title\":", out);
    mr_json_cstr(out, c ? mr_check_text(c->title, w->opts.lang) : NULL);
    fputs_unlocked(",\"file\":", out);
    mr_json_path(out, f->file);
    if (f->line)
        fprintf(out, ",\"line\":%" PRIu64, f->line);
    else
        fputs_unlocked(",\"line\":null", out);
    fputs_unlocked(",\"time\":", out);
    mr_json_cstr(out, mr_time_iso(f->time, iso) == 0 ? iso : NULL);
    fputs_unlocked(",\"verdict\":", out);
    mr_json_cstr(out, f->verdict);
    fputs_unlocked(",\"evidence\":", out);
    if (f->evidence)
        mr_json_str(out, f->evidence, f->evidence_len);
    else
        fputs_unlocked("null", out);
    mr_json_fields(out, f);
    fputs_unlocked(",\"remedy\":", out);
    mr_json_cstr(out, c ? mr_check_text(c->remedy, w->opts.lang) : NULL);
    fputs_unlocked("}\n", out);
}

static void json_summary(mamori_writer *w, const mamori_summary *s)
{
    fputs_unlocked("{\"type\":\"summary\",", w->out);
    mr_json_summary_body(w->out, s);
    fputs_unlocked("}\n", w->out);
}

const mr_writer_ops mr_json_ops = {
    .start = NULL,
    .finding = json_finding,
    .summary = json_summary,
    .finish = NULL,
    .free_state = NULL,
};
