/*
 * base64.c — mr_base64_text() of normalize.h: is a raw query value base64
 * of printable text, and what does it say? Attack tools send payloads
 * base64-encoded ("?file=Li4vLi4vZXRj..."); tokens, hashes and ids are
 * base64 too, but decode to binary, which ends the decoding at once.
 * Used by the detailed path (detect.c) on each query value it looks at,
 * and to show a finding's evidence in the sender's case.
 */
#include "common.h"

#include "logscan/normalize.h"

#define MR_B64_MIN 8      /* shorter values are words, not encodings */

static int b64_val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Decodes a raw value that is base64 (standard or URL-safe, padding
 * as '=' or %3D, '+' '/' possibly percent-encoded, once or twice) into
 * out, lowercased; returns the length, 0 when the value is no base64 of
 * printable text. */
size_t mr_base64_text(const char *v, size_t n, char *out, size_t cap, bool lower)
{
    uint32_t acc = 0;
    unsigned bits = 0;
    size_t w = 0, digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c == '%' && i + 4 < n && v[i + 1] == '2' && v[i + 2] == '5')
            i += 2;   /* "%253D": the escape escaped again */
        if (c == '%' && i + 2 < n) {
            char e = (char)(v[i + 2] | 0x20);
            if (v[i + 1] == '2' && e == 'b')
                c = '+';
            else if (v[i + 1] == '2' && e == 'f')
                c = '/';
            else if (v[i + 1] == '3' && e == 'd')
                c = '=';
            else
                return 0;
            i += 2;
        }
        if (c == '=')
            break;
        int d = b64_val(c);
        if (d < 0)
            return 0;
        digits++;
        acc = acc << 6 | (uint32_t)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            unsigned char b = (unsigned char)(acc >> bits);
            if (b < 0x09 || (b > 0x0d && b < 0x20) || b >= 0x7f)
                return 0;   /* binary: a token or a hash, not text */
            if (w == cap)
                return w;
            out[w++] = (char)(lower && b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
    }
    return digits >= MR_B64_MIN ? w : 0;
}
