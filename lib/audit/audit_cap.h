/*
 * audit_cap.h — what the entries of the audit table (audit.h) share: the
 * entries themselves, one per capability in cap_<name>.c beside the
 * sources it reads by default, and the walk that hands a capability
 * those sources as they are on the host (include/mamori/host.h).
 */
#ifndef MR_AUDIT_CAP_H
#define MR_AUDIT_CAP_H

#include "mamori/audit.h"

#define MR_AUDIT_DEPTH_MAX 8   /* directories deep under a root's source */

typedef enum mr_audit_kind {
    MR_AUDIT_DIR = 0,     /* this machine's directory: the capability's
                             own walker reads it */
    MR_AUDIT_FILE,        /* a file named as a source */
    MR_AUDIT_DIR_ENTRY    /* a file met in a root's source directory,
                             already resolved inside the root */
} mr_audit_kind;

/* Gets each source found; returns non-zero to stop (the sink aborted). */
typedef int (*mr_audit_feed)(void *user, const char *path,
                             mr_audit_kind kind);

/*
 * Hands feed every source of `sources` (NULL-terminated host paths) that
 * exists on sr. On this machine a directory goes whole to the capability
 * (MR_AUDIT_DIR) and a file as it is. Under a root, directories are
 * walked here, through the sysroot, so that no symlink in the image leads
 * a capability out of it: every regular file below (dotfiles skipped, at
 * most MR_AUDIT_DEPTH_MAX deep, in name order, links back to a directory
 * above passed over) goes as the host path it resolves to inside the
 * root. Returns how many sources existed.
 */
size_t mr_audit_sources(const mamori_ctx *ctx, const mamori_sysroot *sr,
                        const char *const *sources, mr_audit_feed feed,
                        void *user);

/* The name of the host in notes: "this machine" or "ROOT". */
const char *mr_audit_host_name(const mamori_sysroot *sr);

/* The request lines of sensitive files the logscan row saw served,
 * for the web row (served.c); mr_audit_served_free frees the copies. */
#define MR_AUDIT_SERVED_MAX 256          /* distinct or not; the rest dropped */
#define MR_AUDIT_SERVED_LEN_MAX 8192     /* bytes of one request line */
typedef struct mr_audit_served {
    mamori_sink sink;                    /* what the capabilities get */
    const mamori_sink *next;             /* the caller's */
    char *req[MR_AUDIT_SERVED_MAX];
    size_t n;
    uint64_t dropped;
} mr_audit_served;

void mr_audit_served_init(mr_audit_served *s, const mamori_sink *next);
void mr_audit_served_free(mr_audit_served *s);

extern const mamori_audit_capability mr_audit_patch;
extern const mamori_audit_capability mr_audit_backup;
extern const mamori_audit_capability mr_audit_logscan;
extern const mamori_audit_capability mr_audit_authscan;
extern const mamori_audit_capability mr_audit_dns;
extern const mamori_audit_capability mr_audit_host;
extern const mamori_audit_capability mr_audit_web;
extern const mamori_audit_capability mr_audit_exposure;

#endif
