/*
 * fuzz_backup_readers.c — arbitrary bytes as what mamori backup reads
 * from restic, borg and tar (lib/backup/restic.c, borg.c, drill_tar.c):
 * the same input as restic's snapshot list (and mamori's memo of it),
 * borg's archive list and repository config, and tar's listing line by
 * line. Counts and times must stay consistent and every string kept
 * within its buffer whatever the document (depth, cuts, huge strings).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup_int.h"

static void consistent(const mr_copy_state *st)
{
    if (st->snapshots && (st->newest == INT64_MIN || st->oldest > st->newest))
        abort();
    for (size_t i = 0; i < st->ncover; i++)
        if (st->cover_newest[i] != INT64_MIN &&
            st->cover_newest[i] > st->newest)
            abort();
    if (!memchr(st->encryption, 0, sizeof(st->encryption)))
        abort();
}

static int snap_fn(void *user, const mr_restic_snap *s)
{
    (void)user;
    size_t idn = strnlen(s->id, sizeof(s->id));
    if ((idn != 0 && idn != MR_RESTIC_ID_LEN) || s->time == INT64_MIN ||
        s->npaths > MR_RESTIC_PATHS_MAX)
        abort();
    for (size_t i = 0; i < s->npaths; i++)
        if (s->path_len[i] >= MR_BACKUP_PATH_MAX ||
            s->paths[i][s->path_len[i]] != '\0')
            abort();
    return 0;
}

static void cover(mr_copy_state *st)
{
    static const char *const paths[] = {"/srv/www", "/", "/etc"};
    for (size_t i = 0; i < 3; i++)
        st->cover_path[st->ncover++] = paths[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    mr_copy_state *st = calloc(1, sizeof(*st));
    if (!st)
        abort();
    cover(st);
    mr_backup_restic_json(s, size, st);
    consistent(st);
    mr_backup_restic_each(s, size, snap_fn, NULL);

    memset(st, 0, sizeof(*st));
    cover(st);
    mr_backup_borg_json(s, size, st);
    consistent(st);
    mr_backup_borg_config(s, size, st);
    if (st->append_only != 0 && st->append_only != 1)
        abort();
    free(st);

    mr_tar_entry e;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t n = nl ? (size_t)(nl - (s + i)) : size - i;
        if (mr_backup_tar_line(s + i, n, &e)) {
            size_t en = strnlen(e.name, sizeof(e.name));
            if (en == 0 || en == sizeof(e.name) || strchr(e.name, '\\') ||
                e.name[en - 1] == '/')
                abort();
        }
        i += n + 1;
    }
    return 0;
}
