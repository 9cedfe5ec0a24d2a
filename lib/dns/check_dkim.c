/*
 * check_dkim.c — DKIM keys of a domain (RFC 6376 3.6.1).
 *
 * DKIM keys live at <selector>._domainkey.<domain> and selectors are not
 * discoverable, so the ones given (--dkim-selector) are probed first,
 * then a list of those common mail services use. If _domainkey.<domain>
 * itself does not exist (NXDOMAIN, RFC 8020), no selector below it can,
 * and the common ones are not probed. Each key found is parsed and read
 * with OpenSSL for its size.
 */
#include "common.h"

#include "dns/check.h"
#include "check_ids.h"

#define MR_DKIM_WEAK_BITS 2048
#define MR_DKIM_BROKEN_BITS 1024

static const char *const common_selectors[] = {
    "default", "google", "selector1", "selector2", "k1", "k2", "k3", "s1",
    "s2", "mail", "dkim", "smtp", "key1", "key2", "sig1", "mx", "fm1",
    "fm2", "protonmail", "zoho", "mandrill", "everlytickey1",
};

/* Checks one key record; returns whether it is a usable key. */
static bool judge_key(mr_dcheck *dc, const char *name, const char *rec,
                      size_t len)
{
    mr_dkim_key *k = malloc(sizeof *k);
    mr_rec_error err;
    mr_note *nt;
    char why[128];
    bool usable = false;
    const char *d = dc->domain;
    char fix[MR_DNS_NAME_MAX + 80];

    if (k == NULL)
        return false;
    snprintf(fix, sizeof fix, "%s. TXT \"v=DKIM1; k=rsa; p=<base64 of a "
             "new 2048-bit RSA public key>\"", name);
    if (mr_dkim_parse(rec, len, k, &err) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_INVALID, "dkim", name))) {
            mr_fix_txt(nt->record, sizeof nt->record, name, rec, len);
            mr_note_set(nt->fix, "%s", fix);
            mr_note_set(nt->detail, "%s", err.msg);
            nt->offset = (int64_t)err.offset;
        }
        free(k);
        return false;
    }
    if (k->revoked) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_REVOKED, "dkim", name)))
            mr_note_set(nt->detail, "empty p=: the key at %s is revoked",
                        name);
        free(k);
        return false;
    }
    int bits = mr_dkim_key_bits(k, why, sizeof why);
    if (bits < 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_INVALID, "dkim", name))) {
            mr_fix_txt(nt->record, sizeof nt->record, name, rec, len);
            mr_note_set(nt->fix, "%s", fix);
            mr_note_set(nt->detail, "%s", why);
        }
    } else if (bits < MR_DKIM_WEAK_BITS && !mr_span_ieq(k->k, "ed25519")) {
        const char *id = bits < MR_DKIM_BROKEN_BITS ? MR_CHECK_DNS_DKIM_BROKEN_KEY
                                                    : MR_CHECK_DNS_DKIM_WEAK_KEY;
        if ((nt = mr_note_add(dc, id, "dkim", name))) {
            nt->bits = bits;
            mr_fix_txt(nt->record, sizeof nt->record, name, rec, len);
            mr_note_set(nt->fix, "%s", fix);
            mr_note_set(nt->detail, "RSA key of %d bits at %s%s", bits,
                        name, bits < MR_DKIM_BROKEN_BITS
                        ? ": can be factored, signatures forged" : "");
        }
        usable = bits >= MR_DKIM_BROKEN_BITS;
    } else {
        usable = true;
    }
    if (k->testing && (nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_TESTING, "dkim",
                                        name))) {
        mr_fix_txt(nt->record, sizeof nt->record, name, rec, len);
        mr_note_set(nt->detail, "t=y: receivers may treat failing "
                    "signatures of %s as unsigned", d);
    }
    free(k);
    return usable;
}

void mr_check_dkim(mr_dcheck *dc)
{
    const char *d = dc->domain;
    const char *probe[MR_DKIM_PROBE_MAX];
    size_t np = 0, given = dc->cfg->n_selectors;
    char name[MR_DNS_NAME_MAX * 2];
    int keys = 0, found = 0;

    for (size_t i = 0; i < given && np < MR_DKIM_PROBE_MAX; i++)
        probe[np++] = dc->cfg->selectors[i];
    snprintf(name, sizeof name, "_domainkey.%s", d);
    bool tree = strlen(name) <= MR_DNS_NAME_MAX &&
                mr_dq(dc, name, MR_DNS_T_TXT) != MR_DNS_NXDOMAIN;
    for (size_t i = 0; tree && i < MR_ARRAY_LEN(common_selectors) &&
                       np < MR_DKIM_PROBE_MAX; i++) {
        bool dup = false;
        for (size_t k = 0; k < given; k++)
            dup |= strcmp(probe[k], common_selectors[i]) == 0;
        if (!dup)
            probe[np++] = common_selectors[i];
    }
    /* All selectors at once: twenty-odd round trips become one. */
    for (size_t i = 0; i < np; i++) {
        snprintf(name, sizeof name, "%s._domainkey.%s", probe[i], d);
        if ((tree || i < given) && strlen(name) <= MR_DNS_NAME_MAX)
            mr_ub_prefetch(dc->ub, name, MR_DNS_T_TXT);
    }
    for (size_t i = 0; i < np; i++) {
        snprintf(name, sizeof name, "%s._domainkey.%s", probe[i], d);
        if (strlen(name) > MR_DNS_NAME_MAX)
            continue;
        int rc = MR_DNS_NXDOMAIN;
        if (tree || i < given)
            rc = mr_txt_at(dc, name, NULL);
        if (rc == MR_DNS_NOERROR && dc->n_txt > 0) {
            found++;
            /* Several TXT records at one selector: judge the first. */
            char rec[MR_TXT_KEEP + 1];
            size_t len = dc->txt_len[0];
            memcpy(rec, dc->txt[0], len + 1);
            keys += judge_key(dc, name, rec, len);
        } else if (i < given && rc != MR_DNS_NOERROR &&
                   rc != MR_DNS_NXDOMAIN) {
            continue;   /* reported as a lookup failure */
        } else if (i < given) {
            mr_note *nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_MISSING, "dkim", name);
            if (nt) {
                nt->sev = MAMORI_SEV_MEDIUM;
                mr_note_set(nt->fix, "%s. TXT \"v=DKIM1; k=rsa; p=<base64 "
                            "of the public key>\"", name);
                mr_note_set(nt->detail, "selector '%s' was given but %s "
                            "has no key", probe[i], name);
            }
        }
    }
    dc->r->dkim_keys = keys;
    bool sends = !dc->null_mx;
    if (found == 0 && given == 0 && sends) {
        mr_note *nt = mr_note_add(dc, MR_CHECK_DNS_DKIM_MISSING, "dkim", d);
        if (nt) {
            mr_note_set(nt->fix, "<selector>._domainkey.%s. TXT \"v=DKIM1; "
                        "k=rsa; p=<base64 of the public key>\"", d);
            mr_note_set(nt->detail, "no DKIM key at %zu common selectors; "
                        "name yours with --dkim-selector", np);
        }
    }
}
