/*
 * atable.c — see atable.h. The index holds 64-bit slots: the low 32 bits
 * of the key's hash (its home is those bits & mask, so the index never
 * needs the entry to relocate a slot) and the entry number + 1 (0 =
 * empty). Deletion shifts the rest of the probe run back: no tombstones.
 *
 * Memory: the entries live in one anonymous mapping reserved for the
 * whole budget (pages are only backed once touched, so a small log stays
 * small) and the index in a mapping of its own. Every lookup of a big
 * table lands on a random page, so past MR_ATAB_HUGE_FROM bytes both ask
 * for transparent huge pages: with 4 KB pages nearly every lookup also
 * missed the TLB, and the page walk cost more than the cache miss.
 */
#include "common.h"

#include <sys/mman.h>

#include "auth/atable.h"

#define MR_ATAB_INDEX_MIN 64         /* slots of a new index */
#define MR_ATAB_SLOTS_MAX ((size_t)1 << 31)
#define MR_ATAB_HUGE ((size_t)2 << 20)      /* a transparent huge page */
#define MR_ATAB_PREFETCH_RUN 8      /* index slots a prefetch follows */
#define MR_ATAB_HUGE_FROM ((size_t)4 << 20) /* bytes before huge pages */
/* Eviction samples are entry numbers (insertion order, never the hash)
 * from a generator with a fixed seed: the same log evicts the same
 * entries on every run, whatever the table key. */
#define MR_ATAB_RNG_SEED 0x9e3779b97f4a7c15ULL

struct mr_atab {
    uint64_t *index;
    size_t mask;                     /* index slots - 1 */
    size_t slots_max;                /* index size at the budget */
    unsigned char *ents;             /* max entries, reserved */
    size_t ents_bytes;               /* reserved for them */
    size_t high;                     /* entries ever used (touched) */
    size_t count, max;
    size_t esize, voff, loff, koff, key_cap;
    uint64_t evictions, rng;
    size_t sample[MR_ATAB_EVICT_SAMPLE]; /* of the next eviction */
    int sampled;
    uint64_t (*weight)(const void *value);
};

static size_t round8(size_t n) { return (n + 7) & ~(size_t)7; }

static unsigned char *entry(const mr_atab *t, size_t i)
{
    return t->ents + i * t->esize;
}

static size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

/* Zeroed memory of `bytes` from the kernel, 2 MB-aligned when big, huge
 * pages asked for beyond the first MR_ATAB_HUGE_FROM bytes. NULL when out
 * of memory. Free with region_free(p, bytes). */
static void *region_alloc(size_t bytes)
{
    size_t len = round_up(bytes, 4096);
    if (len < MR_ATAB_HUGE_FROM + MR_ATAB_HUGE) {
        void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        return p == MAP_FAILED ? NULL : p;
    }
    size_t over = len + MR_ATAB_HUGE;
    unsigned char *raw = mmap(NULL, over, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    unsigned char *p = (unsigned char *)round_up((size_t)(uintptr_t)raw, MR_ATAB_HUGE);
    size_t head = (size_t)(p - raw), tail = over - head - len;
    if (head)
        munmap(raw, head);
    if (tail)
        munmap(p + len, tail);
    (void)madvise(p + MR_ATAB_HUGE_FROM, len - MR_ATAB_HUGE_FROM, MADV_HUGEPAGE);
    return p;
}

static void region_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, round_up(bytes, 4096));
}

static uint64_t entry_hash(const unsigned char *e)
{
    uint64_t h;
    memcpy(&h, e, sizeof(h));
    return h;
}

static size_t entry_klen(const mr_atab *t, const unsigned char *e)
{
    uint16_t n;
    memcpy(&n, e + t->loff, sizeof(n));
    return n;
}

/* Entries that fit in `bytes` with an index of `slots` (at least a
 * block's worth, or none). */
static size_t fit(size_t bytes, size_t slots, size_t esize)
{
    size_t ib = slots * sizeof(uint64_t);
    if (ib >= bytes)
        return 0;
    size_t n = MR_MIN((bytes - ib) / esize, slots / 4 * 3);
    return n >= MR_ATAB_BLOCK ? n : 0;
}

