/*
 * mtasts.c — MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) record parsers.
 *
 * The policy file comes over HTTPS from a server the domain's owner (or
 * whoever took it over) controls, so it is read like any hostile input:
 * at most MR_STS_POLICY_MAX bytes, line by line with a cursor, "key:
 * value" pairs, unknown keys kept as warnings, mx patterns checked as
 * host names (an optional leading "*."), max_age bounded by RFC 8461's
 * one year.
 */
#include "common.h"

#include "dns/records.h"
#include "dns/records_util.h"

const char *mr_sts_mode_name(mr_sts_mode m)
{
    switch (m) {
    case MR_STS_ENFORCE: return "enforce";
    case MR_STS_TESTING: return "testing";
    case MR_STS_NONE: return "none";
    default: return "unset";
    }
}

int mr_sts_txt_parse(const char *s, size_t n, char id[MR_STS_ID_MAX + 1],
                     mr_rec_error *err)
{
    mr_taglist tl;
    id[0] = '\0';
    if (mr_taglist_parse(s, n, &tl, err) != 0)
        return -1;
    if (tl.n == 0 || !mr_span_eq(tl.tags[0].name, "v") ||
        !mr_span_eq(tl.tags[0].value, "STSv1")) {
        mr_rec_fail(err, 0, "an MTA-STS record must start with v=STSv1");
        return -1;
    }
    const mr_tag *t = mr_taglist_get(&tl, "id");
    if (t == NULL) {
        mr_rec_fail(err, n, "no id= tag");
        return -1;
    }
    if (t->value.n == 0 || t->value.n > MR_STS_ID_MAX) {
        mr_rec_fail(err, t->offset, "id= must have 1 to %d letters or "
                    "digits (offset %zu)", MR_STS_ID_MAX, t->offset);
        return -1;
    }
    for (size_t i = 0; i < t->value.n; i++) {
        char c = t->value.p[i];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
            !(c >= '0' && c <= '9')) {
            mr_rec_fail(err, t->offset + i, "id= may hold only letters and "
                        "digits (offset %zu)", t->offset);
            return -1;
        }
    }
    memcpy(id, t->value.p, t->value.n);
    id[t->value.n] = '\0';
    return 0;
}

/* An mx: pattern: a host name of LDH labels, optionally "*." first. */
static bool mx_pattern_ok(mr_span v)
{
    size_t i = 0, lab = 0;
    if (v.n >= 2 && v.p[0] == '*' && v.p[1] == '.')
        i = 2;
    if (i == v.n || v.n > MR_DNS_NAME_MAX)
        return false;
    for (; i < v.n; i++) {
        char c = v.p[i];
        if (c == '.') {
            if (lab == 0)
                return false;
            lab = 0;
        } else if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
                   (c >= '0' && c <= '9') || c == '-' || c == '_') {
            if (++lab > MR_DNS_LABEL_MAX)
                return false;
        } else {
            return false;
        }
    }
    return true;
}

