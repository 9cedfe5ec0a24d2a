/*
 * scan.c — `mamori exposure --scan`: a TCP connect scan of the hosts and
 * ranges the user names (their own), as `nmap -sT` does it: nonblocking
 * connects, at most `concurrency` in flight (one epoll set), started no
 * faster than `rate` per second (a token bucket), each with its own
 * deadline, every host with a deadline for all its ports; an open port is
 * then given `banner_ms` to speak first (SSH, FTP, SMTP say who they are),
 * and its first line is kept, made printable. Nothing outside the targets
 * given is ever connected to.
 *
 * The ports: a list ("22,80,8000-8100") or, by default, the most frequent
 * TCP ports of nmap's nmap-services (Debian's nmap-common, read at run
 * time through the sysroot when present) together with every port of the
 * risky-service catalogue.
 */
#include "common.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "exposure/exposure.h"
#include "host/sysroot.h"

#define XP_NMAP_SERVICES "/usr/share/nmap/nmap-services"
#define XP_NMAP_MAX (4u * 1024 * 1024)  /* nmap-services is ~1 MB */
#define XP_EVENTS 256                    /* epoll events per wait */
#define XP_FD_RESERVE 64                 /* descriptors left to the rest */

/* ---- targets and ports ---------------------------------------------- */

mamori_err mr_xp_target_parse(const char *s, mr_xp_target *t)
{
    char addr[MR_XP_ADDR_MAX];
    memset(t, 0, sizeof(*t));
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof(addr))
        return MAMORI_E_INVAL;
    memcpy(addr, s, n);
    addr[n] = '\0';
    if (inet_pton(AF_INET, addr, t->addr) == 1)
        t->family = AF_INET;
    else if (inet_pton(AF_INET6, addr, t->addr) == 1)
        t->family = AF_INET6;
    else
        return MAMORI_E_INVAL;
    unsigned bits = t->family == AF_INET ? 32 : 128;
    unsigned long prefix = bits;
    if (slash) {
        char *end = NULL;
        errno = 0;
        prefix = strtoul(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end || prefix > bits)
            return MAMORI_E_INVAL;
    }
    /* a range of at most MR_XP_SCAN_HOSTS_MAX hosts */
    if (bits - prefix > 16)
        return MAMORI_E_TOO_LARGE;
    t->prefix = (unsigned)prefix;
    t->hosts = 1u << (bits - prefix);
    /* the first host of the range: host bits cleared */
    for (unsigned b = (unsigned)prefix; b < bits; b++)
        t->addr[b / 8] &= (uint8_t)~(0x80u >> (b % 8));
    return MAMORI_OK;
}

/* The k-th host of t. */
static void host_at(const mr_xp_target *t, uint32_t k, uint8_t *out)
{
    int last = t->family == AF_INET ? 3 : 15;
    memcpy(out, t->addr, 16);
    uint32_t carry = k;
    for (int i = last; i >= 0 && carry; i--) {
        uint32_t v = (uint32_t)out[i & 15] + (carry & 0xff);
        out[i & 15] = (uint8_t)v;
        carry = (carry >> 8) + (v >> 8);
    }
}

