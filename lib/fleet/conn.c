/*
 * conn.c — connecting to the fleet's PostgreSQL and turning its messages
 * into one line for people. The server's messages are the server's: they
 * are cut at the caller's buffer and their control characters replaced,
 * so a hostile server cannot paint the administrator's terminal.
 */
#include "common.h"

#include "fleet_int.h"
#include "dlib_sonames.h"

MR_DLIB_DEFINE(pq, MR_SONAME_PQ, "libpq5", MR_PQ_FUNCS);

void mr_fleet_errmsg(const char *what, const char *msg, char *err,
                     size_t errcap)
{
    if (!err || !errcap)
        return;
    int n = snprintf(err, errcap, "%s: %s", what, msg && *msg ? msg : "failed");
    if (n < 0)
        err[0] = '\0';
    for (char *p = err; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    /* libpq ends its messages with a newline: now a trailing blank. */
    size_t len = strlen(err);
    while (len && err[len - 1] == ' ')
        err[--len] = '\0';
}

/* The library never prints: the server's notices are dropped. */
static void no_notice(void *user, const char *msg)
{
    (void)user;
    (void)msg;
}

PGconn *mr_fleet_connect(const char *conninfo, char *err, size_t errcap)
{
    /* Later parameters override earlier ones, and the expanded dbname
     * overrides what came before it: the defaults go first. */
    const char *const keys[] = {"connect_timeout", "application_name",
                                "client_encoding", "dbname", NULL};
    const char *const vals[] = {"10", "mamori", "UTF8", conninfo, NULL};
    if (!conninfo || !*conninfo) {
        mr_fleet_errmsg("no database", "give --db CONNINFO", err, errcap);
        return NULL;
    }
    if (mr_dlib_load(&mr_dlib_pq) != 0) {
        mr_fleet_errmsg("cannot connect", mr_dlib_error(&mr_dlib_pq), err, errcap);
        return NULL;
    }
    PGconn *c = mr_sym_PQconnectdbParams(keys, vals, 1);
    if (!c) {
        mr_fleet_errmsg("cannot connect", "out of memory", err, errcap);
        return NULL;
    }
    if (mr_sym_PQstatus(c) != CONNECTION_OK) {
        mr_fleet_errmsg("cannot connect", mr_sym_PQerrorMessage(c), err, errcap);
        mr_sym_PQfinish(c);
        return NULL;
    }
    mr_sym_PQsetNoticeProcessor(c, no_notice, NULL);
    return c;
}

int mr_fleet_exec(PGconn *c, const char *sql, char *err, size_t errcap)
{
    PGresult *r = mr_sym_PQexec(c, sql);
    ExecStatusType st = r ? mr_sym_PQresultStatus(r) : PGRES_FATAL_ERROR;
    int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok)
        mr_fleet_errmsg("database", mr_sym_PQerrorMessage(c), err, errcap);
    mr_sym_PQclear(r);
    return ok ? 0 : -1;
}
