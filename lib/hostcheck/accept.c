/*
 * accept.c — the exceptions file and the baseline of `mamori host`
 * (accept.h): both parsed a bounded line at a time with a cursor, held
 * in arrays of named maximum, the baseline sorted once so that each
 * finding is looked up by bisection.
 */
#include "common.h"

#include <fnmatch.h>

#include "hostcheck/accept.h"
#include "hostcheck/hostcheck.h"

static const char baseline_header[] = "# mamori host baseline 1";

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* "YYYY-MM-DD" with digits where digits go. */
static int is_date(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
            return 0;
    return 1;
}

/* One line of the exceptions file; 0 kept or skipped, -1 no memory. */
static int exception_line(mr_hc_accept *a, const mamori_ctx *ctx,
                          const char *file, uint64_t lineno, char *line,
                          const char *today)
{
    char *hash = strchr(line, '#');
    char *reason = NULL;
    if (hash) {
        *hash = '\0';
        reason = hash + 1;
        while (*reason == ' ' || *reason == '\t')
            reason++;
        size_t rn = strlen(reason);
        while (rn > 0 && (reason[rn - 1] == ' ' || reason[rn - 1] == '\t' ||
                          reason[rn - 1] == '\r'))
            reason[--rn] = '\0';
    }
    char *p = line;
    const char *w[3];
    size_t wn[3], nw = 0;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == '\r')
            p++;
        if (!*p)
            break;
        size_t k = strcspn(p, " \t\r");
        if (nw == 3) {
            mamori_diagf(ctx, MAMORI_DIAG_WARN, file, lineno,
                         "exception: more than ID, PATH and until=; "
                         "line ignored");
            return 0;
        }
        w[nw] = p;
        wn[nw++] = k;
        p += k;
    }
    if (nw == 0)
        return 0;                     /* blank, or only a comment */
    if (!reason || !*reason) {
        mamori_diagf(ctx, MAMORI_DIAG_WARN, file, lineno,
                     "exception without a reason (\"# why\"); line ignored");
        return 0;
    }
    if (a->nexc >= MR_HC_EXCEPTIONS_MAX) {
        if (a->nexc++ == MR_HC_EXCEPTIONS_MAX)
            mamori_diagf(ctx, MAMORI_DIAG_WARN, file, lineno,
                         "more than %d exceptions; the rest ignored",
                         MR_HC_EXCEPTIONS_MAX);
        return 0;
    }
    mr_hc_exception e;
    memset(&e, 0, sizeof(e));
    e.line = lineno;
    for (size_t i = 1; i < nw; i++) {
        if (wn[i] > 6 && !strncmp(w[i], "until=", 6)) {
            if (!is_date(w[i] + 6, wn[i] - 6)) {
                mamori_diagf(ctx, MAMORI_DIAG_WARN, file, lineno,
                             "exception: until= wants YYYY-MM-DD; line "
                             "ignored");
                return 0;
            }
            memcpy(e.until, w[i] + 6, 10);
        } else if (w[i][0] == '/' && !e.path) {
            if (!(e.path = dup_n(w[i], wn[i])))
                return -1;
        } else {
            mamori_diagf(ctx, MAMORI_DIAG_WARN, file, lineno,
                         "exception: \"%.*s\" is neither a path nor "
                         "until=; line ignored", (int)MR_MIN(wn[i], 64),
                         w[i]);
            free(e.path);
            return 0;
        }
    }
    e.expired = e.until[0] && strcmp(e.until, today) < 0;
    e.id = dup_n(w[0], wn[0]);
    e.reason = dup_n(reason, strlen(reason));
    if (!e.id || !e.reason) {
        free(e.id);
        free(e.reason);
        free(e.path);
        return -1;
    }
    a->exc[a->nexc++] = e;
    return 0;
}

