/*
 * query.c — reading the history back: the runs, and what changed between
 * two of them.
 *
 * A diff is three queries over the problems of the two runs (one row per
 * fingerprint and run), one per kind of change; each problem is shown
 * once, as its first sighting in the run it is taken from, with the
 * number of sightings and their worst severity. Findings are rebuilt as the capability reported them,
 * fields included, so every report writer can print a diff.
 */
#include "common.h"

#include "history_int.h"

const char *mamori_change_name(mamori_change c)
{
    switch (c) {
    case MAMORI_CHANGE_NEW: return "new";
    case MAMORI_CHANGE_FIXED: return "fixed";
    default: return "open";
    }
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "";
}

mamori_err mamori_history_runs(mamori_history *h, size_t limit,
                               int (*cb)(void *user, const mamori_history_run *run),
                               void *user)
{
    sqlite3_stmt *st;
    if (!h || !cb)
        return MAMORI_E_INVAL;
    if (sqlite3_prepare_v2(h->db,
                           "SELECT * FROM (SELECT id, uuid, started, finished, host,"
                           " root, command, version, exit_status, findings, dropped,"
                           " sev_info, sev_low, sev_medium, sev_high, sev_critical,"
                           " scope, capabilities"
                           " FROM runs ORDER BY id DESC LIMIT ?) ORDER BY id",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the runs");
    sqlite3_bind_int64(st, 1, limit ? (int64_t)limit : -1);
    int rc;
    mamori_err e = MAMORI_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mamori_history_run r = {
            .id = sqlite3_column_int64(st, 0),
            .uuid = col_text(st, 1),
            .started = sqlite3_column_int64(st, 2),
            .finished = sqlite3_column_int64(st, 3),
            .host = col_text(st, 4),
            .root = col_text(st, 5),
            .command = col_text(st, 6),
            .version = col_text(st, 7),
            .exit_status = sqlite3_column_int(st, 8),
            .findings = (uint64_t)sqlite3_column_int64(st, 9),
            .dropped = (uint64_t)sqlite3_column_int64(st, 10),
        };
        for (int s = 0; s < MAMORI_SEV_COUNT; s++)
            r.by_severity[s] = (uint64_t)sqlite3_column_int64(st, 11 + s);
        r.scope = col_text(st, 16);
        r.capabilities = col_text(st, 17);
        if (cb(user, &r)) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = mr_history_fail(h, MAMORI_E_IO, "cannot read the runs");
    sqlite3_finalize(st);
    return e;
}

/* The first column of the first row of sql (with ?1 = arg), or 0. */
static mamori_err one_id(mamori_history *h, const char *sql, int64_t arg,
                         int64_t *out)
{
    sqlite3_stmt *st;
    *out = 0;
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the runs");
    sqlite3_bind_int64(st, 1, arg);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? MAMORI_OK
               : mr_history_fail(h, MAMORI_E_IO, "cannot read the runs");
}

mamori_err mamori_history_latest(mamori_history *h, int64_t *run)
{
    return one_id(h, "SELECT max(id) FROM runs WHERE ?1 = ?1", 0, run);
}

mamori_err mamori_history_previous(mamori_history *h, int64_t run, int64_t *prev)
{
    return one_id(h,
                  "SELECT id FROM runs WHERE id < ?1 AND scope IS"
                  " (SELECT scope FROM runs WHERE id = ?1) ORDER BY id DESC LIMIT 1",
                  run, prev);
}

static int run_exists(mamori_history *h, int64_t id)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h->db, "SELECT 1 FROM runs WHERE id = ?", -1, &st, NULL))
        return 0;
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

/* Which problems of run ?1 each change takes, against run ?2; the last
 * entry (no change field) takes them all. */
#define ALL_PROBLEMS 3
#define ALL_SIGHTINGS 4 /* every finding of the run, in report order */
static const char *const change_sql[4] = {
    [MAMORI_CHANGE_NEW] = " AND p.fingerprint NOT IN"
                          " (SELECT fingerprint FROM problems WHERE run = ?2)",
    [MAMORI_CHANGE_FIXED] = " AND p.fingerprint NOT IN"
                            " (SELECT fingerprint FROM problems WHERE run = ?2)",
    [MAMORI_CHANGE_OPEN] = " AND p.fingerprint IN"
                           " (SELECT fingerprint FROM problems WHERE run = ?2)",
    [ALL_PROBLEMS] = "",
};

/* Calls back with each problem of run `from` that `change` selects
 * (mamori_change, or ALL_PROBLEMS), as its first sighting. */
