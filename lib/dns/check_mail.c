/*
 * check_mail.c — how mail reaches the domain: MX and null MX (RFC 7505),
 * MTA-STS (RFC 8461: TXT record, then the policy over HTTPS, its mx
 * lines against the real MX hosts) and TLS-RPT (RFC 8460).
 */
#include "common.h"

#include "dns/check.h"
#include "check_ids.h"

#define MR_STS_PATH "/.well-known/mta-sts.txt"

void mr_check_mx(mr_dcheck *dc)
{
    const char *d = dc->domain;
    mr_note *nt;
    char tb[MR_DNS_NAME_MAX + 1];

    dc->n_mx = 0;
    dc->null_mx = false;
    int rc = mr_dq(dc, d, MR_DNS_T_MX);
    if (rc == MR_DNS_NXDOMAIN) {
        dc->nxdomain = true;
        snprintf(dc->r->mx, sizeof dc->r->mx, "nxdomain");
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_LOOKUP, "lookup", d)))
            mr_note_set(nt->detail, "%s does not exist (NXDOMAIN)", d);
        return;
    }
    if (rc != MR_DNS_NOERROR) {
        snprintf(dc->r->mx, sizeof dc->r->mx, "lookup-failed");
        return;
    }
    size_t total = dc->ans->n;
    bool has_null = false;
    for (size_t i = 0; i < total; i++) {
        const char *h = (const char *)mr_dns_rr_data(dc->ans, i);
        size_t hl = dc->ans->rr[i].len;
        if (hl == 1 && h[0] == '.') {
            has_null = true;
            continue;
        }
        if (dc->n_mx < MR_MX_KEEP && hl <= MR_DNS_NAME_MAX) {
            memcpy(dc->mx[dc->n_mx], h, hl);
            dc->mx[dc->n_mx][hl] = '\0';
            dc->n_mx++;
        }
    }
    if (has_null && total == 1) {
        dc->null_mx = true;
        snprintf(dc->r->mx, sizeof dc->r->mx, "null");
        return;
    }
    snprintf(dc->r->mx, sizeof dc->r->mx, "%zu", total);
    if (has_null && (nt = mr_note_add(dc, MR_CHECK_DNS_MX_INVALID, "mx", d))) {
        mr_note_set(nt->fix, "%s. MX 0 .", d);
        mr_note_set(nt->detail, "a null MX (\".\") next to %zu other MX "
                    "records: RFC 7505 3 forbids mixing them", total - 1);
    }
    if (total == 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_MX_MISSING, "mx", d))) {
            mr_note_set(nt->fix, "%s. MX 0 .", d);
            mr_note_set(nt->detail, "no MX record: senders fall back to the "
                        "address of %s; publish a null MX if it takes no "
                        "mail", d);
        }
        return;
    }
    /* Each exchange must be a host name with an address. */
    size_t n = dc->n_mx;
    for (size_t i = 0; i < n; i++) {
        snprintf(tb, sizeof tb, "%s", dc->mx[i]);
        size_t l = strlen(tb);
        if (l > 0 && tb[l - 1] == '.')
            tb[l - 1] = '\0';
        mr_ip ip;
        bool literal = mr_ip_parse(tb, strlen(tb), &ip) == 0;
        bool has_addr = false;
        if (!literal) {
            int r4 = mr_dq(dc, tb, MR_DNS_T_A);
            has_addr = r4 == MR_DNS_NOERROR && dc->ans->n > 0;
            if (!has_addr && r4 != MR_DNS_NOERROR && r4 != MR_DNS_NXDOMAIN)
                continue;
            if (!has_addr) {
                int r6 = mr_dq(dc, tb, MR_DNS_T_AAAA);
                has_addr = r6 == MR_DNS_NOERROR && dc->ans->n > 0;
                if (!has_addr && r6 != MR_DNS_NOERROR && r6 != MR_DNS_NXDOMAIN)
                    continue;
            }
        }
        if (!has_addr && (nt = mr_note_add(dc, MR_CHECK_DNS_MX_INVALID, "mx", d)))
            mr_note_set(nt->detail, "MX host %s %s", tb, literal
                        ? "is an IP address, not a host name (RFC 7505 4)"
                        : "has no A or AAAA record: mail to it is lost");
    }
}

static bool is_sts(const char *s, size_t n)
{
    return n >= 7 && memcmp(s, "v=STSv1", 7) == 0;
}

static bool is_tlsrpt(const char *s, size_t n)
{
    return n >= 10 && memcmp(s, "v=TLSRPTv1", 10) == 0;
}

