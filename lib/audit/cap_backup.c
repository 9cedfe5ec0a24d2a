/*
 * cap_backup.c — the backups' entry in the audit table (lib/backup,
 * backup.h): the declaration /etc/mamori/backup.conf (or the one
 * mamori.conf names, in->backup_config) and its copies, or
 * without one the backup jobs of cron and systemd, through the host's
 * sysroot. It applies to a host with a declaration, or without one to
 * a host where backup jobs are found (cron, systemd, borg's record of
 * its repositories): those are reported as undeclared with what is
 * missing, as `mamori backup` does. A host with neither is left out (a
 * machine without a declaration would otherwise fail every audit with
 * "no copy" before anyone wrote one). The repository check and
 * the restore drill, which take minutes, are `mamori backup --verify
 * --drill`'s, whose record of its last check the audit reads.
 */
#include "common.h"

#include "audit/audit_cap.h"
#include "backup/backup_int.h"
#include "host/sysroot.h"
#include "mamori/backup.h"
#include "mamori/history.h"

static const char *const sources[] = {
    MAMORI_BACKUP_CONFIG, "/etc/crontab", "/etc/cron.d",
    "/etc/systemd/system", NULL,
};

static int applies(const mamori_audit_input *in)
{
    return !in->no_system &&
           (in->backup_config || mr_sysroot_exists(in->host, MAMORI_BACKUP_CONFIG) ||
            mr_backup_jobs_found(in->host));
}

static mamori_err run(const mamori_ctx *ctx, const mamori_audit_input *in,
                      const mamori_sink *sink)
{
    /* mamori backup's state (restic's listings, the record of its
     * checks) where `mamori backup` keeps it: beside the history. */
    mamori_backup_opts o;
    memset(&o, 0, sizeof(o));
    char state[MAMORI_SYSROOT_PATH_MAX];
    char *slash;
    if (mamori_history_default_path(state, sizeof(state)) == MAMORI_OK &&
        (slash = strrchr(state, '/')) &&
        (size_t)(slash - state) + sizeof("/backup") <= sizeof(state)) {
        memcpy(slash, "/backup", sizeof("/backup"));
        o.state_dir = state;
    }
    mamori_backup *b = NULL;
    o.config = in->backup_config;
    mamori_err e = mamori_backup_new(ctx, &o, &b);
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
    "            two media, off site, immutable, encrypted; without one,\n"
    "            the backup jobs found and what they miss\n",
    sources,
    applies,
    run,
};
