/*
 * tlsgrade.h — judging a TLS probe (tls.h): the SSL Labs grade, by the
 * published SSL Server Rating Guide, and the differences to Mozilla's
 * "intermediate" configuration (catalogue.h). Pure functions over the
 * probe's result, so tests judge made-up results.
 *
 * The grade: a score of protocol support (30%: the best and worst
 * version accepted, averaged), key exchange (30%: the weakest, by its
 * strength in RSA-equivalent bits) and cipher strength (40%: strongest
 * and weakest averaged), turned into A (80+), B (65+), C (50+), D (35+),
 * E (20+) or F; then the guide's caps: F for NULL, anonymous or
 * export-grade suites and key exchange under 1024 bits; C for SSLv3,
 * RC4, 3DES on TLS 1.1 and later, or no TLS 1.2; B for TLS 1.0 or 1.1,
 * no forward secrecy, no AEAD suite, a key or DH group under 2048 bits;
 * A+ for an A with HSTS of at least six months and no cap. A
 * certificate that is not trusted (chain, expired, not yet valid, SHA-1
 * or MD5 signature) makes the grade T, one whose names do not match the
 * host M; the grade it would have had is kept.
 */
#ifndef MR_WEB_TLSGRADE_H
#define MR_WEB_TLSGRADE_H

#include "web/catalogue.h"
#include "web/tls.h"

#define MR_TLS_REASONS_MAX 12   /* caps and their reasons */
#define MR_TLS_DIFFS_MAX 64     /* differences to Mozilla's config */
#define MR_TLS_DIFF_LEN 128

typedef struct mr_tls_grade {
    char grade[3];               /* "A+".."F", "T", "M" */
    char grade_if_trusted[3];    /* the letter before T and M */
    int score, protocol_score, kx_score, cipher_score;
    const char *reasons[MR_TLS_REASONS_MAX]; /* static English */
    size_t nreasons;
} mr_tls_grade;

/* hsts_max_age: the Strict-Transport-Security max-age the site sent
 * (seconds; -1 none). */
void mr_tls_grade_of(const mr_tls_result *r, long long hsts_max_age,
                     mr_tls_grade *g);

typedef struct mr_tls_diffs {
    char v[MR_TLS_DIFFS_MAX][MR_TLS_DIFF_LEN];
    size_t n;
    size_t more;                 /* left out over the maximum */
} mr_tls_diffs;

/* Protocols, suites, groups and the RSA key size; OCSP stapling is a
 * finding of its own (web.tls.no-ocsp-stapling), not repeated here. */
void mr_tls_mozilla_diff(const mr_tls_result *r, const mr_web_mozilla *m,
                         mr_tls_diffs *d);

/* Is the suite weak in itself (NULL, anonymous, export, DES, 3DES, RC4,
 * under 128 bits)? */
int mr_tls_suite_weak(const mr_tls_suite *s);

#endif
