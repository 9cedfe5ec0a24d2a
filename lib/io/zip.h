/*
 * zip.h — a bounded reader of ZIP archives (PKWARE APPNOTE 6.3): the
 * central directory, then one entry at a time, stored or deflated
 * (raw deflate through zlib), its CRC-32 checked. Enough for the
 * all.zip archives osv.dev publishes per ecosystem (`mamori patch --osv
 * all.zip`), which hold tens of thousands of small JSON records: ZIP64
 * end records and extra fields are read, so more than 65,535 entries and
 * offsets past 4 GiB work.
 *
 * Nothing is trusted: the central directory is at most MR_ZIP_CD_MAX
 * bytes and MR_ZIP_ENTRIES_MAX entries, names at most MR_ZIP_NAME_MAX
 * bytes (longer ones are skipped and counted), every offset and size is
 * checked against the archive's size before use, and an entry is
 * inflated into at most the caller's max bytes whatever its header
 * claims (a zip bomb stops at max). Encrypted entries, other methods
 * and multi-disk archives are refused per entry or per archive. Nothing
 * prints.
 *
 * Ownership: mr_zip_open*() returns an archive the caller frees with
 * mr_zip_close(); it owns its descriptor (or borrows the memory, which
 * must outlive it). Names are the archive's, valid until close. Data
 * from mr_zip_read() is the caller's to free().
 */
#ifndef MR_IO_ZIP_H
#define MR_IO_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/mamori.h"

#define MR_ZIP_CD_MAX (256u * 1024 * 1024) /* central directory bytes */
#define MR_ZIP_ENTRIES_MAX 1000000u       /* entries kept */
#define MR_ZIP_NAME_MAX 1024               /* bytes of one entry's name */
#define MR_ZIP_COMMENT_MAX 65535           /* the end record's comment */

typedef struct mr_zip mr_zip;

/* Opens the archive at path and reads its central directory. Errors:
 * MAMORI_E_IO (errno set), MAMORI_E_CORRUPT (no end record, a
 * directory that does not fit the file, multi-disk), MAMORI_E_TOO_LARGE
 * (directory over MR_ZIP_CD_MAX), MAMORI_E_NOMEM; *out NULL then. */
mamori_err mr_zip_open(const char *path, mr_zip **out);
/* The same over len bytes of memory (not copied). */
mamori_err mr_zip_open_mem(const void *data, size_t len, mr_zip **out);
void mr_zip_close(mr_zip *z);

/* Entries kept, in the directory's order; entries skipped (a name too
 * long or with a NUL, over MR_ZIP_ENTRIES_MAX). */
size_t mr_zip_count(const mr_zip *z);
uint64_t mr_zip_skipped(const mr_zip *z);
/* The i-th entry's name, NUL-terminated (i < mr_zip_count). */
const char *mr_zip_name(const mr_zip *z, size_t i);

/* The i-th entry's bytes, uncompressed, into *data (NUL-terminated,
 * *len not counting it; the caller frees). MAMORI_E_TOO_LARGE when it
 * is over max bytes, MAMORI_E_FORMAT for encryption or a method
 * other than stored and deflate, MAMORI_E_CORRUPT for a bad local
 * header, a deflate error, a size or CRC-32 that differs from the
 * directory's, MAMORI_E_TRUNCATED when the archive ends inside it,
 * MAMORI_E_IO (errno set), MAMORI_E_NOMEM; *data NULL then. */
mamori_err mr_zip_read(mr_zip *z, size_t i, size_t max, char **data,
                       size_t *len);

#endif
