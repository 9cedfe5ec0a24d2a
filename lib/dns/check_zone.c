/*
 * check_zone.c — checks of the zone itself rather than of mail: CAA
 * (RFC 8659: which CAs may issue certificates for the domain) and DNSSEC
 * (is the zone signed, and does its chain of trust validate from the
 * trust anchor in use).
 */
#include "common.h"

#include "dns/check.h"
#include "check_ids.h"

void mr_check_caa(mr_dcheck *dc)
{
    const char *d = dc->domain;
    char org[MR_DNS_NAME_MAX + 1];
    mr_note *nt;

    int rc = mr_dq(dc, d, MR_DNS_T_CAA);
    if (rc == MR_DNS_NOERROR && dc->ans->n > 0)
        return;
    /* CAA is searched up the tree (RFC 8659 3): the organisation's
     * record covers its subdomains. */
    if (mr_psl_org_domain(dc->cfg->psl, d, org, sizeof org) == 0 &&
        strcmp(org, d) != 0) {
        rc = mr_dq(dc, org, MR_DNS_T_CAA);
        if (rc == MR_DNS_NOERROR && dc->ans->n > 0)
            return;
    }
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return;
    if ((nt = mr_note_add(dc, MR_CHECK_DNS_CAA_MISSING, "caa", d))) {
        mr_note_set(nt->fix, "%s. CAA 0 issue \"<the domain of the CA you "
                    "use, e.g. letsencrypt.org>\"", d);
        mr_note_set(nt->detail, "no CAA record: any certificate authority "
                    "may issue certificates for %s", d);
    }
}

void mr_check_dnssec(mr_dcheck *dc)
{
    const char *d = dc->domain;
    mr_note *nt;

    snprintf(dc->r->dnssec, sizeof dc->r->dnssec, "unsigned");
    int rc = mr_dq(dc, d, MR_DNS_T_DNSKEY);
    int status = dc->ans->dnssec;
    /* Any answer of the check that failed validation counts: a zone
     * whose keys validate can still serve a forged or stale record. */
    if (dc->bogus[0]) {
        snprintf(dc->r->dnssec, sizeof dc->r->dnssec, "bogus");
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DNSSEC_BOGUS, "dnssec", d)))
            mr_note_set(nt->detail, "%s", dc->bogus);
        return;
    }
    if (rc != MR_DNS_NOERROR) {
        if (rc != MR_DNS_NXDOMAIN)
            snprintf(dc->r->dnssec, sizeof dc->r->dnssec, "lookup-failed");
        return;
    }
    bool signed_zone = dc->ans->n > 0;
    if (signed_zone && status == MR_DNSSEC_SECURE) {
        snprintf(dc->r->dnssec, sizeof dc->r->dnssec, "secure");
        return;
    }
    if (signed_zone) {
        snprintf(dc->r->dnssec, sizeof dc->r->dnssec, "signed");
        if (!dc->cfg->validating)
            return;   /* nothing to validate with: not a finding */
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DNSSEC_UNSIGNED, "dnssec", d))) {
            mr_note_set(nt->fix, "a DS record for %s at its parent zone "
                        "(from: ldns-key2ds or dnssec-dsfromkey)", d);
            mr_note_set(nt->detail, "%s publishes DNSKEY records but no "
                        "chain of trust reaches them (no DS at the parent)",
                        d);
        }
        return;
    }
    if ((nt = mr_note_add(dc, MR_CHECK_DNS_DNSSEC_UNSIGNED, "dnssec", d))) {
        mr_note_set(nt->fix, "sign the zone %s and publish its DS record at "
                    "the parent (ask your DNS provider or registrar)", d);
        mr_note_set(nt->detail, "no DNSKEY at %s: answers about it can be "
                    "forged on the way without anyone noticing", d);
    }
}
