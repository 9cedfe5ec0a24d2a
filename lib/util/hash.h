/*
 * hash.h — the hashes of libmamori.
 *
 * mr_hash() is SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast
 * short-input PRF", 2012; one compression and three finalization rounds,
 * as Rust and CPython use for their tables): a keyed function whose
 * outputs an attacker who does not know the key cannot predict. Every
 * hash table whose keys come from input (client addresses, user names,
 * paths) places them with it, under a key from mr_hash_key_random(), so
 * nobody can prepare a log whose keys all collide and turn each lookup
 * into a walk of the whole table. Because the key is random, the order
 * of a table's slots differs from run to run: nothing that reaches the
 * output may depend on it (sort, or keep insertion order, as table.h
 * and auth/atable.h do).
 *
 * mr_siphash24() is SipHash-2-4, the paper's recommended strength, for
 * uses that want the margin more than the speed (none yet; the tests
 * check both against the paper's vectors).
 *
 * mr_hash_fixed() is a fast unkeyed mixer for fingerprints that must be
 * the same on every run because they decide output, such as the
 * distinct-count sketches of authscan. Its collisions can be searched
 * for offline: never place attacker-chosen keys in a table with it. A
 * direct-mapped cache that compares the whole key (logscan's
 * clean_cache.c) may: there a collision only evicts a slot.
 */
#ifndef MR_HASH_H
#define MR_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

/* A 128-bit SipHash key; plain data, copy freely. */
typedef struct mr_hash_key {
    uint64_t k0, k1;
} mr_hash_key;

/* A fresh key from the random source (random.h); on failure (no
 * getrandom) *key is zero and the error is returned: fail, don't use it. */
mamori_err mr_hash_key_random(mr_hash_key *key);
/* The key of 16 bytes read little-endian, as the paper writes keys. */
void mr_hash_key_from_bytes(mr_hash_key *key, const unsigned char bytes[16]);

/* SipHash-1-3 of n bytes under key: the table hash. */
uint64_t mr_hash(const mr_hash_key *key, const void *data, size_t n);
/* SipHash-2-4 of n bytes under key. */
uint64_t mr_siphash24(const mr_hash_key *key, const void *data, size_t n);

/* The fixed-seed fingerprint hash (see above); not a PRF. */
uint64_t mr_hash_fixed(const void *data, size_t n, uint64_t seed);

#endif
