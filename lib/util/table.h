/*
 * table.h — a bounded hash table from byte-string keys to fixed-size
 * values, for state built from untrusted input (clients, paths).
 *
 * It never holds more than `max_entries` entries, nor (when made with
 * mr_table_new_bytes) more than `max_bytes` of memory, its index and
 * allocator overhead included: inserting into a full table evicts the
 * entry of least weight among MR_TABLE_EVICT_SAMPLE sampled ones
 * (approximate LFU, as Redis does), as many as the new entry needs, and
 * counts the evictions so the caller can say so. Long keys cost more
 * than short ones, so a byte bound holds whatever keys come. Keys longer than MR_TABLE_KEY_MAX are cut
 * there. The hash is SipHash under a per-table random key (hash.h), so
 * an attacker cannot precompute colliding keys.
 *
 * Determinism: iteration and eviction never depend on the hash. Entries
 * are iterated in the order they were inserted (an eviction moves the
 * last entry into the evicted one's place), and eviction samples are
 * drawn from a fixed-seed generator, so one input always gives the same
 * table, the same evictions and the same report.
 *
 * Ownership: the table owns copies of the keys and the value storage;
 * value pointers stay valid until the next insertion or mr_table_free.
 */
#ifndef MR_TABLE_H
#define MR_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define MR_TABLE_KEY_MAX 512
#define MR_TABLE_EVICT_SAMPLE 8

typedef struct mr_table mr_table;

/* weight(value) ranks entries for eviction (lower goes first); NULL means
 * every entry weighs the same. Values start zeroed. NULL when memory or
 * the random key (random.h) cannot be had. */
mr_table *mr_table_new(size_t max_entries, size_t value_size,
                       uint64_t (*weight)(const void *value));
/* The same, also bounded to max_bytes (the index, the entry array and
 * every key and value with the allocator's overhead, as mr_table_bytes
 * counts them); the entry bound is what max_bytes holds of the shortest
 * keys, at most max_entries. NULL also when max_bytes cannot hold even
 * the index of a few entries. */
mr_table *mr_table_new_bytes(size_t max_entries, size_t max_bytes,
                             size_t value_size,
                             uint64_t (*weight)(const void *value));
/* A table filled, read and cleared as a whole (a log chunk's delta):
 * bounded at max_entries like mr_table_new, but a new key in a full
 * table is refused (upsert returns NULL) instead of evicting, and the
 * keys and values come from one arena, freed together by
 * mr_table_clear or mr_table_free, not one allocation each. */
mr_table *mr_table_new_no_evict(size_t max_entries, size_t value_size);
void mr_table_free(mr_table *t);

/* The value for key; NULL when absent (lookup only). */
void *mr_table_find(const mr_table *t, const void *key, size_t klen);
/* The value for key, inserted (zeroed) when absent; *created says which.
 * NULL only when memory runs out. */
void *mr_table_upsert(mr_table *t, const void *key, size_t klen, int *created);

/* Every entry of src upserted into dst in src's order (as
 * mr_table_upsert(dst, key, klen, NULL) one by one would, evictions
 * included), then add(dst's value, src's value); an entry for which
 * memory runs out is left out. Faster than the loop on a large dst: the
 * places of the next keys are fetched ahead, and where the two tables
 * share a key (mr_table_share_key) no key is hashed again. src and dst
 * must differ. */
void mr_table_merge(mr_table *dst, const mr_table *src,
                    void (*add)(void *dst_value, const void *src_value));

/* t hashes with from's key from now on (a chunk's delta and the table
 * it is merged into: see mr_table_merge). Only while t is empty: -1
 * otherwise, and nothing changes. The key stays secret either way. */
int mr_table_share_key(mr_table *t, const mr_table *from);

/* Removes every entry (keys freed, slots kept) for reuse; the table then
 * behaves as a new one. */
void mr_table_clear(mr_table *t);

size_t mr_table_count(const mr_table *t);
/* Is the table at its bound (the next new key evicts)? */
int mr_table_full(const mr_table *t);
uint64_t mr_table_evictions(const mr_table *t);
/* Memory the table holds now, as counted against max_bytes. */
size_t mr_table_bytes(const mr_table *t);

/* Iteration, in insertion order (see above); nothing may be inserted
 * into t meanwhile: for (i = 0; i < mr_table_slots(t); i++)
 *     if ((v = mr_table_slot(t, i, &key, &klen))) ... */
size_t mr_table_slots(const mr_table *t);
void *mr_table_slot(const mr_table *t, size_t i, const char **key,
                    size_t *klen);

#endif
