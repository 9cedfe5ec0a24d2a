/*
 * spf_parse.c — parses one SPF record (RFC 7208 4.5, 4.6, 5, 6, 12) into
 * terms, checking the whole record before anything is evaluated: RFC 7208
 * 4.6 says a syntax error anywhere makes the record a permerror.
 *
 * Errors carry the byte offset of the fault and quote the term, so a
 * domain owner reading `mamori dns` output can find the typo. The record
 * is copied into the mr_spf_record (at most MR_SPF_RECORD_MAX bytes, at
 * most MR_SPF_TERMS_MAX terms) and every span points into that copy.
 */
#include "common.h"

#include "dns/spf.h"

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }

bool mr_spf_is_record(const char *s, size_t n)
{
    return n >= 6 && mr_span_ieq(mr_span_make(s, 6), "v=spf1") &&
           (n == 6 || s[6] == ' ');
}

/* Quotes at most 40 bytes of s for a message, escaping non-printables. */
static void quote(mr_span s, char *buf, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < s.n && k + 8 < cap; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (i == 40) {
            k += (size_t)snprintf(buf + k, cap - k, "...");
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\'')
            buf[k++] = (char)c;
        else
            k += (size_t)snprintf(buf + k, cap - k, "\\x%02X", c);
    }
    buf[k] = '\0';
}

