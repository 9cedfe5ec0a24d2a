/*
 * table.c — see table.h. The entries sit in a dense array in the order
 * they came (an eviction moves the last one into the hole); an index of
 * open-addressed slots, at most 3/4 full and probed linearly, maps the
 * keyed hash of a key to its entry. Deletion shifts the rest of a probe
 * run back, so there are no tombstones and probes stay short.
 *
 * The index is small and grows with the table: a slot is 8 bytes (a tag
 * of the hash's high half and the entry's number), and the index doubles
 * when it is 3/4 full, up to the size the entry bound needs. So a table
 * bounded at 65,536 entries that holds ten thousand has an index that
 * stays in the cache, where a full-size one of 16-byte slots would miss
 * it on every probe. What the table counts against its byte bound is not
 * what it holds now but a fixed model (the index at its full size, 16
 * bytes a slot, 32 bytes an entry; MR_TABLE_*_COST): an upper bound of
 * what it holds, and the same figure whatever the layout, so that the
 * evictions, and the reports built on them, never depend on it.
 *
 * The hash is SipHash under a per-table random key (util/hash.h), so
 * the slots' order changes from run to run. Nothing the caller sees
 * depends on it: iteration walks the dense array, and eviction samples
 * entries by position in that array with a fixed-seed generator, so the
 * same input evicts the same entries every time.
 *
 * A no-evict table (a log chunk's per-path delta, refilled for every
 * chunk) takes its entries from one arena instead of one calloc each
 * and frees them at once when cleared: thousands of allocations and
 * frees a chunk were ~1% of a log scan.
 */
#include "common.h"

#include "util/arena.h"
#include "util/grow.h"
#include "util/hash.h"
#include "util/table.h"

#define MR_TABLE_RNG_SEED 0x9e3779b97f4a7c15ULL /* of the eviction samples */
#define MR_TABLE_ALLOC_OVERHEAD 16  /* malloc's header and rounding, per entry */
#define MR_TABLE_MIN_ENTRIES 16     /* a byte-bounded table holds at least these */
#define MR_TABLE_SLOT_COST 16       /* bytes counted per slot of the full index */
#define MR_TABLE_ENTRY_COST 32      /* bytes counted per place in the entry array */
#define MR_TABLE_INDEX_FIRST 16     /* slots of a new table's index */
/* Entry numbers fit the slots' 32 bits, with room for the growth. */
#define MR_TABLE_ENTRIES_MAX ((size_t)UINT32_MAX / 2)

typedef struct entry {
    uint64_t hash;
    char *key;          /* one allocation: key, NUL, value */
    size_t klen;
    unsigned char *value;
} entry;

typedef struct slot {
    uint32_t tag;       /* 0 = empty; else slot_tag() of the entry's hash */
    uint32_t ent;       /* index into ents */
} slot;

struct mr_table {
    slot *slots;
    size_t mask;        /* slots - 1 (a power of two) */
    size_t index_max;   /* slots the index grows to: slots_for(max) */
    entry *ents;
    size_t count, cap, max;
    size_t bytes, max_bytes;  /* as mr_table_bytes counts; 0 = no byte bound */
    size_t value_size;
    mr_hash_key key;
    uint64_t evictions, rng;
    uint64_t (*weight)(const void *value);
    int no_evict;       /* mr_table_new_no_evict: entries in `arena` */
    mr_arena arena;
};

/* What one entry counts: its key, NUL and value in one allocation with
 * the allocator's overhead, and its place in the entry array (twice, for
 * the array's doubling growth). */
static size_t entry_cost(size_t value_size, size_t klen)
{
    return ((klen + 1 + 15) & ~(size_t)15) + value_size +
           MR_TABLE_ALLOC_OVERHEAD + 2 * MR_TABLE_ENTRY_COST;
}

/* The hash's high half, never 0 (the empty slot); its low bits place it. */
static inline uint32_t slot_tag(uint64_t h)
{
    return (uint32_t)(h >> 32) | 1u;
}

/* Index slots for max_entries: a power of two, at most 3/4 full. */
static size_t slots_for(size_t max_entries)
{
    size_t n = 16;
    while (n < max_entries + max_entries / 3 + 1)
        n <<= 1;
    return n;
}

mr_table *mr_table_new_bytes(size_t max_entries, size_t max_bytes,
                             size_t value_size,
                             uint64_t (*weight)(const void *value))
{
    /* As many of the shortest entries as fit beside their index (at most
     * 8/3 slots each); fewer when the index would take half the bytes. */
    size_t m = max_bytes / (entry_cost(value_size, 0) + 3 * MR_TABLE_SLOT_COST);
    m = MR_MIN(m, max_entries);
    while (m > MR_TABLE_MIN_ENTRIES && slots_for(m) * MR_TABLE_SLOT_COST > max_bytes / 2)
        m /= 2;
    if (m < MR_TABLE_MIN_ENTRIES ||
        slots_for(m) * MR_TABLE_SLOT_COST + entry_cost(value_size, MR_TABLE_KEY_MAX) > max_bytes)
        return NULL;
    mr_table *t = mr_table_new(m, value_size, weight);
    if (t)
        t->max_bytes = max_bytes;
    return t;
}

