/*
 * fuzz_patch_stanza.c — arbitrary bytes as a dpkg status file or an apt
 * Packages list through the bounded stanza parser (lib/patch/stanza.h):
 * every field handed out must lie inside the stanza's own buffer, within
 * its limits, whatever the lines (no newline, NULs, huge values, endless
 * continuations).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/stanza.h"

static int check(void *user, const mr_stanza *st)
{
    size_t *sum = user;
    if (st->n > MR_STANZA_FIELDS_MAX || st->used > MR_STANZA_BUF)
        abort();
    for (size_t i = 0; i < st->n; i++) {
        const mr_stanza_field *f = &st->f[i];
        if (f->name.p < st->buf || f->name.p + f->name.n > st->buf + st->used ||
            (f->value.n && (f->value.p < st->buf ||
                            f->value.p + f->value.n > st->buf + st->used)) ||
            f->value.n > MR_STANZA_VALUE_MAX || f->name.n == 0)
            abort();
        for (size_t k = 0; k < f->value.n; k++)
            *sum += (unsigned char)f->value.p[k];
    }
    mr_span v = mr_stanza_get(st, "Version");
    *sum += v.n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t sum = 0;
    mr_stanza_parser *p = malloc(sizeof(*p));
    if (!p)
        abort();
    mr_stanza_init(p, check, &sum);
    mr_stanza_buffer(p, (const char *)data, size);
    free(p);
    return 0;
}
