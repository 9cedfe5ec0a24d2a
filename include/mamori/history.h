/*
 * history.h — every audit remembered: a SQLite database of runs and their
 * findings, so that the next run can say what is new, what was fixed and
 * what is still open (IPA asks organisations to know where they stand and
 * to improve; a list of findings with no memory cannot show either).
 *
 * A finding's fingerprint names the problem, not the sighting: the check,
 * the category, the file and the fields that say what is affected (client,
 * user, package, setting, site...), never the line, the time, counts or
 * the request. The same problem in two runs has the same fingerprint,
 * whatever the order the findings came in.
 *
 * Writing: mamori_history_open(), then a run is recorded by the sink of
 * mamori_history_record() (findings are copied, within
 * MAMORI_HISTORY_FINDINGS_MAX; past it they are counted, not kept) and
 * written in one short transaction by mamori_history_commit(), so a long
 * audit never holds the database's lock and concurrent runs only wait
 * (WAL, a busy timeout). Reading: mamori_history_runs(),
 * mamori_history_diff(). A failure returns an error and leaves a message
 * in mamori_history_error(): the database is never left half-written.
 *
 * The schema is versioned (PRAGMA user_version) and migrated forward on
 * open; a database from a newer mamori is refused, never rewritten.
 */
#ifndef MAMORI_HISTORY_H
#define MAMORI_HISTORY_H

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/selfcheck.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_HISTORY_SCHEMA 3            /* the version this code writes */
#define MAMORI_HISTORY_FINDINGS_MAX 1000000 /* findings kept per run */
#define MAMORI_FINGERPRINT_LEN 32          /* hex characters */
#define MAMORI_HISTORY_DEFAULT_DB "/var/lib/mamori/history.db"

typedef struct mamori_history mamori_history;

/* Where `mamori audit` keeps its history when --db is not given:
 * $MAMORI_HISTORY_DB if set; for root MAMORI_HISTORY_DEFAULT_DB; for
 * other users $XDG_STATE_HOME/mamori/history.db (or
 * ~/.local/state/mamori/history.db). Writes it into buf (cap bytes);
 * MAMORI_E_TOO_LARGE when it does not fit, MAMORI_E_INVAL when no home is
 * known. The directory is not created. */
MAMORI_API mamori_err mamori_history_default_path(char *buf, size_t cap);

/* Opens (creating if needed, with its directory when create_dir is set,
 * mode 0700) and migrates the database at path. On failure *out may still
 * be set so that mamori_history_error() can say why; free it. */
MAMORI_API mamori_err mamori_history_open(const char *path, int create_dir,
                                          mamori_history **out);
/* Opens an existing database for reading only; never creates or migrates. */
MAMORI_API mamori_err mamori_history_open_ro(const char *path,
                                             mamori_history **out);
MAMORI_API void mamori_history_free(mamori_history *h);
/* The last failure, in English, for people ("database is locked",
 * "disk is full"...); "" when none. */
MAMORI_API const char *mamori_history_error(const mamori_history *h);

/* The fingerprint of f: MAMORI_FINGERPRINT_LEN hex digits and a NUL. */
MAMORI_API void mamori_finding_fingerprint(const mamori_finding *f,
                                           char out[MAMORI_FINGERPRINT_LEN + 1]);

/* What a run was. Strings are copied. */
typedef struct mamori_history_run_info {
    int64_t started;         /* unix seconds */
    const char *host;        /* host name */
    const char *root;        /* the root audited ("/" for this machine) */
    const char *command;     /* "audit" */
    /* What was looked at, so that a run is compared with the last run
     * that looked at the same ("/ system", "/ no-system examples/logs"). */
    const char *scope;
    const char *version;     /* mamori's */
} mamori_history_run_info;

/* Starts recording a run: returns the sink its findings go to (summaries
 * handed to it are freed). One run at a time. */
MAMORI_API mamori_err mamori_history_record(
    mamori_history *h, const mamori_history_run_info *info, mamori_sink *sink);
/* What the sink's finding callback does, for a caller that has the
 * finding's fingerprint already (the audit computes it once for the
 * history, the grades and the report's ages). */
MAMORI_API void mamori_history_add(mamori_history *h, const mamori_finding *f,
                                   const char fingerprint[MAMORI_FINGERPRINT_LEN + 1]);
/* Writes the run recorded so far and its findings; *run_id gets its
 * number. */
MAMORI_API mamori_err mamori_history_commit(mamori_history *h,
                                            int64_t finished, int64_t *run_id);

/* One run, as read back. Borrowed for the callback's duration. */
typedef struct mamori_history_run {
    int64_t id;
    const char *uuid;
    int64_t started, finished;
    const char *host, *root, *command, *scope, *version;
    int exit_status;             /* -1 while not known */
    const char *capabilities;    /* those that ran: "patch logscan ..." */
    uint64_t findings;       /* findings of the run (kept + dropped) */
    uint64_t by_severity[5]; /* info, low, medium, high, critical */
    uint64_t dropped;        /* over MAMORI_HISTORY_FINDINGS_MAX */
} mamori_history_run;

