/*
 * arena.c — see arena.h.
 */
#include "common.h"

#include "util/arena.h"

struct mr_arena_block {
    mr_arena_block *next;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

void mr_arena_init(mr_arena *a, size_t limit)
{
    memset(a, 0, sizeof(*a));
    a->limit = limit;
}

void mr_arena_free(mr_arena *a)
{
    mr_arena_block *b = a->head;
    while (b) {
        mr_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->cap = a->total = 0;
}

void *mr_arena_alloc(mr_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n)
        return NULL;
    if (!a->head || a->cap - a->used < need) {
        size_t cap = need > MR_ARENA_BLOCK ? need : MR_ARENA_BLOCK;
        if (a->limit && (a->total + cap > a->limit || a->total + cap < cap))
            return NULL;
        mr_arena_block *b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->cap = cap;
        a->head = b;
        a->used = 0;
        a->cap = cap;
        a->total += cap;
    }
    void *p = a->head->data + a->used;
    a->used += need;
    return p;
}

char *mr_arena_strndup(mr_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        return NULL;
    char *p = mr_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *mr_arena_strdup(mr_arena *a, const char *s)
{
    return mr_arena_strndup(a, s, strlen(s));
}
