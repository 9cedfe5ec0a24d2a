/*
 * schema.c — the fleet's tables in PostgreSQL, created and migrated
 * forward (`mamori fleet init`), and one login role per host
 * (`mamori fleet add-host`).
 *
 * Migrations are a list of SQL steps, one per version, applied in order in
 * one transaction that first locks mamori.schema_version: a database is at
 * one version or the next, never between, and two inits do not race. A
 * database newer than this build is refused, never rewritten.
 *
 * Row-level security: a host's role is a member of mamori_host; hosts
 * rows carry the role that registered them (owner), and every policy of
 * mamori_host lets a role see and insert rows of its own hosts only. A
 * role that tries to register a host id another role holds fails on the
 * upsert's UPDATE policy; one that names another host in a run or a
 * finding fails the WITH CHECK. mamori_reader reads everything.
 */
#include "common.h"

#include "fleet_int.h"
#include "util/random.h"

/* Roles are cluster-wide: created once, whatever database inits first. */
static const char roles_sql[] =
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mamori_host')"
    " THEN CREATE ROLE mamori_host NOLOGIN; END IF;"
    " IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mamori_reader')"
    " THEN CREATE ROLE mamori_reader NOLOGIN; END IF;"
    " END $$";

/* Version N's step turns a schema of version N-1 into version N. */
static const char *const migrations[MAMORI_FLEET_SCHEMA] = {
    /* 1: hosts, runs, findings, grades; row-level security */
    "CREATE TABLE mamori.hosts ("
    " host_id text PRIMARY KEY CHECK (host_id ~ '^[A-Za-z0-9._:-]{1,127}$'),"
    " owner name NOT NULL DEFAULT current_user,"
    " hostname text, os text, kernel text,"
    " first_seen timestamptz NOT NULL DEFAULT now(),"
    " last_seen timestamptz NOT NULL DEFAULT now());"
    "CREATE TABLE mamori.runs ("
    " uuid uuid PRIMARY KEY,"
    " host_id text NOT NULL REFERENCES mamori.hosts ON DELETE CASCADE,"
    " started timestamptz NOT NULL, finished timestamptz,"
    " received timestamptz NOT NULL DEFAULT now(),"
    " exit_status int, findings bigint NOT NULL, dropped bigint NOT NULL,"
    " sev_info int, sev_low int, sev_medium int, sev_high int,"
    " sev_critical int, grade text, score int,"
    " command text, scope text, version text, root text);"
    "CREATE INDEX runs_by_host ON mamori.runs (host_id, started DESC);"
    "CREATE TABLE mamori.findings ("
    " run uuid NOT NULL REFERENCES mamori.runs ON DELETE CASCADE,"
    " host_id text NOT NULL, seq int NOT NULL,"
    " check_id text NOT NULL, severity smallint NOT NULL,"
    " category text, countermeasure text, fingerprint text NOT NULL,"
    " data jsonb NOT NULL, PRIMARY KEY (run, seq));"
    "CREATE INDEX findings_by_fingerprint ON mamori.findings (fingerprint);"
    "CREATE INDEX findings_by_check ON mamori.findings (check_id, severity);"
    "CREATE TABLE mamori.grades ("
    " run uuid NOT NULL REFERENCES mamori.runs ON DELETE CASCADE,"
    " host_id text NOT NULL, factor text NOT NULL, score int, grade text,"
    " PRIMARY KEY (run, factor));"
    "ALTER TABLE mamori.hosts ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE mamori.runs ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE mamori.findings ENABLE ROW LEVEL SECURITY;"
    "ALTER TABLE mamori.grades ENABLE ROW LEVEL SECURITY;"
    "GRANT USAGE ON SCHEMA mamori TO mamori_host, mamori_reader;"
    "GRANT SELECT, INSERT ON mamori.hosts, mamori.runs, mamori.findings,"
    " mamori.grades TO mamori_host;"
    "GRANT UPDATE (hostname, os, kernel, last_seen) ON mamori.hosts"
    " TO mamori_host;"
    "GRANT SELECT ON ALL TABLES IN SCHEMA mamori TO mamori_reader;"
    "CREATE POLICY own ON mamori.hosts TO mamori_host"
    " USING (owner = current_user) WITH CHECK (owner = current_user);"
    /* Under RLS the subquery sees the role's own hosts only. */
    "CREATE POLICY own ON mamori.runs TO mamori_host"
    " USING (host_id IN (SELECT h.host_id FROM mamori.hosts h))"
    " WITH CHECK (host_id IN (SELECT h.host_id FROM mamori.hosts h));"
    "CREATE POLICY own ON mamori.findings TO mamori_host"
    " USING (host_id IN (SELECT h.host_id FROM mamori.hosts h))"
    " WITH CHECK (EXISTS (SELECT 1 FROM mamori.runs r"
    " WHERE r.uuid = run AND r.host_id = findings.host_id));"
    "CREATE POLICY own ON mamori.grades TO mamori_host"
    " USING (host_id IN (SELECT h.host_id FROM mamori.hosts h))"
    " WITH CHECK (EXISTS (SELECT 1 FROM mamori.runs r"
    " WHERE r.uuid = run AND r.host_id = grades.host_id));"
    "CREATE POLICY everything ON mamori.hosts FOR SELECT TO mamori_reader"
    " USING (true);"
    "CREATE POLICY everything ON mamori.runs FOR SELECT TO mamori_reader"
    " USING (true);"
    "CREATE POLICY everything ON mamori.findings FOR SELECT TO mamori_reader"
    " USING (true);"
    "CREATE POLICY everything ON mamori.grades FOR SELECT TO mamori_reader"
    " USING (true);"
    /* What `mamori fleet worst` reads, kept as runs arrive: each host's
     * latest run, and per fingerprint how many hosts' latest runs have
     * it (grouping two million findings at every look takes seconds).
     * Only mamori.note_run writes them; host roles cannot read them. */
    "CREATE TABLE mamori.latest ("
    " host_id text PRIMARY KEY REFERENCES mamori.hosts ON DELETE CASCADE,"
    " run uuid NOT NULL, started timestamptz NOT NULL);"
    "CREATE TABLE mamori.current_problems ("
    " fingerprint text PRIMARY KEY, check_id text NOT NULL,"
    " severity smallint NOT NULL, category text, countermeasure text,"
    " hosts int NOT NULL);"
    "CREATE INDEX current_problems_worst ON mamori.current_problems"
    " (severity DESC, hosts DESC, fingerprint);"
    "GRANT SELECT ON mamori.latest, mamori.current_problems TO mamori_reader;"
    /* Called by push after a run's findings, in its transaction. It runs
     * as the schema's owner, so it checks that the run is the caller's
     * (session_user registered its host); a run older than the host's
     * latest changes nothing (one started in the same second is newer:
     * runs arrive in the history's order). Rows are locked in fingerprint order so
     * that two hosts pushing at once do not deadlock. */
    "CREATE FUNCTION mamori.note_run(p_run uuid) RETURNS void"
    " LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
    " AS $f$ DECLARE h text; st timestamptz; prev uuid; prev_st timestamptz;"
    " BEGIN"
    " SELECT r.host_id, r.started INTO h, st FROM mamori.runs r"
    "  JOIN mamori.hosts o ON o.host_id = r.host_id"
    "  WHERE r.uuid = p_run AND o.owner = session_user;"
    " IF h IS NULL THEN RETURN; END IF;"
    " SELECT l.run, l.started INTO prev, prev_st FROM mamori.latest l"
    "  WHERE l.host_id = h FOR UPDATE;"
    " IF prev = p_run OR prev_st > st THEN RETURN; END IF;"
    " PERFORM 1 FROM mamori.current_problems p WHERE p.fingerprint IN"
    "  (SELECT f.fingerprint FROM mamori.findings f WHERE f.run IN (prev, p_run))"
    "  ORDER BY p.fingerprint FOR UPDATE;"
    " IF prev IS NOT NULL THEN"
    "  UPDATE mamori.current_problems p SET hosts = p.hosts - 1"
    "  FROM (SELECT DISTINCT f.fingerprint FROM mamori.findings f"
    "  WHERE f.run = prev) d WHERE p.fingerprint = d.fingerprint;"
    " END IF;"
    " INSERT INTO mamori.current_problems AS p (fingerprint, check_id,"
    "  severity, category, countermeasure, hosts)"
    "  SELECT f.fingerprint, min(f.check_id), max(f.severity), min(f.category),"
    "  min(f.countermeasure), 1 FROM mamori.findings f WHERE f.run = p_run"
    "  GROUP BY f.fingerprint ORDER BY f.fingerprint"
    "  ON CONFLICT (fingerprint) DO UPDATE SET hosts = p.hosts + 1,"
    "  severity = greatest(p.severity, EXCLUDED.severity);"
    " INSERT INTO mamori.latest (host_id, run, started) VALUES (h, p_run, st)"
    "  ON CONFLICT (host_id) DO UPDATE SET run = EXCLUDED.run,"
    "  started = EXCLUDED.started;"
    " END $f$;"
    "REVOKE ALL ON FUNCTION mamori.note_run(uuid) FROM PUBLIC;"
    "GRANT EXECUTE ON FUNCTION mamori.note_run(uuid) TO mamori_host;",
};

