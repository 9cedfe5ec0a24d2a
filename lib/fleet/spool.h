/*
 * spool.h — the spool directory of runs not sent yet (spool.c). Lists are
 * the caller's, freed with mr_spool_list_free; data read is the caller's
 * to free().
 */
#ifndef MR_FLEET_SPOOL_H
#define MR_FLEET_SPOOL_H

#include "fleet_int.h"

#define MR_SPOOL_FILES_MAX 100000   /* files looked at in the directory */
#define MR_SPOOL_UUID_MAX 64        /* the marker's UUID */

typedef struct mr_spool_file {
    char name[64];
    uint64_t size;
} mr_spool_file;

typedef struct mr_spool_files {
    mr_spool_file *files;   /* in spool order */
    size_t n, cap;
    uint64_t bytes;
} mr_spool_files;

mamori_err mr_spool_scan(const char *dir, mr_spool_files *out);
void mr_spool_files_free(mr_spool_files *l);
int mr_spool_path(const char *dir, const char *name, char *buf, size_t cap);
/* Reads one spool file, at most MR_PAYLOAD_MAX bytes. */
mamori_err mr_spool_read(const char *dir, const char *name, char **data,
                         size_t *len);
/* Adds a run, dropping the oldest to stay within max bytes (counted in
 * *dropped). MAMORI_E_TOO_LARGE when it cannot fit at all. */
mamori_err mr_spool_add(const mamori_ctx *ctx, const char *dir, uint64_t max,
                        const mr_payload *p, unsigned *dropped);
/* Renames a file that must not be sent to NAME.WHY, saying so. */
void mr_spool_set_aside(const mamori_ctx *ctx, const char *dir,
                        const char *name, const char *why);
/* The UUID of the last run handed over; -1 when none is kept. */
int mr_spool_marker_get(const char *dir, char uuid[MR_SPOOL_UUID_MAX]);
int mr_spool_marker_set(const char *dir, const char *uuid);

#endif
