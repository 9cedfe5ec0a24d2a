/*
 * cap_web.c — `mamori web`'s entry in the audit table: the sites named
 * with --site (TLS, exposed files, version disclosure, and the files the
 * logscan row saw served to attackers asked again) and, on the machine
 * audited, the nginx and Apache configuration read through its sysroot
 * (lib/web/).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "host/sysroot.h"
#include "mamori/web.h"

static const char *const settings[] = {
    "/etc/nginx/nginx.conf", "/etc/apache2/apache2.conf", NULL,
};

static int has_server(const mamori_audit_input *in)
{
    return !in->no_system &&
           (mr_sysroot_exists(in->host, "/etc/nginx/nginx.conf") ||
            mr_sysroot_exists(in->host, "/etc/apache2/apache2.conf"));
}

static int applies(const mamori_audit_input *in)
{
    return in->nsites > 0 || has_server(in);
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_web *w = NULL;
    mamori_web_opts opts;
    memset(&opts, 0, sizeof(opts));
    opts.served = in->served;
    opts.nserved = in->nserved;
    mamori_err e = mamori_web_new(ctx, &opts, &w);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "web: cannot start (%s)", mamori_strerror(e));
        return e;
    }
    if (in->nsites > 0)
        e = mamori_web_check(w, in->sites, in->nsites, sink);
    if (e != MAMORI_E_ABORTED && has_server(in)) {
        mamori_err c = mamori_web_config(w, in->host, sink);
        if (!e)
            e = c;
    }
    mamori_err f = e == MAMORI_E_ABORTED ? e : mamori_web_finish(w, sink);
    mamori_web_free(w);
    return e ? e : f;
}

const mamori_audit_capability mr_audit_web = {
    "web",
    "  web       sites named with --site: TLS (protocols, suites, the\n"
    "            certificate, an SSL Labs grade), exposed files (and those\n"
    "            the logscan row saw served to attackers), version\n"
    "            disclosure; this machine's nginx/Apache configuration\n",
    settings,
    applies,
    run,
};
