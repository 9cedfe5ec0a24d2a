/*
 * logscan.h — traces of attacks in web server access logs.
 *
 * Reads Apache and nginx common/combined logs, custom formats given as an
 * Apache LogFormat or nginx log_format string, and IIS W3C extended logs
 * (format detected per file), plain or .gz/.zst compressed, from files,
 * directories or standard input. Each request is normalized the way an
 * attacker's encodings demand and checked for SQL injection, XSS,
 * traversal/LFI, RFI, OS command injection, known exploit probes, requests
 * for sensitive files and scanner user agents. Each hit is a finding
 * (category, verdict attempt/possible-success, client, request, status...);
 * mamori_logscan_finish() sends the summary (per category, client, path,
 * time; repeated attacks; top clients).
 *
 * Memory is bounded whatever the input: lines over MAMORI_LOGSCAN_LINE_MAX
 * are skipped and reported, per-client and per-path tables are capped and
 * report their evictions.
 */
#ifndef MAMORI_LOGSCAN_H
#define MAMORI_LOGSCAN_H

#include "mamori/export.h"
#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_LOGSCAN_LINE_MAX (64 * 1024)   /* longer lines are skipped */
#define MAMORI_LOGSCAN_CLIENTS_DEFAULT 65536  /* clients tracked at once */
#define MAMORI_LOGSCAN_PATHS_DEFAULT 65536    /* paths tracked at once */

typedef enum mamori_logformat_kind {
    MAMORI_LOGFORMAT_AUTO = 0,   /* detect per file */
    MAMORI_LOGFORMAT_APACHE = 1, /* `format` is an Apache LogFormat */
    MAMORI_LOGFORMAT_NGINX = 2   /* `format` is an nginx log_format */
} mamori_logformat_kind;

typedef struct mamori_logscan_opts {
    mamori_logformat_kind format_kind;
    const char *format;          /* with APACHE/NGINX; else NULL */
    size_t max_clients;          /* 0 = MAMORI_LOGSCAN_CLIENTS_DEFAULT */
    size_t max_paths;            /* 0 = MAMORI_LOGSCAN_PATHS_DEFAULT */
    int follow;                  /* follow links to directories outside a
                                  * directory given (never by default) */
} mamori_logscan_opts;

typedef struct mamori_logscan mamori_logscan;

/* ctx and opts are copied where needed; ctx must outlive the scanner. On
 * a bad custom format, returns MAMORI_E_INVAL after a diagnostic that
 * names the position. */
MAMORI_API mamori_err mamori_logscan_new(const mamori_ctx *ctx,
                                         const mamori_logscan_opts *opts,
                                         mamori_logscan **out);
/* Scans a file, a directory (recursively, every regular file that looks
 * like a log, compressed or not) or "-" for standard input. Unreadable or
 * damaged input gives a diagnostic and the results for what was readable;
 * the return value is the first error met (or MAMORI_OK). */
MAMORI_API mamori_err mamori_logscan_path(mamori_logscan *ls, const char *path,
                                          const mamori_sink *sink);
/* Scans one file met while walking a directory (the audit's walk of a
 * root's log directories): like mamori_logscan_path on a file, except
 * that a file in no log format is skipped quietly, as inside a
 * directory. */
MAMORI_API mamori_err mamori_logscan_dir_entry(mamori_logscan *ls,
                                               const char *path,
                                               const mamori_sink *sink);
/* Scans bytes in memory as if they were a file named `name`. */
MAMORI_API mamori_err mamori_logscan_buffer(
    mamori_logscan *ls, const char *name, const void *data, size_t len,
    const mamori_sink *sink);
/* Sends the summary of everything scanned to the sink. */
MAMORI_API mamori_err mamori_logscan_finish(
    mamori_logscan *ls, const mamori_sink *sink);
MAMORI_API void mamori_logscan_free(mamori_logscan *ls);

/* Totals so far, for callers that want them without a summary. */
typedef struct mamori_logscan_stats {
    uint64_t files, bytes, lines, parsed, malformed, overlong, findings;
} mamori_logscan_stats;
MAMORI_API void mamori_logscan_get_stats(const mamori_logscan *ls,
                                         mamori_logscan_stats *st);

#ifdef __cplusplus
}
#endif
#endif