mamori_err mr_hc_accept_exceptions(mr_hc_accept *a, const mamori_ctx *ctx,
                                   const char *path, const char *today)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return MAMORI_E_IO;
    mamori_err e = MAMORI_OK;
    char line[MR_HC_EXC_LINE_MAX];
    uint64_t len;
    uint64_t lineno = 0;
    int r;
    free(a->exc_file);
    a->exc_file = dup_n(path, strlen(path));
    if (!a->exc && !(a->exc = calloc(MR_HC_EXCEPTIONS_MAX, sizeof(*a->exc))))
        e = MAMORI_E_NOMEM;
    while (!e && (r = mamori_read_line(f, line, sizeof(line), &len)) > 0) {
        lineno++;
        if (len >= sizeof(line) || memchr(line, '\0', len)) {
            mamori_diagf(ctx, MAMORI_DIAG_WARN, path, lineno,
                         "exception line too long or holding a NUL byte; "
                         "ignored");
            continue;
        }
        if (exception_line(a, ctx, path, lineno, line, today))
            e = MAMORI_E_NOMEM;
    }
    if (!e && ferror(f))
        e = MAMORI_E_IO;
    if (a->nexc > MR_HC_EXCEPTIONS_MAX)
        a->nexc = MR_HC_EXCEPTIONS_MAX;
    fclose(f);
    return e;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

mamori_err mr_hc_accept_baseline(mr_hc_accept *a, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return MAMORI_E_IO;
    mamori_err e = MAMORI_OK;
    char line[MR_HC_KEY_BYTES];
    uint64_t len;
    int r, first = 1;
    if (!(a->base = calloc(MR_HC_BASELINE_MAX, sizeof(*a->base))) ||
        !(a->base_files = calloc(MR_HC_HASHED_MAX, sizeof(*a->base_files))))
        e = MAMORI_E_NOMEM;
    while (!e && (r = mamori_read_line(f, line, sizeof(line), &len)) > 0) {
        if (first) {
            first = 0;
            if (strcmp(line, baseline_header) != 0)
                e = MAMORI_E_FORMAT;
            continue;
        }
        if (len == 0 || len >= sizeof(line))
            continue;
        if (!strncmp(line, "@file\t", 6)) {
            /* @file TAB path TAB hex */
            char *fp = line + 6, *tab = strchr(fp, '\t');
            if (!tab || strlen(tab + 1) != MR_HC_SHA256_HEX - 1 ||
                a->nbase_files >= MR_HC_HASHED_MAX)
                continue;
            mr_hc_hashed *h = &a->base_files[a->nbase_files];
            if (!(h->path = dup_n(fp, (size_t)(tab - fp)))) {
                e = MAMORI_E_NOMEM;
                break;
            }
            memcpy(h->hex, tab + 1, MR_HC_SHA256_HEX);
            a->nbase_files++;
            continue;
        }
        if (a->nbase >= MR_HC_BASELINE_MAX)
            continue;
        if (!(a->base[a->nbase] = dup_n(line, (size_t)len)))
            e = MAMORI_E_NOMEM;
        else
            a->nbase++;
    }
    if (!e && first)
        e = MAMORI_E_FORMAT;      /* empty: not a baseline */
    if (!e && ferror(f))
        e = MAMORI_E_IO;
    fclose(f);
    if (!e && !(a->base_seen = calloc(a->nbase + 1, 1)))
        e = MAMORI_E_NOMEM;
    if (!e) {
        qsort(a->base, a->nbase, sizeof(*a->base), cmp_str);
        a->have_base = 1;
    }
    return e;
}

/* s into dst (cap bytes), control bytes as '?': the separators of a
 * baseline line are ours alone. */
static void clean(char *dst, size_t cap, const char *s)
{
    size_t n = 0;
    for (; s && *s && n + 1 < cap; s++)
        dst[n++] = ((unsigned char)*s < 0x20 || *s == 0x7f) ? '?' : *s;
    dst[n] = '\0';
}

void mr_hc_accept_key(const char *rule, const char *path, const char *value,
                      char *out, size_t cap)
{
    char r[MR_HC_KEY_MAX], p[MR_HC_FILE_MAX], v[MR_HC_VALUE_MAX];
    clean(r, sizeof(r), rule);
    clean(p, sizeof(p), path);
    clean(v, sizeof(v), value);
    snprintf(out, cap, "%s\t%.900s\t%s", r, p, v);
}

