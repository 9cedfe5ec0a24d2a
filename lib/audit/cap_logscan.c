/*
 * cap_logscan.c — logscan's entry in the audit table: attack traces in
 * the web server access logs where Debian, Red Hat and their kin keep
 * them, and in the paths the user names.
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/logscan.h"

static const char *const web_log_dirs[] = {
    "/var/log/nginx", "/var/log/apache2", "/var/log/httpd",
    "/var/log/lighttpd", "/var/log/caddy", NULL,
};

typedef struct feed_state {
    mamori_logscan *ls;
    const mamori_sink *sink;
} feed_state;

static int feed(void *user, const char *path, mr_audit_kind kind)
{
    feed_state *f = user;
    mamori_err e = kind == MR_AUDIT_DIR_ENTRY
                       ? mamori_logscan_dir_entry(f->ls, path, f->sink)
                       : mamori_logscan_path(f->ls, path, f->sink);
    return e == MAMORI_E_ABORTED;
}

static int applies(const mamori_audit_input *in)
{
    return !in->no_system || in->npaths > 0;
}

/* What it cannot read it reports through diagnostics. */
static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_logscan_opts lo = {0};
    feed_state f = {NULL, sink};
    if (mamori_logscan_new(ctx, &lo, &f.ls) != MAMORI_OK) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "logscan: cannot start (out of memory)");
        return MAMORI_E_NOMEM;
    }
    size_t scanned = 0;
    int stop = 0;
    if (!in->no_system)
        scanned += mr_audit_sources(ctx, in->host, web_log_dirs, feed, &f);
    for (size_t i = 0; i < in->npaths && !stop; i++) {
        stop = feed(&f, in->paths[i], MR_AUDIT_FILE);
        scanned++;
    }
    if (!scanned)
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "logscan: no web server logs %s %s (looked in "
                     "/var/log/nginx, apache2, httpd, lighttpd, caddy)",
                     mamori_sysroot_is_live(in->host) ? "on" : "under",
                     mr_audit_host_name(in->host));
    mamori_err e = mamori_logscan_finish(f.ls, sink);
    mamori_logscan_free(f.ls);
    return stop ? MAMORI_E_ABORTED : e;
}

const mamori_audit_capability mr_audit_logscan = {
    "logscan",
    "  logscan   attack traces in the web server access logs found under\n"
    "            /var/log/{nginx,apache2,httpd,lighttpd,caddy}, and in PATHs\n",
    web_log_dirs,
    applies,
    run,
};