mr_atab *mr_atab_new(size_t value_size, size_t key_cap, size_t max_bytes,
                     uint64_t (*weight)(const void *value))
{
    if (key_cap == 0 || key_cap > MR_ATAB_KEY_CAP_MAX)
        return NULL;
    mr_atab *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    /* hash, key length and key first: a lookup reads one cache line */
    t->loff = sizeof(uint64_t);
    t->koff = t->loff + sizeof(uint16_t);
    t->voff = round8(t->koff + key_cap);
    t->esize = t->voff + round8(value_size);
    t->key_cap = key_cap;
    t->weight = weight;
    /* The index size that lets the most entries fit. */
    size_t best = 0, best_slots = 0;
    for (size_t s = MR_ATAB_INDEX_MIN; s <= MR_ATAB_SLOTS_MAX; s <<= 1) {
        size_t n = fit(max_bytes, s, t->esize);
        if (n > best) {
            best = n;
            best_slots = s;
        }
        if (s * sizeof(uint64_t) > max_bytes)
            break;
    }
    t->max = MR_MIN(best, MR_ATAB_ENTRIES_MAX);
    t->slots_max = best_slots;
    t->ents_bytes = t->max * t->esize;
    size_t slots = MR_MIN((size_t)MR_ATAB_INDEX_MIN, best_slots);
    if (t->max == 0 || !(t->ents = region_alloc(t->ents_bytes)) ||
        !(t->index = region_alloc(slots * sizeof(uint64_t)))) {
        mr_atab_free(t);
        return NULL;
    }
    t->mask = slots - 1;
    t->rng = MR_ATAB_RNG_SEED;
    return t;
}

void mr_atab_free(mr_atab *t)
{
    if (!t)
        return;
    region_free(t->ents, t->ents_bytes);
    region_free(t->index, (t->mask + 1) * sizeof(uint64_t));
    free(t);
}

static uint64_t make_slot(uint64_t h, size_t i)
{
    return (h & 0xffffffffu) | ((uint64_t)(i + 1) << 32);
}

static size_t slot_entry(uint64_t s) { return (size_t)(s >> 32) - 1; }

static int same_key(const mr_atab *t, const unsigned char *e, uint64_t h,
                    const void *key, size_t klen)
{
    size_t full = MR_MIN(klen, (size_t)UINT16_MAX);
    if (entry_hash(e) != h || entry_klen(t, e) != full)
        return 0;
    const unsigned char *a = e + t->koff, *b = key;
    size_t n = MR_MIN(full, t->key_cap);
    while (n >= 8) { /* keys are short: no call into memcmp */
        uint64_t x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return 0;
        a += 8;
        b += 8;
        n -= 8;
    }
    while (n--)
        if (*a++ != *b++)
            return 0;
    return 1;
}

/* The index position of key, or of the empty slot where it would go. */
static size_t probe(const mr_atab *t, uint64_t h, const void *key,
                    size_t klen, int *found)
{
    size_t i = (size_t)h & t->mask;
    uint32_t frag = (uint32_t)h;
    for (;;) {
        uint64_t s = t->index[i];
        if (!s) {
            *found = 0;
            return i;
        }
        if ((uint32_t)s == frag) {
            const unsigned char *e = entry(t, slot_entry(s));
            if (key ? same_key(t, e, h, key, klen) : entry_hash(e) == h) {
                *found = 1;
                return i;
            }
        }
        i = (i + 1) & t->mask;
    }
}

void *mr_atab_find(const mr_atab *t, uint64_t h, const void *key, size_t klen)
{
    int found;
    size_t i = probe(t, h, key ? key : "", key ? klen : 0, &found);
    return found ? entry(t, slot_entry(t->index[i])) + t->voff : NULL;
}

void *mr_atab_find_hash(const mr_atab *t, uint64_t h, const char **key,
                        size_t *klen)
{
    int found;
    size_t i = probe(t, h, NULL, 0, &found);
    if (!found)
        return NULL;
    unsigned char *e = entry(t, slot_entry(t->index[i]));
    if (key)
        *key = (const char *)e + t->koff;
    if (klen)
        *klen = MR_MIN(entry_klen(t, e), t->key_cap);
    return e + t->voff;
}

void mr_atab_prefetch_slot(const mr_atab *t, uint64_t h)
{
    __builtin_prefetch(&t->index[(size_t)h & t->mask]);
}

void mr_atab_prefetch_entry(const mr_atab *t, uint64_t h)
{
    /* The key may sit a few slots past its home (linear probing at up to
     * 3/4 full): follow the run a little way, as probe() will. */
    size_t i = (size_t)h & t->mask;
    for (int k = 0; k < MR_ATAB_PREFETCH_RUN; k++, i = (i + 1) & t->mask) {
        uint64_t s = t->index[i];
        if (!s)
            return;
        if ((uint32_t)s != (uint32_t)h)
            continue;
        const unsigned char *e = entry(t, slot_entry(s));
        uintptr_t line = (uintptr_t)e & ~(uintptr_t)63, end = (uintptr_t)e + t->esize;
        for (; line < end; line += 64)
            __builtin_prefetch((const void *)line, 1);
        return;
    }
}

static void place(uint64_t *index, size_t mask, uint64_t slot)
{
    size_t i = (size_t)(uint32_t)slot & mask;
    while (index[i])
        i = (i + 1) & mask;
    index[i] = slot;
}

