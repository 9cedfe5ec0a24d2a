/*
 * fingerprint.c — the name of a problem, stable from run to run.
 *
 * Two sightings are the same problem when they come from the same check
 * and category, in the same file, about the same things: the fields that
 * say WHAT is affected (the client, the user, the package, the setting,
 * the site...). Lines move as logs grow, times and counts change every
 * run, and each attack request differs, so none of those count. A
 * finding with no such field (a setting judged from a file) is named by
 * its evidence instead. The fields are hashed in the fixed order of the
 * list below, not the order a capability added them, so reordering a
 * capability's fields keeps every fingerprint. SHA-256, cut to 128 bits:
 * fingerprints leave the machine (reports, a fleet's database), so they
 * must not depend on a build's hash key.
 */
#include "common.h"

#include <openssl/evp.h>
#include <pthread.h>

#include "mamori/history.h"

/* Field names that say what a finding is about. Keep sorted; adding a
 * name changes the fingerprints of findings that carry it. */
static const char *const identity_fields[] = {
    "address", "client", "domain", "id",   "name",    "package", "path",
    "port",    "proto",  "service", "setting", "site", "unit",
    "url",     "user",   "vhost",
};

/* OpenSSL 3 looks an algorithm up at every EVP_DigestInit unless it is
 * fetched once: a tenth of the cost of a small digest. */
static EVP_MD *sha256;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void fetch_sha256(void)
{
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static void feed(EVP_MD_CTX *md, const char *tag, const char *s, size_t n)
{
    /* Length-prefixed, so "ab"+"c" and "a"+"bc" differ. */
    uint64_t len = n;
    EVP_DigestUpdate(md, tag, strlen(tag) + 1);
    EVP_DigestUpdate(md, &len, sizeof(len));
    if (n)
        EVP_DigestUpdate(md, s, n);
}

void mamori_finding_fingerprint(const mamori_finding *f,
                                char out[MAMORI_FINGERPRINT_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int named = 0;
    char num[32];

    memset(out, '0', MAMORI_FINGERPRINT_LEN);
    out[MAMORI_FINGERPRINT_LEN] = '\0';
    pthread_once(&sha256_once, fetch_sha256);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !sha256 || !EVP_DigestInit_ex(md, sha256, NULL)) {
        EVP_MD_CTX_free(md);
        return;
    }
    const char *id = f->check ? f->check->id : "";
    const char *cat = f->category ? f->category : "";
    feed(md, "check", id, strlen(id));
    feed(md, "category", cat, strlen(cat));
    if (f->file)
        feed(md, "file", f->file, strlen(f->file));
    for (size_t k = 0; k < sizeof(identity_fields) / sizeof(*identity_fields);
         k++) {
        const mamori_field *fl = mamori_finding_get(f, identity_fields[k]);
        if (!fl)
            continue;
        named = 1;
        if (fl->kind == MAMORI_FIELD_STR) {
            feed(md, fl->name, fl->str, fl->len);
        } else if (fl->kind == MAMORI_FIELD_INT) {
            int n = snprintf(num, sizeof(num), "%lld", (long long)fl->num);
            feed(md, fl->name, num, (size_t)n);
        } else {
            for (size_t i = 0; i < fl->nstrs; i++)
                feed(md, fl->name, fl->strs[i], strlen(fl->strs[i]));
        }
    }
    if (!named && f->evidence)
        feed(md, "evidence", f->evidence, f->evidence_len);
    if (EVP_DigestFinal_ex(md, digest, &dlen) && dlen * 2 >= MAMORI_FINGERPRINT_LEN)
        for (size_t i = 0; i < MAMORI_FINGERPRINT_LEN / 2; i++) {
            out[2 * i] = hex[digest[i] >> 4];
            out[2 * i + 1] = hex[digest[i] & 15];
        }
    EVP_MD_CTX_free(md);
}
