/*
 * fuzz_spf_eval.c — libFuzzer harness for check_host() (lib/dns/spf_eval.c,
 * spf_mech.c) against a fake resolver whose answers come from the input:
 * line 0 is the TXT record of example.com, the other lines are the TXT
 * records of every other name (chosen by a hash of the name); A, AAAA,
 * MX and PTR answers, NXDOMAIN and timeouts also follow the hash. Every
 * evaluation must end, within the query cap, with a verdict.
 */
#include "common.h"

#include "dns/spf.h"

static const uint8_t *in;
static size_t in_len;

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)(*s | 0x20)) * 16777619u;
    return h;
}

/* Line k of the input (k counted modulo the number of lines). */
static mr_span line(unsigned k)
{
    size_t lines = 1, start = 0;
    for (size_t i = 0; i < in_len; i++)
        lines += in[i] == '\n';
    k %= (unsigned)lines;
    for (size_t i = 0; i < in_len && k > 0; i++) {
        if (in[i] == '\n' && --k == 0)
            start = i + 1;
    }
    const uint8_t *nl = memchr(in + start, '\n', in_len - start);
    size_t end = nl ? (size_t)(nl - in) : in_len;
    return mr_span_make((const char *)in + start, end - start);
}

static int fake_query(void *user, const char *name, int type,
                      mr_dns_answer *ans)
{
    (void)user;
    unsigned h = name_hash(name);
    static const uint8_t a[4] = {192, 0, 2, 1};
    static const uint8_t aaaa[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    if (h % 13 == 0)
        return MR_DNS_TIMEOUT;
    if (h % 7 == 0)
        return MR_DNS_NXDOMAIN;
    switch (type) {
    case MR_DNS_T_TXT: {
        mr_span l = line(strcmp(name, "example.com") == 0 ? 0 : 1 + h % 5);
        mr_dns_answer_add(ans, type, 0, l.p, l.n);
        if (h % 3 == 0)
            mr_dns_answer_add(ans, type, 0, "v=spf1 ?all", 11);
        break;
    }
    case MR_DNS_T_A: mr_dns_answer_add(ans, type, 0, a, 4); break;
    case MR_DNS_T_AAAA: mr_dns_answer_add(ans, type, 0, aaaa, 16); break;
    case MR_DNS_T_MX:
    case MR_DNS_T_PTR:
        for (unsigned i = 0; i < h % 12; i++)
            mr_dns_answer_add(ans, type, (uint16_t)i, "mail.example.com.", 17);
        break;
    default: break;
    }
    return MR_DNS_NOERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in = data;
    in_len = size;
    mr_dns_resolver res = {fake_query, NULL};
    mr_spf_request req = {.ip = size % 2 ? "192.0.2.1" : "2001:db8::1",
                          .mail_from = "user@example.com", .helo = "h.example"};
    mr_spf_verdict v;
    if (mr_spf_check(&res, &req, &v) != 0 || v.queries > MR_SPF_QUERIES_MAX ||
        strlen(v.explanation) > MR_SPF_EXP_MAX)
        __builtin_trap();
    return 0;
}
