/*
 * fuzz_spf_parse.c — libFuzzer harness for the SPF record parser
 * (lib/dns/spf_parse.c): any bytes, as one TXT record, must parse or fail
 * with an offset inside the record, never crash or read past it.
 */
#include "common.h"

#include "dns/spf.h"

static mr_spf_record record;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_spf_error err;
    const char *s = (const char *)data;
    (void)mr_spf_is_record(s, size);
    if (mr_spf_parse(s, size, &record, &err) != 0) {
        if (err.offset > size && err.offset != MR_SPF_RECORD_MAX)
            __builtin_trap();
        return 0;
    }
    for (size_t i = 0; i < record.n_terms; i++) {
        const mr_spf_term *t = &record.terms[i];
        if (t->offset + t->text.n > record.len)
            __builtin_trap();
    }
    return 0;
}
