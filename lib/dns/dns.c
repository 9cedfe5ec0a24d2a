/*
 * dns.c — the bounded DNS answer and the IP address helpers of dns.h.
 *
 * Kept apart from any resolver so that the SPF engine, its tests and its
 * fuzzers share one definition of "an answer" and of address parsing:
 * addresses come from SPF records and command lines, so the IPv4 parser
 * is strict (no leading zeros, no short forms), as RFC 7208 4.6.1 asks.
 */
#include "common.h"

#include <arpa/inet.h>

#include "dns/dns.h"

void mr_dns_answer_reset(mr_dns_answer *a)
{
    a->n = 0;
    a->used = 0;
    a->truncated = false;
    a->dnssec = MR_DNSSEC_UNKNOWN;
}

int mr_dns_answer_add(mr_dns_answer *a, int type, uint16_t pref,
                      const void *data, size_t len)
{
    if (a->n >= MR_DNS_ANSWER_MAX_RRS ||
        len > MR_DNS_ANSWER_MAX_BYTES - a->used) {
        a->truncated = true;
        return -1;
    }
    mr_dns_rr *rr = &a->rr[a->n++];
    rr->type = (uint16_t)type;
    rr->pref = pref;
    rr->off = (uint32_t)a->used;
    rr->len = (uint32_t)len;
    if (len > 0)
        memcpy(a->data + a->used, data, len);
    a->used += len;
    return 0;
}

int mr_dns_answer_append(mr_dns_answer *a, const void *data, size_t len)
{
    /* Only the last record may grow: its bytes end at `used`. */
    if (a->n == 0 || len > MR_DNS_ANSWER_MAX_BYTES - a->used) {
        a->truncated = true;
        return -1;
    }
    if (len > 0)
        memcpy(a->data + a->used, data, len);
    a->used += len;
    a->rr[a->n - 1].len += (uint32_t)len;
    return 0;
}

const unsigned char *mr_dns_rr_data(const mr_dns_answer *a, size_t i)
{
    return i < a->n ? a->data + a->rr[i].off : NULL;
}

const char *mr_dns_rcode_name(int rcode)
{
    switch (rcode) {
    case MR_DNS_NOERROR: return "NOERROR";
    case MR_DNS_SERVFAIL: return "SERVFAIL";
    case MR_DNS_NXDOMAIN: return "NXDOMAIN";
    case MR_DNS_REFUSED: return "REFUSED";
    case MR_DNS_TIMEOUT: return "timeout";
    case MR_DNS_LOOP: return "CNAME loop";
    case MR_DNS_FAILURE: return "local failure";
    default: return "DNS error";
    }
}

const char *mr_dns_type_name(int type, char *buf, size_t cap)
{
    switch (type) {
    case MR_DNS_T_A: return "A";
    case MR_DNS_T_CNAME: return "CNAME";
    case MR_DNS_T_PTR: return "PTR";
    case MR_DNS_T_MX: return "MX";
    case MR_DNS_T_TXT: return "TXT";
    case MR_DNS_T_AAAA: return "AAAA";
    case MR_DNS_T_SPF: return "SPF";
    case MR_DNS_T_NS: return "NS";
    case MR_DNS_T_SOA: return "SOA";
    case MR_DNS_T_DS: return "DS";
    case MR_DNS_T_RRSIG: return "RRSIG";
    case MR_DNS_T_DNSKEY: return "DNSKEY";
    case MR_DNS_T_CAA: return "CAA";
    default:
        snprintf(buf, cap, "TYPE%d", type);
        return buf;
    }
}

int mr_ip4_parse(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int octet = 0; octet < 4; octet++) {
        if (octet > 0) {
            if (i >= n || s[i] != '.')
                return -1;
            i++;
        }
        size_t start = i;
        unsigned v = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9' && i - start < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        size_t digits = i - start;
        if (digits == 0 || v > 255 || (digits > 1 && s[start] == '0'))
            return -1;
        out[octet] = (uint8_t)v;
    }
    return i == n ? 0 : -1;
}

int mr_ip6_parse(const char *s, size_t n, uint8_t out[16])
{
    char buf[MR_IP_TEXT_MAX];
    if (n == 0 || n >= sizeof buf || memchr(s, '\0', n) != NULL)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

int mr_ip_parse(const char *s, size_t n, mr_ip *out)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0xff, 0xff};
    memset(out, 0, sizeof *out);
    if (mr_ip4_parse(s, n, out->b) == 0) {
        out->family = 4;
        return 0;
    }
    uint8_t b6[16];
    if (mr_ip6_parse(s, n, b6) != 0)
        return -1;
    if (memcmp(b6, mapped, sizeof mapped) == 0) {
        out->family = 4;
        memcpy(out->b, b6 + 12, 4);
    } else {
        out->family = 6;
        memcpy(out->b, b6, 16);
    }
    return 0;
}

bool mr_ip_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (whole > 0 && memcmp(a, b, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

void mr_ip_format(const mr_ip *ip, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    if (ip->family == 4) {
        snprintf(buf, cap, "%u.%u.%u.%u", ip->b[0], ip->b[1], ip->b[2],
                 ip->b[3]);
    } else if (inet_ntop(AF_INET6, ip->b, buf, (socklen_t)cap) == NULL) {
        buf[0] = '\0';
    }
}

void mr_ip_reverse_name(const mr_ip *ip, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (ip->family == 4) {
        snprintf(buf, cap, "%u.%u.%u.%u.in-addr.arpa", ip->b[3], ip->b[2],
                 ip->b[1], ip->b[0]);
        return;
    }
    char tmp[80];
    size_t k = 0;
    for (int i = 15; i >= 0; i--) {
        tmp[k++] = hex[ip->b[i] & 0xf];
        tmp[k++] = '.';
        tmp[k++] = hex[ip->b[i] >> 4];
        tmp[k++] = '.';
    }
    tmp[k] = '\0';
    snprintf(buf, cap, "%sip6.arpa", tmp);
}
