/*
 * probe.c — asking a service of this machine whether it lets a stranger
 * in, the way a stranger would ask: Redis PING without AUTH, memcached
 * `stats` (TCP and UDP), Elasticsearch GET / without credentials, MongoDB
 * listDatabases without a login, an FTP login as "anonymous", SNMP's
 * sysDescr with the community "public", an SMTP server asked to relay
 * from one outside domain to another (EHLO, MAIL FROM, RCPT TO, QUIT:
 * never DATA). Each probe is one TCP
 * connection (or one UDP datagram) with a deadline for the whole exchange
 * (nonblocking connect, then poll), a bounded reply buffer, and a parser
 * of its own (pure functions: the fuzzer drives them). Nothing a service
 * answers is kept or reported but the verdict; mamori sends no secret.
 *
 * A listener on every address is asked through one of this machine's own
 * non-loopback addresses when there is one, so that a service that
 * trusts loopback (Redis's protected mode) answers as it would to another
 * host.
 */
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/probe.h"
#include "exposure/exposure.h"

#define XP_REPLY_MAX 4096       /* bytes of a reply read */
/* The relay question: names of RFC 2606's reserved domains, no mailbox
 * of anyone; nothing is sent to them (no DATA). */
#define XP_SMTP_HELO "mamori-check.invalid"
#define XP_SMTP_FROM "relay-check@example.com"
#define XP_SMTP_TO "relay-check@example.net"

/* ---- reply parsers ---------------------------------------------------- */

static int starts(const char *b, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && !memcmp(b, p, k);
}

mr_xp_auth mr_xp_redis_reply(const char *b, size_t n)
{
    if (starts(b, n, "+PONG"))
        return MR_XP_AUTH_NONE;
    /* -NOAUTH, -WRONGPASS; -DENIED: protected mode refuses strangers */
    if (starts(b, n, "-NOAUTH") || starts(b, n, "-WRONGPASS") ||
        starts(b, n, "-DENIED") || starts(b, n, "-ERR AUTH"))
        return MR_XP_AUTH_REQUIRED;
    return MR_XP_AUTH_UNPROBED;
}

mr_xp_auth mr_xp_memcached_reply(const char *b, size_t n)
{
    if (starts(b, n, "STAT "))
        return MR_XP_AUTH_NONE;
    /* with SASL on, every text command is refused */
    if (starts(b, n, "CLIENT_ERROR") || starts(b, n, "ERROR"))
        return MR_XP_AUTH_REQUIRED;
    return MR_XP_AUTH_UNPROBED;
}

mr_xp_auth mr_xp_http_reply(const char *b, size_t n)
{
    if (!starts(b, n, "HTTP/1."))
        return MR_XP_AUTH_UNPROBED;
    if (n < 12)
        return MR_XP_AUTH_UNPROBED;
    if (!memcmp(b + 8, " 200", 4))
        return MR_XP_AUTH_NONE;
    if (!memcmp(b + 8, " 401", 4) || !memcmp(b + 8, " 403", 4))
        return MR_XP_AUTH_REQUIRED;
    return MR_XP_AUTH_UNPROBED;
}

int mr_xp_ftp_code(const char *b, size_t n)
{
    /* the last line of a reply: "NNN text" (a "NNN-" line continues) */
    size_t i = 0;
    int code = 0;
    while (i < n) {
        const char *nl = memchr(b + i, '\n', n - i);
        if (!nl)
            break;                  /* an unfinished line: not yet */
        size_t len = (size_t)(nl - (b + i));
        if (len >= 4 && b[i] >= '1' && b[i] <= '5' && b[i + 1] >= '0' &&
            b[i + 1] <= '9' && b[i + 2] >= '0' && b[i + 2] <= '9' &&
            b[i + 3] == ' ')
            code = (b[i] - '0') * 100 + (b[i + 1] - '0') * 10 +
                   (b[i + 2] - '0');
        i += len + 1;
    }
    return code;
}

/* MongoDB's reply to listDatabases (OP_MSG, one body section): "ok" 1 is
 * a stranger listing the databases; ok 0 (code 13, Unauthorized) asks
 * for a login. Walks the top level of the BSON document only. */
