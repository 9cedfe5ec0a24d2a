/*
 * clean_cache.h — parts of requests (a query parameter, a path) that the
 * detectors looked at and found clean, kept by their raw bytes: search
 * terms and filters repeat from request to request ("men%27s+sneakers",
 * "select+comfort+pillow") while the whole target, with its click id,
 * does not. A look-up is a hash and a memcmp instead of decoding and
 * running the detectors again, which is exact because each detector is
 * a pure function of the part's bytes and of how it was looked at (the
 * tag: which detectors, which decoding). Direct mapped; the text is
 * compared whole, so a forged collision only evicts a slot. One cache
 * belongs to one thread's scratch (detect.c); nothing is allocated.
 */
#ifndef MR_CLEAN_CACHE_H
#define MR_CLEAN_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MR_CLEAN_SLOTS 512
#define MR_CLEAN_LEN_MAX 92        /* longer parts are not kept */

typedef struct mr_clean_slot {
    uint16_t tag;                  /* how the part was looked at; 0 = empty */
    uint8_t len;
    char text[MR_CLEAN_LEN_MAX];
} mr_clean_slot;

typedef struct mr_clean_cache {
    mr_clean_slot slot[MR_CLEAN_SLOTS];
} mr_clean_cache;

void mr_clean_cache_init(mr_clean_cache *c);

/* The slot where raw[0..n) looked at as tag (non-zero) would be kept;
 * NULL when the part is too long to keep. */
mr_clean_slot *mr_clean_cache_slot(mr_clean_cache *c, const char *raw, size_t n,
                                   uint16_t tag);

/* Does the slot hold that part, found clean? */
static inline bool mr_clean_slot_holds(const mr_clean_slot *s, const char *raw, size_t n,
                                       uint16_t tag)
{
    return s->tag == tag && s->len == n && memcmp(s->text, raw, n) == 0;
}

/* Keeps the part in its slot (from mr_clean_cache_slot), found clean. */
void mr_clean_slot_keep(mr_clean_slot *s, const char *raw, size_t n, uint16_t tag);

#endif
