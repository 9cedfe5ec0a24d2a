/*
 * exposure.h — `mamori exposure`: which services of this machine the
 * world can reach, and whether they let strangers in (METI's second item,
 * Network Security; IPA's common measures for servers: stop what is not
 * used, restrict who may connect).
 *
 * On this machine it lists every listening TCP socket and every bound UDP
 * socket, IPv4 and IPv6 (netlink sock_diag, /proc/net/{tcp,udp}{,6} when
 * netlink is refused), maps each to its process, executable and systemd
 * unit, and its bind scope: "loopback", "address" (one address) or
 * "all". The nftables ruleset (libnftables, JSON) decides for each
 * listener whether traffic from outside is filtered: "true", "false" or
 * "unknown". A listener that the catalogue of risky services
 * (data/exposure/services.def: by executable, then by port) names and
 * that is reachable from outside is a finding; short probes over the
 * socket's own address confirm whether it asks for authentication
 * (Redis PING, memcached stats, an FTP anonymous login, the methods SSH
 * offers), which sets the severity; attacks on SSH found in the auth
 * logs given raise it. Secrets read or seen are never reported.
 *
 * Under a root (`--root DIR`: an image, a container's root) there are no
 * live sockets: only the configuration is read, and a note says so.
 *
 * Lifecycle, as every capability (docs/architecture.md):
 *   mamori_exposure_new(ctx, opts, &x);
 *   mamori_exposure_host(x, sysroot, sink);  findings per listener
 *   mamori_exposure_scan(x, sysroot, targets, n, sink);  or/and a scan
 *   mamori_exposure_finish(x, sink);         the summary: every listener
 *                                            (proto, address, port,
 *                                            process, unit, scope,
 *                                            filtered, service)
 *   mamori_exposure_free(x);
 * ctx and the sysroot must outlive the calls that use them; findings are
 * borrowed for the sink call (finding.h).
 */
#ifndef MAMORI_EXPOSURE_H
#define MAMORI_EXPOSURE_H

#include "mamori/export.h"
#include "mamori/finding.h"
#include "mamori/host.h"
#include "mamori/mamori.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_EXPOSURE_PROBE_MS 300 /* default deadline of one probe */

typedef struct mamori_exposure mamori_exposure;

typedef struct mamori_exposure_opts {
    /* 1: do not connect to any listener (no probes). Default 0. */
    int no_probe;
    /* 1: do not read the firewall; every listener's filtered is
     * "unknown". Default 0. */
    int no_firewall;
    /* Deadline of one probe in milliseconds; 0: MAMORI_EXPOSURE_PROBE_MS. */
    unsigned probe_ms;
    /* A file holding `nft -j list ruleset`'s output, read instead of the
     * live ruleset (tests, or a ruleset saved from another machine).
     * NULL: the live ruleset. Copied. */
    const char *ruleset_file;
    /* Auth logs (NULL-terminated paths; NULL: none) for the login-attack
     * scanner: SSH reachable from everywhere with password logins on,
     * under attacks found there, is critical and says so. Copied. */
    const char *const *auth_logs;

    /* --scan (mamori_exposure_scan); a zero field takes its default. */
    /* Ports: "22,80,8000-8100"; NULL: the scan_top most frequent of
     * nmap's nmap-services (when installed) and every port of the
     * catalogue. Copied. */
    const char *scan_ports;
    unsigned scan_top;           /* default MAMORI_EXPOSURE_SCAN_TOP */
    unsigned scan_concurrency;   /* connects in flight; default 512 */
    unsigned scan_rate;          /* connects per second; default 20000 */
    unsigned scan_connect_ms;    /* one connect; default 1000 */
    unsigned scan_host_ms;       /* all ports of a host; default 120000 */
    unsigned scan_banner_ms;     /* wait for a banner; default 300 */
    /* 1: TCP only; default 0: one question each to DNS, NTP and SNMP
     * over UDP too (answers within scan_connect_ms). */
    int scan_no_udp;
} mamori_exposure_opts;

#define MAMORI_EXPOSURE_SCAN_TOP 1000

/* opts may be NULL (defaults); copied. *out is freed by
 * mamori_exposure_free(). MAMORI_E_NOMEM. */
MAMORI_API mamori_err mamori_exposure_new(const mamori_ctx *ctx,
                                          const mamori_exposure_opts *opts,
                                          mamori_exposure **out);
/* Reviews the machine sr reads (live: its sockets, processes, firewall;
 * under a root: a note and nothing live). Findings go to sink per risky
 * listener, in the order of the listeners (proto, port, address).
 * MAMORI_E_ABORTED when the sink stopped it. */
MAMORI_API mamori_err mamori_exposure_host(mamori_exposure *x,
                                           const mamori_sysroot *sr,
                                           const mamori_sink *sink);
/* A TCP connect scan of the user's own hosts: targets are addresses or
 * CIDR ranges ("192.0.2.7", "192.0.2.0/24", "fd00::/120"; names are
 * refused), n of them. Nothing outside them is connected to. Open ports
 * are named by banner, then port; risky ones are probed (unless
 * no_probe) and reported as the local review does. sr is where
 * nmap-services is read (this machine: NULL is refused). MAMORI_E_INVAL
 * after a diagnostic for a bad target or port list. */
MAMORI_API mamori_err mamori_exposure_scan(mamori_exposure *x,
                                           const mamori_sysroot *sr,
                                           const char *const *targets,
                                           size_t n, const mamori_sink *sink);
/* Sends the summary (counters and the table of listeners; after a scan
 * its counters and the open ports) and returns the first error of the
 * runs. */
MAMORI_API mamori_err mamori_exposure_finish(mamori_exposure *x,
                                             const mamori_sink *sink);
/* Accepts NULL. */
MAMORI_API void mamori_exposure_free(mamori_exposure *x);

#ifdef __cplusplus
}
#endif
#endif
