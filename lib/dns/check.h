/*
 * check.h — the state of one domain's check, shared by the check files
 * of lib/dns (check_spf.c, check_dmarc.c, check_dkim.c, check_mail.c,
 * check_zone.c, check_ns.c) and the driver (dnscheck.c). Internal.
 *
 * A worker thread owns one mr_dcheck (its resolver, its answer buffer)
 * and reuses it for domain after domain. What a check observes becomes
 * an mr_note: plain owned text, so that the notes of a domain can wait
 * in memory until the driver hands them to the sink in input order. The
 * notes a domain may have are capped (MR_NOTES_MAX); more are counted.
 */
#ifndef MR_DNS_CHECK_H
#define MR_DNS_CHECK_H

#include "mamori/dns.h"
#include "dns/dns.h"
#include "dns/psl.h"
#include "dns/records.h"
#include "dns/resolver.h"

#define MR_NOTES_MAX 48          /* findings kept per domain */
#define MR_NOTE_TEXT_MAX 640     /* record, fix, detail: each cut to fit */
#define MR_TXT_KEEP 4096         /* bytes of one TXT record kept */
#define MR_TXT_MAX 4             /* matching TXT records kept per name */
#define MR_MX_KEEP 10            /* MX hosts looked at */
#define MR_LOOKUP_NOTES_MAX 3    /* failed lookups reported per domain */
#define MR_DKIM_PROBE_MAX (MAMORI_DNS_SELECTORS_MAX + 24)

typedef struct mr_note {
    const char *check;           /* check id ("dns.spf.missing") */
    const char *category;        /* "spf", "dmarc", ... */
    mamori_severity sev;
    char name[MR_DNS_NAME_MAX + 1];      /* the DNS name concerned */
    char record[MR_NOTE_TEXT_MAX];       /* what is published now */
    char fix[MR_NOTE_TEXT_MAX];          /* what to publish instead */
    char detail[MR_NOTE_TEXT_MAX];       /* the specifics, English */
    int64_t offset;              /* syntax errors; -1 otherwise */
    int64_t bits;                /* DKIM key size; -1 otherwise */
} mr_note;

/* What a domain's check found: its notes and its summary row. */
typedef struct mr_domain_result {
    char domain[MR_DNS_NAME_MAX + 1];
    size_t n, dropped;
    mr_note notes[MR_NOTES_MAX];
    char spf[24], dmarc[24], mx[24], mta_sts[24], dnssec[24], starttls[24];
    int dkim_keys;
    unsigned queries;
    unsigned failed;             /* lookups that failed (not NXDOMAIN, not
                                    DNSSEC bogus): some check not made */
    int64_t ms;
} mr_domain_result;

/* What every worker shares, read-only. */
typedef struct mr_dns_cfg {
    const mamori_ctx *ctx;
    mr_ub_opts ub;
    bool validating;             /* a trust anchor is in use */
    mr_psl *psl;                 /* NULL: list unavailable (fallback) */
    unsigned timeout_ms;
    bool no_https;
    const char *https_ca;
    unsigned https_port;
    bool no_probe;
    unsigned ns_port, smtp_port;   /* tests only; 0: 53 and 25 */
    size_t n_selectors;
    const char *selectors[MAMORI_DNS_SELECTORS_MAX];
} mr_dns_cfg;

typedef struct mr_dcheck {
    const mr_dns_cfg *cfg;
    mr_ub *ub;
    mr_dns_resolver res;
    mr_dns_answer *ans;          /* scratch: every query overwrites it */
    mr_domain_result *r;
    const char *domain;          /* == r->domain */
    unsigned lookup_notes;
    /* What earlier checks learnt, for later ones. */
    bool nxdomain;               /* the domain does not exist */
    bool null_mx;
    size_t n_mx;
    char mx[MR_MX_KEEP][MR_DNS_NAME_MAX + 1];
    mr_dmarc_policy dmarc_p;     /* effective policy, UNSET if none */
    char bogus[MR_UB_ERROR_MAX]; /* the first answer that failed DNSSEC */
    /* Scratch TXT records (txt_at). */
    size_t n_txt;
    char txt[MR_TXT_MAX][MR_TXT_KEEP + 1];
    size_t txt_len[MR_TXT_MAX];
} mr_dcheck;

/* A new note (NULL when full: then only counted). */
mr_note *mr_note_add(mr_dcheck *dc, const char *check, const char *category,
                     const char *name);
/* Formats into a note field (fmt is printf). */
void mr_note_set(char *field, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes `name. TXT "..."` into out, the text split into strings of at
 * most 255 bytes as zone files need. */
void mr_fix_txt(char *out, size_t cap, const char *name, const char *text,
                size_t len);

/* One query into dc->ans; failures other than NXDOMAIN become a
 * dns.lookup note (the first few). Returns MR_DNS_*. */
int mr_dq(mr_dcheck *dc, const char *name, int type);
/* TXT records at name for which keep() is true (NULL: all), copied into
 * dc->txt; returns the MR_DNS_* code; dc->n_txt counts all matching
 * (kept or not). */
int mr_txt_at(mr_dcheck *dc, const char *name,
              bool (*keep)(const char *s, size_t n));

void mr_check_mx(mr_dcheck *dc);
void mr_check_spf(mr_dcheck *dc);
void mr_check_dmarc(mr_dcheck *dc);
void mr_check_dkim(mr_dcheck *dc);
void mr_check_mta_sts(mr_dcheck *dc);
void mr_check_tlsrpt(mr_dcheck *dc);
void mr_check_caa(mr_dcheck *dc);
void mr_check_dnssec(mr_dcheck *dc);
void mr_check_ns(mr_dcheck *dc);          /* check_ns.c */
void mr_check_starttls(mr_dcheck *dc);

/* Fetches https://host/path (address from DNS through dc) into buf of
 * cap bytes; 0 with *len set, or -1 with why. */
int mr_https_get(mr_dcheck *dc, const char *host, const char *path,
                 char *buf, size_t cap, size_t *len, char *why,
                 size_t why_cap);

#endif
