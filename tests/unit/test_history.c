/*
 * test_history.c — the history of audits (lib/history): fingerprints name
 * the problem (same for reordered fields, a new line or time; different
 * for another client or package), fields survive the database, a diff
 * finds new, fixed and open problems, the schema migrates forward from
 * version 1 and a newer one is refused untouched, concurrent writers
 * (processes) all land, and a read-only database fails with a message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history/history_int.h"
#include "mamori/history.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mamori-history.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const mamori_check *check(const char *id)
{
    const mamori_check *c = mamori_check_find(id);
    assert_non_null(c);
    return c;
}

static mamori_finding make(const char *id, const char *client, uint64_t line)
{
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = check(id);
    f.severity = f.check->severity;
    f.category = "sqli";
    f.file = "/var/log/nginx/access.log";
    f.line = line;
    f.time = 1700000000 + (int64_t)line;
    f.evidence = "1 OR 1=1";
    f.evidence_len = 8;
    mamori_finding_str(&f, "request", "GET /?q=1", 9);
    mamori_finding_str(&f, "client", client, strlen(client));
    mamori_finding_int(&f, "status", 200);
    return f;
}

static void test_fingerprint(void **state)
{
    (void)state;
    char a[MAMORI_FINGERPRINT_LEN + 1], b[MAMORI_FINGERPRINT_LEN + 1];
    mamori_finding f = make("logscan.sqli", "192.0.2.1", 10);
    mamori_finding_fingerprint(&f, a);
    assert_int_equal(strlen(a), MAMORI_FINGERPRINT_LEN);
    /* Another line, time, request and field order: the same problem. */
    mamori_finding g;
    memset(&g, 0, sizeof(g));
    g.check = f.check;
    g.severity = f.severity;
    g.category = "sqli";
    g.file = f.file;
    g.line = 99;
    g.time = 1;
    g.evidence = "other";
    g.evidence_len = 5;
    mamori_finding_int(&g, "status", 500);
    mamori_finding_str(&g, "client", "192.0.2.1", 9);
    mamori_finding_str(&g, "request", "POST /login", 11);
    mamori_finding_fingerprint(&g, b);
    assert_string_equal(a, b);
    /* Another client: another problem. */
    mamori_finding h = make("logscan.sqli", "192.0.2.2", 10);
    mamori_finding_fingerprint(&h, b);
    assert_string_not_equal(a, b);
    /* No identity field: the evidence names it. */
    mamori_finding x, y;
    memset(&x, 0, sizeof(x));
    x.check = check("logscan.sqli");
    x.category = "sqli";
    x.evidence = "PermitRootLogin yes";
    x.evidence_len = strlen(x.evidence);
    y = x;
    y.evidence = "PermitRootLogin no";
    y.evidence_len = strlen(y.evidence);
    mamori_finding_fingerprint(&x, a);
    mamori_finding_fingerprint(&y, b);
    assert_string_not_equal(a, b);
}

static void test_fields_roundtrip(void **state)
{
    (void)state;
    unsigned char buf[4096];
    mamori_finding f = make("logscan.sqli", "198.51.100.7", 1);
    const char *cves[] = {"CVE-2024-1", "CVE-2024-2"};
    mamori_finding_list(&f, "cves", cves, 2, 5);
    size_t n = mr_fields_pack(&f, buf, sizeof(buf));
    assert_true(n > 0);
    mr_arena arena;
    mr_arena_init(&arena, 0);
    mamori_finding g;
    memset(&g, 0, sizeof(g));
    mr_fields_unpack(buf, n, &arena, &g);
    assert_int_equal(g.nfields, f.nfields);
    const mamori_field *c = mamori_finding_get(&g, "client");
    assert_non_null(c);
    assert_memory_equal(c->str, "198.51.100.7", c->len);
    const mamori_field *l = mamori_finding_get(&g, "cves");
    assert_non_null(l);
    assert_int_equal(l->nstrs, 2);
    assert_int_equal(l->more, 5);
    assert_string_equal(l->strs[1], "CVE-2024-2");
    assert_int_equal(mamori_finding_get(&g, "status")->num, 200);
    /* Every cut of the blob unpacks without reading past it. */
    for (size_t cut = 0; cut < n; cut++) {
        mamori_finding t;
        memset(&t, 0, sizeof(t));
        unsigned char *copy = malloc(cut ? cut : 1);
        assert_non_null(copy);
        memcpy(copy, buf, cut);
        mr_fields_unpack(copy, cut, &arena, &t);
        assert_true(t.nfields <= f.nfields);
        free(copy);
    }
    /* A buffer too small keeps whole fields only. */
    n = mr_fields_pack(&f, buf, 40);
    assert_true(n <= 40);
    mr_arena_free(&arena);
}

