/*
 * exposure.h — the inside of `mamori exposure` (include/mamori/exposure.h):
 * a listener as read from the kernel (listen.c: netlink sock_diag, or
 * /proc/net/{tcp,udp}{,6}), its process (proc.c: socket inode to PID
 * through /proc/PID/fd, the executable, the systemd unit from
 * /proc/PID/cgroup), the catalogue of risky services (catalog.c, data in
 * data/exposure/services.def), the firewall's verdict (nft.c: the
 * nftables ruleset as JSON) and the probes (probe.c).
 *
 * Every listener lives in one array owned by the run (mr_xp_list); its
 * strings are fixed buffers of the sizes named here.
 */
#ifndef MR_EXPOSURE_H
#define MR_EXPOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/finding.h"
#include "mamori/host.h"

#define MR_XP_LISTENERS_MAX 4096 /* sockets kept; more are counted */
#define MR_XP_ADDR_MAX 64        /* an address as text, IPv6 scoped */
#define MR_XP_COMM_MAX 64        /* a process's name (comm is 16) */
#define MR_XP_EXE_MAX 512        /* an executable's path */
#define MR_XP_UNIT_MAX 128       /* a systemd unit's name */
#define MR_XP_PROC_NET_MAX (64u * 1024 * 1024) /* /proc/net/tcp bytes */
#define MR_XP_BANNER_MAX 128     /* a banner's first line kept */

typedef enum mr_xp_proto { MR_XP_TCP = 0, MR_XP_UDP = 1 } mr_xp_proto;

typedef enum mr_xp_scope {
    MR_XP_LOOPBACK = 0, /* 127.0.0.0/8, ::1: this machine only */
    MR_XP_ADDRESS,      /* one address of this machine */
    MR_XP_ALL           /* 0.0.0.0 or ::: every address */
} mr_xp_scope;

typedef enum mr_xp_filtered {
    MR_XP_FILTER_UNKNOWN = 0,
    MR_XP_FILTER_NO,    /* traffic from outside is accepted */
    MR_XP_FILTER_YES    /* dropped, rejected or limited to some sources */
} mr_xp_filtered;

/* What a probe learnt. */
typedef enum mr_xp_auth {
    MR_XP_AUTH_UNPROBED = 0, /* not probed, or no answer in time */
    MR_XP_AUTH_REQUIRED,     /* it asked for credentials (SSH: keys) */
    MR_XP_AUTH_NONE,         /* it let a stranger in */
    MR_XP_AUTH_PASSWORD      /* SSH: password or keyboard-interactive */
} mr_xp_auth;

#define MR_XP_PRODUCT_MAX 32     /* a product's name from a banner */
#define MR_XP_VERSION_MAX 32     /* its version */
#define MR_XP_BANNER_LINE_MAX 1024 /* bytes of a banner parsed */

/* A product and its version as a banner names them ("" when not), and
 * whether the banner names a distribution's build (eol/eol.h). */
typedef struct mr_xp_version {
    char product[MR_XP_PRODUCT_MAX];
    char version[MR_XP_VERSION_MAX];
    int distro;
} mr_xp_version;

typedef enum mr_xp_banner_kind {
    MR_XP_BANNER_NONE = 0,
    MR_XP_BANNER_SSH,        /* the identification string */
    MR_XP_BANNER_FTP,        /* the 220 greeting */
    MR_XP_BANNER_SMTP,       /* the 220 greeting */
    MR_XP_BANNER_HTTP        /* a response's Server header */
} mr_xp_banner_kind;

typedef struct mr_xp_listener {
    mr_xp_proto proto;
    int family;                  /* AF_INET or AF_INET6 */
    uint8_t addr[16];            /* network order; 4 bytes for AF_INET */
    uint16_t port;
    uint64_t inode;              /* the socket's inode: its process */
    char address[MR_XP_ADDR_MAX];
    mr_xp_scope scope;
    int pid;                     /* 0: not found */
    char process[MR_XP_COMM_MAX];
    char exe[MR_XP_EXE_MAX];
    char unit[MR_XP_UNIT_MAX];
    mr_xp_filtered filtered;
    int service;                 /* index into the catalogue, or -1 */
    mr_xp_auth auth;
    int scanned;                 /* found open by --scan: reachable */
    char banner[MR_XP_BANNER_MAX]; /* --scan: the first line it sent */
    mr_xp_banner_kind banner_kind; /* what to read its version from */
    mr_xp_version ver;           /* the product and version it names */
    unsigned char want;          /* probe_all's jobs: 1 auth, 2 banner */
} mr_xp_listener;

