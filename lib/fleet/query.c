/*
 * query.c — `mamori fleet`: the views of the whole fleet, each one SQL
 * statement read into a summary table (capability "fleet"), so that the
 * report layer's text, JSON and HTML writers print it as they print any
 * table. What the server answers is hostile: at most the rows asked for,
 * strings cut at MR_FLEET_CELL_MAX, numbers parsed with a bound.
 */
#include "common.h"

#include "fleet_int.h"

typedef struct view_def {
    const char *id, *title_en, *title_ja;
    size_t ncols;
    const char *cols[MAMORI_SUMMARY_COLS_MAX];
    const char *numeric;   /* per column: 'n' number, 's' severity, else text */
    const char *sql;
} view_def;

#define ISO(x) "to_char(" x " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

static const view_def views[] = {
    [MAMORI_FLEET_STATUS] = {
        "hosts", "Latest run per host", "ホストごとの最新の監査", 8,
        {"host", "hostname", "last_run", "grade", "score", "findings",
         "critical", "high"},
        "ttttnnnn",
        "SELECT h.host_id, h.hostname, " ISO("r.started") ", r.grade, r.score,"
        " r.findings, r.sev_critical, r.sev_high FROM mamori.hosts h"
        " LEFT JOIN mamori.latest l ON l.host_id = h.host_id"
        " LEFT JOIN mamori.runs r ON r.uuid = l.run"
        " ORDER BY h.host_id LIMIT $1"},
    [MAMORI_FLEET_STALE] = {
        "stale", "Hosts that stopped reporting", "報告が途絶えたホスト", 4,
        {"host", "hostname", "last_seen", "days_silent"},
        "tttn",
        "SELECT h.host_id, h.hostname, " ISO("h.last_seen") ","
        " (extract(epoch FROM now() - h.last_seen) / 86400)::bigint"
        " FROM mamori.hosts h WHERE h.last_seen < now() - make_interval("
        "secs => $2::bigint) ORDER BY h.last_seen, h.host_id LIMIT $1"},
    [MAMORI_FLEET_WORST] = {
        "worst", "Worst problems across the fleet (latest runs)",
        "全体で最も重大な問題（最新の監査）", 6,
        {"fingerprint", "check", "severity", "hosts", "category",
         "countermeasure"},
        "ttsntt",
        /* kept as runs arrive by mamori.note_run (schema.c) */
        "SELECT fingerprint, check_id, severity, hosts, category,"
        " countermeasure FROM mamori.current_problems WHERE hosts > 0"
        " ORDER BY severity DESC, hosts DESC, fingerprint LIMIT $1"},
    [MAMORI_FLEET_FINDING] = {
        "finding", "One problem across hosts and time",
        "ひとつの問題のホストごとの経緯", 7,
        {"host", "hostname", "first_seen", "last_seen", "runs", "severity",
         "open"},
        "ttttnst",
        "WITH s AS (SELECT f.host_id, r.started, f.severity, f.run"
        " FROM mamori.findings f JOIN mamori.runs r ON r.uuid = f.run"
        " WHERE f.fingerprint = $3)"
        " SELECT s.host_id, min(h.hostname), " ISO("min(s.started)") ","
        " " ISO("max(s.started)") ", count(DISTINCT s.run), max(s.severity),"
        " CASE WHEN bool_or(s.run = l.run) THEN 'yes' ELSE 'no' END"
        " FROM s JOIN mamori.hosts h ON h.host_id = s.host_id"
        " LEFT JOIN mamori.latest l ON l.host_id = s.host_id"
        " GROUP BY s.host_id ORDER BY s.host_id LIMIT $1"},
};

static int fp_ok(const char *s)
{
    if (!s || strlen(s) != MAMORI_FINGERPRINT_LEN)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return 0;
    return 1;
}

static int64_t cell_num(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno || end == s || *end ? INT64_MIN : (int64_t)v;
}

/* One row of the answer into the table: numbers parsed with a bound,
 * severities named, strings cut at MR_FLEET_CELL_MAX and their control
 * characters blanked. */