static void sts_policy(mr_dcheck *dc, const char *at)
{
    char host[MR_DNS_NAME_MAX + 16], why[256];
    size_t len = 0;
    mr_note *nt;

    snprintf(host, sizeof host, "mta-sts.%s", dc->domain);
    if (strlen(host) > MR_DNS_NAME_MAX)
        return;
    char *body = malloc(MR_STS_POLICY_MAX + 1);
    mr_sts_policy *pol = malloc(sizeof *pol);
    if (body == NULL || pol == NULL)
        goto out;
    if (mr_https_get(dc, host, MR_STS_PATH, body, MR_STS_POLICY_MAX + 1,
                     &len, why, sizeof why) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_INVALID, "mta-sts", host)))
            mr_note_set(nt->detail, "https://%s%s: %s", host, MR_STS_PATH,
                        why);
        snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "fetch-failed");
        goto out;
    }
    mr_rec_error err;
    if (mr_sts_policy_parse(body, len, pol, &err) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_INVALID, "mta-sts", host))) {
            mr_note_set(nt->detail, "policy at https://%s%s: %s", host,
                        MR_STS_PATH, err.msg);
            nt->offset = (int64_t)err.offset;
        }
        snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "invalid");
        goto out;
    }
    snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "%s",
             mr_sts_mode_name(pol->mode));
    if (pol->mode != MR_STS_ENFORCE &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_TESTING, "mta-sts", host))) {
        mr_note_set(nt->record, "mode: %s", mr_sts_mode_name(pol->mode));
        mr_note_set(nt->fix, "mode: enforce (in https://%s%s; then change "
                    "id= at %s)", host, MR_STS_PATH, at);
        mr_note_set(nt->detail, "mode %s: senders deliver even when TLS "
                    "to the MX fails or is stripped",
                    mr_sts_mode_name(pol->mode));
    }
    for (size_t i = 0; pol->mode != MR_STS_NONE && i < dc->n_mx; i++) {
        bool ok = false;
        for (size_t k = 0; k < MR_MIN(pol->n_mx, (size_t)MR_STS_MX_MAX); k++)
            ok |= mr_sts_mx_match(pol->mx[k], dc->mx[i]);
        if (!ok && (nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_INVALID, "mta-sts",
                                     host))) {
            mr_note_set(nt->fix, "mx: %s", dc->mx[i]);
            mr_note_set(nt->detail, "MX host %s matches no mx: line of the "
                        "policy: senders that enforce it refuse to deliver "
                        "there", dc->mx[i]);
        }
    }
out:
    free(body);
    free(pol);
}

void mr_check_mta_sts(mr_dcheck *dc)
{
    char at[MR_DNS_NAME_MAX + 16], id[MR_STS_ID_MAX + 1];
    mr_note *nt;

    snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "missing");
    snprintf(at, sizeof at, "_mta-sts.%s", dc->domain);
    if (strlen(at) > MR_DNS_NAME_MAX)
        return;
    int rc = mr_txt_at(dc, at, is_sts);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return;
    if (dc->n_txt == 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_MISSING, "mta-sts", at))) {
            mr_fix_txt(nt->fix, sizeof nt->fix, at,
                       "v=STSv1; id=20260101000000", 26);
            mr_note_set(nt->detail, "no MTA-STS: mail to %s can be read or "
                        "redirected by anyone who can strip STARTTLS on the "
                        "way", dc->domain);
        }
        return;
    }
    mr_rec_error err;
    if (dc->n_txt > 1 ||
        mr_sts_txt_parse(dc->txt[0], dc->txt_len[0], id, &err) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_MTASTS_INVALID, "mta-sts", at))) {
            mr_fix_txt(nt->record, sizeof nt->record, at, dc->txt[0],
                       dc->txt_len[0]);
            mr_fix_txt(nt->fix, sizeof nt->fix, at,
                       "v=STSv1; id=20260101000000", 26);
            if (dc->n_txt > 1)
                mr_note_set(nt->detail, "%zu v=STSv1 records: senders "
                            "ignore MTA-STS (RFC 8461 3.1)", dc->n_txt);
            else {
                mr_note_set(nt->detail, "%s", err.msg);
                nt->offset = (int64_t)err.offset;
            }
        }
        snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "invalid");
        return;
    }
    snprintf(dc->r->mta_sts, sizeof dc->r->mta_sts, "txt");
    if (!dc->cfg->no_https)
        sts_policy(dc, at);
}

void mr_check_tlsrpt(mr_dcheck *dc)
{
    char at[MR_DNS_NAME_MAX + 16], text[MR_DNS_NAME_MAX + 64];
    mr_note *nt;
    size_t n_rua;

    snprintf(at, sizeof at, "_smtp._tls.%s", dc->domain);
    if (strlen(at) > MR_DNS_NAME_MAX)
        return;
    int rc = mr_txt_at(dc, at, is_tlsrpt);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return;
    int tn = snprintf(text, sizeof text, "v=TLSRPTv1; rua=mailto:tls-reports@%s",
                      dc->domain);
    size_t tl = tn > 0 ? MR_MIN((size_t)tn, sizeof text - 1) : 0;
    mr_rec_error err;
    if (dc->n_txt == 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_TLSRPT_MISSING, "tls-rpt", at))) {
            mr_fix_txt(nt->fix, sizeof nt->fix, at, text, tl);
            mr_note_set(nt->detail, "no TLS-RPT record: nobody hears of "
                        "failed TLS deliveries to %s", dc->domain);
        }
    } else if (dc->n_txt > 1 ||
               mr_tlsrpt_parse(dc->txt[0], dc->txt_len[0], &n_rua, &err)) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_TLSRPT_INVALID, "tls-rpt", at))) {
            mr_fix_txt(nt->record, sizeof nt->record, at, dc->txt[0],
                       dc->txt_len[0]);
            mr_fix_txt(nt->fix, sizeof nt->fix, at, text, tl);
            mr_note_set(nt->detail, "%s", dc->n_txt > 1
                        ? "more than one v=TLSRPTv1 record" : err.msg);
        }
    }
}