/* Calls back for the last `limit` runs (0: all), oldest first. */
MAMORI_API mamori_err mamori_history_runs(
    mamori_history *h, size_t limit,
    int (*cb)(void *user, const mamori_history_run *run), void *user);
/* The newest run (0 when there is none). */
MAMORI_API mamori_err mamori_history_latest(mamori_history *h, int64_t *run);
/* The newest run before `run` with the same scope (0 when none). */
MAMORI_API mamori_err mamori_history_previous(mamori_history *h, int64_t run,
                                              int64_t *prev);
/* Records the exit status of a committed run (known only once its report
 * is written). */
MAMORI_API mamori_err mamori_history_set_status(mamori_history *h,
                                                int64_t run, int exit_status);

/* Sends the problems of a run to sink as findings (the first sighting of
 * each, with fields "fingerprint" and "sightings", worst severity first),
 * then one empty summary per capability that ran, named as it was: a
 * scorer (score.h) fed this way grades the run as it graded it live.
 * Problems of checks this build no longer knows are counted in *unknown
 * (may be NULL). */
MAMORI_API mamori_err mamori_history_problems(mamori_history *h, int64_t run,
                                              const mamori_sink *sink,
                                              uint64_t *unknown);

/* Sends every finding of a run (each sighting, with its field
 * "fingerprint"), in the order they were reported; no summaries. */
MAMORI_API mamori_err mamori_history_findings(mamori_history *h, int64_t run,
                                              const mamori_sink *sink,
                                              uint64_t *unknown);

/* When the problem of this fingerprint was first seen: the start of the
 * oldest run that had it, in *when (0 when no run had it). */
MAMORI_API mamori_err mamori_history_first_seen(mamori_history *h,
                                                const char *fingerprint,
                                                int64_t *when);

/* A problem no longer open: seen in the runs of one scope from
 * first_seen to last_seen (their starts, unix seconds), and absent from
 * the next run of that scope that ran the same capability (closed: its
 * start). `last` is its last sighting, fields included; borrowed for the
 * callback's duration. */
typedef struct mamori_history_closed {
    const char *fingerprint;
    const mamori_finding *last;
    int64_t first_seen, last_seen, closed;
} mamori_history_closed;

/* Calls back for each problem of check `check_id` in the runs of `scope`
 * (as given to mamori_history_record) that was closed at or after
 * `since`, and for each still open in the last such run with closed 0 (a
 * caller may know better when it ended: the patch review reads dpkg's
 * log). A run counts when it ran the check's capability (the part of
 * check_id before its first '.'). The callback returns non-zero to
 * stop (MAMORI_E_ABORTED). */
MAMORI_API mamori_err mamori_history_closed_problems(
    mamori_history *h, const char *check_id, const char *scope, int64_t since,
    int (*cb)(void *user, const mamori_history_closed *c), void *user);

/* Stores one factor's grade for a committed run (mamori score). */
MAMORI_API mamori_err mamori_history_set_grade(mamori_history *h, int64_t run,
                                               const char *factor, int score,
                                               char grade);
/* Calls back for each stored grade of a run, in factor order. */
MAMORI_API mamori_err mamori_history_grades(
    mamori_history *h, int64_t run,
    int (*cb)(void *user, const char *factor, int score, char grade),
    void *user);

/* Stores the answers a person gave to the self-assessment (those from
 * evidence are not stored: the next audit gives them again), at time
 * `when`. */
MAMORI_API mamori_err mamori_history_save_selfcheck(mamori_history *h, int64_t when,
                                                    const mamori_selfcheck *sc);
/* Fills sc with the latest stored answer to each question (others are
 * left as they are); *when (may be NULL) gets the time of the newest,
 * 0 when none is stored. */
MAMORI_API mamori_err mamori_history_load_selfcheck(mamori_history *h,
                                                    mamori_selfcheck *sc,
                                                    int64_t *when);

/* Adds to s (the audit's "score" summary) one series per factor graded
 * in `run`, overall first: its score per day over the runs of the same
 * scope up to `run` (at most a year; a day without a run keeps the day
 * before's). Nothing is added when they span less than two days. */
MAMORI_API mamori_err mamori_history_grade_series(mamori_history *h, int64_t run,
                                                  mamori_summary *s);

typedef enum mamori_change {
    MAMORI_CHANGE_NEW = 0,   /* in the newer run only */
    MAMORI_CHANGE_FIXED = 1, /* in the older run only */
    MAMORI_CHANGE_OPEN = 2   /* in both */
} mamori_change;

/* Compares two runs by fingerprint and calls back once per problem (the
 * first finding of the fingerprint, from the newer run unless fixed),
 * new first, then fixed, then open; each in severity order. The finding
 * carries a field "change" ("new", "fixed", "open") and "fingerprint".
 * A check this build no longer knows is skipped and counted in *unknown
 * (may be NULL). MAMORI_E_INVAL when a run does not exist. */
MAMORI_API mamori_err mamori_history_diff(
    mamori_history *h, int64_t older, int64_t newer,
    int (*cb)(void *user, mamori_change change, const mamori_finding *f),
    void *user, uint64_t *unknown);

MAMORI_API const char *mamori_change_name(mamori_change c);

#ifdef __cplusplus
}
#endif
#endif
