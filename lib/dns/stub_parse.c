/*
 * stub_parse.c — the wire side of the stub resolver (stub.h): query
 * names into wire form, queries, and the strict reading of responses.
 *
 * A response comes from the network and is read as hostile. Every read
 * is checked against the message length; a compression pointer must
 * point before the place it is read from, so that following pointers
 * always ends; a name longer than 255 wire bytes or with a label type
 * other than a plain length is malformed. Records are handed on to
 * mr_dns_answer_add_rdata() (rdata.c) with the names inside them
 * uncompressed, exactly as libunbound hands them over, so that the one
 * reader of record data serves both resolvers.
 */
#include "common.h"

#include "dns/stub.h"

#define MR_STUB_HDR 12
#define MR_STUB_CLASS_IN 1
#define MR_STUB_T_OPT 41
/* SOA rdata uncompressed: two names and five 32-bit numbers. */
#define MR_STUB_RDATA_NAMES_MAX (2 * MR_STUB_WIRE_NAME_MAX + 20)

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

int mr_stub_name_wire(const char *name, uint8_t out[MR_STUB_WIRE_NAME_MAX])
{
    size_t o = 0, lab_at = 0;
    const unsigned char *p = (const unsigned char *)name;

    if (p[0] == '.' && p[1] == '\0') {
        out[0] = 0;
        return 1;
    }
    out[o++] = 0;                    /* length of the first label */
    while (*p) {
        unsigned ch = *p++;
        if (ch == '.') {
            size_t lab = o - lab_at - 1;
            if (lab == 0)
                return -1;           /* empty label */
            if (*p == '\0')
                break;               /* the final dot */
            if (o >= MR_STUB_WIRE_NAME_MAX - 1)
                return -1;
            lab_at = o;
            out[o++] = 0;
            continue;
        }
        if (ch == '\\') {
            if (p[0] >= '0' && p[0] <= '9') {
                if (!(p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
                      p[2] <= '9'))
                    return -1;
                ch = (unsigned)(p[0] - '0') * 100 +
                     (unsigned)(p[1] - '0') * 10 + (unsigned)(p[2] - '0');
                if (ch > 255)
                    return -1;
                p += 3;
            } else if (*p != '\0') {
                ch = *p++;
            } else {
                return -1;
            }
        }
        if (o - lab_at > MR_DNS_LABEL_MAX || o >= MR_STUB_WIRE_NAME_MAX - 1)
            return -1;
        out[o++] = (uint8_t)ch;
        out[lab_at] = (uint8_t)(o - lab_at - 1);
    }
    if (out[lab_at] == 0)
        return -1;                   /* "" */
    out[o++] = 0;                    /* the root */
    return (int)o;
}

size_t mr_stub_build_query(uint8_t *buf, uint16_t id, const uint8_t *qname,
                           size_t qlen, int qtype)
{
    memset(buf, 0, MR_STUB_HDR);
    put16(buf, id);
    buf[2] = 0x01;                   /* RD: the server may recurse */
    put16(buf + 4, 1);               /* QDCOUNT */
    put16(buf + 10, 1);              /* ARCOUNT: the OPT record */
    size_t o = MR_STUB_HDR;
    memcpy(buf + o, qname, qlen);
    o += qlen;
    put16(buf + o, (unsigned)qtype);
    put16(buf + o + 2, MR_STUB_CLASS_IN);
    o += 4;
    buf[o++] = 0;                    /* OPT: root owner */
    put16(buf + o, MR_STUB_T_OPT);
    put16(buf + o + 2, MR_STUB_UDP_SIZE);
    memset(buf + o + 4, 0, 6);       /* extended rcode, flags, rdlen */
    return o + 10;
}

/* Reads the (possibly compressed) name at msg[*pos], in-place part
 * bounded by end, into out in wire form; *pos moves past it. Returns the
 * wire length, or -1 if malformed. */
