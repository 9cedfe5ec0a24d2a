/*
 * probe.h — talking to a domain's servers directly rather than through
 * the resolver: one DNS question to one nameserver (UDP, or TCP for
 * AXFR), and one SMTP conversation up to the end of a STARTTLS
 * handshake. These are the DNS-hygiene checks (open resolver, zone
 * transfer, lame delegation) and the MX STARTTLS check of check_ns.c.
 *
 * Every probe has a deadline (ms from now) and returns within it. The
 * parsers (mr_probe_parse_reply, mr_smtp_reply_parse) read only the
 * bytes given and are the fuzzed surface. Nothing here allocates beyond
 * the call; the caller owns every struct passed in.
 */
#ifndef MR_DNS_PROBE_H
#define MR_DNS_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/dns.h"

#define MR_PROBE_MSG_MAX 4096       /* bytes of a DNS reply read (UDP) */
#define MR_SMTP_REPLY_MAX 8192      /* bytes of one SMTP reply */
#define MR_SMTP_LINES_MAX 100       /* lines of one multi-line reply */
#define MR_SMTP_TEXT_MAX 160        /* first line of a reply kept */
#define MR_DNS_T_AXFR 252

/* What a nameserver's reply said (its header and answer count). */
typedef struct mr_probe_reply {
    int rcode;                   /* 0..15 */
    bool aa, ra, tc;
    unsigned ancount;
} mr_probe_reply;

/* Outcome of a probe: answered, or why not. */
enum {
    MR_PROBE_OK = 0,
    MR_PROBE_TIMEOUT = -1,
    MR_PROBE_REFUSED = -2,       /* connection refused / port unreachable */
    MR_PROBE_ERROR = -3,         /* any other network failure */
    MR_PROBE_MALFORMED = -4      /* the reply is not a reply to our query */
};

/* Reads the header of a DNS reply in msg[0..len): its id must be id and
 * it must be a response (QR). 0, or MR_PROBE_MALFORMED. */
int mr_probe_parse_reply(const unsigned char *msg, size_t len, uint16_t id,
                         mr_probe_reply *out);
/* Writes a query for (name, type), with RD if rd, into buf (cap bytes);
 * returns its length, or 0 if the name does not fit or is malformed. */
size_t mr_probe_build_query(unsigned char *buf, size_t cap, uint16_t id,
                            const char *name, int type, bool rd);
/* Asks server ip:port one question (TCP for MR_DNS_T_AXFR, and only the
 * first message of the transfer is read). MR_PROBE_*. */
int mr_probe_dns(const mr_ip *ip, unsigned port, const char *name, int type,
                 bool rd, unsigned timeout_ms, mr_probe_reply *out);

/* One SMTP reply (RFC 5321 4.2): "NNN-text" lines then "NNN text". */
typedef struct mr_smtp_reply {
    int code;
    size_t lines;
    bool starttls;               /* an EHLO line offering STARTTLS */
    char first[MR_SMTP_TEXT_MAX];
} mr_smtp_reply;

/* Parses the reply at the start of buf[0..len). 1: complete (*used set
 * to the bytes it took); 0: incomplete, read more; -1: not an SMTP reply
 * (bad code, mixed codes, bad separator, too many lines). */
int mr_smtp_reply_parse(const char *buf, size_t len, mr_smtp_reply *r,
                        size_t *used);

/* How far an SMTP server got with STARTTLS. */
typedef struct mr_smtp_tls {
    int stage;                   /* MR_SMTP_* below: the last reached */
    char why[256];               /* what went wrong, English */
    char banner[MR_SMTP_TEXT_MAX];
    char tls_version[32];        /* "TLSv1.3" once the handshake is done */
} mr_smtp_tls;

enum {
    MR_SMTP_NO_CONNECT = 0,      /* could not connect */
    MR_SMTP_NO_GREETING,         /* connected, no 220 greeting */
    MR_SMTP_NO_EHLO,             /* EHLO refused or no reply */
    MR_SMTP_NO_STARTTLS,         /* EHLO done; STARTTLS not offered */
    MR_SMTP_TLS_REFUSED,         /* offered, but STARTTLS not 220 */
    MR_SMTP_TLS_FAILED,          /* the TLS handshake failed */
    MR_SMTP_TLS_OK               /* handshake completed */
};

/* Connects to ip:port, reads the greeting, says EHLO, and if STARTTLS is
 * offered completes the handshake (SNI: host; the certificate is not
 * verified here). Returns within timeout_ms. */
void mr_smtp_starttls(const mr_ip *ip, unsigned port, const char *host,
                      unsigned timeout_ms, mr_smtp_tls *out);

/* Shared by both probes: a connected socket to ip:port (TCP if stream,
 * else UDP), within deadline (mr_now_ms() clock). fd, or MR_PROBE_*. */
int mr_probe_connect(const mr_ip *ip, unsigned port, bool stream,
                     int64_t deadline);
/* Waits for fd to be readable (events POLLIN) or writable (POLLOUT)
 * before deadline: 1 ready, 0 timed out, -1 error. */
int mr_probe_wait(int fd, short events, int64_t deadline);

#endif
