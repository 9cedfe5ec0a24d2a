/*
 * base64.h — decoding base64 (RFC 4648, the standard alphabet) into a
 * caller's buffer of named size: SSH public keys (`mamori host`'s host
 * key sizes) and any other capability that reads base64 from a file.
 * Nothing is allocated; the input is a bounded run of untrusted bytes.
 */
#ifndef MR_BASE64_H
#define MR_BASE64_H

#include <stddef.h>

/* Decodes in[0..n) into out (at most cap bytes); blanks and line ends
 * are skipped, '=' may only end the input. 0 with *len set, or -1 on a
 * byte outside the alphabet, a bad ending or more than cap bytes. */
int mr_base64_decode(const char *in, size_t n, unsigned char *out,
                     size_t cap, size_t *len);

/* Why a decoding failed, for a caller that names it (DKIM's p=). */
typedef enum mr_base64_fault {
    MR_BASE64_OK,
    MR_BASE64_BAD_BYTE,   /* outside the alphabet, or after '=' */
    MR_BASE64_TOO_LONG,   /* more than cap bytes */
    MR_BASE64_BAD_END     /* more than two '=', or a dangling sextet */
} mr_base64_fault;

/* mr_base64_decode, saying why it failed; *bad is the offending byte
 * for MR_BASE64_BAD_BYTE. */
mr_base64_fault mr_base64_decode_why(const char *in, size_t n, unsigned char *out,
                                     size_t cap, size_t *len, unsigned char *bad);

#endif
