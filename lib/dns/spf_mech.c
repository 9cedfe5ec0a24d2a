/*
 * spf_mech.c — evaluates the mechanisms of RFC 7208 5 (all, include, a,
 * mx, ptr, ip4, ip6, exists) and the %{p} macro's validated name.
 *
 * Each DNS-querying mechanism is counted against the limit of 10, and
 * each lookup that finds nothing (NXDOMAIN, or NOERROR with no records)
 * against the void limit of 2 (RFC 7208 4.6.4). MX answers of more than
 * MR_SPF_MX_MAX records are a permerror; of PTR answers only the first
 * MR_SPF_PTR_MAX names are looked at. DNS failures give temperror except
 * where RFC 7208 5.5 says to skip (the PTR and its address checks).
 */
#include "common.h"

#include <strings.h>

#include "dns/spf_ctx.h"

typedef char spf_name[MR_DNS_NAME_MAX + 1];

static spf_match void_lookup(spf_ctx *c, const char *what, const char *name)
{
    if (++c->out->void_lookups <= MR_SPF_VOID_MAX)
        return SPF_NOMATCH;
    mr_spf_reason(c, true, "more than %d void lookups (RFC 7208 4.6.4); the "
                  "last: %s %s found nothing", MR_SPF_VOID_MAX, what, name);
    return SPF_PERM;
}

static spf_match dns_failure(spf_ctx *c, int rc, const char *what,
                             const char *name)
{
    mr_spf_reason(c, true, "DNS %s looking up %s %s", mr_dns_rcode_name(rc),
                  what, name);
    return SPF_TEMP;
}

/* Whether any address of `name` (A for an IPv4 client, AAAA for IPv6) is
 * within the term's prefix length of the client's. */
static spf_match match_addresses(spf_ctx *c, const char *name,
                                 const mr_spf_term *t, bool count_void)
{
    bool v4 = c->ip.family == 4;
    int type = v4 ? MR_DNS_T_A : MR_DNS_T_AAAA;
    const char *tname = v4 ? "A" : "AAAA";
    int rc = mr_spf_query(c, name, type);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return dns_failure(c, rc, tname, name);
    size_t found = 0;
    for (size_t i = 0; rc == MR_DNS_NOERROR && i < c->ans->n; i++) {
        const mr_dns_rr *rr = &c->ans->rr[i];
        if (rr->type != type || rr->len != (v4 ? 4u : 16u))
            continue;
        found++;
        if (mr_ip_prefix_eq(c->ip.b, mr_dns_rr_data(c->ans, i),
                            v4 ? t->cidr4 : t->cidr6))
            return SPF_MATCH;
    }
    if (found == 0 && count_void)
        return void_lookup(c, tname, name);
    return SPF_NOMATCH;
}

/* Copies a name out of record i, without its final dot; false if it is
 * empty (the null MX "."), too long or holds a NUL. */
static bool copy_name(const mr_dns_answer *a, size_t i, char *out)
{
    const mr_dns_rr *rr = &a->rr[i];
    const unsigned char *p = mr_dns_rr_data(a, i);
    size_t n = rr->len;
    if (n > 0 && p[n - 1] == '.')
        n--;
    if (n == 0 || n > MR_DNS_NAME_MAX || memchr(p, '\0', n) != NULL)
        return false;
    memcpy(out, p, n);
    out[n] = '\0';
    return mr_spf_name_ok(out);
}

static spf_match eval_mx(spf_ctx *c, const mr_spf_term *t, const char *target)
{
    spf_name names[MR_SPF_MX_MAX];
    size_t n_names = 0, n_mx = 0;
    int rc = mr_spf_query(c, target, MR_DNS_T_MX);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return dns_failure(c, rc, "MX", target);
    for (size_t i = 0; rc == MR_DNS_NOERROR && i < c->ans->n; i++) {
        if (c->ans->rr[i].type != MR_DNS_T_MX)
            continue;
        if (++n_mx > MR_SPF_MX_MAX) {
            mr_spf_reason(c, true, "%s has more than %d MX records (RFC 7208 "
                          "4.6.4)", target, MR_SPF_MX_MAX);
            return SPF_PERM;
        }
        if (copy_name(c->ans, i, names[n_names]))
            n_names++;
    }
    if (n_mx == 0)
        return void_lookup(c, "MX", target);
    for (size_t i = 0; i < n_names; i++) {
        spf_match m = match_addresses(c, names[i], t, false);
        if (m != SPF_NOMATCH)
            return m;
    }
    return SPF_NOMATCH;
}

/* Whether `name` equals `domain` or ends in "." domain, in any case. */
static bool name_within(const char *name, const char *domain)
{
    size_t n = strlen(name), d = strlen(domain);
    if (n < d || strcasecmp(name + (n - d), domain) != 0)
        return false;
    return n == d || name[n - d - 1] == '.';
}

/* Whether an address record of `name` is the client's address itself
 * (RFC 7208 5.5); DNS errors just mean "not validated". */
static bool name_validates(spf_ctx *c, const char *name)
{
    int type = c->ip.family == 4 ? MR_DNS_T_A : MR_DNS_T_AAAA;
    size_t len = c->ip.family == 4 ? 4 : 16;
    if (mr_spf_query(c, name, type) != MR_DNS_NOERROR)
        return false;
    for (size_t i = 0; i < c->ans->n; i++) {
        if (c->ans->rr[i].type == type && c->ans->rr[i].len == len &&
            memcmp(mr_dns_rr_data(c->ans, i), c->ip.b, len) == 0)
            return true;
    }
    return false;
}

