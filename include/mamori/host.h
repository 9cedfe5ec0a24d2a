/*
 * host.h — the one door to a machine's system files. Every host check
 * (the password-settings review, the audit's default log locations, and
 * later patch state, host configuration, exposure and backups) reads
 * /etc, /var/lib, /var/log, /proc and /run through a mamori_sysroot, so
 * that the same check runs on this machine, on a fixture tree in a test,
 * and on a mounted disk image or container root (`--root DIR`).
 *
 * With a root, every path is resolved inside it: an absolute symlink in
 * the image (/etc/shadow -> /etc/shadow.real) or a run of ".." cannot
 * leave the root, whatever the image holds. The kernel enforces this
 * (openat2 with RESOLVE_IN_ROOT) where it can; elsewhere the sysroot
 * walks the path one component at a time with O_NOFOLLOW and resolves
 * each link itself, relative to the root. A root that changes while it is
 * read (a live container) is read consistently per open, not per audit.
 *
 * Without a root (NULL or "/"), paths are this machine's, read as they
 * are. Live probes (processes, sockets, the journal) only make sense then;
 * mamori_sysroot_is_live() says which case a check is in.
 *
 * Ownership: mamori_sysroot_new() copies root; the sysroot holds one
 * open directory descriptor until mamori_sysroot_free(). It is read-only
 * after creation, so one may serve many threads.
 */
#ifndef MAMORI_HOST_H
#define MAMORI_HOST_H

#include "mamori/export.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_SYSROOT_PATH_MAX 4096  /* bytes of a path, root included */

typedef struct mamori_sysroot mamori_sysroot;

/* root: a directory to read the system from, or NULL / "/" for this
 * machine. MAMORI_E_IO (errno kept) when root cannot be opened as a
 * directory, MAMORI_E_TOO_LARGE when it is longer than
 * MAMORI_SYSROOT_PATH_MAX / 2. *out is freed by mamori_sysroot_free(). */
MAMORI_API mamori_err mamori_sysroot_new(const char *root,
                                         mamori_sysroot **out);
MAMORI_API void mamori_sysroot_free(mamori_sysroot *sr);

/* The root as given (trailing slashes removed), or NULL for this
 * machine. Borrowed from sr. */
MAMORI_API const char *mamori_sysroot_root(const mamori_sysroot *sr);
/* 1 when sr is this machine (no root): live probes apply. */
MAMORI_API int mamori_sysroot_is_live(const mamori_sysroot *sr);

/* How a system path is named in reports: "/etc/login.defs" live,
 * "ROOT/etc/login.defs" under a root. NUL-terminated in out[cap];
 * MAMORI_E_TOO_LARGE if it does not fit. */
MAMORI_API mamori_err mamori_sysroot_display(const mamori_sysroot *sr,
                                             const char *path, char *out,
                                             size_t cap);

/* The path on this machine where the system path `path` really is, with
 * every symlink resolved inside the root: what to hand to a capability
 * that opens files itself (logscan, authscan). On this machine, path
 * itself once it is seen to exist. MAMORI_E_IO with errno (ENOENT...)
 * when it does not resolve. Between this call and the open,
 * a root being changed could swap a component: use it on images and
 * copies, not on roots an attacker is rewriting at the same moment. */
MAMORI_API mamori_err mamori_sysroot_resolve(const mamori_sysroot *sr,
                                             const char *path, char *out,
                                             size_t cap);

#ifdef __cplusplus
}
#endif
#endif
