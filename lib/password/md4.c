/*
 * md4.c — MD4 (RFC 1320) and the NT hash built on it: MD4 of the
 * password in UTF-16LE, which is what the NTLM edition of the Pwned
 * Passwords list holds. OpenSSL 3 keeps MD4 only in its legacy provider,
 * which is often not loaded, so mamori carries this small version of its
 * own. MD4 is broken as a cryptographic hash; here it only names a
 * password that a breach list already holds, which needs no strength.
 */
#include "common.h"

#include "password/pw_breach.h"

#define MD4_BLOCK 64

typedef struct md4_state {
    uint32_t h[4];
    uint64_t bytes;
    unsigned char buf[MD4_BLOCK];
    size_t used;
} md4_state;

static uint32_t rotl(uint32_t x, unsigned s)
{
    return (x << s) | (x >> (32 - s));
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void md4_block(uint32_t h[4], const unsigned char *blk)
{
    static const unsigned r1[4] = {3, 7, 11, 19}, r2[4] = {3, 5, 9, 13},
                          r3[4] = {3, 9, 11, 15};
    static const unsigned o2[16] = {0, 4, 8, 12, 1, 5, 9, 13,
                                    2, 6, 10, 14, 3, 7, 11, 15};
    static const unsigned o3[16] = {0, 8, 4, 12, 2, 10, 6, 14,
                                    1, 9, 5, 13, 3, 11, 7, 15};
    uint32_t x[16], v[4] = {h[0], h[1], h[2], h[3]};
    for (size_t i = 0; i < 16; i++)
        x[i] = le32(blk + 4 * i);
    /* v rotates: the word updated in step i is v[(4 - i % 4) % 4] */
    for (unsigned i = 0; i < 16; i++) {
        uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4],
                 c = v[(6 - i % 4) % 4], d = v[(7 - i % 4) % 4];
        *a = rotl(*a + ((b & c) | (~b & d)) + x[i], r1[i % 4]);
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4],
                 c = v[(6 - i % 4) % 4], d = v[(7 - i % 4) % 4];
        *a = rotl(*a + ((b & c) | (b & d) | (c & d)) + x[o2[i]] +
                  0x5a827999u, r2[i % 4]);
    }
    for (unsigned i = 0; i < 16; i++) {
        uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4],
                 c = v[(6 - i % 4) % 4], d = v[(7 - i % 4) % 4];
        *a = rotl(*a + (b ^ c ^ d) + x[o3[i]] + 0x6ed9eba1u, r3[i % 4]);
    }
    for (size_t i = 0; i < 4; i++)
        h[i] += v[i];
    explicit_bzero(x, sizeof(x));
}

static void md4_update(md4_state *s, const unsigned char *p, size_t n)
{
    s->bytes += n;
    while (n > 0) {
        size_t take = MR_MIN(n, MD4_BLOCK - s->used);
        memcpy(s->buf + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used == MD4_BLOCK) {
            md4_block(s->h, s->buf);
            s->used = 0;
        }
    }
}

void mr_md4(const void *data, size_t n, unsigned char out[MR_MD4_LEN])
{
    md4_state s = {{0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u},
                   0, {0}, 0};
    unsigned char pad[MD4_BLOCK + 8] = {0x80};
    uint64_t bits = (uint64_t)n * 8;
    md4_update(&s, data, n);
    size_t padlen = (s.used < 56 ? 56 : 120) - s.used;
    for (size_t i = 0; i < 8; i++)
        pad[padlen + i] = (unsigned char)(bits >> (8 * i));
    md4_update(&s, pad, padlen + 8);
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 4; k++)
            out[4 * i + k] = (unsigned char)(s.h[i] >> (8 * k));
    explicit_bzero(&s, sizeof(s));
}

/* Decodes one UTF-8 character of s[0, n) (n >= 1): the code point and its
 * length, or the byte itself (Latin-1) when it is not valid UTF-8. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    unsigned char c = s[0];
    size_t need = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                : (c >> 3) == 30 ? 4 : 0;
    uint32_t cp = need == 2 ? c & 0x1fu : need == 3 ? c & 0x0fu : c & 0x07u;
    *len = 1;
    if (need <= 1 || need > n)
        return c;
    for (size_t k = 1; k < need; k++) {
        if ((s[k] >> 6) != 2)
            return c;
        cp = cp << 6 | (s[k] & 0x3fu);
    }
    /* overlong forms, surrogates and values past U+10FFFF are not text */
    if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) ||
        (need == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return c;
    *len = need;
    return cp;
}

void mr_ntlm_hash(const char *pw, size_t n, unsigned char out[MR_MD4_LEN])
{
    /* each input byte gives at most one UTF-16 unit (a 4-byte character
     * gives two), so 2n bytes always suffice */
    unsigned char u16[2 * MAMORI_PASSWORD_MAX];
    const unsigned char *s = (const unsigned char *)pw;
    size_t o = 0, i = 0;
    n = MR_MIN(n, (size_t)MAMORI_PASSWORD_MAX);
    while (i < n) {
        size_t len;
        uint32_t cp = utf8_next(s + i, n - i, &len);
        i += len;
        if (cp >= 0x10000) {
            uint32_t v = cp - 0x10000;
            uint32_t hi = 0xd800u | (v >> 10), lo = 0xdc00u | (v & 0x3ffu);
            u16[o++] = (unsigned char)hi;
            u16[o++] = (unsigned char)(hi >> 8);
            u16[o++] = (unsigned char)lo;
            u16[o++] = (unsigned char)(lo >> 8);
        } else {
            u16[o++] = (unsigned char)cp;
            u16[o++] = (unsigned char)(cp >> 8);
        }
    }
    mr_md4(u16, o, out);
    explicit_bzero(u16, o);
}
