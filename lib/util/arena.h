/*
 * arena.h — a bump allocator for many small strings that die together
 * (a summary's cells, a report's kept findings). Blocks are malloc'd as
 * needed and freed all at once by mr_arena_free(); nothing is freed alone.
 * `limit` caps the total bytes: past it allocations return NULL, so a
 * hostile input cannot grow an arena without bound.
 */
#ifndef MR_ARENA_H
#define MR_ARENA_H

#include <stddef.h>

#define MR_ARENA_BLOCK (64 * 1024)

typedef struct mr_arena_block mr_arena_block;

typedef struct mr_arena {
    mr_arena_block *head;
    size_t used;     /* bytes used in head */
    size_t cap;      /* capacity of head */
    size_t total;    /* bytes of every block */
    size_t limit;    /* 0 = no limit */
} mr_arena;

void mr_arena_init(mr_arena *a, size_t limit);
void mr_arena_free(mr_arena *a);
/* Aligned to 16; NULL when out of memory or over the limit. */
void *mr_arena_alloc(mr_arena *a, size_t n);
/* A NUL-terminated copy of n bytes (s may hold NULs; the copy keeps them). */
char *mr_arena_strndup(mr_arena *a, const char *s, size_t n);
char *mr_arena_strdup(mr_arena *a, const char *s);

#endif
