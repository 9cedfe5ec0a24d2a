/*
 * probe.c — one DNS question straight to one nameserver (see probe.h):
 * the resolver cannot say whether a particular server answers with
 * authority, recurses for strangers or hands out its zone, so these
 * probes build the query themselves and read only the reply's header.
 * UDP for ordinary questions, TCP (with its two-byte length) for AXFR,
 * where the first message tells refused from allowed. Sockets are
 * non-blocking and every wait is bounded by the caller's deadline.
 */
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/probe.h"
#include "dns/resolver.h"

#define MR_DNS_HEADER_LEN 12
#define MR_DNS_WIRE_NAME_MAX 255

int mr_probe_parse_reply(const unsigned char *msg, size_t len, uint16_t id,
                         mr_probe_reply *out)
{
    memset(out, 0, sizeof *out);
    if (msg == NULL || len < MR_DNS_HEADER_LEN)
        return MR_PROBE_MALFORMED;
    uint16_t got = (uint16_t)(msg[0] << 8 | msg[1]);
    if (got != id || (msg[2] & 0x80) == 0)        /* id, QR */
        return MR_PROBE_MALFORMED;
    out->aa = (msg[2] & 0x04) != 0;
    out->tc = (msg[2] & 0x02) != 0;
    out->ra = (msg[3] & 0x80) != 0;
    out->rcode = msg[3] & 0x0f;
    out->ancount = (unsigned)(msg[6] << 8 | msg[7]);
    return MR_PROBE_OK;
}

size_t mr_probe_build_query(unsigned char *buf, size_t cap, uint16_t id,
                            const char *name, int type, bool rd)
{
    size_t o = MR_DNS_HEADER_LEN, wire = 1;
    if (cap < MR_DNS_HEADER_LEN + MR_DNS_WIRE_NAME_MAX + 4)
        return 0;
    memset(buf, 0, MR_DNS_HEADER_LEN);
    buf[0] = (unsigned char)(id >> 8);
    buf[1] = (unsigned char)id;
    buf[2] = rd ? 0x01 : 0x00;
    buf[5] = 1;                                   /* QDCOUNT */
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        if (l == 0 && dot && dot[1] == '\0' && p == name)
            break;                                /* "." : the root */
        if (l == 0 || l > MR_DNS_LABEL_MAX)
            return 0;
        wire += l + 1;
        if (wire > MR_DNS_WIRE_NAME_MAX)
            return 0;
        buf[o++] = (unsigned char)l;
        memcpy(buf + o, p, l);
        o += l;
        if (dot == NULL)
            break;
        p = dot + 1;
    }
    buf[o++] = 0;
    buf[o++] = (unsigned char)(type >> 8);
    buf[o++] = (unsigned char)type;
    buf[o++] = 0;
    buf[o++] = 1;                                 /* class IN */
    return o;
}

int mr_probe_wait(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - mr_now_ms();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {fd, events, 0};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            return 0;
        return 1;
    }
}

int mr_probe_connect(const mr_ip *ip, unsigned port, bool stream,
                     int64_t deadline)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof ss);
    if (ip->family == 4) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        memcpy(&a->sin_addr, ip->b, 4);
        sl = sizeof *a;
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        memcpy(&a->sin6_addr, ip->b, 16);
        sl = sizeof *a;
    }
    int fd = socket(ss.ss_family, (stream ? SOCK_STREAM : SOCK_DGRAM) |
                    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return MR_PROBE_ERROR;
    if (connect(fd, (struct sockaddr *)&ss, sl) == 0)
        return fd;
    if (errno != EINPROGRESS) {
        int e = errno;
        close(fd);
        return e == ECONNREFUSED ? MR_PROBE_REFUSED : MR_PROBE_ERROR;
    }
    int w = mr_probe_wait(fd, POLLOUT, deadline);
    int soerr = 0;
    socklen_t el = sizeof soerr;
    if (w <= 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &el) != 0 ||
        soerr != 0) {
        close(fd);
        if (w == 0)
            return MR_PROBE_TIMEOUT;
        return soerr == ECONNREFUSED ? MR_PROBE_REFUSED : MR_PROBE_ERROR;
    }
    return fd;
}

