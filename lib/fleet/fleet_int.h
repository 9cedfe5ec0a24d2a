/*
 * fleet_int.h — what the files of lib/fleet share: the connection helper
 * (conn.c), a run's payload in the spool's text form (payload.c: built
 * from the history, parsed back from a spool file), the spool directory
 * (spool.c), the schema (schema.c), sending (push.c), host facts
 * (facts.c) and the views (query.c).
 *
 * A payload is text, one record a line, every field escaped as
 * PostgreSQL's COPY text format wants it (backslash, tab, newline,
 * carriage return), so that a finding line goes to COPY as it is:
 *
 *   mamori-fleet-run 1
 *   R <uuid> <host_id> <started> <finished> <exit> <findings> <dropped>
 *     <info> <low> <medium> <high> <critical> <grade> <score>
 *     <hostname> <os> <kernel> <command> <scope> <version> <root>
 *   G <factor> <score> <grade>
 *   F <seq> <check> <severity> <category> <countermeasure> <fingerprint>
 *     <json>
 *
 * (fields separated by one tab). The payload is owned by its maker and
 * freed with mr_payload_free.
 */
#ifndef MR_FLEET_INT_H
#define MR_FLEET_INT_H

#include <libpq-fe.h>

#include "mamori/fleet.h"
#include "util/dlib.h"

/* libpq, opened by mr_fleet_connect (util/dlib.h); conn.c defines it. */
#define MR_PQ_FUNCS(X) \
    X(PQclear) \
    X(PQcmdTuples) \
    X(PQconnectdbParams) \
    X(PQdb) \
    X(PQencryptPasswordConn) \
    X(PQenterPipelineMode) \
    X(PQerrorMessage) \
    X(PQexec) \
    X(PQexitPipelineMode) \
    X(PQfinish) \
    X(PQfreemem) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetvalue) \
    X(PQhost) \
    X(PQnfields) \
    X(PQntuples) \
    X(PQpipelineSync) \
    X(PQport) \
    X(PQputCopyData) \
    X(PQputCopyEnd) \
    X(PQresultErrorMessage) \
    X(PQresultStatus) \
    X(PQsendQueryParams) \
    X(PQsetNoticeProcessor) \
    X(PQsetSingleRowMode) \
    X(PQstatus)
MR_DLIB_DECLARE(pq, MR_PQ_FUNCS);

#define MR_PAYLOAD_MAX (256u * 1024 * 1024) /* one run in text */
#define MR_PAYLOAD_FIELD_MAX 4096  /* one field of R or G, unescaped */
#define MR_FLEET_CELL_MAX 256      /* a string read from the server */
#define MR_PAYLOAD_MAGIC "mamori-fleet-run 1\n"
#define MR_RUN_FIELDS 22           /* fields of the R line, "R" included */
#define MR_FINDING_FIELDS 8        /* fields of an F line, "F" included */

typedef struct mr_payload {
    char *text;          /* the whole payload, NUL-terminated */
    size_t len, cap;
    size_t findings;     /* F lines */
    char uuid[64];       /* the run's, unescaped */
} mr_payload;

void mr_payload_free(mr_payload *p);

/* Appends s (n bytes) COPY-escaped; -1 past MR_PAYLOAD_MAX or no memory. */
int mr_payload_esc(mr_payload *p, const char *s, size_t n);
int mr_payload_raw(mr_payload *p, const char *s, size_t n);

/* Host facts put in a run's R line. */
typedef struct mr_host_facts {
    char hostname[256], os[256], kernel[128];
} mr_host_facts;
void mr_host_facts_read(const mamori_sysroot *sr, mr_host_facts *hf);

/* Builds the payload of history run `run` (its id) for host_id. */
mamori_err mr_payload_build(mamori_history *h, const mamori_history_run *run,
                            const char *host_id, const mr_host_facts *hf,
                            mr_payload *out);

/* A parsed payload: the R fields unescaped (NUL-terminated, pointing into
 * storage of the parse), the G lines, and where the F lines are. */
typedef struct mr_run_rec {
    char *f[MR_RUN_FIELDS];        /* f[0] is "R" */
    size_t ngrades;
    char *grade[32][3];            /* factor, score, grade */
    const char *findings;          /* first F line (escaped, as sent) */
    size_t findings_len;
    size_t nfindings;
    char *store;                   /* owned: the unescaped copies */
} mr_run_rec;

#define MR_GRADES_MAX 32

/* Validates and splits text (len bytes): MAMORI_E_FORMAT when anything is
 * off (the spool file is then set aside, never sent half). */
mamori_err mr_payload_parse(const char *text, size_t len, mr_run_rec *rec);
void mr_run_rec_free(mr_run_rec *rec);

/* Connects with conninfo (connect_timeout 10 s unless it says otherwise).
 * NULL and a message in err on failure. */
PGconn *mr_fleet_connect(const char *conninfo, char *err, size_t errcap);
/* Copies the server's message for people, cut and without newlines. */
void mr_fleet_errmsg(const char *what, const char *msg, char *err,
                     size_t errcap);
/* Runs one statement without parameters; 0 or -1 with err set. */
int mr_fleet_exec(PGconn *c, const char *sql, char *err, size_t errcap);

/* Sends a parsed run in one transaction. Returns 0 stored, 1 already
 * there, -1 not sent (err set; *conn_lost when the connection is gone). */
int mr_fleet_send(PGconn *c, const mr_run_rec *rec, char *err, size_t errcap,
                  int *conn_lost);

#endif