static int cmp_port(const void *a, const void *b)
{
    uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts and removes duplicates. */
static void unique_ports(uint16_t *p, size_t *n)
{
    if (*n < 2)
        return;
    qsort(p, *n, sizeof(*p), cmp_port);
    size_t w = 1;
    for (size_t i = 1; i < *n; i++)
        if (p[i] != p[w - 1])
            p[w++] = p[i];
    *n = w;
}

mamori_err mr_xp_ports_parse(const char *spec, uint16_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    uint16_t *p = malloc(65536 * sizeof(*p));
    if (!p)
        return MAMORI_E_NOMEM;
    size_t k = 0;
    const char *s = spec;
    while (*s) {
        char *end = NULL;
        errno = 0;
        unsigned long lo = strtoul(s, &end, 10), hi;
        if (errno || end == s || lo == 0 || lo > 65535)
            goto bad;
        hi = lo;
        s = end;
        if (*s == '-') {
            hi = strtoul(s + 1, &end, 10);
            if (errno || end == s + 1 || hi < lo || hi > 65535)
                goto bad;
            s = end;
        }
        for (unsigned long v = lo; v <= hi && k < 65536; v++)
            p[k++] = (uint16_t)v;
        if (*s == ',')
            s++;
        else if (*s)
            goto bad;
    }
    if (!k)
        goto bad;
    unique_ports(p, &k);
    *out = p;
    *n = k;
    return MAMORI_OK;
bad:
    free(p);
    return MAMORI_E_INVAL;
}

typedef struct freq_port {
    double freq;
    uint16_t port;
} freq_port;

static int cmp_freq(const void *a, const void *b)
{
    const freq_port *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq > y->freq ? -1 : 1;
    return x->port < y->port ? -1 : x->port > y->port;
}

/* "name  port/tcp  0.001234  # comment" lines of nmap-services. */
static size_t nmap_top(const char *data, size_t len, size_t top,
                       uint16_t *out)
{
    freq_port *fp = malloc(65536 * sizeof(*fp));
    if (!fp)
        return 0;
    size_t n = 0;
    const char *p = data, *end = data + len;
    while (p < end && n < 65536) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *q = p;
        while (q < le && *q != ' ' && *q != '\t')
            q++;                                    /* the name */
        while (q < le && (*q == ' ' || *q == '\t'))
            q++;
        unsigned long port = 0;
        const char *d = q;
        while (d < le && *d >= '0' && *d <= '9' && port <= 65535)
            port = port * 10 + (unsigned long)(*d++ - '0');
        if (*p != '#' && d > q && port >= 1 && port <= 65535 &&
            le - d > 4 && !memcmp(d, "/tcp", 4)) {
            char num[32];
            d += 4;
            while (d < le && (*d == ' ' || *d == '\t'))
                d++;
            size_t k = 0;
            while (d < le && k + 1 < sizeof(num) &&
                   ((*d >= '0' && *d <= '9') || *d == '.'))
                num[k++] = *d++;
            num[k] = '\0';
            char *e = NULL;
            double f = k ? strtod(num, &e) : 0;
            if (k && e && *e == '\0')
                fp[n++] = (freq_port){f, (uint16_t)port};
        }
        p = nl ? nl + 1 : end;
    }
    qsort(fp, n, sizeof(*fp), cmp_freq);
    size_t k = MR_MIN(n, top);
    for (size_t i = 0; i < k; i++)
        out[i] = fp[i].port;
    free(fp);
    return k;
}

mamori_err mr_xp_ports_top(const mamori_sysroot *sr, size_t top,
                           uint16_t **out, size_t *n, int *from_nmap)
{
    *out = NULL;
    *n = 0;
    *from_nmap = 0;
    uint16_t *p = malloc(65536 * sizeof(*p));
    if (!p)
        return MAMORI_E_NOMEM;
    size_t k = 0;
    char *data = NULL;
    size_t len = 0;
    if (mr_sysroot_read(sr, XP_NMAP_SERVICES, XP_NMAP_MAX, &data, &len) ==
        MAMORI_OK) {
        k = nmap_top(data, len, MR_MIN(top, (size_t)60000), p);
        *from_nmap = k > 0;
        free(data);
    }
    size_t nsvc;
    const mr_xp_service *svc = mr_xp_services(&nsvc);
    for (size_t i = 0; i < nsvc; i++) {
        if (svc[i].proto != MR_XP_TCP)
            continue;
        const char *s = svc[i].ports;
        while (*s && k < 65536) {
            char *end = NULL;
            unsigned long v = strtoul(s, &end, 10);
            if (end == s)
                break;
            if (v >= 1 && v <= 65535)
                p[k++] = (uint16_t)v;
            s = end;
            while (*s == ' ')
                s++;
        }
    }
    unique_ports(p, &k);
    *out = p;
    *n = k;
    return MAMORI_OK;
}

/* ---- the scan ------------------------------------------------------- */

enum { SLOT_FREE = 0, SLOT_CONNECTING, SLOT_BANNER };

typedef struct slot {
    int fd, state;
    size_t host;               /* index into hosts started */
    uint8_t addr[16];
    int family;
    uint16_t port;
    int64_t deadline;
    size_t n;
    char banner[MR_XP_BANNER_MAX];
} slot;

typedef struct scan {
    const mr_xp_target *t;
    size_t nt;
    const uint16_t *ports;
    size_t np;
    const mr_xp_scan_cfg *cfg;
    mr_xp_open_fn fn;
    void *user;
    mr_xp_scan_stats *st;
    /* the next (target, host, port) to start */
    size_t ti;
    uint32_t hi;
    size_t pi;
    int64_t host_start;        /* when the current host's first port began */
    int64_t t0;
    int stopped;
} scan;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int more(const scan *s)
{
    return s->ti < s->nt;
}

