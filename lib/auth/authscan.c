/*
 * authscan.c — the authscan driver (authscan.h): walks files and
 * directories, guesses each file's kind (syslog, vsftpd's own log, web
 * access log), and has each one read in chunks of lines (reader.c: parser threads, the engine on one thread in
 * input order); finish turns the campaigns into findings and a summary.
 */
#include "common.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"
#include "auth/parse.h"
#include "auth/scan.h"
#include "auth/web.h"
#include "io/source.h"

#define MR_AS_BUF MR_AUTH_CHUNK_SIZE     /* carry of the reader, journal */
#define MR_AS_DIR_DEPTH_MAX 16
#define MR_AS_PATH_MAX 4096

mamori_err mamori_authscan_new(const mamori_ctx *ctx,
                               const mamori_authscan_opts *opts,
                               mamori_authscan **out)
{
    char err[256];
    *out = NULL;
    mamori_authscan *as = calloc(1, sizeof(*as));
    if (!as)
        return MAMORI_E_NOMEM;
    as->ctx = ctx;
    as->ref_time = opts ? opts->ref_time : 0;
    if (mr_auth_cfg_init(&as->cfg, opts, err, sizeof(err)) ||
        mr_auth_web_init(&as->web, opts ? opts->login_paths : NULL,
                         opts ? opts->nlogin_paths : 0, err, sizeof(err))) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "%s", err);
        free(as);
        return MAMORI_E_INVAL;
    }
    as->buf = malloc(MR_AS_BUF + MAMORI_AUTHSCAN_LINE_MAX);
    as->fmt = malloc(sizeof(*as->fmt));
    as->engine = mr_auth_engine_new(&as->cfg);
    if (!as->buf || !as->fmt || !as->engine || mr_auth_pool_start(as)) {
        mamori_authscan_free(as);
        return MAMORI_E_NOMEM;
    }
    *out = as;
    return MAMORI_OK;
}

void mamori_authscan_free(mamori_authscan *as)
{
    if (!as)
        return;
    mr_auth_pool_stop(as);
    mr_auth_engine_free(as->engine);
    free(as->buf);
    free(as->fmt);
    free(as);
}

void mamori_authscan_get_stats(const mamori_authscan *as,
                               mamori_authscan_stats *st)
{
    mr_auth_counts c;
    mr_auth_engine_counts(as->engine, &c);
    memset(st, 0, sizeof(*st));
    st->files = as->files;
    st->lines = as->lines;
    st->events = c.events;
    st->failures = c.failures;
    st->successes = c.successes;
    st->malformed = as->malformed;
    st->evicted_sources = c.evicted_sources;
    st->evicted_accounts = c.evicted_accounts;
    st->campaigns = mr_auth_engine_ncampaigns(as->engine);
}

void mr_auth_scan_event(mamori_authscan *as, const mr_auth_event *ev)
{
    if (ev->time != INT64_MIN &&
        (ev->time < as->ctx->since || ev->time > as->ctx->until))
        return;
    mr_auth_engine_add(as->engine, ev);
}

static mamori_err scan_file(mamori_authscan *as, const char *path, int in_dir)
{
    mr_source *src;
    struct stat st;
    int64_t mtime = 0;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0)
        mtime = (int64_t)st.st_mtime;
    mamori_err e = mr_source_open(path, &src);
    if (e) {
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, path, 0, "cannot open: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        as->unreadable++;
        return e;
    }
    e = mr_auth_scan_source(as, path, src, mtime, in_dir);
    mr_source_close(src);
    if (in_dir && e == MAMORI_E_FORMAT)
        e = MAMORI_OK;
    return e;
}

static mamori_err scan_dir(mamori_authscan *as, const char *dir, int depth)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        mamori_diagf(as->ctx, MAMORI_DIAG_ERROR, dir, 0,
                     "cannot read directory: %s", strerror(errno));
        as->unreadable++;
        return MAMORI_E_IO;
    }
    mamori_err ret = MAMORI_OK;
    for (int i = 0; i < n; i++) {
        const char *base = names[i]->d_name;
        char path[MR_AS_PATH_MAX];
        struct stat st;
        mamori_err e = MAMORI_OK;
        if (base[0] == '.' ||
            (size_t)snprintf(path, sizeof(path), "%s/%s", dir, base) >= sizeof(path) ||
            stat(path, &st) != 0) {
            free(names[i]);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth < MR_AS_DIR_DEPTH_MAX)
                e = scan_dir(as, path, depth + 1);
        } else if (S_ISREG(st.st_mode)) {
            e = scan_file(as, path, 1);
        }
        if (e && !ret)
            ret = e;
        free(names[i]);
    }
    free(names);
    return ret;
}

mamori_err mamori_authscan_path(mamori_authscan *as, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return scan_dir(as, path, 0);
    return scan_file(as, path, 0);
}

mamori_err mamori_authscan_dir_entry(mamori_authscan *as, const char *path)
{
    return scan_file(as, path, 1);
}

mamori_err mamori_authscan_buffer(mamori_authscan *as, const char *name,
                                  const void *data, size_t len)
{
    mr_source *src;
    mamori_err e = mr_source_open_mem(data, len, &src);
    if (e)
        return e;
    e = mr_auth_scan_source(as, name, src, 0, 0);
    mr_source_close(src);
    return e;
}

mamori_err mamori_authscan_offenders(const mamori_authscan *as,
                                     int (*fn)(void *user, const char *addr),
                                     void *user)
{
    const mr_atab *t = as->engine->sources;
    char buf[MR_AUTH_SRC_KEY_CAP + 1];
    for (size_t i = 0; i < mr_atab_count(t); i++) {
        const char *k;
        size_t kn;
        const mr_auth_src *s = mr_atab_at(t, i, &k, &kn, NULL);
        if (s->cls == MR_SRC_NONE)
            continue;
        memcpy(buf, k, kn);
        buf[kn] = 0;
        if (fn(user, buf))
            return MAMORI_E_ABORTED;
    }
    return MAMORI_OK;
}