static int schema_version(PGconn *c, int *v, char *err, size_t errcap)
{
    PGresult *r = mr_sym_PQexec(c, "SELECT coalesce(max(version), 0)"
                            " FROM mamori.schema_version");
    int ok = r && mr_sym_PQresultStatus(r) == PGRES_TUPLES_OK && mr_sym_PQntuples(r) == 1 &&
             mr_sym_PQnfields(r) == 1;
    if (ok) {
        char *end;
        const char *s = mr_sym_PQgetvalue(r, 0, 0);
        errno = 0;
        long n = strtol(s, &end, 10);
        ok = !errno && end != s && !*end && n >= 0 && n < 1000000;
        *v = ok ? (int)n : 0;
    }
    if (!ok)
        mr_fleet_errmsg("cannot read the schema version", mr_sym_PQerrorMessage(c),
                        err, errcap);
    mr_sym_PQclear(r);
    return ok ? 0 : -1;
}

mamori_err mamori_fleet_init(const char *conninfo, char *err, size_t errcap)
{
    if (err && errcap)
        err[0] = '\0';
    PGconn *c = mr_fleet_connect(conninfo, err, errcap);
    if (!c)
        return MAMORI_E_IO;
    mamori_err e = MAMORI_E_IO;
    int v = 0;
    if (mr_fleet_exec(c, "SET client_min_messages = warning", err, errcap) ||
        mr_fleet_exec(c, roles_sql, err, errcap) ||
        mr_fleet_exec(c, "BEGIN", err, errcap))
        goto out;
    if (mr_fleet_exec(c, "CREATE SCHEMA IF NOT EXISTS mamori;"
                         "CREATE TABLE IF NOT EXISTS mamori.schema_version ("
                         " version int NOT NULL,"
                         " applied timestamptz NOT NULL DEFAULT now());"
                         "LOCK TABLE mamori.schema_version IN EXCLUSIVE MODE",
                      err, errcap) ||
        schema_version(c, &v, err, errcap))
        goto rollback;
    if (v > MAMORI_FLEET_SCHEMA) {
        snprintf(err, errcap,
                 "the fleet schema is version %d, written by a newer mamori "
                 "(this one knows up to %d): not touched",
                 v, MAMORI_FLEET_SCHEMA);
        e = MAMORI_E_FORMAT;
        goto rollback;
    }
    for (int next = v + 1; next <= MAMORI_FLEET_SCHEMA; next++) {
        char sql[96];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO mamori.schema_version (version) VALUES (%d)", next);
        if (mr_fleet_exec(c, migrations[next - 1], err, errcap) ||
            mr_fleet_exec(c, sql, err, errcap))
            goto rollback;
    }
    if (mr_fleet_exec(c, "COMMIT", err, errcap))
        goto out;
    e = MAMORI_OK;
    goto out;
rollback:
    mr_sym_PQclear(mr_sym_PQexec(c, "ROLLBACK"));
out:
    mr_sym_PQfinish(c);
    return e;
}

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MAMORI_FLEET_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return 0;
    }
    return 1;
}