mr_xp_auth mr_xp_mongo_reply(const uint8_t *b, size_t n)
{
    if (n < 21 + 5)
        return MR_XP_AUTH_UNPROBED;
    uint32_t opcode = (uint32_t)b[12] | (uint32_t)b[13] << 8 |
                      (uint32_t)b[14] << 16 | (uint32_t)b[15] << 24;
    if (opcode != 2013 || b[20] != 0)
        return MR_XP_AUTH_UNPROBED;
    const uint8_t *d = b + 21;
    size_t dn = n - 21;
    uint32_t dlen = (uint32_t)d[0] | (uint32_t)d[1] << 8 |
                    (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
    if (dlen < 5 || dlen > dn)
        return MR_XP_AUTH_UNPROBED;
    size_t i = 4;
    while (i < dlen - 1) {
        uint8_t type = d[i++];
        const uint8_t *name = d + i;
        const uint8_t *z = memchr(name, 0, dlen - i);
        if (!z)
            return MR_XP_AUTH_UNPROBED;
        i = (size_t)(z - d) + 1;
        size_t vlen;
        switch (type) {
        case 0x01: vlen = 8; break;          /* double */
        case 0x10: vlen = 4; break;          /* int32 */
        case 0x12: vlen = 8; break;          /* int64 */
        case 0x08: vlen = 1; break;          /* bool */
        case 0x0A: vlen = 0; break;          /* null */
        case 0x02: case 0x03: case 0x04: {   /* string, document, array */
            if (i + 4 > dlen)
                return MR_XP_AUTH_UNPROBED;
            uint32_t l = (uint32_t)d[i] | (uint32_t)d[i + 1] << 8 |
                         (uint32_t)d[i + 2] << 16 | (uint32_t)d[i + 3] << 24;
            vlen = (type == 0x02 ? 4 : 0) + (size_t)l;
            break;
        }
        default: return MR_XP_AUTH_UNPROBED;
        }
        if (vlen > dlen - i)
            return MR_XP_AUTH_UNPROBED;
        if (!strcmp((const char *)name, "ok")) {
            int ok = 0;
            if (type == 0x01) {
                double v;
                memcpy(&v, d + i, 8);
                ok = v == 1.0;
            } else if (type == 0x10 || type == 0x12 || type == 0x08) {
                ok = d[i] == 1;
            }
            return ok ? MR_XP_AUTH_NONE : MR_XP_AUTH_REQUIRED;
        }
        i += vlen;
    }
    return MR_XP_AUTH_UNPROBED;
}

/* An SNMP message that answers a GetRequest (RFC 3416: a GetResponse,
 * tag 0xA2, after the version and the community): the community sent
 * ("public") let a stranger read. */
mr_xp_auth mr_xp_snmp_reply(const uint8_t *b, size_t n)
{
    size_t i = 0;
    if (n < 2 || b[i++] != 0x30)
        return MR_XP_AUTH_UNPROBED;
    if (b[i] & 0x80) {                      /* long form length */
        size_t k = b[i] & 0x7f;
        if (k == 0 || k > 2)
            return MR_XP_AUTH_UNPROBED;
        i += 1 + k;
    } else {
        i++;
    }
    /* version: INTEGER; community: OCTET STRING */
    for (int want = 0x02; want <= 0x04; want += 2) {
        if (i + 2 > n || b[i] != want || (b[i + 1] & 0x80))
            return MR_XP_AUTH_UNPROBED;
        i += 2 + b[i + 1];
    }
    return i < n && b[i] == 0xA2 ? MR_XP_AUTH_NONE : MR_XP_AUTH_UNPROBED;
}

/* A DNS answer to a recursive query (RD set) for the root's NS: RA set
 * and no REFUSED is a resolver answering strangers (RFC 1035 4.1.1). */
mr_xp_auth mr_xp_dns_reply(const uint8_t *b, size_t n)
{
    if (n < 12 || !(b[2] & 0x80))                /* QR: a response */
        return MR_XP_AUTH_UNPROBED;
    int ra = (b[3] & 0x80) != 0, rcode = b[3] & 0x0f;
    return ra && rcode != 5 ? MR_XP_AUTH_NONE : MR_XP_AUTH_REQUIRED;
}

const uint8_t *mr_xp_udp_request(const char *service, size_t *len)
{
    /* SNMPv2c GetRequest sysDescr.0 with the community "public" */
    static const uint8_t snmp[] = {
        0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l',
        'i', 'c', 0xa0, 0x1c, 0x02, 0x04, 0x6d, 0x61, 0x6d, 0x6f,
        0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c,
        0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
        0x05, 0x00};
    /* DNS: id, RD, one question: ". NS IN" */
    static const uint8_t dns[] = {0x6d, 0x6d, 0x01, 0x00, 0, 1, 0, 0, 0, 0,
                                  0, 0, 0, 0, 2, 0, 1};
    /* NTP: a version 3 client request (mode 3), 48 bytes */
    static const uint8_t ntp[48] = {0x1b};
    /* memcached over UDP: the 8-byte frame header, then `stats` */
    static const uint8_t mc[] = {0, 1, 0, 0, 0, 1, 0, 0, 's', 't', 'a', 't',
                                 's', '\r', '\n'};
    if (!strcmp(service, "snmp")) {
        *len = sizeof(snmp);
        return snmp;
    }
    if (!strcmp(service, "dns")) {
        *len = sizeof(dns);
        return dns;
    }
    if (!strcmp(service, "ntp")) {
        *len = sizeof(ntp);
        return ntp;
    }
    if (!strcmp(service, "memcached-udp")) {
        *len = sizeof(mc);
        return mc;
    }
    *len = 0;
    return NULL;
}

mr_xp_auth mr_xp_udp_reply(const char *service, const uint8_t *b, size_t n)
{
    if (!strcmp(service, "snmp"))
        return mr_xp_snmp_reply(b, n);
    if (!strcmp(service, "dns"))
        return mr_xp_dns_reply(b, n);
    if (!strcmp(service, "memcached-udp"))
        return n > 8 ? mr_xp_memcached_reply((const char *)b + 8, n - 8)
                     : MR_XP_AUTH_UNPROBED;
    return MR_XP_AUTH_UNPROBED;
}

/* ---- the connection ---------------------------------------------------- */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct conn {
    int fd;
    int64_t deadline;
    char buf[XP_REPLY_MAX];
    size_t n;
} conn;

static int wait_for(conn *c, short events)
{
    for (;;) {
        int64_t left = c->deadline - now_ms();
        if (left <= 0)
            return -1;
        struct pollfd p = {c->fd, events, 0};
        int r = poll(&p, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        return r == 1 ? 0 : -1;
    }
}

static int open_conn(conn *c, int family, const uint8_t *addr, uint16_t port,
                     unsigned ms)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        memcpy(&s4->sin_addr, addr, 4);
        sl = sizeof(*s4);
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(port);
        memcpy(&s6->sin6_addr, addr, 16);
        sl = sizeof(*s6);
    }
    c->n = 0;
    c->deadline = now_ms() + ms;
    c->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    if (connect(c->fd, (struct sockaddr *)&ss, sl) != 0 &&
        errno != EINPROGRESS)
        return -1;
    if (wait_for(c, POLLOUT))
        return -1;
    int err = 0;
    socklen_t el = sizeof(err);
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) || err)
        return -1;
    return 0;
}

