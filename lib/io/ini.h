/*
 * ini.h — the line reader that mamori.conf (lib/conf/conf.c) and the
 * backup declaration (lib/backup/decl.c) read through libinih's
 * ini_parse_stream, over a buffer already in memory.
 *
 * It is where line numbers come from (Debian's libinih does not pass
 * them to the handler), where section headers are taken with their line
 * (a section without keys still declares something), and where what
 * libinih would drop or split is caught first: a line longer than its
 * buffer, a NUL byte, a line that is no key, value or section. Each is
 * an error of its line, handed to the file's error hook; the rest of the
 * file is still read. What a section or key means stays with the file.
 *
 * Ownership: the caller owns data (it must outlive mr_ini_parse), the
 * hooks and the mr_ini, usually a member of its own reader state.
 */
#ifndef MR_INI_H
#define MR_INI_H

#include <stddef.h>
#include <stdint.h>

#define MR_INI_MSG_MAX 128   /* an error of the reader's own */

typedef struct mr_ini_hooks {
    /* An error of line `line` (msg NUL-terminated, valid for the call). */
    void (*error)(void *user, uint64_t line, const char *msg);
    /* A section header at the current line: body is what stands between
     * '[' and ']' (n bytes, not NUL-terminated), or NULL after a header
     * without its ']' (already said through error). */
    void (*section)(void *user, const char *body, size_t n);
    /* libinih's handler, called as libinih calls it. */
    int (*handler)(void *user, const char *section, const char *name,
                   const char *value);
} mr_ini_hooks;

typedef struct mr_ini {
    const char *data;
    size_t len, pos;
    uint64_t lineno;        /* of the line libinih is handling */
    int have_key;           /* a key line since the section: an indented
                               line continues it */
    int cont;               /* the current line continues a key */
    const mr_ini_hooks *hooks;
    void *user;
} mr_ini;

static inline int mr_ini_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* The next blank-separated word of [*p, end): returns its start, sets *n
 * to its length and moves *p past it and the blanks after it. */
const char *mr_ini_word(const char **p, const char *end, size_t *n);

/* Reads len bytes of data through libinih, user handed to every hook.
 * Returns what ini_parse_stream returns: 0, the first line libinih
 * refused (> 0), or < 0 when it could not run. */
int mr_ini_parse(mr_ini *ini, const char *data, size_t len,
                 const mr_ini_hooks *hooks, void *user);

#endif
