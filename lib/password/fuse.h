/*
 * fuse.h — a binary fuse filter (Graf and Lemire, "Binary Fuse Filters:
 * Fast and Smaller Than Xor Filters", 2022), written for mamori: a static
 * set of 64-bit hashes answering "maybe in the set" with 12-bit
 * fingerprints (false positives about 1 in 4096) in about 1.7 bytes per
 * entry, three memory reads per query.
 *
 * A filter either owns its arrays (built by mr_fuse_build, freed by
 * mr_fuse_free) or borrows them (mr_fuse_view over the compiled-in data,
 * where free is a no-op). Fingerprints are split into an 8-bit array and
 * a packed 4-bit array so the 12 bits cost 1.5 bytes per slot.
 */
#ifndef MR_PW_FUSE_H
#define MR_PW_FUSE_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

#define MR_FUSE_KEYS_MAX (1u << 30)  /* entries per filter at most */

typedef struct mr_fuse {
    uint64_t seed;
    uint32_t segment_length;       /* a power of two */
    uint32_t segment_length_mask;
    uint32_t segment_count_length;
    uint32_t array_length;
    const uint8_t *fp8;            /* array_length bytes */
    const uint8_t *fp4;            /* (array_length + 1) / 2 bytes */
    size_t entries;
    int owned;                     /* fp8/fp4 malloc'd by us */
} mr_fuse;

/* Builds a filter over hashes[0..n) (duplicates allowed; the array is
 * sorted in place). MAMORI_E_NOMEM, or MAMORI_E_INTERNAL if no seed
 * peels (practically never). */
mamori_err mr_fuse_build(mr_fuse *f, uint64_t *hashes, size_t n);
void mr_fuse_free(mr_fuse *f);
/* 1 if the hash may be in the set, 0 if it is certainly not. An empty
 * filter (array_length 0) contains nothing. */
int mr_fuse_contains(const mr_fuse *f, uint64_t hash);
/* Bytes of the fingerprint arrays. */
size_t mr_fuse_bytes(const mr_fuse *f);

#endif