int mr_sts_policy_parse(const char *s, size_t n, mr_sts_policy *out,
                        mr_rec_error *err)
{
    bool have_version = false;
    size_t i = 0;
    memset(out, 0, sizeof *out);
    out->max_age = -1;
    if (n > MR_STS_POLICY_MAX) {
        mr_rec_fail(err, MR_STS_POLICY_MAX, "policy over %d bytes",
                    MR_STS_POLICY_MAX);
        return -1;
    }
    while (i < n) {
        size_t start = i;
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        i = nl ? end + 1 : n;
        mr_span line = {s + start, end - start};
        if (line.n > 0 && line.p[line.n - 1] == '\r')
            line.n--;
        if (mr_span_trim(line).n == 0)
            continue;
        const char *colon = memchr(line.p, ':', line.n);
        if (colon == NULL) {
            mr_rec_fail(err, start, "line at offset %zu is not 'key: value'",
                        start);
            return -1;
        }
        mr_span key = {line.p, (size_t)(colon - line.p)};
        mr_span val = mr_span_trim((mr_span){colon + 1,
                                    (size_t)(line.p + line.n - colon - 1)});
        for (size_t k = 0; k < line.n; k++)
            if ((unsigned char)line.p[k] < 0x20 && line.p[k] != '\t') {
                mr_rec_fail(err, start + k, "control byte in the policy "
                            "(offset %zu)", start + k);
                return -1;
            }
        if (mr_span_eq(key, "version")) {
            if (!mr_span_eq(val, "STSv1")) {
                mr_rec_fail(err, start, "version must be STSv1");
                return -1;
            }
            have_version = true;
        } else if (mr_span_eq(key, "mode")) {
            if (mr_span_eq(val, "enforce"))
                out->mode = MR_STS_ENFORCE;
            else if (mr_span_eq(val, "testing"))
                out->mode = MR_STS_TESTING;
            else if (mr_span_eq(val, "none"))
                out->mode = MR_STS_NONE;
            else {
                mr_rec_fail(err, start, "mode must be enforce, testing or "
                            "none (offset %zu)", start);
                return -1;
            }
        } else if (mr_span_eq(key, "max_age")) {
            uint64_t v;
            if (val.n > 10 || mr_span_u64(val, UINT32_MAX, &v) != 0) {
                mr_rec_fail(err, start, "max_age must be a number of "
                            "seconds (offset %zu)", start);
                return -1;
            }
            if (v > MR_STS_MAX_AGE)
                mr_rec_warn(&out->warn, "max_age %llu is over one year",
                            (unsigned long long)v);
            out->max_age = (int64_t)v;
        } else if (mr_span_eq(key, "mx")) {
            if (!mx_pattern_ok(val)) {
                mr_rec_fail(err, start, "mx at offset %zu is not a host "
                            "name pattern", start);
                return -1;
            }
            if (out->n_mx < MR_STS_MX_MAX) {
                memcpy(out->mx[out->n_mx], val.p, val.n);
                out->mx[out->n_mx][val.n] = '\0';
            }
            out->n_mx++;
        } else {
            char q[40];
            mr_span_quote(key, q, sizeof q);
            mr_rec_warn(&out->warn, "unknown key '%s' at offset %zu", q,
                        start);
        }
    }
    if (!have_version || out->mode == MR_STS_UNSET || out->max_age < 0) {
        mr_rec_fail(err, n, "the policy lacks %s",
                    !have_version ? "version: STSv1"
                    : out->mode == MR_STS_UNSET ? "mode:" : "max_age:");
        return -1;
    }
    if (out->mode != MR_STS_NONE && out->n_mx == 0) {
        mr_rec_fail(err, n, "mode %s needs at least one mx: line",
                    mr_sts_mode_name(out->mode));
        return -1;
    }
    return 0;
}

bool mr_sts_mx_match(const char *pattern, const char *host)
{
    size_t pl = strlen(pattern), hl = strlen(host);
    if (pl > 0 && pattern[pl - 1] == '.')
        pl--;
    if (hl > 0 && host[hl - 1] == '.')
        hl--;
    if (pl >= 2 && pattern[0] == '*' && pattern[1] == '.') {
        /* "*.example.com" matches exactly one extra leftmost label. */
        const char *dot = memchr(host, '.', hl);
        if (dot == NULL || dot == host)
            return false;
        size_t rest = hl - (size_t)(dot - host);
        return rest == pl - 1 && strncasecmp(dot, pattern + 1, pl - 1) == 0;
    }
    return pl == hl && strncasecmp(pattern, host, pl) == 0;
}

int mr_tlsrpt_parse(const char *s, size_t n, size_t *n_rua, mr_rec_error *err)
{
    mr_taglist tl;
    *n_rua = 0;
    if (mr_taglist_parse(s, n, &tl, err) != 0)
        return -1;
    if (tl.n == 0 || !mr_span_eq(tl.tags[0].name, "v") ||
        !mr_span_eq(tl.tags[0].value, "TLSRPTv1")) {
        mr_rec_fail(err, 0, "a TLS-RPT record must start with v=TLSRPTv1");
        return -1;
    }
    const mr_tag *t = mr_taglist_get(&tl, "rua");
    if (t == NULL || t->value.n == 0) {
        mr_rec_fail(err, n, "no rua= tag: reports have nowhere to go");
        return -1;
    }
    const char *p = t->value.p, *end = t->value.p + t->value.n;
    while (p <= end) {
        const char *e = memchr(p, ',', (size_t)(end - p));
        if (e == NULL)
            e = end;
        mr_span u = mr_span_trim((mr_span){p, (size_t)(e - p)});
        if (!(u.n > 7 && mr_span_ieq((mr_span){u.p, 7}, "mailto:")) &&
            !(u.n > 8 && mr_span_ieq((mr_span){u.p, 8}, "https://"))) {
            mr_rec_fail(err, t->offset, "rua=: each URI must be mailto: or "
                        "https: (offset %zu)", t->offset);
            return -1;
        }
        (*n_rua)++;
        p = e + 1;
    }
    return 0;
}
