/*
 * fuse.c — builds and queries the 3-wise binary fuse filter of fuse.h.
 *
 * Each key (a 64-bit hash, mixed again with the filter's seed) maps to
 * three slots in three consecutive segments; the filter stores 12-bit
 * values such that the XOR of a key's three slots equals the key's
 * fingerprint. Building "peels" the key/slot hypergraph: a slot with one
 * key fixes that key last, and removing it may free others. If some keys
 * never peel, another seed is tried. Queries read three slots and compare.
 */
#include "common.h"

#include <math.h>

#include "password/fuse.h"
#include "password/pw_hash.h"

#define FUSE_ARITY 3
#define FUSE_SEGMENT_MAX 262144u
#define FUSE_ATTEMPTS 64
#define FUSE_FP_MASK 0xfffu

static uint32_t mulhi32(uint64_t h, uint32_t n)
{
    return (uint32_t)(((__uint128_t)h * n) >> 64);
}

static void positions(const mr_fuse *f, uint64_t h, uint32_t p[FUSE_ARITY])
{
    p[0] = mulhi32(h, f->segment_count_length);
    p[1] = p[0] + f->segment_length;
    p[2] = p[1] + f->segment_length;
    p[1] ^= (uint32_t)(h >> 18) & f->segment_length_mask;
    p[2] ^= (uint32_t)h & f->segment_length_mask;
}

static uint16_t fingerprint(uint64_t h)
{
    return (uint16_t)((h ^ (h >> 32)) & FUSE_FP_MASK);
}

static uint16_t slot_get(const mr_fuse *f, uint32_t i)
{
    unsigned hi = (f->fp4[i >> 1] >> ((i & 1u) * 4)) & 0xfu;
    return (uint16_t)(f->fp8[i] | (hi << 8));
}

