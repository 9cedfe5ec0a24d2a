/*
 * cap_host.c — the configuration review's entry in the audit table:
 * sshd, accounts, the identity files' modes, kernel settings and legacy
 * services, read through the host's sysroot (lib/hostcheck/).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/hostcheck.h"

static const char *const settings[] = {
    "/etc/ssh/sshd_config", "/etc/passwd", "/etc/shadow", "/etc/group",
    "/etc/gshadow", "/etc/sysctl.conf", "/etc/sysctl.d",
    "/var/lib/dpkg/status", NULL,
};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system;
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_hostcheck *hc = NULL;
    mamori_err e = mamori_hostcheck_new(ctx, NULL, &hc);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "host: cannot start (out of memory)");
        return e;
    }
    e = mamori_hostcheck_host(hc, in->host, sink);
    mamori_err f = mamori_hostcheck_finish(hc, sink);
    mamori_hostcheck_free(hc);
    return e ? e : f;
}

const mamori_audit_capability mr_audit_host = {
    "host",
    "  host      this machine's settings: sshd, accounts, the modes of\n"
    "            passwd/shadow, kernel (sysctl), legacy services\n",
    settings,
    applies,
    run,
};
