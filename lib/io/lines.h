/*
 * lines.h — cutting a byte source (source.h) into buffers of whole lines,
 * the input side of every parallel log scan (logscan, authscan).
 *
 * Each fill hands out up to `cap` bytes ending at a newline; the part of a
 * line cut off at the end is carried into the next fill. A line longer
 * than a whole buffer is reported once as `overlong` and its bytes are
 * dropped as they stream by, so memory stays bounded by the caller's
 * buffers whatever the input.
 *
 * Ownership: the caller allocates `carry` (cap bytes, the same cap at
 * every fill) and the buffers, and keeps owning the source.
 */
#ifndef MR_LINES_H
#define MR_LINES_H

#include <stddef.h>

#include "io/source.h"

typedef struct mr_line_reader {
    mr_source *src;
    char *carry;         /* cap bytes: the cut-off last line */
    size_t ncarry;
    int skipping;        /* inside a line longer than a buffer */
    int eof;
    mamori_err err;      /* the source's first error, once met */
    uint64_t dropped;    /* bytes of overlong lines dropped (newlines too),
                            so a caller's "bytes read" can count them */
} mr_line_reader;

/* Fills buf with whole lines: *len bytes, or *overlong = 1 (and *len 0)
 * for one line too long to hold. Returns 0 when nothing is left. */
int mr_line_reader_fill(mr_line_reader *r, char *buf, size_t cap,
                        size_t *len, int *overlong);

#endif
