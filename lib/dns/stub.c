/*
 * stub.c — the sockets of the stub resolver (stub.h): one connected UDP
 * socket per stub, questions in flight in fixed slots, resends, TCP for
 * truncated answers, and CNAME chains that leave an answer.
 *
 * Only what the caller waits for drives the socket: mr_stub_wait() polls,
 * reads every datagram waiting (answers to prefetched questions land in
 * their slots), and resends any question whose time has come. A datagram
 * is taken only if its id AND question match a slot; the kernel already
 * drops datagrams from anyone but the server (the socket is connected).
 * The source port is the kernel's random ephemeral port; query ids come
 * from the random source (util/random.h). No thread, no socket pair, one syscall per datagram.
 */
#include "common.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/resolver.h"
#include "dns/stub.h"
#include "util/random.h"

#define MR_STUB_RETRY_MAX_MS 1000
#define MR_STUB_IDS 64               /* random ids fetched at once */
#define MR_STUB_RECV_MAX (MR_STUB_UDP_SIZE + 256)   /* larger: dropped */

typedef struct stub_slot {
    bool used, answered;
    uint16_t id;
    int qtype;
    uint8_t qname[MR_STUB_WIRE_NAME_MAX];
    size_t qlen;
    unsigned tries;
    int64_t resend_at;               /* monotonic ms */
    mr_stub_result res;              /* hops carried over CNAME re-asks */
    uint8_t *msg;                    /* the answer (malloc), len bytes */
    size_t len;
} stub_slot;

struct mr_stub {
    int fd;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    size_t n_ids;
    uint16_t ids[MR_STUB_IDS];
    stub_slot slot[MR_STUB_SLOTS];
    uint8_t rbuf[MR_STUB_RECV_MAX];
};

static int parse_spec(const char *spec, struct sockaddr_storage *sa,
                      socklen_t *sl)
{
    char addr[MR_IP_TEXT_MAX];
    const char *at = strrchr(spec, '@');
    if (at == NULL || (size_t)(at - spec) >= sizeof addr)
        return -1;
    memcpy(addr, spec, (size_t)(at - spec));
    addr[at - spec] = '\0';
    char *end;
    errno = 0;
    unsigned long port = strtoul(at + 1, &end, 10);
    if (errno || *end || port == 0 || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;
    if (inet_pton(AF_INET, addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *sl = sizeof *v4;
    } else if (inet_pton(AF_INET6, addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *sl = sizeof *v6;
    } else {
        return -1;
    }
    return 0;
}

int mr_stub_new(const char *spec, mr_stub **out, char *err, size_t cap)
{
    *out = NULL;
    mr_stub *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, cap, "out of memory");
        return -1;
    }
    if (parse_spec(spec, &s->addr, &s->addr_len) != 0) {
        snprintf(err, cap, "bad resolver address '%s'", spec);
        free(s);
        return -1;
    }
    s->fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK |
                   SOCK_CLOEXEC, 0);
    if (s->fd < 0 ||
        connect(s->fd, (struct sockaddr *)&s->addr, s->addr_len) != 0) {
        snprintf(err, cap, "cannot open a socket to the resolver: %s",
                 strerror(errno));
        if (s->fd >= 0)
            close(s->fd);
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

static void slot_clear(stub_slot *sl)
{
    free(sl->msg);
    sl->msg = NULL;
    sl->len = 0;
    sl->used = false;
    sl->answered = false;
}

void mr_stub_free(mr_stub *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < MR_STUB_SLOTS; i++)
        slot_clear(&s->slot[i]);
    close(s->fd);
    free(s);
}

void mr_stub_release(mr_stub *s, int slot)
{
    if (slot >= 0 && slot < MR_STUB_SLOTS)
        slot_clear(&s->slot[slot]);
}

/* A random query id no slot in flight uses, into *id; -1 when the
 * kernel gives no random bytes (a guessable id would let anyone on the
 * path forge answers, so the question is not sent). */
static int fresh_id(mr_stub *s, uint16_t *id)
{
    for (;;) {
        if (s->n_ids == 0) {
            if (mr_random_bytes(s->ids, sizeof s->ids) != MAMORI_OK)
                return -1;
            s->n_ids = MR_STUB_IDS;
        }
        *id = s->ids[--s->n_ids];
        bool taken = false;
        for (size_t i = 0; i < MR_STUB_SLOTS && !taken; i++)
            taken = s->slot[i].used && s->slot[i].id == *id;
        if (!taken)
            return 0;
    }
}

static void transmit(mr_stub *s, stub_slot *sl, int64_t now)
{
    uint8_t q[MR_STUB_QUERY_MAX];
    size_t n = mr_stub_build_query(q, sl->id, sl->qname, sl->qlen,
                                   sl->qtype);
    /* A failed send is a lost datagram: the resend covers both. */
    (void)send(s->fd, q, n, MSG_NOSIGNAL);
    int64_t wait = (int64_t)MR_STUB_RETRY_MS << MR_MIN(sl->tries, 3u);
    sl->tries++;
    sl->resend_at = now + MR_MIN(wait, MR_STUB_RETRY_MAX_MS);
}

/* (Re)starts slot sl on the question (qname, qtype); -1 (slot left
 * unused) when there is no random query id. */
static int ask(mr_stub *s, stub_slot *sl, const uint8_t *qname, size_t qlen,
               int qtype)
{
    free(sl->msg);
    sl->msg = NULL;
    sl->len = 0;
    if (fresh_id(s, &sl->id) != 0) {
        sl->used = false;
        return -1;
    }
    sl->used = true;
    sl->answered = false;
    sl->qtype = qtype;
    memcpy(sl->qname, qname, qlen);
    sl->qlen = qlen;
    sl->tries = 0;
    transmit(s, sl, mr_now_ms());
    return 0;
}

int mr_stub_send(mr_stub *s, const char *name, int qtype, char *err,
                 size_t cap)
{
    uint8_t wire[MR_STUB_WIRE_NAME_MAX];
    int n = mr_stub_name_wire(name, wire);
    if (n < 0) {
        snprintf(err, cap, "'%.80s' is not a valid DNS name", name);
        return -1;
    }
    for (int i = 0; i < MR_STUB_SLOTS; i++) {
        stub_slot *sl = &s->slot[i];
        if (!sl->used) {
            memset(&sl->res, 0, sizeof sl->res);
            if (ask(s, sl, wire, (size_t)n, qtype) != 0) {
                snprintf(err, cap, "no random query id: %s",
                         strerror(errno));
                return -1;
            }
            return i;
        }
    }
    snprintf(err, cap, "too many questions in flight");
    return -1;
}

/* Files one datagram in the slot it answers, if any. */
static void file_reply(mr_stub *s, const uint8_t *msg, size_t len)
{
    for (size_t i = 0; i < MR_STUB_SLOTS; i++) {
        stub_slot *sl = &s->slot[i];
        if (!sl->used || sl->answered ||
            !mr_stub_reply_matches(msg, len, sl->id, sl->qname, sl->qlen,
                                   sl->qtype))
            continue;
        sl->msg = malloc(len);
        if (sl->msg == NULL)
            return;                  /* as if lost: resent */
        memcpy(sl->msg, msg, len);
        sl->len = len;
        sl->answered = true;
        return;
    }
}

/* Waits up to ms for datagrams and files every one waiting. */
static void pump(mr_stub *s, int ms)
{
    struct pollfd pfd = {s->fd, POLLIN, 0};
    if (poll(&pfd, 1, ms) <= 0)
        return;
    for (;;) {
        ssize_t n = recv(s->fd, s->rbuf, sizeof s->rbuf, MSG_DONTWAIT |
                         MSG_TRUNC);
        if (n < 0) {
            if (errno == EINTR || errno == ECONNREFUSED)
                continue;            /* ICMP of an earlier datagram */
            return;                  /* EAGAIN: all read */
        }
        if ((size_t)n <= sizeof s->rbuf)
            file_reply(s, s->rbuf, (size_t)n);
    }
}

/* Resends every question whose time has come; returns the earliest
 * resend time still ahead. */
static int64_t resend_due(mr_stub *s, int64_t now)
{
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < MR_STUB_SLOTS; i++) {
        stub_slot *sl = &s->slot[i];
        if (!sl->used || sl->answered)
            continue;
        if (sl->resend_at <= now)
            transmit(s, sl, now);
        next = MR_MIN(next, sl->resend_at);
    }
    return next;
}

