/*
 * check_spf.c — the SPF checks of a domain (RFC 7208), on top of the
 * standards-exact engine of spf.h.
 *
 * The record is found (exactly one), parsed (the fault's offset kept),
 * then judged on its own terms: what `all` says, `ptr`, its size, a
 * missing ending; and then evaluated with check_host() for an address
 * from TEST-NET-1 (RFC 5737, never contacted: only DNS is queried), as a
 * receiver would. That evaluation stops at the first term that matches
 * the probe, so the whole include/redirect tree is walked as well
 * (check_spf_tree.c): open policies behind includes, lookups in nested
 * records. Each finding carries the record to publish instead.
 */
#include "common.h"

#include "dns/check.h"
#include "dns/check_spf_tree.h"
#include "dns/spf.h"
#include "check_ids.h"

#define MR_SPF_PROBE_IP "192.0.2.1"   /* RFC 5737 TEST-NET-1 */
#define MR_SPF_LEN_WARN 450           /* RFC 7208 3.4: fits one UDP answer */

static bool is_spf(const char *s, size_t n)
{
    return mr_spf_is_record(s, n);
}

/* Writes rec with the term [off, off+tlen) replaced by `with`. */
static void replace_term(char *out, size_t cap, const mr_spf_record *rec,
                         size_t off, size_t tlen, const char *with)
{
    size_t end = off + tlen;
    size_t wl = strlen(with);
    if (wl == 0) {   /* removing: take the space before it too */
        while (off > 0 && rec->text[off - 1] == ' ')
            off--;
    }
    snprintf(out, cap, "%.*s%s%.*s", (int)off, rec->text, with,
             (int)(rec->len - end), rec->text + end);
}

static void posture(mr_dcheck *dc, const mr_spf_record *rec, bool parked)
{
    const char *d = dc->domain;
    char buf[MR_SPF_RECORD_MAX + 16];
    const mr_spf_term *all = NULL;
    mr_note *nt;

    for (size_t i = 0; i < rec->n_terms; i++) {
        const mr_spf_term *t = &rec->terms[i];
        if (t->kind == MR_SPF_ALL && all == NULL)
            all = t;
        if (t->kind == MR_SPF_PTR && (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_PTR,
                                                       "spf", d))) {
            mr_fix_txt(nt->record, sizeof nt->record, d, rec->text, rec->len);
            replace_term(buf, sizeof buf, rec, t->offset, t->text.n, "");
            mr_fix_txt(nt->fix, sizeof nt->fix, d, buf, strlen(buf));
            mr_note_set(nt->detail, "'%.*s' at offset %zu: ptr is slow, "
                        "unreliable and deprecated (RFC 7208 5.5)",
                        (int)t->text.n, t->text.p, t->offset);
        }
    }
    snprintf(dc->r->spf, sizeof dc->r->spf, "%s",
             all ? (all->qualifier == '+' ? "+all" : all->qualifier == '?'
                    ? "?all" : all->qualifier == '~' ? "~all" : "-all")
                 : rec->redirect >= 0 ? "redirect" : "no-all");
    if (parked) {
        bool only_fail = rec->n_terms == 1 && all && all->qualifier == '-';
        if (!only_fail && (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_PARKED, "spf", d))) {
            mr_fix_txt(nt->record, sizeof nt->record, d, rec->text, rec->len);
            mr_fix_txt(nt->fix, sizeof nt->fix, d, "v=spf1 -all", 11);
            mr_note_set(nt->detail, "%s receives no mail (%s) but its SPF "
                        "record lets some hosts send as it", d,
                        dc->null_mx ? "null MX" : "no MX");
        }
        return;
    }
    if (all == NULL) {
        if (rec->redirect < 0 && (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_NO_ALL,
                                                   "spf", d))) {
            mr_fix_txt(nt->record, sizeof nt->record, d, rec->text, rec->len);
            snprintf(buf, sizeof buf, "%s -all", rec->text);
            mr_fix_txt(nt->fix, sizeof nt->fix, d, buf, strlen(buf));
            mr_note_set(nt->detail, "no 'all' and no 'redirect': mail from "
                        "any other host gets 'neutral'");
        }
        return;
    }
    const char *id = NULL;
    mamori_severity sev = MAMORI_SEV_INFO;
    if (all->qualifier == '+')
        id = MR_CHECK_DNS_SPF_ALL_PASS;
    else if (all->qualifier == '?')
        id = MR_CHECK_DNS_SPF_ALL_NEUTRAL;
    else if (all->qualifier == '~') {
        id = MR_CHECK_DNS_SPF_SOFTFAIL;
        sev = dc->dmarc_p >= MR_DMARC_QUARANTINE ? MAMORI_SEV_INFO
                                                 : MAMORI_SEV_LOW;
    }
    if (id && (nt = mr_note_add(dc, id, "spf", d))) {
        if (all->qualifier == '~')
            nt->sev = sev;
        mr_fix_txt(nt->record, sizeof nt->record, d, rec->text, rec->len);
        replace_term(buf, sizeof buf, rec, all->offset, all->text.n, "-all");
        mr_fix_txt(nt->fix, sizeof nt->fix, d, buf, strlen(buf));
        mr_note_set(nt->detail, "'%.*s' at offset %zu%s", (int)all->text.n,
                    all->text.p, all->offset,
                    all->qualifier == '~' && dc->dmarc_p >= MR_DMARC_QUARANTINE
                        ? ": DMARC enforcement covers the rest" : "");
    }
}