/* The first MR_SPF_PTR_MAX names of the client's PTR records, keeping
 * only those within `within` (NULL: all). -1 if there are none, -2 on a
 * DNS error. */
static int ptr_names(spf_ctx *c, const char *within, spf_name *names)
{
    char rev[80];
    mr_ip_reverse_name(&c->ip, rev, sizeof rev);
    int rc = mr_spf_query(c, rev, MR_DNS_T_PTR);
    if (rc != MR_DNS_NOERROR)
        return rc == MR_DNS_NXDOMAIN ? -1 : -2;
    int n = 0, seen = 0;
    for (size_t i = 0; i < c->ans->n && seen < MR_SPF_PTR_MAX; i++) {
        if (c->ans->rr[i].type != MR_DNS_T_PTR)
            continue;
        seen++;
        if (copy_name(c->ans, i, names[n]) &&
            (within == NULL || name_within(names[n], within)))
            n++;
    }
    return seen == 0 ? -1 : n;
}

static spf_match eval_ptr(spf_ctx *c, const char *target)
{
    spf_name names[MR_SPF_PTR_MAX];
    int n = ptr_names(c, target, names);
    if (n == -1)
        return void_lookup(c, "PTR", "of the client");
    /* RFC 7208 5.5: a DNS error on the PTR lookup is no match. */
    for (int i = 0; i < n; i++) {
        if (name_validates(c, names[i]))
            return SPF_MATCH;
    }
    return SPF_NOMATCH;
}

static spf_match eval_exists(spf_ctx *c, const char *target)
{
    int rc = mr_spf_query(c, target, MR_DNS_T_A);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return dns_failure(c, rc, "A", target);
    for (size_t i = 0; rc == MR_DNS_NOERROR && i < c->ans->n; i++) {
        if (c->ans->rr[i].type == MR_DNS_T_A && c->ans->rr[i].len == 4)
            return SPF_MATCH;
    }
    return void_lookup(c, "A", target);
}

static spf_match eval_include(spf_ctx *c, const mr_spf_term *t,
                              const char *target, int depth)
{
    char q[MR_SPF_TERM_TEXT_MAX];
    snprintf(q, sizeof q, "%.*s", (int)MR_MIN(t->text.n, sizeof q - 1),
             t->text.p);
    mr_spf_result r = mr_spf_check_host(c, target, depth + 1, false);
    switch (r) {
    case MR_SPF_PASS:
        return SPF_MATCH;
    case MR_SPF_FAIL:
    case MR_SPF_SOFTFAIL:
    case MR_SPF_NEUTRAL:
        return SPF_NOMATCH;
    case MR_SPF_TEMPERROR:
        return SPF_TEMP;
    case MR_SPF_NONE:
        mr_spf_reason(c, true, "'%s' found no SPF record at %s (RFC 7208 "
                      "5.2: permerror)", q, target);
        return SPF_PERM;
    default:
        return SPF_PERM;
    }
}

spf_match mr_spf_eval_mechanism(spf_ctx *c, const mr_spf_term *t,
                                const char *domain, int depth)
{
    spf_name target;
    switch (t->kind) {
    case MR_SPF_ALL:
        return SPF_MATCH;
    case MR_SPF_IP4:
        return c->ip.family == 4 && mr_ip_prefix_eq(c->ip.b, t->addr,
                                                    t->cidr4)
                   ? SPF_MATCH : SPF_NOMATCH;
    case MR_SPF_IP6:
        return c->ip.family == 6 && mr_ip_prefix_eq(c->ip.b, t->addr,
                                                    t->cidr6)
                   ? SPF_MATCH : SPF_NOMATCH;
    default:
        break;
    }
    spf_match m = mr_spf_count_term(c, t);
    if (m != SPF_NOMATCH)
        return m;
    if (t->domain.n == 0) {
        snprintf(target, sizeof target, "%s", domain);
    } else if (!mr_spf_expand_target(c, domain, t->domain, target)) {
        /* RFC 7208 4.8: a target that is no domain name does not exist;
         * include needs a record, so there it is an error. */
        if (t->kind != MR_SPF_INCLUDE)
            return SPF_NOMATCH;
        mr_spf_reason(c, true, "'%.*s' expands to '%s', not a domain name",
                      (int)MR_MIN(t->text.n, 100u), t->text.p, target);
        return SPF_PERM;
    }
    switch (t->kind) {
    case MR_SPF_INCLUDE: return eval_include(c, t, target, depth);
    case MR_SPF_A: return match_addresses(c, target, t, true);
    case MR_SPF_MX: return eval_mx(c, t, target);
    case MR_SPF_PTR: return eval_ptr(c, target);
    case MR_SPF_EXISTS: return eval_exists(c, target);
    default: return SPF_NOMATCH;
    }
}

const char *mr_spf_validated_name(void *user, const char *domain)
{
    spf_ctx *c = user;
    if (!c->p_done) {
        spf_name names[MR_SPF_PTR_MAX];
        int n = ptr_names(c, NULL, names);
        c->p_done = true;
        for (int i = 0; i < n; i++) {
            if (name_validates(c, names[i]))
                memcpy(c->p_names[c->p_n++], names[i], sizeof names[i]);
        }
    }
    /* RFC 7208 7.3: prefer the domain itself, then a subdomain of it. */
    for (size_t i = 0; domain != NULL && i < c->p_n; i++) {
        if (strcasecmp(c->p_names[i], domain) == 0)
            return c->p_names[i];
    }
    for (size_t i = 0; domain != NULL && i < c->p_n; i++) {
        if (name_within(c->p_names[i], domain))
            return c->p_names[i];
    }
    return c->p_n > 0 ? c->p_names[0] : NULL;
}
