/*
 * dkim.c — the DKIM key record parser (RFC 6376 3.6.1) and the key
 * reader that tells how strong the published key is.
 *
 * The record is a tag list: v=DKIM1 (first if present), k= key type, h=
 * hashes, t= flags, s= services, n= notes, p= the base64 key (empty: the
 * key is revoked). p= may hold folding whitespace, which base64 decoding
 * skips. The decoded key goes to OpenSSL only in mr_dkim_key_bits(): a
 * SubjectPublicKeyInfo (what RFC 6376 asks), or a bare PKCS#1 RSA key,
 * which some publishers use and most verifiers accept.
 */
#include "common.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "dns/records.h"
#include "dns/records_util.h"
#include "util/base64.h"

/* p=: base64 with whitespace allowed anywhere; '=' only at the end. */
static int key_decode(const mr_tag *t, unsigned char *out, size_t cap,
                      size_t *len, mr_rec_error *err)
{
    unsigned char c = 0;
    switch (mr_base64_decode_why(t->value.p, t->value.n, out, cap, len, &c)) {
    case MR_BASE64_OK:
        return 0;
    case MR_BASE64_BAD_BYTE:
        mr_rec_fail(err, t->offset, "p=: '%c' is not base64 (offset "
                    "%zu)", c >= 0x20 && c < 0x7f ? c : '?', t->offset);
        return -1;
    case MR_BASE64_TOO_LONG:
        mr_rec_fail(err, t->offset, "p=: key longer than %d bytes",
                    MR_DKIM_KEY_MAX);
        return -1;
    case MR_BASE64_BAD_END:
        break;
    }
    mr_rec_fail(err, t->offset, "p=: base64 ends badly (offset %zu)",
                t->offset);
    return -1;
}

int mr_dkim_parse(const char *s, size_t n, mr_dkim_key *out,
                  mr_rec_error *err)
{
    mr_taglist tl;
    const mr_tag *p = NULL;

    memset(out, 0, sizeof *out);
    out->k = MR_SPAN_LIT("rsa");
    if (mr_taglist_parse(s, n, &tl, err) != 0)
        return -1;
    for (size_t i = 0; i < tl.n; i++) {
        const mr_tag *t = &tl.tags[i];
        mr_span nm = t->name;
        if (mr_span_eq(nm, "v")) {
            if (i != 0 || !mr_span_eq(t->value, "DKIM1")) {
                mr_rec_fail(err, t->offset, "v= must be first and say "
                            "DKIM1 (offset %zu)", t->offset);
                return -1;
            }
        } else if (mr_span_eq(nm, "k")) {
            out->k = t->value;
            if (!mr_span_ieq(t->value, "rsa") &&
                !mr_span_ieq(t->value, "ed25519")) {
                char q[32];
                mr_span_quote(t->value, q, sizeof q);
                mr_rec_fail(err, t->offset, "k=%s: unknown key type "
                            "(offset %zu)", q, t->offset);
                return -1;
            }
        } else if (mr_span_eq(nm, "h")) {
            out->h = t->value;
        } else if (mr_span_eq(nm, "t")) {
            /* colon-separated flags; y = testing, s = strict identity */
            for (size_t k = 0; k < t->value.n; k++)
                if (t->value.p[k] == 'y' &&
                    (k == 0 || t->value.p[k - 1] == ':' ||
                     t->value.p[k - 1] == ' ') &&
                    (k + 1 == t->value.n || t->value.p[k + 1] == ':' ||
                     t->value.p[k + 1] == ' '))
                    out->testing = true;
        } else if (mr_span_eq(nm, "p")) {
            p = t;
        } else if (!mr_span_eq(nm, "n") && !mr_span_eq(nm, "s") &&
                   !mr_span_eq(nm, "g")) {
            char q[40];
            mr_span_quote(nm, q, sizeof q);
            mr_rec_warn(&out->warn, "unknown tag '%s' at offset %zu", q,
                        t->offset);
        }
    }
    if (p == NULL) {
        mr_rec_fail(err, n, "no p= tag: this is not a DKIM key record");
        return -1;
    }
    if (key_decode(p, out->key, sizeof out->key, &out->key_len, err) != 0)
        return -1;
    out->revoked = out->key_len == 0;
    return 0;
}

int mr_dkim_key_bits(const mr_dkim_key *k, char *why, size_t cap)
{
    if (k->revoked) {
        snprintf(why, cap, "the key is revoked (empty p=)");
        return -1;
    }
    if (mr_span_ieq(k->k, "ed25519")) {
        if (k->key_len != 32) {
            snprintf(why, cap, "an Ed25519 key has 32 bytes, not %zu",
                     k->key_len);
            return -1;
        }
        return 256;
    }
    const unsigned char *p = k->key;
    EVP_PKEY *pk = d2i_PUBKEY(NULL, &p, (long)k->key_len);
    if (pk == NULL) {
        p = k->key;
        pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)k->key_len);
    }
    ERR_clear_error();   /* the failed tries leave errors queued */
    if (pk == NULL) {
        snprintf(why, cap, "p= is not a DER public key OpenSSL can read");
        return -1;
    }
    int bits = -1;
    if (EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA)
        bits = EVP_PKEY_get_bits(pk);
    else
        snprintf(why, cap, "k=rsa but p= holds another kind of key");
    EVP_PKEY_free(pk);
    return bits;
}
