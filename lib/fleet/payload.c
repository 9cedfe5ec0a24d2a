/*
 * payload.c — one run of the history as the text the fleet sends and the
 * spool keeps (format in fleet_int.h), and that text parsed back.
 *
 * The same bytes serve both ways so that a spooled run is sent exactly as
 * it would have been: building escapes every field for COPY's text
 * format; parsing checks every line's shape (field counts, numbers,
 * escapes, the UUID) before anything is sent, because a spool file may
 * have been cut by a full disk or edited by hand. A finding's JSON is the
 * report layer's (mr_json_str), with \u0000 turned into U+FFFD since
 * jsonb refuses NUL.
 */
#include "common.h"

#include "fleet_int.h"
#include "report/writer_impl.h"

void mr_payload_free(mr_payload *p)
{
    free(p->text);
    memset(p, 0, sizeof(*p));
}

static int reserve(mr_payload *p, size_t more)
{
    if (more > MR_PAYLOAD_MAX - p->len - 1)
        return -1;
    if (p->len + more + 1 <= p->cap)
        return 0;
    size_t cap = p->cap ? p->cap : 4096;
    while (cap < p->len + more + 1)
        cap = cap > MR_PAYLOAD_MAX / 2 ? MR_PAYLOAD_MAX : cap * 2;
    char *t = realloc(p->text, cap);
    if (!t)
        return -1;
    p->text = t;
    p->cap = cap;
    return 0;
}

int mr_payload_raw(mr_payload *p, const char *s, size_t n)
{
    if (reserve(p, n))
        return -1;
    memcpy(p->text + p->len, s, n);
    p->len += n;
    p->text[p->len] = '\0';
    return 0;
}

int mr_payload_esc(mr_payload *p, const char *s, size_t n)
{
    if (!s)
        s = "";
    if (reserve(p, 2 * n))
        return -1;
    char *o = p->text + p->len;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        const char *e = ch == '\\' ? "\\\\" : ch == '\t' ? "\\t"
                      : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : NULL;
        if (e) {
            *o++ = e[0];
            *o++ = e[1];
        } else {
            /* NUL in a text column is refused by the server. */
            *o++ = ch ? ch : '?';
        }
    }
    p->len = (size_t)(o - p->text);
    p->text[p->len] = '\0';
    return 0;
}

static int put_num(mr_payload *p, int64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof(b), "\t%lld", (long long)v);
    return mr_payload_raw(p, b, (size_t)n);
}

static int put_str(mr_payload *p, const char *s)
{
    return mr_payload_raw(p, "\t", 1) || mr_payload_esc(p, s, s ? strlen(s) : 0);
}

/* \u0000 (not itself escaped) becomes \ufffd, in place. */
static void json_no_nul(char *s, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && i + 5 < n && memcmp(s + i + 2, "0000", 4) == 0)
            memcpy(s + i + 2, "fffd", 4);
        i++;
    }
}

typedef struct build_state {
    mr_payload *p;
    uint64_t seq;
    char *json;
    size_t jsonlen;
    FILE *mem;
    int failed;
} build_state;

static int finding_json(build_state *b, const mamori_finding *f)
{
    rewind(b->mem);
    FILE *o = b->mem;
    fputs("{\"check\":", o);
    mr_json_cstr(o, f->check->id);
    fputs(",\"category\":", o);
    mr_json_cstr(o, f->category);
    fprintf(o, ",\"severity\":\"%s\",\"verdict\":",
            mamori_severity_name(f->severity));
    mr_json_cstr(o, f->verdict);
    fputs(",\"file\":", o);
    mr_json_cstr(o, f->file);
    fprintf(o, ",\"line\":%llu,\"time\":", (unsigned long long)f->line);
    if (f->time == INT64_MIN)
        fputs("null", o);
    else
        fprintf(o, "%lld", (long long)f->time);
    fputs(",\"evidence\":", o);
    if (f->evidence)
        mr_json_str(o, f->evidence, f->evidence_len);
    else
        fputs("null", o);
    mr_json_fields(o, f);
    fputc('}', o);
    long end = ftell(o);
    if (fflush(o) || end < 0)
        return -1;
    json_no_nul(b->json, (size_t)end);
    return mr_payload_esc(b->p, b->json, (size_t)end);
}

