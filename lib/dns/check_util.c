/*
 * check_util.c — what every check of lib/dns/check_*.c uses: adding a
 * note, querying with failures reported once, collecting TXT records,
 * and writing the TXT record to publish in zone-file form.
 */
#include "common.h"

#include "dns/check.h"
#include "check_ids.h"

mr_note *mr_note_add(mr_dcheck *dc, const char *check, const char *category,
                     const char *name)
{
    mr_domain_result *r = dc->r;
    const mamori_check *c = mamori_check_find(check);
    if (r->n >= MR_NOTES_MAX) {
        r->dropped++;
        return NULL;
    }
    mr_note *nt = &r->notes[r->n++];
    memset(nt, 0, sizeof *nt);
    nt->check = check;
    nt->category = category;
    nt->sev = c ? c->severity : MAMORI_SEV_MEDIUM;
    nt->offset = -1;
    nt->bits = -1;
    snprintf(nt->name, sizeof nt->name, "%s", name);
    return nt;
}

void mr_note_set(char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(field, MR_NOTE_TEXT_MAX, fmt, ap);
    va_end(ap);
}

void mr_fix_txt(char *out, size_t cap, const char *name, const char *text,
                size_t len)
{
    size_t o = 0;
    int w = snprintf(out, cap, "%s. TXT", name);
    if (w < 0 || (size_t)w >= cap)
        return;
    o = (size_t)w;
    for (size_t i = 0; i < len || i == 0; i += 255) {
        size_t chunk = MR_MIN(len - i, (size_t)255);
        if (o + chunk + 4 >= cap)
            break;
        out[o++] = ' ';
        out[o++] = '"';
        for (size_t k = 0; k < chunk; k++) {
            char c = text[i + k];
            out[o++] = (c == '"' || c == '\\' || (unsigned char)c < 0x20) ? '?' : c;
        }
        out[o++] = '"';
        if (len == 0)
            break;
    }
    out[o] = '\0';
}

int mr_dq(mr_dcheck *dc, const char *name, int type)
{
    mr_dns_answer_reset(dc->ans);
    int rc = dc->res.query(dc->res.user, name, type, dc->ans);
    if (dc->ans->dnssec == MR_DNSSEC_BOGUS && dc->bogus[0] == '\0')
        snprintf(dc->bogus, sizeof dc->bogus, "%s", mr_ub_last_error(dc->ub));
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN &&
        dc->ans->dnssec != MR_DNSSEC_BOGUS)
        dc->r->failed++;
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN &&
        dc->ans->dnssec != MR_DNSSEC_BOGUS &&
        dc->lookup_notes++ < MR_LOOKUP_NOTES_MAX) {
        char tb[12];
        mr_note *nt = mr_note_add(dc, MR_CHECK_DNS_LOOKUP, "lookup", name);
        if (nt)
            mr_note_set(nt->detail, "%s query for %s failed: %s (%s)",
                        mr_dns_type_name(type, tb, sizeof tb), name,
                        mr_dns_rcode_name(rc), mr_ub_last_error(dc->ub));
    }
    return rc;
}

int mr_txt_at(mr_dcheck *dc, const char *name,
              bool (*keep)(const char *s, size_t n))
{
    dc->n_txt = 0;
    int rc = mr_dq(dc, name, MR_DNS_T_TXT);
    if (rc != MR_DNS_NOERROR)
        return rc;
    for (size_t i = 0; i < dc->ans->n; i++) {
        const char *s = (const char *)mr_dns_rr_data(dc->ans, i);
        size_t n = dc->ans->rr[i].len;
        if (keep && !keep(s, n))
            continue;
        if (dc->n_txt < MR_TXT_MAX) {
            size_t k = MR_MIN(n, (size_t)MR_TXT_KEEP);
            memcpy(dc->txt[dc->n_txt], s, k);
            dc->txt[dc->n_txt][k] = '\0';
            dc->txt_len[dc->n_txt] = k;
        }
        dc->n_txt++;
    }
    return rc;
}
