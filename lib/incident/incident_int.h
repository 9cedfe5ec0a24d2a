/*
 * incident_int.h — what the files of lib/incident share: the record
 * (timeline entries, accounts, hosts, evidence files) and its writers.
 * incident.c selects findings into it, evidence.c copies and hashes the
 * files, write.c writes the record and the report drafts.
 */
#ifndef MR_INCIDENT_INT_H
#define MR_INCIDENT_INT_H

#include "mamori/incident.h"
#include "util/arena.h"

#define MR_INCIDENT_EVIDENCE_MAX 512      /* evidence bytes kept per entry */
#define MR_INCIDENT_ARENA_MAX (64u * 1024 * 1024)
#define MR_INCIDENT_SHOWN 50               /* timeline entries in a report */

typedef struct mr_entry {
    int64_t time;
    const mamori_check *check;
    mamori_severity severity;
    const char *verdict, *file, *client, *user, *evidence; /* arena or NULL */
    uint64_t line;
} mr_entry;

typedef struct mr_evidence {
    const char *source;         /* as the finding named it */
    char copy[64];              /* "evidence/NN-name", "" when not copied */
    char sha256[65];
    uint64_t bytes;
    const char *why_missing;    /* static, when not copied */
} mr_evidence;

struct mamori_incident {
    mamori_incident_opts opts;
    mr_arena arena;
    mr_entry *entries;
    size_t nentries, capentries;
    uint64_t dropped;
    const char *users[MAMORI_INCIDENT_NAMES_MAX], *hosts[MAMORI_INCIDENT_NAMES_MAX];
    size_t nusers, nhosts;
    mr_evidence files[MAMORI_INCIDENT_FILES_MAX];
    size_t nfiles;
    int break_in;               /* a finding said more than an attempt */
};

/* Copies every evidence file into dirfd's evidence/ (made here). */
void mr_incident_copy_evidence(mamori_incident *inc, int dirfd, const mamori_ctx *ctx);
/* record.json, SHA256SUMS, report.{en,ja}.txt, report.html into dirfd. */
mamori_err mr_incident_write_files(const mamori_incident *inc, int dirfd);

#endif
