/*
 * read.c — a JSON Lines report (mamori ... --format json) read back into
 * the scorer, for `mamori score --from FILE`: each line one object; a
 * finding's check, severity, verdict, file, evidence and identity fields
 * give its problem (the same fingerprint as when it was reported, for
 * text that is valid UTF-8), a summary's capability marks its factors
 * measured. Reports come from elsewhere (another machine, a mail): lines
 * are bounded (MR_SCORE_LINE_MAX), values cut by the JSON reader, and a
 * line that is not a JSON object is counted and skipped.
 */
#include "common.h"

#include "io/json.h"
#include "io/source.h"
#include "mamori/history.h"
#include "score_int.h"

#define MR_SCORE_LINE_MAX (1024 * 1024)
#define MR_SCORE_VALUE_MAX 1024 /* as the JSON reader cuts them */

/* The depth-1 keys kept from a line; the identity fields are those of
 * the fingerprint (fingerprint.c): a value of any other name is ignored. */
static const char *const kept_keys[] = {
    "type", "check", "severity", "verdict", "category", "file", "evidence",
    "capability", "address", "client", "domain", "id", "name", "package",
    "path", "port", "proto", "service", "setting", "site", "unit", "url",
    "user", "vhost",
};
#define KEPT (sizeof(kept_keys) / sizeof(*kept_keys))
#define FIRST_IDENTITY 8

typedef struct line_state {
    char value[KEPT][MR_SCORE_VALUE_MAX + 1];
    size_t len[KEPT];
    int set[KEPT];
    int number[KEPT];
    int object;           /* the document is an object */
} line_state;

static int on_open(void *user, const mr_json_path *p, int is_array)
{
    line_state *ls = user;
    if (p->depth == 0 && !is_array)
        ls->object = 1;
    return 0;
}

static int on_close(void *user, const mr_json_path *p, int is_array)
{
    (void)user, (void)p, (void)is_array;
    return 0;
}

static int on_scalar(void *user, const mr_json_path *p, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    line_state *ls = user;
    (void)cut;
    if (p->depth != 1 || (kind != MR_JSON_STRING && kind != MR_JSON_NUMBER))
        return 0;
    for (size_t k = 0; k < KEPT; k++) {
        if (strcmp(p->keys[1], kept_keys[k]) != 0)
            continue;
        if (n > MR_SCORE_VALUE_MAX)
            n = MR_SCORE_VALUE_MAX;
        memcpy(ls->value[k], s, n);
        ls->value[k][n] = '\0';
        ls->len[k] = n;
        ls->set[k] = 1;
        ls->number[k] = kind == MR_JSON_NUMBER;
        break;
    }
    return 0;
}

static const char *get(const line_state *ls, size_t k)
{
    return ls->set[k] ? ls->value[k] : NULL;
}

static void add_line(mamori_score *s, const line_state *ls)
{
    const char *type = get(ls, 0);
    if (!type)
        return;
    if (strcmp(type, "summary") == 0) {
        if (get(ls, 7))
            mamori_score_capability(s, get(ls, 7));
        return;
    }
    if (strcmp(type, "finding") != 0 || !get(ls, 1) || !get(ls, 2))
        return;
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    if (!(f.check = mamori_check_find(get(ls, 1))))
        return; /* a check of another mamori version */
    int sev = mamori_severity_parse(get(ls, 2));
    f.severity = sev < 0 ? f.check->severity : (mamori_severity)sev;
    f.category = get(ls, 4) ? get(ls, 4) : "";
    f.file = get(ls, 5);
    f.evidence = get(ls, 6);
    f.evidence_len = ls->len[6];
    for (size_t k = FIRST_IDENTITY; k < KEPT; k++) {
        if (!ls->set[k])
            continue;
        if (ls->number[k])
            mamori_finding_int(&f, kept_keys[k], strtoll(ls->value[k], NULL, 10));
        else
            mamori_finding_str(&f, kept_keys[k], ls->value[k], ls->len[k]);
    }
    char fp[MAMORI_FINGERPRINT_LEN + 1];
    mamori_finding_fingerprint(&f, fp);
    const char *verdict = get(ls, 3);
    if (mr_score_add(s, f.check, f.severity, verdict && strcmp(verdict, "attempt") == 0, fp))
        s->dropped++;
}

mamori_err mamori_score_read_report(mamori_score *s, FILE *f, uint64_t *bad)
{
    char *line = malloc(MR_SCORE_LINE_MAX);
    line_state *ls = malloc(sizeof(*ls));
    uint64_t len, nbad = 0;
    int r;
    if (!line || !ls) {
        free(line);
        free(ls);
        return MAMORI_E_NOMEM;
    }
    mr_json_cb cb = {on_open, on_close, on_scalar, ls};
    while ((r = mamori_read_line(f, line, MR_SCORE_LINE_MAX, &len)) == 1) {
        if (len == 0)
            continue;
        mr_source *src = NULL;
        if (len >= MR_SCORE_LINE_MAX || mr_source_open_mem(line, (size_t)len, &src)) {
            nbad++;
            continue;
        }
        memset(ls->set, 0, sizeof(ls->set));
        ls->object = 0;
        mamori_err e = mr_json_read(src, &cb, NULL);
        mr_source_close(src);
        if (e || !ls->object)
            nbad++;
        else
            add_line(s, ls);
    }
    free(line);
    free(ls);
    if (bad)
        *bad = nbad;
    return r < 0 ? MAMORI_E_IO : MAMORI_OK;
}
