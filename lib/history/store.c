/*
 * store.c — opening the history database, migrating its schema forward,
 * and writing a run.
 *
 * The schema's version is SQLite's user_version. Migrations are a list of
 * SQL steps, one per version, applied in order inside one IMMEDIATE
 * transaction: a database is at one version or the next, never between.
 * A database whose version is newer than this build knows is refused, so
 * an older mamori never damages a newer one's history.
 *
 * Concurrency: WAL (readers never block the writer), a busy timeout
 * (a second audit waits for the first's commit), and the findings of a
 * run are gathered in memory and written in one short transaction at its
 * end, so the lock is held for the writing only, not the whole audit.
 */
#include "common.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history_int.h"
#include "util/grow.h"
#include "util/random.h"

/* Version N's step turns a database of version N-1 into version N. */
static const char *const migrations[MAMORI_HISTORY_SCHEMA] = {
    /* 1: runs and their findings */
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
    " started INTEGER NOT NULL, finished INTEGER,"
    " host TEXT, root TEXT, command TEXT, scope TEXT, version TEXT,"
    " capabilities TEXT,"
    " exit_status INTEGER, findings INTEGER NOT NULL DEFAULT 0,"
    " dropped INTEGER NOT NULL DEFAULT 0,"
    " sev_info INTEGER, sev_low INTEGER, sev_medium INTEGER,"
    " sev_high INTEGER, sev_critical INTEGER);"
    /* Every sighting, in the order reported; only its rowid is indexed,
     * so a run of 100,000 findings is appended, not sorted in. */
    "CREATE TABLE findings ("
    " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL, fingerprint TEXT NOT NULL,"
    " check_id TEXT NOT NULL, category TEXT, severity INTEGER NOT NULL,"
    " verdict TEXT, file TEXT, line INTEGER, time INTEGER, evidence BLOB,"
    " fields BLOB);"
    /* One row per problem and run: what diffs compare. `finding` is the
     * rowid of its first sighting, severity the worst of them, verdict
     * the first that says more than "attempt" (a problem is an attempt
     * only when every sighting was). */
    "CREATE TABLE problems ("
    " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " fingerprint TEXT NOT NULL, finding INTEGER NOT NULL,"
    " sightings INTEGER NOT NULL, severity INTEGER NOT NULL,"
    " verdict TEXT,"
    " PRIMARY KEY (run, fingerprint)) WITHOUT ROWID;"
    /* Since when a problem has been open (mamori_history_first_seen). */
    "CREATE INDEX problems_by_fingerprint ON problems(fingerprint, run);",
    /* 2: a grade per factor and run (mamori score) */
    "CREATE TABLE grades ("
    " run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " factor TEXT NOT NULL, score INTEGER, grade TEXT,"
    " PRIMARY KEY (run, factor));",
    /* 3: the self-assessment's answers, as a person gave them */
    "CREATE TABLE selfcheck ("
    " answered INTEGER NOT NULL, question TEXT NOT NULL,"
    " answer INTEGER NOT NULL);"
    "CREATE INDEX selfcheck_by_question ON selfcheck(question, answered);",
};

mamori_err mr_history_fail(mamori_history *h, mamori_err err, const char *what)
{
    const char *why = h->db ? sqlite3_errmsg(h->db) : "out of memory";
    snprintf(h->err, sizeof(h->err), "%s: %s", what, why);
    return err;
}

const char *mamori_history_error(const mamori_history *h)
{
    return h ? h->err : "out of memory";
}

mamori_err mamori_history_default_path(char *buf, size_t cap)
{
    const char *env = getenv("MAMORI_HISTORY_DB");
    int n;
    if (env && *env) {
        n = snprintf(buf, cap, "%s", env);
    } else if (geteuid() == 0) {
        n = snprintf(buf, cap, "%s", MAMORI_HISTORY_DEFAULT_DB);
    } else {
        const char *state = getenv("XDG_STATE_HOME");
        if (state && *state == '/') {
            n = snprintf(buf, cap, "%s/mamori/history.db", state);
        } else {
            const char *home = getenv("HOME");
            if (!home || *home != '/') {
                struct passwd *pw = getpwuid(geteuid());
                home = pw ? pw->pw_dir : NULL;
            }
            if (!home || *home != '/')
                return MAMORI_E_INVAL;
            n = snprintf(buf, cap, "%s/.local/state/mamori/history.db", home);
        }
    }
    return n < 0 || (size_t)n >= cap ? MAMORI_E_TOO_LARGE : MAMORI_OK;
}

