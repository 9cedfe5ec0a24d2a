/*
 * tls.c — the TLS probe (tls.h): handshakes of our own, one protocol
 * version at a time, then suites and groups by elimination, then the
 * certificate of the best protocol verified against the store.
 *
 * Every handshake is a new TCP connection to the one address the name
 * resolved to first, bounded by the site's deadline (connect, read and
 * write). Security level 0 lets OpenSSL offer the old protocols and
 * suites it still has; nothing here is used to send data.
 */
#include "common.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "web/fetch.h"
#include "web/ocsp.h"
#include "web/tls.h"

#define TLS_STEP_MAX_MS 10000  /* one connect or read, within the deadline */
#define TLS_LIST_MAX 4096      /* a cipher or group list we offer */
#define TLS_ADDRS_MAX 4        /* addresses of a name tried */
/* Everything this OpenSSL can offer below TLS 1.3, less the suites that
 * need a pre-shared key or SRP (no server picks them unasked). */
#define TLS12_ALL "ALL:COMPLEMENTOFALL:!PSK:!SRP"
#define TLS13_ALL "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:" \
                  "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256:" \
                  "TLS_AES_128_CCM_8_SHA256"

const char *const mr_tls_version_names[MR_TLS_NVERSIONS] = {
    "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
static const int version_codes[MR_TLS_NVERSIONS] = {
    SSL3_VERSION, TLS1_VERSION, TLS1_1_VERSION, TLS1_2_VERSION,
    TLS1_3_VERSION};
/* The groups offered. ffdhe6144 and ffdhe8192 are left out: each costs
 * both sides a large DH key generation (half a second on the server) for
 * groups hardly anyone configures; politeness wins over completeness. */
static const char *const all_groups[] = {
    "X25519", "P-256", "P-384", "P-521", "X448",
    "ffdhe2048", "ffdhe3072", "ffdhe4096"};

typedef struct probe {
    const char *host;
    int is_ip;
    struct sockaddr_storage addrs[TLS_ADDRS_MAX]; /* tried in order */
    socklen_t alens[TLS_ADDRS_MAX];
    size_t naddrs, good;     /* good: the one that answered last */
    int64_t deadline;
    const char *ca_file;
    mr_tls_result *res;
    int vi;                 /* the version being probed */
} probe;

typedef void (*seen_fn)(probe *p, SSL *ssl);

/* One address, non-blocking connect bounded by the deadline. */
static int connect_one(probe *p, size_t i)
{
    int64_t left = p->deadline - mr_web_now_ms();
    if (left <= 0)
        return -1;
    int fd = socket(p->addrs[i].ss_family, SOCK_STREAM | SOCK_CLOEXEC |
                                               SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&p->addrs[i], p->alens[i]) != 0) {
        struct pollfd pf = {fd, POLLOUT, 0};
        int err = 0;
        socklen_t el = sizeof(err);
        if (errno != EINPROGRESS ||
            poll(&pf, 1, (int)MR_MIN(left, TLS_STEP_MAX_MS)) != 1 ||
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
            err != 0) {
            close(fd);
            return -1;
        }
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
        close(fd);
        return -1;
    }
    left = MR_MIN(p->deadline - mr_web_now_ms(), TLS_STEP_MAX_MS);
    if (left <= 0)
        left = 1;
    struct timeval tv = {(time_t)(left / 1000), (suseconds_t)(left % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    return fd;
}

/* The address that answered last first, then the others. */
static int connect_tcp(probe *p)
{
    int fd = connect_one(p, p->good);
    for (size_t i = 0; fd < 0 && i < p->naddrs; i++)
        if (i != p->good && (fd = connect_one(p, i)) >= 0)
            p->good = i;
    return fd;
}

/* One handshake at version index vi offering what is given (NULL: the
 * defaults); seen() looks at the connection when it succeeded. Returns 1
 * accepted, 0 refused (or nothing left to offer), -1 no connection. */
static int handshake(probe *p, int vi, const char *ciphers,
                     const char *suites13, const char *groups, seen_fn seen)
{
    int ver = version_codes[vi], rc = 0, fd = -1;
    SSL *ssl = NULL;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (ctx == NULL)
        return -1;
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
    /* servers without secure renegotiation are still servers to judge */
    SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT);
    if (!SSL_CTX_set_min_proto_version(ctx, ver) ||
        !SSL_CTX_set_max_proto_version(ctx, ver) ||
        (ciphers && !SSL_CTX_set_cipher_list(ctx, ciphers)) ||
        (suites13 && !SSL_CTX_set_ciphersuites(ctx, suites13)) ||
        (groups && !SSL_CTX_set1_groups_list(ctx, groups)))
        goto out;
    if ((fd = connect_tcp(p)) < 0) {
        rc = -1;
        goto out;
    }
    if ((ssl = SSL_new(ctx)) == NULL || !SSL_set_fd(ssl, fd)) {
        rc = -1;
        goto out;
    }
    if (!p->is_ip)
        SSL_set_tlsext_host_name(ssl, p->host);
    SSL_set_tlsext_status_type(ssl, TLSEXT_STATUSTYPE_ocsp);
    p->res->handshakes++;
    p->vi = vi;
    if (SSL_connect(ssl) == 1) {
        rc = 1;
        if (seen)
            seen(p, ssl);
    }
out:
    ERR_clear_error();
    SSL_free(ssl);
    if (fd >= 0)
        close(fd);
    SSL_CTX_free(ctx);
    return rc;
}

static int key_secbits(SSL *ssl)
{
    EVP_PKEY *k = NULL;
    int bits = 0;
    if (SSL_get_peer_tmp_key(ssl, &k) == 1 && k) {
        bits = EVP_PKEY_get_security_bits(k);
        EVP_PKEY_free(k);
        return bits;
    }
    X509 *x = SSL_get0_peer_certificate(ssl);
    EVP_PKEY *pk = x ? X509_get0_pubkey(x) : NULL;
    return pk ? EVP_PKEY_get_security_bits(pk) : 0;
}

static void seen_suite(probe *p, SSL *ssl)
{
    const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
    size_t *n = &p->res->nsuites[p->vi];
    if (c == NULL || *n >= MR_TLS_SUITES_MAX)
        return;
    mr_tls_suite *s = &p->res->suites[p->vi][*n];
    const char *name = SSL_CIPHER_get_name(c);
    for (size_t i = 0; i < *n; i++)
        if (strcmp(p->res->suites[p->vi][i].name, name) == 0)
            return;                       /* seen already: the loop ends */
    memset(s, 0, sizeof(*s));
    snprintf(s->name, sizeof(s->name), "%s", name);
    s->bits = SSL_CIPHER_get_bits(c, NULL);
    int kx = SSL_CIPHER_get_kx_nid(c);
    s->fs = kx == NID_kx_ecdhe || kx == NID_kx_dhe || kx == NID_kx_any;
    s->aead = SSL_CIPHER_is_aead(c);
    s->anon = SSL_CIPHER_get_auth_nid(c) == NID_auth_null;
    s->kx_secbits = key_secbits(ssl);
    (*n)++;
}

static void seen_group(probe *p, SSL *ssl)
{
    int nid = SSL_get_negotiated_group(ssl);
    const char *name = nid ? SSL_group_to_name(ssl, nid) : NULL;
    mr_tls_result *r = p->res;
    if (name == NULL || r->ngroups >= MR_TLS_GROUPS_MAX)
        return;
    for (size_t i = 0; i < r->ngroups; i++)
        if (strcasecmp(r->groups[i], name) == 0)
            return;
    snprintf(r->groups[r->ngroups++], MR_TLS_NAME_MAX, "%s", name);
}

void mr_tls_cert_judge(X509 *leaf, STACK_OF(X509) *chain, const char *host,
                       int is_ip, const char *ca_file, mr_tls_cert *c)
{
    memset(c, 0, sizeof(*c));
    if (leaf == NULL)
        return;
    c->present = 1;
    X509_STORE *st = X509_STORE_new();
    X509_STORE_CTX *sc = X509_STORE_CTX_new();
    if (st && sc &&
        (ca_file ? X509_STORE_load_file(st, ca_file)
                 : X509_STORE_set_default_paths(st)) == 1 &&
        X509_STORE_CTX_init(sc, st, leaf, chain) == 1) {
        c->verified = X509_verify_cert(sc) == 1;
        if (!c->verified)
            snprintf(c->verify_error, sizeof(c->verify_error), "%s",
                     X509_verify_cert_error_string(
                         X509_STORE_CTX_get_error(sc)));
    } else {
        snprintf(c->verify_error, sizeof(c->verify_error),
                 "the trust store could not be read");
    }
    X509_STORE_CTX_free(sc);
    X509_STORE_free(st);
    ERR_clear_error();
    c->self_signed = (X509_get_extension_flags(leaf) & EXFLAG_SS) != 0;
    c->name_match = is_ip ? X509_check_ip_asc(leaf, host, 0) == 1
                          : X509_check_host(leaf, host, 0, 0, NULL) == 1;
    int day = 0, sec = 0;
    if (ASN1_TIME_diff(&day, &sec, NULL, X509_get0_notAfter(leaf))) {
        int64_t s = (int64_t)day * 86400 + sec;
        c->days_left = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    }
    c->not_yet_valid = X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0;
    EVP_PKEY *pk = X509_get0_pubkey(leaf);
    if (pk) {
        const char *t = "other";
        switch (EVP_PKEY_get_base_id(pk)) {
        case EVP_PKEY_RSA: t = "RSA"; break;
        case EVP_PKEY_EC: t = "EC"; break;
        case EVP_PKEY_DSA: t = "DSA"; break;
        case EVP_PKEY_ED25519: t = "Ed25519"; break;
        case EVP_PKEY_ED448: t = "Ed448"; break;
        default: break;
        }
        snprintf(c->key_type, sizeof(c->key_type), "%s", t);
        c->key_bits = EVP_PKEY_get_bits(pk);
        c->key_secbits = EVP_PKEY_get_security_bits(pk);
    }
    int signid = X509_get_signature_nid(leaf), mdnid = NID_undef;
    const char *sn = signid != NID_undef ? OBJ_nid2ln(signid) : NULL;
    snprintf(c->sig_alg, sizeof(c->sig_alg), "%s", sn ? sn : "unknown");
    if (X509_get_signature_info(leaf, &mdnid, NULL, NULL, NULL) == 1)
        c->sig_weak = mdnid == NID_sha1 || mdnid == NID_md5 ||
                      mdnid == NID_md5_sha1;
    X509_NAME_oneline(X509_get_subject_name(leaf), c->subject,
                      sizeof(c->subject));
    X509_NAME_oneline(X509_get_issuer_name(leaf), c->issuer,
                      sizeof(c->issuer));
    ERR_clear_error();
}

static void seen_cert(probe *p, SSL *ssl)
{
    mr_tls_cert *c = &p->res->cert;
    mr_tls_cert_judge(SSL_get0_peer_certificate(ssl),
                      SSL_get_peer_cert_chain(ssl), p->host, p->is_ip,
                      p->ca_file, c);
    const unsigned char *resp = NULL;
    long len = c->present ? SSL_get_tlsext_status_ocsp_resp(ssl, &resp) : -1;
    c->ocsp_stapled = len > 0;
    /* revocation: the staple, else the responder (once: this handshake) */
    if (c->present && c->ocsp_status == MR_OCSP_NONE)
        c->ocsp_status = (int)mr_ocsp_check(
            SSL_get0_peer_certificate(ssl), SSL_get_peer_cert_chain(ssl),
            len > 0 ? resp : NULL, len > 0 ? len : 0, p->ca_file, 1,
            p->deadline, &c->ocsp_from_staple, c->ocsp_why,
            sizeof(c->ocsp_why));
    /* a revoked certificate is not trusted (SSL Labs: T) */
    if (c->ocsp_status == MR_OCSP_REVOKED && c->verified) {
        c->verified = 0;
        snprintf(c->verify_error, sizeof(c->verify_error),
                 "certificate revoked (OCSP)");
    }
}

/* Appends ":!name" (exclude) or ":name" to list; -1 when full. */
static int list_add(char *list, const char *prefix, const char *name)
{
    size_t used = strlen(list);
    int n = snprintf(list + used, TLS_LIST_MAX - used, "%s%s%s",
                     used ? ":" : "", prefix, name);
    return n < 0 || (size_t)n >= TLS_LIST_MAX - used ? -1 : 0;
}

static int has_suite(const mr_tls_result *r, int vi, const char *name)
{
    for (size_t i = 0; i < r->nsuites[vi]; i++)
        if (strcmp(r->suites[vi][i].name, name) == 0)
            return 1;
    return 0;
}

/* The suites of version vi, by elimination. */
static int enum_suites(probe *p, int vi)
{
    char list[TLS_LIST_MAX];
    for (int round = 0; round < MR_TLS_SUITES_MAX; round++) {
        size_t before = p->res->nsuites[vi];
        int rc;
        if (vi == MR_TLS_1_3) {
            char all[] = TLS13_ALL, *save = NULL;
            list[0] = '\0';
            for (char *t = strtok_r(all, ":", &save); t;
                 t = strtok_r(NULL, ":", &save))
                if (!has_suite(p->res, vi, t) && list_add(list, "", t) != 0)
                    return 0;
            if (list[0] == '\0')
                return 0;
            rc = handshake(p, vi, NULL, list, NULL, seen_suite);
        } else {
            snprintf(list, sizeof(list), "%s", TLS12_ALL);
            for (size_t i = 0; i < p->res->nsuites[vi]; i++)
                if (list_add(list, "!", p->res->suites[vi][i].name) != 0)
                    return 0;
            rc = handshake(p, vi, list, NULL, NULL, seen_suite);
        }
        if (rc < 0)
            return -1;
        if (rc == 0 || p->res->nsuites[vi] == before)
            return 0;
    }
    return 0;
}

/* The groups, offered on the best version vi (ECDHE suites only below
 * TLS 1.3: a DHE or RSA suite would negotiate no group). */
static int enum_groups(probe *p, int vi)
{
    char list[TLS_LIST_MAX];
    for (size_t round = 0; round < MR_ARRAY_LEN(all_groups); round++) {
        size_t before = p->res->ngroups;
        list[0] = '\0';
        for (size_t g = 0; g < MR_ARRAY_LEN(all_groups); g++) {
            int known = 0;
            for (size_t i = 0; i < p->res->ngroups; i++)
                known |= strcasecmp(p->res->groups[i], all_groups[g]) == 0 ||
                         (strcmp(all_groups[g], "P-256") == 0 &&
                          strcmp(p->res->groups[i], "secp256r1") == 0) ||
                         (strcmp(all_groups[g], "P-384") == 0 &&
                          strcmp(p->res->groups[i], "secp384r1") == 0) ||
                         (strcmp(all_groups[g], "P-521") == 0 &&
                          strcmp(p->res->groups[i], "secp521r1") == 0);
            if (!known && list_add(list, "", all_groups[g]) != 0)
                return 0;
        }
        if (list[0] == '\0')
            return 0;
        int rc = handshake(p, vi, vi == MR_TLS_1_3 ? NULL : "ECDHE:DHE",
                           NULL, list, seen_group);
        if (rc < 0)
            return -1;
        if (rc == 0 || p->res->ngroups == before)
            return 0;
    }
    return 0;
}

static int resolve(probe *p, unsigned port, char *err, size_t errcap)
{
    struct addrinfo hints, *ai = NULL;
    char service[8];
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    snprintf(service, sizeof(service), "%u", port);
    int rc = getaddrinfo(p->host, service, &hints, &ai);
    if (rc != 0 || ai == NULL) {
        snprintf(err, errcap, "cannot resolve %s: %s", p->host,
                 rc ? gai_strerror(rc) : "no address");
        if (ai)
            freeaddrinfo(ai);
        return -1;
    }
    for (struct addrinfo *a = ai; a && p->naddrs < TLS_ADDRS_MAX; a = a->ai_next)
        if (a->ai_addrlen <= sizeof(p->addrs[0])) {
            memcpy(&p->addrs[p->naddrs], a->ai_addr, a->ai_addrlen);
            p->alens[p->naddrs++] = a->ai_addrlen;
        }
    freeaddrinfo(ai);
    unsigned char tmp[16];
    p->is_ip = inet_pton(AF_INET, p->host, tmp) == 1 ||
               inet_pton(AF_INET6, p->host, tmp) == 1;
    return 0;
}

int mr_tls_probe(const char *host, unsigned port, const char *ca_file,
                 int64_t deadline_ms, mr_tls_result *out, char *err,
                 size_t errcap)
{
    probe p;
    memset(out, 0, sizeof(*out));
    memset(&p, 0, sizeof(p));
    p.host = host;
    p.deadline = deadline_ms;
    p.ca_file = ca_file;
    p.res = out;
    if (resolve(&p, port, err, errcap) != 0)
        return -1;
    int best = -1;
    for (int vi = 0; vi < MR_TLS_NVERSIONS; vi++) {
#ifdef OPENSSL_NO_SSL3
        if (vi == MR_TLS_SSL3) {
            out->proto[vi] = MR_TLS_UNTESTED;
            continue;
        }
#endif
        int rc = handshake(&p, vi, vi == MR_TLS_1_3 ? NULL : TLS12_ALL,
                           vi == MR_TLS_1_3 ? TLS13_ALL : NULL, NULL, NULL);
        if (rc < 0) {
            snprintf(err, errcap, "cannot connect to %s port %u%s", host,
                     port, mr_web_now_ms() >= deadline_ms ? " in time" : "");
            return -1;
        }
        out->proto[vi] = rc ? MR_TLS_ACCEPTED : MR_TLS_REFUSED;
        if (rc)
            best = vi;
    }
    if (best < 0) {
        snprintf(err, errcap, "%s port %u accepted no TLS handshake", host,
                 port);
        return -1;
    }
    for (int vi = 0; vi < MR_TLS_NVERSIONS; vi++)
        if (out->proto[vi] == MR_TLS_ACCEPTED && enum_suites(&p, vi) < 0)
            goto late;
    if (enum_groups(&p, best) < 0)
        goto late;
    if (handshake(&p, best, best == MR_TLS_1_3 ? NULL : TLS12_ALL, NULL,
                  NULL, seen_cert) < 0)
        goto late;
    return 0;
late:
    snprintf(err, errcap, "%s port %u: the connection failed during the "
             "probe%s", host, port,
             mr_web_now_ms() >= deadline_ms ? " (deadline reached)" : "");
    return -1;
}
