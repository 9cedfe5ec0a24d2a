/*
 * fuzz_history_fields.c — arbitrary bytes as the packed fields of a
 * finding read back from a history database (a damaged or tampered file):
 * unpacking must stay inside the blob and within the finding's field
 * limit, and every field it yields must pack again.
 */
#include <stdlib.h>
#include <string.h>

#include "history/history_int.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static unsigned char again[MR_HISTORY_FIELDS_MAX];
    mr_arena arena;
    mamori_finding f;
    mr_arena_init(&arena, 1u << 24);
    memset(&f, 0, sizeof(f));
    mr_fields_unpack(data, size, &arena, &f);
    if (f.nfields > MAMORI_FINDING_FIELDS_MAX)
        abort();
    size_t n = mr_fields_pack(&f, again, sizeof(again));
    if (n > sizeof(again))
        abort();
    mr_arena_free(&arena);
    return 0;
}
