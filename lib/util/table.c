/*
 * table.c — see table.h. Open addressing with linear probing at most 3/4
 * full; deletion (eviction) shifts the following run back, so there are
 * no tombstones and probes stay short.
 */
#include "common.h"

#include <sys/random.h>
#include <time.h>

#include "util/table.h"

#define MR_TABLE_DRAWS_MAX 32

typedef struct slot {
    uint64_t hash;      /* 0 = empty (real hashes are forced non-zero) */
    char *key;
    size_t klen;
    unsigned char *value;
} slot;

struct mr_table {
    slot *slots;
    size_t mask;        /* slots - 1 (a power of two) */
    size_t count, max;
    size_t value_size;
    uint64_t seed, evictions, rng;
    uint64_t (*weight)(const void *value);
};

static inline uint64_t mix(uint64_t h)
{
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

uint64_t mr_hash64(const void *data, size_t n, uint64_t seed)
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
    memcpy(&w, p, n);
    return mix(h ^ w ^ ((uint64_t)n << 56));
}

mr_table *mr_table_new(size_t max_entries, size_t value_size,
                       uint64_t (*weight)(const void *value))
{
    if (max_entries == 0 || max_entries > (SIZE_MAX >> 4))
        return NULL;
    mr_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    size_t n = 16;
    while (n < max_entries + max_entries / 3 + 1)
        n <<= 1;
    t->slots = calloc(n, sizeof(slot));
    if (!t->slots) {
        free(t);
        return NULL;
    }
    t->mask = n - 1;
    t->max = max_entries;
    t->value_size = value_size;
    t->weight = weight;
    if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) != sizeof(t->seed))
        t->seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)t;
    t->rng = t->seed | 1;
    return t;
}

void mr_table_free(mr_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i <= t->mask; i++)
        if (t->slots[i].hash)
            free(t->slots[i].key);
    free(t->slots);
    free(t);
}

static uint64_t key_hash(const mr_table *t, const void *key, size_t klen)
{
    uint64_t h = mr_hash64(key, klen, t->seed);
    return h ? h : 1;
}

static size_t probe(const mr_table *t, uint64_t h, const void *key,
                    size_t klen, int *found)
{
    size_t i = (size_t)h & t->mask;
    for (;;) {
        const slot *s = &t->slots[i];
        if (!s->hash) {
            *found = 0;
            return i;
        }
        if (s->hash == h && s->klen == klen && memcmp(s->key, key, klen) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & t->mask;
    }
}

void *mr_table_find(const mr_table *t, const void *key, size_t klen)
{
    int found;
    klen = MR_MIN(klen, (size_t)MR_TABLE_KEY_MAX);
    size_t i = probe(t, key_hash(t, key, klen), key, klen, &found);
    return found ? t->slots[i].value : NULL;
}

/* Removes slot i and shifts the rest of its probe run back. */
static void remove_at(mr_table *t, size_t i)
{
    free(t->slots[i].key);
    t->slots[i].hash = 0;
    t->count--;
    size_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        slot *s = &t->slots[j];
        if (!s->hash)
            return;
        size_t home = (size_t)s->hash & t->mask;
        /* Can s move to the hole at i? Only if its home is not in (i, j]. */
        int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->slots[i] = *s;
            s->hash = 0;
            i = j;
        }
    }
}

static uint64_t next_rand(mr_table *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

static void evict_one(mr_table *t)
{
    size_t victim = SIZE_MAX;
    uint64_t best = UINT64_MAX;
    for (int k = 0; k < MR_TABLE_EVICT_SAMPLE; k++) {
        /* Draw slots until one is occupied: every entry equally likely.
         * (Walking on from an empty slot would favour the entries after
         * gaps, and eviction widens the gaps before the survivors, so a
         * heavy entry ends up sampled again and again.) The table is at
         * least a third full, so a draw rarely misses twice; after
         * MR_TABLE_DRAWS_MAX misses, walk. */
        size_t i = (size_t)next_rand(t) & t->mask;
        for (int d = 0; d < MR_TABLE_DRAWS_MAX && !t->slots[i].hash; d++)
            i = (size_t)next_rand(t) & t->mask;
        while (!t->slots[i].hash)
            i = (i + 1) & t->mask;
        uint64_t w = t->weight ? t->weight(t->slots[i].value) : 0;
        if (w < best) {
            best = w;
            victim = i;
        }
    }
    remove_at(t, victim);
    t->evictions++;
}

void *mr_table_upsert(mr_table *t, const void *key, size_t klen, int *created)
{
    int found;
    klen = MR_MIN(klen, (size_t)MR_TABLE_KEY_MAX);
    uint64_t h = key_hash(t, key, klen);
    size_t i = probe(t, h, key, klen, &found);
    if (created)
        *created = !found;
    if (found)
        return t->slots[i].value;
    if (t->count >= t->max) {
        evict_one(t);
        i = probe(t, h, key, klen, &found);
    }
    /* Key, NUL and the value in one allocation, value aligned to 16. */
    size_t koff = (klen + 1 + 15) & ~(size_t)15;
    char *mem = calloc(1, koff + t->value_size);
    if (!mem)
        return NULL;
    memcpy(mem, key, klen);
    slot *s = &t->slots[i];
    s->hash = h;
    s->key = mem;
    s->klen = klen;
    s->value = (unsigned char *)mem + koff;
    t->count++;
    return s->value;
}

void mr_table_clear(mr_table *t)
{
    if (t->count == 0)
        return;
    for (size_t i = 0; i <= t->mask; i++)
        if (t->slots[i].hash) {
            free(t->slots[i].key);
            t->slots[i].hash = 0;
        }
    t->count = 0;
}

size_t mr_table_count(const mr_table *t) { return t->count; }
int mr_table_full(const mr_table *t) { return t->count >= t->max; }
uint64_t mr_table_evictions(const mr_table *t) { return t->evictions; }
size_t mr_table_slots(const mr_table *t) { return t->mask + 1; }

void *mr_table_slot(const mr_table *t, size_t i, const char **key,
                    size_t *klen)
{
    const slot *s = &t->slots[i];
    if (!s->hash)
        return NULL;
    if (key)
        *key = s->key;
    if (klen)
        *klen = s->klen;
    return s->value;
}