/* Asks sl's question again over TCP (its UDP answer was truncated). */
static int ask_tcp(mr_stub *s, stub_slot *sl, int64_t until)
{
    uint8_t q[MR_STUB_QUERY_MAX];
    uint8_t *msg = NULL;
    size_t len = 0;
    size_t n = mr_stub_build_query(q, sl->id, sl->qname, sl->qlen, sl->qtype);
    if (mr_stub_tcp_exchange(&s->addr, s->addr_len, q, n, until, &msg,
                             &len) != 0)
        return -1;
    if (!mr_stub_reply_matches(msg, len, sl->id, sl->qname, sl->qlen,
                               sl->qtype)) {
        free(msg);
        return -1;
    }
    free(sl->msg);
    sl->msg = msg;
    sl->len = len;
    return 0;
}

int mr_stub_wait(mr_stub *s, int slot, int64_t until, mr_dns_answer *ans,
                 char *err, size_t cap)
{
    if (slot < 0 || slot >= MR_STUB_SLOTS || !s->slot[slot].used) {
        snprintf(err, cap, "no such question");
        return MR_DNS_FAILURE;
    }
    stub_slot *sl = &s->slot[slot];
    for (;;) {
        int64_t now = mr_now_ms();
        if (!sl->answered) {
            if (now >= until) {
                snprintf(err, cap, "no answer in time");
                slot_clear(sl);
                return MR_DNS_TIMEOUT;
            }
            int64_t next = MR_MIN(resend_due(s, now), until);
            pump(s, (int)MR_MAX(next - now, 0));
            continue;
        }
        if ((sl->msg[2] & 0x02) && ask_tcp(s, sl, until) != 0) {
            snprintf(err, cap, "answer truncated and TCP failed");
            slot_clear(sl);
            return MR_DNS_TIMEOUT;
        }
        int r = mr_stub_read_answer(sl->msg, sl->len, sl->qname, sl->qlen,
                                    sl->qtype, ans, &sl->res);
        if (sl->res.bad)
            snprintf(err, cap, "%u malformed record(s) dropped",
                     sl->res.bad);
        if (r == MR_DNS_NOERROR && sl->res.next_len > 0) {
            /* The chain leaves this answer: ask for its end. */
            uint8_t next[MR_STUB_WIRE_NAME_MAX];
            size_t nl = sl->res.next_len;
            memcpy(next, sl->res.next, nl);
            if (ask(s, sl, next, nl, sl->qtype) != 0) {
                snprintf(err, cap, "no random query id: %s",
                         strerror(errno));
                slot_clear(sl);
                return MR_DNS_FAILURE;
            }
            continue;
        }
        if (r == MR_DNS_FAILURE)
            snprintf(err, cap, "malformed answer");
        else if (r == MR_DNS_LOOP)
            snprintf(err, cap, "CNAME chain longer than %d",
                     MR_STUB_CNAME_MAX);
        slot_clear(sl);
        return r;
    }
}
