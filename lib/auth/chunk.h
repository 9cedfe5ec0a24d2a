/*
 * chunk.h (auth) — a piece of an auth log made of whole lines, and the
 * login events parsed from it. Parser threads fill the events of many
 * chunks at once; the campaign engine then takes each chunk's events in
 * file order on one thread (reader.c), so the results are the same for
 * any thread count.
 *
 * Ownership: the chunk owns buf and the event array; the events' spans
 * point into buf, so they live until the chunk is refilled. Nothing is allocated per line: the event array
 * grows by doubling and is reused chunk after chunk.
 */
#ifndef MR_AUTH_CHUNK_H
#define MR_AUTH_CHUNK_H

#include "auth/engine.h"
#include "auth/parse.h"

#define MR_AUTH_CHUNK_SIZE (1u << 20)     /* bytes of lines per chunk */
#define MR_AUTH_CHUNK_NOTED 5             /* malformed lines located */

typedef struct mr_auth_chunk {
    /* input, set by the reader */
    char *buf;
    size_t len;
    int overlong_marker;          /* stands for one line over the chunk */
    mr_auth_filekind kind;        /* syslog or vsftpd (not access logs) */
    mr_auth_clock clock;
    const mr_auth_engine *engine; /* for the event hashes only */
    int64_t since, until;
    /* output */
    mr_auth_event *ev;
    size_t nev, cap;
    uint64_t lines, malformed, overlong;
    uint64_t malformed_at[MR_AUTH_CHUNK_NOTED]; /* line numbers in chunk */
    uint64_t overlong_at[MR_AUTH_CHUNK_NOTED];
    int oom;
} mr_auth_chunk;

int mr_auth_chunk_init(mr_auth_chunk *c);
void mr_auth_chunk_destroy(mr_auth_chunk *c);
void mr_auth_chunk_reset(mr_auth_chunk *c);
/* Parses every line of the chunk into c->ev (keys computed). */
void mr_auth_chunk_parse(mr_auth_chunk *c);
/* Keeps one event (for parsers run elsewhere); 0, or -1 out of memory. */
int mr_auth_chunk_keep(mr_auth_chunk *c, const mr_auth_event *ev);

#endif
