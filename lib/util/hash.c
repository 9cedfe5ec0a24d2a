/*
 * hash.c — see hash.h. SipHash written from the algorithm's description
 * in the paper (section 2): four 64-bit words of state set from the key
 * and "somepseudorandomlygeneratedbytes", each 8-byte little-endian word
 * of the message xored into v3, compressed by c SipRounds and xored into
 * v0; a last word holding the remaining bytes and the length mod 256 in
 * its top byte; then 0xff into v2, d SipRounds, and the xor of the four.
 */
#include "common.h"

#include "util/hash.h"
#include "util/random.h"

static inline uint64_t rotl(uint64_t x, unsigned b)
{
    return (x << b) | (x >> (64 - b));
}

/* n <= 8 bytes little-endian into the low end of a word. */
static inline uint64_t load_le(const unsigned char *p, size_t n)
{
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        w |= (uint64_t)p[i] << (8 * i);
    return w;
}

static inline uint64_t load_le8(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
#else
    return load_le(p, 8);
#endif
}

#define SIPROUND                                                            \
    do {                                                                    \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);           \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                              \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                              \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);           \
    } while (0)

/* SipHash-c-d; c and d are constants at each call, so the loops unroll. */
static inline uint64_t siphash(const mr_hash_key *key, const void *data,
                               size_t n, int c, int d)
{
    const unsigned char *p = data;
    uint64_t v0 = key->k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = key->k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = key->k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = key->k1 ^ 0x7465646279746573ULL;
    uint64_t last = (uint64_t)(n & 0xff) << 56;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t m = load_le8(p);
        v3 ^= m;
        for (int i = 0; i < c; i++)
            SIPROUND;
        v0 ^= m;
    }
    last |= load_le(p, n);
    v3 ^= last;
    for (int i = 0; i < c; i++)
        SIPROUND;
    v0 ^= last;
    v2 ^= 0xff;
    for (int i = 0; i < d; i++)
        SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t mr_hash(const mr_hash_key *key, const void *data, size_t n)
{
    return siphash(key, data, n, 1, 3);
}

uint64_t mr_siphash24(const mr_hash_key *key, const void *data, size_t n)
{
    return siphash(key, data, n, 2, 4);
}

mamori_err mr_hash_key_random(mr_hash_key *key)
{
    unsigned char b[16];
    mamori_err e = mr_random_bytes(b, sizeof(b));
    mr_hash_key_from_bytes(key, b);
    return e;
}

void mr_hash_key_from_bytes(mr_hash_key *key, const unsigned char bytes[16])
{
    key->k0 = load_le(bytes, 8);
    key->k1 = load_le(bytes + 8, 8);
}

/* ---- the fixed fingerprint hash ------------------------------------- */

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

uint64_t mr_hash_fixed(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h ^ w) + 0x9e3779b97f4a7c15ULL;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n)
        memcpy(&w, p, n);
    return mix(h ^ w ^ ((uint64_t)n << 56));
}
