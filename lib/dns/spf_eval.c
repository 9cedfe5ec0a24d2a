/*
 * spf_eval.c — check_host() (RFC 7208 4, 6, 8): finds the one SPF record
 * of a domain, walks its mechanisms (spf_mech.c), follows redirect=, and
 * for a fail builds the explanation from exp= (or the default).
 *
 * The evaluation is bounded whatever DNS says: 10 DNS-querying terms and
 * 2 void lookups in all (include and redirect share the counters), at
 * most MR_SPF_QUERIES_MAX queries, records of at most MR_SPF_RECORD_MAX
 * bytes, nesting at most MR_SPF_DEPTH_MAX. Include and redirect loops hit
 * the term limit and end as permerror. Records live on the heap, one per
 * nesting level, freed on the way out.
 */
#include "common.h"

#include "dns/spf_ctx.h"

#define MR_SPF_DEFAULT_EXP \
    "%{o} does not designate %{c} as a permitted sender"

void mr_spf_reason(spf_ctx *c, bool final, const char *fmt, ...)
{
    if (c->reason_final)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->out->reason, sizeof c->out->reason, fmt, ap);
    va_end(ap);
    c->reason_final = final;
}

int mr_spf_query(spf_ctx *c, const char *name, int type)
{
    if (c->out->queries >= MR_SPF_QUERIES_MAX)
        return MR_DNS_FAILURE;
    c->out->queries++;
    mr_dns_answer_reset(c->ans);
    int rc = c->res->query(c->res->user, name, type, c->ans);
    /* A resolver that filled the answer by hand must keep its bounds. */
    const mr_dns_answer *a = c->ans;
    if (a->n > MR_DNS_ANSWER_MAX_RRS || a->used > MR_DNS_ANSWER_MAX_BYTES)
        return MR_DNS_FAILURE;
    for (size_t i = 0; i < a->n; i++) {
        if (a->rr[i].off > a->used || a->rr[i].len > a->used - a->rr[i].off)
            return MR_DNS_FAILURE;
    }
    return rc;
}

bool mr_spf_name_ok(const char *name)
{
    size_t n = strlen(name), label = 0;
    if (n == 0 || n > MR_DNS_NAME_MAX)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || name[i] == '.') {
            if (label == 0 || label > MR_DNS_LABEL_MAX)
                return false;
            label = 0;
        } else {
            label++;
        }
    }
    return true;
}

bool mr_spf_expand_target(spf_ctx *c, const char *domain, mr_span spec,
                          char *out)
{
    c->env.domain = domain;
    int n = mr_spf_macro_expand(&c->env, spec, MR_SPF_MACRO_DOMAIN, out,
                                MR_DNS_NAME_MAX + 1);
    if (n < 0)
        out[0] = '\0';
    return n > 0 && mr_spf_name_ok(out);
}

spf_match mr_spf_count_term(spf_ctx *c, const mr_spf_term *t)
{
    if (++c->out->dns_terms <= MR_SPF_DNS_TERMS_MAX)
        return SPF_NOMATCH;
    mr_spf_reason(c, true, "more than %d DNS-querying terms (include, a, mx, "
                  "ptr, exists, redirect; RFC 7208 4.6.4), the last '%.*s'",
                  MR_SPF_DNS_TERMS_MAX, (int)MR_MIN(t->text.n, 100u),
                  t->text.p);
    return SPF_PERM;
}

/* RFC 7208 4.3: a domain that is malformed or not multi-label is "none". */
static bool initial_domain_ok(const char *d)
{
    if (d[0] == '[' || strchr(d, '.') == NULL || !mr_spf_name_ok(d))
        return false;
    for (const char *p = d; *p; p++) {
        if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
            return false;
    }
    return true;
}

/* The one SPF record of domain into rec (RFC 7208 4.4, 4.5): true if
 * found and parsed, else false with the result in *r. */
static bool fetch_record(spf_ctx *c, const char *domain, mr_spf_record *rec,
                         mr_spf_result *r)
{
    int rc = mr_spf_query(c, domain, MR_DNS_T_TXT);
    if (rc == MR_DNS_NXDOMAIN) {
        mr_spf_reason(c, false, "%s does not exist (NXDOMAIN)", domain);
        *r = MR_SPF_NONE;
        return false;
    }
    if (rc != MR_DNS_NOERROR) {
        mr_spf_reason(c, true, "DNS %s looking up TXT %s",
                      mr_dns_rcode_name(rc), domain);
        *r = MR_SPF_TEMPERROR;
        return false;
    }
    if (c->ans->truncated) {
        mr_spf_reason(c, true, "TXT answer of %s is over %d records or %d "
                      "bytes", domain, MR_DNS_ANSWER_MAX_RRS,
                      MR_DNS_ANSWER_MAX_BYTES);
        *r = MR_SPF_PERMERROR;
        return false;
    }
    size_t count = 0, which = 0;
    for (size_t i = 0; i < c->ans->n; i++) {
        const mr_dns_rr *rr = &c->ans->rr[i];
        if (rr->type == MR_DNS_T_TXT &&
            mr_spf_is_record((const char *)mr_dns_rr_data(c->ans, i),
                             rr->len)) {
            count++;
            which = i;
        }
    }
    if (count == 0) {
        mr_spf_reason(c, false, "no SPF record at %s", domain);
        *r = MR_SPF_NONE;
        return false;
    }
    if (count > 1) {
        mr_spf_reason(c, true, "%zu SPF records at %s (there must be exactly "
                      "one)", count, domain);
        *r = MR_SPF_PERMERROR;
        return false;
    }
    mr_spf_error err;
    if (mr_spf_parse((const char *)mr_dns_rr_data(c->ans, which),
                     c->ans->rr[which].len, rec, &err) != 0) {
        mr_spf_reason(c, true, "the record of %s: %s", domain, err.msg);
        *r = MR_SPF_PERMERROR;
        return false;
    }
    return true;
}

