/*
 * fuzz_dns_mtasts.c — libFuzzer harness for the MTA-STS policy file, the
 * _mta-sts TXT record and the TLS-RPT record (lib/dns/mtasts.c). The
 * policy comes from a web server an attacker may control.
 */
#include "common.h"

#include "dns/records.h"

static mr_sts_policy policy;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    mr_rec_error err;
    char id[MR_STS_ID_MAX + 1];
    size_t n;

    if (mr_sts_policy_parse(s, size, &policy, &err) == 0) {
        for (size_t i = 0; i < policy.n_mx && i < MR_STS_MX_MAX; i++)
            (void)mr_sts_mx_match(policy.mx[i], "mx.example.com");
    } else if (err.offset > size && err.offset != MR_STS_POLICY_MAX) {
        __builtin_trap();
    }
    if (mr_sts_txt_parse(s, size, id, &err) == 0 && strlen(id) > MR_STS_ID_MAX)
        __builtin_trap();
    (void)mr_tlsrpt_parse(s, size, &n, &err);
    return 0;
}
