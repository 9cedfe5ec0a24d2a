/*
 * writer_impl.h — what the four writers (text.c, json.c, sarif.c, html.c)
 * share behind report.h: the writer struct, the table of per-format
 * operations, the escapers of escape.c and the labels in both languages.
 *
 * writer.c owns the generic part: it counts every finding per severity,
 * filters by min_severity, keeps or hands over summaries, and checks the
 * output stream for errors. A format only writes. Ownership: the writer
 * borrows `out`; summaries given to it are kept in `summaries[]` (freed
 * by mamori_writer_free) unless the format's `summary` op consumes them
 * as they arrive (then writer.c frees each right after the call).
 */
/* Writers run on one thread (a sink is called from one thread at a time),
 * so they use stdio's *_unlocked calls: a lock per byte was a fifth of the
 * cost of writing a finding. */
#ifndef MR_WRITER_IMPL_H
#define MR_WRITER_IMPL_H

#include <stdio.h>

#include "mamori/report.h"
#include "util/arena.h"

#define MR_WRITER_SUMMARIES_MAX 64 /* summaries kept until finish */
#define MR_TIME_ISO_MAX 80 /* "2026-11-01T12:00:00Z"; room for any int */
#define MR_CHECKS_SEEN_MAX 256     /* distinct checks a writer tracks */

typedef struct mr_writer_ops {
    /* Called once from mamori_writer_new (SARIF writes its header). */
    mamori_err (*start)(mamori_writer *w);
    /* Called for each finding at or above min_severity. */
    void (*finding)(mamori_writer *w, const mamori_finding *f);
    /* NULL: writer.c keeps summaries for finish. Else called on arrival;
     * writer.c frees the summary afterwards. */
    void (*summary)(mamori_writer *w, const mamori_summary *s);
    /* Writes the rest; writer.c flushes and checks errors afterwards. */
    mamori_err (*finish)(mamori_writer *w);
    /* Frees `state` (may be NULL). */
    void (*free_state)(void *state);
} mr_writer_ops;

struct mamori_writer {
    FILE *out;
    mamori_writer_opts opts;
    const mr_writer_ops *ops;
    void *state;                         /* the format's own, or NULL */
    uint64_t count[MAMORI_SEV_COUNT];    /* every finding given */
    uint64_t shown;                      /* at or above min_severity */
    mamori_summary *summaries[MR_WRITER_SUMMARIES_MAX];
    size_t nsummaries;
    uint64_t summaries_dropped;          /* over the maximum: freed unseen */
    int finished;
};

extern const mr_writer_ops mr_text_ops;
extern const mr_writer_ops mr_json_ops;
extern const mr_writer_ops mr_sarif_ops;
extern const mr_writer_ops mr_html_ops;

/* ---- writer.c helpers -------------------------------------------- */

/* A severity clamped into the valid range. */
mamori_severity mr_sev_clamp(mamori_severity s);
/* "2026-11-01T12:00:00Z" into buf; returns 0, or -1 (buf = "") when the
 * time is unknown (INT64_MIN) or outside years 0..9999. */
int mr_time_iso(int64_t t, char buf[MR_TIME_ISO_MAX]);
/* A text of a check (title, remedy, report) in lang, falling back to
 * English, then to ""; never NULL. check may be NULL. */
const char *mr_check_text(const char *const texts[MAMORI_LANG_COUNT],
                          mamori_lang lang);
/* A summary item's title in lang, falling back to English, then id. */
const char *mr_title(const char *const titles[MAMORI_LANG_COUNT],
                     mamori_lang lang, const char *id);