typedef struct mr_xp_list {
    mr_xp_listener *v;
    size_t n, cap;
    uint64_t dropped;            /* over MR_XP_LISTENERS_MAX */
} mr_xp_list;

/* Appends a copy of l (address text and scope filled in here); dropped
 * is counted over MR_XP_LISTENERS_MAX. MAMORI_E_NOMEM. */
mamori_err mr_xp_list_add(mr_xp_list *list, const mr_xp_listener *l);
/* Sorts by proto, port, family, address and removes duplicates (one
 * socket per thread with SO_REUSEPORT). */
void mr_xp_list_sort(mr_xp_list *list);
void mr_xp_list_free(mr_xp_list *list);

/* listen.c. Reads this machine's listeners through netlink sock_diag;
 * MAMORI_E_IO when netlink is refused (the caller falls back to
 * /proc/net). */
mamori_err mr_xp_read_netlink(mr_xp_list *list);
/* Parses one /proc/net/{tcp,tcp6,udp,udp6} file's text (data, len) and
 * adds each listening (TCP state 0A) or bound, unconnected (UDP state 07)
 * socket. Malformed lines are skipped and counted in *bad. */
mamori_err mr_xp_parse_proc_net(mr_xp_list *list, mr_xp_proto proto,
                                int family, const char *data, size_t len,
                                uint64_t *bad);
/* The scope of an address (for the address text and the summary). */
mr_xp_scope mr_xp_scope_of(int family, const uint8_t *addr);
const char *mr_xp_scope_name(mr_xp_scope s);
const char *mr_xp_filtered_name(mr_xp_filtered f);

/* proc.c. Fills pid, process, exe and unit of every listener from the
 * processes under sr's /proc (those this user may see). */
void mr_xp_map_processes(const mamori_sysroot *sr, mr_xp_list *list);
/* The systemd unit in one /proc/PID/cgroup text: the last path component
 * ending in .service, .socket or .scope ("" when none). */
void mr_xp_unit_of_cgroup(const char *data, size_t len, char *out,
                          size_t cap);

/* nft.c: the nftables ruleset (`nft -j list ruleset`) as the chains on
 * the input hook and their rules. */
typedef struct mr_xp_fw mr_xp_fw;
struct mr_source;
/* Reads the ruleset's JSON from src (bounded: io/json.h). MAMORI_E_CORRUPT
 * or _TRUNCATED for JSON that is not whole, MAMORI_E_NOMEM. *out is freed
 * by mr_xp_fw_free(). */
mamori_err mr_xp_fw_read(struct mr_source *src, mr_xp_fw **out);
/* The same from bytes in memory. */
mamori_err mr_xp_fw_parse(const char *data, size_t len, mr_xp_fw **out);
/* The live ruleset through libnftables (JSON output): *json is the
 * caller's to free. MAMORI_E_IO with why (cap bytes, one line) when nft
 * refused (no CAP_NET_ADMIN). */
mamori_err mr_xp_fw_live(char **json, size_t *len, char *why, size_t cap);
/* Filter base chains on the input hook. */
size_t mr_xp_fw_input_chains(const mr_xp_fw *fw);
/* Whether a new connection from another host to l is filtered. */
mr_xp_filtered mr_xp_fw_judge(const mr_xp_fw *fw, const mr_xp_listener *l);
void mr_xp_fw_free(mr_xp_fw *fw);

/* probe.c. Asks the service listening at l (catalogue id `service`)
 * whether a stranger gets in, within ms milliseconds for the whole
 * exchange; MR_XP_AUTH_UNPROBED when it has no probe or did not answer.
 * A listener on every address is reached through one of this machine's
 * non-loopback addresses when it has one. */
mr_xp_auth mr_xp_probe(const mr_xp_listener *l, const char *service,
                       unsigned ms);
/* probe_ssh.c: the methods an SSH server at addr:port offers (libssh):
 * MR_XP_AUTH_PASSWORD when password or keyboard-interactive is among
 * them, MR_XP_AUTH_REQUIRED when not. */