/* Sizes from the paper's rules for arity 3. */
static void set_geometry(mr_fuse *f, size_t n)
{
    double size = (double)(n < 4 ? 4 : n);
    uint32_t seg = 1u << (unsigned)floor(log(size) / log(3.33) + 2.25);
    if (seg > FUSE_SEGMENT_MAX)
        seg = FUSE_SEGMENT_MAX;
    double factor = 0.875 + 0.25 * log(1000000.0) / log(size);
    if (factor < 1.125)
        factor = 1.125;
    uint64_t capacity = (uint64_t)llround(size * factor);
    uint64_t segs = (capacity + seg - 1) / seg;
    segs = segs <= FUSE_ARITY - 1 ? 1 : segs - (FUSE_ARITY - 1);
    f->segment_length = seg;
    f->segment_length_mask = seg - 1;
    f->segment_count_length = (uint32_t)(segs * seg);
    f->array_length = (uint32_t)((segs + FUSE_ARITY - 1) * seg);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* One peeling attempt with f->seed; returns the keys peeled, in order,
 * in stack_h/stack_slot. */
static size_t peel(const mr_fuse *f, const uint64_t *keys, size_t n,
                   uint64_t *xh, uint32_t *cnt, uint32_t *queue,
                   uint64_t *stack_h, uint8_t *stack_slot)
{
    uint32_t len = f->array_length, p[FUSE_ARITY];
    size_t q = 0, sp = 0;

    memset(xh, 0, len * sizeof(*xh));
    memset(cnt, 0, len * sizeof(*cnt));
    for (size_t k = 0; k < n; k++) {
        uint64_t h = mr_pw_fmix(keys[k] + f->seed);
        positions(f, h, p);
        for (uint32_t j = 0; j < FUSE_ARITY; j++) {
            xh[p[j]] ^= h;
            cnt[p[j]] = (cnt[p[j]] + 4) ^ j;
        }
    }
    for (uint32_t i = 0; i < len; i++)
        if ((cnt[i] >> 2) == 1)
            queue[q++] = i;
    while (q > 0) {
        uint32_t i = queue[--q];
        if ((cnt[i] >> 2) != 1)
            continue;
        uint64_t h = xh[i];
        uint8_t found = (uint8_t)(cnt[i] & 3u);
        stack_h[sp] = h;
        stack_slot[sp] = found;
        sp++;
        cnt[i] = 0;
        positions(f, h, p);
        for (uint32_t j = 0; j < FUSE_ARITY; j++) {
            if (j == found)
                continue;
            xh[p[j]] ^= h;
            cnt[p[j]] = (cnt[p[j]] - 4) ^ j;
            if ((cnt[p[j]] >> 2) == 1)
                queue[q++] = p[j];
        }
    }
    return sp;
}

mamori_err mr_fuse_build(mr_fuse *f, uint64_t *hashes, size_t n)
{
    mamori_err err = MAMORI_E_NOMEM;
    uint64_t *xh = NULL, *stack_h = NULL;
    uint32_t *cnt = NULL, *queue = NULL;
    uint8_t *stack_slot = NULL, *fp8 = NULL, *fp4 = NULL;
    uint16_t *val = NULL;

    memset(f, 0, sizeof(*f));
    if (n > MR_FUSE_KEYS_MAX)
        return MAMORI_E_TOO_LARGE;
    if (n > 0)
        qsort(hashes, n, sizeof(*hashes), cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || hashes[u - 1] != hashes[i])
            hashes[u++] = hashes[i];
    n = u;
    if (n == 0)
        return MAMORI_OK;
    set_geometry(f, n);
    uint32_t len = f->array_length;
    xh = malloc(len * sizeof(*xh));
    cnt = malloc(len * sizeof(*cnt));
    queue = malloc(len * sizeof(*queue));
    stack_h = malloc(n * sizeof(*stack_h));
    stack_slot = malloc(n);
    val = calloc(len, sizeof(*val));
    fp8 = calloc(len, 1);
    fp4 = calloc((len + 1) / 2, 1);
    if (!xh || !cnt || !queue || !stack_h || !stack_slot || !val || !fp8 ||
        !fp4)
        goto out;
    err = MAMORI_E_INTERNAL;
    for (unsigned attempt = 0; attempt < FUSE_ATTEMPTS; attempt++) {
        f->seed = mr_pw_fmix(0x6d616d6f7269ULL + attempt);
        if (peel(f, hashes, n, xh, cnt, queue, stack_h, stack_slot) != n)
            continue;
        uint32_t p[FUSE_ARITY];
        for (size_t k = n; k-- > 0;) {
            positions(f, stack_h[k], p);
            unsigned s = stack_slot[k];
            val[p[s]] = (uint16_t)(fingerprint(stack_h[k]) ^
                                   val[p[(s + 1) % 3]] ^ val[p[(s + 2) % 3]]);
        }
        for (uint32_t i = 0; i < len; i++) {
            fp8[i] = (uint8_t)val[i];
            fp4[i >> 1] |= (uint8_t)(((val[i] >> 8) & 0xfu) << ((i & 1u) * 4));
        }
        f->fp8 = fp8;
        f->fp4 = fp4;
        f->entries = n;
        f->owned = 1;
        fp8 = fp4 = NULL;
        err = MAMORI_OK;
        break;
    }
out:
    free(xh);
    free(cnt);
    free(queue);
    free(stack_h);
    free(stack_slot);
    free(val);
    free(fp8);
    free(fp4);
    if (err)
        memset(f, 0, sizeof(*f));
    return err;
}

void mr_fuse_free(mr_fuse *f)
{
    if (f && f->owned) {
        free((void *)f->fp8);
        free((void *)f->fp4);
    }
    if (f)
        memset(f, 0, sizeof(*f));
}

int mr_fuse_contains(const mr_fuse *f, uint64_t hash)
{
    if (f->array_length == 0)
        return 0;
    uint64_t h = mr_pw_fmix(hash + f->seed);
    uint32_t p[FUSE_ARITY];
    positions(f, h, p);
    return (slot_get(f, p[0]) ^ slot_get(f, p[1]) ^ slot_get(f, p[2])) ==
           fingerprint(h);
}

size_t mr_fuse_bytes(const mr_fuse *f)
{
    return f->array_length + (f->array_length + 1) / 2;
}
