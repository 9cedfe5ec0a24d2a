/*
 * walk.h — the one file walker of every capability that reads files:
 * a path names a file, a directory (walked recursively in sorted order)
 * or "-" (standard input); each file is opened as a byte source
 * (source.h: plain, gzip or zstd, by content) and handed to the caller.
 *
 * What a walk reads, whoever asks:
 *   - Dotfiles: an entry whose name starts with '.' is skipped inside a
 *     directory (editor swap files, .git, .htaccess are not logs); a path
 *     given by the caller is always read, whatever its name.
 *   - Links: a link whose target lies inside the given tree is skipped,
 *     because the walk reaches the target under its own name, so each
 *     file is read once; unless the walk would not reach the target (a
 *     dotfile, or past the depth bound), when the link is the way to it.
 *     A link to a directory outside the tree is followed only with
 *     `follow`; a link to a file outside it is read. Every directory
 *     entered is remembered by device and inode, so a loop through
 *     followed links or bind mounts ends at the second visit.
 *   - Depth: directories deeper than `depth_max` below the given one are
 *     not entered.
 * Every link, loop or directory skipped is named in a note (or a warning)
 * through the context's diagnostics; nothing is skipped silently except
 * files that are not regular (fifos, sockets, devices) and entries that
 * vanish while the walk runs (a rotated log).
 *
 * Ownership: the walker owns each source and closes it after the callback
 * returns; the callback must not keep it or the path.
 */
#ifndef MR_WALK_H
#define MR_WALK_H

#include <stdint.h>

#include "io/source.h"
#include "mamori/mamori.h"

#define MR_WALK_DEPTH_DEFAULT 16      /* directory levels below the given one */
#define MR_WALK_PATH_MAX 4096         /* longer paths are skipped, with a warning */
#define MR_WALK_DIRS_MAX 65536        /* directories remembered against loops */

/* One file to read. */
typedef struct mr_walk_file {
    const char *path;   /* as given, or "DIR/NAME" below a directory */
    mr_source *src;     /* open; closed by the walker after the call */
    int64_t mtime;      /* modification time; 0 for standard input */
    int in_dir;         /* found inside a directory (not named by the caller) */
} mr_walk_file;

/* Returns MAMORI_OK, any other error (remembered, the walk goes on), or
 * MAMORI_E_ABORTED to stop the walk at once. */
typedef mamori_err (*mr_walk_fn)(void *user, const mr_walk_file *f);

typedef struct mr_walk_opts {
    const mamori_ctx *ctx;   /* diagnostics; may be NULL */
    int follow;              /* follow directory links out of the tree */
    unsigned depth_max;      /* 0 = MR_WALK_DEPTH_DEFAULT */
    mr_walk_fn fn;
    void *user;
    uint64_t *unreadable;    /* counts files and directories that could not
                              * be opened; may be NULL */
} mr_walk_opts;

/* Walks path, calling o->fn for each file in order. Returns the first
 * error met (MAMORI_E_IO for an unreadable file or directory, after a
 * diagnostic naming it; MAMORI_E_NOMEM), the first error the callback
 * returned, or MAMORI_E_ABORTED when the callback stopped the walk. */
mamori_err mr_walk_path(const mr_walk_opts *o, const char *path);
/* Hands one file to o->fn as if met inside a directory (in_dir = 1): for
 * callers that walk a tree of their own, such as the audit under --root. */
mamori_err mr_walk_entry(const mr_walk_opts *o, const char *path);

#endif
