/*
 * atable.h — the campaign engine's state tables: keyed by a 64-bit hash
 * the caller computes once per event (mr_auth_engine_key), bounded by a
 * byte budget, and growing as entries arrive instead of claiming the
 * whole budget up front (a small machine's audit stays small).
 *
 * Layout: an index of (hash low bits, entry number) pairs, open addressing
 * with linear probing at most 3/4 full, and the entries themselves dense
 * in one mapping reserved for the budget (backed as it is touched), each
 * entry = hash, key length, key bytes, value. Dense entries make eviction sampling exact (no empty
 * slots to walk) and iteration cheap. Keys longer than the table's key cap
 * are kept cut at the cap; they stay distinct by their full hash and
 * length, and read back cut.
 *
 * Once the budget is reached, a new key evicts the entry of least weight
 * among MR_ATAB_EVICT_SAMPLE sampled ones (approximate LFU) and counts it.
 * The caller's hash is keyed and random (util/hash.h), but neither the
 * samples (entry numbers from a fixed-seed generator) nor iteration
 * (entry order) depend on it: one input always gives the same tables.
 *
 * Ownership: the table owns its keys and values. A value pointer stays
 * valid until the next upsert into the same table (eviction moves the
 * last entry into the victim's place) or mr_atab_free.
 */
#ifndef MR_AUTH_ATABLE_H
#define MR_AUTH_ATABLE_H

#include <stddef.h>
#include <stdint.h>

#define MR_ATAB_BLOCK 1024          /* fewest entries a table holds */
#define MR_ATAB_KEY_CAP_MAX 255     /* bytes of a key kept */
#define MR_ATAB_EVICT_SAMPLE 6
#define MR_ATAB_ENTRIES_MAX ((size_t)1 << 30)

typedef struct mr_atab mr_atab;

/* A table of at most max_bytes (index + entries).
 * weight(value) ranks entries for eviction, lower first; NULL = equal.
 * NULL when max_bytes cannot hold a block's worth, or out of memory. */
mr_atab *mr_atab_new(size_t value_size, size_t key_cap, size_t max_bytes,
                     uint64_t (*weight)(const void *value));
void mr_atab_free(mr_atab *t);

/* h is the caller's hash of the full key; it must never be 0. */
void *mr_atab_find(const mr_atab *t, uint64_t h, const void *key, size_t klen);
/* The first entry whose full hash is h, whatever its key; key and klen
 * (cut at the cap) are optional outputs. */
void *mr_atab_find_hash(const mr_atab *t, uint64_t h, const char **key,
                        size_t *klen);
/* Inserts a zeroed value when absent (*created = 1). NULL only when out
 * of memory. */
void *mr_atab_upsert(mr_atab *t, uint64_t h, const void *key, size_t klen,
                     int *created);
/* Cache hints for a batch of events: first the index slot of h, a few
 * events later the entry that slot names. */
void mr_atab_prefetch_slot(const mr_atab *t, uint64_t h);
void mr_atab_prefetch_entry(const mr_atab *t, uint64_t h);

size_t mr_atab_count(const mr_atab *t);
uint64_t mr_atab_evictions(const mr_atab *t);
size_t mr_atab_max(const mr_atab *t);        /* entries at the budget */
size_t mr_atab_bytes(const mr_atab *t);      /* allocated now */
/* Entry i (0 <= i < count); key and klen (cut at the cap) and hash are
 * optional outputs. Any upsert may reorder entries. */
void *mr_atab_at(const mr_atab *t, size_t i, const char **key, size_t *klen,
                 uint64_t *hash);

#endif
