/*
 * push.c — `mamori push`: the spool first, in order, then the runs of the
 * history not handed over yet, each in one transaction: the host's facts
 * upserted, the run inserted ON CONFLICT DO NOTHING (a run the server
 * already has is stored once: its findings are not sent again), its
 * grades, and its findings by COPY. A run that cannot be sent goes to the
 * spool; one the server refuses (not a lost connection) is set aside so
 * that it does not block the runs after it.
 */
#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "fleet_int.h"
#include "spool.h"

#define COPY_CHUNK (256 * 1024)  /* bytes handed to libpq at a time */

static int copy_findings(PGconn *c, const mr_run_rec *rec, char *err,
                         size_t errcap)
{
    PGresult *r = mr_sym_PQexec(c, "COPY mamori_in (run, host_id, seq, check_id,"
                            " severity, category, countermeasure, fingerprint,"
                            " data) FROM STDIN");
    int ok = r && mr_sym_PQresultStatus(r) == PGRES_COPY_IN;
    mr_sym_PQclear(r);
    if (!ok) {
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
        return -1;
    }
    mr_payload buf = {0};
    /* The run's uuid and host id start every row: the F line gives the
     * rest after its "F". Host ids are [A-Za-z0-9._:-]: nothing to escape. */
    const char *p = rec->findings, *end = rec->findings + rec->findings_len;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (mr_payload_raw(&buf, rec->f[1], strlen(rec->f[1])) ||
            mr_payload_raw(&buf, "\t", 1) ||
            mr_payload_raw(&buf, rec->f[2], strlen(rec->f[2])) ||
            mr_payload_raw(&buf, p + 1, (size_t)(nl + 1 - (p + 1))))
            ok = 0;
        p = nl + 1;
        if (ok && (buf.len >= COPY_CHUNK || p == end)) {
            ok = mr_sym_PQputCopyData(c, buf.text, (int)buf.len) == 1;
            buf.len = 0;
        }
    }
    mr_payload_free(&buf);
    if (mr_sym_PQputCopyEnd(c, ok ? NULL : "mamori: payload too large") != 1)
        ok = 0;
    while ((r = mr_sym_PQgetResult(c))) {
        if (mr_sym_PQresultStatus(r) != PGRES_COMMAND_OK)
            ok = 0;
        mr_sym_PQclear(r);
    }
    if (!ok)
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
    return ok ? 0 : -1;
}

/* Queues one statement of the pipeline. */
static int queue(PGconn *c, const char *sql, int n, const char *const *vals)
{
    return mr_sym_PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0) == 1 ? 0 : -1;
}

/* The head of a run's transaction in one round trip (a pipeline): BEGIN,
 * the session's table for findings, the host upserted, the run inserted
 * (*run_rows: 1 new, 0 the server had it), its grades; the commit made
 * durable. Every result is
 * read, so the connection is ready for the next statement whatever
 * failed. */
