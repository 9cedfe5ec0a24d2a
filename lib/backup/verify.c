/*
 * verify.c — `mamori backup --verify`: each restic or borg copy's own
 * integrity check, run by mamori: `restic check --read-data-subset`
 * (a sample of the pack files read and hashed, 1/10 by default) and
 * `borg check --verify-data` on the newest archive (every chunk it
 * uses read and authenticated; the repository's segments checked too).
 */
#include "common.h"

#include "backup/backup_int.h"
#include "backup/spawn.h"

int mr_backup_verify(mr_backup_run *r, const mr_backup_copy *c,
                     mr_copy_state *st, char *why, size_t cap)
{
    mr_spawn_req *q = mr_backup_tool_begin(r, c, st);
    if (!q) {
        snprintf(why, cap, "%s", st->error);
        return -1;
    }
    char subset[64];
    if (c->kind == MR_BACKUP_KIND_RESTIC) {
        snprintf(subset, sizeof(subset), "--read-data-subset=%s",
                 r->opts->verify_subset ? r->opts->verify_subset : "1/10");
        const char *a[] = {"check", subset, "--no-cache", "-r", st->repo,
                           NULL};
        memcpy(q->argv, a, sizeof(a));
    } else {
        const char *a[] = {"check", "--verify-data", "--last", "1",
                           "--lock-wait", "1", st->repo, NULL};
        memcpy(q->argv, a, sizeof(a));
    }
    mr_spawn_res res;
    int rc = mr_backup_tool_run(r, q, &res, why, cap);
    free(res.out);
    mr_backup_tool_end(q);
    return rc;
}
