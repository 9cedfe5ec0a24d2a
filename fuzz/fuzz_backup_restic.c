/*
 * fuzz_backup_restic.c — arbitrary bytes as the JSON `restic` prints for
 * mamori backup (lib/backup/restic.c over the shared reader io/json.h): counts and times must
 * stay consistent whatever the document (depth, cuts, huge strings).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_copy_state *st = calloc(1, sizeof(*st));
    if (!st)
        abort();
    static const char *const paths[] = {"/srv/www", "/", "/etc"};
    for (size_t i = 0; i < 3; i++)
        st->cover_path[st->ncover++] = paths[i];
    mr_backup_restic_json((const char *)data, size, st);
    if (st->snapshots && (st->newest == INT64_MIN || st->oldest > st->newest))
        abort();
    for (size_t i = 0; i < st->ncover; i++)
        if (st->cover_newest[i] != INT64_MIN &&
            st->cover_newest[i] > st->newest)
            abort();
    if (!memchr(st->encryption, 0, sizeof(st->encryption)))
        abort();
    free(st);
    return 0;
}
