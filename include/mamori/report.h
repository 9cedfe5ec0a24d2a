/*
 * report.h — writers: turn findings and summaries into what people and
 * programs read. One writer per output: terminal text (colour only when
 * asked, i.e. on a terminal), JSON Lines, SARIF 2.1.0, or one
 * self-contained HTML report (inline CSS and SVG charts, no external
 * assets, every byte from the input escaped).
 *
 * A writer is a mamori_sink: hand mamori_writer_sink() to any capability,
 * as many in a row as you like (mamori audit feeds several into one
 * writer), then call mamori_writer_finish() once. Text, JSON Lines and
 * SARIF stream findings as they arrive; HTML keeps up to
 * MAMORI_HTML_FINDINGS_MAX of them (the rest are counted, and the summary
 * tables still cover all of them) and writes the page at finish.
 *
 * Ownership: the writer borrows `out` (the caller opens and closes it) and
 * owns every summary it is given.
 */
#ifndef MAMORI_REPORT_H
#define MAMORI_REPORT_H

#include <stdio.h>

#include "mamori/export.h"
#include "mamori/finding.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_HTML_FINDINGS_MAX 5000

typedef enum mamori_out_format {
    MAMORI_OUT_TEXT = 0,
    MAMORI_OUT_JSON = 1,   /* JSON Lines */
    MAMORI_OUT_SARIF = 2,
    MAMORI_OUT_HTML = 3
} mamori_out_format;

/* Parses "text", "json" (also "jsonl"), "sarif", "html"; -1 if unknown. */
MAMORI_API int mamori_out_format_parse(const char *s);

typedef struct mamori_writer_opts {
    mamori_out_format format;
    mamori_lang lang;
    int color;                    /* text: ANSI colours */
    int quiet;                    /* text: summary only, no finding lines */
    mamori_severity min_severity; /* findings below are counted, not shown */
    const char *title;            /* report title; NULL = default */
    /* HTML: what the report's header names. All borrowed: they must
     * outlive the writer. The library asks the system nothing itself,
     * so the caller passes what it knows (mamori takes gethostname()
     * and the operands of the command line). */
    const char *host;             /* the machine it ran on; NULL = unnamed */
    const char *const *inputs;    /* the inputs named (files, domains) */
    size_t ninputs;               /* 0: "none named", the defaults */
} mamori_writer_opts;

typedef struct mamori_writer mamori_writer;

MAMORI_API mamori_err mamori_writer_new(
    FILE *out, const mamori_writer_opts *opts, mamori_writer **writer);
/* A sink that feeds this writer; valid until mamori_writer_free(). */
MAMORI_API mamori_sink mamori_writer_sink(mamori_writer *w);
/* Writes what is left (SARIF's closing, the HTML page), flushes `out`,
 * and reports a write error (full disk) as MAMORI_E_IO. */
MAMORI_API mamori_err mamori_writer_finish(mamori_writer *w);
MAMORI_API void mamori_writer_free(mamori_writer *w);

/* How many findings at or above `sev` the writer was given, shown or not:
 * what the exit status (--fail-on) is decided from. */
MAMORI_API uint64_t mamori_writer_count_at_least(const mamori_writer *w,
                                                 mamori_severity sev);

/* Writes s[0..n) for a terminal so that no byte can act on it: control
 * characters (ESC, CR...), DEL and bytes that are not UTF-8 as \xNN, C1
 * controls and bidi overrides as \uXXXX. At most max_cols columns
 * (SIZE_MAX: no limit), ending in "..." when cut. The text writer's own
 * escaper: a tool prints everything from outside (file names, messages
 * about them, DNS texts) through it too. Returns the columns written. */
MAMORI_API size_t mamori_term_put(FILE *out, const char *s, size_t n,
                                  size_t max_cols);

#ifdef __cplusplus
}
#endif
#endif