static int send_all(conn *c, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t w = send(c->fd, p, len, MSG_NOSIGNAL);
        if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_for(c, POLLOUT))
                return -1;
            continue;
        }
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Reads more of the reply (appending); -1 at the deadline, the end or a
 * full buffer. */
static int read_some(conn *c)
{
    if (c->n >= sizeof(c->buf) - 1 || wait_for(c, POLLIN))
        return -1;
    ssize_t r = recv(c->fd, c->buf + c->n, sizeof(c->buf) - 1 - c->n, 0);
    if (r <= 0)
        return -1;
    c->n += (size_t)r;
    c->buf[c->n] = '\0';
    return 0;
}

/* Reads until a whole line is there. */
static int read_line(conn *c)
{
    while (!memchr(c->buf, '\n', c->n))
        if (read_some(c))
            return -1;
    return 0;
}

static mr_xp_auth probe_line_cmd(conn *c, const char *cmd,
                                 mr_xp_auth (*parse)(const char *, size_t))
{
    if (send_all(c, cmd, strlen(cmd)) || read_line(c))
        return MR_XP_AUTH_UNPROBED;
    return parse(c->buf, c->n);
}

/* One FTP command; the code of its whole reply (0: none in time). */
static int ftp_cmd(conn *c, const char *cmd)
{
    c->n = 0;
    if (cmd && send_all(c, cmd, strlen(cmd)))
        return 0;
    int code;
    while (!(code = mr_xp_ftp_code(c->buf, c->n)))
        if (read_some(c))
            return 0;
    return code;
}