/* mkdir -p of path's directory, each new directory 0700. */
static int make_parent(const char *path)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n >= sizeof(dir))
        return -1;
    memcpy(dir, path, n + 1);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) && errno != EEXIST ? -1 : 0;
}

static int exec_sql(mamori_history *h, const char *sql)
{
    return sqlite3_exec(h->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int user_version(mamori_history *h, int *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h->db, "PRAGMA user_version", -1, &st, NULL))
        return -1;
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static mamori_err migrate(mamori_history *h)
{
    int v;
    if (user_version(h, &v))
        return mr_history_fail(h, MAMORI_E_IO, "cannot read the schema version");
    if (v == MAMORI_HISTORY_SCHEMA)
        return MAMORI_OK;
    if (v > MAMORI_HISTORY_SCHEMA || v < 0) {
        snprintf(h->err, sizeof(h->err),
                 "the database's schema is version %d, written by a newer "
                 "mamori (this one knows up to %d): not touched",
                 v, MAMORI_HISTORY_SCHEMA);
        return MAMORI_E_FORMAT;
    }
    if (exec_sql(h, "BEGIN IMMEDIATE"))
        return mr_history_fail(h, MAMORI_E_IO, "cannot lock the database");
    /* Read again under the lock: another run may have migrated it. */
    if (user_version(h, &v))
        goto fail;
    for (int next = v + 1; next <= MAMORI_HISTORY_SCHEMA; next++) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", next);
        if (exec_sql(h, migrations[next - 1]) || exec_sql(h, pragma))
            goto fail;
    }
    if (exec_sql(h, "COMMIT"))
        goto fail;
    return MAMORI_OK;
fail:
    mr_history_fail(h, MAMORI_E_IO, "cannot update the schema");
    exec_sql(h, "ROLLBACK");
    return MAMORI_E_IO;
}

static mamori_err open_db(const char *path, int flags, mamori_history **out)
{
    mamori_history *h = calloc(1, sizeof(*h));
    *out = h;
    if (!h)
        return MAMORI_E_NOMEM;
    mr_arena_init(&h->arena, MR_HISTORY_ARENA_MAX);
    if (sqlite3_open_v2(path, &h->db, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK)
        return mr_history_fail(h, MAMORI_E_IO, path);
    sqlite3_busy_timeout(h->db, MR_HISTORY_BUSY_MS);
    sqlite3_extended_result_codes(h->db, 1);
    return MAMORI_OK;
}

mamori_err mamori_history_open(const char *path, int create_dir,
                               mamori_history **out)
{
    if (!path || !out)
        return MAMORI_E_INVAL;
    *out = NULL;
    if (create_dir && make_parent(path)) {
        int saved = errno;
        if (!(*out = calloc(1, sizeof(**out))))
            return MAMORI_E_NOMEM;
        mr_arena_init(&(*out)->arena, MR_HISTORY_ARENA_MAX);
        snprintf((*out)->err, sizeof((*out)->err),
                 "cannot create the directory of %s: %s", path, strerror(saved));
        return MAMORI_E_IO;
    }
    mamori_err e = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, out);
    if (e)
        return e;
    mamori_history *h = *out;
    /* WAL: concurrent readers and one writer; a second writer waits. */
    if (exec_sql(h, "PRAGMA journal_mode = WAL") ||
        exec_sql(h, "PRAGMA synchronous = NORMAL") ||
        exec_sql(h, "PRAGMA foreign_keys = ON") ||
        exec_sql(h, "PRAGMA cache_size = -16384")) /* 16 MiB: a run's index */
        return mr_history_fail(h, MAMORI_E_IO, path);
    return migrate(h);
}

/* "file:PATH?immutable=1", PATH percent-encoded where a URI needs it. */
static int immutable_uri(const char *path, char *buf, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char *head = "file:";
    for (const char *p = head; *p && n < cap; p++)
        buf[n++] = *p;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (n + 4 >= cap)
            return -1;
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f) {
            buf[n++] = '%';
            buf[n++] = hex[*p >> 4];
            buf[n++] = hex[*p & 15];
        } else {
            buf[n++] = (char)*p;
        }
    }
    int w = snprintf(buf + n, cap - n, "?immutable=1");
    return w < 0 || (size_t)w >= cap - n ? -1 : 0;
}