/* Reads exactly n bytes before deadline: 0, or MR_PROBE_*. */
static int read_full(int fd, unsigned char *buf, size_t n, int64_t deadline)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r > 0) {
            got += (size_t)r;
            continue;
        }
        if (r == 0)
            return MR_PROBE_ERROR;                /* closed early */
        if (errno != EAGAIN && errno != EINTR)
            return errno == ECONNREFUSED ? MR_PROBE_REFUSED : MR_PROBE_ERROR;
        int w = mr_probe_wait(fd, POLLIN, deadline);
        if (w <= 0)
            return w == 0 ? MR_PROBE_TIMEOUT : MR_PROBE_ERROR;
    }
    return 0;
}

static uint16_t query_id(void)
{
    uint16_t id;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0 || read(fd, &id, sizeof id) != (ssize_t)sizeof id)
        id = (uint16_t)(mr_now_ms() * 2654435761u >> 7);
    if (fd >= 0)
        close(fd);
    return id;
}

int mr_probe_dns(const mr_ip *ip, unsigned port, const char *name, int type,
                 bool rd, unsigned timeout_ms, mr_probe_reply *out)
{
    unsigned char q[2 + MR_DNS_HEADER_LEN + MR_DNS_WIRE_NAME_MAX + 8];
    unsigned char msg[MR_PROBE_MSG_MAX];
    bool tcp = type == MR_DNS_T_AXFR;
    int64_t deadline = mr_now_ms() + timeout_ms;
    uint16_t id = query_id();

    memset(out, 0, sizeof *out);
    size_t ql = mr_probe_build_query(q + 2, sizeof q - 2, id, name, type, rd);
    if (ql == 0)
        return MR_PROBE_ERROR;
    q[0] = (unsigned char)(ql >> 8);
    q[1] = (unsigned char)ql;
    int fd = mr_probe_connect(ip, port, tcp, deadline);
    if (fd < 0)
        return fd;
    int ret;
    const unsigned char *send_from = tcp ? q : q + 2;
    size_t send_len = tcp ? ql + 2 : ql;
    ssize_t s = send(fd, send_from, send_len, MSG_NOSIGNAL);
    if (s != (ssize_t)send_len) {
        ret = errno == ECONNREFUSED ? MR_PROBE_REFUSED : MR_PROBE_ERROR;
        goto out;
    }
    if (tcp) {
        unsigned char lenb[2];
        if ((ret = read_full(fd, lenb, 2, deadline)) != 0)
            goto out;
        size_t ml = (size_t)(lenb[0] << 8 | lenb[1]);
        if (ml < MR_DNS_HEADER_LEN) {
            ret = MR_PROBE_MALFORMED;
            goto out;
        }
        /* The header is all we judge; the rest of the zone is not read. */
        if ((ret = read_full(fd, msg, MR_DNS_HEADER_LEN, deadline)) != 0)
            goto out;
        ret = mr_probe_parse_reply(msg, MR_DNS_HEADER_LEN, id, out);
        goto out;
    }
    for (;;) {   /* UDP: skip stray datagrams that are not our reply */
        ssize_t r = recv(fd, msg, sizeof msg, 0);
        if (r >= 0) {
            ret = mr_probe_parse_reply(msg, (size_t)r, id, out);
            if (ret == MR_PROBE_OK)
                goto out;
            continue;
        }
        if (errno == ECONNREFUSED) {
            ret = MR_PROBE_REFUSED;
            goto out;
        }
        if (errno != EAGAIN && errno != EINTR) {
            ret = MR_PROBE_ERROR;
            goto out;
        }
        int w = mr_probe_wait(fd, POLLIN, deadline);
        if (w <= 0) {
            ret = w == 0 ? MR_PROBE_TIMEOUT : MR_PROBE_ERROR;
            goto out;
        }
    }
out:
    close(fd);
    return ret;
}
