/*
 * accept.h — what an administrator has decided about the findings of
 * `mamori host`: accepted deviations (an exceptions file) and the state
 * recorded at an earlier review (a baseline), both read from files the
 * user names, never from the root under review.
 *
 * Exceptions file, one a line ('#' to the end of a line is the reason,
 * which every exception must have; blank lines and lines that are only
 * a comment are skipped):
 *
 *     ID [PATH] [until=YYYY-MM-DD] # reason
 *
 * ID is a rule id or a check id (fnmatch patterns: "host.kernel.*");
 * PATH, a system path (pattern too), limits it to findings about that
 * file; until= ends it (that day included). A finding an exception
 * covers is reported as accepted (severity info, fields "accepted" and
 * "accepted_until"), never hidden. An expired exception covers nothing
 * and is a finding itself (host.exception.expired).
 *
 * Baseline file: a header line, then one finding a line, "rule TAB path
 * TAB value" (control bytes as '?'), and one configuration file a line,
 * "@file TAB path TAB sha256". Compared with it, a finding not in it is
 * new (field "baseline": "new"), a line of it no finding matched is
 * fixed (the summary's table "fixed"), and a file whose hash differs,
 * or that came or went, is drift (the summary's table "changed_files":
 * its owner now, and how many new findings it holds).
 *
 * The set owns everything it holds; mr_hc_accept_free() frees it.
 */
#ifndef MR_HC_ACCEPT_H
#define MR_HC_ACCEPT_H

#include <stdint.h>
#include <stdio.h>

#include "mamori/finding.h"
#include "mamori/mamori.h"

#define MR_HC_EXCEPTIONS_MAX 1024   /* exceptions read */
#define MR_HC_EXC_LINE_MAX 1024     /* bytes of an exceptions file's line */
#define MR_HC_BASELINE_MAX 20000    /* findings one baseline holds */
#define MR_HC_KEY_BYTES 1536        /* a baseline line: rule, path, value */
#define MR_HC_HASHED_MAX 1024       /* configuration files hashed */
#define MR_HC_SHA256_HEX 65         /* a SHA-256 in hex, NUL included */

typedef struct mr_hc_hashed {
    char *path;                     /* system path */
    char hex[MR_HC_SHA256_HEX];
    char owner[48];                 /* "uid:gid" now, when it changed */
} mr_hc_hashed;

typedef struct mr_hc_exception {
    char *id, *path, *reason;
    char until[11];                 /* "YYYY-MM-DD" or "" */
    int expired;
    uint64_t line;
} mr_hc_exception;

typedef struct mr_hc_accept {
    mr_hc_exception *exc;
    size_t nexc;
    char *exc_file;                 /* the exceptions file's name */
    char **base;                    /* the baseline's keys, sorted */
    unsigned char *base_seen;
    size_t nbase;
    int have_base;
    char **keys;                    /* this run's keys, for saving */
    size_t nkeys;
    int keys_full;
    mr_hc_hashed *base_files;       /* the baseline's files */
    size_t nbase_files;
    mr_hc_hashed *files;            /* this run's files */
    size_t nfiles;
    char **fresh_paths;             /* system paths of new findings */
    size_t nfresh;
} mr_hc_accept;

/* Reads the exceptions file path; today is "YYYY-MM-DD" (expiry).
 * Malformed lines are warnings (ctx) and skipped. MAMORI_E_IO (errno),
 * MAMORI_E_TOO_LARGE, MAMORI_E_NOMEM. */
mamori_err mr_hc_accept_exceptions(mr_hc_accept *a, const mamori_ctx *ctx,
                                   const char *path, const char *today);
/* Reads a baseline saved by mr_hc_accept_save(). MAMORI_E_IO,
 * MAMORI_E_FORMAT (not a baseline), MAMORI_E_NOMEM. */
mamori_err mr_hc_accept_baseline(mr_hc_accept *a, const char *path);

/* The key of a finding: rule TAB path TAB value, into out. */
void mr_hc_accept_key(const char *rule, const char *path, const char *value,
                      char *out, size_t cap);
/* The exception that covers (rule, check, path), or NULL. */
const mr_hc_exception *mr_hc_accept_find(const mr_hc_accept *a,
                                         const char *rule, const char *check,
                                         const char *path);
/* Records key for saving; 1 when the baseline read holds it (marked
 * seen), 0 when it does not, -1 when no baseline was read. */
int mr_hc_accept_note(mr_hc_accept *a, const char *key);
/* Records a configuration file's hash (hex) for saving and drift; a
 * path already recorded is ignored. 0, or -1 (full, or no memory). */
int mr_hc_accept_file(mr_hc_accept *a, const char *path, const char *hex);
/* The file of this run (or of the baseline) at path, or NULL. */
const mr_hc_hashed *mr_hc_accept_file_get(const mr_hc_hashed *list,
                                          size_t n, const char *path);
/* Remembers the system path of a new finding (the drift table counts
 * them per changed file). */
void mr_hc_accept_fresh(mr_hc_accept *a, const char *path);
/* Writes the keys of this run as a baseline. MAMORI_E_IO. */
mamori_err mr_hc_accept_save(const mr_hc_accept *a, FILE *out);
void mr_hc_accept_free(mr_hc_accept *a);

/* drift.c: hashes the configuration files the rules read (and their
 * drop-ins) into a->files; then the summary's table of the files that
 * changed since the baseline (1 on no memory). */
struct mr_hc_run;
struct mr_hc_rule;
void mr_hc_hash_files(struct mr_hc_run *u, const struct mr_hc_rule *rules,
                      size_t n, mr_hc_accept *a);
int mr_hc_drift_summary(const mr_hc_accept *a, mamori_summary *s);

#endif
