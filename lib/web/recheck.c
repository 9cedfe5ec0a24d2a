/*
 * recheck.c — logscan's served sensitive files, read back (recheck.h).
 * One JSON document a line, read by the shared bounded reader
 * (io/json.h); only top-level fields are looked at.
 */
#include "common.h"

#include "io/json.h"
#include "io/source.h"
#include "web/recheck.h"

typedef struct line_fields {
    int finding, sensitive;
    long status;
    char request[MR_WEB_PATH_MAX * 2 + 64];
    int request_cut;
} line_fields;

static int on_scalar(void *user, const mr_json_path *path, mr_json_kind kind,
                     const char *s, size_t n, int cut)
{
    line_fields *f = user;
    if (path->depth != 1)
        return 0;
    const char *k = path->keys[1];
    if (kind == MR_JSON_STRING && strcmp(k, "type") == 0)
        f->finding = strcmp(s, "finding") == 0;
    else if (kind == MR_JSON_STRING && strcmp(k, "check") == 0)
        f->sensitive = strcmp(s, "logscan.sensitive-file") == 0;
    else if (kind == MR_JSON_NUMBER && strcmp(k, "status") == 0)
        f->status = n <= 3 ? strtol(s, NULL, 10) : 0;
    else if (kind == MR_JSON_STRING && strcmp(k, "request") == 0) {
        f->request_cut = cut || n >= sizeof(f->request);
        if (!f->request_cut)
            memcpy(f->request, s, n + 1);
    }
    return 0;
}

static int on_nest(void *user, const mr_json_path *path, int is_array)
{
    (void)user;
    (void)path;
    (void)is_array;
    return 0;
}

int mr_web_request_path(const char *request, char *out, size_t cap)
{
    const char *sp = strchr(request, ' ');
    if (sp == NULL || sp[1] != '/')
        return -1;
    const char *p = sp + 1;
    size_t n = strcspn(p, " ?#");
    if (n == 0 || n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)out[i] <= ' ' || out[i] == 0x7f)
            return -1;             /* not a path to ask again */
    return 0;
}

static int has_path(const mr_web_catalogue *c, const char *path)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->probes[i].path, path) == 0)
            return 1;
    return 0;
}

mamori_err mr_web_recheck_line(const char *line, size_t len,
                               const mr_web_catalogue *builtin,
                               mr_web_catalogue *out, uint64_t *lines_bad,
                               uint64_t *dropped)
{
    line_fields f;
    mr_source *src = NULL;
    memset(&f, 0, sizeof(f));
    mamori_err e = mr_source_open_mem(line, len, &src);
    if (e)
        return e;
    mr_json_cb cb = {on_nest, on_nest, on_scalar, &f};
    e = mr_json_read(src, &cb, NULL);
    mr_source_close(src);
    if (e == MAMORI_E_NOMEM)
        return e;
    if (e) {
        (*lines_bad)++;
        return MAMORI_OK;
    }
    if (!f.finding || !f.sensitive || f.status < 200 || f.status > 299)
        return MAMORI_OK;
    if (f.request_cut) {
        (*dropped)++;
        return MAMORI_OK;
    }
    mr_web_recheck_request(f.request, builtin, out, dropped);
    return MAMORI_OK;
}

void mr_web_recheck_request(const char *request, const mr_web_catalogue *builtin,
                            mr_web_catalogue *out, uint64_t *dropped)
{
    char p[MR_WEB_PATH_MAX];
    if (mr_web_request_path(request, p, sizeof(p)) != 0) {
        (*dropped)++;
        return;
    }
    if (has_path(builtin, p) || has_path(out, p))
        return;
    if (out->n >= MR_WEB_PROBES_MAX) {
        (*dropped)++;
        return;
    }
    mr_web_probe *pr = &out->probes[out->n++];
    memset(pr, 0, sizeof(*pr));
    memcpy(pr->path, p, strlen(p) + 1);
    snprintf(pr->check, sizeof(pr->check), "%s", MR_WEB_RECHECK_CHECK);
}

mamori_err mr_web_recheck_read(const char *path, const mr_web_catalogue *builtin,
                               mr_web_catalogue *out, uint64_t *lines_bad,
                               uint64_t *dropped)
{
    memset(out, 0, sizeof(*out));
    *lines_bad = *dropped = 0;
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "re");
    if (fp == NULL)
        return MAMORI_E_IO;
    char *line = malloc(MR_WEB_LOGSCAN_LINE_MAX + 2);
    mamori_err e = line ? MAMORI_OK : MAMORI_E_NOMEM;
    uint64_t full;
    int rc = 0;
    while (!e && (rc = mamori_read_line(fp, line, MR_WEB_LOGSCAN_LINE_MAX + 2,
                                        &full)) > 0) {
        if (full > MR_WEB_LOGSCAN_LINE_MAX) {
            (*lines_bad)++;
            continue;
        }
        size_t n = (size_t)full;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (n == 0)
            continue;
        e = mr_web_recheck_line(line, n, builtin, out, lines_bad, dropped);
    }
    if (!e && rc < 0)
        e = MAMORI_E_IO;
    free(line);
    if (fp != stdin)
        fclose(fp);
    return e;
}
