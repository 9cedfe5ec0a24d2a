/*
 * backup.h — are the backups there, recent, separate, unalterable and
 * restorable? (`mamori backup`, the 3-2-1-1-0 rule of IPA's 適切な
 * バックアップ運用: countermeasure common.backup.)
 *
 * What is protected and each copy of it is declared in an INI file an
 * administrator writes by hand (/etc/mamori/backup.conf through the
 * sysroot, or opts->config on this machine; see examples/backup.conf and
 * mamori-backup(1)):
 *
 *   [protect NAME]  paths = /srv/www /var/lib/postgresql
 *   [copy NAME]     kind = restic|borg|dir|rsync|tar, location = ...,
 *                   protects = NAME..., role = primary|offsite|offline,
 *                   rpo = 24h, retention = N, password-file = FILE,
 *                   password-command = CMD, password-env = VAR,
 *                   append-only = yes (evidence mamori cannot see)
 *
 * A declaration's errors are findings (backup.declaration) with their
 * file and line; what can still be read is judged. Without a
 * declaration the host is searched for backup jobs (systemd units,
 * cron files naming restic, borg, rsync or tar) and the repositories
 * they name, and what was found and what is missing is reported.
 *
 * restic and borg are run as their own programs (posix_spawn, an
 * argument list, no shell, a deadline, bounded output); passwords reach
 * them through the environment variables they read (RESTIC_PASSWORD_FILE,
 * RESTIC_PASSWORD_COMMAND, BORG_PASSCOMMAND...), never argv, and never
 * appear in a finding or a diagnostic.
 *
 * Lifecycle, as every capability (docs/architecture.md): new, host,
 * finish, free. new copies opts (strings included); ctx and the sysroot
 * must outlive the calls that use them; findings are borrowed by the
 * sink for the call.
 */
#ifndef MAMORI_BACKUP_H
#define MAMORI_BACKUP_H

#include <stdint.h>

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_BACKUP_CONFIG "/etc/mamori/backup.conf"
#define MAMORI_BACKUP_RPO_DEFAULT (24 * 3600)   /* seconds */
#define MAMORI_BACKUP_TIMEOUT_DEFAULT 300       /* seconds per tool run */
#define MAMORI_BACKUP_SAMPLE_DEFAULT 100        /* files a drill restores */

typedef struct mamori_backup_opts {
    /* A declaration on this machine (not under the root), or NULL:
     * MAMORI_BACKUP_CONFIG through the sysroot. Copied. */
    const char *config;
    int64_t now;          /* unix seconds taken as now; 0: the clock */
    unsigned timeout;     /* seconds per restic/borg run; 0: default */
    /* Directories searched for restic and borg instead of $PATH (a
     * colon-separated list), or NULL: $PATH. Copied. */
    const char *tool_path;
    /* Run each restic/borg copy's own check (restic check
     * --read-data-subset, borg check --verify-data on the newest
     * archive): check-failed when it fails. Without it, a copy no cron
     * entry or systemd unit checks is never-checked. */
    int verify;
    /* Restore a sample of the newest snapshot's files into a private
     * temporary directory, verified by the tool's own hashes and against
     * the live files unchanged since: restore-failed when one fails. */
    int drill;
    unsigned sample;      /* files a drill restores; 0: the default */
    const char *verify_subset; /* restic's --read-data-subset; NULL: 1/10.
                                  Copied. */
    /* A private directory (created 0700) where mamori memorises what
     * restic listed of each local repository, by snapshot file: a
     * snapshot file is named by the SHA-256 of its bytes, so while the
     * files, the repository's keys and the copy's password source are
     * as they were, the listing is read from the memo without deriving
     * the key again. NULL: no memo, restic runs every time. Copied. */
    const char *state_dir;
} mamori_backup_opts;

typedef struct mamori_backup mamori_backup;

/* opts may be NULL (defaults). MAMORI_E_NOMEM only. */
MAMORI_API mamori_err mamori_backup_new(const mamori_ctx *ctx,
                                        const mamori_backup_opts *opts,
                                        mamori_backup **out);
/* Reviews the backups of the machine sr reads: the declaration (or the
 * jobs found without one), then every copy. What cannot be read is a
 * finding or a diagnostic and the rest is still judged. Returns
 * MAMORI_E_ABORTED when the sink stopped it. */
MAMORI_API mamori_err mamori_backup_host(mamori_backup *b,
                                         const mamori_sysroot *sr,
                                         const mamori_sink *sink);
/* Sends the summary (copies, snapshots, protected paths) and returns the
 * first error of the hosts reviewed. */
MAMORI_API mamori_err mamori_backup_finish(mamori_backup *b,
                                           const mamori_sink *sink);
/* Accepts NULL. */
MAMORI_API void mamori_backup_free(mamori_backup *b);

#ifdef __cplusplus
}
#endif
#endif