/* The explanation of a fail (RFC 7208 6.2): the TXT record exp= names if
 * it is exactly one valid explanation-string, else the default. */
static void explain(spf_ctx *c, const mr_spf_record *rec, const char *domain)
{
    char *out = c->out->explanation;
    size_t cap = sizeof c->out->explanation;
    char name[MR_DNS_NAME_MAX + 1];
    if (rec->exp >= 0 &&
        mr_spf_expand_target(c, domain, rec->terms[rec->exp].domain, name) &&
        mr_spf_query(c, name, MR_DNS_T_TXT) == MR_DNS_NOERROR) {
        size_t count = 0, which = 0;
        for (size_t i = 0; i < c->ans->n; i++) {
            if (c->ans->rr[i].type == MR_DNS_T_TXT) {
                count++;
                which = i;
            }
        }
        size_t len = count == 1 ? c->ans->rr[which].len : 0;
        if (count == 1 && len <= MR_SPF_RECORD_MAX) {
            /* Copied out: %{p} may query DNS and reuse the answer. */
            char text[MR_SPF_RECORD_MAX];
            size_t off, tail;
            const char *why;
            memcpy(text, mr_dns_rr_data(c->ans, which), len);
            mr_span s = mr_span_make(text, len);
            c->env.domain = domain;
            if (mr_spf_macro_check(s, MR_SPF_MACRO_EXP, &off, &why,
                                   &tail) == 0 &&
                mr_spf_macro_expand(&c->env, s, MR_SPF_MACRO_EXP, out,
                                    cap) >= 0)
                return;
        }
    }
    const char *def = c->default_exp ? c->default_exp : MR_SPF_DEFAULT_EXP;
    c->env.domain = domain;
    if (mr_spf_macro_expand(&c->env, mr_span_make(def, strlen(def)),
                            MR_SPF_MACRO_EXP, out, cap) < 0)
        snprintf(out, cap, "%s", def);
}

static mr_spf_result qualifier_result(char q)
{
    switch (q) {
    case '-': return MR_SPF_FAIL;
    case '~': return MR_SPF_SOFTFAIL;
    case '?': return MR_SPF_NEUTRAL;
    default: return MR_SPF_PASS;
    }
}

static void note_term(spf_ctx *c, const mr_spf_term *t, const char *domain)
{
    snprintf(c->out->mechanism, sizeof c->out->mechanism, "%.*s",
             (int)MR_MIN(t->text.n, sizeof c->out->mechanism - 1), t->text.p);
    snprintf(c->out->domain, sizeof c->out->domain, "%s", domain);
}

static mr_spf_result follow_redirect(spf_ctx *c, const mr_spf_record *rec,
                                     const char *domain, int depth,
                                     bool want_exp)
{
    const mr_spf_term *t = &rec->terms[rec->redirect];
    char target[MR_DNS_NAME_MAX + 1];
    if (mr_spf_count_term(c, t) != SPF_NOMATCH)
        return MR_SPF_PERMERROR;
    if (!mr_spf_expand_target(c, domain, t->domain, target)) {
        note_term(c, t, domain);
        mr_spf_reason(c, true, "'%.*s' in the record of %s expands to '%s', "
                      "not a domain name", (int)MR_MIN(t->text.n, 100u),
                      t->text.p, domain, target);
        return MR_SPF_PERMERROR;
    }
    mr_spf_result r = mr_spf_check_host(c, target, depth + 1, want_exp);
    if (r == MR_SPF_NONE) {
        note_term(c, t, domain);
        mr_spf_reason(c, true, "redirect=%s in the record of %s: no SPF "
                      "record there (RFC 7208 6.1: permerror)", target,
                      domain);
        return MR_SPF_PERMERROR;
    }
    return r;
}

