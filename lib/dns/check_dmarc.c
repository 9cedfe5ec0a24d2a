/*
 * check_dmarc.c — the DMARC checks of a domain (RFC 7489).
 *
 * The record is looked for at _dmarc.<domain>, then at the
 * organisational domain's (Public Suffix List, RFC 7489 6.6.3). Once
 * found and parsed: p=none (or t=y) only watches, pct under 100 leaves
 * mail out, sp/np weaker than p open subdomains, no rua means nobody
 * sees the reports, and every report address outside the domain must be
 * authorised by <domain>._report._dmarc.<dest> (RFC 7489 7.1) and its
 * domain must receive mail.
 */
#include "common.h"

#include "dns/check.h"
#include "check_ids.h"

static bool is_dmarc(const char *s, size_t n)
{
    return mr_dmarc_is_record(s, n);
}

static void fix_record(mr_note *nt, const char *domain, const char *rua_dom)
{
    char name[MR_DNS_NAME_MAX + 8], text[MR_DNS_NAME_MAX + 64];
    snprintf(name, sizeof name, "_dmarc.%s", domain);
    int n = snprintf(text, sizeof text, "v=DMARC1; p=reject; "
                     "rua=mailto:dmarc-reports@%s", rua_dom);
    mr_fix_txt(nt->fix, sizeof nt->fix, name, text,
               n > 0 ? MR_MIN((size_t)n, sizeof text - 1) : 0);
}

static void check_reports(mr_dcheck *dc, const mr_dmarc *m, const char *org)
{
    const mr_span *lists[2] = {m->rua, m->ruf};
    size_t counts[2] = {MR_MIN(m->n_rua, (size_t)MR_DMARC_URIS_MAX),
                        MR_MIN(m->n_ruf, (size_t)MR_DMARC_URIS_MAX)};
    char dest[MR_DNS_NAME_MAX + 1], dest_org[MR_DNS_NAME_MAX + 1];
    char q[MR_DNS_NAME_MAX * 2 + 32];

    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++) {
            if (mr_dmarc_uri_domain(lists[l][i], dest, sizeof dest) != 0)
                continue;
            if (mr_psl_org_domain(dc->cfg->psl, dest, dest_org,
                                  sizeof dest_org) != 0)
                snprintf(dest_org, sizeof dest_org, "%s", dest);
            /* Does the destination receive mail at all? */
            int rc = mr_dq(dc, dest, MR_DNS_T_MX);
            bool no_mail = rc == MR_DNS_NXDOMAIN ||
                (rc == MR_DNS_NOERROR && dc->ans->n == 1 &&
                 dc->ans->rr[0].len == 1 &&
                 mr_dns_rr_data(dc->ans, 0)[0] == '.');
            mr_note *nt;
            if (no_mail && (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_REPORT_AUTH,
                                             "dmarc", dest))) {
                mr_note_set(nt->detail, "%s=%.*s: %s receives no mail (%s)",
                            l ? "ruf" : "rua", (int)MR_MIN(lists[l][i].n, 200),
                            lists[l][i].p, dest,
                            rc == MR_DNS_NXDOMAIN ? "no such domain"
                                                  : "null MX");
                continue;
            }
            if (strcmp(dest_org, org) == 0)
                continue;
            snprintf(q, sizeof q, "%s._report._dmarc.%s", dc->domain, dest);
            if (strlen(q) > MR_DNS_NAME_MAX)
                continue;
            rc = mr_txt_at(dc, q, is_dmarc);
            if ((rc == MR_DNS_NOERROR || rc == MR_DNS_NXDOMAIN) &&
                dc->n_txt == 0 &&
                (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_REPORT_AUTH, "dmarc", q))) {
                mr_fix_txt(nt->fix, sizeof nt->fix, q, "v=DMARC1", 8);
                mr_note_set(nt->detail, "%s=%.*s is outside %s and %s does "
                            "not authorise it: receivers will not send "
                            "those reports (RFC 7489 7.1)",
                            l ? "ruf" : "rua", (int)MR_MIN(lists[l][i].n, 200),
                            lists[l][i].p, org, dest);
            }
        }
}

