/*
 * fuzz_dns_answer.c — libFuzzer harness for DNS answer handling
 * (lib/dns/rdata.c): the input is a sequence of records as a resolver
 * library hands them over — a type byte, a 2-byte length, rdata — added
 * to one bounded answer. Lengths may lie; names may loop or overflow;
 * nothing may be read past the input or written past the answer.
 */
#include "common.h"

#include "dns/dns.h"

static mr_dns_answer answer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int types[] = {MR_DNS_T_A, MR_DNS_T_AAAA, MR_DNS_T_TXT,
                                MR_DNS_T_MX, MR_DNS_T_NS, MR_DNS_T_PTR,
                                MR_DNS_T_CNAME, MR_DNS_T_CAA};
    size_t i = 0;

    mr_dns_answer_reset(&answer);
    while (i + 3 <= size) {
        int type = types[data[i] % (sizeof types / sizeof types[0])];
        size_t len = (size_t)data[i + 1] << 8 | data[i + 2];
        i += 3;
        if (len > size - i)
            len = size - i;
        (void)mr_dns_answer_add_rdata(&answer, type, data + i, len);
        i += len;
    }
    for (size_t k = 0; k < answer.n; k++)
        if (answer.rr[k].off + answer.rr[k].len > answer.used ||
            answer.used > MR_DNS_ANSWER_MAX_BYTES)
            __builtin_trap();
    return 0;
}
