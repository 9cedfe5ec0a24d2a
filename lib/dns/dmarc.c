/*
 * dmarc.c — the DMARC record parser (RFC 7489 6.3 and 6.4; DMARCbis's
 * np=, t= and psd= are understood too).
 *
 * Every tag is checked: v=DMARC1 first, policies from their three words,
 * alignment modes, pct 0..100, ri a 32-bit number, fo and rf from their
 * lists, report URIs with a scheme and an optional "!size" suffix. An
 * unknown tag is only a warning (RFC 7489 6.3: receivers ignore them),
 * anything else wrong is the first error with its offset.
 */
#include "common.h"

#include "dns/records.h"
#include "dns/records_util.h"

bool mr_dmarc_is_record(const char *s, size_t n)
{
    static const char v[] = "v=DMARC1";
    size_t vl = sizeof v - 1;
    if (n < vl || memcmp(s, v, vl) != 0)
        return false;
    return n == vl || s[vl] == ';' || s[vl] == ' ' || s[vl] == '\t';
}

const char *mr_dmarc_policy_name(mr_dmarc_policy p)
{
    switch (p) {
    case MR_DMARC_NONE: return "none";
    case MR_DMARC_QUARANTINE: return "quarantine";
    case MR_DMARC_REJECT: return "reject";
    default: return "unset";
    }
}

static int parse_policy(const mr_tag *t, mr_dmarc_policy *out,
                        mr_rec_error *err)
{
    if (mr_span_ieq(t->value, "none"))
        *out = MR_DMARC_NONE;
    else if (mr_span_ieq(t->value, "quarantine"))
        *out = MR_DMARC_QUARANTINE;
    else if (mr_span_ieq(t->value, "reject"))
        *out = MR_DMARC_REJECT;
    else {
        char q[48];
        mr_span_quote(t->value, q, sizeof q);
        mr_rec_fail(err, t->offset, "%.*s=%s: want none, quarantine or "
                    "reject (offset %zu)", (int)t->name.n, t->name.p, q,
                    t->offset);
        return -1;
    }
    return 0;
}

/* Checks each item of a sep-separated list against `allowed` words. */
static int check_list(const mr_tag *t, char sep, const char *const *allowed,
                      mr_rec_error *err)
{
    const char *p = t->value.p, *end = t->value.p + t->value.n;
    while (p <= end) {
        const char *e = memchr(p, sep, (size_t)(end - p));
        if (e == NULL)
            e = end;
        mr_span item = mr_span_trim((mr_span){p, (size_t)(e - p)});
        bool ok = false;
        for (size_t i = 0; allowed[i] && !ok; i++)
            ok = mr_span_ieq(item, allowed[i]);
        if (!ok) {
            char q[48];
            mr_span_quote(item, q, sizeof q);
            mr_rec_fail(err, t->offset, "%.*s=: unknown value '%s' "
                        "(offset %zu)", (int)t->name.n, t->name.p, q,
                        t->offset);
            return -1;
        }
        p = e + 1;
    }
    return 0;
}

static bool uri_scheme_ok(mr_span u)
{
    size_t i = 0;
    if (u.n == 0 || !(((u.p[0] | 0x20) >= 'a' && (u.p[0] | 0x20) <= 'z')))
        return false;
    while (i < u.n && u.p[i] != ':') {
        char c = u.p[i];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
            !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.')
            return false;
        i++;
    }
    return i < u.n && i + 1 < u.n;   /* a ':' and something after it */
}

/* rua=/ruf=: comma-separated URIs, each with an optional !size[kmgt]. */
static int parse_uris(const mr_tag *t, mr_span *uris, size_t *n,
                      mr_rec_error *err)
{
    const char *p = t->value.p, *end = t->value.p + t->value.n;
    *n = 0;
    while (p <= end) {
        const char *e = memchr(p, ',', (size_t)(end - p));
        if (e == NULL)
            e = end;
        mr_span u = mr_span_trim((mr_span){p, (size_t)(e - p)});
        const char *bang = memchr(u.p, '!', u.n);
        if (bang) {
            mr_span size = {bang + 1, (size_t)(u.p + u.n - bang - 1)};
            if (size.n > 0 && strchr("kmgtKMGT", size.p[size.n - 1]))
                size.n--;
            uint64_t v;
            if (mr_span_u64(size, UINT32_MAX, &v) != 0) {
                mr_rec_fail(err, t->offset, "%.*s=: bad size limit after "
                            "'!' (offset %zu)", (int)t->name.n, t->name.p,
                            t->offset);
                return -1;
            }
            u.n = (size_t)(bang - u.p);
        }
        if (!uri_scheme_ok(u)) {
            char q[64];
            mr_span_quote(u, q, sizeof q);
            mr_rec_fail(err, t->offset, "%.*s=: '%s' is not a URI such as "
                        "mailto:reports@example.com (offset %zu)",
                        (int)t->name.n, t->name.p, q, t->offset);
            return -1;
        }
        if (*n < MR_DMARC_URIS_MAX)
            uris[*n] = u;
        (*n)++;
        p = e + 1;
    }
    return 0;
}