static int add_row(mamori_summary *s, const view_def *v, const PGresult *r)
{
    mamori_cell cells[MAMORI_SUMMARY_COLS_MAX];
    char text[MAMORI_SUMMARY_COLS_MAX][MR_FLEET_CELL_MAX];
    for (size_t j = 0; j < v->ncols; j++) {
        const char *val = mr_sym_PQgetisnull(r, 0, (int)j) ? NULL : mr_sym_PQgetvalue(r, 0, (int)j);
        int64_t n = val ? cell_num(val) : INT64_MIN;
        if (v->numeric[j] == 'n' && n != INT64_MIN) {
            cells[j] = (mamori_cell){NULL, n};
        } else if (v->numeric[j] == 's' && n >= 0 && n < MAMORI_SEV_COUNT) {
            cells[j] = (mamori_cell){mamori_severity_name((mamori_severity)n), 0};
        } else {
            size_t len = val ? strlen(val) : 1;
            snprintf(text[j], sizeof(text[j]), "%.*s",
                     (int)MR_MIN(len, sizeof(text[j]) - 1), val ? val : "-");
            for (char *p = text[j]; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    *p = ' ';
            cells[j] = (mamori_cell){text[j], 0};
        }
    }
    return mamori_summary_row(s, cells) ? -1 : 0;
}

mamori_err mamori_fleet_query(const mamori_fleet_query_opts *opts,
                              mamori_summary **out, char *err, size_t errcap)
{
    *out = NULL;
    if (err && errcap)
        err[0] = '\0';
    if (!opts || (unsigned)opts->view > MAMORI_FLEET_FINDING)
        return MAMORI_E_INVAL;
    if (opts->view == MAMORI_FLEET_FINDING && !fp_ok(opts->fingerprint)) {
        snprintf(err, errcap, "a fingerprint is %d hex digits",
                 MAMORI_FINGERPRINT_LEN);
        return MAMORI_E_INVAL;
    }
    const view_def *v = &views[opts->view];
    size_t limit = opts->limit ? opts->limit
                   : opts->view == MAMORI_FLEET_WORST ? MAMORI_FLEET_LIMIT_DEFAULT
                                                      : MAMORI_FLEET_ROWS_MAX;
    if (limit > MAMORI_FLEET_ROWS_MAX)
        limit = MAMORI_FLEET_ROWS_MAX;
    char lim[32], stale[32];
    snprintf(lim, sizeof(lim), "%zu", limit);
    snprintf(stale, sizeof(stale), "%lld",
             (long long)(opts->stale_after > 0 ? opts->stale_after
                                               : MAMORI_FLEET_STALE_DEFAULT));
    const char *params[3] = {lim, stale, opts->fingerprint};
    int nparams = opts->view == MAMORI_FLEET_FINDING ? 3
                  : opts->view == MAMORI_FLEET_STALE ? 2 : 1;
    PGconn *c = mr_fleet_connect(opts->conninfo, err, errcap);
    if (!c)
        return MAMORI_E_IO;
    mamori_err e = MAMORI_E_IO;
    mamori_summary *s = NULL;
    /* int8, int8, text: a view need not use every parameter it is given. */
    static const Oid types[3] = {20, 20, 25};
    PGresult *r = NULL;
    /* One row at a time: a server that answers more than asked is cut
     * off at limit + 1 rows, never read whole into memory. */
    if (mr_sym_PQsendQueryParams(c, v->sql, nparams, types, params, NULL, NULL, 0) != 1 ||
        mr_sym_PQsetSingleRowMode(c) != 1) {
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
        goto out;
    }
    e = MAMORI_E_NOMEM;
    if (!(s = mamori_summary_new("fleet")) ||
        mamori_summary_table(s, v->id, v->title_en, v->title_ja, v->ncols,
                             v->cols))
        goto out;
    size_t rows = 0;
    int done = 0;
    while (!done && (r = mr_sym_PQgetResult(c))) {
        ExecStatusType st = mr_sym_PQresultStatus(r);
        if (st == PGRES_TUPLES_OK) {
            done = 1;
        } else if (st != PGRES_SINGLE_TUPLE) {
            e = MAMORI_E_IO;
            mr_fleet_errmsg("database", mr_sym_PQresultErrorMessage(r), err, errcap);
            goto out;
        } else if (rows == limit || mr_sym_PQntuples(r) != 1 ||
                   mr_sym_PQnfields(r) != (int)v->ncols) {
            e = MAMORI_E_FORMAT;
            snprintf(err, errcap, "the server answered more than %zu rows or "
                                  "%d columns instead of %zu", limit,
                     mr_sym_PQnfields(r), v->ncols);
            goto out;
        } else if (add_row(s, v, r)) {
            goto out;
        } else {
            rows++;
        }
        mr_sym_PQclear(r);
        r = NULL;
    }
    if (!done) {
        e = MAMORI_E_IO;
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
        goto out;
    }
    if (mamori_summary_counter(s, "rows", "Rows", "行数", (int64_t)rows))
        goto out;
    *out = s;
    s = NULL;
    e = MAMORI_OK;
out:
    mamori_summary_free(s);
    mr_sym_PQclear(r);
    mr_sym_PQfinish(c);
    return e;
}