const mr_hc_exception *mr_hc_accept_find(const mr_hc_accept *a,
                                         const char *rule, const char *check,
                                         const char *path)
{
    for (size_t i = 0; i < a->nexc; i++) {
        const mr_hc_exception *e = &a->exc[i];
        if (e->expired)
            continue;
        if (fnmatch(e->id, rule, 0) != 0 &&
            (!check || fnmatch(e->id, check, 0) != 0))
            continue;
        if (e->path && (!path || fnmatch(e->path, path, 0) != 0))
            continue;
        return e;
    }
    return NULL;
}

int mr_hc_accept_note(mr_hc_accept *a, const char *key)
{
    if (!a->keys)
        a->keys = calloc(MR_HC_BASELINE_MAX, sizeof(*a->keys));
    if (a->keys && a->nkeys < MR_HC_BASELINE_MAX) {
        char *d = dup_n(key, strlen(key));
        if (d)
            a->keys[a->nkeys++] = d;
    } else {
        a->keys_full = 1;
    }
    if (!a->have_base)
        return -1;
    const char *q = key;
    char **hit = bsearch(&q, a->base, a->nbase, sizeof(*a->base), cmp_str);
    if (!hit)
        return 0;
    a->base_seen[hit - a->base] = 1;
    return 1;
}

const mr_hc_hashed *mr_hc_accept_file_get(const mr_hc_hashed *list,
                                          size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i].path, path))
            return &list[i];
    return NULL;
}

int mr_hc_accept_file(mr_hc_accept *a, const char *path, const char *hex)
{
    if (mr_hc_accept_file_get(a->files, a->nfiles, path))
        return 0;
    if (!a->files && !(a->files = calloc(MR_HC_HASHED_MAX, sizeof(*a->files))))
        return -1;
    if (a->nfiles >= MR_HC_HASHED_MAX)
        return -1;
    mr_hc_hashed *h = &a->files[a->nfiles];
    if (!(h->path = dup_n(path, strlen(path))))
        return -1;
    snprintf(h->hex, sizeof(h->hex), "%s", hex);
    a->nfiles++;
    return 0;
}

void mr_hc_accept_fresh(mr_hc_accept *a, const char *path)
{
    if (!a->fresh_paths &&
        !(a->fresh_paths = calloc(MR_HC_BASELINE_MAX, sizeof(char *))))
        return;
    if (a->nfresh < MR_HC_BASELINE_MAX) {
        char *d = dup_n(path, strlen(path));
        if (d)
            a->fresh_paths[a->nfresh++] = d;
    }
}

mamori_err mr_hc_accept_save(const mr_hc_accept *a, FILE *out)
{
    fprintf(out, "%s\n", baseline_header);
    for (size_t i = 0; i < a->nkeys; i++)
        fprintf(out, "%s\n", a->keys[i]);
    for (size_t i = 0; i < a->nfiles; i++) {
        char p[MR_HC_FILE_MAX];
        clean(p, sizeof(p), a->files[i].path);
        fprintf(out, "@file\t%s\t%s\n", p, a->files[i].hex);
    }
    return ferror(out) ? MAMORI_E_IO : MAMORI_OK;
}

void mr_hc_accept_free(mr_hc_accept *a)
{
    for (size_t i = 0; i < a->nexc && a->exc; i++) {
        free(a->exc[i].id);
        free(a->exc[i].path);
        free(a->exc[i].reason);
    }
    free(a->exc);
    free(a->exc_file);
    for (size_t i = 0; i < a->nbase; i++)
        free(a->base[i]);
    free(a->base);
    free(a->base_seen);
    for (size_t i = 0; i < a->nkeys; i++)
        free(a->keys[i]);
    free(a->keys);
    for (size_t i = 0; i < a->nbase_files; i++)
        free(a->base_files[i].path);
    free(a->base_files);
    for (size_t i = 0; i < a->nfiles; i++)
        free(a->files[i].path);
    free(a->files);
    for (size_t i = 0; i < a->nfresh; i++)
        free(a->fresh_paths[i]);
    free(a->fresh_paths);
    memset(a, 0, sizeof(*a));
}