/* Moves to the next host. */
static void next_host(scan *s)
{
    s->pi = 0;
    s->host_start = 0;
    if (++s->hi >= s->t[s->ti].hosts) {
        s->hi = 0;
        s->ti++;
    }
}

/* Keeps the printable bytes of a banner's first line. */
static void clean_banner(slot *sl)
{
    size_t w = 0;
    for (size_t i = 0; i < sl->n; i++) {
        unsigned char c = (unsigned char)sl->banner[i];
        if (c == '\r' || c == '\n')
            break;
        sl->banner[w++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    sl->banner[w] = '\0';
}

static void finish_slot(scan *s, int ep, slot *sl, int open)
{
    if (open) {
        s->st->open++;
        clean_banner(sl);
        if (!s->stopped && s->fn(s->user, sl->family, sl->addr, MR_XP_TCP,
                                 sl->port, sl->banner))
            s->stopped = 1;
    }
    epoll_ctl(ep, EPOLL_CTL_DEL, sl->fd, NULL);
    close(sl->fd);
    sl->fd = -1;
    sl->state = SLOT_FREE;
}

/* Did the connect meet itself? On loopback a connect from an ephemeral
 * port to the same port completes as a "simultaneous open" with no
 * listener at all; nmap leaves those out too. */
static int self_connect(const slot *sl)
{
    struct sockaddr_storage me;
    socklen_t len = sizeof(me);
    if (getsockname(sl->fd, (struct sockaddr *)&me, &len) != 0)
        return 0;
    if (sl->family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&me;
        return ntohs(a->sin_port) == sl->port &&
               !memcmp(&a->sin_addr, sl->addr, 4);
    }
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&me;
    return ntohs(a->sin6_port) == sl->port &&
           !memcmp(&a->sin6_addr, sl->addr, 16);
}

/* The port is open: wait for a banner, or report it now. */
static void opened(scan *s, int ep, slot *sl, int64_t now)
{
    if (self_connect(sl)) {
        s->st->closed++;
        finish_slot(s, ep, sl, 0);
        return;
    }
    if (!s->cfg->banner_ms) {
        finish_slot(s, ep, sl, 1);
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP,
                             .data.ptr = sl};
    epoll_ctl(ep, EPOLL_CTL_MOD, sl->fd, &ev);
    sl->state = SLOT_BANNER;
    sl->n = 0;
    sl->deadline = now + s->cfg->banner_ms;
}

/* Starts the next connect into sl; 0 when nothing is left. */
static int start(scan *s, int ep, slot *sl, int64_t now)
{
    while (more(s)) {
        const mr_xp_target *t = &s->t[s->ti];
        if (s->pi == 0)
            s->host_start = now;
        else if (s->cfg->host_ms &&
                 now - s->host_start > (int64_t)s->cfg->host_ms) {
            s->st->skipped += s->np - s->pi;   /* the host's time is up */
            next_host(s);
            continue;
        }
        sl->family = t->family;
        host_at(t, s->hi, sl->addr);
        sl->port = s->ports[s->pi];
        if (++s->pi >= s->np)
            next_host(s);
        struct sockaddr_storage ss;
        socklen_t len;
        memset(&ss, 0, sizeof(ss));
        if (sl->family == AF_INET) {
            struct sockaddr_in *a = (struct sockaddr_in *)&ss;
            a->sin_family = AF_INET;
            a->sin_port = htons(sl->port);
            memcpy(&a->sin_addr, sl->addr, 4);
            len = sizeof(*a);
        } else {
            struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
            a->sin6_family = AF_INET6;
            a->sin6_port = htons(sl->port);
            memcpy(&a->sin6_addr, sl->addr, 16);
            len = sizeof(*a);
        }
        s->st->attempts++;
        sl->fd = socket(sl->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                        0);
        if (sl->fd < 0) {
            s->st->errors++;
            return 1;
        }
        sl->state = SLOT_CONNECTING;
        struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = sl};
        epoll_ctl(ep, EPOLL_CTL_ADD, sl->fd, &ev);
        if (connect(sl->fd, (struct sockaddr *)&ss, len) == 0) {
            opened(s, ep, sl, now);
        } else if (errno == EINPROGRESS) {
            sl->deadline = now + s->cfg->connect_ms;
        } else {
            if (errno == ECONNREFUSED)
                s->st->closed++;
            else
                s->st->errors++;
            finish_slot(s, ep, sl, 0);
        }
        return 1;
    }
    return 0;
}

static void on_event(scan *s, int ep, slot *sl, uint32_t events, int64_t now)
{
    if (sl->state == SLOT_CONNECTING) {
        int err = 0;
        socklen_t el = sizeof(err);
        if (getsockopt(sl->fd, SOL_SOCKET, SO_ERROR, &err, &el) == 0 &&
            err == 0 && (events & EPOLLOUT)) {
            opened(s, ep, sl, now);
            return;
        }
        if (err == ECONNREFUSED)
            s->st->closed++;
        else
            s->st->timeouts++;      /* unreachable: as good as filtered */
        finish_slot(s, ep, sl, 0);
        return;
    }
    if (sl->state == SLOT_BANNER) {
        ssize_t r = recv(sl->fd, sl->banner + sl->n,
                         sizeof(sl->banner) - 1 - sl->n, 0);
        if (r > 0)
            sl->n += (size_t)r;
        if (r <= 0 || memchr(sl->banner, '\n', sl->n) ||
            sl->n >= sizeof(sl->banner) - 1)
            finish_slot(s, ep, sl, 1);
    }
}

mamori_err mr_xp_scan(const mr_xp_target *t, size_t nt,
                      const uint16_t *ports, size_t np,
                      const mr_xp_scan_cfg *cfg, mr_xp_open_fn fn,
                      void *user, mr_xp_scan_stats *st)
{
    memset(st, 0, sizeof(*st));
    if (!np || !nt)
        return MAMORI_OK;
    size_t conc = cfg->concurrency ? cfg->concurrency : 1;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur > XP_FD_RESERVE * 2)
        conc = MR_MIN(conc, (size_t)rl.rlim_cur - XP_FD_RESERVE);
    slot *slots = calloc(conc, sizeof(*slots));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!slots || ep < 0) {
        free(slots);
        if (ep >= 0)
            close(ep);
        return slots ? MAMORI_E_IO : MAMORI_E_NOMEM;
    }
    for (size_t i = 0; i < conc; i++)
        slots[i].fd = -1;
    scan s = {t, nt, ports, np, cfg, fn, user, st, 0, 0, 0, 0, now_ms(), 0};
    size_t active = 0;
    struct epoll_event evs[XP_EVENTS];
    for (;;) {
        int64_t now = now_ms();
        /* start what concurrency and the rate allow */
        size_t free_i = 0;
        while (active < conc && more(&s) && !s.stopped) {
            if (cfg->rate) {
                uint64_t allowed =
                    (uint64_t)(now - s.t0) * cfg->rate / 1000 + 1;
                if (st->attempts >= allowed)
                    break;
            }
            while (slots[free_i].state != SLOT_FREE)
                free_i++;
            if (!start(&s, ep, &slots[free_i], now))
                break;
            if (slots[free_i].state != SLOT_FREE)
                active++;
        }
        if (!active && (!more(&s) || s.stopped))
            break;
        /* wait for events, the next deadline or the next token */
        int64_t wake = now + 1000;
        for (size_t i = 0; i < conc; i++)
            if (slots[i].state != SLOT_FREE && slots[i].deadline < wake)
                wake = slots[i].deadline;
        if (cfg->rate && more(&s) && active < conc)
            wake = MR_MIN(wake, now + 1);
        int wait = wake > now ? (int)(wake - now) : 0;
        int n = epoll_wait(ep, evs, XP_EVENTS, wait);
        if (n < 0 && errno != EINTR)
            break;
        now = now_ms();
        for (int i = 0; i < n; i++) {
            slot *sl = evs[i].data.ptr;
            if (sl->state == SLOT_FREE)
                continue;
            on_event(&s, ep, sl, evs[i].events, now);
            if (sl->state == SLOT_FREE)
                active--;
        }
        for (size_t i = 0; i < conc; i++) {
            slot *sl = &slots[i];
            if (sl->state == SLOT_FREE || sl->deadline > now)
                continue;
            if (sl->state == SLOT_CONNECTING)
                st->timeouts++;
            finish_slot(&s, ep, sl, sl->state == SLOT_BANNER);
            active--;
        }
    }
    for (size_t i = 0; i < conc; i++)
        if (slots[i].state != SLOT_FREE)
            close(slots[i].fd);
    close(ep);
    free(slots);
    st->elapsed_ms = (uint64_t)(now_ms() - s.t0);
    return s.stopped ? MAMORI_E_ABORTED : MAMORI_OK;
}

