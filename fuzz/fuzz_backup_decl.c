/*
 * fuzz_backup_decl.c — arbitrary bytes as a backup declaration through
 * the INI reader of lib/backup (libinih and our line reader): every
 * string kept must be NUL-terminated within its buffer, every count
 * within its maximum, whatever the lines (NULs, no newline, over-long
 * lines, endless continuations, thousands of sections).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backup/backup_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_backup_decl *d = malloc(sizeof(*d));
    if (!d)
        abort();
    mr_backup_decl_parse((const char *)data, size, d);
    if (d->nprotect > MR_BACKUP_PROTECT_MAX ||
        d->ncopy > MR_BACKUP_COPIES_MAX || d->nerrors > MR_BACKUP_ERRORS_MAX)
        abort();
    for (size_t i = 0; i < d->nprotect; i++) {
        if (d->protect[i].npaths > MR_BACKUP_PATHS_MAX ||
            !memchr(d->protect[i].name, 0, MR_BACKUP_NAME_MAX))
            abort();
        for (size_t k = 0; k < d->protect[i].npaths; k++)
            if (!memchr(d->protect[i].paths[k], 0, MR_BACKUP_PATH_MAX) ||
                d->protect[i].paths[k][0] != '/')
                abort();
    }
    for (size_t i = 0; i < d->ncopy; i++) {
        const mr_backup_copy *c = &d->copy[i];
        if (!c->kind || !c->location[0] || c->nprotects > MR_BACKUP_PROTECT_MAX ||
            !memchr(c->location, 0, sizeof(c->location)) ||
            !memchr(c->password_command, 0, sizeof(c->password_command)))
            abort();
    }
    for (size_t i = 0; i < d->nerrors; i++)
        if (!memchr(d->errors[i].msg, 0, MR_BACKUP_MSG_MAX))
            abort();
    free(d);
    return 0;
}
