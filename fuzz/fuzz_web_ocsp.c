/*
 * fuzz_web_ocsp.c — arbitrary bytes as the OCSP response a server staples
 * (lib/web/ocsp.h): a CA and a leaf are made once (EC P-256, OpenSSL),
 * the CA written to a temporary file as the trust store, and every input
 * judged for the leaf. Nothing here can sign for that CA, so every input
 * must end as an error (never "good", "revoked" or "unknown": those need
 * a response that verifies), with its reason within bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "web/ocsp.h"

static X509 *make(EVP_PKEY *key, EVP_PKEY *signer, X509 *issuer,
                  const char *cn, long serial)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    if (x == NULL || n == NULL)
        abort();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509_set_pubkey(x, key);
    if (X509_sign(x, signer, EVP_sha256()) <= 0)
        abort();
    X509_NAME_free(n);
    return x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static X509 *ca, *leaf;
    static STACK_OF(X509) *chain;
    static char path[] = "/tmp/fuzz-web-ocsp-XXXXXX";
    char why[MR_OCSP_WHY_MAX];
    int staple;
    if (ca == NULL) {
        EVP_PKEY *ck = EVP_EC_gen("P-256"), *lk = EVP_EC_gen("P-256");
        if (ck == NULL || lk == NULL)
            abort();
        ca = make(ck, ck, NULL, "fuzz-ca", 1);
        leaf = make(lk, ck, ca, "localhost", 2);
        chain = sk_X509_new_null();
        sk_X509_push(chain, leaf);
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f == NULL || PEM_write_X509(f, ca) != 1)
            abort();
        fclose(f);
        EVP_PKEY_free(ck);
        EVP_PKEY_free(lk);
    }
    if (size == 0)
        return 0;
    mr_ocsp_status st = mr_ocsp_check(leaf, chain, data, (long)size, path,
                                      0, 0, &staple, why, sizeof(why));
    if (st != MR_OCSP_ERROR ||
        !staple || strlen(why) >= sizeof(why))
        abort();
    return 0;
}
