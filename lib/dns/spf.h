/*
 * spf.h — the SPF engine (RFC 7208): record parser, macro expander and
 * check_host() evaluator. Internal to libmamori (mr_ names); `mamori dns`
 * and the conformance tests are its clients.
 *
 * Three layers, one file each:
 *   spf_parse.c  text of one record -> mr_spf_record (terms), or an error
 *                with the byte offset of the fault;
 *   spf_macro.c  macro-string validation and expansion (RFC 7208 7);
 *   spf_eval.c   check_host() through an mr_dns_resolver (dns.h), with
 *                every processing limit of RFC 7208 4.6.4.
 *
 * Everything an attacker writes (records, names, explanation texts) is
 * bounded by a named maximum below; going over one is a permerror with a
 * message, never a crash, a hang or unbounded memory.
 */
#ifndef MR_DNS_SPF_H
#define MR_DNS_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/dns.h"
#include "util/span.h"

#define MR_SPF_RECORD_MAX 4096     /* bytes of one record (strings joined) */
#define MR_SPF_TERMS_MAX 256       /* terms of one record */
#define MR_SPF_MSG_MAX 256         /* an error or reason message */
#define MR_SPF_EXP_MAX 1024        /* an expanded explanation */
#define MR_SPF_EXPAND_MAX 8192     /* a macro expansion before truncation */
#define MR_SPF_TERM_TEXT_MAX 128   /* a term quoted in a message */
#define MR_SPF_DNS_TERMS_MAX 10    /* RFC 7208 4.6.4: DNS-querying terms */
#define MR_SPF_VOID_MAX 2          /* RFC 7208 4.6.4: void lookups */
#define MR_SPF_MX_MAX 10           /* RFC 7208 4.6.4: MX records */
#define MR_SPF_PTR_MAX 10          /* RFC 7208 4.6.4: PTR records */
#define MR_SPF_QUERIES_MAX 512     /* all DNS queries of one evaluation */

/* ---- results ---------------------------------------------------------- */

typedef enum mr_spf_result {
    MR_SPF_NONE = 0,
    MR_SPF_NEUTRAL,
    MR_SPF_PASS,
    MR_SPF_FAIL,
    MR_SPF_SOFTFAIL,
    MR_SPF_TEMPERROR,
    MR_SPF_PERMERROR
} mr_spf_result;

/* "none", "neutral", "pass", ...; never NULL. */
const char *mr_spf_result_name(mr_spf_result r);

/* ---- parsed records ---------------------------------------------------- */

typedef enum mr_spf_kind {
    MR_SPF_ALL, MR_SPF_INCLUDE, MR_SPF_A, MR_SPF_MX, MR_SPF_PTR,
    MR_SPF_IP4, MR_SPF_IP6, MR_SPF_EXISTS,
    MR_SPF_REDIRECT, MR_SPF_EXP, MR_SPF_UNKNOWN_MOD
} mr_spf_kind;

typedef struct mr_spf_term {
    mr_spf_kind kind;
    char qualifier;        /* '+', '-', '~', '?' (mechanisms only) */
    uint8_t cidr4, cidr6;  /* a, mx, ip4, ip6: prefix lengths */
    uint8_t addr[16];      /* ip4 (4 bytes), ip6 */
    mr_span text;          /* the whole term, in the record */
    mr_span domain;        /* domain-spec or modifier value; n == 0: none */
    size_t offset;         /* of the term in the record */
} mr_spf_term;

/* A parsed record. It owns a copy of its text; every span points into it,
 * so the record must not be copied by value after parsing. */
typedef struct mr_spf_record {
    char text[MR_SPF_RECORD_MAX + 1];
    size_t len;
    size_t n_terms;
    int redirect;          /* index in terms[] or -1 */
    int exp;               /* index in terms[] or -1 */
    mr_spf_term terms[MR_SPF_TERMS_MAX];
} mr_spf_record;

typedef struct mr_spf_error {
    size_t offset;                 /* byte offset of the fault */
    char msg[MR_SPF_MSG_MAX];      /* "unknown mechanism 'foo' at offset 23" */
} mr_spf_error;

