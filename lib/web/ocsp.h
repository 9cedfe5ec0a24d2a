/*
 * ocsp.h — the revocation status of a site's certificate, by OCSP
 * (RFC 6960): the response the server stapled to the handshake when it
 * did, else the responder named in the certificate's Authority
 * Information Access asked over HTTP (a POST through libcurl, within the
 * site's deadline). The response must be signed for the certificate's
 * issuer (OCSP_basic_verify against the chain sent and the store:
 * ca_file or the system's), current (thisUpdate/nextUpdate, five
 * minutes' leeway) and about this certificate; anything else is an error
 * said in why, never a "good".
 */
#ifndef MR_WEB_OCSP_H
#define MR_WEB_OCSP_H

#include <stdint.h>

#include <openssl/x509.h>

#define MR_OCSP_RESP_MAX (64 * 1024)   /* bytes of a responder's answer */
#define MR_OCSP_WHY_MAX 160

typedef enum mr_ocsp_status {
    MR_OCSP_NONE = 0,        /* not asked: no staple and no responder */
    MR_OCSP_GOOD,
    MR_OCSP_REVOKED,
    MR_OCSP_UNKNOWN,         /* the responder does not know it */
    MR_OCSP_ERROR            /* no usable answer: why says */
} mr_ocsp_status;

/* Judges leaf (chain: what the server sent, may be NULL): staple/len the
 * stapled response (NULL, 0: none). ask: may the responder be asked
 * (no staple). Writes why (may be "") and returns the status; *from_staple
 * says where the answer came from. */
mr_ocsp_status mr_ocsp_check(X509 *leaf, STACK_OF(X509) *chain,
                             const unsigned char *staple, long len,
                             const char *ca_file, int ask,
                             int64_t deadline_ms, int *from_staple,
                             char *why, size_t whycap);

extern const char *const mr_ocsp_status_names[]; /* "", "good", ... */

#endif
