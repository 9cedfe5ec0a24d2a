/*
 * cap_password.c — the password-settings review's entry in the audit
 * table: login.defs, the PAM password stack and sshd, read through the
 * host's sysroot (lib/password/review.c).
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "mamori/password.h"

static const char *const settings[] = {
    "/etc/login.defs", "/etc/pam.d/common-password", "/etc/pam.d/common-auth",
    "/etc/pam.d/system-auth", "/etc/pam.d/password-auth",
    "/etc/security/pwquality.conf", NULL,
};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system;
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_password_review *rv = NULL;
    /* sshd's PasswordAuthentication and root login are the host row's
     * (host.ssh.*): one finding for one setting */
    mamori_password_review_opts o = {.skip_sshd = 1};
    mamori_err e = mamori_password_review_new(ctx, &o, &rv);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "password-policy: cannot start (out of memory)");
        return e;
    }
    e = mamori_password_review_host(rv, in->host, sink);
    mamori_err f = mamori_password_review_finish(rv, sink);
    mamori_password_review_free(rv);
    return e ? e : f;
}

const mamori_audit_capability mr_audit_password = {
    "password-policy",
    "  password  this machine's password settings (/etc/login.defs, the\n"
    "            PAM stack; sshd's are the host review's)\n",
    settings,
    applies,
    run,
};