static int send_head(PGconn *c, const mr_run_rec *rec, long *run_rows,
                     char *err, size_t errcap)
{
    const char *const *f = (const char *const *)rec->f;
    const char *host[4] = {f[2], f[15], f[16], f[17]};
    const char *run[18] = {f[1],  f[2],  f[3],  f[4],  f[5],  f[6],
                           f[7],  f[8],  f[9],  f[10], f[11], f[12],
                           f[13], f[14], f[18], f[19], f[20], f[21]};
    enum { RUN_QUERY = 4 };
    int nq = 0, ok = 1;
    if (mr_sym_PQenterPipelineMode(c) != 1) {
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
        return -1;
    }
    ok = queue(c, "BEGIN", 0, NULL) == 0 && ++nq &&
         /* A run is taken off the spool once the server said COMMIT: the
          * commit must then survive a crash of the server, whatever its
          * own setting says. */
         queue(c, "SET LOCAL synchronous_commit = on", 0, NULL) == 0 && ++nq &&
         /* COPY into a table under row-level security is refused: the
          * findings go to this session's table first, then through the
          * policies in one INSERT ... SELECT. */
         queue(c, "CREATE TEMP TABLE IF NOT EXISTS mamori_in"
                  " (LIKE mamori.findings) ON COMMIT DELETE ROWS", 0, NULL) == 0 &&
         ++nq &&
         queue(c, "INSERT INTO mamori.hosts (host_id, hostname, os, kernel)"
                  " VALUES ($1, $2, $3, $4) ON CONFLICT (host_id) DO UPDATE"
                  " SET hostname = EXCLUDED.hostname, os = EXCLUDED.os,"
                  " kernel = EXCLUDED.kernel, last_seen = now()", 4, host) == 0 &&
         ++nq &&
         queue(c, "INSERT INTO mamori.runs (uuid, host_id, started, finished,"
                  " exit_status, findings, dropped, sev_info, sev_low,"
                  " sev_medium, sev_high, sev_critical, grade, score,"
                  " command, scope, version, root) VALUES ($1::uuid, $2,"
                  " to_timestamp($3::bigint), CASE WHEN $4::bigint > 0 THEN"
                  " to_timestamp($4::bigint) END, NULLIF($5::int, -1), $6, $7,"
                  " $8, $9, $10, $11, $12, NULLIF($13, ''),"
                  " NULLIF($14::int, -1), $15, $16, $17, $18)"
                  " ON CONFLICT (uuid) DO NOTHING", 18, run) == 0 && ++nq;
    for (size_t i = 0; ok && i < rec->ngrades; i++) {
        const char *g[5] = {f[1], f[2], rec->grade[i][0], rec->grade[i][1],
                            rec->grade[i][2]};
        ok = queue(c, "INSERT INTO mamori.grades (run, host_id, factor,"
                      " score, grade) VALUES ($1::uuid, $2, $3,"
                      " NULLIF($4::int, -1), NULLIF($5, ''))"
                      " ON CONFLICT DO NOTHING", 5, g) == 0 && ++nq;
    }
    if (mr_sym_PQpipelineSync(c) != 1)
        ok = 0;
    if (!ok)
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
    /* Each queued statement answers a result and a NULL, the sync its own. */
    for (int q = 0; q < nq && mr_sym_PQstatus(c) == CONNECTION_OK; q++) {
        PGresult *r = mr_sym_PQgetResult(c);
        if (!r)
            break;
        if (mr_sym_PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (ok)
                mr_fleet_errmsg("database", mr_sym_PQresultErrorMessage(r), err, errcap);
            ok = 0;
        } else if (q == RUN_QUERY) {
            const char *t = mr_sym_PQcmdTuples(r);
            *run_rows = t && *t >= '0' && *t <= '9' ? strtol(t, NULL, 10) : 0;
        }
        mr_sym_PQclear(r);
        mr_sym_PQclear(mr_sym_PQgetResult(c));
    }
    PGresult *r;
    while (mr_sym_PQstatus(c) == CONNECTION_OK && (r = mr_sym_PQgetResult(c))) {
        int sync = mr_sym_PQresultStatus(r) == PGRES_PIPELINE_SYNC;
        mr_sym_PQclear(r);
        if (sync)
            break;
    }
    if (mr_sym_PQexitPipelineMode(c) != 1)
        ok = 0;
    if (!ok && !err[0])
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
    return ok ? 0 : -1;
}

int mr_fleet_send(PGconn *c, const mr_run_rec *rec, char *err, size_t errcap,
                  int *conn_lost)
{
    *conn_lost = 0;
    err[0] = '\0';
    long rows = 0;
    int stored;
    if (send_head(c, rec, &rows, err, errcap))
        goto rollback;
    if (rows == 0) {
        stored = 1;   /* the server has it: stored once */
        if (mr_fleet_exec(c, "COMMIT", err, errcap))
            goto fail;
        return stored;
    }
    if (rec->nfindings && copy_findings(c, rec, err, errcap))
        goto rollback;
    /* The findings through the policies, the fleet's latest problems
     * (mamori.note_run), and the end, in one trip. The UUID was checked
     * by the parser: 36 hex digits and dashes, safe in the statement. */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "%sSELECT mamori.note_run('%s'::uuid); COMMIT",
             rec->nfindings ? "INSERT INTO mamori.findings SELECT * FROM mamori_in; "
                            : "",
             rec->f[1]);
    if (mr_fleet_exec(c, sql, err, errcap))
        goto rollback;
    return 0;
