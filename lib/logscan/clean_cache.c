/*
 * clean_cache.c — the cache of parts found clean (clean_cache.h).
 */
#include "common.h"

#include "logscan/clean_cache.h"

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
    /* FNV-1a over the bytes, seeded with the length and tag */
    uint64_t h = 0xCBF29CE484222325ull ^ ((uint64_t)n << 16 | tag);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)raw[i]) * 0x100000001B3ull;
    return &c->slot[(h ^ h >> 32) % MR_CLEAN_SLOTS];
}

void mr_clean_slot_keep(mr_clean_slot *s, const char *raw, size_t n, uint16_t tag)
{
    s->tag = tag;
    s->len = (uint8_t)n;
    memcpy(s->text, raw, n);
}
