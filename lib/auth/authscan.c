/*
 * authscan.c — the authscan driver (authscan.h): reads what the walker
 * (io/walk.h) finds in files and directories, guesses each file's kind
 * (syslog, vsftpd's own log, web access log), and has each one read in
 * chunks of lines (reader.c: parser threads, the engine on one thread in
 * input order); finish turns the campaigns into findings and a summary.
 */
#include "common.h"

#include <time.h>

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"
#include "auth/parse.h"
#include "auth/scan.h"
#include "auth/web.h"
#include "io/source.h"
#include "io/walk.h"

#define MR_AS_BUF MR_AUTH_CHUNK_SIZE     /* carry of the reader, journal */

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
    as->follow = opts ? opts->follow : 0;
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

static mamori_err scan_walked(void *user, const mr_walk_file *f)
{
    mamori_err e = mr_auth_scan_source(user, f->path, f->src, f->mtime, f->in_dir);
    if (f->in_dir && e == MAMORI_E_FORMAT)
        e = MAMORI_OK; /* a directory holds other files too */
    return e;
}

mamori_err mamori_authscan_path(mamori_authscan *as, const char *path)
{
    mr_walk_opts w = {.ctx = as->ctx, .follow = as->follow, .fn = scan_walked,
                      .user = as, .unreadable = &as->unreadable};
    return mr_walk_path(&w, path);
}

mamori_err mamori_authscan_dir_entry(mamori_authscan *as, const char *path)
{
    mr_walk_opts w = {.ctx = as->ctx, .fn = scan_walked, .user = as,
                      .unreadable = &as->unreadable};
    return mr_walk_entry(&w, path);
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
