/*
 * fuzz_dns_dkim.c — libFuzzer harness for the DKIM key record parser and
 * the key reader (lib/dns/dkim.c): base64 of any shape, then whatever it
 * decodes to handed to OpenSSL, must never crash or read past the input.
 */
#include "common.h"

#include "dns/records.h"

static mr_dkim_key key;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_rec_error err;
    char why[128];

    if (mr_dkim_parse((const char *)data, size, &key, &err) != 0) {
        if (err.offset > size)
            __builtin_trap();
        return 0;
    }
    if (key.key_len > MR_DKIM_KEY_MAX)
        __builtin_trap();
    (void)mr_dkim_key_bits(&key, why, sizeof why);
    return 0;
}