mr_xp_auth mr_xp_probe_ssh(int family, const uint8_t *addr, uint16_t port,
                           unsigned ms);
/* NULL when the SSH probe can run, else why not ("libssh.so.4 cannot be
 * opened (install libssh-4): ..."): the probe then answers
 * MR_XP_AUTH_UNPROBED, and the run should say why once. */
const char *mr_xp_ssh_unavailable(void);
/* 1 when `service` has a probe. */
int mr_xp_probe_known(const char *service);
/* The reply parsers (n bytes of what the service sent). */
mr_xp_auth mr_xp_redis_reply(const char *b, size_t n);
mr_xp_auth mr_xp_memcached_reply(const char *b, size_t n);
mr_xp_auth mr_xp_http_reply(const char *b, size_t n);
mr_xp_auth mr_xp_mongo_reply(const uint8_t *b, size_t n);
mr_xp_auth mr_xp_snmp_reply(const uint8_t *b, size_t n);
mr_xp_auth mr_xp_dns_reply(const uint8_t *b, size_t n);
/* The datagram that asks a UDP service ("snmp", "dns", "ntp",
 * "memcached-udp"), *len bytes; NULL for any other. Static. */
const uint8_t *mr_xp_udp_request(const char *service, size_t *len);
/* What a UDP service's answer says (UNPROBED for "ntp": it only shows
 * the service is there). */
mr_xp_auth mr_xp_udp_reply(const char *service, const uint8_t *b, size_t n);
/* What an SMTP server's reply code to RCPT TO a stranger's domain says:
 * 250/251 MR_XP_AUTH_NONE (an open relay), 5xx _REQUIRED, else
 * _UNPROBED (4xx: greylisting or a pause, no verdict). */
mr_xp_auth mr_xp_smtp_rcpt(int code);
/* The code of a complete FTP reply (its last line "NNN text"); 0 when
 * the reply is not complete yet. */
int mr_xp_ftp_code(const char *b, size_t n);

/* banner.c. The product and version in what a service of that kind
 * sent (n bytes: a first line, or HTTP's response headers) into *v; -1
 * (and *v empty) when it names none. */
int mr_xp_banner_parse(mr_xp_banner_kind kind, const char *b, size_t n,
                       mr_xp_version *v);
/* The kind of banner a listener gives: by its catalogue service ("ssh",
 * "ftp", "smtp"; may be NULL), else a web server by executable or port
 * (80, 8000, 8080). */
mr_xp_banner_kind mr_xp_banner_kind_of(const char *service, uint16_t port,
                                       const char *exe, const char *comm);
/* The table `id` of the summary: every listener of list that named a
 * product, with its end of upstream support ("eol", a date or null) and
 * "supported" (true, false or null) on the day of now. Non-zero on
 * failure (no memory). */
int mr_xp_versions_summary(const mr_xp_list *list, struct mamori_summary *s,
                           const char *id, int64_t now);
/* The end-of-life finding of a listener whose banner named a version
 * past its upstream's support (eol/eol.h) into sink; *count is added to.
 * Non-zero when the sink stops the run. */
int mr_xp_eol_report(const mr_xp_listener *l, int64_t now,
                     const mamori_sink *sink, uint64_t *count);
/* probe.c: reads the banner of the listener l (of kind l->banner_kind)
 * within ms and parses it into l->ver; HTTP is asked HEAD / (no TLS). */
void mr_xp_banner_read(mr_xp_listener *l, unsigned ms);

/* logs.c: the attacks on SSH the login-attack scanner finds in logs
 * (NULL-terminated paths) into *n. A log that cannot be read is the
 * scanner's diagnostic and its error. */
mamori_err mr_xp_ssh_attacks(const mamori_ctx *ctx, const char *const *logs,
                             uint64_t *n);

/* scan.c: a TCP connect scan of the user's own hosts. */
typedef struct mr_xp_target {
    int family;
    uint8_t addr[16];            /* the range's first address */
    unsigned prefix;
    uint32_t hosts;              /* addresses in the range */
} mr_xp_target;
/* "192.0.2.7", "192.0.2.0/24", "fd00::/120": MAMORI_E_INVAL when it is
 * none of these (names are refused: scan what you own, by address),
 * MAMORI_E_TOO_LARGE over 65,536 addresses. */