static int64_t store_run(mamori_history *h, const char *scope, const char **clients,
                         size_t n)
{
    mamori_sink sink;
    mamori_history_run_info info = {.started = 1700000000, .host = "test",
                                    .root = "/", .command = "mamori audit",
                                    .scope = scope, .version = "test"};
    assert_int_equal(mamori_history_record(h, &info, &sink), MAMORI_OK);
    for (size_t i = 0; i < n; i++) {
        /* Each client twice: one problem, two sightings. */
        mamori_finding f = make("logscan.sqli", clients[i], i + 1);
        assert_int_equal(sink.finding(sink.user, &f), 0);
        f = make("logscan.sqli", clients[i], i + 100);
        assert_int_equal(sink.finding(sink.user, &f), 0);
    }
    int64_t run = 0;
    assert_int_equal(mamori_history_commit(h, 1700000100, &run), MAMORI_OK);
    assert_true(run > 0);
    return run;
}

typedef struct seen {
    int count[3];
    char clients[3][8][32];
} seen;

static int on_change(void *user, mamori_change c, const mamori_finding *f)
{
    seen *s = user;
    const mamori_field *cl = mamori_finding_get(f, "client");
    const mamori_field *ch = mamori_finding_get(f, "change");
    assert_non_null(cl);
    assert_non_null(ch);
    assert_memory_equal(ch->str, mamori_change_name(c), ch->len);
    assert_non_null(mamori_finding_get(f, "fingerprint"));
    if (s->count[c] < 8)
        snprintf(s->clients[c][s->count[c]], 32, "%.*s", (int)cl->len, cl->str);
    s->count[c]++;
    return 0;
}

static void test_diff(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/diff.db", dir);
    mamori_history *h = NULL;
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_OK);
    const char *first[] = {"192.0.2.1", "192.0.2.2", "192.0.2.3"};
    const char *second[] = {"192.0.2.3", "192.0.2.2", "192.0.2.9"}; /* reordered */
    int64_t r1 = store_run(h, "scope-a", first, 3);
    int64_t other = store_run(h, "scope-b", second, 1);
    int64_t r2 = store_run(h, "scope-a", second, 3);
    int64_t prev = 0, latest = 0;
    assert_int_equal(mamori_history_previous(h, r2, &prev), MAMORI_OK);
    assert_int_equal(prev, r1); /* not the run of another scope */
    assert_int_equal(mamori_history_previous(h, other, &prev), MAMORI_OK);
    assert_int_equal(prev, 0);
    assert_int_equal(mamori_history_latest(h, &latest), MAMORI_OK);
    assert_int_equal(latest, r2);
    seen s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(mamori_history_diff(h, r1, r2, on_change, &s, NULL), MAMORI_OK);
    assert_int_equal(s.count[MAMORI_CHANGE_NEW], 1);
    assert_string_equal(s.clients[MAMORI_CHANGE_NEW][0], "192.0.2.9");
    assert_int_equal(s.count[MAMORI_CHANGE_FIXED], 1);
    assert_string_equal(s.clients[MAMORI_CHANGE_FIXED][0], "192.0.2.1");
    assert_int_equal(s.count[MAMORI_CHANGE_OPEN], 2);
    /* A run that does not exist. */
    assert_int_equal(mamori_history_diff(h, r1, 12345, on_change, &s, NULL),
                     MAMORI_E_INVAL);
    assert_non_null(strstr(mamori_history_error(h), "12345"));
    mamori_history_free(h);
}

static void test_grade_series(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/series.db", dir);
    mamori_history *h = NULL;
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_OK);
    /* Runs on days 0, 1 and 3 (and one of another scope on day 2). */
    static const int64_t day[] = {0, 1, 3, 2};
    static const int overall[] = {50, 70, 90, 10};
    int64_t last = 0;
    for (int i = 0; i < 4; i++) {
        mamori_sink sink;
        mamori_history_run_info info = {.started = 1800000000 + day[i] * 86400,
                                        .scope = i == 3 ? "other" : "s"};
        int64_t run;
        assert_int_equal(mamori_history_record(h, &info, &sink), MAMORI_OK);
        assert_int_equal(mamori_history_commit(h, info.started, &run), MAMORI_OK);
        assert_int_equal(mamori_history_set_grade(h, run, "overall", overall[i], 'C'),
                         MAMORI_OK);
        assert_int_equal(mamori_history_set_grade(h, run, "dns", -1, '-'), MAMORI_OK);
        if (i < 3)
            last = run;
    }
    mamori_summary *s = mamori_summary_new("score");
    assert_non_null(s);
    assert_int_equal(mamori_history_grade_series(h, last, s), MAMORI_OK);
    assert_int_equal(mamori_summary_nseries(s), 1); /* dns was never measured */
    const mamori_series *se = mamori_summary_series_at(s, 0);
    assert_string_equal(se->id, "grade_overall");
    assert_int_equal(se->nbuckets, 4);
    assert_int_equal(se->values[0], 50);
    assert_int_equal(se->values[1], 70);
    assert_int_equal(se->values[2], 70); /* carried over the day without a run */
    assert_int_equal(se->values[3], 90);
    mamori_summary_free(s);
    mamori_history_free(h);
}

