/*
 * tlsgrade.c — the SSL Labs grade and the Mozilla comparison of a TLS
 * probe (tlsgrade.h). The numbers are the rating guide's; the caps are
 * the ones it publishes for what a handshake of ours can see (we send no
 * attack: Heartbleed, renegotiation and the like are not probed).
 */
#include "common.h"

#include <strings.h>

#include "web/tlsgrade.h"

#define HSTS_A_PLUS_MIN 15552000LL   /* six months, in seconds */

static const int protocol_points[MR_TLS_NVERSIONS] = {80, 90, 95, 100, 100};

/* The guide's key exchange bands are in RSA bits; OpenSSL gives the
 * security bits of every key type (RSA 1024 = 80, 2048 = 112, 4096 =
 * 152, P-256 and X25519 = 128). */
static int kx_points(int secbits)
{
    if (secbits <= 0)
        return 0;
    if (secbits < 56)
        return 20;
    if (secbits < 80)
        return 40;
    if (secbits < 112)
        return 80;
    if (secbits < 152)
        return 90;
    return 100;
}

static int cipher_points(int bits)
{
    if (bits <= 0)
        return 0;
    if (bits < 128)
        return 20;
    if (bits < 256)
        return 80;
    return 100;
}

static int contains(const char *s, const char *w)
{
    return strstr(s, w) != NULL;
}

int mr_tls_suite_weak(const mr_tls_suite *s)
{
    return s->bits < 128 || s->anon || contains(s->name, "NULL") ||
           contains(s->name, "EXP") || contains(s->name, "RC4") ||
           contains(s->name, "DES") || contains(s->name, "MD5");
}

static void cap(mr_tls_grade *g, char *letter, char to, const char *why)
{
    if (to > *letter)
        *letter = to;
    if (g->nreasons < MR_TLS_REASONS_MAX)
        g->reasons[g->nreasons++] = why;
}

void mr_tls_grade_of(const mr_tls_result *r, long long hsts_max_age,
                     mr_tls_grade *g)
{
    int pbest = -1, pworst = 101, kx = 1000, cbest = -1, cworst = 1000;
    int any_fs_best = 0, any_aead = 0, any_null = 0, any_anon = 0,
        any_export = 0, any_rc4 = 0, des3_modern = 0, best = -1;
    memset(g, 0, sizeof(*g));
    for (int v = 0; v < MR_TLS_NVERSIONS; v++) {
        if (r->proto[v] != MR_TLS_ACCEPTED)
            continue;
        best = v;
        pbest = MR_MAX(pbest, protocol_points[v]);
        pworst = MR_MIN(pworst, protocol_points[v]);
        for (size_t i = 0; i < r->nsuites[v]; i++) {
            const mr_tls_suite *s = &r->suites[v][i];
            int k = s->anon ? 0 : s->kx_secbits;
            kx = MR_MIN(kx, k);
            cbest = MR_MAX(cbest, s->bits);
            cworst = MR_MIN(cworst, s->bits);
            any_aead |= s->aead;
            any_null |= s->bits == 0 || contains(s->name, "NULL");
            any_anon |= s->anon;
            any_export |= (s->bits > 0 && s->bits <= 56) ||
                          contains(s->name, "EXP");
            any_rc4 |= contains(s->name, "RC4");
            des3_modern |= v >= MR_TLS_1_1 && contains(s->name, "DES-CBC3");
        }
    }
    for (size_t i = 0; best >= 0 && i < r->nsuites[best]; i++)
        any_fs_best |= r->suites[best][i].fs;
    if (best < 0) {
        snprintf(g->grade, sizeof(g->grade), "F");
        snprintf(g->grade_if_trusted, sizeof(g->grade_if_trusted), "F");
        g->reasons[g->nreasons++] = "no protocol accepted";
        return;
    }
    if (kx == 1000)
        kx = r->cert.key_secbits;
    if (cbest < 0)
        cbest = cworst = 0;
    g->protocol_score = (pbest + pworst) / 2;
    g->kx_score = kx_points(kx);
    g->cipher_score = (cipher_points(cbest) + cipher_points(cworst)) / 2;
    g->score = (30 * g->protocol_score + 30 * g->kx_score +
                40 * g->cipher_score) / 100;
    char letter = g->score >= 80 ? 'A' : g->score >= 65 ? 'B'
                : g->score >= 50 ? 'C' : g->score >= 35 ? 'D'
                : g->score >= 20 ? 'E' : 'F';
    if (any_null)
        cap(g, &letter, 'F', "a suite without encryption (NULL)");
    if (any_anon)
        cap(g, &letter, 'F', "an anonymous suite (no authentication)");
    if (any_export)
        cap(g, &letter, 'F', "an export-grade or DES suite");
    if (kx > 0 && kx < 80)
        cap(g, &letter, 'F', "key exchange under 1024 bits");
    if (r->proto[MR_TLS_SSL3] == MR_TLS_ACCEPTED)
        cap(g, &letter, 'C', "SSLv3 accepted (POODLE)");
    if (any_rc4)
        cap(g, &letter, 'C', "RC4 accepted");
    if (des3_modern)
        cap(g, &letter, 'C', "3DES accepted on TLS 1.1 or later (Sweet32)");
    if (r->proto[MR_TLS_1_2] != MR_TLS_ACCEPTED &&
        r->proto[MR_TLS_1_3] != MR_TLS_ACCEPTED)
        cap(g, &letter, 'C', "no TLS 1.2 or 1.3");
    if (r->proto[MR_TLS_1_0] == MR_TLS_ACCEPTED ||
        r->proto[MR_TLS_1_1] == MR_TLS_ACCEPTED)
        cap(g, &letter, 'B', "TLS 1.0 or 1.1 accepted");
    if (!any_fs_best)
        cap(g, &letter, 'B', "no forward secrecy");
    if (!any_aead)
        cap(g, &letter, 'B', "no AEAD suite");
    if (r->cert.present && r->cert.key_secbits > 0 &&
        r->cert.key_secbits < 112)
        cap(g, &letter, 'B', "certificate key under 2048 bits");
    else if (kx < 112)
        cap(g, &letter, 'B', "key exchange under 2048 bits");
    int plus = letter == 'A' && g->nreasons == 0 &&
               hsts_max_age >= HSTS_A_PLUS_MIN;
    snprintf(g->grade_if_trusted, sizeof(g->grade_if_trusted), "%c%s",
             letter, plus ? "+" : "");
    const mr_tls_cert *c = &r->cert;
    if (c->present && (!c->verified || c->days_left < 0 || c->not_yet_valid ||
                       c->sig_weak)) {
        snprintf(g->grade, sizeof(g->grade), "T");
        if (g->nreasons < MR_TLS_REASONS_MAX)
            g->reasons[g->nreasons++] = "certificate not trusted";
    } else if (c->present && !c->name_match) {
        snprintf(g->grade, sizeof(g->grade), "M");
        if (g->nreasons < MR_TLS_REASONS_MAX)
            g->reasons[g->nreasons++] = "certificate name mismatch";
    } else {
        memcpy(g->grade, g->grade_if_trusted, sizeof(g->grade));
    }
}