typedef enum mr_label_id {
    MR_L_FINDINGS, MR_L_SUMMARY, MR_L_WHAT_TO_DO, MR_L_WHOM_TO_TELL,
    MR_L_MORE_ROWS, MR_L_SEVERITY, MR_L_CHECK, MR_L_VERDICT, MR_L_WHERE,
    MR_L_TIME, MR_L_CLIENT, MR_L_REQUEST, MR_L_STATUS, MR_L_EVIDENCE,
    MR_L_DETAILS, MR_L_GENERATED, MR_L_NOT_LISTED, MR_L_BELOW_MIN,
    MR_L_DEFAULT_TITLE, MR_L_COUNTERMEASURES, MR_L_SOURCE, MR_L_NO_FINDINGS,
    MR_L_TOTAL, MR_L_PER, MR_L_SHOWN, MR_L_WHAT_TO_DO_NOW,
    MR_L_MOST_SEVERE_FIRST, MR_L_FINDING_ONE, MR_L_FINDING_MANY, MR_L_HOST,
    MR_L_INPUTS, MR_L_INPUTS_DEFAULT, MR_L_VERSION, MR_L_COUNTERS,
    MR_L_ZERO_HIDDEN, MR_L_NONE, MR_L_MAX, MR_L_SPARK_COLUMN,
    MR_L_SPARK_RAMP, MR_L_STATISTICS, MR_L_WHO_FOR, MR_L_WHERE_WHEN,
    MR_L_EVIDENCE_DETAILS, MR_L_AND_MORE, MR_L_COLS_LEFT_OUT, MR_L_COUNT
} mr_label_id;
/* A fixed label of the reports in lang; never NULL. */
const char *mr_label(mamori_lang lang, mr_label_id id);
/* A severity's name as a person reads it in lang ("high", "高"). */
const char *mr_sev_label(mamori_lang lang, mamori_severity s);
/* The header of a summary table's column: a known column key ("attempts")
 * in lang ("Attempts", "試行"); any other key as it is. Never NULL. */
const char *mr_col_title(mamori_lang lang, const char *key);

#define MR_DURATION_MAX 40 /* "1234567890 min", "12 時間" */
/* A duration in seconds as "6 h", "15 min", "90 s", "2 d" (or in
 * Japanese), in the largest unit that divides it. */
void mr_duration(int64_t secs, mamori_lang lang, char buf[MR_DURATION_MAX]);

/* ---- seen.c: the checks a writer has met --------------------------- */

#define MR_SEEN_BYTES_MAX (1u << 20) /* copied check texts */

/* Checks are borrowed like the rest of a finding, so a writer that needs
 * one later (SARIF rules, the "what to do now" of text and HTML) keeps a
 * deep copy, and with it how many findings named the check and the most
 * severe of them: a check's badge is what its findings say, not its
 * declared default. */
typedef struct mr_seen {
    mr_arena arena;
    mamori_check checks[MR_CHECKS_SEEN_MAX];
    uint64_t hits[MR_CHECKS_SEEN_MAX];          /* findings tallied */
    mamori_severity worst[MR_CHECKS_SEEN_MAX];  /* their highest severity */
    size_t n;
} mr_seen;

void mr_seen_init(mr_seen *s);
void mr_seen_free(mr_seen *s);
/* The index of check c in s (by id), copying it on first sight and then
 * setting *is_new (may be NULL). -1 when c is NULL, s is full or out of
 * memory. */
long mr_seen_add(mr_seen *s, const mamori_check *c, int *is_new);
/* mr_seen_add for f's check, then counts f against it (hits, worst).
 * Returns the index, or -1 as mr_seen_add (f is then not counted). */
long mr_seen_tally(mr_seen *s, const mamori_finding *f);
/* The indices of the checks in s, most urgent first: highest severity of
 * their findings, then most findings, then first seen. Returns s->n. */
size_t mr_seen_order(const mr_seen *s, size_t order[MR_CHECKS_SEEN_MAX]);

/* ---- escape.c ----------------------------------------------------- */

#define MR_UTF8_BAD 0xFFFFFFFFu

/* Decodes one UTF-8 sequence at p (n > 0). Returns its length (1..4) and
 * sets *cp; an invalid, overlong, surrogate or truncated sequence gives
 * length 1 and *cp = MR_UTF8_BAD (the byte stands alone). */
size_t mr_utf8_next(const unsigned char *p, size_t n, uint32_t *cp);
/* Byte length of the longest prefix of s[0..n) that holds at most
 * max_chars characters and does not cut a valid sequence. */
size_t mr_utf8_prefix(const char *s, size_t n, size_t max_chars);

