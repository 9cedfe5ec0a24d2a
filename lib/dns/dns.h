/*
 * dns.h — the resolver interface every DNS check of libmamori queries
 * through, the bounded answer it fills, and IP address helpers.
 *
 * Checks never talk to the network themselves: they call a
 * mr_dns_resolver, so the same SPF/DMARC code runs against a real
 * resolver (libunbound, later), an in-memory zone (the RFC 7208 test
 * suite) or a fuzzer's fake. An answer is a fixed-size value with named
 * maxima: a hostile zone that returns thousands of records or megabytes
 * of TXT fills it up and is marked truncated, never grows memory.
 *
 * Ownership: the caller owns the mr_dns_answer it passes to query(); the
 * resolver only writes into it (after mr_dns_answer_reset()). Record data
 * lives inside the answer and dies with its next reset.
 */
#ifndef MR_DNS_DNS_H
#define MR_DNS_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Record types the checks ask for (IANA numbers). */
enum {
    MR_DNS_T_A = 1,
    MR_DNS_T_NS = 2,
    MR_DNS_T_CNAME = 5,
    MR_DNS_T_SOA = 6,
    MR_DNS_T_PTR = 12,
    MR_DNS_T_MX = 15,
    MR_DNS_T_TXT = 16,
    MR_DNS_T_AAAA = 28,
    MR_DNS_T_DS = 43,
    MR_DNS_T_RRSIG = 46,
    MR_DNS_T_DNSKEY = 48,
    MR_DNS_T_SPF = 99,
    MR_DNS_T_CAA = 257
};

/* What DNSSEC validation said of an answer (resolvers that validate). */
enum {
    MR_DNSSEC_UNKNOWN = 0,   /* not validated (no trust anchor) */
    MR_DNSSEC_INSECURE = 1,  /* validated: no chain of trust (unsigned) */
    MR_DNSSEC_SECURE = 2,    /* validated: signatures check out */
    MR_DNSSEC_BOGUS = 3      /* validation failed: forged or broken */
};

/* What query() returns: DNS RCODEs (>= 0) or local failures (< 0).
 * Only NOERROR carries records; NXDOMAIN means the name does not exist;
 * anything else is a temporary failure to the checks. */
enum {
    MR_DNS_NOERROR = 0,
    MR_DNS_SERVFAIL = 2,
    MR_DNS_NXDOMAIN = 3,
    MR_DNS_REFUSED = 5,
    MR_DNS_TIMEOUT = -1,   /* no answer in time */
    MR_DNS_LOOP = -2,      /* CNAME chain too long or looping */
    MR_DNS_FAILURE = -3    /* anything else local (no memory, bad name) */
};

#define MR_DNS_NAME_MAX 253          /* presentation form, no final dot */
#define MR_DNS_LABEL_MAX 63
#define MR_DNS_ANSWER_MAX_RRS 128    /* records kept per answer */
#define MR_DNS_ANSWER_MAX_BYTES 65536 /* record data kept per answer */

/* One record of an answer. Data lives at answer->data[off .. off+len):
 *   A: 4 bytes; AAAA: 16 bytes; TXT: its character-strings joined with
 *   nothing between them (RFC 7208 3.3); MX: the exchange name, pref in
 *   `pref`; PTR, CNAME: the name, in presentation form. Names may end in
 *   a dot and may hold any byte: readers validate. */
typedef struct mr_dns_rr {
    uint16_t type;
    uint16_t pref;
    uint32_t off;
    uint32_t len;
} mr_dns_rr;

typedef struct mr_dns_answer {
    size_t n;                        /* records in rr[] */
    size_t used;                     /* bytes of data[] in use */
    bool truncated;                  /* records or bytes were dropped */
    int dnssec;                      /* MR_DNSSEC_*, set by the resolver */
    mr_dns_rr rr[MR_DNS_ANSWER_MAX_RRS];
    unsigned char data[MR_DNS_ANSWER_MAX_BYTES];
} mr_dns_answer;

/* A resolver: query() looks up (name, rrtype), following CNAMEs itself,
 * and adds only records of rrtype to ans (already reset by the caller).
 * name is NUL-terminated, without a final dot. Returns an MR_DNS_* code.
 * It must return within its own time limit (MR_DNS_TIMEOUT), never hang. */
typedef struct mr_dns_resolver {
    int (*query)(void *user, const char *name, int rrtype, mr_dns_answer *ans);
    void *user;
} mr_dns_resolver;

void mr_dns_answer_reset(mr_dns_answer *a);
/* Adds a record; 0, or -1 (and a->truncated set) when a maximum is hit. */
int mr_dns_answer_add(mr_dns_answer *a, int type, uint16_t pref,
                      const void *data, size_t len);
/* Appends bytes to the last record (the next string of a TXT record). */
int mr_dns_answer_append(mr_dns_answer *a, const void *data, size_t len);
/* Record i's data, or NULL past the end. */
const unsigned char *mr_dns_rr_data(const mr_dns_answer *a, size_t i);

/* Adds one record given as wire rdata (as a resolver library hands it
 * over, names uncompressed) in the form described above: TXT strings
 * joined, MX/NS/PTR/CNAME names in presentation form (bytes outside
 * printable ASCII, '.' and '\\' inside a label written \\DDD), A/AAAA
 * of the right size only, other types kept raw. Returns 0; -1 when the
 * rdata is malformed (a string or name runs past its end, a name over
 * MR_DNS_NAME_MAX, a compression pointer): nothing is added then; -2
 * when a maximum of the answer is hit (a->truncated set). */
int mr_dns_answer_add_rdata(mr_dns_answer *a, int type, const void *rdata,
                            size_t len);

/* A short English name of an MR_DNS_* code ("timeout", "NXDOMAIN"). */
const char *mr_dns_rcode_name(int rcode);
/* "TXT", "A"... or "TYPE<n>" written into buf (>= 12 bytes). */
const char *mr_dns_type_name(int type, char *buf, size_t cap);

/* An IP address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is stored as IPv4:
 * RFC 7208 5 says such a client MUST be treated as IPv4. */
typedef struct mr_ip {
    int family;            /* 4 or 6 */
    uint8_t b[16];         /* network order; IPv4 uses b[0..3] */
} mr_ip;

#define MR_IP_TEXT_MAX 46  /* INET6_ADDRSTRLEN */
/* Strict IPv4 dotted quad: four decimal octets, no leading zeros. */
int mr_ip4_parse(const char *s, size_t n, uint8_t out[4]);
/* IPv6 text (inet_pton syntax). */
int mr_ip6_parse(const char *s, size_t n, uint8_t out[16]);
/* Either family; 0 on success, -1 if s is not an address. */
int mr_ip_parse(const char *s, size_t n, mr_ip *out);
/* Whether the first `bits` bits of a and b agree (bits <= 32 or 128). */
bool mr_ip_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits);
/* Text form (dotted quad, or RFC 5952 IPv6) into buf of MR_IP_TEXT_MAX. */
void mr_ip_format(const mr_ip *ip, char *buf, size_t cap);
/* The reverse-lookup name ("4.3.2.1.in-addr.arpa", 32 nibbles + ip6.arpa);
 * buf must hold 74 bytes. */
void mr_ip_reverse_name(const mr_ip *ip, char *buf, size_t cap);

#endif