/* ---- UDP: the few services that matter ------------------------------ */

#define XP_UDP_BATCH 128          /* hosts asked at once */

static const struct {
    const char *service;
    uint16_t port;
} udp_asks[] = {{"dns", 53}, {"ntp", 123}, {"snmp", 161}};
#define XP_UDP_ASKS MR_ARRAY_LEN(udp_asks)

typedef struct uslot {
    int fd;
    int family;
    uint8_t addr[16];
    size_t ask;
} uslot;

/* Sends one question to a host's port; -1 when it could not. */
static int udp_send(uslot *u)
{
    struct sockaddr_storage ss;
    socklen_t len;
    memset(&ss, 0, sizeof(ss));
    uint16_t port = udp_asks[u->ask].port;
    if (u->family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        memcpy(&a->sin_addr, u->addr, 4);
        len = sizeof(*a);
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        memcpy(&a->sin6_addr, u->addr, 16);
        len = sizeof(*a);
    }
    size_t n;
    const uint8_t *req = mr_xp_udp_request(udp_asks[u->ask].service, &n);
    u->fd = socket(u->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (u->fd < 0)
        return -1;
    /* connected: an ICMP port unreachable comes back as ECONNREFUSED */
    if (connect(u->fd, (struct sockaddr *)&ss, len) != 0 ||
        send(u->fd, req, n, 0) != (ssize_t)n) {
        close(u->fd);
        u->fd = -1;
        return -1;
    }
    return 0;
}

mamori_err mr_xp_scan_udp(const mr_xp_target *t, size_t nt,
                          const mr_xp_scan_cfg *cfg, mr_xp_open_fn fn,
                          void *user, mr_xp_scan_stats *st)
{
    uslot *u = calloc(XP_UDP_BATCH * XP_UDP_ASKS, sizeof(*u));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (!u || ep < 0) {
        free(u);
        if (ep >= 0)
            close(ep);
        return u ? MAMORI_E_IO : MAMORI_E_NOMEM;
    }
    int64_t t0 = now_ms();
    uint64_t sent = 0;
    int stopped = 0;
    size_t ti = 0;
    uint32_t hi = 0;
    while (ti < nt && !stopped) {
        /* a batch of hosts, every question sent at the rate allowed */
        size_t n = 0;
        for (; n < XP_UDP_BATCH * XP_UDP_ASKS && ti < nt;) {
            for (size_t a = 0; a < XP_UDP_ASKS; a++) {
                uslot *s = &u[n++];
                s->family = t[ti].family;
                host_at(&t[ti], hi, s->addr);
                s->ask = a;
                while (cfg->rate &&
                       sent >= (uint64_t)(now_ms() - t0) * cfg->rate / 1000 +
                                   1) {
                    struct timespec ms1 = {0, 1000000};
                    nanosleep(&ms1, NULL);
                }
                st->attempts++;
                sent++;
                if (udp_send(s)) {
                    st->errors++;
                    continue;
                }
                struct epoll_event ev = {.events = EPOLLIN, .data.ptr = s};
                epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev);
            }
            if (++hi >= t[ti].hosts) {
                hi = 0;
                ti++;
            }
        }
        /* answers until the batch's deadline */
        int64_t deadline = now_ms() + cfg->connect_ms;
        size_t waiting = 0;
        for (size_t i = 0; i < n; i++)
            waiting += u[i].fd >= 0;
        struct epoll_event evs[XP_EVENTS];
        while (waiting && !stopped) {
            int64_t left = deadline - now_ms();
            if (left <= 0)
                break;
            int k = epoll_wait(ep, evs, XP_EVENTS, (int)left);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            for (int i = 0; i < k; i++) {
                uslot *s = evs[i].data.ptr;
                uint8_t buf[512];
                ssize_t r = recv(s->fd, buf, sizeof(buf), 0);
                if (r < 0 && errno == EAGAIN)
                    continue;
                if (r > 0) {
                    st->open++;
                    if (!stopped &&
                        fn(user, s->family, s->addr, MR_XP_UDP,
                           udp_asks[s->ask].port, ""))
                        stopped = 1;
                } else {
                    st->closed++;
                }
                epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
                close(s->fd);
                s->fd = -1;
                waiting--;
            }
        }
        for (size_t i = 0; i < n; i++) {
            if (u[i].fd < 0)
                continue;
            st->timeouts++;      /* silence: open|filtered, as nmap says */
            epoll_ctl(ep, EPOLL_CTL_DEL, u[i].fd, NULL);
            close(u[i].fd);
            u[i].fd = -1;
        }
    }
    close(ep);
    free(u);
    st->elapsed_ms += (uint64_t)(now_ms() - t0);
    return stopped ? MAMORI_E_ABORTED : MAMORI_OK;
}
