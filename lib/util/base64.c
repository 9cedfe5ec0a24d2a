/*
 * base64.c — the base64 decoder of base64.h: one pass, six bits at a
 * time, every output byte checked against the caller's bound.
 */
#include "common.h"

#include "util/base64.h"

static int value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

mr_base64_fault mr_base64_decode_why(const char *in, size_t n, unsigned char *out,
                                     size_t cap, size_t *len, unsigned char *bad)
{
    uint32_t acc = 0;
    unsigned bits = 0, pad = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = value(c);
        if (v < 0 || pad > 0) {
            *bad = c;
            return MR_BASE64_BAD_BYTE;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return MR_BASE64_TOO_LONG;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    if (pad > 2 || bits >= 6)
        return MR_BASE64_BAD_END;
    *len = o;
    return MR_BASE64_OK;
}

int mr_base64_decode(const char *in, size_t n, unsigned char *out,
                     size_t cap, size_t *len)
{
    unsigned char bad = 0;
    return mr_base64_decode_why(in, n, out, cap, len, &bad) == MR_BASE64_OK ? 0 : -1;
}
