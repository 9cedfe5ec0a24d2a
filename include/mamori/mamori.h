/*
 * mamori.h — the public face of libmamori: version, error codes, languages,
 * and the scan context every capability takes.
 *
 * libmamori checks whether the countermeasures of IPA's and METI's guidance
 * are in place and finds traces of attacks. Every capability reports through
 * one findings model (finding.h) into a sink the caller provides; writers
 * (report.h) turn findings into text, JSON Lines, SARIF or HTML.
 *
 * Conventions of the whole API:
 *   - public names start with mamori_ / MAMORI_; nothing else is exported:
 *     the library is built with hidden visibility and each public function
 *     is declared with MAMORI_API (export.h) in front of it;
 *   - functions return mamori_err (0 = MAMORI_OK, negative = error) and never
 *     exit, abort or print: diagnostics go to the context's callback;
 *   - a pointer handed to a callback is borrowed: valid only during the call;
 *   - every object created by mamori_X_new() is released by mamori_X_free(),
 *     which accepts NULL.
 */
#ifndef MAMORI_MAMORI_H
#define MAMORI_MAMORI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mamori/export.h"

#include "mamori/export.h"
#include "mamori/version.h"   /* MAMORI_VERSION, MAMORI_VERSION_NUM */

#ifdef __cplusplus
extern "C" {
#endif

/* Stable, numbered error codes; mamori_strerror() names each. */
typedef enum mamori_err {
    MAMORI_OK = 0,
    MAMORI_E_NOMEM = -1,     /* allocation failed */
    MAMORI_E_INVAL = -2,     /* bad argument or option value */
    MAMORI_E_IO = -3,        /* read or write failed (errno kept) */
    MAMORI_E_FORMAT = -4,    /* input not in any format we read */
    MAMORI_E_TOO_LARGE = -5, /* input over a named maximum */
    MAMORI_E_TRUNCATED = -6, /* input ended early (cut .gz/.zst) */
    MAMORI_E_CORRUPT = -7,   /* compressed stream is damaged */
    MAMORI_E_ABORTED = -8,   /* a callback asked to stop */
    MAMORI_E_INTERNAL = -9   /* a bug: please report */
} mamori_err;

/* A static English description of err; never NULL. */
MAMORI_API const char *mamori_strerror(mamori_err err);

/* Version string of the linked library, e.g. "0.1.0". */
MAMORI_API const char *mamori_version(void);

/* Languages of every human text mamori writes. */
typedef enum mamori_lang { MAMORI_LANG_EN = 0, MAMORI_LANG_JA = 1 } mamori_lang;
#define MAMORI_LANG_COUNT 2

/* Parses "en"/"ja" (also "ja_JP.UTF-8"-style locale names); -1 if neither. */
MAMORI_API int mamori_lang_parse(const char *s);

/* Severity, ordered: comparisons with < and >= are meaningful. */
typedef enum mamori_severity {
    MAMORI_SEV_INFO = 0,
    MAMORI_SEV_LOW = 1,
    MAMORI_SEV_MEDIUM = 2,
    MAMORI_SEV_HIGH = 3,
    MAMORI_SEV_CRITICAL = 4
} mamori_severity;
#define MAMORI_SEV_COUNT 5

/* "info".."critical"; never NULL. */
MAMORI_API const char *mamori_severity_name(mamori_severity s);
/* Parses a severity name; -1 if unknown. */
MAMORI_API int mamori_severity_parse(const char *s);

/* How loud a diagnostic is. Diagnostics are about the input or the run
 * (a malformed line, a truncated file, an evicted table), not findings. */
typedef enum mamori_diag_level {
    MAMORI_DIAG_NOTE = 0,
    MAMORI_DIAG_WARN = 1,
    MAMORI_DIAG_ERROR = 2
} mamori_diag_level;

/* file may be NULL; line is 0 when not about one line. msg is English. */
typedef void (*mamori_diag_fn)(void *user, mamori_diag_level level,
                               const char *file, uint64_t line,
                               const char *msg);

/* Progress of long work on `what` (a file name): done and total in the
 * same unit (bytes); total is 0 when unknown (standard input). Called from
 * one thread, at most a few times a second's worth of work. */
typedef void (*mamori_progress_fn)(void *user, const char *what,
                                   uint64_t done, uint64_t total);

/*
 * The context of one run: options shared by every capability and the
 * callbacks. Plain data the caller owns and fills; start from
 * mamori_ctx_init(). Two contexts never share state, so two scans may run
 * in one process.
 */
typedef struct mamori_ctx {
    mamori_lang lang;          /* language of titles and remediation */
    unsigned threads;          /* threads at work, the caller's included;
                                  0 = one per core; CPU-bound scans use
                                  no more than the cores they may run on */
    int64_t since;             /* ignore events before (unix s); INT64_MIN */
    int64_t until;             /* ignore events after (unix s); INT64_MAX */
    mamori_diag_fn diag;       /* may be NULL */
    void *diag_user;
    mamori_progress_fn progress; /* may be NULL */
    void *progress_user;
} mamori_ctx;

MAMORI_API void mamori_ctx_init(mamori_ctx *ctx);

/* Sends a printf-style diagnostic through ctx->diag (no-op when NULL). */
MAMORI_API void mamori_diagf(
    const mamori_ctx *ctx, mamori_diag_level level, const char *file,
    uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/*
 * Reads one line of f into buf the way getline(3) does, but within cap
 * bytes: every reader of line lists (password --stdin, dns --from-file,
 * spf-eval --stdin, policy and review files) goes through it, so a NUL
 * byte or an overlong line can never merge or drop lines. *len gets the
 * line's true length without its newline, NUL bytes included; when it is
 * cap or more, buf holds the first cap - 1 bytes and the rest of the line
 * has been read and dropped. buf is always NUL-terminated (cap >= 1).
 * Returns 1 for a line (the last one may lack its newline), 0 at the end
 * of the input, -1 on a read error (errno set).
 */
MAMORI_API int mamori_read_line(FILE *f, char *buf, size_t cap, uint64_t *len);

#ifdef __cplusplus
}
#endif
#endif