/* Whether a TXT string is an SPF version 1 record: "v=spf1" (any case)
 * followed by a space or the end (RFC 7208 4.5). */
bool mr_spf_is_record(const char *s, size_t n);

/* Parses a whole record (RFC 7208 4.6, 5, 6), checking every term before
 * any is evaluated. 0 on success; -1 with err filled on a syntax error. */
int mr_spf_parse(const char *s, size_t n, mr_spf_record *rec,
                 mr_spf_error *err);

/* ---- macros ------------------------------------------------------------ */

typedef enum mr_spf_macro_mode {
    MR_SPF_MACRO_DOMAIN,   /* domain-spec: no c/r/t letters, no spaces */
    MR_SPF_MACRO_UNKNOWN,  /* unknown-modifier value: any letter */
    MR_SPF_MACRO_EXP       /* explanation text: any letter, spaces */
} mr_spf_macro_mode;

/* Validates a macro-string. 0 if fine; else -1 with *err_off the offset
 * of the fault in s and *why a static message. *tail_off (may be NULL)
 * gets where the trailing run of literal text starts (s.n if the string
 * ends with a macro-expand): the domain-end check needs it. */
int mr_spf_macro_check(mr_span s, mr_spf_macro_mode mode, size_t *err_off,
                       const char **why, size_t *tail_off);

/* The values macros expand to. Strings are borrowed, NUL-terminated. */
typedef struct mr_spf_macro_env {
    const char *local_part;     /* l */
    const char *sender_domain;  /* o */
    const char *domain;         /* d: the current domain */
    const char *helo;           /* h */
    const char *receiver;       /* r; NULL: "unknown" */
    mr_ip ip;                   /* i, c, v */
    int64_t now;                /* t */
    /* p: the validated name of ip for `domain`, or NULL ("unknown").
     * May query DNS; NULL callback means "unknown". */
    const char *(*validated_name)(void *user, const char *domain);
    void *user;
} mr_spf_macro_env;

/* Expands a macro-string already validated in `mode`.
 * DOMAIN mode: the result is a target name: a final dot removed, then
 *   labels cut from the left until it fits in MR_DNS_NAME_MAX (RFC 7208
 *   7.3); out must hold MR_DNS_NAME_MAX + 1 bytes.
 * EXP/UNKNOWN mode: the text, cut at cap - 1 bytes.
 * out is NUL-terminated; returns its length, or -1 if s is invalid. */
int mr_spf_macro_expand(const mr_spf_macro_env *env, mr_span s,
                        mr_spf_macro_mode mode, char *out, size_t cap);

/* ---- check_host() --------------------------------------------------------- */

typedef struct mr_spf_request {
    const char *ip;             /* client address, IPv4 or IPv6 text */
    const char *mail_from;      /* MAIL FROM; "" or NULL: the HELO identity */
    const char *helo;           /* HELO/EHLO name */
    const char *receiver;       /* %{r}; NULL: "unknown" */
    const char *default_exp;    /* macro-string; NULL: built-in text */
    int64_t now;                /* %{t}: seconds since the epoch */
} mr_spf_request;

typedef struct mr_spf_verdict {
    mr_spf_result result;
    char explanation[MR_SPF_EXP_MAX + 1];  /* set for fail, else "" */
    char reason[MR_SPF_MSG_MAX];           /* why, in English */
    char mechanism[MR_SPF_TERM_TEXT_MAX];  /* the deciding term, or "" */
    char domain[MR_DNS_NAME_MAX + 1];      /* domain whose record decided */
    unsigned dns_terms;                    /* DNS-querying terms used */
    unsigned void_lookups;
    unsigned queries;                      /* DNS queries made */
} mr_spf_verdict;

/* Runs check_host() for the identity of req (MAIL FROM, or HELO when it
 * is empty) through res. Returns 0 with *out filled (every SPF result,
 * errors included, is a verdict); -1 if req->ip is not an address or
 * memory ran out (out->reason says which). */
int mr_spf_check(const mr_dns_resolver *res, const mr_spf_request *req,
                 mr_spf_verdict *out);

#endif