static int read_name(const uint8_t *msg, size_t len, size_t *pos, size_t end,
                     uint8_t out[MR_STUB_WIRE_NAME_MAX])
{
    size_t p = *pos, o = 0, limit = end;
    bool jumped = false;

    for (;;) {
        if (p >= limit)
            return -1;
        unsigned lab = msg[p];
        if ((lab & 0xc0) == 0xc0) {
            if (p + 1 >= limit)
                return -1;
            size_t to = (size_t)(lab & 0x3f) << 8 | msg[p + 1];
            if (!jumped)
                *pos = p + 2;
            if (to >= p)
                return -1;           /* forwards or onto itself: a loop */
            jumped = true;
            limit = len;
            p = to;
            continue;
        }
        if (lab > MR_DNS_LABEL_MAX || lab >= limit - p ||
            o + lab + 1 > MR_STUB_WIRE_NAME_MAX)
            return -1;               /* 0x40/0x80 types, overruns */
        memcpy(out + o, msg + p, lab + 1);
        o += lab + 1;
        p += lab + 1;
        if (lab == 0)
            break;
    }
    if (!jumped)
        *pos = p;
    return (int)o;
}

static bool name_eq(const uint8_t *a, size_t alen, const uint8_t *b,
                    size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++) {
        unsigned x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x |= 0x20;
        if (y >= 'A' && y <= 'Z')
            y |= 0x20;
        if (x != y)
            return false;
    }
    return true;
}

bool mr_stub_reply_matches(const uint8_t *msg, size_t len, uint16_t id,
                           const uint8_t *qname, size_t qlen, int qtype)
{
    uint8_t name[MR_STUB_WIRE_NAME_MAX];
    size_t pos = MR_STUB_HDR;

    if (len < MR_STUB_HDR || get16(msg) != id || !(msg[2] & 0x80) ||
        (msg[2] & 0x78) != 0 || get16(msg + 4) != 1)
        return false;
    int n = read_name(msg, len, &pos, len, name);
    return n > 0 && pos + 4 <= len && name_eq(name, (size_t)n, qname, qlen) &&
           get16(msg + pos) == qtype &&
           get16(msg + pos + 2) == MR_STUB_CLASS_IN;
}

/* One resource record's place in the message. */
typedef struct rr_at {
    uint8_t owner[MR_STUB_WIRE_NAME_MAX];
    size_t owner_len;
    uint16_t type, klass;
    size_t rdata, rdlen;
} rr_at;

/* Reads the record at *pos (bounded by len); *pos moves past it. */
static int read_rr(const uint8_t *msg, size_t len, size_t *pos, rr_at *rr)
{
    int n = read_name(msg, len, pos, len, rr->owner);
    if (n < 0 || len - *pos < 10)
        return -1;
    rr->owner_len = (size_t)n;
    rr->type = get16(msg + *pos);
    rr->klass = get16(msg + *pos + 2);
    rr->rdlen = get16(msg + *pos + 8);
    rr->rdata = *pos + 10;
    if (rr->rdlen > len - rr->rdata)
        return -1;
    *pos = rr->rdata + rr->rdlen;
    return 0;
}

/* The rdata of rr with the names in it uncompressed (MX, NS, CNAME,
 * PTR, SOA) into out; other types are passed as they are. Returns the
 * length, or -1 if malformed. *data points at the bytes to use. */
static int plain_rdata(const uint8_t *msg, size_t len, const rr_at *rr,
                       uint8_t out[MR_STUB_RDATA_NAMES_MAX],
                       const uint8_t **data)
{
    size_t pos = rr->rdata, end = rr->rdata + rr->rdlen, o = 0;
    unsigned names = 1, fixed_after = 0;

    switch (rr->type) {
    case MR_DNS_T_NS: case MR_DNS_T_CNAME: case MR_DNS_T_PTR:
        break;
    case MR_DNS_T_MX:
        if (rr->rdlen < 3)
            return -1;
        memcpy(out, msg + pos, 2);
        pos += 2;
        o = 2;
        break;
    case MR_DNS_T_SOA:
        names = 2;
        fixed_after = 20;
        break;
    default:
        *data = msg + rr->rdata;
        return (int)rr->rdlen;
    }
    for (unsigned i = 0; i < names; i++) {
        int n = read_name(msg, len, &pos, end, out + o);
        if (n < 0)
            return -1;
        o += (size_t)n;
    }
    if (end - pos != fixed_after)
        return -1;
    memcpy(out + o, msg + pos, fixed_after);
    *data = out;
    return (int)(o + fixed_after);
}

