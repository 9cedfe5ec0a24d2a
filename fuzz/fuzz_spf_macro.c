/*
 * fuzz_spf_macro.c — libFuzzer harness for SPF macro-strings
 * (lib/dns/spf_macro.c): validates the input in each mode and expands it
 * when valid; domain expansions must fit a DNS name, texts their buffer.
 */
#include "common.h"

#include "dns/spf.h"

static const char *fixed_p(void *user, const char *domain)
{
    (void)user;
    (void)domain;
    return "mx.example.com";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mr_spf_macro_mode modes[] = {
        MR_SPF_MACRO_DOMAIN, MR_SPF_MACRO_UNKNOWN, MR_SPF_MACRO_EXP};
    mr_spf_macro_env env = {
        .local_part = "strong-bad.x+y", .sender_domain = "email.example.com",
        .domain = "sub.email.example.com", .helo = "mx.example.org",
        .now = 1700000000, .validated_name = fixed_p};
    const char *ip = size > 0 && (data[0] & 1) ? "2001:db8::cb01" : "192.0.2.3";
    mr_ip_parse(ip, strlen(ip), &env.ip);
    mr_span s = mr_span_make((const char *)data, size);
    char out[MR_SPF_EXP_MAX + 1];
    for (size_t m = 0; m < MR_ARRAY_LEN(modes); m++) {
        size_t off, tail;
        const char *why;
        if (mr_spf_macro_check(s, modes[m], &off, &why, &tail) != 0) {
            if (off > size)
                __builtin_trap();
            continue;
        }
        int n = mr_spf_macro_expand(&env, s, modes[m], out, sizeof out);
        if (n < 0 || (size_t)n != strlen(out) ||
            (modes[m] == MR_SPF_MACRO_DOMAIN && n > MR_DNS_NAME_MAX))
            __builtin_trap();
    }
    return 0;
}
