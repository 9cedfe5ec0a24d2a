/*
 * history_int.h — what the files of lib/history share: the handle, the
 * findings of the run being recorded, and the encoding of a finding's
 * fields in the database. store.c opens, migrates and writes; query.c
 * reads runs and compares them; fields.c packs and unpacks fields.
 */
#ifndef MR_HISTORY_INT_H
#define MR_HISTORY_INT_H

#include <sqlite3.h>

#include "mamori/history.h"
#include "util/arena.h"

#define MR_HISTORY_ERR_MAX 512          /* a message for people */
#define MR_HISTORY_EVIDENCE_MAX 1024    /* evidence bytes kept per finding */
#define MR_HISTORY_FIELDS_MAX (16 * 1024) /* packed fields per finding */
#define MR_HISTORY_ARENA_MAX (256u * 1024 * 1024) /* one run's copies */
#define MR_HISTORY_BUSY_MS 15000        /* wait for another writer */
#define MR_HISTORY_CAPS_MAX 512         /* names of the capabilities run */

typedef struct mr_kept_finding {
    const char *check_id;     /* the check table's own string */
    const char *category;     /* arena */
    const char *file;         /* arena, or NULL */
    const char *verdict;      /* arena, or NULL */
    const char *evidence;     /* arena, or NULL */
    const unsigned char *fields; /* arena: packed (fields.c) */
    size_t evidence_len, fields_len;
    uint64_t line;
    int64_t time;
    int severity;
    int64_t rowid;            /* once written */
    char fingerprint[MAMORI_FINGERPRINT_LEN + 1];
} mr_kept_finding;

struct mamori_history {
    sqlite3 *db;
    sqlite3_stmt *first_seen;   /* prepared once, for every finding */
    char err[MR_HISTORY_ERR_MAX];
    /* the run being recorded */
    int recording;
    mr_arena arena;
    mr_kept_finding *kept;
    size_t nkept, capkept;
    uint64_t total, dropped, by_severity[MAMORI_SEV_COUNT];
    int64_t started;
    const char *host, *root, *command, *scope, *version; /* arena */
    unsigned char packed[MR_HISTORY_FIELDS_MAX]; /* one finding's fields */
    char capabilities[MR_HISTORY_CAPS_MAX];      /* "patch logscan ..." */
};

/* A message "what: sqlite's reason" into h->err; returns err. */
mamori_err mr_history_fail(mamori_history *h, mamori_err err, const char *what);

/* Packs the fields of f into buf (cap bytes); returns the length used.
 * Fields that do not fit are left out whole. */
size_t mr_fields_pack(const mamori_finding *f, unsigned char *buf, size_t cap);
/* Unpacks into f->fields; strings point into blob or into arena (list
 * arrays). Malformed input stops unpacking (what was read stays). */
void mr_fields_unpack(const unsigned char *blob, size_t len, mr_arena *arena,
                      mamori_finding *f);

#endif
