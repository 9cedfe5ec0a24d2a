/*
 * chunk.h — the unit of parallel work in a log scan: a run of whole lines
 * (at most MR_CHUNK_SIZE bytes) that one worker parses and checks, and
 * the results it leaves for the in-order merge (logscan.c).
 *
 * The chunk owns its buffer; the events in `pending` point into it (or
 * into `copies`, for the fields a W3C or custom format rebuilds), so the
 * merge must run before the chunk is refilled.
 */
#ifndef MR_CHUNK_H
#define MR_CHUNK_H

#include "logscan/detect.h"
#include "weblog/parse.h"
#include "util/arena.h"
#include "util/table.h"

#define MR_CHUNK_SIZE (512u << 10)       /* bytes of lines per chunk */
#define MR_CHUNK_MALFORMED_KEEP 5        /* malformed line numbers kept */
#define MR_CHUNK_PATHS_MAX 4096          /* distinct paths per chunk delta */

/* One request with at least one hit. */
typedef struct mr_pending {
    mr_http_event ev;
    uint64_t line;        /* 1-based line number within the chunk */
    uint32_t first_hit;   /* index into mr_chunk.hits */
    uint32_t nhits;
} mr_pending;

typedef struct mr_chunk {
    /* input, set by the reader */
    char *buf;
    size_t len;
    int overlong_marker;   /* stands for one line too long to hold */
    mr_logformat fmt;      /* format state at the first line */
    int64_t since, until;
    /* output, set by mr_chunk_process */
    uint64_t lines, parsed, malformed, overlong, skipped, out_of_window;
    uint64_t malformed_at[MR_CHUNK_MALFORMED_KEEP];
    uint64_t overlong_at[MR_CHUNK_MALFORMED_KEEP];
    mr_pending *pending;
    size_t npending, pending_cap;
    mr_hit *hits;
    size_t nhits, hits_cap;
    mr_table *sizes;       /* path -> mr_size_stat of non-attack 2xx */
    const mr_table *sizes_into; /* the table sizes is merged into, whose
                                 * key it shares (set by the owner) */
    mr_arena copies;       /* pending spans the parser rebuilt in its scratch */
    int oom;               /* results are incomplete: memory ran out */
} mr_chunk;

/* An empty chunk; its buffer comes with mr_chunk_ready, when the chunk
 * is first used, so chunks never used cost nothing. */
void mr_chunk_init(mr_chunk *c);
/* Allocates the buffer if the chunk has none yet; 0 on success. */
int mr_chunk_ready(mr_chunk *c);
void mr_chunk_destroy(mr_chunk *c);
/* Clears the outputs for reuse (keeps allocations). */
void mr_chunk_reset(mr_chunk *c);
/* Bytes the chunk holds now: its buffer, its result arrays (their
 * capacity), its size delta and its copies; what the driver counts
 * against the memory budget. */
size_t mr_chunk_bytes(const mr_chunk *c);
/* Frees result arrays of more than `keep` bytes (they grow again when a
 * chunk needs them), so that a chunk waiting for reuse holds little. */
void mr_chunk_trim(mr_chunk *c, size_t keep);
/* Parses and checks every line of c->buf; thread-safe given its own
 * scratch. */
void mr_chunk_process(mr_chunk *c, const mr_detector *det,
                      mr_detect_scratch *scratch);

#endif