/* JSON: writes s[0..n) as a quoted JSON string. Valid UTF-8 passes
 * through; " \ and control characters are escaped; U+2028/2029 are
 * escaped; each byte that is not valid UTF-8 is written as \u00XX of its
 * value (so the string reads as if that byte were Latin-1). The output
 * is always valid JSON, whatever the bytes. */
void mr_json_str(FILE *out, const char *s, size_t n);
/* A NUL-terminated string, or null when s is NULL. */
void mr_json_cstr(FILE *out, const char *s);
/* A file name (or null): as mr_json_str, but each byte that is not UTF-8
 * is the text \xNN (JSON "\\xff"), as the terminal and HTML show it, so
 * the name still says which bytes name the file (not Latin-1 letters). */
void mr_json_path(FILE *out, const char *path);

/* HTML (text and attribute values, also inside SVG): & < > " ' become
 * entities; control characters, C1 controls and bidi overrides are shown
 * as visible text (\x1b, \u202e); invalid UTF-8 becomes U+FFFD. */
void mr_html_str(FILE *out, const char *s, size_t n);
void mr_html_cstr(FILE *out, const char *s);
/* A file name: as mr_html_str, but a byte that is not UTF-8 is the text
 * \xNN (not U+FFFD), the same as in text and JSON. */
void mr_html_path(FILE *out, const char *s, size_t n);

/* Terminal: writes s[0..n) so that no byte can act on the terminal:
 * control characters (ESC, CR...), DEL and invalid bytes as \xNN, C1
 * controls and bidi overrides as \uXXXX. Stops before going over
 * max_cols columns (wide characters count 2), ending with "..." when cut.
 * out may be NULL to measure. Returns the columns written. */
size_t mr_term_put(FILE *out, const char *s, size_t n, size_t max_cols);

/* URI for a path: relative paths percent-encoded as a relative
 * reference, absolute ones as file:///...; only unreserved characters
 * and '/' stay as they are, so the result needs no JSON escaping. */
void mr_uri_path(FILE *out, const char *path);

/* ---- term_wrap.c and text_summary.c -------------------------------- */

#define MR_TEXT_WIDTH 120 /* columns of every fixed line of the text report */

/* n spaces. */
void mr_term_spaces(FILE *out, size_t n);
/* Writes s (through mr_term_put) wrapped to `width` columns: the cursor
 * is at column `col` of the first line (what the caller already wrote);
 * later lines start with `indent` spaces. Breaks at spaces, between wide
 * characters (not before closing punctuation, not after an opening
 * bracket); a word wider than a line is broken where it must be. Ends
 * without a newline; returns the column reached. */
size_t mr_term_wrap(FILE *out, const char *s, size_t col, size_t indent,
                    size_t width);
/* One summary's statistics for the terminal, on w->out. */
void mr_text_summary(mamori_writer *w, const mamori_summary *s);
/* Is s one of the summaries a reader wants first (the grades, what changed
 * since the last run), before each capability's statistics? */
int mr_summary_headline(const mamori_summary *s);

/* ---- json.c, shared with sarif.c ----------------------------------- */

/* Writes `,"name":value` for each field of f (lists as arrays plus
 * "<name>_more" when more > 0). Names that would clash with the fixed
 * keys get a "field_" prefix. */
void mr_json_fields(FILE *out, const mamori_finding *f);
/* The check's countermeasure ids as a JSON array. */
void mr_json_countermeasures(FILE *out, const mamori_check *c);
/* The summary as an object without "type": capability, counters,
 * tables, series (and more_rows when tables were cut). */
void mr_json_summary_body(FILE *out, const mamori_summary *s);

/* ---- html_summary.c ------------------------------------------------ */

/* One summary as a <section>: counters, time charts, bar charts and
 * tables; every string from the summary escaped. */
void mr_html_summary(FILE *out, const mamori_summary *s, mamori_lang lang);

/* ---- html_todo.c ---------------------------------------------------- */

/* "What to do now" for the checks in seen, as a <section id="todo">;
 * nothing when seen is empty. */
void mr_html_todo(FILE *out, const mr_seen *seen, mamori_lang lang);

/* html_style.c: the page's stylesheet (no external resource). */
extern const char mr_html_css[];

#endif