static mamori_err each_problem(mamori_history *h, int change, int64_t from,
                               int64_t other,
                               int (*cb)(void *, mamori_change, const mamori_finding *),
                               void *user, uint64_t *unknown)
{
    char sql[600];
    sqlite3_stmt *st;
    if (change == ALL_SIGHTINGS)
        snprintf(sql, sizeof(sql),
                 "SELECT check_id, category, severity, file, line, time, evidence,"
                 " fields, fingerprint, 1, verdict FROM findings WHERE run = ?1"
                 " ORDER BY seq");
    else
        snprintf(sql, sizeof(sql),
                 "SELECT f.check_id, f.category, p.severity, f.file, f.line, f.time,"
                 " f.evidence, f.fields, p.fingerprint, p.sightings, p.verdict"
                 " FROM problems p JOIN findings f ON f.rowid = p.finding"
                 " WHERE p.run = ?1%s ORDER BY p.severity DESC, p.finding",
                 change_sql[change]);
    if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the problems");
    sqlite3_bind_int64(st, 1, from);
    if (change < ALL_PROBLEMS)
        sqlite3_bind_int64(st, 2, other);
    int rc;
    mamori_err e = MAMORI_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const mamori_check *c = mamori_check_find(col_text(st, 0));
        if (!c) {
            if (unknown)
                (*unknown)++;
            continue;
        }
        mr_arena arena;
        mr_arena_init(&arena, MR_HISTORY_FIELDS_MAX * 4);
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        f.check = c;
        f.category = col_text(st, 1);
        int sev = sqlite3_column_int(st, 2);
        f.severity = sev >= 0 && sev < MAMORI_SEV_COUNT ? (mamori_severity)sev
                                                        : c->severity;
        f.file = sqlite3_column_type(st, 3) == SQLITE_NULL ? NULL : col_text(st, 3);
        f.line = (uint64_t)sqlite3_column_int64(st, 4);
        f.time = sqlite3_column_type(st, 5) == SQLITE_NULL ? INT64_MIN
                                                           : sqlite3_column_int64(st, 5);
        /* The problem's verdict: an attempt only if every sighting was. */
        f.verdict = sqlite3_column_type(st, 10) == SQLITE_NULL ? NULL
                                                               : col_text(st, 10);
        f.evidence = sqlite3_column_blob(st, 6);
        f.evidence_len = (size_t)sqlite3_column_bytes(st, 6);
        const void *blob = sqlite3_column_blob(st, 7);
        size_t blen = (size_t)sqlite3_column_bytes(st, 7);
        /* Room for the two fields added here. */
        if (blob)
            mr_fields_unpack(blob, blen, &arena, &f);
        if (f.nfields > MAMORI_FINDING_FIELDS_MAX - 3)
            f.nfields = MAMORI_FINDING_FIELDS_MAX - 3;
        const char *fp = col_text(st, 8);
        if (change < ALL_PROBLEMS) {
            const char *name = mamori_change_name((mamori_change)change);
            mamori_finding_str(&f, "change", name, strlen(name));
        }
        mamori_finding_str(&f, "fingerprint", fp, strlen(fp));
        if (change != ALL_SIGHTINGS)
            mamori_finding_int(&f, "sightings", sqlite3_column_int64(st, 9));
        int stop = cb(user, change < ALL_PROBLEMS ? (mamori_change)change
                                                  : MAMORI_CHANGE_OPEN, &f);
        mr_arena_free(&arena);
        if (stop) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = mr_history_fail(h, MAMORI_E_IO, "cannot compare the runs");
    sqlite3_finalize(st);
    return e;
}

mamori_err mamori_history_diff(mamori_history *h, int64_t older, int64_t newer,
                               int (*cb)(void *, mamori_change, const mamori_finding *),
                               void *user, uint64_t *unknown)
{
    if (!h || !cb)
        return MAMORI_E_INVAL;
    if (!run_exists(h, older) || !run_exists(h, newer)) {
        snprintf(h->err, sizeof(h->err), "no run %lld in the history",
                 (long long)(run_exists(h, older) ? newer : older));
        return MAMORI_E_INVAL;
    }
    mamori_err e = each_problem(h, MAMORI_CHANGE_NEW, newer, older, cb, user, unknown);
    if (!e)
        e = each_problem(h, MAMORI_CHANGE_FIXED, older, newer, cb, user, unknown);
    if (!e)
        e = each_problem(h, MAMORI_CHANGE_OPEN, newer, older, cb, user, unknown);
    return e;
}

typedef struct to_sink {
    const mamori_sink *sink;
} to_sink;

static int problem_to_sink(void *user, mamori_change c, const mamori_finding *f)
{
    (void)c;
    const to_sink *t = user;
    return t->sink->finding(t->sink->user, f);
}

