/*
 * ocsp.c — OCSP for `mamori web` (ocsp.h). The issuer is looked for in
 * the chain the server sent, then in the trust store (servers often send
 * the leaf alone to clients that have the CA). The request carries no
 * nonce: stapled and cached responses never echo one, and OpenSSL's own
 * responder does not need it.
 */
#include "common.h"

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/x509v3.h>

#include "mamori/mamori.h"
#include "io/curl_syms.h"
#include "web/fetch.h"
#include "web/ocsp.h"

#define OCSP_LEEWAY_S 300          /* clock skew allowed on the dates */
#define OCSP_CONNECT_MAX_MS 10000

const char *const mr_ocsp_status_names[] = {"", "good", "revoked", "unknown",
                                            "error"};

static X509_STORE *store_of(const char *ca_file)
{
    X509_STORE *st = X509_STORE_new();
    if (st && ((ca_file && X509_STORE_load_file(st, ca_file) != 1) ||
               (!ca_file && X509_STORE_set_default_paths(st) != 1))) {
        X509_STORE_free(st);
        return NULL;
    }
    return st;
}

/* The issuer of leaf (a new reference), or NULL. */
static X509 *issuer_of(X509 *leaf, STACK_OF(X509) *chain, X509_STORE *st)
{
    for (int i = 0; chain && i < sk_X509_num(chain); i++) {
        X509 *c = sk_X509_value(chain, i);
        if (X509_cmp(c, leaf) != 0 && X509_check_issued(c, leaf) == X509_V_OK) {
            X509_up_ref(c);
            return c;
        }
    }
    X509 *iss = NULL;
    X509_STORE_CTX *sc = X509_STORE_CTX_new();
    if (sc && X509_STORE_CTX_init(sc, st, leaf, chain) == 1 &&
        X509_STORE_CTX_get1_issuer(&iss, sc, leaf) != 1)
        iss = NULL;
    X509_STORE_CTX_free(sc);
    return iss;
}

typedef struct buf {
    unsigned char *p;
    size_t n;
    int over;
} buf;

static size_t on_data(char *d, size_t size, size_t nmemb, void *user)
{
    buf *b = user;
    size_t n = size * nmemb;
    if (b->n + n > MR_OCSP_RESP_MAX) {
        b->over = 1;
        return 0;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    return n;
}

/* POSTs req to url; the DER answer in *out (freed by the caller). */
static int ask_responder(const char *url, OCSP_REQUEST *req,
                         int64_t deadline_ms, buf *out, char *why,
                         size_t whycap)
{
    unsigned char *der = NULL;
    int len = i2d_OCSP_REQUEST(req, &der);
    int64_t left = deadline_ms - mr_web_now_ms();
    int rc = -1;
    CURL *c = NULL;
    struct curl_slist *h = NULL;
    out->p = malloc(MR_OCSP_RESP_MAX);
    out->n = 0;
    out->over = 0;
    if (len <= 0 || out->p == NULL) {
        snprintf(why, whycap, "out of memory");
        goto done;
    }
    if (left <= 0) {
        snprintf(why, whycap, "deadline reached before the OCSP responder");
        goto done;
    }
    if (mr_curl_load(why, whycap) != 0)
        goto done;
    if ((c = mr_sym_curl_easy_init()) == NULL ||
        (h = mr_sym_curl_slist_append(NULL, "Content-Type: application/ocsp-request")) == NULL) {
        snprintf(why, whycap, "out of memory");
        goto done;
    }
    mr_sym_curl_easy_setopt(c, CURLOPT_URL, url);
    mr_sym_curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    mr_sym_curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    mr_sym_curl_easy_setopt(c, CURLOPT_USERAGENT, "mamori/" MAMORI_VERSION);
    mr_sym_curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)left);
    mr_sym_curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                            (long)MR_MIN(left, OCSP_CONNECT_MAX_MS));
    mr_sym_curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    mr_sym_curl_easy_setopt(c, CURLOPT_POSTFIELDS, der);
    mr_sym_curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    mr_sym_curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    CURLcode e = mr_sym_curl_easy_perform(c);
    long status = 0;
    mr_sym_curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (e != CURLE_OK)
        snprintf(why, whycap, "OCSP responder %s: %s", url,
                 out->over ? "answer too long" : mr_sym_curl_easy_strerror(e));
    else if (status != 200)
        snprintf(why, whycap, "OCSP responder %s answered %ld", url, status);
    else
        rc = 0;
