/*
 * pw_breach.h — what the user's breach list reader (breach.c) shares with
 * the hash code (md4.c): the formats it reads, one line's parser and the
 * hashes that turn a candidate password into a key of the filter.
 *
 * Keys: a plain list keys each password by mr_pw_hash (pw_hash.h); the
 * Pwned Passwords lists key each entry by the first 8 bytes of its SHA-1
 * or NT hash read big-endian (those bytes are already uniform), and a
 * candidate is hashed the same way before the lookup.
 */
#ifndef MR_PW_BREACH_H
#define MR_PW_BREACH_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/password.h"

#define MR_MD4_LEN 16
#define MR_SHA1_LEN 20

/* MD4 of data[0, n) (RFC 1320). */
void mr_md4(const void *data, size_t n, unsigned char out[MR_MD4_LEN]);
/* The NT hash: MD4 of the password as UTF-16LE. Invalid UTF-8 bytes are
 * taken as Latin-1; input past MAMORI_PASSWORD_MAX bytes is ignored. */
void mr_ntlm_hash(const char *pw, size_t n, unsigned char out[MR_MD4_LEN]);

/* The key of a hash's first 8 bytes, big-endian. */
uint64_t mr_pw_digest_key(const unsigned char *digest);

typedef enum mr_breach_line {
    MR_BL_KEY = 0,      /* *key set */
    MR_BL_EMPTY,        /* blank line: ignored */
    MR_BL_TOO_LONG,     /* a plain password over MAMORI_PASSWORD_MAX */
    MR_BL_BAD           /* not the file's hash format */
} mr_breach_line;

/* The format one line (without its line end) looks like: 40 hex digits
 * (optionally ":count") SHA-1, 32 NTLM, else plain. A file's format is
 * the one most of its first non-empty lines have (breach.c). */
mamori_breach_format mr_pw_breach_detect(const char *line, size_t len);
/* Parses one line (without "\n"; a "\r" before it is allowed) of a list
 * in format fmt into *key. */
mr_breach_line mr_pw_breach_parse_line(mamori_breach_format fmt,
                                       const char *line, size_t len,
                                       uint64_t *key);

#endif
