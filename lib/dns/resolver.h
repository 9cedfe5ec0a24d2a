/*
 * resolver.h — the real resolver behind mr_dns_resolver (dns.h): a
 * libunbound context that asks a given server (--resolver ADDR[:PORT]) or
 * the system's (/etc/resolv.conf, or full recursion when there is none),
 * and validates DNSSEC when given a trust anchor.
 *
 * Every query honours a deadline: the earlier of the per-query limit
 * MR_UB_QUERY_TIMEOUT_MS and the deadline the caller set for the domain
 * being checked (mr_ub_set_deadline). Past it the query is cancelled and
 * returns MR_DNS_TIMEOUT; a server that never answers costs no more.
 * CNAME chains are followed (and bounded) by libunbound; malformed
 * records are dropped with the reason kept in mr_ub_last_error().
 *
 * One mr_ub per thread: it is not shared. The caller owns it and frees it
 * with mr_ub_free(); strings handed in are copied.
 */
#ifndef MR_DNS_RESOLVER_H
#define MR_DNS_RESOLVER_H

#include <stdint.h>

#include "dns/dns.h"
#include "util/time.h"   /* mr_now_ms, the clock of every deadline */

#define MR_UB_QUERY_TIMEOUT_MS 5000   /* one query, whatever the deadline */
#define MR_UB_ERROR_MAX 256
#define MR_UB_PREFETCH_MAX 64         /* queries sent ahead at once */

typedef struct mr_ub mr_ub;

typedef struct mr_ub_opts {
    const char *server;        /* "ADDR", "ADDR:PORT", "[V6]:PORT"; NULL: system */
    const char *trust_anchor;  /* zone file of DS/DNSKEY records; NULL: none */
    bool root_anchor;          /* also use the system's root key, if present */
} mr_ub_opts;

/* Creates a resolver. Returns 0, or -1 with the reason in err. */
int mr_ub_new(const mr_ub_opts *opts, mr_ub **out, char *err, size_t cap);
void mr_ub_free(mr_ub *ub);
/* Queries made after now + ms (monotonic) time out at once; 0: no limit
 * beyond the per-query one. */
void mr_ub_set_deadline(mr_ub *ub, unsigned ms);
/* Milliseconds left before the deadline (MR_UB_QUERY_TIMEOUT_MS when
 * none is set; 0 when it has passed). */
int64_t mr_ub_remaining_ms(const mr_ub *ub);
/* The interface the checks query through; valid while ub lives. */
mr_dns_resolver mr_ub_resolver(mr_ub *ub);
/* Why the last failing query failed ("" if none failed). Borrowed. */
const char *mr_ub_last_error(const mr_ub *ub);
/* Sends a query now whose answer a later query for the same name and
 * type takes (once); does nothing when MR_UB_PREFETCH_MAX are out or
 * the deadline has passed. */
void mr_ub_prefetch(mr_ub *ub, const char *name, int rrtype);
/* Drops prefetched answers nobody took and cancels those still out:
 * at the end of each domain. */
void mr_ub_prefetch_clear(mr_ub *ub);
/* Counters since creation. */
uint64_t mr_ub_queries(const mr_ub *ub);

/* Parses ADDR[:PORT] into unbound's "ADDR@PORT" form in out. 0 or -1. */
int mr_ub_server_spec(const char *s, char *out, size_t cap);

#endif