mamori_err mamori_history_open_ro(const char *path, mamori_history **out)
{
    if (!path || !out)
        return MAMORI_E_INVAL;
    *out = NULL;
    mamori_err e = open_db(path, SQLITE_OPEN_READONLY, out);
    if (e)
        return e;
    int v;
    if (user_version(*out, &v)) {
        /* A WAL database on a read-only medium (a mounted image, a
         * backup): SQLite cannot make its shared-memory file beside it.
         * Nobody can be writing it there, so read it as immutable. */
        char uri[4200];
        if (immutable_uri(path, uri, sizeof(uri)))
            return mr_history_fail(*out, MAMORI_E_FORMAT, path);
        sqlite3_close((*out)->db);
        (*out)->db = NULL;
        if (sqlite3_open_v2(uri, &(*out)->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                            NULL) != SQLITE_OK ||
            user_version(*out, &v))
            return mr_history_fail(*out, MAMORI_E_FORMAT, path);
    }
    if (v != MAMORI_HISTORY_SCHEMA) {
        snprintf((*out)->err, sizeof((*out)->err),
                 "%s: schema version %d, this mamori reads %d%s", path, v,
                 MAMORI_HISTORY_SCHEMA,
                 v < MAMORI_HISTORY_SCHEMA ? " (the next audit updates it)" : "");
        return MAMORI_E_FORMAT;
    }
    return MAMORI_OK;
}

void mamori_history_free(mamori_history *h)
{
    if (!h)
        return;
    sqlite3_finalize(h->first_seen);
    sqlite3_close(h->db);
    free(h->kept);
    mr_arena_free(&h->arena);
    free(h);
}

/* ---- recording a run ---------------------------------------------- */

static int record_finding(void *user, const mamori_finding *f)
{
    char fp[MAMORI_FINGERPRINT_LEN + 1];
    mamori_finding_fingerprint(f, fp);
    mamori_history_add(user, f, fp);
    return 0;
}

void mamori_history_add(mamori_history *h, const mamori_finding *f,
                        const char fingerprint[MAMORI_FINGERPRINT_LEN + 1])
{
    h->total++;
    if (f->severity >= 0 && f->severity < MAMORI_SEV_COUNT)
        h->by_severity[f->severity]++;
    if (!f->check || h->nkept == MAMORI_HISTORY_FINDINGS_MAX ||
        MR_GROW(&h->kept, &h->capkept, h->nkept + 1, 256)) {
        h->dropped++;
        return;
    }
    mr_kept_finding *k = &h->kept[h->nkept];
    memset(k, 0, sizeof(*k));
    size_t elen = f->evidence ? f->evidence_len : 0;
    if (elen > MR_HISTORY_EVIDENCE_MAX)
        elen = MR_HISTORY_EVIDENCE_MAX;
    size_t plen = mr_fields_pack(f, h->packed, sizeof(h->packed));
    k->check_id = f->check->id;
    k->category = mr_arena_strdup(&h->arena, f->category ? f->category : "");
    k->file = f->file ? mr_arena_strdup(&h->arena, f->file) : NULL;
    k->verdict = f->verdict ? mr_arena_strdup(&h->arena, f->verdict) : NULL;
    k->evidence = elen ? mr_arena_strndup(&h->arena, f->evidence, elen) : NULL;
    k->fields = plen ? mr_arena_alloc(&h->arena, plen) : NULL;
    if (!k->category || (f->file && !k->file) || (f->verdict && !k->verdict) || (elen && !k->evidence) ||
        (plen && !k->fields)) {
        h->dropped++; /* over the arena's bound: counted, not kept */
        return;
    }
    if (plen)
        memcpy((void *)k->fields, h->packed, plen);
    k->evidence_len = elen;
    k->fields_len = plen;
    k->line = f->line;
    k->time = f->time;
    k->severity = (int)f->severity;
    memcpy(k->fingerprint, fingerprint, sizeof(k->fingerprint));
    h->nkept++;
}

/* Keeps the names of the capabilities that ran, space-separated, each
 * once (a score of the run later knows what was measured). */