mamori_err mamori_fleet_add_host(const char *conninfo, const char *name,
                                 char *hint, size_t hintcap, char *err,
                                 size_t errcap)
{
    enum { PW_BYTES = 24 };
    if (err && errcap)
        err[0] = '\0';
    if (!name || !name_ok(name)) {
        snprintf(err, errcap, "a host's NAME is 1 to %d of a-z, 0-9 and _",
                 MAMORI_FLEET_NAME_MAX);
        return MAMORI_E_INVAL;
    }
    unsigned char raw[PW_BYTES];
    char pw[PW_BYTES * 2 + 1], role[MAMORI_FLEET_NAME_MAX + 16];
    if (mr_random_bytes(raw, sizeof(raw)))
        return MAMORI_E_IO;
    for (size_t i = 0; i < sizeof(raw); i++)
        snprintf(pw + 2 * i, 3, "%02x", raw[i]);
    snprintf(role, sizeof(role), "mamori_host_%s", name);
    PGconn *c = mr_fleet_connect(conninfo, err, errcap);
    if (!c) {
        explicit_bzero(pw, sizeof(pw));
        return MAMORI_E_IO;
    }
    mamori_err e = MAMORI_E_IO;
    /* Only the SCRAM verifier crosses the wire and lands in the server's
     * log; the password itself is shown once, here. */
    char *verifier = mr_sym_PQencryptPasswordConn(c, pw, role, NULL);
    char sql[1024];
    if (!verifier) {
        mr_fleet_errmsg("cannot hash the password", mr_sym_PQerrorMessage(c), err,
                        errcap);
        goto out;
    }
    /* name is [a-z0-9_] and the verifier base64 and punctuation without
     * quotes: both are safe inside the statement as they are. */
    if (strchr(verifier, '\'') || strlen(verifier) > 512)
        goto out;
    snprintf(sql, sizeof(sql),
             "CREATE ROLE %s LOGIN IN ROLE mamori_host PASSWORD '%s'", role,
             verifier);
    if (mr_fleet_exec(c, sql, err, errcap))
        goto out;
    const char *host = mr_sym_PQhost(c), *port = mr_sym_PQport(c), *db = mr_sym_PQdb(c);
    int n = snprintf(hint, hintcap,
                     "host=%s port=%s dbname=%s user=%s password=%s "
                     "sslmode=verify-full",
                     host && *host != '/' ? host : "DB.EXAMPLE",
                     port ? port : "5432", db ? db : "mamori", role, pw);
    e = n < 0 || (size_t)n >= hintcap ? MAMORI_E_TOO_LARGE : MAMORI_OK;
out:
    mr_sym_PQfreemem(verifier);
    explicit_bzero(pw, sizeof(pw));
    mr_sym_PQfinish(c);
    return e;
}
