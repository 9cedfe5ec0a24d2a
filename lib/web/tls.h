/*
 * tls.h — the TLS probe of `mamori web`: what a server accepts, seen by
 * handshakes of our own through OpenSSL, and what its certificate is.
 *
 * Protocols are probed one by one (min = max version); cipher suites per
 * protocol by offering everything not yet seen until the server refuses
 * (it picks one each time; that one is removed); groups the same way on
 * the best protocol. Probing old protocols and suites needs OpenSSL's
 * security level 0. What this machine's OpenSSL cannot offer cannot be
 * seen: Debian's is built without SSLv3 and without the "weak" suites
 * (RC4, and so on), so SSLv3 is "not probed" (MR_TLS_UNTESTED), never
 * "refused".
 *
 * The result is plain data, owned by the caller, with every array of a
 * named maximum; the grade and the Mozilla comparison are computed from
 * it (tlsgrade.h), so that tests can judge made-up results.
 */
#ifndef MR_WEB_TLS_H
#define MR_WEB_TLS_H

#include <stddef.h>
#include <stdint.h>

enum { MR_TLS_SSL3, MR_TLS_1_0, MR_TLS_1_1, MR_TLS_1_2, MR_TLS_1_3,
       MR_TLS_NVERSIONS };

typedef enum mr_tls_state {
    MR_TLS_REFUSED = 0,
    MR_TLS_ACCEPTED = 1,
    MR_TLS_UNTESTED = 2   /* this OpenSSL cannot offer it */
} mr_tls_state;

#define MR_TLS_SUITES_MAX 64    /* suites recorded per protocol */
#define MR_TLS_GROUPS_MAX 16
#define MR_TLS_NAME_MAX 64      /* a suite's, group's, algorithm's name */
#define MR_TLS_DN_MAX 256       /* a subject or issuer, one line */
#define MR_TLS_ERR_MAX 160

typedef struct mr_tls_suite {
    char name[MR_TLS_NAME_MAX];  /* OpenSSL's name ("ECDHE-RSA-AES128-GCM-SHA256") */
    int bits;                    /* symmetric strength; 0 for NULL */
    int fs;                      /* forward secret key exchange */
    int aead;
    int anon;                    /* no authentication (aNULL) */
    int kx_secbits;              /* security bits of the key exchange */
} mr_tls_suite;

typedef struct mr_tls_cert {
    int present;
    int verified;                /* chain verified to a trusted root */
    char verify_error[MR_TLS_ERR_MAX]; /* why not, as OpenSSL says it */
    int self_signed;
    int name_match;              /* SAN (or CN) matches the host */
    int64_t days_left;           /* to notAfter; negative: expired */
    int not_yet_valid;
    char key_type[16];           /* "RSA", "EC", "Ed25519"... */
    int key_bits;
    int key_secbits;             /* security bits of the key */
    char sig_alg[MR_TLS_NAME_MAX]; /* "sha256WithRSAEncryption" */
    int sig_weak;                /* SHA-1 or MD5 */
    char subject[MR_TLS_DN_MAX];
    char issuer[MR_TLS_DN_MAX];
    int ocsp_stapled;
    /* the revocation status by OCSP (ocsp.h): 0 not asked, else an
     * mr_ocsp_status; from the staple or the responder; why */
    int ocsp_status;
    int ocsp_from_staple;
    char ocsp_why[160];
} mr_tls_cert;

typedef struct mr_tls_result {
    mr_tls_state proto[MR_TLS_NVERSIONS];
    mr_tls_suite suites[MR_TLS_NVERSIONS][MR_TLS_SUITES_MAX];
    size_t nsuites[MR_TLS_NVERSIONS];
    char groups[MR_TLS_GROUPS_MAX][MR_TLS_NAME_MAX];
    size_t ngroups;
    mr_tls_cert cert;
    unsigned handshakes;         /* made, for the report */
} mr_tls_result;

/* Judges a certificate (leaf, the chain the server sent, may be NULL)
 * for host: verified against ca_file or the system's store, names,
 * dates, key, signature, subject and issuer (everything but OCSP
 * stapling, which only a handshake shows). leaf NULL: c->present 0.
 * For the probe, the fuzzer and tests. */
struct x509_st;
struct stack_st_X509;
void mr_tls_cert_judge(struct x509_st *leaf, struct stack_st_X509 *chain,
                       const char *host, int is_ip, const char *ca_file,
                       mr_tls_cert *c);

/* The protocols' names: "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2",
 * "TLSv1.3" (OpenSSL's and nginx's spelling). */
extern const char *const mr_tls_version_names[MR_TLS_NVERSIONS];

/* Probes host:port (host: a name or an address literal; names are sent
 * as SNI and matched against the certificate) until deadline_ms
 * (mr_web_now_ms() clock). ca_file NULL: the system's store. Returns 0
 * with *out filled, or -1 with why in err (no connection, nothing
 * accepted, out of memory). */
int mr_tls_probe(const char *host, unsigned port, const char *ca_file,
                 int64_t deadline_ms, mr_tls_result *out, char *err,
                 size_t errcap);

#endif