static mr_xp_auth probe_ftp(conn *c)
{
    if (ftp_cmd(c, NULL) != 220)
        return MR_XP_AUTH_UNPROBED;
    int code = ftp_cmd(c, "USER anonymous\r\n");
    if (code == 230)
        return MR_XP_AUTH_NONE;
    if (code == 331)
        code = ftp_cmd(c, "PASS mamori@example.invalid\r\n");
    if (code == 230)
        return MR_XP_AUTH_NONE;
    if (code == 530 || code == 331 || code == 332)
        return MR_XP_AUTH_REQUIRED;
    return MR_XP_AUTH_UNPROBED;
}

/* One SMTP command (NULL: the greeting); the code of its whole reply
 * (dns/smtp.c's bounded parser), 0 when none came in time or it was not
 * SMTP. */
static int smtp_cmd(conn *c, const char *cmd)
{
    mr_smtp_reply r;
    c->n = 0;
    if (cmd && send_all(c, cmd, strlen(cmd)))
        return 0;
    for (;;) {
        size_t used = 0;
        int k = mr_smtp_reply_parse(c->buf, c->n, &r, &used);
        if (k == 1)
            return r.code;
        if (k < 0 || read_some(c))
            return 0;
    }
}

mr_xp_auth mr_xp_smtp_rcpt(int code)
{
    if (code == 250 || code == 251)
        return MR_XP_AUTH_NONE;    /* it takes mail for another domain */
    if (code >= 500 && code < 600)
        return MR_XP_AUTH_REQUIRED;
    return MR_XP_AUTH_UNPROBED;    /* 4xx (greylisting) or no answer */
}

/* An open relay (RFC 5321, RFC 2505): a sender and a recipient of
 * domains other than the server's; a 250 to RCPT means it would carry
 * the mail. The message itself is never sent (no DATA), and the
 * conversation always ends with QUIT. */
static mr_xp_auth probe_smtp(conn *c)
{
    mr_xp_auth a = MR_XP_AUTH_UNPROBED;
    if (smtp_cmd(c, NULL) != 220)
        return a;
    int code = smtp_cmd(c, "EHLO " XP_SMTP_HELO "\r\n");
    if (code != 250)
        code = smtp_cmd(c, "HELO " XP_SMTP_HELO "\r\n");
    if (code == 250) {
        code = smtp_cmd(c, "MAIL FROM:<" XP_SMTP_FROM ">\r\n");
        if (code == 250)
            a = mr_xp_smtp_rcpt(smtp_cmd(c, "RCPT TO:<" XP_SMTP_TO ">\r\n"));
        else if (code >= 500 && code < 600)
            a = MR_XP_AUTH_REQUIRED;   /* 530: authenticate first */
    }
    (void)smtp_cmd(c, "QUIT\r\n");
    return a;
}

static mr_xp_auth probe_http(conn *c)
{
    static const char req[] = "GET / HTTP/1.0\r\nUser-Agent: mamori\r\n\r\n";
    if (send_all(c, req, sizeof(req) - 1) || read_line(c))
        return MR_XP_AUTH_UNPROBED;
    return mr_xp_http_reply(c->buf, c->n);
}