done:
    if (h) /* NULL where libcurl could not be opened */
        mr_sym_curl_slist_free_all(h);
    if (c)
        mr_sym_curl_easy_cleanup(c);
    OPENSSL_free(der);
    return rc;
}

mr_ocsp_status mr_ocsp_check(X509 *leaf, STACK_OF(X509) *chain,
                             const unsigned char *staple, long len,
                             const char *ca_file, int ask,
                             int64_t deadline_ms, int *from_staple,
                             char *why, size_t whycap)
{
    mr_ocsp_status st = MR_OCSP_ERROR;
    X509_STORE *store = NULL;
    X509 *iss = NULL;
    OCSP_CERTID *id = NULL;
    OCSP_REQUEST *req = NULL;
    OCSP_RESPONSE *resp = NULL;
    OCSP_BASICRESP *bs = NULL;
    STACK_OF(OPENSSL_STRING) *urls = NULL;
    buf got = {NULL, 0, 0};
    why[0] = '\0';
    *from_staple = staple != NULL && len > 0;
    if (leaf == NULL)
        return MR_OCSP_NONE;
    if (!*from_staple) {
        urls = X509_get1_ocsp(leaf);
        if (!ask || urls == NULL || sk_OPENSSL_STRING_num(urls) == 0) {
            X509_email_free(urls);
            return MR_OCSP_NONE;
        }
    }
    if ((store = store_of(ca_file)) == NULL) {
        snprintf(why, whycap, "the trust store could not be read");
        goto out;
    }
    if ((iss = issuer_of(leaf, chain, store)) == NULL) {
        snprintf(why, whycap, "the issuer's certificate is not at hand");
        goto out;
    }
    if ((id = OCSP_cert_to_id(NULL, leaf, iss)) == NULL) {
        snprintf(why, whycap, "out of memory");
        goto out;
    }
    const unsigned char *p = staple;
    if (!*from_staple) {
        OCSP_CERTID *rid = OCSP_CERTID_dup(id);
        if ((req = OCSP_REQUEST_new()) == NULL || rid == NULL ||
            OCSP_request_add0_id(req, rid) == NULL) {
            OCSP_CERTID_free(rid);
            snprintf(why, whycap, "out of memory");
            goto out;
        }
        if (ask_responder(sk_OPENSSL_STRING_value(urls, 0), req, deadline_ms,
                          &got, why, whycap) != 0)
            goto out;
        p = got.p;
        len = (long)got.n;
    }
    if ((resp = d2i_OCSP_RESPONSE(NULL, &p, len)) == NULL) {
        snprintf(why, whycap, "the OCSP response cannot be parsed");
        goto out;
    }
    int rs = OCSP_response_status(resp);
    if (rs != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
        snprintf(why, whycap, "the OCSP responder refused: %s",
                 OCSP_response_status_str(rs));
        goto out;
    }
    if ((bs = OCSP_response_get1_basic(resp)) == NULL ||
        OCSP_basic_verify(bs, chain, store, 0) != 1) {
        snprintf(why, whycap, "the OCSP response is not signed for the issuer");
        goto out;
    }
    int status = -1, reason = -1;
    ASN1_GENERALIZEDTIME *rev = NULL, *thisu = NULL, *nextu = NULL;
    if (OCSP_resp_find_status(bs, id, &status, &reason, &rev, &thisu,
                              &nextu) != 1) {
        snprintf(why, whycap, "the OCSP response is about another certificate");
        goto out;
    }
    if (OCSP_check_validity(thisu, nextu, OCSP_LEEWAY_S, -1) != 1) {
        snprintf(why, whycap, "the OCSP response is out of date");
        goto out;
    }
    st = status == V_OCSP_CERTSTATUS_GOOD ? MR_OCSP_GOOD
       : status == V_OCSP_CERTSTATUS_REVOKED ? MR_OCSP_REVOKED
                                              : MR_OCSP_UNKNOWN;
    if (st == MR_OCSP_REVOKED)
        snprintf(why, whycap, "revoked (%s)", OCSP_crl_reason_str(reason));
    else if (st == MR_OCSP_UNKNOWN)
        snprintf(why, whycap, "the responder does not know this certificate");
out:
    X509_email_free(urls);
    OCSP_BASICRESP_free(bs);
    OCSP_RESPONSE_free(resp);
    OCSP_REQUEST_free(req);
    OCSP_CERTID_free(id);
    X509_free(iss);
    X509_STORE_free(store);
    free(got.p);
    ERR_clear_error();
    return st;
}