int mr_dmarc_parse(const char *s, size_t n, mr_dmarc *out, mr_rec_error *err)
{
    static const char *const fo_words[] = {"0", "1", "d", "s", NULL};
    static const char *const rf_words[] = {"afrf", "iodef", NULL};
    mr_taglist tl;
    uint64_t v;
    bool have_p = false;

    memset(out, 0, sizeof *out);
    out->adkim = out->aspf = 'r';
    out->pct = 100;
    out->ri = 86400;
    if (mr_taglist_parse(s, n, &tl, err) != 0)
        return -1;
    if (tl.n == 0 || !mr_span_eq(tl.tags[0].name, "v") ||
        !mr_span_eq(tl.tags[0].value, "DMARC1")) {
        mr_rec_fail(err, 0, "a DMARC record must start with v=DMARC1");
        return -1;
    }
    for (size_t i = 1; i < tl.n; i++) {
        const mr_tag *t = &tl.tags[i];
        mr_span nm = t->name;
        if (mr_span_eq(nm, "p")) {
            if (parse_policy(t, &out->p, err) != 0)
                return -1;
            have_p = true;
        } else if (mr_span_eq(nm, "sp")) {
            if (parse_policy(t, &out->sp, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "np")) {
            if (parse_policy(t, &out->np, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "adkim") || mr_span_eq(nm, "aspf")) {
            char *dst = nm.n == 5 ? &out->adkim : &out->aspf;
            if (t->value.n != 1 || (t->value.p[0] != 'r' &&
                                    t->value.p[0] != 's')) {
                mr_rec_fail(err, t->offset, "%.*s=: want r (relaxed) or s "
                            "(strict) (offset %zu)", (int)nm.n, nm.p,
                            t->offset);
                return -1;
            }
            *dst = t->value.p[0];
        } else if (mr_span_eq(nm, "pct")) {
            if (mr_span_u64(t->value, 100, &v) != 0) {
                mr_rec_fail(err, t->offset, "pct=: want a number from 0 to "
                            "100 (offset %zu)", t->offset);
                return -1;
            }
            out->pct = (int)v;
        } else if (mr_span_eq(nm, "ri")) {
            if (mr_span_u64(t->value, UINT32_MAX, &v) != 0) {
                mr_rec_fail(err, t->offset, "ri=: want a number of seconds "
                            "(offset %zu)", t->offset);
                return -1;
            }
            out->ri = v;
        } else if (mr_span_eq(nm, "fo")) {
            if (check_list(t, ':', fo_words, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "rf")) {
            if (check_list(t, ':', rf_words, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "rua")) {
            if (parse_uris(t, out->rua, &out->n_rua, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "ruf")) {
            if (parse_uris(t, out->ruf, &out->n_ruf, err) != 0)
                return -1;
        } else if (mr_span_eq(nm, "t") || mr_span_eq(nm, "psd")) {
            bool psd = nm.n == 3;
            if (t->value.n != 1 || !strchr(psd ? "ynu" : "yn", t->value.p[0])
                || t->value.p[0] == '\0') {
                mr_rec_fail(err, t->offset, "%.*s=: want %s (offset %zu)",
                            (int)nm.n, nm.p, psd ? "y, n or u" : "y or n",
                            t->offset);
                return -1;
            }
            if (!psd)
                out->t = t->value.p[0];
        } else if (mr_span_eq(nm, "v")) {
            mr_rec_fail(err, t->offset, "v= must be the first tag only "
                        "(offset %zu)", t->offset);
            return -1;
        } else {
            char q[40];
            mr_span_quote(nm, q, sizeof q);
            mr_rec_warn(&out->warn, "unknown tag '%s' at offset %zu is "
                        "ignored by receivers", q, t->offset);
        }
    }
    if (!have_p) {
        mr_rec_fail(err, n, "no p= tag: receivers ignore the record%s",
                    out->n_rua ? " or treat it as p=none" : "");
        return -1;
    }
    return 0;
}

int mr_dmarc_uri_domain(mr_span uri, char *out, size_t cap)
{
    static const char mailto[] = "mailto:";
    size_t ml = sizeof mailto - 1;
    if (uri.n <= ml || cap == 0)
        return -1;
    mr_span scheme = {uri.p, ml};
    if (!mr_span_ieq(scheme, mailto))
        return -1;
    const char *at = NULL;
    for (size_t i = ml; i < uri.n; i++)
        if (uri.p[i] == '@')
            at = uri.p + i;
    if (at == NULL)
        return -1;
    const char *d = at + 1, *end = uri.p + uri.n;
    const char *q = memchr(d, '?', (size_t)(end - d));  /* mailto headers */
    if (q)
        end = q;
    size_t dn = (size_t)(end - d);
    if (dn > 0 && d[dn - 1] == '.')
        dn--;
    if (dn == 0 || dn > MR_DNS_NAME_MAX || dn >= cap)
        return -1;
    for (size_t i = 0; i < dn; i++) {
        char c = d[i];
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') &&
            !(c >= '0' && c <= '9') && c != '-' && c != '.' && c != '_')
            return -1;
        out[i] = (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
    }
    out[dn] = '\0';
    return 0;
}