mr_table *mr_table_new(size_t max_entries, size_t value_size,
                       uint64_t (*weight)(const void *value))
{
    if (max_entries == 0 || max_entries > MR_TABLE_ENTRIES_MAX)
        return NULL;
    mr_table *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    size_t n = MR_MIN((size_t)MR_TABLE_INDEX_FIRST, slots_for(max_entries));
    /* No random key, no table: a guessable key is what it guards against. */
    if (mr_hash_key_random(&t->key) != MAMORI_OK ||
        !(t->slots = calloc(n, sizeof(slot)))) {
        free(t);
        return NULL;
    }
    t->mask = n - 1;
    t->index_max = slots_for(max_entries);
    t->bytes = t->index_max * MR_TABLE_SLOT_COST;
    t->max = max_entries;
    t->value_size = value_size;
    t->weight = weight;
    t->rng = MR_TABLE_RNG_SEED;
    return t;
}

mr_table *mr_table_new_no_evict(size_t max_entries, size_t value_size)
{
    mr_table *t = mr_table_new(max_entries, value_size, NULL);
    if (t) {
        t->no_evict = 1;
        mr_arena_init(&t->arena, 0); /* bounded by max_entries */
    }
    return t;
}

/* Every entry's key and value, freed (the table itself kept). */
static void free_entries(mr_table *t)
{
    if (t->no_evict) {
        mr_arena_free(&t->arena);
        return;
    }
    for (size_t i = 0; i < t->count; i++)
        free(t->ents[i].key);
}

