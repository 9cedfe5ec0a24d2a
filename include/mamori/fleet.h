/*
 * fleet.h — many machines' audits gathered in one PostgreSQL database:
 * `mamori push` sends the runs of this machine's history (findings,
 * grades, host facts), `mamori fleet` reads the whole fleet back. An
 * administrator with twenty servers wants one view of all of them, with a
 * server they already know, not another daemon.
 *
 * The database's schema lives in its own schema "mamori" and is created
 * and migrated forward by mamori_fleet_init() (a table schema_version,
 * each step in one transaction). Every run keeps its history UUID as its
 * primary key, so sending a run twice stores it once. Row-level security
 * gives every host its own login role (mamori_fleet_add_host), member of
 * the group role mamori_host: it can insert and read only the rows of the
 * hosts it registered, never another's. The group role mamori_reader
 * reads everything (`mamori fleet`).
 *
 * When the server cannot be reached a run is written to a spool directory
 * (bounded in bytes; the oldest runs are dropped first, each drop said
 * through ctx->diag) and the next push sends the spool first, in order.
 *
 * Everything the server sends back is treated as hostile: rows are
 * counted against the limit asked for, strings are cut at named maxima.
 * Connection strings are libpq's (key=value or a postgresql:// URI);
 * TLS (sslmode=verify-full) is libpq's.
 */
#ifndef MAMORI_FLEET_H
#define MAMORI_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/history.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_FLEET_SCHEMA 1          /* the version this code writes */
#define MAMORI_FLEET_HOST_ID_MAX 127   /* characters of a host id (conf.h's) */
#define MAMORI_FLEET_ERR_MAX 512       /* a message for people */
#define MAMORI_FLEET_HINT_MAX 1024     /* add-host's connection hint */
#define MAMORI_FLEET_NAME_MAX 40       /* add-host's NAME */
#define MAMORI_FLEET_SPOOL_MAX_DEFAULT (64u * 1024 * 1024) /* bytes */
#define MAMORI_FLEET_STALE_DEFAULT (2 * 86400) /* seconds */
#define MAMORI_FLEET_LIMIT_DEFAULT 50  /* rows of worst */
#define MAMORI_FLEET_ROWS_MAX 100000   /* rows of any answer */

/* Creates or migrates the fleet schema at conninfo (run by the database's
 * owner). err (errcap bytes) gets a message on failure. */
MAMORI_API mamori_err mamori_fleet_init(const char *conninfo, char *err,
                                        size_t errcap);

/* Creates the login role mamori_host_NAME (NAME: letters, digits, '_',
 * at most MAMORI_FLEET_NAME_MAX) with a random password, member of
 * mamori_host, and writes into hint (hintcap bytes) the connection
 * parameters that host puts in its configuration (password included: it
 * is shown once, stored only as a SCRAM hash). */
MAMORI_API mamori_err mamori_fleet_add_host(const char *conninfo,
                                            const char *name, char *hint,
                                            size_t hintcap, char *err,
                                            size_t errcap);

/* This machine's host id: /etc/machine-id through sr (32 hex digits).
 * out has MAMORI_FLEET_HOST_ID_MAX + 1 bytes. */
MAMORI_API mamori_err mamori_fleet_machine_id(
    const mamori_sysroot *sr, char out[MAMORI_FLEET_HOST_ID_MAX + 1]);
/* 1 when id is a usable host id: 1 to MAMORI_FLEET_HOST_ID_MAX of
 * letters, digits, '.', '_', ':', '-' (as mamori.conf's host_id). */
MAMORI_API int mamori_fleet_host_id_ok(const char *id);

typedef struct mamori_fleet_push_opts {
    const char *conninfo;  /* NULL or "": no server, runs are spooled */
    const char *host_id;   /* NULL: mamori_fleet_machine_id(sr) */
    const char *spool_dir; /* required; created 0700 when missing; it
                              also keeps the UUID of the last run handed
                              over (file "sent") */
    uint64_t spool_max;    /* bytes; 0: MAMORI_FLEET_SPOOL_MAX_DEFAULT */
    int newest_only;       /* send only the newest run, not every run
                              since the last push */
} mamori_fleet_push_opts;

typedef struct mamori_fleet_push_result {
    unsigned sent;       /* runs stored by the server now */
    unsigned duplicate;  /* runs the server already had */
    unsigned resent;     /* of them, from the spool */
    unsigned spooled;    /* runs written to the spool now */
    unsigned dropped;    /* spooled runs dropped to stay in spool_max */
    unsigned waiting;    /* runs in the spool at the end */
    unsigned lost;       /* runs neither sent nor spooled */
    char err[MAMORI_FLEET_ERR_MAX]; /* why the server was not reached */
} mamori_fleet_push_result;

/* Sends the spool, then the runs of h not handed over yet (or the newest),
 * with the host facts read through sr. Returns MAMORI_OK when every run
 * was sent or spooled (res says which), MAMORI_E_IO when a run was lost,
 * MAMORI_E_INVAL for bad options. Spool drops and failures are said
 * through ctx->diag. */
MAMORI_API mamori_err mamori_fleet_push(const mamori_ctx *ctx,
                                        const mamori_fleet_push_opts *opts,
                                        const mamori_sysroot *sr,
                                        mamori_history *h,
                                        mamori_fleet_push_result *res);

typedef enum mamori_fleet_view {
    MAMORI_FLEET_STATUS = 0,  /* latest run and grade per host */
    MAMORI_FLEET_STALE = 1,   /* hosts silent for longer than stale_after */
    MAMORI_FLEET_WORST = 2,   /* worst problems of the hosts' latest runs */
    MAMORI_FLEET_FINDING = 3  /* one fingerprint across hosts and time */
} mamori_fleet_view;

typedef struct mamori_fleet_query_opts {
    const char *conninfo;
    mamori_fleet_view view;
    const char *fingerprint;  /* MAMORI_FLEET_FINDING: 32 hex digits */
    int64_t stale_after;      /* seconds; 0: MAMORI_FLEET_STALE_DEFAULT */
    size_t limit;             /* rows; 0: MAMORI_FLEET_LIMIT_DEFAULT for
                                 worst, MAMORI_FLEET_ROWS_MAX otherwise */
} mamori_fleet_query_opts;

/* Reads one view into a new summary of capability "fleet" (one table,
 * counters), *out the caller's (mamori_summary_free, or hand it to a
 * sink). */
MAMORI_API mamori_err mamori_fleet_query(const mamori_fleet_query_opts *opts,
                                         mamori_summary **out, char *err,
                                         size_t errcap);

#ifdef __cplusplus
}
#endif
#endif
