/*
 * parse_w3c.c — IIS W3C extended log lines. The layout is data: a
 * "#Fields: date time c-ip ..." line names the space-separated fields of
 * the lines after it, and may appear again mid-file (IIS writes a new
 * header when its configuration or the day changes), so the format
 * object is per-file state. Other directives (#Software, #Version, #Date,
 * #Remark) are skipped.
 *
 * IIS writes '-' for an empty field and '+' for a space in the user agent;
 * the target is stem + '?' + query, rebuilt in the format's scratch
 * buffer (parse_custom.c) since the line has a space between them.
 */
#include "common.h"

#include "weblog/parse_internal.h"

/* IIS's default field list, used until a #Fields: line says otherwise. */
#define MR_W3C_DEFAULT_FIELDS \
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username " \
    "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus " \
    "sc-win32-status time-taken"

static mr_field_id w3c_field(mr_span name)
{
    static const struct { const char *name; mr_field_id id; } names[] = {
        {"date", MR_F_DATE},           {"time", MR_F_TIMEOFDAY},
        {"c-ip", MR_F_CLIENT},         {"cs-username", MR_F_USER},
        {"cs-method", MR_F_METHOD},    {"cs-uri-stem", MR_F_PATH},
        {"cs-uri-query", MR_F_QUERY},  {"cs-uri", MR_F_TARGET},
        {"cs-version", MR_F_PROTOCOL}, {"sc-status", MR_F_STATUS},
        {"sc-bytes", MR_F_BYTES},      {"cs(User-Agent)", MR_F_USER_AGENT},
        {"cs(Referer)", MR_F_REFERER}, {"cs-host", MR_F_VHOST},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(names); i++)
        if (mr_span_ieq(name, names[i].name))
            return names[i].id;
    return MR_F_IGNORE;   /* s-ip, s-port, time-taken, cs-bytes... */
}

/* Replaces the layout with the names in "a b c" (fields past
 * MR_LOGFORMAT_FIELDS_MAX are dropped; their values are then ignored). */
static void set_fields(mr_logformat *f, const char *p, const char *end)
{
    f->nfields = 0;
    while (p < end && f->nfields < MR_LOGFORMAT_FIELDS_MAX) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p >= end)
            break;
        const char *s = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        mr_logformat_field *fl = &f->fields[f->nfields++];
        memset(fl, 0, sizeof(*fl));
        fl->id = w3c_field(mr_span_make(s, (size_t)(p - s)));
        fl->literal[0] = ' ';
        fl->lit_len = 1;
    }
}

void mr_w3c_default_fields(mr_logformat *f)
{
    const char *d = MR_W3C_DEFAULT_FIELDS;
    set_fields(f, d, d + strlen(d));
}

int mr_parse_w3c_line(mr_logformat *f, const char *line, size_t len,
                      mr_http_event *ev)
{
    const char *p = line, *end = line + len;
    if (len == 0)
        return MR_PARSE_SKIP;
    if (line[0] == '#') {
        if (len >= 8 && memcmp(line, "#Fields:", 8) == 0)
            set_fields(f, line + 8, end);
        return MR_PARSE_SKIP;
    }
    if (f->nfields == 0)
        return MR_PARSE_MALFORMED;
    mr_field_acc acc;
    memset(&acc, 0, sizeof(acc));
    acc.plus_in_ua = true;
    acc.time_cache = &f->time_cache;
    for (size_t i = 0; i < f->nfields; i++) {
        if (p >= end)
            return MR_PARSE_MALFORMED;   /* fewer values than #Fields */
        const char *sp = mr_find_byte(p, end, ' ');
        const char *stop = sp ? sp : end;
        mr_span v = mr_span_make(p, (size_t)(stop - p));
        p = sp ? sp + 1 : end;
        if (f->fields[i].id == MR_F_CLIENT && v.n == 1 && v.p[0] == '-')
            v = MR_SPAN_EMPTY;
        mr_field_assign(f->fields[i].id, v, ev, &acc);
    }
    mr_field_finish(f, &acc, ev);
    return MR_PARSE_OK;
}