static void test_migrate(void **state)
{
    (void)state;
    char path[300];
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/v1.db", dir);
    /* A database as version 1 wrote it, with a run in it. */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
        " started INTEGER NOT NULL, finished INTEGER, host TEXT, root TEXT,"
        " command TEXT, scope TEXT, version TEXT, exit_status INTEGER,"
        " findings INTEGER NOT NULL DEFAULT 0, dropped INTEGER NOT NULL DEFAULT 0,"
        " sev_info INTEGER, sev_low INTEGER, sev_medium INTEGER,"
        " sev_high INTEGER, sev_critical INTEGER);"
        "CREATE TABLE findings (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE"
        " CASCADE, seq INTEGER NOT NULL, fingerprint TEXT NOT NULL, check_id TEXT"
        " NOT NULL, category TEXT, severity INTEGER NOT NULL, verdict TEXT, file TEXT,"
        " line INTEGER, time INTEGER, evidence BLOB, fields BLOB);"
        "CREATE TABLE problems (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE"
        " CASCADE, fingerprint TEXT NOT NULL, finding INTEGER NOT NULL, sightings"
        " INTEGER NOT NULL, severity INTEGER NOT NULL, verdict TEXT,"
        " PRIMARY KEY (run, fingerprint))"
        " WITHOUT ROWID;"
        "CREATE INDEX problems_by_fingerprint ON problems(fingerprint, run);"
        "INSERT INTO runs (uuid, started, scope) VALUES ('u1', 1, 's');"
        "PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    mamori_history *h = NULL;
    /* Read-only opening never migrates: it says the next audit will. */
    assert_int_equal(mamori_history_open_ro(path, &h), MAMORI_E_FORMAT);
    assert_non_null(strstr(mamori_history_error(h), "next audit"));
    mamori_history_free(h);
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_OK);
    mamori_history_free(h);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM runs),"
        " (SELECT count(*) FROM grades), (SELECT user_version FROM pragma_user_version)",
        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 1); /* the old run kept */
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    assert_int_equal(sqlite3_column_int(st, 2), MAMORI_HISTORY_SCHEMA);
    sqlite3_finalize(st);
    /* From the future: refused and left as it was. */
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_E_FORMAT);
    assert_non_null(strstr(mamori_history_error(h), "newer"));
    mamori_history_free(h);
}

static void test_concurrent(void **state)
{
    (void)state;
    enum { WRITERS = 4, RUNS = 15 };
    char path[300];
    snprintf(path, sizeof(path), "%s/busy.db", dir);
    mamori_history *h = NULL;
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_OK);
    mamori_history_free(h);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            const char *c[] = {"192.0.2.1", "192.0.2.2"};
            int bad = 0;
            for (int r = 0; r < RUNS; r++) {
                mamori_history *ch = NULL;
                mamori_sink sink;
                mamori_history_run_info info = {.started = r, .scope = "x"};
                int64_t id;
                if (mamori_history_open(path, 0, &ch) ||
                    mamori_history_record(ch, &info, &sink))
                    bad = 1;
                for (int i = 0; !bad && i < 2; i++) {
                    mamori_finding f = make("logscan.sqli", c[i], (uint64_t)i);
                    sink.finding(sink.user, &f);
                }
                if (!bad && mamori_history_commit(ch, r, &id))
                    bad = 1;
                mamori_history_free(ch);
            }
            _exit(bad);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int st;
        assert_int_equal(waitpid(pids[w], &st, 0), pids[w]);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM runs),"
        " (SELECT count(*) FROM findings), (SELECT integrity_check FROM"
        " pragma_integrity_check)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), WRITERS * RUNS);
    assert_int_equal(sqlite3_column_int(st, 1), WRITERS * RUNS * 2);
    assert_string_equal((const char *)sqlite3_column_text(st, 2), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void test_readonly(void **state)
{
    (void)state;
    char path[300], sub[300];
    snprintf(sub, sizeof(sub), "%s/ro", dir);
    snprintf(path, sizeof(path), "%s/ro/h.db", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    mamori_history *h = NULL;
    assert_int_equal(mamori_history_open(path, 0, &h), MAMORI_OK);
    mamori_history_free(h);
    h = NULL;
    /* A read-only file (and, for root, who ignores modes: a missing
     * directory that may not be created). */
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(chmod(sub, 0500), 0);
    if (geteuid() != 0) {
        mamori_history_run_info info = {.started = 1, .scope = "x"};
        mamori_sink sink;
        mamori_err e = mamori_history_open(path, 0, &h);
        if (!e && !(e = mamori_history_record(h, &info, &sink)))
            e = mamori_history_commit(h, 2, NULL);
        assert_int_not_equal(e, MAMORI_OK);
        assert_true(strlen(mamori_history_error(h)) > 0);
        mamori_history_free(h);
    }
    snprintf(path, sizeof(path), "/proc/mamori-no/such/dir/h.db");
    assert_int_not_equal(mamori_history_open(path, 1, &h), MAMORI_OK);
    assert_non_null(strstr(mamori_history_error(h), "cannot create the directory"));
    mamori_history_free(h);
    chmod(sub, 0700);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_fields_roundtrip),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_grade_series),
        cmocka_unit_test(test_migrate),
        cmocka_unit_test(test_concurrent),
        cmocka_unit_test(test_readonly),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
