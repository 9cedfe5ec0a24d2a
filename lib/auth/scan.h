/*
 * scan.h — the authscan object shared by its driver (authscan.c), the
 * journal reader (journal.c) and the findings writer (report.c).
 * Everything here is owned by the object and freed by
 * mamori_authscan_free().
 */
#ifndef MR_AUTH_SCAN_H
#define MR_AUTH_SCAN_H

#include "auth/engine.h"
#include "auth/parse.h"
#include "auth/web.h"
#include "mamori/authscan.h"

struct mamori_authscan {
    const mamori_ctx *ctx;
    mr_auth_cfg cfg;
    mr_auth_web web;
    mr_auth_engine *engine;
    int64_t ref_time;
    char *buf;                   /* MR_AS_BUF + a line of reading */
    mr_logformat *fmt;           /* per-file web format */
    mr_auth_clock clock;         /* per-file year inference */
    const char *file;
    uint64_t file_line, file_malformed;
    uint64_t files, lines, malformed, unreadable, journal_entries;
};

/* Sends one parsed event to the engine (after --since/--until). */
void mr_auth_scan_event(mamori_authscan *as, const mr_auth_event *ev);

#endif