/* Calls fn on every answer-section record; stops at the first nonzero
 * return. -1 if the message is malformed. */
static int each_answer(const uint8_t *msg, size_t len,
                       int (*fn)(void *u, const rr_at *rr), void *u)
{
    uint8_t name[MR_STUB_WIRE_NAME_MAX];
    size_t pos = MR_STUB_HDR;
    unsigned an = get16(msg + 6);
    rr_at rr;

    if (read_name(msg, len, &pos, len, name) < 0 || len - pos < 4)
        return -1;
    pos += 4;
    for (unsigned i = 0; i < an; i++) {
        if (read_rr(msg, len, &pos, &rr) != 0)
            return -1;
        int r = fn(u, &rr);
        if (r != 0)
            return r;
    }
    return 0;
}

/* State of the walk along the chain and of the collection. */
typedef struct walk {
    const uint8_t *msg;
    size_t len;
    uint8_t target[MR_STUB_WIRE_NAME_MAX];
    size_t target_len;
    int qtype;
    bool moved;                /* a CNAME of target was found */
    bool found;                /* a record of qtype at target */
    mr_dns_answer *ans;
    mr_stub_result *res;
} walk;

static int find_cname(void *u, const rr_at *rr)
{
    walk *w = u;
    if (rr->type != MR_DNS_T_CNAME || rr->klass != MR_STUB_CLASS_IN ||
        !name_eq(rr->owner, rr->owner_len, w->target, w->target_len))
        return 0;
    size_t pos = rr->rdata;
    int n = read_name(w->msg, w->len, &pos, rr->rdata + rr->rdlen,
                      w->target);
    if (n < 0 || pos != rr->rdata + rr->rdlen)
        return -1;
    w->target_len = (size_t)n;
    w->moved = true;
    return 1;
}

static int collect(void *u, const rr_at *rr)
{
    walk *w = u;
    uint8_t buf[MR_STUB_RDATA_NAMES_MAX];
    const uint8_t *data = NULL;

    if (rr->type != w->qtype || rr->klass != MR_STUB_CLASS_IN ||
        !name_eq(rr->owner, rr->owner_len, w->target, w->target_len))
        return 0;
    w->found = true;
    int n = plain_rdata(w->msg, w->len, rr, buf, &data);
    int r = n < 0 ? -1 : mr_dns_answer_add_rdata(w->ans, w->qtype, data,
                                                 (size_t)n);
    if (r == -1)
        w->res->bad++;
    return r == -2 ? 1 : 0;      /* answer full: stop adding */
}

int mr_stub_read_answer(const uint8_t *msg, size_t len, const uint8_t *qname,
                        size_t qlen, int qtype, mr_dns_answer *ans,
                        mr_stub_result *res)
{
    walk w = {.msg = msg, .len = len, .qtype = qtype, .ans = ans,
              .res = res};

    res->next_len = 0;
    if (len < MR_STUB_HDR || qlen > MR_STUB_WIRE_NAME_MAX)
        return MR_DNS_FAILURE;
    res->tc = (msg[2] & 0x02) != 0;
    memcpy(w.target, qname, qlen);
    w.target_len = qlen;
    if (qtype != MR_DNS_T_CNAME) {
        do {
            w.moved = false;
            if (each_answer(msg, len, find_cname, &w) < 0)
                return MR_DNS_FAILURE;
            if (w.moved && ++res->hops > MR_STUB_CNAME_MAX)
                return MR_DNS_LOOP;
        } while (w.moved);
    }
    int rcode = msg[3] & 0x0f;
    if (rcode != MR_DNS_NOERROR)
        return rcode;
    if (each_answer(msg, len, collect, &w) < 0)
        return MR_DNS_FAILURE;
    if (!w.found && !name_eq(w.target, w.target_len, qname, qlen)) {
        memcpy(res->next, w.target, w.target_len);   /* ask the target */
        res->next_len = w.target_len;
    }
    return MR_DNS_NOERROR;
}