static void evaluate(mr_dcheck *dc)
{
    char from[MR_DNS_NAME_MAX + 16];
    mr_spf_verdict v;
    snprintf(from, sizeof from, "postmaster@%s", dc->domain);
    mr_spf_request req = {MR_SPF_PROBE_IP, from, dc->domain, NULL, NULL, 0};
    if (mr_spf_check(&dc->res, &req, &v) != 0)
        return;
    if (v.result == MR_SPF_PERMERROR) {
        mr_note *nt = mr_note_add(dc, MR_CHECK_DNS_SPF_PERMERROR, "spf", dc->domain);
        if (nt)
            mr_note_set(nt->detail, "check_host() gives permerror: %s "
                        "(in the record of %s; %u DNS-querying terms, %u "
                        "void lookups)", v.reason, v.domain, v.dns_terms,
                        v.void_lookups);
        snprintf(dc->r->spf, sizeof dc->r->spf, "permerror");
    } else if (v.result == MR_SPF_TEMPERROR) {
        dc->r->failed++;
        mr_note *nt = mr_note_add(dc, MR_CHECK_DNS_LOOKUP, "spf", dc->domain);
        if (nt)
            mr_note_set(nt->detail, "SPF evaluation gives temperror: %s",
                        v.reason);
    }
}

void mr_check_spf(mr_dcheck *dc)
{
    const char *d = dc->domain;
    bool parked = dc->null_mx || dc->n_mx == 0;
    mr_note *nt;

    snprintf(dc->r->spf, sizeof dc->r->spf, "missing");
    int rc = mr_txt_at(dc, d, is_spf);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN) {
        snprintf(dc->r->spf, sizeof dc->r->spf, "lookup-failed");
        return;
    }
    if (dc->n_txt == 0) {
        nt = mr_note_add(dc, parked ? MR_CHECK_DNS_SPF_PARKED : MR_CHECK_DNS_SPF_MISSING,
                         "spf", d);
        if (nt) {
            const char *fix = parked ? "v=spf1 -all" : "v=spf1 mx -all";
            mr_fix_txt(nt->fix, sizeof nt->fix, d, fix, strlen(fix));
            mr_note_set(nt->detail, "no TXT record starting with v=spf1 at "
                        "%s", d);
        }
        return;
    }
    if (dc->n_txt > 1) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_SPF_MULTIPLE, "spf", d))) {
            mr_note_set(nt->record, "%s | %s", dc->txt[0], dc->txt[1]);
            mr_fix_txt(nt->fix, sizeof nt->fix, d, dc->txt[0],
                       dc->txt_len[0]);
            mr_note_set(nt->detail, "%zu SPF records: receivers give "
                        "permerror (RFC 7208 4.5); merge them into one",
                        dc->n_txt);
        }
        snprintf(dc->r->spf, sizeof dc->r->spf, "multiple");
        return;
    }
    mr_spf_record *rec = malloc(sizeof *rec);
    if (rec == NULL)
        return;
    mr_spf_error err;
    if (mr_spf_parse(dc->txt[0], dc->txt_len[0], rec, &err) != 0) {
        if ((nt = mr_note_add(dc, MR_CHECK_DNS_SPF_SYNTAX, "spf", d))) {
            mr_fix_txt(nt->record, sizeof nt->record, d, dc->txt[0],
                       dc->txt_len[0]);
            /* The fix: the record without the faulty term. */
            char buf[MR_SPF_RECORD_MAX + 1];
            size_t off = MR_MIN(err.offset, dc->txt_len[0]);
            size_t s = off, e = off;
            while (s > 0 && dc->txt[0][s - 1] != ' ')
                s--;
            while (e < dc->txt_len[0] && dc->txt[0][e] != ' ')
                e++;
            while (s > 0 && dc->txt[0][s - 1] == ' ')
                s--;
            snprintf(buf, sizeof buf, "%.*s%.*s", (int)s, dc->txt[0],
                     (int)(dc->txt_len[0] - e), dc->txt[0] + e);
            if (s == 0)
                snprintf(buf, sizeof buf, "v=spf1 mx -all");
            mr_fix_txt(nt->fix, sizeof nt->fix, d, buf, strlen(buf));
            mr_note_set(nt->detail, "%s", err.msg);
            nt->offset = (int64_t)err.offset;
        }
        snprintf(dc->r->spf, sizeof dc->r->spf, "syntax-error");
        free(rec);
        return;
    }
    if (rec->len > MR_SPF_LEN_WARN &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_TOO_LONG, "spf", d))) {
        mr_fix_txt(nt->record, sizeof nt->record, d, rec->text, rec->len);
        mr_note_set(nt->detail, "%zu bytes (over %d): the answer may not "
                    "fit one UDP packet; move hosts into an include:",
                    rec->len, MR_SPF_LEN_WARN);
    }
    posture(dc, rec, parked);
    mr_check_spf_tree(dc, rec);
    free(rec);
    evaluate(dc);
}
