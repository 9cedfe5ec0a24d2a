/*
 * cap_authscan.c — authscan's entry in the audit table: login attacks in
 * the systemd journal (this machine only: a live source) and in the files
 * where sshd and the FTP servers log when they log to files, and in the
 * paths the user names (web logs hold logins to web forms too).
 */
#include "common.h"

#include <sys/stat.h>

#include "audit/audit_cap.h"
#include "host/sysroot.h"
#include "mamori/authscan.h"

/* A modern Debian logs sshd to the journal only; the rest to files. */
static const char *const auth_logs[] = {
    "/var/log/auth.log", "/var/log/secure", "/var/log/vsftpd.log",
    "/var/log/proftpd/proftpd.log", "/var/log/pure-ftpd/transfer.log",
    NULL,
};

static int is_dir(const mamori_sysroot *sr, const char *path)
{
    struct stat st;
    return mr_sysroot_stat(sr, path, &st) == MAMORI_OK && S_ISDIR(st.st_mode);
}

static int feed(void *user, const char *path, mr_audit_kind kind)
{
    mamori_authscan *as = user;
    mamori_err e = kind == MR_AUDIT_DIR_ENTRY
                       ? mamori_authscan_dir_entry(as, path)
                       : mamori_authscan_path(as, path);
    return e == MAMORI_E_ABORTED;
}

static int applies(const mamori_audit_input *in)
{
    return !in->no_system || in->npaths > 0;
}

static void journal(const mamori_ctx *ctx, const mamori_sysroot *sr,
                    mamori_authscan *as)
{
    if (mamori_sysroot_is_live(sr)) {
        if (is_dir(sr, "/var/log/journal") || is_dir(sr, "/run/log/journal"))
            mamori_authscan_journal(as, NULL);
        return;
    }
    /* The running machine's journal is a live source; a root's journal
     * files can be read on purpose, with the reader's own checks. */
    if (is_dir(sr, "/var/log/journal"))
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "authscan: the journal under %s is not read with --root "
                     "(mamori authscan --journal-dir %s/var/log/journal "
                     "reads it)", mamori_sysroot_root(sr),
                     mamori_sysroot_root(sr));
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_authscan *as = NULL;
    int stop = 0;
    if (mamori_authscan_new(ctx, NULL, &as) != MAMORI_OK) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "authscan: cannot start (out of memory)");
        return MAMORI_E_NOMEM;
    }
    if (!in->no_system) {
        journal(ctx, in->host, as);
        mr_audit_sources(ctx, in->host, auth_logs, feed, as);
    }
    for (size_t i = 0; i < in->npaths && !stop; i++)
        stop = feed(as, in->paths[i], MR_AUDIT_FILE);
    mamori_err e = mamori_authscan_finish(as, sink);
    mamori_authscan_free(as);
    return stop ? MAMORI_E_ABORTED : e;
}

const mamori_audit_capability mr_audit_authscan = {
    "authscan",
    "  authscan  login attacks and break-ins in the systemd journal,\n"
    "            /var/log/auth.log, secure, FTP server logs, and in PATHs\n",
    auth_logs,
    applies,
    run,
};
