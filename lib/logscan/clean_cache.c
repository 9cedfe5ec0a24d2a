/*
 * clean_cache.c — the cache of parts found clean (clean_cache.h).
 */
#include "common.h"

#include "logscan/clean_cache.h"
#include "util/hash.h"

void mr_clean_cache_init(mr_clean_cache *c)
{
    for (size_t i = 0; i < MR_CLEAN_SLOTS; i++)
        c->slot[i].tag = 0;
}

mr_clean_slot *mr_clean_cache_slot(mr_clean_cache *c, const char *raw, size_t n,
                                   uint16_t tag)
{
    if (n == 0 || n > MR_CLEAN_LEN_MAX)
        return NULL;
    /* unkeyed (util/hash.h): a forged collision only evicts a slot */
    uint64_t h = mr_hash_fixed(raw, n, tag);
    return &c->slot[h % MR_CLEAN_SLOTS];
}

void mr_clean_slot_keep(mr_clean_slot *s, const char *raw, size_t n, uint16_t tag)
{
    s->tag = tag;
    s->len = (uint8_t)n;
    memcpy(s->text, raw, n);
}