static void diff(mr_tls_diffs *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void diff(mr_tls_diffs *d, const char *fmt, ...)
{
    va_list ap;
    if (d->n >= MR_TLS_DIFFS_MAX) {
        d->more++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(d->v[d->n++], MR_TLS_DIFF_LEN, fmt, ap);
    va_end(ap);
}

/* OpenSSL names the NIST curves in two ways. */
static int group_known(const mr_web_mozilla *m, const char *g)
{
    if (mr_web_names_has(&m->groups, g))
        return 1;
    if (strcasecmp(g, "secp256r1") == 0 || strcasecmp(g, "P-256") == 0)
        return mr_web_names_has(&m->groups, "prime256v1");
    if (strcasecmp(g, "P-384") == 0)
        return mr_web_names_has(&m->groups, "secp384r1");
    return 0;
}

void mr_tls_mozilla_diff(const mr_tls_result *r, const mr_web_mozilla *m,
                         mr_tls_diffs *d)
{
    memset(d, 0, sizeof(*d));
    for (int v = 0; v < MR_TLS_NVERSIONS; v++) {
        int want = mr_web_names_has(&m->protocols, mr_tls_version_names[v]);
        if (r->proto[v] == MR_TLS_ACCEPTED && !want)
            diff(d, "accepts %s", mr_tls_version_names[v]);
        else if (r->proto[v] == MR_TLS_REFUSED && want)
            diff(d, "does not accept %s", mr_tls_version_names[v]);
    }
    for (int v = 0; v < MR_TLS_NVERSIONS; v++) {
        const mr_web_names *l = v == MR_TLS_1_3 ? &m->ciphersuites
                                                : &m->ciphers;
        for (size_t i = 0; i < r->nsuites[v]; i++)
            if (!mr_web_names_has(l, r->suites[v][i].name))
                diff(d, "accepts %s with %s", r->suites[v][i].name,
                     mr_tls_version_names[v]);
    }
    for (size_t i = 0; i < r->ngroups; i++)
        if (!group_known(m, r->groups[i]))
            diff(d, "offers the group %s", r->groups[i]);
    if (r->cert.present && strcmp(r->cert.key_type, "RSA") == 0 &&
        (unsigned)r->cert.key_bits < m->rsa_key_min)
        diff(d, "certificate key RSA %d bits (at least %u)",
             r->cert.key_bits, m->rsa_key_min);
}
