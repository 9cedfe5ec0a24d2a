/*
 * fuzz_dns_smtp.c — libFuzzer harness for what a domain's servers send
 * back to the probes of check_ns.c: SMTP replies (greeting, EHLO,
 * STARTTLS; lib/dns/smtp.c) and DNS reply headers (lib/dns/probe.c).
 * Any MX or nameserver on the Internet may be an attacker's.
 */
#include "common.h"

#include "dns/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    mr_smtp_reply r;
    size_t used, pos = 0;

    /* Reply after reply, as a conversation reads them. */
    while (pos < size && mr_smtp_reply_parse(s + pos, size - pos, &r, &used) == 1) {
        if (used == 0 || used > size - pos || r.lines == 0 ||
            r.lines > MR_SMTP_LINES_MAX || strlen(r.first) >= MR_SMTP_TEXT_MAX)
            __builtin_trap();
        pos += used;
    }
    mr_probe_reply rep;
    (void)mr_probe_parse_reply(data, size, size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0, &rep);
    unsigned char q[512];
    char name[300];
    size_t n = MR_MIN(size, sizeof name - 1);
    memcpy(name, data, n);
    name[n] = '\0';
    size_t ql = mr_probe_build_query(q, sizeof q, 1, name, MR_DNS_T_SOA, true);
    if (ql > sizeof q)
        __builtin_trap();
    return 0;
}