static int grow_index(mr_atab *t)
{
    size_t slots = (t->mask + 1) * 2;
    uint64_t *idx = region_alloc(slots * sizeof(uint64_t));
    if (!idx)
        return -1;
    for (size_t i = 0; i <= t->mask; i++)
        if (t->index[i])
            place(idx, slots - 1, t->index[i]);
    region_free(t->index, (t->mask + 1) * sizeof(uint64_t));
    t->index = idx;
    t->mask = slots - 1;
    return 0;
}

/* Removes index slot i and shifts the rest of its probe run back. */
static void unlink_slot(mr_atab *t, size_t i)
{
    t->index[i] = 0;
    size_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        uint64_t s = t->index[j];
        if (!s)
            return;
        size_t home = (size_t)(uint32_t)s & t->mask;
        int between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!between) {
            t->index[i] = s;
            t->index[j] = 0;
            i = j;
        }
    }
}

/* The index position naming entry e. */
static size_t slot_of(const mr_atab *t, size_t e)
{
    size_t i = (size_t)entry_hash(entry(t, e)) & t->mask;
    while (slot_entry(t->index[i]) != e)
        i = (i + 1) & t->mask;
    return i;
}

static uint64_t next_rand(mr_atab *t)
{
    t->rng ^= t->rng << 13;
    t->rng ^= t->rng >> 7;
    t->rng ^= t->rng << 17;
    return t->rng;
}

/* Draws the sample of the next eviction now and asks for its values to
 * be in cache by then: a full table evicts every few events, and
 * weighing six cold entries was most of an eviction's cost. */
static void draw_sample(mr_atab *t)
{
    for (int k = 0; k < MR_ATAB_EVICT_SAMPLE; k++) {
        size_t i = (size_t)(next_rand(t) % t->count);
        t->sample[k] = i;
        if (t->weight) {
            const unsigned char *v = entry(t, i) + t->voff;
            __builtin_prefetch(v);
            __builtin_prefetch(v + t->esize - t->voff - 1);
        }
    }
    t->sampled = 1;
}

static void evict_one(mr_atab *t)
{
    size_t victim = 0;
    uint64_t best = UINT64_MAX;
    if (!t->sampled)
        draw_sample(t);
    for (int k = 0; k < MR_ATAB_EVICT_SAMPLE; k++) {
        size_t i = t->sample[k] < t->count ? t->sample[k] : t->sample[k] % t->count;
        uint64_t w = t->weight ? t->weight(entry(t, i) + t->voff) : 0;
        if (w < best) {
            best = w;
            victim = i;
        }
    }
    unlink_slot(t, slot_of(t, victim));
    size_t last = t->count - 1;
    if (victim != last) {
        size_t s = slot_of(t, last);
        memcpy(entry(t, victim), entry(t, last), t->esize);
        t->index[s] = make_slot(entry_hash(entry(t, victim)), victim);
    }
    t->count--;
    t->evictions++;
    if (t->count)
        draw_sample(t);
    else
        t->sampled = 0;
}

void *mr_atab_upsert(mr_atab *t, uint64_t h, const void *key, size_t klen,
                     int *created)
{
    int found;
    if (!key)
        key = "";
    size_t i = probe(t, h, key, klen, &found);
    if (created)
        *created = !found;
    if (found)
        return entry(t, slot_entry(t->index[i])) + t->voff;
    if (t->count >= t->max) {
        evict_one(t);
    } else if (t->count + 1 > (t->mask + 1) / 4 * 3 && t->mask + 1 < t->slots_max) {
        if (grow_index(t))
            return NULL;
    }
    size_t n = t->count;
    t->high = MR_MAX(t->high, n + 1);
    i = probe(t, h, key, klen, &found);
    unsigned char *e = entry(t, n);
    size_t full = MR_MIN(klen, (size_t)UINT16_MAX);
    uint16_t l16 = (uint16_t)full;
    memset(e, 0, t->esize);
    memcpy(e, &h, sizeof(h));
    memcpy(e + t->loff, &l16, sizeof(l16));
    if (full)
        memcpy(e + t->koff, key, MR_MIN(full, t->key_cap));
    t->index[i] = make_slot(h, n);
    t->count++;
    return e + t->voff;
}

size_t mr_atab_count(const mr_atab *t) { return t->count; }
uint64_t mr_atab_evictions(const mr_atab *t) { return t->evictions; }
size_t mr_atab_max(const mr_atab *t) { return t->max; }

size_t mr_atab_bytes(const mr_atab *t)
{
    return (t->mask + 1) * sizeof(uint64_t) + round_up(t->high * t->esize, 4096);
}

void *mr_atab_at(const mr_atab *t, size_t i, const char **key, size_t *klen,
                 uint64_t *hash)
{
    if (i >= t->count)
        return NULL;
    unsigned char *e = entry(t, i);
    if (key)
        *key = (const char *)e + t->koff;
    if (klen)
        *klen = MR_MIN(entry_klen(t, e), t->key_cap);
    if (hash)
        *hash = entry_hash(e);
    return e + t->voff;
}