static int on_finding(void *user, const mamori_finding *f)
{
    build_state *b = user;
    mr_payload *p = b->p;
    const mamori_field *fp = mamori_finding_get(f, "fingerprint");
    char cms[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < MAMORI_CHECK_CM_MAX && f->check->countermeasures[i];
         i++) {
        int n = snprintf(cms + used, sizeof(cms) - used, "%s%s", i ? " " : "",
                         f->check->countermeasures[i]);
        if (n < 0 || (size_t)n >= sizeof(cms) - used)
            break;
        used += (size_t)n;
    }
    char fps[MAMORI_FINGERPRINT_LEN + 1];
    if (fp && fp->kind == MAMORI_FIELD_STR && fp->str && fp->len < sizeof(fps)) {
        memcpy(fps, fp->str, fp->len);
        fps[fp->len] = '\0';
    } else {
        mamori_finding_fingerprint(f, fps);
    }
    if (mr_payload_raw(p, "F", 1) || put_num(p, (int64_t)++b->seq) ||
        put_str(p, f->check->id) || put_num(p, (int64_t)f->severity) ||
        put_str(p, f->category) || put_str(p, cms) || put_str(p, fps) ||
        mr_payload_raw(p, "\t", 1) || finding_json(b, f) ||
        mr_payload_raw(p, "\n", 1)) {
        b->failed = 1;
        return 1;
    }
    p->findings++;
    return 0;
}

static int on_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

typedef struct grade_state {
    mr_payload *p;
    int failed;
    char overall;
    int overall_score;
} grade_state;

static int on_grade(void *user, const char *factor, int score, char grade)
{
    grade_state *g = user;
    char gs[2] = {grade, 0};
    if (strcmp(factor, "overall") == 0) {
        g->overall = grade;
        g->overall_score = score;
    }
    if (mr_payload_raw(g->p, "G", 1) || put_str(g->p, factor) ||
        put_num(g->p, score) || put_str(g->p, score < 0 ? "" : gs) ||
        mr_payload_raw(g->p, "\n", 1))
        g->failed = 1;
    return g->failed;
}

mamori_err mr_payload_build(mamori_history *h, const mamori_history_run *run,
                            const char *host_id, const mr_host_facts *hf,
                            mr_payload *out)
{
    memset(out, 0, sizeof(*out));
    mr_payload grades = {0};
    snprintf(out->uuid, sizeof(out->uuid), "%s", run->uuid);
    grade_state g = {&grades, 0, 0, -1};
    mamori_err e = mamori_history_grades(h, run->id, on_grade, &g);
    if (e || g.failed)
        goto fail;
    char gs[2] = {g.overall, 0};
    mr_payload *p = out;
    if (mr_payload_raw(p, MR_PAYLOAD_MAGIC, strlen(MR_PAYLOAD_MAGIC)) ||
        mr_payload_raw(p, "R", 1) || put_str(p, run->uuid) ||
        put_str(p, host_id) || put_num(p, run->started) ||
        put_num(p, run->finished) || put_num(p, run->exit_status) ||
        put_num(p, (int64_t)run->findings) || put_num(p, (int64_t)run->dropped))
        goto nomem;
    for (int s = 0; s < 5; s++)
        if (put_num(p, (int64_t)run->by_severity[s]))
            goto nomem;
    if (put_str(p, gs) || put_num(p, g.overall ? g.overall_score : -1) ||
        put_str(p, hf->hostname) || put_str(p, hf->os) ||
        put_str(p, hf->kernel) || put_str(p, run->command) ||
        put_str(p, run->scope) || put_str(p, run->version) ||
        put_str(p, run->root) || mr_payload_raw(p, "\n", 1) ||
        (grades.len && mr_payload_raw(p, grades.text, grades.len)))
        goto nomem;
    build_state b = {p, 0, NULL, 0, NULL, 0};
    b.mem = open_memstream(&b.json, &b.jsonlen);
    if (!b.mem)
        goto nomem;
    mamori_sink sink = {on_finding, on_summary, &b};
    e = mamori_history_findings(h, run->id, &sink, NULL);
    fclose(b.mem);
    free(b.json);
    if (b.failed)
        goto nomem;
    if (e)
        goto fail;
    mr_payload_free(&grades);
    return MAMORI_OK;
nomem:
    e = MAMORI_E_TOO_LARGE;
fail:
    mr_payload_free(&grades);
    mr_payload_free(out);
    return e ? e : MAMORI_E_INTERNAL;
}

/* ---- parsing ------------------------------------------------------ */

void mr_run_rec_free(mr_run_rec *rec)
{
    free(rec->store);
    memset(rec, 0, sizeof(*rec));
}

