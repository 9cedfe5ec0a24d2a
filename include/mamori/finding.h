/*
 * finding.h — the one findings model every capability reports through.
 *
 * A check (mamori_check) is static metadata compiled from data/checks/<id>.check:
 * a stable id, the countermeasure ids of ../shared/GUIDANCE.md, a default
 * severity, and titles, remediation and "whom to tell" in every language.
 *
 * A finding (mamori_finding) is one observation: a check, a severity, where
 * it was seen, the evidence, and named fields (client, status, sources...).
 * Capabilities hand findings to a mamori_sink; everything a finding points to
 * is BORROWED for the duration of the sink call. A sink that keeps findings
 * copies them (mamori_findings does).
 *
 * A summary (mamori_summary) is what a capability reports about the whole
 * run: counters, tables and time series, generic so that every writer can
 * print every capability's summary. It owns all its memory.
 */
#ifndef MAMORI_FINDING_H
#define MAMORI_FINDING_H

#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_CHECK_CM_MAX 3        /* countermeasure ids per check */
#define MAMORI_FINDING_FIELDS_MAX 16 /* named fields per finding */

typedef struct mamori_check {
    const char *id;                               /* "logscan.sqli" */
    const char *countermeasures[MAMORI_CHECK_CM_MAX]; /* NULL-terminated */
    mamori_severity severity;                     /* default severity */
    const char *source;        /* guidance section, e.g. "002 要対応項目4" */
    /* the same, as people read it: the document's name and the section */
    const char *cite[MAMORI_LANG_COUNT];
    const char *title[MAMORI_LANG_COUNT];
    const char *remedy[MAMORI_LANG_COUNT];        /* what to do */
    const char *report[MAMORI_LANG_COUNT];        /* whom to tell */
} mamori_check;

/* Looks up a compiled-in check; NULL if no check has that id. */
MAMORI_API const mamori_check *mamori_check_find(const char *id);
/* All compiled-in checks, sorted by id; *count receives their number. */
MAMORI_API const mamori_check *mamori_checks(size_t *count);
/* Does the check carry this countermeasure id (exact) or id prefix
 * ("meti" matches "meti.appsec")? */
MAMORI_API int mamori_check_has_countermeasure(
    const mamori_check *c, const char *cm);

typedef enum mamori_field_kind {
    MAMORI_FIELD_STR = 0,  /* str: bytes of len (may hold any byte) */
    MAMORI_FIELD_INT = 1,  /* num */
    MAMORI_FIELD_LIST = 2  /* strs[0..nstrs), plus `more` not listed */
} mamori_field_kind;

typedef struct mamori_field {
    const char *name;      /* JSON key: "client", "status", "sources" */
    mamori_field_kind kind;
    const char *str;
    size_t len;
    int64_t num;
    const char *const *strs;
    size_t nstrs;
    uint64_t more;         /* LIST: how many were left out of strs */
} mamori_field;

typedef struct mamori_finding {
    const mamori_check *check;
    mamori_severity severity;  /* may differ from check->severity */
    const char *category;      /* "sqli", "brute-force", ... never NULL */
    const char *verdict;       /* "attempt", "possible-success" or NULL */
    const char *file;          /* where: path or "-" (stdin); may be NULL */
    uint64_t line;             /* 1-based; 0 = not about one line */
    int64_t time;              /* unix seconds; INT64_MIN = unknown */
    const char *evidence;      /* what matched (bytes of evidence_len) */
    size_t evidence_len;
    mamori_field fields[MAMORI_FINDING_FIELDS_MAX];
    size_t nfields;
} mamori_finding;

/* Field helpers: append to f->fields; silently ignored when full. */
MAMORI_API void mamori_finding_str(mamori_finding *f, const char *name,
                                   const char *s, size_t len);
MAMORI_API void mamori_finding_int(
    mamori_finding *f, const char *name, int64_t v);
MAMORI_API void mamori_finding_list(
    mamori_finding *f, const char *name, const char *const *strs, size_t n,
    uint64_t more);
/* The field of that name, or NULL. */
MAMORI_API const mamori_field *mamori_finding_get(const mamori_finding *f,
                                                  const char *name);

