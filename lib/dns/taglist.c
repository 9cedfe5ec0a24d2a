/*
 * taglist.c — the "tag=value; tag=value" syntax of DKIM (RFC 6376 3.2),
 * which DMARC, TLS-RPT and the MTA-STS TXT record borrow, and a few
 * helpers the record parsers share.
 *
 * One pass with a cursor over the caller's bytes: names are checked
 * (ALPHA *(ALPHA / DIGIT / "_")), whitespace around names and values is
 * skipped, control bytes and non-ASCII are refused with their offset, a
 * duplicate tag is an error (RFC 6376 3.2: "MUST be rejected").
 */
#include "common.h"

#include "dns/records.h"
#include "dns/records_util.h"

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alpha(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

void mr_rec_fail(mr_rec_error *err, size_t off, const char *fmt, ...)
{
    va_list ap;
    err->offset = off;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void mr_rec_warn(mr_rec_warnings *w, const char *fmt, ...)
{
    if (w->n < MR_REC_WARN_MAX) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->msg[w->n], sizeof w->msg[0], fmt, ap);
        va_end(ap);
    }
    w->n++;
}

int mr_span_quote(mr_span s, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < s.n && o + 5 < cap; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x20 || c >= 0x7f || c == '\\') {
            snprintf(out + o, cap - o, "\\x%02x", c);
            o += 4;
        } else {
            out[o++] = (char)c;
        }
    }
    if (cap > 0)
        out[MR_MIN(o, cap - 1)] = '\0';
    return (int)o;
}

mr_span mr_span_trim(mr_span s)
{
    while (s.n > 0 && is_ws((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n > 0 && is_ws((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

int mr_taglist_parse(const char *s, size_t n, mr_taglist *out,
                     mr_rec_error *err)
{
    size_t i = 0;
    char q[MR_REC_MSG_MAX / 2];

    out->n = 0;
    while (i < n) {
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        if (i == n)
            break;
        if (s[i] == ';') {     /* empty tag-spec: "a=b;;" tolerated */
            i++;
            continue;
        }
        size_t name_at = i;
        if (!is_alpha((unsigned char)s[i])) {
            mr_rec_fail(err, i, "a tag name must start with a letter "
                        "(offset %zu)", i);
            return -1;
        }
        while (i < n && (is_alpha((unsigned char)s[i]) ||
                         (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            i++;
        mr_span name = {s + name_at, i - name_at};
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        if (i == n || s[i] != '=') {
            mr_span_quote(name, q, sizeof q);
            mr_rec_fail(err, i, "tag '%s' has no '=' (offset %zu)", q, i);
            return -1;
        }
        i++;
        size_t val_at = i;
        while (i < n && s[i] != ';') {
            unsigned char c = (unsigned char)s[i];
            if ((c < 0x20 && !is_ws(c)) || c >= 0x7f) {
                mr_rec_fail(err, i, "byte 0x%02x not allowed in a tag "
                            "value (offset %zu)", c, i);
                return -1;
            }
            i++;
        }
        mr_span value = mr_span_trim((mr_span){s + val_at, i - val_at});
        for (size_t k = 0; k < out->n; k++)
            if (out->tags[k].name.n == name.n &&
                memcmp(out->tags[k].name.p, name.p, name.n) == 0) {
                mr_span_quote(name, q, sizeof q);
                mr_rec_fail(err, name_at, "tag '%s' appears twice "
                            "(offset %zu)", q, name_at);
                return -1;
            }
        if (out->n >= MR_TAGS_MAX) {
            mr_rec_fail(err, name_at, "more than %d tags", MR_TAGS_MAX);
            return -1;
        }
        out->tags[out->n++] = (mr_tag){name, value, name_at};
        if (i < n)
            i++;               /* the ';' */
    }
    return 0;
}

const mr_tag *mr_taglist_get(const mr_taglist *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (mr_span_eq(t->tags[i].name, name))
            return &t->tags[i];
    return NULL;
}
