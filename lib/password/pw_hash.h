/*
 * pw_hash.h — the one 64-bit hash of the password code: FNV-1a over the
 * bytes, finished with murmur3's fmix64 so every bit depends on every
 * byte. tools/gen_password_data.py computes the same function when it
 * builds the dictionary table, so the two must change together. FNV's
 * state can be extended a byte at a time, which lets the dictionary
 * matcher hash every substring starting at one position in one pass.
 */
#ifndef MR_PW_HASH_H
#define MR_PW_HASH_H

#include <stddef.h>
#include <stdint.h>

#define MR_PW_FNV_INIT 0xcbf29ce484222325ULL
#define MR_PW_FNV_PRIME 0x100000001b3ULL

static inline uint64_t mr_pw_fnv_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * MR_PW_FNV_PRIME;
}

static inline uint64_t mr_pw_fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb3f53fe9a87ULL;
    h ^= h >> 33;
    return h;
}

/* Index into a bitmap of 2^log2 slots from a raw FNV state: one multiply
 * (Fibonacci hashing), cheaper than fmix for the per-byte prefix test. */
#define MR_PW_PREFIX_MULT 0x9E3779B97F4A7C15ULL
static inline uint64_t mr_pw_bit_index(uint64_t state, uint64_t mult,
                                       unsigned log2)
{
    return (state * mult) >> (64 - log2);
}

/* 6-bit code of a byte (a value 0..255; evaluated more than once) for
 * the trigram table: letters and digits exact, other bytes folded
 * together (a collision costs a probe, never a miss). It fills a table
 * in dict.c; tools/gen_password_data.py tri_code must match. */
#define MR_PW_TRI_CODE(c)                                                   \
    ((c) >= 'a' && (c) <= 'z'   ? (c) - 'a'                                 \
     : (c) >= '0' && (c) <= '9' ? 26 + (c) - '0'                            \
                                : 36 + (c) % 28)

static inline uint64_t mr_pw_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = MR_PW_FNV_INIT;
    for (size_t i = 0; i < n; i++)
        h = mr_pw_fnv_step(h, s[i]);
    return mr_pw_fmix(h);
}

#endif
