/*
 * stanza.h — a bounded parser of the RFC 822-style stanzas (deb822) that
 * dpkg's status database and apt's Packages and Release files are made
 * of (read by patch and by the host review, so it lives beside the
 * sysroot): "Field: value" lines, continuation lines starting with a blank,
 * stanzas separated by blank lines. Fed one line at a time, so a list of
 * any size streams through fixed memory.
 *
 * Only a field's first line is kept (every field mamori reads fits in
 * one: Package, Version, Status, Source, Suite, Date...); continuation
 * lines are passed over. A stanza keeps at most MR_STANZA_FIELDS_MAX
 * fields and MR_STANZA_BUF bytes of names and values; past either, and
 * for a value longer than MR_STANZA_VALUE_MAX, the rest is dropped and
 * st->truncated is set. A line that is neither a field nor a
 * continuation is counted in p->malformed and otherwise ignored.
 *
 * Ownership: the stanza handed to the callback is the parser's, valid
 * during the call only.
 */
#ifndef MR_HOST_STANZA_H
#define MR_HOST_STANZA_H

#include <stddef.h>
#include <stdint.h>

#include "util/span.h"

#define MR_STANZA_FIELDS_MAX 64
#define MR_STANZA_VALUE_MAX 1024
#define MR_STANZA_BUF (16 * 1024)

typedef struct mr_stanza_field {
    mr_span name, value;     /* value trimmed of blanks at both ends */
} mr_stanza_field;

typedef struct mr_stanza {
    mr_stanza_field f[MR_STANZA_FIELDS_MAX];
    size_t n;
    uint64_t line;           /* the line of its first field, 1-based */
    int truncated;
    char buf[MR_STANZA_BUF];
    size_t used;
} mr_stanza;

/* Non-zero stops the parse. */
typedef int (*mr_stanza_fn)(void *user, const mr_stanza *st);

typedef struct mr_stanza_parser {
    mr_stanza st;
    mr_stanza_fn fn;
    void *user;
    uint64_t lineno;
    uint64_t stanzas;
    uint64_t malformed;
    uint64_t first_malformed;   /* its line number; 0 = none */
    int stopped;
} mr_stanza_parser;

/* The value of a field (names compare case-insensitively, as deb822
 * says), or a NULL span when the stanza has none. */
mr_span mr_stanza_get(const mr_stanza *st, const char *name);

void mr_stanza_init(mr_stanza_parser *p, mr_stanza_fn fn, void *user);
/* One line, without its "\n" (a "\r" before it is removed). Returns
 * non-zero once the callback has stopped the parse. */
int mr_stanza_line(mr_stanza_parser *p, const char *line, size_t len);
/* The end of the input: the last stanza goes out. */
int mr_stanza_end(mr_stanza_parser *p);
/* A whole buffer, lines and end. */
int mr_stanza_buffer(mr_stanza_parser *p, const char *data, size_t len);

#endif
