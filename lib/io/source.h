/*
 * source.h — a byte source: a file, standard input, or either of them
 * compressed with gzip, zstd, lz4 or xz (recognized by their magic bytes,
 * not by the file name), read as one stream of decompressed bytes.
 *
 * Decompression streams through fixed buffers (MR_SOURCE_BUF), so memory
 * stays bounded whatever the input. A damaged or cut stream delivers every
 * byte before the damage, then reports MAMORI_E_CORRUPT or
 * MAMORI_E_TRUNCATED. The source owns its file descriptor (except stdin,
 * which it never closes).
 */
#ifndef MR_SOURCE_H
#define MR_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

#define MR_SOURCE_BUF (256 * 1024)   /* compressed bytes read at a time */
/* The xz decoder's memory: a hostile .xz names its own dictionary size
 * (up to 1.5 GiB). 24 MiB decodes every preset up to xz -7 (16 MiB
 * dictionary; logrotate's and xz's default, -6, needs 9 MiB); a file
 * asking for more is "too large", named, and the rest is read. */
#define MR_SOURCE_XZ_MEMLIMIT (24u * 1024 * 1024)

typedef enum mr_compression {
    MR_COMP_NONE = 0,
    MR_COMP_GZIP,
    MR_COMP_ZSTD,
    MR_COMP_LZ4,
    MR_COMP_XZ
} mr_compression;

typedef struct mr_source mr_source;

/* "-" opens standard input. On failure returns MAMORI_E_IO with errno
 * set, or MAMORI_E_NOMEM; *out is NULL then. */
mamori_err mr_source_open(const char *path, mr_source **out);
/* Reads an open descriptor (a file opened through a sysroot); the source
 * owns fd from then on, and closes it on failure too. */
mamori_err mr_source_open_fd(int fd, mr_source **out);
/* Reads from memory (not copied: data must outlive the source). */
mamori_err mr_source_open_mem(const void *data, size_t len, mr_source **out);
void mr_source_close(mr_source *s);

/* Reads up to cap decompressed bytes into buf; *got = 0 means the end.
 * After an error, later calls keep returning it. */
mamori_err mr_source_read(mr_source *s, void *buf, size_t cap, size_t *got);

mr_compression mr_source_compression(const mr_source *s);
/* What a read error of s means, for a person (English, static); errno
 * for MAMORI_E_IO. Shared by every capability that reads sources. */
const char *mr_source_strerror(const mr_source *s, mamori_err e);
/* Raw (compressed) bytes consumed so far and the raw size (0 when not a
 * regular file): for progress bars. */
uint64_t mr_source_consumed(const mr_source *s);
uint64_t mr_source_size(const mr_source *s);

#endif