mamori_err mamori_history_findings(mamori_history *h, int64_t run,
                                   const mamori_sink *sink, uint64_t *unknown)
{
    if (!h || !sink)
        return MAMORI_E_INVAL;
    if (!run_exists(h, run)) {
        snprintf(h->err, sizeof(h->err), "no run %lld in the history", (long long)run);
        return MAMORI_E_INVAL;
    }
    to_sink t = {sink};
    return each_problem(h, ALL_SIGHTINGS, run, run, problem_to_sink, &t, unknown);
}

mamori_err mamori_history_problems(mamori_history *h, int64_t run,
                                   const mamori_sink *sink, uint64_t *unknown)
{
    sqlite3_stmt *st;
    if (!h || !sink)
        return MAMORI_E_INVAL;
    if (sqlite3_prepare_v2(h->db, "SELECT capabilities FROM runs WHERE id = ?",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the run");
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        snprintf(h->err, sizeof(h->err), "no run %lld in the history", (long long)run);
        return MAMORI_E_INVAL;
    }
    char caps[MR_HISTORY_CAPS_MAX];
    snprintf(caps, sizeof(caps), "%s", col_text(st, 0));
    sqlite3_finalize(st);
    to_sink t = {sink};
    mamori_err e = each_problem(h, ALL_PROBLEMS, run, run, problem_to_sink, &t, unknown);
    for (char *save = NULL, *name = strtok_r(caps, " ", &save); !e && name;
         name = strtok_r(NULL, " ", &save)) {
        mamori_summary *s = mamori_summary_new(name);
        if (!s)
            return MAMORI_E_NOMEM;
        if (sink->summary(sink->user, s))
            e = MAMORI_E_ABORTED;
    }
    return e;
}

mamori_err mamori_history_grades(mamori_history *h, int64_t run,
                                 int (*cb)(void *user, const char *factor,
                                           int score, char grade),
                                 void *user)
{
    sqlite3_stmt *st;
    if (!h || !cb)
        return MAMORI_E_INVAL;
    if (sqlite3_prepare_v2(h->db, "SELECT factor, score, grade FROM grades"
                                  " WHERE run = ? ORDER BY rowid",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the grades");
    sqlite3_bind_int64(st, 1, run);
    int rc;
    mamori_err e = MAMORI_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int score = sqlite3_column_type(st, 1) == SQLITE_NULL ? -1
                                                              : sqlite3_column_int(st, 1);
        const char *g = col_text(st, 2);
        if (cb(user, col_text(st, 0), score, g[0] ? g[0] : '-')) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = mr_history_fail(h, MAMORI_E_IO, "cannot read the grades");
    sqlite3_finalize(st);
    return e;
}

mamori_err mamori_history_save_selfcheck(mamori_history *h, int64_t when,
                                         const mamori_selfcheck *sc)
{
    sqlite3_stmt *st;
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    if (!h || !sc)
        return MAMORI_E_INVAL;
    if (sqlite3_exec(h->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return mr_history_fail(h, MAMORI_E_IO, "cannot lock the history");
    int rc = sqlite3_prepare_v2(h->db, "INSERT INTO selfcheck (answered, question,"
                                       " answer) VALUES (?,?,?)", -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        if (sc->answer[i] == MAMORI_ANSWER_NONE || sc->from_evidence[i])
            continue;
        sqlite3_bind_int64(st, 1, when);
        sqlite3_bind_text(st, 2, q[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, (int)sc->answer[i]);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK || sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        mr_history_fail(h, MAMORI_E_IO, "cannot store the answers");
        sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
        return MAMORI_E_IO;
    }
    return MAMORI_OK;
}

mamori_err mamori_history_load_selfcheck(mamori_history *h, mamori_selfcheck *sc,
                                         int64_t *when)
{
    sqlite3_stmt *st;
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    if (when)
        *when = 0;
    if (!h || !sc)
        return MAMORI_E_INVAL;
    /* The newest answer per question (SQLite takes the bare columns from
     * the row max() picked). */
    if (sqlite3_prepare_v2(h->db, "SELECT question, answer, max(answered) FROM selfcheck"
                                  " GROUP BY question", -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the answers");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col_text(st, 0);
        int a = sqlite3_column_int(st, 1);
        if (a != MAMORI_ANSWER_DONE && a != MAMORI_ANSWER_PARTLY &&
            a != MAMORI_ANSWER_NO && a != MAMORI_ANSWER_UNKNOWN)
            continue; /* a damaged row: not an answer */
        for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++)
            if (strcmp(q[i].id, id) == 0) {
                sc->answer[i] = (mamori_answer)a;
                sc->from_evidence[i] = 0;
            }
        if (when && sqlite3_column_int64(st, 2) > *when)
            *when = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MAMORI_OK
                             : mr_history_fail(h, MAMORI_E_IO, "cannot read the answers");
}

mamori_err mamori_history_first_seen(mamori_history *h, const char *fingerprint,
                                     int64_t *when)
{
    *when = 0;
    if (!h || !fingerprint)
        return MAMORI_E_INVAL;
    if (!h->first_seen &&
        sqlite3_prepare_v2(h->db, "SELECT min(r.started) FROM problems p"
                                  " JOIN runs r ON r.id = p.run WHERE p.fingerprint = ?",
                           -1, &h->first_seen, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the history");
    sqlite3_bind_text(h->first_seen, 1, fingerprint, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(h->first_seen);
    if (rc == SQLITE_ROW && sqlite3_column_type(h->first_seen, 0) != SQLITE_NULL)
        *when = sqlite3_column_int64(h->first_seen, 0);
    sqlite3_reset(h->first_seen);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? MAMORI_OK : mr_history_fail(h, MAMORI_E_IO, "cannot read the history");
}

/* The runs of one scope that ran a capability; per problem of a check in
 * them, its first and last sighting, the run after the last (NULL while
 * it is still open in the newest), and the fields of the last. */
static const char closed_sql[] =
    "WITH scoped AS (SELECT id, started FROM runs WHERE scope IS ?2"
    "  AND instr(' ' || coalesce(capabilities, '') || ' ', ?3) > 0),"
    " g AS (SELECT p.fingerprint AS fp, min(s.started) AS first,"
    "  max(s.started) AS last FROM problems p JOIN scoped s ON s.id = p.run"
    "  JOIN findings f ON f.rowid = p.finding WHERE f.check_id = ?1"
    "  GROUP BY p.fingerprint),"
    " c AS (SELECT fp, first, last,"
    "  (SELECT min(n.started) FROM scoped n WHERE n.started > g.last) AS closed"
    "  FROM g)"
    " SELECT fp, first, last, closed,"
    "  (SELECT f2.fields FROM problems p2 JOIN scoped s2 ON s2.id = p2.run"
    "   JOIN findings f2 ON f2.rowid = p2.finding WHERE p2.fingerprint = c.fp"
    "   ORDER BY s2.started DESC LIMIT 1),"
    "  (SELECT f2.category FROM problems p2 JOIN findings f2"
    "   ON f2.rowid = p2.finding WHERE p2.fingerprint = c.fp LIMIT 1)"
    " FROM c WHERE closed IS NULL OR closed >= ?4 ORDER BY first, fp";

mamori_err mamori_history_closed_problems(
    mamori_history *h, const char *check_id, const char *scope, int64_t since,
    int (*cb)(void *user, const mamori_history_closed *c), void *user)
{
    const mamori_check *check = check_id ? mamori_check_find(check_id) : NULL;
    if (!h || !check || !cb)
        return MAMORI_E_INVAL;
    /* " patch " for "patch.pending-security-update". */
    char cap[64];
    const char *dot = strchr(check_id, '.');
    size_t n = dot ? (size_t)(dot - check_id) : strlen(check_id);
    if (n + 3 > sizeof(cap))
        return MAMORI_E_INVAL;
    cap[0] = ' ';
    memcpy(cap + 1, check_id, n);
    cap[n + 1] = ' ';
    cap[n + 2] = '\0';
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h->db, closed_sql, -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the history");
    sqlite3_bind_text(st, 1, check_id, -1, SQLITE_STATIC);
    if (scope)
        sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_text(st, 3, cap, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, since);
    int rc;
    mamori_err e = MAMORI_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        mr_arena arena;
        mr_arena_init(&arena, MR_HISTORY_FIELDS_MAX * 4);
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        f.check = check;
        f.category = col_text(st, 5);
        f.severity = check->severity;
        f.time = INT64_MIN;
        const void *blob = sqlite3_column_blob(st, 4);
        if (blob)
            mr_fields_unpack(blob, (size_t)sqlite3_column_bytes(st, 4), &arena, &f);
        mamori_history_closed c = {
            .fingerprint = col_text(st, 0),
            .last = &f,
            .first_seen = sqlite3_column_int64(st, 1),
            .last_seen = sqlite3_column_int64(st, 2),
            .closed = sqlite3_column_type(st, 3) == SQLITE_NULL
                          ? 0 : sqlite3_column_int64(st, 3),
        };
        int stop = cb(user, &c);
        mr_arena_free(&arena);
        if (stop) {
            e = MAMORI_E_ABORTED;
            break;
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = mr_history_fail(h, MAMORI_E_IO, "cannot read the history");
    sqlite3_finalize(st);
    return e;
}
