/*
 * records.h — parsers of the DNS-published mail policies other than SPF:
 * DMARC (RFC 7489, with DMARCbis's np/t/psd), DKIM key records (RFC 6376
 * 3.6.1), MTA-STS (RFC 8461: the _mta-sts TXT record and the HTTPS
 * policy file) and TLS-RPT (RFC 8460), over one tag-list reader.
 *
 * All of their text comes from whoever controls a zone or a web server,
 * so every parser reads a span with a cursor, keeps spans into the
 * caller's text (the caller keeps the text alive while it uses the
 * result), stores at most a named maximum of anything, and reports the
 * first fault with its byte offset. Nothing here allocates or does I/O.
 */
#ifndef MR_DNS_RECORDS_H
#define MR_DNS_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/dns.h"
#include "util/span.h"

#define MR_REC_MSG_MAX 160          /* an error or warning message */
#define MR_REC_WARN_MAX 4           /* warnings kept per record */
#define MR_TAGS_MAX 32              /* tags of one tag-list */
#define MR_DMARC_URIS_MAX 8         /* rua= or ruf= URIs kept */
#define MR_DKIM_KEY_MAX 4096        /* decoded key bytes (RSA 16384 fits) */
#define MR_STS_POLICY_MAX 65536     /* RFC 8461 3.3: policy body limit */
#define MR_STS_MX_MAX 16            /* mx: lines kept */
#define MR_STS_ID_MAX 32            /* RFC 8461 3.1 */
#define MR_STS_MAX_AGE 31557600     /* RFC 8461 3.2: one year */

/* The first fault of a record: where and what, in English. */
typedef struct mr_rec_error {
    size_t offset;
    char msg[MR_REC_MSG_MAX];
} mr_rec_error;

/* Non-fatal oddities (unknown tags, unusual values), first few kept. */
typedef struct mr_rec_warnings {
    size_t n;                       /* all warnings, kept or not */
    char msg[MR_REC_WARN_MAX][MR_REC_MSG_MAX];
} mr_rec_warnings;

/* ---- tag lists (DKIM 3.2; DMARC, TLS-RPT, MTA-STS TXT use the same) -- */

typedef struct mr_tag {
    mr_span name;
    mr_span value;                  /* surrounding whitespace removed */
    size_t offset;                  /* of the name in the text */
} mr_tag;

typedef struct mr_taglist {
    size_t n;
    mr_tag tags[MR_TAGS_MAX];
} mr_taglist;

/* Splits "a=b; c = d;" into tags. 0, or -1 with err (a tag without '=',
 * a bad name, a duplicate tag, too many tags, a control byte). */
int mr_taglist_parse(const char *s, size_t n, mr_taglist *out,
                     mr_rec_error *err);

/* ---- DMARC ------------------------------------------------------------- */

typedef enum mr_dmarc_policy {
    MR_DMARC_UNSET = 0, MR_DMARC_NONE, MR_DMARC_QUARANTINE, MR_DMARC_REJECT
} mr_dmarc_policy;

typedef struct mr_dmarc {
    mr_dmarc_policy p, sp, np;      /* sp/np UNSET: inherit */
    char adkim, aspf;               /* 'r' (default) or 's' */
    int pct;                        /* 0..100; 100 when absent */
    uint64_t ri;                    /* seconds; 86400 when absent */
    char t;                         /* DMARCbis testing: 'y', 'n', 0 absent */
    size_t n_rua, n_ruf;            /* URIs given (kept: up to the max) */
    mr_span rua[MR_DMARC_URIS_MAX]; /* the URI, "!size" suffix removed */
    mr_span ruf[MR_DMARC_URIS_MAX];
    mr_rec_warnings warn;
} mr_dmarc;

/* Whether a TXT string is a DMARC record: "v=DMARC1" then ';', space or
 * the end (RFC 7489 6.6.3). */
bool mr_dmarc_is_record(const char *s, size_t n);
int mr_dmarc_parse(const char *s, size_t n, mr_dmarc *out, mr_rec_error *err);
const char *mr_dmarc_policy_name(mr_dmarc_policy p);
/* The domain of a mailto: URI into out (MR_DNS_NAME_MAX + 1), lower
 * case. 0, or -1 if the URI is not a mailto: with a valid domain. */
int mr_dmarc_uri_domain(mr_span uri, char *out, size_t cap);

/* ---- DKIM key records ------------------------------------------------- */

typedef struct mr_dkim_key {
    mr_span k;                      /* key type; "rsa" when absent */
    mr_span h;                      /* hash algorithms, or empty */
    bool testing;                   /* t=y */
    bool revoked;                   /* p= empty */
    size_t key_len;                 /* decoded bytes of p= */
    unsigned char key[MR_DKIM_KEY_MAX];
    mr_rec_warnings warn;
} mr_dkim_key;

int mr_dkim_parse(const char *s, size_t n, mr_dkim_key *out,
                  mr_rec_error *err);
/* Reads the key with OpenSSL: its size in bits, or -1 with why set (not
 * an RSA/Ed25519 public key, damaged DER). Ed25519 keys are 256 bits. */
int mr_dkim_key_bits(const mr_dkim_key *k, char *why, size_t cap);

/* ---- MTA-STS and TLS-RPT ---------------------------------------------- */

typedef enum mr_sts_mode {
    MR_STS_UNSET = 0, MR_STS_ENFORCE, MR_STS_TESTING, MR_STS_NONE
} mr_sts_mode;

typedef struct mr_sts_policy {
    mr_sts_mode mode;
    int64_t max_age;                /* -1 when absent */
    size_t n_mx;                    /* given; kept up to the max */
    char mx[MR_STS_MX_MAX][MR_DNS_NAME_MAX + 1];
    mr_rec_warnings warn;
} mr_sts_policy;

/* The _mta-sts TXT record: "v=STSv1; id=..." (id copied into id[]). */
int mr_sts_txt_parse(const char *s, size_t n, char id[MR_STS_ID_MAX + 1],
                     mr_rec_error *err);
/* The policy file (RFC 8461 3.2): "key: value" lines, LF or CRLF. */
int mr_sts_policy_parse(const char *s, size_t n, mr_sts_policy *out,
                        mr_rec_error *err);
const char *mr_sts_mode_name(mr_sts_mode m);
/* Whether an mx: pattern ("mail.example.com", "*.example.net") matches
 * an MX host name (case-insensitive, a final dot ignored). */
bool mr_sts_mx_match(const char *pattern, const char *host);

/* The _smtp._tls TXT record: "v=TLSRPTv1; rua=mailto:...,https://...".
 * *n_rua gets the number of report URIs. */
int mr_tlsrpt_parse(const char *s, size_t n, size_t *n_rua,
                    mr_rec_error *err);

#endif
