/*
 * listen.c — the listening sockets of this machine, TCP and UDP, IPv4 and
 * IPv6: first through netlink NETLINK_SOCK_DIAG (inet_diag: one dump per
 * protocol and family, the kernel filtering by state), which is what
 * ss(8) reads and costs one round trip; when netlink is refused (a
 * seccomp filter, an old kernel), the caller parses /proc/net/tcp, tcp6,
 * udp and udp6 with mr_xp_parse_proc_net(). Both give the same listener:
 * address, port and the socket's inode, which proc.c maps to a process.
 */
#include "common.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "exposure/exposure.h"

#define XP_NL_BUF (32 * 1024)     /* one netlink read */
#define XP_TCP_LISTEN 10          /* TCP_LISTEN in the kernel's states */
#define XP_UDP_CLOSE 7            /* an unconnected UDP socket */
#define XP_NL_DEADLINE_READS 4096 /* reads of one dump at most */

/* ---- the list -------------------------------------------------------- */

mr_xp_scope mr_xp_scope_of(int family, const uint8_t *a)
{
    static const uint8_t zero[16];
    if (family == AF_INET) {
        if (a[0] == 127)
            return MR_XP_LOOPBACK;
        return memcmp(a, zero, 4) ? MR_XP_ADDRESS : MR_XP_ALL;
    }
    if (!memcmp(a, zero, 16))
        return MR_XP_ALL;
    if (!memcmp(a, zero, 15) && a[15] == 1)
        return MR_XP_LOOPBACK;
    /* ::ffff:127.x.y.z, an IPv4 loopback address in IPv6 clothes */
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0xff, 0xff};
    if (!memcmp(a, mapped, 12))
        return a[12] == 127 ? MR_XP_LOOPBACK : MR_XP_ADDRESS;
    return MR_XP_ADDRESS;
}

const char *mr_xp_scope_name(mr_xp_scope s)
{
    switch (s) {
    case MR_XP_LOOPBACK: return "loopback";
    case MR_XP_ALL: return "all";
    default: return "address";
    }
}

const char *mr_xp_filtered_name(mr_xp_filtered f)
{
    switch (f) {
    case MR_XP_FILTER_NO: return "false";
    case MR_XP_FILTER_YES: return "true";
    default: return "unknown";
    }
}

mamori_err mr_xp_list_add(mr_xp_list *list, const mr_xp_listener *l)
{
    if (list->n >= MR_XP_LISTENERS_MAX) {
        list->dropped++;
        return MAMORI_OK;
    }
    if (list->n == list->cap) {
        size_t ncap = list->cap ? list->cap * 2 : 64;
        mr_xp_listener *nv = realloc(list->v, ncap * sizeof(*nv));
        if (!nv)
            return MAMORI_E_NOMEM;
        list->v = nv;
        list->cap = ncap;
    }
    mr_xp_listener *d = &list->v[list->n++];
    *d = *l;
    d->scope = mr_xp_scope_of(l->family, l->addr);
    if (!inet_ntop(l->family, l->addr, d->address, sizeof(d->address)))
        snprintf(d->address, sizeof(d->address), "?");
    d->service = -1;
    return MAMORI_OK;
}

static int cmp_listener(const void *pa, const void *pb)
{
    const mr_xp_listener *a = pa, *b = pb;
    if (a->proto != b->proto)
        return a->proto < b->proto ? -1 : 1;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    if (a->family != b->family)
        return a->family == AF_INET ? -1 : 1;
    int c = memcmp(a->addr, b->addr, 16);
    if (c)
        return c;
    return a->inode < b->inode ? -1 : a->inode > b->inode;
}

void mr_xp_list_sort(mr_xp_list *list)
{
    if (list->n < 2)
        return;
    qsort(list->v, list->n, sizeof(*list->v), cmp_listener);
    size_t w = 1;
    for (size_t i = 1; i < list->n; i++) {
        const mr_xp_listener *p = &list->v[w - 1], *c = &list->v[i];
        if (p->proto == c->proto && p->port == c->port &&
            p->family == c->family && !memcmp(p->addr, c->addr, 16))
            continue;
        list->v[w++] = list->v[i];
    }
    list->n = w;
}

void mr_xp_list_free(mr_xp_list *list)
{
    free(list->v);
    memset(list, 0, sizeof(*list));
}

/* ---- netlink sock_diag ----------------------------------------------- */

typedef struct nl_req {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 r;
} nl_req;

/* One dump: every socket of proto and family in the states asked, read
 * into buf (XP_NL_BUF bytes, aligned for nlmsghdr). */
