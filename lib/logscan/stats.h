/*
 * stats.h — what a log scan remembers beyond single lines, all in bounded
 * tables (util/table.h), updated by one thread (the driver's merge step):
 *   - response-size baselines per path, from every non-attack 2xx answer,
 *     to judge whether an SQL injection's answer looks unusual;
 *   - per category: attempts and possible successes;
 *   - per attacking client, per attacked path, per (client, path) pair;
 *   - attacks per hour.
 * mr_ls_stats_summary() turns them into a mamori_summary.
 */
#ifndef MR_LS_STATS_H
#define MR_LS_STATS_H

#include "logscan/detect.h"
#include "weblog/event.h"
#include "mamori/finding.h"
#include "util/table.h"

#define MR_LS_SAMPLE_MAX 160        /* bytes of a client's sample request */
#define MR_LS_HOURS_MAX 100000      /* hours on the timeline (11 years) */
#define MR_LS_TOP_ROWS 25           /* rows of each "top" table */
#define MR_LS_REPEAT_MIN 3          /* attacks on one URL by one client */
#define MR_LS_BASELINE_MIN 5        /* answers before a path has a baseline */

/* Running size statistics of one path; sums merge exactly. */
typedef struct mr_size_stat {
    uint64_t n;
    double sum, sumsq;
} mr_size_stat;

typedef struct mr_ls_stats mr_ls_stats;

/* Tables of at most max_clients clients and max_paths paths, and all of
 * them together within `budget` bytes (table.h counts them): clients 30 %,
 * client-path pairs 20 %, attacked paths 20 %, size baselines 24 %,
 * hours 6 %. NULL on OOM or a budget too small for them. */
mr_ls_stats *mr_ls_stats_new(size_t max_clients, size_t max_paths,
                             size_t budget);
void mr_ls_stats_free(mr_ls_stats *st);

/* Adds a chunk's per-path size sums (a table of mr_size_stat) to the
 * baselines. */
void mr_ls_stats_merge_sizes(mr_ls_stats *st, const mr_table *delta);
/* The baselines' table, for a delta to share its key
 * (mr_table_share_key); read-only. */
const mr_table *mr_ls_stats_sizes(const mr_ls_stats *st);
/* Is `size` far from the usual answer size of `path`? 1 yes, 0 no,
 * -1 no baseline yet. */
int mr_ls_stats_size_unusual(const mr_ls_stats *st, mr_span path,
                             int64_t size);

/* Records one attack (one category hit of one request). */
void mr_ls_stats_attack(mr_ls_stats *st, const mr_http_event *ev,
                        mr_span path, mr_category cat, int possible_success);

/* The path part of a request target: up to '?'. */
mr_span mr_ls_target_path(mr_span target);

/* Entries evicted from the full client and path tables so far. */
void mr_ls_stats_evictions(const mr_ls_stats *st, uint64_t *clients,
                           uint64_t *paths);

typedef struct mr_ls_counts {
    uint64_t files, bytes, lines, parsed, malformed, overlong, skipped,
        out_of_window, findings, unreadable, skipped_files,
        login_logs;   /* auth.log & co: named, left to authscan */
} mr_ls_counts;

/* A new summary of everything recorded (caller owns it); NULL on OOM. */
mamori_summary *mr_ls_stats_summary(const mr_ls_stats *st,
                                    const mr_ls_counts *counts);

#endif
