/*
 * rdata.c — turns the wire rdata of one record, as a resolver library
 * hands it over, into the bounded answer form of dns.h.
 *
 * This is where hostile DNS data first meets mamori's code: a TXT string
 * whose length byte runs past the record, a name with a compression
 * pointer or a 300-byte length, an A record of 5 bytes. Every read is
 * checked against the rdata length; a malformed record is refused whole
 * (-1) and the caller says so, nothing half-written stays in the answer.
 */
#include "common.h"

#include "dns/dns.h"

/* A name in presentation form may need 4 bytes per wire byte (\DDD). */
#define MR_RDATA_NAME_TEXT_MAX (4 * 255 + 1)

/* Writes the wire name at rd[*pos..len) in presentation form into out;
 * advances *pos. Returns the text length, or -1 if malformed. */
static int wire_name(const unsigned char *rd, size_t len, size_t *pos,
                     char *out, size_t cap)
{
    size_t p = *pos, o = 0, wire = 0;

    for (;;) {
        if (p >= len)
            return -1;
        unsigned lab = rd[p++];
        wire += lab + 1;
        if (lab > MR_DNS_LABEL_MAX || wire > 255) /* also: pointers */
            return -1;
        if (lab == 0)
            break;
        if (lab > len - p)
            return -1;
        if (o > 0)
            out[o++] = '.';
        for (unsigned i = 0; i < lab; i++) {
            unsigned char ch = rd[p + i];
            if (o + 5 > cap)
                return -1;
            if (ch <= ' ' || ch >= 0x7f || ch == '.' || ch == '\\') {
                snprintf(out + o, cap - o, "\\%03u", ch);
                o += 4;
            } else {
                out[o++] = (char)ch;
            }
        }
        p += lab;
    }
    if (o == 0)
        out[o++] = '.';   /* the root: a null MX points here */
    out[o] = '\0';
    *pos = p;
    return (int)o;
}

int mr_dns_answer_add_rdata(mr_dns_answer *a, int type, const void *rdata,
                            size_t len)
{
    const unsigned char *rd = rdata;
    char name[MR_RDATA_NAME_TEXT_MAX];
    size_t pos = 0;
    int n;

    if (rd == NULL && len > 0)
        return -1;
    switch (type) {
    case MR_DNS_T_A:
        if (len != 4)
            return -1;
        break;
    case MR_DNS_T_AAAA:
        if (len != 16)
            return -1;
        break;
    case MR_DNS_T_TXT:
    case MR_DNS_T_SPF: {
        /* Check every string first, so that a bad one adds nothing. */
        size_t total = 0;
        while (pos < len) {
            size_t sl = rd[pos];
            if (sl > len - pos - 1)
                return -1;
            total += sl;
            pos += 1 + sl;
        }
        if (len == 0)
            return -1;
        if (total > MR_DNS_ANSWER_MAX_BYTES - a->used ||
            a->n >= MR_DNS_ANSWER_MAX_RRS) {
            a->truncated = true;
            return -2;
        }
        mr_dns_answer_add(a, type, 0, "", 0);
        for (pos = 0; pos < len; pos += 1 + (size_t)rd[pos])
            mr_dns_answer_append(a, rd + pos + 1, rd[pos]);
        return 0;
    }
    case MR_DNS_T_MX:
        if (len < 3)
            return -1;
        pos = 2;
        n = wire_name(rd, len, &pos, name, sizeof name);
        if (n < 0 || pos != len || n > MR_DNS_NAME_MAX)
            return -1;
        return mr_dns_answer_add(a, type, (uint16_t)(rd[0] << 8 | rd[1]),
                                 name, (size_t)n) == 0 ? 0 : -2;
    case MR_DNS_T_NS:
    case MR_DNS_T_PTR:
    case MR_DNS_T_CNAME:
        n = wire_name(rd, len, &pos, name, sizeof name);
        if (n < 0 || pos != len || n > MR_DNS_NAME_MAX)
            return -1;
        return mr_dns_answer_add(a, type, 0, name, (size_t)n) == 0 ? 0 : -2;
    default:
        break;
    }
    return mr_dns_answer_add(a, type, 0, rd, len) == 0 ? 0 : -2;
}