static mr_xp_auth probe_mongo(conn *c)
{
    /* OP_MSG {listDatabases: 1, nameOnly: true, $db: "admin"} */
    static const uint8_t doc[] = {
        0x32, 0, 0, 0,
        0x10, 'l', 'i', 's', 't', 'D', 'a', 't', 'a', 'b', 'a', 's', 'e',
        's', 0, 1, 0, 0, 0,
        0x08, 'n', 'a', 'm', 'e', 'O', 'n', 'l', 'y', 0, 1,
        0x02, '$', 'd', 'b', 0, 6, 0, 0, 0, 'a', 'd', 'm', 'i', 'n', 0,
        0};
    _Static_assert(sizeof(doc) == 0x32, "the BSON length above");
    uint8_t msg[21 + sizeof(doc)];
    uint32_t len = (uint32_t)sizeof(msg);
    memset(msg, 0, sizeof(msg));
    for (int i = 0; i < 4; i++) {
        msg[i] = (uint8_t)(len >> (8 * i));
        msg[12 + i] = (uint8_t)(2013u >> (8 * i));
    }
    msg[4] = 1;                       /* requestID */
    memcpy(msg + 21, doc, sizeof(doc));
    if (send_all(c, msg, sizeof(msg)))
        return MR_XP_AUTH_UNPROBED;
    for (;;) {
        if (c->n >= 4) {
            uint32_t want = (uint32_t)(uint8_t)c->buf[0] |
                            (uint32_t)(uint8_t)c->buf[1] << 8 |
                            (uint32_t)(uint8_t)c->buf[2] << 16 |
                            (uint32_t)(uint8_t)c->buf[3] << 24;
            if (want > sizeof(c->buf) - 1 || c->n >= want)
                break;
        }
        if (read_some(c))
            return MR_XP_AUTH_UNPROBED;
    }
    return mr_xp_mongo_reply((const uint8_t *)c->buf, c->n);
}

/* This machine's first non-loopback address of the family, to reach a
 * listener on every address as another host would. */
static int own_address(int family, uint8_t *out)
{
    struct ifaddrs *ifa = NULL, *i;
    int found = 0;
    if (getifaddrs(&ifa) != 0)
        return 0;
    for (i = ifa; i && !found; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != family)
            continue;
        const uint8_t *a =
            family == AF_INET
                ? (const uint8_t *)&((struct sockaddr_in *)(void *)i->ifa_addr)
                      ->sin_addr
                : (const uint8_t *)&((struct sockaddr_in6 *)(void *)i->ifa_addr)
                      ->sin6_addr;
        /* link-local IPv6 needs a scope id: leave it */
        if (mr_xp_scope_of(family, a) != MR_XP_ADDRESS ||
            (family == AF_INET6 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
            continue;
        memcpy(out, a, family == AF_INET ? 4 : 16);
        found = 1;
    }
    freeifaddrs(ifa);
    return found;
}

int mr_xp_probe_known(const char *service)
{
    static const char *const known[] = {"redis", "memcached", "ftp",
                                        "elasticsearch", "couchdb",
                                        "mongodb", "ssh", "snmp",
                                        "memcached-udp", "dns", "smtp",
                                        NULL};
    for (size_t i = 0; known[i]; i++)
        if (!strcmp(known[i], service))
            return 1;
    return 0;
}

/* One UDP request and its answer within ms; the answer's bytes in c. */
static int udp_exchange(conn *c, int family, const uint8_t *addr,
                        uint16_t port, const void *req, size_t len,
                        unsigned ms)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET) {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        s4->sin_port = htons(port);
        memcpy(&s4->sin_addr, addr, 4);
        sl = sizeof(*s4);
    } else {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        s6->sin6_port = htons(port);
        memcpy(&s6->sin6_addr, addr, 16);
        sl = sizeof(*s6);
    }
    c->n = 0;
    c->deadline = now_ms() + ms;
    c->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&ss, sl) != 0 ||
        send(c->fd, req, len, 0) != (ssize_t)len || wait_for(c, POLLIN))
        return -1;
    ssize_t r = recv(c->fd, c->buf, sizeof(c->buf) - 1, 0);
    if (r <= 0)
        return -1;
    c->n = (size_t)r;
    return 0;
}

