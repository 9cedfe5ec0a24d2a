/*
 * cap_host.c — the configuration review's entry in the audit table:
 * sshd, accounts and the password settings (login.defs, the PAM stack:
 * once the password row's, now host rules reported here once), the
 * identity files' modes, kernel settings, services, logging and security
 * software, read through the host's sysroot (lib/hostcheck/).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/hostcheck.h"

static const char *const settings[] = {
    "/etc/ssh/sshd_config", "/etc/passwd", "/etc/shadow", "/etc/group",
    "/etc/gshadow", "/etc/sysctl.conf", "/etc/sysctl.d", "/etc/login.defs",
    "/etc/pam.d/common-password", "/etc/pam.d/common-auth",
    "/etc/pam.d/system-auth", "/etc/pam.d/password-auth",
    "/etc/security/pwquality.conf",
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
    "  host      this machine's settings: sshd, accounts and password\n"
    "            settings (login.defs, the PAM stack), the modes of\n"
    "            passwd/shadow, kernel (sysctl), services, logging\n",
    settings,
    applies,
    run,
};