static mr_spf_result eval_record(spf_ctx *c, const mr_spf_record *rec,
                                 const char *domain, int depth, bool want_exp)
{
    for (size_t i = 0; i < rec->n_terms; i++) {
        const mr_spf_term *t = &rec->terms[i];
        if (t->kind >= MR_SPF_REDIRECT)
            continue;               /* modifiers act after mechanisms */
        spf_match m = mr_spf_eval_mechanism(c, t, domain, depth);
        if (m == SPF_NOMATCH)
            continue;
        if (m == SPF_TEMP || m == SPF_PERM) {
            if (!c->out->mechanism[0])
                note_term(c, t, domain);
            return m == SPF_TEMP ? MR_SPF_TEMPERROR : MR_SPF_PERMERROR;
        }
        mr_spf_result r = qualifier_result(t->qualifier);
        note_term(c, t, domain);
        mr_spf_reason(c, false, "'%s' matched in the record of %s",
                      c->out->mechanism, domain);
        if (r == MR_SPF_FAIL && want_exp)
            explain(c, rec, domain);
        return r;
    }
    if (rec->redirect >= 0)
        return follow_redirect(c, rec, domain, depth, want_exp);
    c->out->mechanism[0] = '\0';
    snprintf(c->out->domain, sizeof c->out->domain, "%s", domain);
    mr_spf_reason(c, false, "no mechanism matched in the record of %s (the "
                  "default is neutral)", domain);
    return MR_SPF_NEUTRAL;
}

mr_spf_result mr_spf_check_host(spf_ctx *c, const char *domain, int depth,
                                bool want_exp)
{
    if (depth > MR_SPF_DEPTH_MAX) {
        mr_spf_reason(c, true, "records nested more than %d deep",
                      MR_SPF_DEPTH_MAX);
        return MR_SPF_PERMERROR;
    }
    if (!initial_domain_ok(domain)) {
        mr_spf_reason(c, false, "'%s' is not a valid domain name (RFC 7208 "
                      "4.3)", domain);
        return MR_SPF_NONE;
    }
    mr_spf_record *rec = malloc(sizeof *rec);
    if (rec == NULL) {
        c->oom = true;
        mr_spf_reason(c, true, "out of memory");
        return MR_SPF_TEMPERROR;
    }
    mr_spf_result r;
    if (fetch_record(c, domain, rec, &r))
        r = eval_record(c, rec, domain, depth, want_exp);
    free(rec);
    return r;
}

/* Splits MAIL FROM into local part and domain (RFC 7208 4.3): an empty
 * sender is postmaster@HELO, an empty local part is postmaster. */
static void split_sender(spf_ctx *c, const mr_spf_request *req)
{
    const char *from = req->mail_from ? req->mail_from : "";
    const char *helo = req->helo ? req->helo : "";
    const char *at = strrchr(from, '@');
    snprintf(c->helo, sizeof c->helo, "%s", helo);
    if (from[0] == '\0') {
        snprintf(c->local, sizeof c->local, "postmaster");
        snprintf(c->sender_domain, sizeof c->sender_domain, "%s", helo);
    } else if (at == NULL) {
        snprintf(c->local, sizeof c->local, "%s", from);
        snprintf(c->sender_domain, sizeof c->sender_domain, "%s", helo);
    } else {
        int n = (int)MR_MIN((size_t)(at - from), (size_t)MR_SPF_IDENT_MAX);
        snprintf(c->local, sizeof c->local, "%.*s", n, from);
        if (c->local[0] == '\0')
            snprintf(c->local, sizeof c->local, "postmaster");
        snprintf(c->sender_domain, sizeof c->sender_domain, "%s", at + 1);
    }
    size_t n = strlen(c->sender_domain);
    if (n > 1 && c->sender_domain[n - 1] == '.')
        c->sender_domain[n - 1] = '\0';
}

int mr_spf_check(const mr_dns_resolver *res, const mr_spf_request *req,
                 mr_spf_verdict *out)
{
    memset(out, 0, sizeof *out);
    out->result = MR_SPF_TEMPERROR;
    spf_ctx *c = calloc(1, sizeof *c);
    mr_dns_answer *ans = malloc(sizeof *ans);
    if (c == NULL || ans == NULL) {
        free(c);
        free(ans);
        snprintf(out->reason, sizeof out->reason, "out of memory");
        return -1;
    }
    c->res = res;
    c->ans = ans;
    c->out = out;
    c->default_exp = req->default_exp;
    const char *ip = req->ip ? req->ip : "";
    if (mr_ip_parse(ip, strlen(ip), &c->ip) != 0) {
        snprintf(out->reason, sizeof out->reason, "'%.64s' is not an IP "
                 "address", ip);
        free(ans);
        free(c);
        return -1;
    }
    split_sender(c, req);
    c->env = (mr_spf_macro_env){
        .local_part = c->local, .sender_domain = c->sender_domain,
        .domain = c->sender_domain, .helo = c->helo,
        .receiver = req->receiver, .ip = c->ip, .now = req->now,
        .validated_name = mr_spf_validated_name, .user = c};
    out->result = mr_spf_check_host(c, c->sender_domain, 0, true);
    int rc = c->oom ? -1 : 0;
    free(ans);
    free(c);
    return rc;
}