static void judge(mr_dcheck *dc, const mr_dmarc *m, const char *rec,
                  size_t rlen, const char *at, const char *org,
                  bool inherited)
{
    const char *d = dc->domain;
    mr_note *nt;
    /* For a subdomain using the organisation's record, sp applies. */
    mr_dmarc_policy eff = inherited && m->sp != MR_DMARC_UNSET ? m->sp : m->p;
    dc->dmarc_p = m->t == 'y' ? MR_DMARC_NONE : eff;
    snprintf(dc->r->dmarc, sizeof dc->r->dmarc, "%s%s",
             mr_dmarc_policy_name(eff), inherited ? " (org)" : "");

    if ((eff == MR_DMARC_NONE || m->t == 'y') &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_NONE, "dmarc", at))) {
        mr_fix_txt(nt->record, sizeof nt->record, at, rec,
                   rlen);
        fix_record(nt, inherited ? org : d, org);
        mr_note_set(nt->detail, "%s: receivers deliver mail that fails "
                    "DMARC as if nothing were wrong",
                    m->t == 'y' ? "t=y (testing)" : "p=none");
    }
    if (m->pct < 100 && eff != MR_DMARC_NONE &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_PCT, "dmarc", at))) {
        mr_fix_txt(nt->record, sizeof nt->record, at, rec,
                   rlen);
        mr_note_set(nt->detail, "pct=%d: the policy applies to %d%% of "
                    "failing mail only", m->pct, m->pct);
    }
    mr_dmarc_policy sp = m->sp != MR_DMARC_UNSET ? m->sp : m->p;
    mr_dmarc_policy np = m->np != MR_DMARC_UNSET ? m->np : sp;
    if (!inherited && (sp < m->p || np < m->p) &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_SUBDOMAIN, "dmarc", at))) {
        mr_fix_txt(nt->record, sizeof nt->record, at, rec,
                   rlen);
        mr_note_set(nt->detail, "p=%s but %s=%s: mail from %s of %s is "
                    "treated more leniently", mr_dmarc_policy_name(m->p),
                    sp < m->p ? "sp" : "np",
                    mr_dmarc_policy_name(sp < m->p ? sp : np),
                    sp < m->p ? "subdomains" : "non-existent subdomains", d);
    }
    if (m->n_rua == 0 && (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_NO_RUA, "dmarc",
                                           at))) {
        mr_fix_txt(nt->record, sizeof nt->record, at, rec,
                   rlen);
        char text[MR_TXT_KEEP + MR_DNS_NAME_MAX + 40];
        int n = snprintf(text, sizeof text, "%s; rua=mailto:dmarc-reports@%s",
                         rec, org);
        mr_fix_txt(nt->fix, sizeof nt->fix, at, text,
                   n > 0 ? MR_MIN((size_t)n, sizeof text - 1) : 0);
        mr_note_set(nt->detail, "no rua=: nobody receives the aggregate "
                    "reports that show who sends mail as %s", d);
    }
    for (size_t i = 0; i < MR_MIN(m->warn.n, (size_t)MR_REC_WARN_MAX); i++)
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_INVALID, "dmarc", at))) {
            nt->sev = MAMORI_SEV_LOW;
            mr_fix_txt(nt->record, sizeof nt->record, at, rec,
                       rlen);
            mr_note_set(nt->detail, "%s", m->warn.msg[i]);
        }
    check_reports(dc, m, org);
}

void mr_check_dmarc(mr_dcheck *dc)
{
    const char *d = dc->domain;
    char at[MR_DNS_NAME_MAX + 8], org[MR_DNS_NAME_MAX + 1];
    bool inherited = false;
    mr_note *nt;

    dc->dmarc_p = MR_DMARC_UNSET;
    snprintf(dc->r->dmarc, sizeof dc->r->dmarc, "missing");
    if (mr_psl_org_domain(dc->cfg->psl, d, org, sizeof org) != 0)
        snprintf(org, sizeof org, "%s", d);
    snprintf(at, sizeof at, "_dmarc.%s", d);
    if (strlen(at) > MR_DNS_NAME_MAX)
        return;
    int rc = mr_txt_at(dc, at, is_dmarc);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN) {
        snprintf(dc->r->dmarc, sizeof dc->r->dmarc, "lookup-failed");
        return;
    }
    if (dc->n_txt == 0 && strcmp(org, d) != 0) {
        snprintf(at, sizeof at, "_dmarc.%s", org);
        rc = mr_txt_at(dc, at, is_dmarc);
        inherited = true;
    }
    if (dc->n_txt == 0) {
        if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
            return;
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_MISSING, "dmarc", d))) {
            fix_record(nt, d, org);
            mr_note_set(nt->detail, "no v=DMARC1 record at _dmarc.%s%s%s",
                        d, inherited ? " nor at _dmarc." : "",
                        inherited ? org : "");
        }
        return;
    }
    if (dc->n_txt > 1) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_MULTIPLE, "dmarc", at))) {
            mr_note_set(nt->record, "%s | %s", dc->txt[0], dc->txt[1]);
            mr_note_set(nt->detail, "%zu DMARC records at %s: receivers "
                        "use none of them (RFC 7489 6.6.3)", dc->n_txt, at);
        }
        snprintf(dc->r->dmarc, sizeof dc->r->dmarc, "multiple");
        return;
    }
    /* Parsed from a copy: the report checks query again (dc->txt). */
    char rec[MR_TXT_KEEP + 1];
    size_t rlen = dc->txt_len[0];
    memcpy(rec, dc->txt[0], rlen + 1);
    mr_dmarc m;
    mr_rec_error err;
    if (mr_dmarc_parse(rec, rlen, &m, &err) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_INVALID, "dmarc", at))) {
            mr_fix_txt(nt->record, sizeof nt->record, at, dc->txt[0],
                       dc->txt_len[0]);
            fix_record(nt, inherited ? org : d, org);
            mr_note_set(nt->detail, "%s", err.msg);
            nt->offset = (int64_t)err.offset;
        }
        snprintf(dc->r->dmarc, sizeof dc->r->dmarc, "invalid");
        return;
    }
    if (inherited && (nt = mr_note_add(dc, MR_CHECK_DNS_DMARC_INHERITED, "dmarc",
                                       d)))
        mr_note_set(nt->detail, "no record at _dmarc.%s: the policy of %s "
                    "(%s) applies", d, org,
                    mr_dmarc_policy_name(m.sp != MR_DMARC_UNSET ? m.sp : m.p));
    judge(dc, &m, rec, rlen, at, org, inherited);
}