void mr_table_free(mr_table *t)
{
    if (!t)
        return;
    free_entries(t);
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
    uint32_t tag = slot_tag(h);
    for (;;) {
        const slot *s = &t->slots[i];
        if (!s->tag) {
            *found = 0;
            return i;
        }
        if (s->tag == tag) {
            const entry *e = &t->ents[s->ent];
            if (e->hash == h && e->klen == klen && memcmp(e->key, key, klen) == 0) {
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
    while (!(t->slots[i].tag && t->slots[i].ent == e))
        i = (i + 1) & t->mask;
    return i;
}

/* Empties slot i and shifts the rest of its probe run back. */
static void unlink_slot(mr_table *t, size_t i)
{
    t->slots[i].tag = 0;
    size_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        slot *s = &t->slots[j];
        if (!s->tag)
            return;
        size_t home = (size_t)t->ents[s->ent].hash & t->mask;
        /* Can s move to the hole at i? Only if its home is not in (i, j]. */
        int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->slots[i] = *s;
            s->tag = 0;
            i = j;
        }
    }
}

/* Doubles the index (up to index_max) when one more entry would fill it
 * past 3/4; every entry is placed again by its hash. -1 on OOM. */
static int grow_index(mr_table *t)
{
    size_t n = t->mask + 1;
    if (n >= t->index_max || (t->count + 1) * 4 <= n * 3)
        return 0;
    slot *grown = calloc(2 * n, sizeof(slot));
    if (!grown)
        return -1;
    size_t mask = 2 * n - 1;
    for (size_t e = 0; e < t->count; e++) {
        size_t i = (size_t)t->ents[e].hash & mask;
        while (grown[i].tag)
            i = (i + 1) & mask;
        grown[i] = (slot){slot_tag(t->ents[e].hash), (uint32_t)e};
    }
    free(t->slots);
    t->slots = grown;
    t->mask = mask;
    return 0;
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
    t->bytes -= entry_cost(t->value_size, t->ents[victim].klen);
    free(t->ents[victim].key);
    size_t last = t->count - 1;
    if (victim != last) {
        t->slots[slot_of(t, last)].ent = (uint32_t)victim;
        t->ents[victim] = t->ents[last];
    }
    t->count--;
    t->evictions++;
}

/* mr_table_upsert given the key's hash h (key_hash) and klen already cut
 * to MR_TABLE_KEY_MAX. */
static void *upsert_hashed(mr_table *t, uint64_t h, const void *key, size_t klen,
                           int *created)
{
    int found;
    size_t i = probe(t, h, key, klen, &found);
    if (created)
        *created = !found;
    if (found)
        return t->ents[t->slots[i].ent].value;
    size_t cost = entry_cost(t->value_size, klen), mask = t->mask;
    uint64_t evicted = t->evictions;
    if (t->no_evict && t->count >= t->max)
        return NULL;
    if (t->count >= t->max ||
        (t->max_bytes && t->bytes + cost > t->max_bytes)) {
        /* A long key may need several short ones' room. */
        do
            evict_one(t);
        while (t->count && t->max_bytes && t->bytes + cost > t->max_bytes);
    }
    if (grow_index(t) || MR_GROW_MAX(&t->ents, &t->cap, t->count + 1, 16, t->max))
        return NULL;
    if (t->evictions != evicted || t->mask != mask)
        i = probe(t, h, key, klen, &found); /* the slots moved */
    /* Key, NUL and the value in one allocation, value aligned to 16. */
    size_t koff = (klen + 1 + 15) & ~(size_t)15;
    char *mem;
    if (t->no_evict) {
        if (!(mem = mr_arena_alloc(&t->arena, koff + t->value_size)))
            return NULL;
        memset(mem, 0, koff + t->value_size);
    } else if (!(mem = calloc(1, koff + t->value_size))) {
        return NULL;
    }
    memcpy(mem, key, klen);
    entry *e = &t->ents[t->count];
    e->hash = h;
    e->key = mem;
    e->klen = klen;
    e->value = (unsigned char *)mem + koff;
    t->slots[i] = (slot){slot_tag(h), (uint32_t)t->count};
    t->count++;
    t->bytes += cost;
    return e->value;
}

void *mr_table_upsert(mr_table *t, const void *key, size_t klen, int *created)
{
    klen = MR_MIN(klen, (size_t)MR_TABLE_KEY_MAX);
    return upsert_hashed(t, key_hash(t, key, klen), key, klen, created);
}

#define MR_TABLE_MERGE_AHEAD 8   /* keys hashed and their slots fetched ahead */

void mr_table_merge(mr_table *dst, const mr_table *src,
                    void (*add)(void *dst_value, const void *src_value))
{
    uint64_t ahead[MR_TABLE_MERGE_AHEAD];
    size_t n = src->count;
    int same_key = dst->key.k0 == src->key.k0 && dst->key.k1 == src->key.k1;
    /* Each key's slot is asked of memory MR_TABLE_MERGE_AHEAD keys
     * before its turn, its entry half as many before and its key (with
     * the value) a quarter as many: a large table's
     * index and entries are out of the cache, and the lookups of a
     * merge do not depend on each other. The order of the upserts is
     * src's, so the evictions are those of upserting one by one. */
    for (size_t i = 0; i < n + MR_TABLE_MERGE_AHEAD; i++) {
        if (i >= MR_TABLE_MERGE_AHEAD) {   /* key k's turn; its ring place is i's */
            size_t k = i - MR_TABLE_MERGE_AHEAD;
            const entry *e = &src->ents[k];
            void *v = upsert_hashed(dst, ahead[k % MR_TABLE_MERGE_AHEAD], e->key, e->klen,
                                    NULL);
            if (v)
                add(v, e->value);
        }
        if (i < n) {
            const entry *e = &src->ents[i];
            uint64_t h = same_key ? e->hash : key_hash(dst, e->key, e->klen);
            ahead[i % MR_TABLE_MERGE_AHEAD] = h;
            __builtin_prefetch(&dst->slots[(size_t)h & dst->mask]);
        }
        size_t half = i - MR_TABLE_MERGE_AHEAD / 2;
        if (i >= MR_TABLE_MERGE_AHEAD / 2 && half < n) {
            uint64_t h = ahead[half % MR_TABLE_MERGE_AHEAD];
            const slot *sl = &dst->slots[(size_t)h & dst->mask];
            if (sl->tag == slot_tag(h) && sl->ent < dst->count)
                __builtin_prefetch(&dst->ents[sl->ent]);
        }
        size_t quarter = i - MR_TABLE_MERGE_AHEAD / 4;
        if (i >= MR_TABLE_MERGE_AHEAD / 4 && quarter < n) {
            uint64_t h = ahead[quarter % MR_TABLE_MERGE_AHEAD];
            const slot *sl = &dst->slots[(size_t)h & dst->mask];
            if (sl->tag == slot_tag(h) && sl->ent < dst->count)
                __builtin_prefetch(dst->ents[sl->ent].key);
        }
    }
}

int mr_table_share_key(mr_table *t, const mr_table *from)
{
    if (t->count != 0)
        return -1;
    t->key = from->key;
    return 0;
}

void mr_table_clear(mr_table *t)
{
    if (t->count == 0)
        return;
    free_entries(t);
    memset(t->slots, 0, (t->mask + 1) * sizeof(slot));
    t->count = 0;
    t->bytes = t->index_max * MR_TABLE_SLOT_COST;
    t->rng = MR_TABLE_RNG_SEED; /* as new: its evictions do not depend on its past */
}

size_t mr_table_count(const mr_table *t) { return t->count; }
int mr_table_full(const mr_table *t) { return t->count >= t->max; }
uint64_t mr_table_evictions(const mr_table *t) { return t->evictions; }
size_t mr_table_bytes(const mr_table *t) { return t->bytes; }
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
