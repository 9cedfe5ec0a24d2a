/*
 * review.c — `mamori password policy`: is this machine's password
 * configuration as strong as the guidance asks? The rules are the host
 * review's (data/hostchecks/password.conf, lib/hostcheck/review_pam.c):
 * this file runs their password view, which reads through a
 * mamori_sysroot (this machine, or a root directory: a fixture in tests,
 * a mounted image), and never by opening a system path itself:
 *   /etc/login.defs         ENCRYPT_METHOD (how passwords are hashed)
 *   /etc/pam.d/common-password, common-auth (Debian and its kin) or
 *   system-auth, password-auth (Red Hat and its kin)
 *                           a strength check (pam_pwquality, cracklib,
 *                           passwdqc or pam_mamori) and its minimum length
 *                           (also /etc/security/pwquality.conf), a history
 *                           (remember=, pam_pwhistory), the hash, nullok
 *   /etc/ssh/sshd_config and what it includes
 *                           PasswordAuthentication, PermitEmptyPasswords,
 *                           PermitRootLogin (first value wins, as sshd)
 * Each weakness is one finding naming the file, line and setting, in the
 * shape this command has always given (category "password-policy").
 */
#include "common.h"

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"
#include "mamori/hostcheck.h"
#include "mamori/password.h"

struct mamori_password_review {
    const mamori_ctx *ctx;
    unsigned min_length;         /* 0: the rule's (10) */
    int skip_sshd;               /* the host review judges sshd */
    mamori_err first_error;      /* of the runs so far, for finish */
};

/* ---- the public lifecycle ------------------------------------------ */

mamori_err mamori_password_review_new(const mamori_ctx *ctx,
                                      const mamori_password_review_opts *opts,
                                      mamori_password_review **out)
{
    *out = NULL;
    mamori_password_review *rv = calloc(1, sizeof(*rv));
    if (!rv)
        return MAMORI_E_NOMEM;
    rv->ctx = ctx;
    rv->skip_sshd = opts && opts->skip_sshd;
    rv->min_length = opts ? opts->min_length : 0;
    *out = rv;
    return MAMORI_OK;
}

mamori_err mamori_password_review_host(mamori_password_review *rv,
                                       const mamori_sysroot *sr,
                                       const mamori_sink *sink)
{
    mamori_hostcheck *hc = NULL;
    mamori_err e = mamori_hostcheck_new(rv->ctx, NULL, &hc);
    if (!e)
        e = mr_hc_review_view(hc, sr, sink,
                              MR_HC_VIEW_PASSWORD |
                                  (rv->skip_sshd ? MR_HC_VIEW_NO_SSHD : 0),
                              (long)rv->min_length);
    mamori_hostcheck_free(hc);
    if (e && !rv->first_error)
        rv->first_error = e;
    return e;
}

mamori_err mamori_password_review_finish(mamori_password_review *rv,
                                         const mamori_sink *sink)
{
    (void)sink;     /* findings went out as each file was read */
    return rv->first_error;
}

void mamori_password_review_free(mamori_password_review *rv)
{
    free(rv);
}

mamori_err mamori_password_policy_review(const mamori_ctx *ctx,
                                         const char *root,
                                         const mamori_sink *sink)
{
    mamori_sysroot *sr = NULL;
    mamori_password_review *rv = NULL;
    mamori_err e = mamori_sysroot_new(root, &sr);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, root, 0, "cannot open the root: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return e;
    }
    if ((e = mamori_password_review_new(ctx, NULL, &rv)) == MAMORI_OK) {
        e = mamori_password_review_host(rv, sr, sink);
        mamori_err f = mamori_password_review_finish(rv, sink);
        if (!e)
            e = f;
    }
    mamori_password_review_free(rv);
    mamori_sysroot_free(sr);
    return e;
}
