/*
 * spf_ctx.h — the state of one check_host() evaluation, shared by
 * spf_eval.c (records, redirect, explanations, the entry point) and
 * spf_mech.c (one mechanism each). Internal to lib/dns.
 *
 * One evaluation owns one DNS answer buffer (heap, reused by every query:
 * whoever needs data across a second query copies it out first) and the
 * counters of RFC 7208 4.6.4, which include and redirect share.
 */
#ifndef MR_DNS_SPF_CTX_H
#define MR_DNS_SPF_CTX_H

#include "dns/spf.h"

#define MR_SPF_IDENT_MAX 512       /* local part, sender domain, HELO kept */
#define MR_SPF_DEPTH_MAX 24        /* include/redirect nesting (backstop) */

typedef struct spf_ctx {
    const mr_dns_resolver *res;
    mr_dns_answer *ans;            /* scratch answer of every query */
    mr_spf_verdict *out;
    mr_spf_macro_env env;
    mr_ip ip;
    const char *default_exp;
    bool reason_final;             /* an error reason is set: keep it */
    bool oom;
    char local[MR_SPF_IDENT_MAX + 1];
    char sender_domain[MR_SPF_IDENT_MAX + 1];
    char helo[MR_SPF_IDENT_MAX + 1];
    /* %{p}: validated names of ip, looked up at most once. */
    bool p_done;
    size_t p_n;
    char p_names[MR_SPF_PTR_MAX][MR_DNS_NAME_MAX + 1];
} spf_ctx;

/* What evaluating one mechanism gives. */
typedef enum spf_match {
    SPF_NOMATCH = 0,
    SPF_MATCH,
    SPF_TEMP,                      /* -> temperror, reason set */
    SPF_PERM                       /* -> permerror, reason set */
} spf_match;

/* Records why (English) in out->reason. A `final` reason (an error) is
 * never overwritten; a non-final one is, by the next. */
void mr_spf_reason(spf_ctx *c, bool final, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One DNS query into c->ans, counted and capped. Returns MR_DNS_*. */
int mr_spf_query(spf_ctx *c, const char *name, int type);

/* Expands a domain-spec for `domain` into out (MR_DNS_NAME_MAX + 1). */
bool mr_spf_expand_target(spf_ctx *c, const char *domain, mr_span spec,
                          char *out);
/* Whether a name can be sent to DNS: labels of 1..63 bytes, at most 253
 * bytes in all (no final dot). */
bool mr_spf_name_ok(const char *name);

/* Counts a DNS-querying term; SPF_PERM past MR_SPF_DNS_TERMS_MAX. */
spf_match mr_spf_count_term(spf_ctx *c, const mr_spf_term *t);

/* Evaluates one mechanism of the record of `domain` (spf_mech.c). */
spf_match mr_spf_eval_mechanism(spf_ctx *c, const mr_spf_term *t,
                                const char *domain, int depth);

/* check_host() for include (spf_eval.c): want_exp is false there. */
mr_spf_result mr_spf_check_host(spf_ctx *c, const char *domain, int depth,
                                bool want_exp);

/* %{p} for the macro environment (spf_mech.c). */
const char *mr_spf_validated_name(void *user, const char *domain);

#endif