static int record_summary(void *user, mamori_summary *s)
{
    mamori_history *h = user;
    const char *cap = mamori_summary_capability(s);
    size_t n = strlen(cap), have = strlen(h->capabilities);
    int seen = 0;
    for (const char *p = h->capabilities; !seen && (p = strstr(p, cap)); p += n)
        seen = (p == h->capabilities || p[-1] == ' ') && (p[n] == ' ' || !p[n]);
    if (!seen && n && have + n + 2 <= sizeof(h->capabilities)) {
        if (have)
            h->capabilities[have++] = ' ';
        memcpy(h->capabilities + have, cap, n + 1);
    }
    mamori_summary_free(s);
    return 0;
}

mamori_err mamori_history_record(mamori_history *h,
                                 const mamori_history_run_info *info,
                                 mamori_sink *sink)
{
    if (!h || !info || !sink || h->recording)
        return MAMORI_E_INVAL;
    h->recording = 1;
    h->capabilities[0] = '\0';
    h->nkept = 0;
    h->total = h->dropped = 0;
    memset(h->by_severity, 0, sizeof(h->by_severity));
    h->started = info->started;
    h->host = mr_arena_strdup(&h->arena, info->host ? info->host : "");
    h->root = mr_arena_strdup(&h->arena, info->root ? info->root : "/");
    h->command = mr_arena_strdup(&h->arena, info->command ? info->command : "");
    h->version = mr_arena_strdup(&h->arena, info->version ? info->version : "");
    h->scope = mr_arena_strdup(&h->arena, info->scope ? info->scope : "");
    if (!h->host || !h->root || !h->command || !h->version || !h->scope)
        return MAMORI_E_NOMEM;
    sink->finding = record_finding;
    sink->summary = record_summary;
    sink->user = h;
    return MAMORI_OK;
}

static void make_uuid(char out[37])
{
    unsigned char b[16];
    if (mr_random_bytes(b, sizeof(b)))
        memset(b, 0, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
             b[10], b[11], b[12], b[13], b[14], b[15]);
}

static int insert_findings(mamori_history *h, int64_t run)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(h->db,
                           "INSERT INTO findings (run, seq, fingerprint, check_id,"
                           " category, severity, file, line, time, evidence, fields,"
                           " verdict) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL))
        return -1;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < h->nkept && rc == SQLITE_DONE; i++) {
        mr_kept_finding *k = &h->kept[i];
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, (int64_t)i);
        sqlite3_bind_text(st, 3, k->fingerprint, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, k->check_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, k->category, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, k->severity);
        if (k->file)
            sqlite3_bind_text(st, 7, k->file, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 7);
        sqlite3_bind_int64(st, 8, (int64_t)k->line);
        if (k->time == INT64_MIN)
            sqlite3_bind_null(st, 9);
        else
            sqlite3_bind_int64(st, 9, k->time);
        if (k->evidence)
            sqlite3_bind_blob(st, 10, k->evidence, (int)k->evidence_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 10);
        if (k->fields)
            sqlite3_bind_blob(st, 11, k->fields, (int)k->fields_len, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 11);
        if (k->verdict)
            sqlite3_bind_text(st, 12, k->verdict, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 12);
        rc = sqlite3_step(st);
        k->rowid = sqlite3_last_insert_rowid(h->db);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int is_attempt(const char *verdict)
{
    return verdict && strcmp(verdict, "attempt") == 0;
}

/* Sightings ordered by fingerprint, then by report order. */
static int by_fingerprint(const void *a, const void *b)
{
    const mr_kept_finding *x = *(const mr_kept_finding *const *)a;
    const mr_kept_finding *y = *(const mr_kept_finding *const *)b;
    int c = memcmp(x->fingerprint, y->fingerprint, MAMORI_FINGERPRINT_LEN);
    return c ? c : (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

/* One row per fingerprint: its first sighting, their number, the worst
 * severity. Sorting pointers in memory is cheaper than letting SQLite
 * group 100,000 rows. */
static int insert_problems(mamori_history *h, int64_t run)
{
    sqlite3_stmt *st;
    mr_kept_finding **order = h->nkept ? malloc(h->nkept * sizeof(*order)) : NULL;
    if (h->nkept && !order)
        return -1;
    for (size_t i = 0; i < h->nkept; i++)
        order[i] = &h->kept[i];
    if (h->nkept)
        qsort(order, h->nkept, sizeof(*order), by_fingerprint);
    if (sqlite3_prepare_v2(h->db,
                           "INSERT INTO problems (run, fingerprint, finding,"
                           " sightings, severity, verdict) VALUES (?,?,?,?,?,?)",
                           -1, &st, NULL)) {
        free(order);
        return -1;
    }
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < h->nkept && rc == SQLITE_DONE;) {
        size_t j = i;
        int worst = order[i]->severity;
        const char *verdict = order[i]->verdict;
        while (j < h->nkept &&
               memcmp(order[j]->fingerprint, order[i]->fingerprint,
                      MAMORI_FINGERPRINT_LEN) == 0) {
            if (order[j]->severity > worst)
                worst = order[j]->severity;
            if (is_attempt(verdict) && !is_attempt(order[j]->verdict))
                verdict = order[j]->verdict; /* NULL: a weakness, not an attack */
            j++;
        }
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, order[i]->fingerprint, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, order[i]->rowid);
        sqlite3_bind_int64(st, 4, (int64_t)(j - i));
        sqlite3_bind_int(st, 5, worst);
        if (verdict)
            sqlite3_bind_text(st, 6, verdict, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 6);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        i = j;
    }
    sqlite3_finalize(st);
    free(order);
    return rc == SQLITE_DONE ? 0 : -1;
}