rollback:
    if (mr_sym_PQstatus(c) == CONNECTION_OK)
        mr_sym_PQclear(mr_sym_PQexec(c, "ROLLBACK"));
fail:
    *conn_lost = mr_sym_PQstatus(c) != CONNECTION_OK;
    return -1;
}

/* ---- the push ----------------------------------------------------- */

typedef struct run_copy {
    mamori_history_run r;
    char *strs;   /* owned: uuid, host, root, command, scope, version */
} run_copy;

typedef struct run_list {
    run_copy *v;
    size_t n, cap;
    int failed;
} run_list;

static char *dup_into(char **o, const char *s)
{
    char *start = *o;
    size_t n = s ? strlen(s) : 0;
    memcpy(start, s ? s : "", n);
    start[n] = '\0';
    *o += n + 1;
    return start;
}

static int collect(void *user, const mamori_history_run *r)
{
    run_list *l = user;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        run_copy *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return l->failed = 1;
        l->v = v;
        l->cap = cap;
    }
    const char *s[6] = {r->uuid, r->host, r->root, r->command, r->scope,
                        r->version};
    size_t total = 0;
    for (int i = 0; i < 6; i++)
        total += (s[i] ? strlen(s[i]) : 0) + 1;
    run_copy *c = &l->v[l->n];
    if (!(c->strs = malloc(total)))
        return l->failed = 1;
    c->r = *r;
    char *o = c->strs;
    c->r.uuid = dup_into(&o, r->uuid);
    c->r.host = dup_into(&o, r->host);
    c->r.root = dup_into(&o, r->root);
    c->r.command = dup_into(&o, r->command);
    c->r.scope = dup_into(&o, r->scope);
    c->r.version = dup_into(&o, r->version);
    c->r.capabilities = NULL;
    l->n++;
    return 0;
}

static void run_list_free(run_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].strs);
    free(l->v);
}

/* Sends the spool in order; stops at a lost connection (*c then NULL). */
static void send_spool(const mamori_ctx *ctx, const char *dir, PGconn **c,
                       mamori_fleet_push_result *res)
{
    mr_spool_files l;
    if (mr_spool_scan(dir, &l))
        return;
    for (size_t i = 0; i < l.n && *c; i++) {
        char *data = NULL, path[4096];
        size_t len = 0;
        mr_run_rec rec;
        if (mr_spool_read(dir, l.files[i].name, &data, &len))
            continue;
        if (mr_payload_parse(data, len, &rec)) {
            free(data);
            mr_spool_set_aside(ctx, dir, l.files[i].name, "malformed");
            continue;
        }
        int lost = 0;
        int r = mr_fleet_send(*c, &rec, res->err, sizeof(res->err), &lost);
        mr_run_rec_free(&rec);
        free(data);
        if (r >= 0) {
            if (mr_spool_path(dir, l.files[i].name, path, sizeof(path)) == 0)
                unlink(path);
            res->sent += r == 0;
            res->duplicate += r == 1;
            res->resent++;
        } else if (lost) {
            mr_sym_PQfinish(*c);
            *c = NULL;
        } else {
            mr_spool_set_aside(ctx, dir, l.files[i].name, "refused");
        }
    }
    mr_spool_files_free(&l);
}

static unsigned spool_count(const char *dir)
{
    mr_spool_files l;
    if (mr_spool_scan(dir, &l))
        return 0;
    unsigned n = (unsigned)l.n;
    mr_spool_files_free(&l);
    return n;
}