static mr_xp_auth probe_udp(conn *c, const mr_xp_listener *l,
                            const uint8_t *addr, const char *service,
                            unsigned ms)
{
    size_t len;
    const uint8_t *req = mr_xp_udp_request(service, &len);
    if (!req || udp_exchange(c, l->family, addr, l->port, req, len, ms))
        return MR_XP_AUTH_UNPROBED;
    return mr_xp_udp_reply(service, (const uint8_t *)c->buf, c->n);
}

/* Where to ask l: its own address, or for a listener on every address
 * one of this machine's (loopback when it has no other). */
static void target_addr(const mr_xp_listener *l, uint8_t addr[16])
{
    memcpy(addr, l->addr, 16);
    if (l->scope == MR_XP_ALL && !own_address(l->family, addr)) {
        memset(addr, 0, 16);
        if (l->family == AF_INET) {
            addr[0] = 127;
            addr[3] = 1;
        } else {
            addr[15] = 1;
        }
    }
}

void mr_xp_banner_read(mr_xp_listener *l, unsigned ms)
{
    static const char head[] = "HEAD / HTTP/1.0\r\nUser-Agent: mamori\r\n\r\n";
    if (l->proto != MR_XP_TCP || l->banner_kind == MR_XP_BANNER_NONE)
        return;
    uint8_t addr[16];
    target_addr(l, addr);
    conn *c = malloc(sizeof(*c));
    if (!c)
        return;
    c->fd = -1;
    if (open_conn(c, l->family, addr, l->port, ms) == 0) {
        c->buf[0] = '\0';
        if (l->banner_kind == MR_XP_BANNER_HTTP) {
            /* the response's headers: until the blank line, the end,
             * the deadline or a full buffer */
            if (send_all(c, head, sizeof(head) - 1) == 0)
                while (!strstr(c->buf, "\r\n\r\n") && !read_some(c))
                    ;
        } else {
            (void)read_line(c);
        }
        (void)mr_xp_banner_parse(l->banner_kind, c->buf, c->n, &l->ver);
        if (l->banner_kind == MR_XP_BANNER_FTP ||
            l->banner_kind == MR_XP_BANNER_SMTP)
            (void)send_all(c, "QUIT\r\n", 6);   /* politely, unanswered */
    }
    if (c->fd >= 0)
        close(c->fd);
    explicit_bzero(c->buf, sizeof(c->buf));
    free(c);
}

mr_xp_auth mr_xp_probe(const mr_xp_listener *l, const char *service,
                       unsigned ms)
{
    if (!mr_xp_probe_known(service))
        return MR_XP_AUTH_UNPROBED;
    size_t ulen;
    int udp = mr_xp_udp_request(service, &ulen) != NULL;
    if (udp != (l->proto == MR_XP_UDP))
        return MR_XP_AUTH_UNPROBED;
    uint8_t addr[16];
    target_addr(l, addr);
    if (!strcmp(service, "ssh"))
        return mr_xp_probe_ssh(l->family, addr, l->port, ms);
    conn *c = malloc(sizeof(*c));
    if (!c)
        return MR_XP_AUTH_UNPROBED;
    mr_xp_auth a = MR_XP_AUTH_UNPROBED;
    c->fd = -1;
    if (udp) {
        a = probe_udp(c, l, addr, service, ms);
    } else if (open_conn(c, l->family, addr, l->port, ms) == 0) {
        if (!strcmp(service, "redis"))
            a = probe_line_cmd(c, "PING\r\n", mr_xp_redis_reply);
        else if (!strcmp(service, "memcached"))
            a = probe_line_cmd(c, "stats\r\n", mr_xp_memcached_reply);
        else if (!strcmp(service, "ftp"))
            a = probe_ftp(c);
        else if (!strcmp(service, "mongodb"))
            a = probe_mongo(c);
        else if (!strcmp(service, "smtp"))
            a = probe_smtp(c);
        else
            a = probe_http(c);
    }
    if (c->fd >= 0)
        close(c->fd);
    explicit_bzero(c->buf, sizeof(c->buf));   /* replies may hold data */
    free(c);
    return a;
}