mamori_err mr_xp_target_parse(const char *s, mr_xp_target *t);
/* "22,80,8000-8100" into a sorted list without duplicates (*out freed by
 * the caller). MAMORI_E_INVAL for anything else. */
mamori_err mr_xp_ports_parse(const char *spec, uint16_t **out, size_t *n);
/* The `top` most frequent TCP ports of nmap-services (when sr has it:
 * *from_nmap set) with every TCP port of the catalogue, sorted. */
mamori_err mr_xp_ports_top(const mamori_sysroot *sr, size_t top,
                           uint16_t **out, size_t *n, int *from_nmap);
typedef struct mr_xp_scan_cfg {
    unsigned concurrency;        /* connects in flight at most */
    unsigned rate;               /* connects started per second; 0: no limit */
    unsigned connect_ms;         /* one connect's deadline */
    unsigned host_ms;            /* all ports of one host; 0: none */
    unsigned banner_ms;          /* wait for an open port to speak; 0: none */
} mr_xp_scan_cfg;
typedef struct mr_xp_scan_stats {
    uint64_t attempts, open, closed, timeouts, skipped, errors;
    uint64_t elapsed_ms;
} mr_xp_scan_stats;
/* Called for each open port; banner NUL-terminated ("" when it said
 * nothing in time, and for UDP). Non-zero stops the scan
 * (MAMORI_E_ABORTED). */
typedef int (*mr_xp_open_fn)(void *user, int family, const uint8_t *addr,
                             mr_xp_proto proto, uint16_t port,
                             const char *banner);
mamori_err mr_xp_scan(const mr_xp_target *t, size_t nt,
                      const uint16_t *ports, size_t np,
                      const mr_xp_scan_cfg *cfg, mr_xp_open_fn fn,
                      void *user, mr_xp_scan_stats *st);
/* The UDP part: one question each to DNS (53), NTP (123) and SNMP (161)
 * of every host, XP_UDP_BATCH hosts at a time within connect_ms, at the
 * rate allowed; an answer is open (fn), an ICMP unreachable closed,
 * silence counted in timeouts (open or filtered: UDP cannot tell). Adds
 * to *st. */
mamori_err mr_xp_scan_udp(const mr_xp_target *t, size_t nt,
                          const mr_xp_scan_cfg *cfg, mr_xp_open_fn fn,
                          void *user, mr_xp_scan_stats *st);

/* pghba.c: PostgreSQL's pg_hba.conf. What one line lets in from every
 * address: MR_XP_HBA_TRUST (no password), MR_XP_HBA_PASSWORD, or 0. */
enum { MR_XP_HBA_PASSWORD = 1, MR_XP_HBA_TRUST = 2 };
int mr_xp_hba_line(const char *line, size_t len);
/* The worst of every cluster's pg_hba.conf under sr
 * (/etc/postgresql/VERSION/CLUSTER/): the value, and the file (cap
 * bytes) and line that decided it. 0 when none lets in everywhere. */
int mr_xp_pg_hba(const mamori_sysroot *sr, char *file, size_t cap,
                 uint64_t *line);

/* catalog.c: the risky services (data/exposure/services.def). */
typedef struct mr_xp_service {
    const char *id;          /* "redis" */
    const char *name;        /* "Redis" */
    mr_xp_proto proto;
    const char *ports;       /* "6379" or "2375 2376" */
    const char *exes;        /* executable names: "redis-server" */
    mamori_severity open_sev;  /* reachable and lets strangers in */
    mamori_severity auth_sev;  /* reachable, asks for credentials */
    int auth_default;        /* 1: asks for credentials unless probed
                                otherwise; 0: lets strangers in */
    const char *why_en, *why_ja;
    const char *fix_en, *fix_ja;
    const char *source;
} mr_xp_service;

const mr_xp_service *mr_xp_services(size_t *n);
/* The entry with that id, or -1. */
int mr_xp_service_by_id(const char *id);
/* The entry a banner's first line names ("SSH-2.0-...", an FTP 220,
 * "RFB 003.008", Redis's protected-mode refusal), or -1. */
int mr_xp_service_of_banner(const char *banner);
/* The catalogue entry of a listener: by executable name first (redis on
 * 7000 is Redis), then by port and protocol; -1 when none. */
int mr_xp_service_find(mr_xp_proto proto, uint16_t port, const char *exe,
                       const char *comm);

#endif
