/*
 * json.h — a streaming, bounded JSON reader, shared by every capability
 * that reads JSON from outside (first for the large data files `mamori
 * patch` reads: the Debian security tracker's export, about 70 MB,
 * 40,000 CVEs). It never builds a tree: it calls back for every
 * object opened and closed and every scalar, with the keys of the path
 * to it, so memory stays fixed whatever the file (MR_JSON_DEPTH_MAX
 * levels, keys cut at MR_JSON_KEY_MAX bytes, string values cut at
 * MR_JSON_STR_MAX with *cut set: a 1 GB string streams by).
 *
 * Input is a byte source (io/source.h: plain, gzip, zstd, lz4, xz). A
 * syntax error stops the read with MAMORI_E_CORRUPT, a cut file with
 * MAMORI_E_TRUNCATED; everything called back before stays valid, so the
 * caller keeps what it judged. *offset then says where (in decompressed
 * bytes).
 */
#ifndef MR_IO_JSON_H
#define MR_IO_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "io/source.h"
#include "mamori/mamori.h"

#define MR_JSON_DEPTH_MAX 64
#define MR_JSON_KEY_MAX 256
#define MR_JSON_STR_MAX 1024
#define MR_JSON_BUF (256 * 1024)

typedef enum mr_json_kind {
    MR_JSON_STRING = 0,
    MR_JSON_NUMBER,
    MR_JSON_TRUE,
    MR_JSON_FALSE,
    MR_JSON_NULL
} mr_json_kind;

/* The path to the current value: keys[1..depth] (keys[d] is the key of
 * the value at depth d inside an object; "" for array elements).
 * depth 0 is the document itself. */
typedef struct mr_json_path {
    char keys[MR_JSON_DEPTH_MAX + 1][MR_JSON_KEY_MAX];
    unsigned depth;
} mr_json_path;

typedef struct mr_json_cb {
    /* An object or array opens at path->depth (its key is the last). */
    int (*open)(void *user, const mr_json_path *path, int is_array);
    /* It closes. */
    int (*close)(void *user, const mr_json_path *path, int is_array);
    /* A scalar at path->depth; s NUL-terminated, n bytes (cut at
     * MR_JSON_STR_MAX: *cut set). */
    int (*scalar)(void *user, const mr_json_path *path, mr_json_kind kind,
                  const char *s, size_t n, int cut);
    void *user;
} mr_json_cb;

/* Reads one JSON document from src, calling cb. Any callback returning
 * non-zero stops the read with MAMORI_E_ABORTED. *offset (may be NULL)
 * gets the byte offset reached. */
mamori_err mr_json_read(mr_source *src, const mr_json_cb *cb,
                        uint64_t *offset);

#endif