static mamori_err dump(int fd, char *buf, mr_xp_list *list,
                       mr_xp_proto proto, int family)
{
    nl_req req;
    memset(&req, 0, sizeof(req));
    req.nlh.nlmsg_len = sizeof(req);
    req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.r.sdiag_family = (uint8_t)family;
    req.r.sdiag_protocol = proto == MR_XP_TCP ? IPPROTO_TCP : IPPROTO_UDP;
    req.r.idiag_states =
        1u << (proto == MR_XP_TCP ? XP_TCP_LISTEN : XP_UDP_CLOSE);
    struct sockaddr_nl sa;
    memset(&sa, 0, sizeof(sa));
    sa.nl_family = AF_NETLINK;
    if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
               sizeof(sa)) < 0)
        return MAMORI_E_IO;
    for (int reads = 0; reads < XP_NL_DEADLINE_READS; reads++) {
        ssize_t n = recv(fd, buf, XP_NL_BUF, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return MAMORI_E_IO;
        size_t left = (size_t)n;
        /* NLMSG_NEXT by hand: through void * (the buffer is malloc'd and
         * each message NLMSG_ALIGNTO-aligned within it), and never past
         * the bytes received when the last one's padding is missing. */
        for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, left);
             left = NLMSG_ALIGN(h->nlmsg_len) < left ? left - NLMSG_ALIGN(h->nlmsg_len) : 0,
             h = left ? (void *)((char *)h + NLMSG_ALIGN(h->nlmsg_len)) : h) {
            if (h->nlmsg_type == NLMSG_DONE)
                return MAMORI_OK;
            if (h->nlmsg_type == NLMSG_ERROR) {
                errno = EPROTO;
                return MAMORI_E_IO;
            }
            if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
                h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
                continue;
            const struct inet_diag_msg *m = NLMSG_DATA(h);
            /* a UDP socket connected to one peer serves no stranger */
            if (proto == MR_XP_UDP && m->id.idiag_dport != 0)
                continue;
            mr_xp_listener l;
            memset(&l, 0, sizeof(l));
            l.proto = proto;
            l.family = m->idiag_family;
            memcpy(l.addr, m->id.idiag_src, l.family == AF_INET ? 4 : 16);
            l.port = ntohs(m->id.idiag_sport);
            l.inode = m->idiag_inode;
            mamori_err e = mr_xp_list_add(list, &l);
            if (e)
                return e;
        }
    }
    errno = EOVERFLOW;
    return MAMORI_E_IO;
}

mamori_err mr_xp_read_netlink(mr_xp_list *list)
{
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return MAMORI_E_IO;
    static const struct {
        mr_xp_proto proto;
        int family;
    } dumps[] = {{MR_XP_TCP, AF_INET}, {MR_XP_TCP, AF_INET6},
                 {MR_XP_UDP, AF_INET}, {MR_XP_UDP, AF_INET6}};
    /* malloc'd: aligned for any type, and no state shared between runs */
    char *buf = malloc(XP_NL_BUF);
    if (!buf) {
        close(fd);
        return MAMORI_E_NOMEM;
    }
    mamori_err e = MAMORI_OK;
    for (size_t i = 0; i < MR_ARRAY_LEN(dumps) && !e; i++)
        e = dump(fd, buf, list, dumps[i].proto, dumps[i].family);
    int err = errno;
    free(buf);
    close(fd);
    errno = err;
    return e;
}

/* ---- /proc/net ----------------------------------------------------- */

/* n hex digits at *p into v (at most 16). */
static int hex_field(const char **p, const char *end, size_t n, uint64_t *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (*p >= end)
            return -1;
        int c = (unsigned char)**p, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            return -1;
        *v = *v << 4 | (uint64_t)d;
        (*p)++;
    }
    return 0;
}

static void skip_spaces(const char **p, const char *end)
{
    while (*p < end && **p == ' ')
        (*p)++;
}

/* The next blank-separated field: [*p, returned end). */
static const char *field_end(const char *p, const char *end)
{
    while (p < end && *p != ' ')
        p++;
    return p;
}

/* "  0: 0100007F:1F90 00000000:0000 0A ... uid timeout inode ...": the
 * kernel prints each 32-bit word of the address in host order. */
static int parse_line(const char *p, const char *end, mr_xp_proto proto,
                      int family, mr_xp_listener *l)
{
    memset(l, 0, sizeof(*l));
    l->proto = proto;
    l->family = family;
    skip_spaces(&p, end);
    const char *f = field_end(p, end);          /* "sl:" */
    if (f == p || f[-1] != ':')
        return -1;
    p = f;
    skip_spaces(&p, end);
    size_t words = family == AF_INET ? 1 : 4;
    for (size_t w = 0; w < words; w++) {
        uint64_t v;
        if (hex_field(&p, end, 8, &v))
            return -1;
        uint32_t word = (uint32_t)v;
        memcpy(l->addr + 4 * w, &word, 4);      /* host order, as kept */
    }
    uint64_t port, state, dport;
    if (p >= end || *p++ != ':' || hex_field(&p, end, 4, &port))
        return -1;
    l->port = (uint16_t)port;
    skip_spaces(&p, end);
    const char *rs = p;
    p = field_end(p, end);                      /* remote address */
    if (p - rs < 5 || p[-5] != ':')
        return -1;
    const char *dp = p - 4;
    if (hex_field(&dp, p, 4, &dport))
        return -1;
    skip_spaces(&p, end);
    if (hex_field(&p, end, 2, &state))
        return -1;
    if (proto == MR_XP_TCP ? state != 0x0A : (state != 0x07 || dport))
        return 1;                               /* not a listener */
    /* tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode */
    for (int i = 0; i < 6; i++) {
        skip_spaces(&p, end);
        const char *e = field_end(p, end);
        if (e == p)
            return -1;
        if (i < 5) {
            p = e;
            continue;
        }
        uint64_t inode = 0;
        for (const char *q = p; q < e; q++) {
            if (*q < '0' || *q > '9' || inode > UINT64_MAX / 10 - 9)
                return -1;
            inode = inode * 10 + (uint64_t)(*q - '0');
        }
        l->inode = inode;
    }
    return 0;
}

mamori_err mr_xp_parse_proc_net(mr_xp_list *list, mr_xp_proto proto,
                                int family, const char *data, size_t len,
                                uint64_t *bad)
{
    const char *p = data, *end = data + len;
    int first = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (first) {
            first = 0;                          /* the heading */
        } else if (le > p) {
            mr_xp_listener l;
            int r = parse_line(p, le, proto, family, &l);
            if (r < 0)
                (*bad)++;
            else if (r == 0) {
                mamori_err e = mr_xp_list_add(list, &l);
                if (e)
                    return e;
            }
        }
        p = nl ? nl + 1 : end;
    }
    return MAMORI_OK;
}
