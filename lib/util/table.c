/*
 * table.c — see table.h. The entries sit in a dense array in the order
 * they came (an eviction moves the last one into the hole); an index of
 * open-addressed slots, at most 3/4 full and probed linearly, maps the
 * keyed hash of a key to its entry. Deletion shifts the rest of a probe
 * run back, so there are no tombstones and probes stay short.
 *
 * The hash is SipHash under a per-table random key (util/hash.h), so
 * the slots' order changes from run to run. Nothing the caller sees
 * depends on it: iteration walks the dense array, and eviction samples
 * entries by position in that array with a fixed-seed generator, so the
 * same input evicts the same entries every time.
 */
#include "common.h"

#include "util/grow.h"
#include "util/hash.h"
#include "util/table.h"

#define MR_TABLE_RNG_SEED 0x9e3779b97f4a7c15ULL /* of the eviction samples */

typedef struct entry {
    uint64_t hash;
    char *key;          /* one allocation: key, NUL, value */
    size_t klen;
    unsigned char *value;
} entry;

typedef struct slot {
    uint64_t hash;      /* 0 = empty (real hashes are forced non-zero) */
    size_t ent;         /* index into ents */
} slot;

struct mr_table {
    slot *slots;
    size_t mask;        /* slots - 1 (a power of two) */
    entry *ents;
    size_t count, cap, max;
    size_t value_size;
    mr_hash_key key;
    uint64_t evictions, rng;
    uint64_t (*weight)(const void *value);
};

mr_table *mr_table_new(size_t max_entries, size_t value_size,
                       uint64_t (*weight)(const void *value))
{
    if (max_entries == 0 || max_entries > (SIZE_MAX >> 5))
        return NULL;
    mr_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    size_t n = 16;
    while (n < max_entries + max_entries / 3 + 1)
        n <<= 1;
    /* No random key, no table: a guessable key is what it guards against. */
    if (mr_hash_key_random(&t->key) != MAMORI_OK ||
        !(t->slots = calloc(n, sizeof(slot)))) {
        free(t);
        return NULL;
    }
    t->mask = n - 1;
    t->max = max_entries;
    t->value_size = value_size;
    t->weight = weight;
    t->rng = MR_TABLE_RNG_SEED;
    return t;
}

void mr_table_free(mr_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->count; i++)
        free(t->ents[i].key);
    free(t->ents);
    free(t->slots);
    free(t);
}

static uint64_t key_hash(const mr_table *t, const void *key, size_t klen)
{
    uint64_t h = mr_hash(&t->key, key, klen);
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
        if (s->hash == h) {
            const entry *e = &t->ents[s->ent];
            if (e->klen == klen && memcmp(e->key, key, klen) == 0) {
                *found = 1;
                return i;
            }
        }
        i = (i + 1) & t->mask;
    }
}

void *mr_table_find(const mr_table *t, const void *key, size_t klen)
{
    int found;
    klen = MR_MIN(klen, (size_t)MR_TABLE_KEY_MAX);
    size_t i = probe(t, key_hash(t, key, klen), key, klen, &found);
    return found ? t->ents[t->slots[i].ent].value : NULL;
}

/* The slot naming entry e. */
static size_t slot_of(const mr_table *t, size_t e)
{
    size_t i = (size_t)t->ents[e].hash & t->mask;
    while (!(t->slots[i].hash && t->slots[i].ent == e))
        i = (i + 1) & t->mask;
    return i;
}

/* Empties slot i and shifts the rest of its probe run back. */
static void unlink_slot(mr_table *t, size_t i)
{
    t->slots[i].hash = 0;
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
    size_t victim = 0;
    uint64_t best = UINT64_MAX;
    /* Every entry equally likely in each draw; the lightest drawn goes
     * (first drawn on a tie), as Redis's approximate LFU. */
    for (int k = 0; k < MR_TABLE_EVICT_SAMPLE; k++) {
        size_t i = (size_t)(next_rand(t) % t->count);
        uint64_t w = t->weight ? t->weight(t->ents[i].value) : 0;
        if (w < best) {
            best = w;
            victim = i;
        }
    }
    unlink_slot(t, slot_of(t, victim));
    free(t->ents[victim].key);
    size_t last = t->count - 1;
    if (victim != last) {
        t->slots[slot_of(t, last)].ent = victim;
        t->ents[victim] = t->ents[last];
    }
    t->count--;
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
        return t->ents[t->slots[i].ent].value;
    if (t->count >= t->max) {
        evict_one(t);
        i = probe(t, h, key, klen, &found);
    }
    if (MR_GROW_MAX(&t->ents, &t->cap, t->count + 1, 16, t->max))
        return NULL;
    /* Key, NUL and the value in one allocation, value aligned to 16. */
    size_t koff = (klen + 1 + 15) & ~(size_t)15;
    char *mem = calloc(1, koff + t->value_size);
    if (!mem)
        return NULL;
    memcpy(mem, key, klen);
    entry *e = &t->ents[t->count];
    e->hash = h;
    e->key = mem;
    e->klen = klen;
    e->value = (unsigned char *)mem + koff;
    t->slots[i] = (slot){h, t->count};
    t->count++;
    return e->value;
}

void mr_table_clear(mr_table *t)
{
    if (t->count == 0)
        return;
    for (size_t i = 0; i < t->count; i++)
        free(t->ents[i].key);
    memset(t->slots, 0, (t->mask + 1) * sizeof(slot));
    t->count = 0;
    t->rng = MR_TABLE_RNG_SEED; /* as new: its evictions do not depend on its past */
}

size_t mr_table_count(const mr_table *t) { return t->count; }
int mr_table_full(const mr_table *t) { return t->count >= t->max; }
uint64_t mr_table_evictions(const mr_table *t) { return t->evictions; }
size_t mr_table_slots(const mr_table *t) { return t->count; }

void *mr_table_slot(const mr_table *t, size_t i, const char **key,
                    size_t *klen)
{
    if (i >= t->count)
        return NULL;
    const entry *e = &t->ents[i];
    if (key)
        *key = e->key;
    if (klen)
        *klen = e->klen;
    return e->value;
}
