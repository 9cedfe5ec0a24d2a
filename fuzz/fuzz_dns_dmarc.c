/*
 * fuzz_dns_dmarc.c — libFuzzer harness for the DMARC record parser
 * (lib/dns/dmarc.c) and the tag-list reader under it: any bytes must
 * parse or fail with an offset inside the record; every URI kept must
 * lie inside the input.
 */
#include "common.h"

#include "dns/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    mr_dmarc m;
    mr_rec_error err;
    char dom[MR_DNS_NAME_MAX + 1];

    (void)mr_dmarc_is_record(s, size);
    if (mr_dmarc_parse(s, size, &m, &err) != 0) {
        if (err.offset > size)
            __builtin_trap();
        return 0;
    }
    for (size_t i = 0; i < m.n_rua && i < MR_DMARC_URIS_MAX; i++) {
        if (m.rua[i].p < s || m.rua[i].p + m.rua[i].n > s + size)
            __builtin_trap();
        (void)mr_dmarc_uri_domain(m.rua[i], dom, sizeof dom);
    }
    return 0;
}
