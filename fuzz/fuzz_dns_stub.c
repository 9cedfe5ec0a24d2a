/*
 * fuzz_dns_stub.c — libFuzzer harness for the stub resolver's reading of
 * responses (lib/dns/stub_parse.c). Input: one byte choosing the type
 * asked, then a DNS message as a server would send it. The question is
 * taken from the message itself (when it is plainly written) so that
 * the answer section is reached; compression, CNAME chains, lengths and
 * counts are whatever the fuzzer says. Also feeds the input's start to
 * the name-to-wire conversion.
 */
#include "common.h"

#include "dns/stub.h"

static mr_dns_answer answer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int types[] = {MR_DNS_T_A, MR_DNS_T_AAAA, MR_DNS_T_TXT,
                                MR_DNS_T_MX, MR_DNS_T_NS, MR_DNS_T_CNAME,
                                MR_DNS_T_SOA, MR_DNS_T_CAA, MR_DNS_T_PTR};
    uint8_t q[MR_STUB_WIRE_NAME_MAX];
    char text[300];
    if (size < 1)
        return 0;
    int type = types[data[0] % (sizeof types / sizeof types[0])];
    const uint8_t *msg = data + 1;
    size_t len = size - 1, n = 0;
    for (size_t p = 12; p < len && n < sizeof q; ) {   /* the question */
        size_t lab = msg[p];
        if (lab > 63 || lab >= len - p || n + lab + 1 > sizeof q)
            break;
        memcpy(q + n, msg + p, lab + 1);
        n += lab + 1;
        p += lab + 1;
        if (lab == 0)
            break;
    }
    if (n == 0 || q[n - 1] != 0) {
        q[0] = 0;
        n = 1;
    }
    mr_stub_result res;
    memset(&res, 0, sizeof res);
    mr_dns_answer_reset(&answer);
    (void)mr_stub_reply_matches(msg, len, 0, q, n, type);
    (void)mr_stub_read_answer(msg, len, q, n, type, &answer, &res);
    if (answer.used > MR_DNS_ANSWER_MAX_BYTES || res.next_len > sizeof res.next)
        __builtin_trap();
    size_t tl = MR_MIN(size, sizeof text - 1);
    memcpy(text, data, tl);
    text[tl] = '\0';
    (void)mr_stub_name_wire(text, q);
    return 0;
}
