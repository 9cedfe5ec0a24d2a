/*
 * sysroot.h — reading a machine's system files through a mamori_sysroot
 * (include/mamori/host.h): bounded whole-file reads, lines, stat and
 * existence, directory listings and globs in the last component (every
 * file of /etc/pam.d, the .conf files of /etc/ssh/sshd_config.d).
 * Every host check reads through these and never opens a system path
 * itself, so `--root DIR` and the fixture trees of the tests reach every
 * check, and no symlink in an image leads out of its root.
 *
 * Paths are system paths ("/etc/login.defs"); a relative one is taken
 * from the root too. Errors: MAMORI_E_IO with errno set (ENOENT for a
 * missing file, ELOOP past MR_SYSROOT_LINKS_MAX links, EISDIR/EINVAL
 * for something that is not a regular file), MAMORI_E_TOO_LARGE over the
 * caller's maximum, MAMORI_E_NOMEM. Nothing here prints: callers turn
 * errors into diagnostics.
 */
#ifndef MR_HOST_SYSROOT_H
#define MR_HOST_SYSROOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "mamori/host.h"

#define MR_SYSROOT_FILE_MAX (1024 * 1024) /* a read's bound when max is 0 */
#define MR_SYSROOT_LINKS_MAX 40           /* symlinks per path, as Linux */
#define MR_SYSROOT_DEPTH_MAX 128          /* directories deep per path */
#define MR_SYSROOT_LIST_MAX 4096          /* names per directory listing */

/* Opens path read-only: a regular file to read (dir 0) or a directory to
 * list (dir 1). *fd is the caller's to close. FIFOs and devices in an
 * image are never opened for reading (no hang on a FIFO). */
mamori_err mr_sysroot_open(const mamori_sysroot *sr, const char *path,
                           int dir, int *fd);

/* stat(2) of path, symlinks followed inside the root. */
mamori_err mr_sysroot_stat(const mamori_sysroot *sr, const char *path,
                           struct stat *st);
/* 1 if path resolves to anything, 0 if not (errno then says why). */
int mr_sysroot_exists(const mamori_sysroot *sr, const char *path);

/* Reads a whole regular file of at most max bytes (0: MR_SYSROOT_FILE_MAX)
 * into *data, NUL-terminated (the file may hold NULs: *len counts them).
 * *data is the caller's to free(). Over max: MAMORI_E_TOO_LARGE and
 * *data NULL. */
mamori_err mr_sysroot_read(const mamori_sysroot *sr, const char *path,
                           size_t max, char **data, size_t *len);

/* Called for each line of a file: line without its "\n" and
 * NUL-terminated, writable up to len (the buffer is the sysroot's and
 * gone after the call), lineno 1-based. Non-zero stops the iteration. */
typedef int (*mr_sysroot_line_fn)(void *user, char *line, size_t len,
                                  uint64_t lineno);
/* Reads path as mr_sysroot_read() does and calls fn for every line.
 * Returns the read's error, or MAMORI_E_ABORTED when fn stopped it. */
mamori_err mr_sysroot_lines(const mamori_sysroot *sr, const char *path,
                            size_t max, mr_sysroot_line_fn fn, void *user);

/* Names in a directory, sorted bytewise; each a malloc'd string, all
 * freed by mr_sysroot_names_free(). */
typedef struct mr_sysroot_names {
    char **names;
    size_t n;
    int truncated;    /* more than MR_SYSROOT_LIST_MAX: the first kept */
} mr_sysroot_names;

/* The entries of directory dir ("." and ".." left out) whose name
 * matches pattern (fnmatch(3); NULL = every name not starting with '.').
 * A missing dir is MAMORI_E_IO with errno ENOENT. */
mamori_err mr_sysroot_list(const mamori_sysroot *sr, const char *dir,
                           const char *pattern, mr_sysroot_names *out);
/* A glob in the last component only: "/etc/pam.d/" then "*", or
 * "/etc/ssh/sshd_config.d/" then "*.conf". out gets full system paths
 * ("/etc/pam.d/common-auth"), sorted; as sh, names starting with '.'
 * match only a pattern that starts with '.'. A missing directory gives
 * an empty list and MAMORI_OK. */
mamori_err mr_sysroot_glob(const mamori_sysroot *sr, const char *pattern,
                           mr_sysroot_names *out);
void mr_sysroot_names_free(mr_sysroot_names *l);

/* Tests: resolve by the component walk even where openat2 exists, so
 * that both ways are tested on one kernel. */
void mr_sysroot_force_walk(mamori_sysroot *sr, int on);

#endif