static int fail(mr_spf_error *err, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(mr_spf_error *err, size_t off, const char *fmt, ...)
{
    char what[MR_SPF_MSG_MAX - 40];  /* leaves room for the offset */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    err->offset = off;
    snprintf(err->msg, sizeof err->msg, "%s at offset %zu", what, off);
    return -1;
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool toplabel_ok(mr_span t)
{
    bool alpha = false, dash = false;
    if (t.n == 0 || t.p[0] == '-' || t.p[t.n - 1] == '-')
        return false;
    for (size_t i = 0; i < t.n; i++) {
        int c = (unsigned char)t.p[i];
        if (c == '-')
            dash = true;
        else if (is_alpha(c))
            alpha = true;
        else if (!is_digit(c))
            return false;
    }
    return alpha || dash;
}

/* domain-spec = macro-string domain-end;
 * domain-end  = ( "." toplabel [ "." ] ) / macro-expand */
static int check_domain_spec(mr_span ds, size_t base, mr_spf_error *err)
{
    size_t off, tail;
    const char *why;
    char q[MR_SPF_TERM_TEXT_MAX];
    if (ds.n == 0)
        return fail(err, base, "empty domain-spec");
    if (mr_spf_macro_check(ds, MR_SPF_MACRO_DOMAIN, &off, &why, &tail) != 0)
        return fail(err, base + off, "%s", why);
    if (tail == ds.n)
        return 0;                      /* ends with a macro-expand */
    mr_span lit = mr_span_make(ds.p + tail, ds.n - tail);
    if (lit.n > 0 && lit.p[lit.n - 1] == '.')
        lit.n--;
    size_t dot = lit.n;
    while (dot > 0 && lit.p[dot - 1] != '.')
        dot--;
    quote(ds, q, sizeof q);
    if (dot == 0)
        return fail(err, base, "domain '%s' is not a domain name with a "
                    "top label (like example.com)", q);
    mr_span top = mr_span_make(lit.p + dot, lit.n - dot);
    if (!toplabel_ok(top)) {
        uint8_t addr[4];
        if (mr_ip4_parse(ds.p, ds.n, addr) == 0)
            return fail(err, base, "'%s' is an address, not a domain name "
                        "(use ip4:%s)", q, q);
        return fail(err, base + tail + dot, "invalid top label in '%s'", q);
    }
    return 0;
}

/* "/" ("0" / %x31-39 0*2DIGIT), at most max. */
static int parse_cidr(mr_span d, unsigned max, uint8_t *out, size_t base,
                      mr_spf_error *err)
{
    uint64_t v = 0;
    if (d.n == 0 || d.n > 3 || (d.n > 1 && d.p[0] == '0') ||
        mr_span_u64(d, 999, &v) != 0 || v > max) {
        char q[MR_SPF_TERM_TEXT_MAX];
        quote(d, q, sizeof q);
        return fail(err, base, "invalid prefix length '/%s' (0 to %u, "
                    "no leading zeros)", q, max);
    }
    *out = (uint8_t)v;
    return 0;
}

/* Strips dual-cidr-length = [ "/" ip4-cidr ] [ "//" ip6-cidr ] from the
 * end of r (whose first byte is at record offset base); returns the
 * length left. */
static int strip_dual_cidr(mr_span *r, size_t base, mr_spf_term *t,
                           mr_spf_error *err)
{
    size_t n = r->n, d = n;
    while (d > 0 && is_digit(r->p[d - 1]))
        d--;
    if (d < n && d >= 2 && r->p[d - 1] == '/' && r->p[d - 2] == '/') {
        if (parse_cidr(mr_span_make(r->p + d, n - d), 128, &t->cidr6,
                       base + d, err) != 0)
            return -1;
        n = d - 2;
        d = n;
        while (d > 0 && is_digit(r->p[d - 1]))
            d--;
    }
    if (d < n && d >= 1 && r->p[d - 1] == '/') {
        if (parse_cidr(mr_span_make(r->p + d, n - d), 32, &t->cidr4,
                       base + d, err) != 0)
            return -1;
        n = d - 1;
    }
    r->n = n;
    return 0;
}

/* ip4:network[/len] and ip6:network[/len]. */
static int parse_ip_mech(mr_span rest, size_t base, mr_spf_term *t,
                         mr_spf_error *err)
{
    bool v4 = t->kind == MR_SPF_IP4;
    if (rest.n < 2 || rest.p[0] != ':')
        return fail(err, base, "%s needs ':' and an address", v4 ? "ip4" : "ip6");
    mr_span net = mr_span_make(rest.p + 1, rest.n - 1);
    const char *slash = memchr(net.p, '/', net.n);
    size_t alen = slash ? (size_t)(slash - net.p) : net.n;
    int bad = v4 ? mr_ip4_parse(net.p, alen, t->addr)
                 : mr_ip6_parse(net.p, alen, t->addr);
    if (bad != 0) {
        char q[MR_SPF_TERM_TEXT_MAX];
        quote(mr_span_make(net.p, alen), q, sizeof q);
        return fail(err, base + 1, "invalid %s address '%s'",
                    v4 ? "IPv4" : "IPv6", q);
    }
    t->cidr4 = 32;
    t->cidr6 = 128;
    if (slash == NULL)
        return 0;
    return parse_cidr(mr_span_make(slash + 1, net.n - alen - 1),
                      v4 ? 32 : 128, v4 ? &t->cidr4 : &t->cidr6,
                      base + 1 + alen + 1, err);
}

static const struct {
    const char *name;
    mr_spf_kind kind;
} spf_mechanisms[] = {
    {"all", MR_SPF_ALL},     {"include", MR_SPF_INCLUDE},
    {"a", MR_SPF_A},         {"mx", MR_SPF_MX},
    {"ptr", MR_SPF_PTR},     {"ip4", MR_SPF_IP4},
    {"ip6", MR_SPF_IP6},     {"exists", MR_SPF_EXISTS},
};

static int parse_mechanism(mr_spf_term *t, size_t i, mr_spf_error *err)
{
    mr_span s = t->text;
    size_t j = i;
    char q[MR_SPF_TERM_TEXT_MAX];
    while (j < s.n && s.p[j] != ':' && s.p[j] != '/')
        j++;
    mr_span name = mr_span_make(s.p + i, j - i);
    size_t m = 0;
    while (m < MR_ARRAY_LEN(spf_mechanisms) &&
           !mr_span_ieq(name, spf_mechanisms[m].name))
        m++;
    if (m == MR_ARRAY_LEN(spf_mechanisms)) {
        const char *eq = memchr(name.p, '=', name.n);
        if (eq != NULL) {
            quote(mr_span_make(name.p, (size_t)(eq - name.p)), q, sizeof q);
            return fail(err, t->offset + i, "invalid modifier name '%s' "
                        "(a letter, then letters, digits, '-', '_', '.')", q);
        }
        quote(name, q, sizeof q);
        return fail(err, t->offset + i, "unknown mechanism '%s'", q);
    }
    t->kind = spf_mechanisms[m].kind;
    t->cidr4 = 32;
    t->cidr6 = 128;
    mr_span rest = mr_span_make(s.p + j, s.n - j);
    size_t base = t->offset + j;
    const char *mname = spf_mechanisms[m].name;
    switch (t->kind) {
    case MR_SPF_ALL:
        if (rest.n != 0)
            return fail(err, base, "'all' takes no argument");
        return 0;
    case MR_SPF_IP4:
    case MR_SPF_IP6:
        return parse_ip_mech(rest, base, t, err);
    case MR_SPF_A:
    case MR_SPF_MX:
        if (strip_dual_cidr(&rest, base, t, err) != 0)
            return -1;
        break;
    default:
        break;
    }
    if (rest.n == 0) {
        if (t->kind == MR_SPF_INCLUDE || t->kind == MR_SPF_EXISTS)
            return fail(err, base, "%s needs ':' and a domain", mname);
        return 0;
    }
    if (rest.p[0] != ':')
        return fail(err, base, "%s takes %s", mname,
                    t->kind == MR_SPF_PTR ? "no prefix length"
                                          : "':' and a domain here");
    t->domain = mr_span_make(rest.p + 1, rest.n - 1);
    return check_domain_spec(t->domain, base + 1, err);
}

static int parse_modifier(mr_spf_record *rec, mr_spf_term *t, size_t eq,
                          mr_spf_error *err)
{
    mr_span name = mr_span_make(t->text.p, eq);
    t->domain = mr_span_make(t->text.p + eq + 1, t->text.n - eq - 1);
    size_t base = t->offset + eq + 1;
    int idx = (int)rec->n_terms;
    if (mr_span_ieq(name, "redirect") || mr_span_ieq(name, "exp")) {
        bool redirect = mr_span_ieq(name, "redirect");
        int *slot = redirect ? &rec->redirect : &rec->exp;
        if (*slot >= 0)
            return fail(err, t->offset, "second %s= modifier (at most one "
                        "is allowed)", redirect ? "redirect" : "exp");
        *slot = idx;
        t->kind = redirect ? MR_SPF_REDIRECT : MR_SPF_EXP;
        return check_domain_spec(t->domain, base, err);
    }
    size_t off;
    const char *why;
    t->kind = MR_SPF_UNKNOWN_MOD;
    if (mr_spf_macro_check(t->domain, MR_SPF_MACRO_UNKNOWN, &off, &why,
                           NULL) != 0)
        return fail(err, base + off, "%s", why);
    return 0;
}

static int parse_term(mr_spf_record *rec, size_t start, size_t end,
                      mr_spf_error *err)
{
    if (rec->n_terms >= MR_SPF_TERMS_MAX)
        return fail(err, start, "more than %d terms", MR_SPF_TERMS_MAX);
    mr_spf_term *t = &rec->terms[rec->n_terms];
    memset(t, 0, sizeof *t);
    t->text = mr_span_make(rec->text + start, end - start);
    t->offset = start;
    t->qualifier = '+';
    mr_span s = t->text;
    for (size_t k = 0; k < s.n; k++) {
        unsigned char c = (unsigned char)s.p[k];
        if (c >= 0x80)
            return fail(err, start + k, "non-ASCII byte 0x%02X (SPF "
                        "records are 7-bit ASCII)", c);
        if (c < 0x21 || c == 0x7f)
            return fail(err, start + k, "control byte 0x%02X (terms are "
                        "separated by spaces only)", c);
    }
    size_t i = 0;
    if (is_alpha((unsigned char)s.p[0])) {
        while (i < s.n && (is_alnum((unsigned char)s.p[i]) || s.p[i] == '-' ||
                           s.p[i] == '_' || s.p[i] == '.'))
            i++;
        if (i < s.n && s.p[i] == '=') {
            int rc = parse_modifier(rec, t, i, err);
            rec->n_terms++;
            return rc;
        }
    }
    if (s.p[0] == '=')
        return fail(err, start, "modifier with an empty name");
    i = 0;
    if (strchr("+-~?", s.p[0]) != NULL) {
        t->qualifier = s.p[0];
        i = 1;
    }
    int rc = parse_mechanism(t, i, err);
    rec->n_terms++;
    return rc;
}

int mr_spf_parse(const char *s, size_t n, mr_spf_record *rec,
                 mr_spf_error *err)
{
    memset(err, 0, sizeof *err);
    rec->len = 0;
    rec->n_terms = 0;
    rec->redirect = -1;
    rec->exp = -1;
    rec->text[0] = '\0';
    if (n > MR_SPF_RECORD_MAX)
        return fail(err, MR_SPF_RECORD_MAX, "record of %zu bytes, more "
                    "than the %d this engine reads", n, MR_SPF_RECORD_MAX);
    if (!mr_spf_is_record(s, n))
        return fail(err, 0, "not an SPF record (it must start with "
                    "'v=spf1' and a space)");
    memcpy(rec->text, s, n);
    rec->text[n] = '\0';
    rec->len = n;
    size_t pos = 6;
    while (pos < n) {
        if (rec->text[pos] == ' ') {
            pos++;
            continue;
        }
        size_t start = pos;
        while (pos < n && rec->text[pos] != ' ')
            pos++;
        if (parse_term(rec, start, pos, err) != 0)
            return -1;
    }
    return 0;
}

const char *mr_spf_result_name(mr_spf_result r)
{
    static const char *const names[] = {"none", "neutral", "pass", "fail",
                                        "softfail", "temperror", "permerror"};
    return (size_t)r < MR_ARRAY_LEN(names) ? names[r] : "?";
}
