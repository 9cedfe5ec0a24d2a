/*
 * fuzz_web_cert.c — arbitrary bytes as a server's certificate (DER, as a
 * TLS handshake carries it) through the certificate judgement of the TLS
 * probe (mr_tls_cert_judge, lib/web/tls.h): names, dates, key, signature,
 * subject and issuer read from whatever OpenSSL accepts, every string
 * bounded and NUL-terminated. No trust store is read (a CA file that
 * does not exist), so the run stays on the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "web/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const unsigned char *p = data;
    X509 *x = d2i_X509(NULL, &p, (long)size);
    mr_tls_cert c;
    if (x == NULL)
        return 0;
    mr_tls_cert_judge(x, NULL, "www.example.jp", 0, "/nonexistent/ca.pem", &c);
    if (!c.present || strlen(c.subject) >= MR_TLS_DN_MAX ||
        strlen(c.issuer) >= MR_TLS_DN_MAX ||
        strlen(c.sig_alg) >= MR_TLS_NAME_MAX || c.verified)
        abort();
    mr_tls_cert_judge(x, NULL, "192.0.2.1", 1, "/nonexistent/ca.pem", &c);
    X509_free(x);
    return 0;
}
