/*
 * stub.h — mamori's own non-validating stub resolver, used instead of
 * libunbound when a server is given (--resolver ADDR[:PORT]) and nothing
 * is to be validated (no --trust-anchor). Internal to lib/dns.
 *
 * Why: libunbound opens a new UDP socket per question and hands every
 * question and answer to its own thread over a socket pair; at thousands
 * of questions a second most of the CPU went to the kernel. The stub
 * keeps one connected UDP socket (random source port from the kernel)
 * per resolver, i.e. per worker thread, with up to MR_STUB_SLOTS
 * questions in flight, each matched by a random query id (getrandom)
 * AND its question. Lost datagrams are sent again (MR_STUB_RETRY_MS,
 * doubling) until the caller's deadline; a truncated answer (TC=1) is
 * asked again over TCP (at most MR_STUB_TCP_MAX bytes). CNAME chains are
 * followed inside an answer and, when the chain leaves it, by asking for
 * the target, at most MR_STUB_CNAME_MAX links in all.
 *
 * The answer parsing (stub_parse.c) is separate from the sockets
 * (stub.c) so that it can be fuzzed alone: every answer is hostile,
 * every read is bounded by the message, compression pointers must point
 * backwards (so they cannot loop), names are at most 255 wire bytes.
 *
 * Ownership: mr_stub_new() gives a stub the caller frees with
 * mr_stub_free(); it belongs to one thread. Answers are written into the
 * caller's mr_dns_answer (dns.h).
 */
#ifndef MR_DNS_STUB_H
#define MR_DNS_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/dns.h"

#define MR_STUB_SLOTS 72             /* questions in flight per stub */
#define MR_STUB_UDP_SIZE 1232        /* EDNS0 buffer size we announce */
#define MR_STUB_TCP_MAX 65535        /* a TCP answer (2-byte length) */
#define MR_STUB_CNAME_MAX 8          /* CNAME links followed per query */
#define MR_STUB_WIRE_NAME_MAX 255    /* RFC 1035 2.3.4 */
#define MR_STUB_QUERY_MAX (12 + MR_STUB_WIRE_NAME_MAX + 4 + 11)
#define MR_STUB_RETRY_MS 250         /* first resend; doubles, up to 1 s */

/* ---- parsing (stub_parse.c) ------------------------------------------ */

/* Presentation name ("a.b.c", final dot optional, \X and \DDD escapes)
 * into wire form in out; returns its length, or -1 if it is no name. */
int mr_stub_name_wire(const char *name, uint8_t out[MR_STUB_WIRE_NAME_MAX]);

/* Writes a query (RD set, EDNS0 OPT announcing MR_STUB_UDP_SIZE) into
 * buf of at least MR_STUB_QUERY_MAX bytes; returns its length. */
size_t mr_stub_build_query(uint8_t *buf, uint16_t id, const uint8_t *qname,
                           size_t qlen, int qtype);

/* Whether msg is a response to (id, qname, qtype, class IN): QR set,
 * opcode QUERY, one question equal to ours (names compared without
 * regard to ASCII case). Anything else is ignored by the stub. */
bool mr_stub_reply_matches(const uint8_t *msg, size_t len, uint16_t id,
                           const uint8_t *qname, size_t qlen, int qtype);

/* What mr_stub_read_answer() learnt besides the records. */
typedef struct mr_stub_result {
    bool tc;                              /* truncated: ask over TCP */
    unsigned hops;                        /* CNAME links so far (in/out) */
    unsigned bad;                         /* malformed records dropped */
    size_t next_len;                      /* > 0: ask next[] for the type */
    uint8_t next[MR_STUB_WIRE_NAME_MAX];  /* where the chain left the answer */
} mr_stub_result;

/* Reads a matching response to (qname, qtype): follows the CNAME chain
 * from qname through the answer section (res->hops counts links, across
 * calls), adds the records of qtype owned by the chain's end to ans.
 * Returns MR_DNS_NOERROR (records added, or res->next set when the chain
 * leaves this answer), the response's RCODE, MR_DNS_LOOP past
 * MR_STUB_CNAME_MAX links, or MR_DNS_FAILURE if the message is
 * malformed. Malformed records are dropped and counted in res->bad. */
int mr_stub_read_answer(const uint8_t *msg, size_t len, const uint8_t *qname,
                        size_t qlen, int qtype, mr_dns_answer *ans,
                        mr_stub_result *res);

/* ---- the resolver (stub.c) ------------------------------------------- */

typedef struct mr_stub mr_stub;

/* A stub asking the server "ADDR@PORT" (mr_ub_server_spec's form).
 * 0, or -1 with the reason in err. */
int mr_stub_new(const char *spec, mr_stub **out, char *err, size_t cap);
void mr_stub_free(mr_stub *s);
/* Sends a question now; returns its slot (>= 0) for mr_stub_wait(), or
 * -1 (the name is invalid, every slot is busy, or sending failed; the
 * reason in err). */
int mr_stub_send(mr_stub *s, const char *name, int qtype, char *err,
                 size_t cap);
/* Waits until the answer of slot is in (at most until, monotonic ms),
 * then fills ans (reset by the caller) and frees the slot. Returns an
 * MR_DNS_* code; on failure the reason is in err. Answers to other
 * slots that arrive meanwhile are kept for them. */
int mr_stub_wait(mr_stub *s, int slot, int64_t until, mr_dns_answer *ans,
                 char *err, size_t cap);
/* One question over TCP (stub_tcp.c): connects to sa, sends q with its
 * length, reads one answer of at most MR_STUB_TCP_MAX bytes into *out
 * (malloc'd, the caller frees) before until (monotonic ms). 0 or -1. */
struct sockaddr_storage;
int mr_stub_tcp_exchange(const struct sockaddr_storage *sa,
                         unsigned sa_len, const uint8_t *q, size_t qn,
                         int64_t until, uint8_t **out, size_t *out_len);
/* Frees a slot whose answer nobody will take (a late answer is dropped). */
void mr_stub_release(mr_stub *s, int slot);

#endif
