/*
 * cap_backup.c — the backups' entry in the audit table (lib/backup,
 * backup.h): the declaration /etc/mamori/backup.conf (or the one
 * mamori.conf names, in->backup_config) and its copies, or
 * without one the backup jobs of cron and systemd, through the host's
 * sysroot. It applies to a host with a declaration: the audit judges
 * the backups a machine says it has; searching for undeclared jobs is
 * `mamori backup`'s. The audit lists copies; the repository check and
 * the restore drill, which take minutes, are `mamori backup --verify
 * --drill`'s.
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "host/sysroot.h"
#include "mamori/backup.h"

static const char *const sources[] = {
    MAMORI_BACKUP_CONFIG, "/etc/crontab", "/etc/cron.d",
    "/etc/systemd/system", NULL,
};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system &&
           (in->backup_config || mr_sysroot_exists(in->host, MAMORI_BACKUP_CONFIG));
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    mamori_backup *b = NULL;
    mamori_backup_opts opts = {.config = in->backup_config};
    mamori_err e = mamori_backup_new(ctx, &opts, &b);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                     "backup: cannot start (out of memory)");
        return e;
    }
    e = mamori_backup_host(b, in->host, sink);
    mamori_err f = mamori_backup_finish(b, sink);
    mamori_backup_free(b);
    return e ? e : f;
}

const mamori_audit_capability mr_audit_backup = {
    "backup",
    "  backup    the 3-2-1-1-0 rule over the copies declared in\n"
    "            /etc/mamori/backup.conf (when there is one): fresh, three,\n"
    "            two media, off site, immutable, encrypted\n",
    sources,
    applies,
    run,
};