static int make_dir(const char *path)
{
    char dir[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof(dir))
        return -1;
    memcpy(dir, path, n + 1);
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

mamori_err mamori_fleet_push(const mamori_ctx *ctx,
                             const mamori_fleet_push_opts *opts,
                             const mamori_sysroot *sr, mamori_history *h,
                             mamori_fleet_push_result *res)
{
    memset(res, 0, sizeof(*res));
    if (!opts || !opts->spool_dir || !*opts->spool_dir || !h || !sr)
        return MAMORI_E_INVAL;
    char host_id[MAMORI_FLEET_HOST_ID_MAX + 1];
    if (opts->host_id) {
        if (!mamori_fleet_host_id_ok(opts->host_id)) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "a host id is 1 to %d of letters, digits, '.', '_', ':', '-'",
                         MAMORI_FLEET_HOST_ID_MAX);
            return MAMORI_E_INVAL;
        }
        snprintf(host_id, sizeof(host_id), "%s", opts->host_id);
    } else if (mamori_fleet_machine_id(sr, host_id)) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, "/etc/machine-id", 0,
                     "no machine id to name this host: give --host-id");
        return MAMORI_E_INVAL;
    }
    const char *dir = opts->spool_dir;
    uint64_t max = opts->spool_max ? opts->spool_max : MAMORI_FLEET_SPOOL_MAX_DEFAULT;
    if (make_dir(dir)) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, dir, 0,
                     "cannot make the spool directory: %s", strerror(errno));
        return MAMORI_E_IO;
    }
    run_list runs = {0};
    mamori_err e = mamori_history_runs(h, 0, collect, &runs);
    if (runs.failed)
        e = MAMORI_E_NOMEM;
    if (e) {
        run_list_free(&runs);
        return e;
    }
    char marker[MR_SPOOL_UUID_MAX];
    size_t first = runs.n ? runs.n - 1 : 0;
    if (!opts->newest_only && mr_spool_marker_get(dir, marker) == 0)
        for (size_t i = 0; i < runs.n; i++)
            if (strcmp(runs.v[i].r.uuid, marker) == 0)
                first = i + 1;
    if (opts->newest_only && runs.n && mr_spool_marker_get(dir, marker) == 0 &&
        strcmp(runs.v[runs.n - 1].r.uuid, marker) == 0)
        first = runs.n;
    mr_host_facts hf;
    mr_host_facts_read(sr, &hf);
    PGconn *c = NULL;
    if (opts->conninfo && *opts->conninfo)
        c = mr_fleet_connect(opts->conninfo, res->err, sizeof(res->err));
    else
        snprintf(res->err, sizeof(res->err), "no database given");
    if (c)
        send_spool(ctx, dir, &c, res);
    for (size_t i = first; i < runs.n; i++) {
        mr_payload p;
        e = mr_payload_build(h, &runs.v[i].r, host_id, &hf, &p);
        if (e) {
            res->lost += (unsigned)(runs.n - i);
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0,
                         "cannot read the run %s from the history",
                         runs.v[i].r.uuid);
            break;
        }
        int handed = 0;
        /* Straight to the server only when nothing waits before it. */
        if (c && spool_count(dir) == 0) {
            mr_run_rec rec;
            int lost = 0, r = -1;
            if (mr_payload_parse(p.text, p.len, &rec) == MAMORI_OK) {
                r = mr_fleet_send(c, &rec, res->err, sizeof(res->err), &lost);
                mr_run_rec_free(&rec);
            }
            if (r >= 0) {
                res->sent += r == 0;
                res->duplicate += r == 1;
                handed = 1;
            } else if (lost) {
                mr_sym_PQfinish(c);
                c = NULL;
            }
        }
        if (!handed) {
            mamori_err se = mr_spool_add(ctx, dir, max, &p, &res->dropped);
            if (se == MAMORI_OK) {
                res->spooled++;
                handed = 1;
            } else {
                mamori_diagf(ctx, MAMORI_DIAG_ERROR, dir, 0,
                             "the run %s could not be spooled: %s", p.uuid,
                             se == MAMORI_E_TOO_LARGE ? "larger than the spool"
                                                      : strerror(errno));
            }
        }
        if (handed && mr_spool_marker_set(dir, p.uuid))
            mamori_diagf(ctx, MAMORI_DIAG_WARN, dir, 0,
                         "cannot note the run sent: it may be sent again "
                         "(and stored once)");
        mr_payload_free(&p);
        if (!handed) {
            res->lost += (unsigned)(runs.n - i);
            break;
        }
    }
    if (c)
        mr_sym_PQfinish(c);
    res->waiting = spool_count(dir);
    run_list_free(&runs);
    return res->lost ? MAMORI_E_IO : MAMORI_OK;
}
