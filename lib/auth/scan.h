/*
 * scan.h — the authscan object shared by its driver (authscan.c), the
 * journal reader (journal.c) and the findings writer (report.c).
 * Everything here is owned by the object and freed by
 * mamori_authscan_free().
 */
#ifndef MR_AUTH_SCAN_H
#define MR_AUTH_SCAN_H

#include "auth/chunk.h"
#include "auth/engine.h"
#include "auth/parse.h"
#include "auth/web.h"
#include "io/source.h"
#include "mamori/authscan.h"
#include "util/pool.h"

#define MR_AUTH_WORKERS_MAX 64
#define MR_AUTH_SLOTS_MAX 16         /* chunks in memory at once */

struct mamori_authscan {
    const mamori_ctx *ctx;
    mr_auth_cfg cfg;
    mr_auth_web web;
    mr_auth_engine *engine;
    int64_t ref_time;
    int follow;                  /* opts.follow, for the walker */
    char *buf;                   /* MR_AS_BUF + a line of reading */
    mr_logformat *fmt;           /* per-file web format */
    mr_auth_clock clock;         /* per-file year inference */
    const char *file;
    uint64_t file_line, file_malformed;
    uint64_t files, lines, malformed, unreadable, journal_entries;
    /* parser pool (reader.c, util/pool.h): chunks filled in ring order,
     * parsed by workers, taken by the engine in the same order */
    mr_pool *pool;
    size_t nslots;
    mr_auth_chunk slots[MR_AUTH_SLOTS_MAX];
};

/* Starts the parser threads for ctx->threads (reader.c); stop joins
 * them and frees the chunks. */
mamori_err mr_auth_pool_start(mamori_authscan *as);
void mr_auth_pool_stop(mamori_authscan *as);
/* Reads one opened source to its end (reader.c). */
mamori_err mr_auth_scan_source(mamori_authscan *as, const char *name,
                               mr_source *src, int64_t mtime, int in_dir);

/* Sends one parsed event to the engine (after --since/--until). */
void mr_auth_scan_event(mamori_authscan *as, const mr_auth_event *ev);

#endif