mamori_err mamori_history_set_status(mamori_history *h, int64_t run,
                                     int exit_status)
{
    sqlite3_stmt *st;
    if (!h)
        return MAMORI_E_INVAL;
    if (sqlite3_prepare_v2(h->db, "UPDATE runs SET exit_status = ? WHERE id = ?",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot store the exit status");
    sqlite3_bind_int(st, 1, exit_status);
    sqlite3_bind_int64(st, 2, run);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MAMORI_OK
                             : mr_history_fail(h, MAMORI_E_IO,
                                               "cannot store the exit status");
}

mamori_err mamori_history_set_grade(mamori_history *h, int64_t run,
                                    const char *factor, int score, char grade)
{
    sqlite3_stmt *st;
    if (!h || !factor)
        return MAMORI_E_INVAL;
    if (sqlite3_prepare_v2(h->db, "INSERT OR REPLACE INTO grades (run, factor,"
                                  " score, grade) VALUES (?,?,?,?)",
                           -1, &st, NULL))
        return mr_history_fail(h, MAMORI_E_IO, "cannot store the grades");
    char g[2] = {grade, '\0'};
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_text(st, 2, factor, -1, SQLITE_STATIC);
    if (score < 0)
        sqlite3_bind_null(st, 3);
    else
        sqlite3_bind_int(st, 3, score);
    sqlite3_bind_text(st, 4, g, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MAMORI_OK
                             : mr_history_fail(h, MAMORI_E_IO, "cannot store the grades");
}

mamori_err mamori_history_commit(mamori_history *h, int64_t finished,
                                 int64_t *run_id)
{
    if (!h || !h->recording)
        return MAMORI_E_INVAL;
    h->recording = 0;
    char uuid[37];
    make_uuid(uuid);
    if (exec_sql(h, "BEGIN IMMEDIATE"))
        return mr_history_fail(h, MAMORI_E_IO, "cannot lock the history");
    sqlite3_stmt *st;
    int ok = sqlite3_prepare_v2(h->db,
                                "INSERT INTO runs (uuid, started, finished, host,"
                                " root, command, version, exit_status, findings,"
                                " dropped, sev_info, sev_low, sev_medium,"
                                " sev_high, sev_critical, scope, capabilities)"
                                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                                -1, &st, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, h->started);
        sqlite3_bind_int64(st, 3, finished);
        sqlite3_bind_text(st, 4, h->host, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, h->root, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, h->command, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, h->version, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 8, -1);
        sqlite3_bind_int64(st, 9, (int64_t)h->total);
        sqlite3_bind_int64(st, 10, (int64_t)h->dropped);
        for (int s = 0; s < MAMORI_SEV_COUNT; s++)
            sqlite3_bind_int64(st, 11 + s, (int64_t)h->by_severity[s]);
        sqlite3_bind_text(st, 16, h->scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 17, h->capabilities, -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_finalize(st);
    }
    int64_t run = sqlite3_last_insert_rowid(h->db);
    if (!ok || insert_findings(h, run) || insert_problems(h, run) ||
        exec_sql(h, "COMMIT")) {
        mr_history_fail(h, MAMORI_E_IO, "cannot store the run");
        exec_sql(h, "ROLLBACK");
        return MAMORI_E_IO;
    }
    if (run_id)
        *run_id = run;
    return MAMORI_OK;
}