/* Splits line [s, e) at tabs into at most max fields; returns the count,
 * or -1 when there are more or an escape is malformed. */
static int split(const char *s, const char *e, const char **fs,
                 const char **fe, int max)
{
    int n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (p == e || *p == '\t') {
            if (n == max)
                return -1;
            fs[n] = start;
            fe[n++] = p;
            if (p == e)
                return n;
            start = p + 1;
            continue;
        }
        unsigned char ch = (unsigned char)*p;
        if (ch == '\\') {
            if (p + 1 == e || !strchr("\\tnr", p[1]))
                return -1;
            p++;
        } else if (ch < 0x20 || ch == 0x7f) {
            return -1;
        }
    }
}

/* Unescapes [s, e) into *o (advanced, NUL added). */
static char *unescape(const char *s, const char *e, char **o)
{
    char *start = *o, *w = *o;
    for (const char *p = s; p < e; p++) {
        if (*p == '\\') {
            p++;
            *w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : '\\';
        } else {
            *w++ = *p;
        }
    }
    *w++ = '\0';
    *o = w;
    return start;
}

static int is_int(const char *s, const char *e, int neg_ok)
{
    if (s < e && *s == '-' && neg_ok)
        s++;
    if (s == e || e - s > 19)
        return 0;
    for (; s < e; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

static int is_uuid(const char *s, const char *e)
{
    if (e - s != 36)
        return 0;
    for (int i = 0; i < 36; i++) {
        char ch = s[i];
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? ch != '-'
                 : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
                     (ch >= 'A' && ch <= 'F')))
            return 0;
    }
    return 1;
}

/* Which R fields are numbers (index into the R line). */
static int r_numeric(int i)
{
    return (i >= 3 && i <= 12) || i == 14;
}

mamori_err mr_payload_parse(const char *text, size_t len, mr_run_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    size_t ml = strlen(MR_PAYLOAD_MAGIC);
    if (len < ml || memcmp(text, MR_PAYLOAD_MAGIC, ml) != 0 ||
        len > MR_PAYLOAD_MAX)
        return MAMORI_E_FORMAT;
    if (!(rec->store = malloc(len + 1)))
        return MAMORI_E_NOMEM;
    char *o = rec->store;
    const char *p = text + ml, *end = text + len;
    int seen_r = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            goto bad;   /* cut short: never sent half */
        const char *fs[MR_RUN_FIELDS], *fe[MR_RUN_FIELDS];
        int n = split(p, nl, fs, fe, MR_RUN_FIELDS);
        if (n < 1 || fe[0] - fs[0] != 1)
            goto bad;
        char kind = *fs[0];
        if (kind == 'R' && !seen_r) {
            if (n != MR_RUN_FIELDS || !is_uuid(fs[1], fe[1]) ||
                (size_t)(nl - p) > MR_PAYLOAD_FIELD_MAX * 4)
                goto bad;
            for (int i = 0; i < n; i++) {
                if (r_numeric(i) && !is_int(fs[i], fe[i], 1))
                    goto bad;
                rec->f[i] = unescape(fs[i], fe[i], &o);
            }
            if (!mamori_fleet_host_id_ok(rec->f[2]))
                goto bad;
            seen_r = 1;
        } else if (kind == 'G' && seen_r && !rec->findings) {
            if (n != 4 || rec->ngrades == MR_GRADES_MAX ||
                !is_int(fs[2], fe[2], 1) || fe[3] - fs[3] > 1 ||
                fe[1] - fs[1] > 64)
                goto bad;
            for (int i = 0; i < 3; i++)
                rec->grade[rec->ngrades][i] = unescape(fs[i + 1], fe[i + 1], &o);
            rec->ngrades++;
        } else if (kind == 'F' && seen_r) {
            if (n != MR_FINDING_FIELDS || !is_int(fs[1], fe[1], 0) ||
                fe[1] - fs[1] > 9 || fe[3] - fs[3] != 1 || *fs[3] < '0' ||
                *fs[3] > '4' || fe[7] == fs[7] || *fs[7] != '{')
                goto bad;
            if (!rec->findings)
                rec->findings = p;
            else if (rec->findings + rec->findings_len != p)
                goto bad;   /* F lines are together, last */
            rec->findings_len = (size_t)(nl + 1 - rec->findings);
            rec->nfindings++;
        } else {
            goto bad;
        }
        p = nl + 1;
    }
    if (!seen_r)
        goto bad;
    return MAMORI_OK;
bad:
    mr_run_rec_free(rec);
    return MAMORI_E_FORMAT;
}