/* ---- summaries ---------------------------------------------------- */

#define MAMORI_SUMMARY_COLS_MAX 8

typedef struct mamori_summary mamori_summary;

/* A table cell: a string (str != NULL) or a number; a number cell of
 * MAMORI_CELL_NULL has no value (JSON null, "-" in text and HTML);
 * MAMORI_CELL_FALSE and _TRUE are a yes/no (JSON false and true). */
#define MAMORI_CELL_NULL INT64_MIN
#define MAMORI_CELL_FALSE (INT64_MIN + 1)
#define MAMORI_CELL_TRUE (INT64_MIN + 2)
typedef struct mamori_cell {
    const char *str;
    int64_t num;
} mamori_cell;

typedef struct mamori_table {
    const char *id;                      /* "by_category" (JSON key) */
    const char *title[MAMORI_LANG_COUNT];
    size_t ncols;
    const char *cols[MAMORI_SUMMARY_COLS_MAX]; /* column keys */
    size_t nrows;
    const mamori_cell *cells;            /* nrows * ncols, row-major */
    uint64_t more_rows;                  /* rows left out */
} mamori_table;

/* A time series for charts: buckets of `step` seconds from `start`, one
 * value per bucket for each named series. */
typedef struct mamori_series {
    const char *id;
    const char *title[MAMORI_LANG_COUNT];
    int64_t start, step;
    size_t nbuckets;
    size_t nnames;
    const char *const *names;            /* nnames */
    const uint64_t *values;              /* nnames * nbuckets, row per name */
} mamori_series;

typedef struct mamori_counter {
    const char *id;                      /* "lines", "malformed" */
    const char *title[MAMORI_LANG_COUNT];
    int64_t value;
} mamori_counter;

/* Creation and building: the summary copies every string it is given. */
MAMORI_API mamori_summary *mamori_summary_new(const char *capability);
MAMORI_API void mamori_summary_free(mamori_summary *s);
MAMORI_API mamori_err mamori_summary_counter(
    mamori_summary *s, const char *id, const char *title_en,
    const char *title_ja, int64_t value);
/* Starts a table; rows are added with mamori_summary_row. */
MAMORI_API mamori_err mamori_summary_table(
    mamori_summary *s, const char *id, const char *title_en,
    const char *title_ja, size_t ncols, const char *const *cols);
/* Adds a row of ncols cells to the last table started. */
MAMORI_API mamori_err mamori_summary_row(
    mamori_summary *s, const mamori_cell *cells);
MAMORI_API void mamori_summary_more_rows(mamori_summary *s, uint64_t more);
MAMORI_API mamori_err mamori_summary_series(
    mamori_summary *s, const char *id, const char *title_en,
    const char *title_ja, int64_t start, int64_t step, size_t nbuckets,
    size_t nnames, const char *const *names, const uint64_t *values);
/* Reading. */
MAMORI_API const char *mamori_summary_capability(const mamori_summary *s);
MAMORI_API size_t mamori_summary_ncounters(const mamori_summary *s);
MAMORI_API const mamori_counter *mamori_summary_counter_at(
    const mamori_summary *s, size_t i);
MAMORI_API size_t mamori_summary_ntables(const mamori_summary *s);
MAMORI_API const mamori_table *mamori_summary_table_at(const mamori_summary *s,
                                                       size_t i);
MAMORI_API size_t mamori_summary_nseries(const mamori_summary *s);
MAMORI_API const mamori_series *mamori_summary_series_at(
    const mamori_summary *s, size_t i);

/* ---- sinks -------------------------------------------------------- */

/*
 * Where a capability sends its results. finding() is called from one
 * thread at a time, in input order (file, then line); the finding is
 * borrowed. summary() is called once at the end of each capability's run
 * and TAKES OWNERSHIP of s: the sink frees it with mamori_summary_free(),
 * now or later. A callback returning non-zero stops the run with
 * MAMORI_E_ABORTED.
 */
typedef struct mamori_sink {
    int (*finding)(void *user, const mamori_finding *f);
    int (*summary)(void *user, mamori_summary *s);
    void *user;
} mamori_sink;

#ifdef __cplusplus
}
#endif
#endif
