/*
 * test_dns_stub.c — the stub resolver of lib/dns/stub.h: names into wire
 * form, the strict reading of responses (compression, CNAME chains,
 * loops, lies about lengths), and the resolver itself against a fake
 * server on 127.0.0.1 that drops the first datagram, answers with a
 * wrong id and with a wrong question before the right answer.
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/dns.h"
#include "dns/resolver.h"
#include "dns/stub.h"

static mr_dns_answer ans;

static void name_wire(void **state)
{
    (void)state;
    uint8_t w[MR_STUB_WIRE_NAME_MAX];
    assert_int_equal(mr_stub_name_wire("Ab.c", w), 6);
    assert_memory_equal(w, "\2Ab\1c\0", 6);
    assert_int_equal(mr_stub_name_wire("ab.c.", w), 6);
    assert_int_equal(mr_stub_name_wire(".", w), 1);
    assert_int_equal(mr_stub_name_wire("a\\.b.c", w), 7);
    assert_memory_equal(w, "\3a.b\1c\0", 7);
    assert_int_equal(mr_stub_name_wire("a\\000", w), 4);
    assert_int_equal(w[2], 0);
    assert_int_equal(mr_stub_name_wire("", w), -1);
    assert_int_equal(mr_stub_name_wire("a..b", w), -1);
    assert_int_equal(mr_stub_name_wire(".a", w), -1);
    assert_int_equal(mr_stub_name_wire("a\\99", w), -1);
    assert_int_equal(mr_stub_name_wire("a\\999", w), -1);
    char lab[80];
    memset(lab, 'x', 64);
    lab[64] = '\0';
    assert_int_equal(mr_stub_name_wire(lab, w), -1);       /* label 64 */
    lab[63] = '\0';
    assert_int_equal(mr_stub_name_wire(lab, w), 65);
    char longn[300];
    for (int i = 0; i < 127; i++)
        memcpy(longn + 2 * i, "a.", 2);
    longn[253] = '\0';                                     /* 127 labels */
    assert_int_equal(mr_stub_name_wire(longn, w), 255);
    memcpy(longn + 253, "a", 2);
    assert_int_equal(mr_stub_name_wire(longn, w), -1);     /* 256 bytes */
}

/* A response to (qname, qtype) with the records given as raw bytes. */
static size_t response(uint8_t *m, uint16_t id, int rcode, const char *qname,
                       int qtype, unsigned an, const void *rrs, size_t rlen)
{
    uint8_t w[MR_STUB_WIRE_NAME_MAX];
    int n = mr_stub_name_wire(qname, w);
    assert_true(n > 0);
    memset(m, 0, 12);
    m[0] = (uint8_t)(id >> 8);
    m[1] = (uint8_t)id;
    m[2] = 0x81;
    m[3] = (uint8_t)(0x80 | rcode);
    m[5] = 1;
    m[7] = (uint8_t)an;
    memcpy(m + 12, w, (size_t)n);
    size_t o = 12 + (size_t)n;
    m[o++] = 0;
    m[o++] = (uint8_t)qtype;
    m[o++] = 0;
    m[o++] = 1;
    memcpy(m + o, rrs, rlen);
    return o + rlen;
}

#define QN "\3www\7example\3com\0"    /* at offset 12 of response() */
#define PTR_QN "\xc0\x0c"
#define IN_TTL "\0\1\0\0\0\x3c"

static int read_ans(const uint8_t *m, size_t len, const char *q, int type,
                    mr_stub_result *res)
{
    uint8_t w[MR_STUB_WIRE_NAME_MAX];
    int n = mr_stub_name_wire(q, w);
    mr_dns_answer_reset(&ans);
    memset(res, 0, sizeof *res);
    return mr_stub_read_answer(m, len, w, (size_t)n, type, &ans, res);
}

static void read_answers(void **state)
{
    (void)state;
    uint8_t m[2048];
    mr_stub_result res;
    uint8_t w[MR_STUB_WIRE_NAME_MAX];
    int qn = mr_stub_name_wire("www.example.com", w);

    /* Two A records, owner compressed to the question. */
    static const uint8_t two_a[] = PTR_QN "\0\1" IN_TTL "\0\4\1\2\3\4"
                                   PTR_QN "\0\1" IN_TTL "\0\4\5\6\7\10";
    size_t len = response(m, 7, 0, "www.example.com", 1, 2, two_a,
                          sizeof two_a - 1);
    assert_true(mr_stub_reply_matches(m, len, 7, w, (size_t)qn, 1));
    assert_false(mr_stub_reply_matches(m, len, 8, w, (size_t)qn, 1));
    assert_false(mr_stub_reply_matches(m, len, 7, w, (size_t)qn, 16));
    assert_int_equal(read_ans(m, len, "WWW.example.com", 1, &res), 0);
    assert_int_equal(ans.n, 2);
    assert_memory_equal(mr_dns_rr_data(&ans, 1), "\5\6\7\10", 4);
    /* Cut anywhere: never a crash, never records from past the end. */
    for (size_t cut = 0; cut < len; cut++)
        assert_int_not_equal(read_ans(m, cut, "www.example.com", 1, &res),
                             MR_DNS_NOERROR);

    /* MX with its exchange compressed: uncompressed in the answer. */
    static const uint8_t mx[] = PTR_QN "\0\x0f" IN_TTL "\0\7\0\12\2mx\xc0\x10";
    len = response(m, 1, 0, "www.example.com", 15, 1, mx, sizeof mx - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 15, &res), 0);
    assert_int_equal(ans.n, 1);
    assert_int_equal(ans.rr[0].pref, 10);
    assert_memory_equal(mr_dns_rr_data(&ans, 0), "mx.example.com", 14);

    /* A chain www -> a.www -> A; a record of another owner is ignored. */
    static const uint8_t chain[] =
        PTR_QN "\0\5" IN_TTL "\0\4\1a\xc0\x0c"
        "\1a\xc0\x0c" "\0\1" IN_TTL "\0\4\11\11\11\11"
        "\1b\xc0\x0c" "\0\1" IN_TTL "\0\4\10\10\10\10";
    len = response(m, 1, 0, "www.example.com", 1, 3, chain, sizeof chain - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res), 0);
    assert_int_equal(ans.n, 1);
    assert_memory_equal(mr_dns_rr_data(&ans, 0), "\11\11\11\11", 4);
    assert_int_equal(res.hops, 1);
    assert_int_equal(res.next_len, 0);

    /* The chain leaves the answer: ask its end. */
    len = response(m, 1, 0, "www.example.com", 1, 1, chain, 16);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res), 0);
    assert_int_equal(ans.n, 0);
    assert_int_equal(res.next_len, (size_t)qn + 2);
    assert_memory_equal(res.next, "\1a\3www", 6);

    /* A loop www -> www: MR_DNS_LOOP, not a hang. */
    static const uint8_t loop[] = PTR_QN "\0\5" IN_TTL "\0\2\xc0\x0c";
    len = response(m, 1, 0, "www.example.com", 1, 1, loop, sizeof loop - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_LOOP);

    /* Compression pointers forwards, onto themselves, past the end. */
    static const uint8_t fwd[] = "\xc0\x30" "\0\1" IN_TTL "\0\4\1\2\3\4";
    len = response(m, 1, 0, "www.example.com", 1, 1, fwd, sizeof fwd - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_FAILURE);
    static const uint8_t self[] = PTR_QN "\0\5" IN_TTL "\0\2\xc0\x2d";
    len = response(m, 1, 0, "www.example.com", 1, 1, self, sizeof self - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_FAILURE);
    /* rdlength past the message. */
    static const uint8_t lie[] = PTR_QN "\0\1" IN_TTL "\1\0\1\2\3\4";
    len = response(m, 1, 0, "www.example.com", 1, 1, lie, sizeof lie - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_FAILURE);
    /* A 5-byte A record and a bad TXT string are dropped and counted. */
    static const uint8_t bad[] = PTR_QN "\0\1" IN_TTL "\0\5\1\2\3\4\5";
    len = response(m, 1, 0, "www.example.com", 1, 1, bad, sizeof bad - 1);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res), 0);
    assert_int_equal(ans.n, 0);
    assert_int_equal(res.bad, 1);
    /* NXDOMAIN and SERVFAIL come through as they are. */
    len = response(m, 1, 3, "www.example.com", 1, 0, "", 0);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_NXDOMAIN);
    len = response(m, 1, 2, "www.example.com", 1, 0, "", 0);
    assert_int_equal(read_ans(m, len, "www.example.com", 1, &res),
                     MR_DNS_SERVFAIL);
}

/* ---- a fake server ---------------------------------------------------- */

typedef struct fake {
    int fd;
    unsigned seen;                 /* queries received */
} fake;

/* Drops the first query; then for each query answers with a wrong id,
 * then a wrong question, then the right answer (A 192.0.2.1). */
static void *fake_main(void *arg)
{
    fake *f = arg;
    uint8_t q[512], m[600];
    struct sockaddr_storage from;
    for (;;) {
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(f->fd, q, sizeof q, 0, (struct sockaddr *)&from,
                             &fl);
        if (n <= 12)
            return NULL;           /* closed: the test is over */
        if (f->seen++ == 0)
            continue;
        uint16_t id = (uint16_t)(q[0] << 8 | q[1]);
        static const uint8_t a[] = PTR_QN "\0\1" IN_TTL "\0\4\300\0\2\1";
        size_t len = response(m, (uint16_t)(id + 1), 0, "www.example.com", 1,
                              1, a, sizeof a - 1);
        sendto(f->fd, m, len, 0, (struct sockaddr *)&from, fl);
        len = response(m, id, 0, "other.example.com", 1, 0, "", 0);
        sendto(f->fd, m, len, 0, (struct sockaddr *)&from, fl);
        len = response(m, id, 0, "www.example.com", 1, 1, a, sizeof a - 1);
        sendto(f->fd, m, len, 0, (struct sockaddr *)&from, fl);
    }
}

static void live(void **state)
{
    (void)state;
    fake f = {socket(AF_INET, SOCK_DGRAM, 0), 0};
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t sl = sizeof sa;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(f.fd >= 0);
    assert_int_equal(bind(f.fd, (struct sockaddr *)&sa, sl), 0);
    assert_int_equal(getsockname(f.fd, (struct sockaddr *)&sa, &sl), 0);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, fake_main, &f), 0);

    char spec[64], err[256];
    snprintf(spec, sizeof spec, "127.0.0.1@%u", ntohs(sa.sin_port));
    mr_stub *s = NULL;
    assert_int_equal(mr_stub_new(spec, &s, err, sizeof err), 0);
    int slot = mr_stub_send(s, "www.example.com", 1, err, sizeof err);
    assert_true(slot >= 0);
    int64_t t0 = mr_now_ms();
    mr_dns_answer_reset(&ans);
    assert_int_equal(mr_stub_wait(s, slot, t0 + 3000, &ans, err, sizeof err),
                     MR_DNS_NOERROR);
    assert_int_equal(ans.n, 1);
    assert_memory_equal(mr_dns_rr_data(&ans, 0), "\300\0\2\1", 4);
    assert_true(f.seen >= 2);                      /* it was resent */
    assert_true(mr_now_ms() - t0 >= MR_STUB_RETRY_MS - 5);
    /* An invalid name is refused before anything is sent. */
    assert_int_equal(mr_stub_send(s, "a..b", 1, err, sizeof err), -1);
    mr_stub_free(s);

    /* A silent server: the deadline holds. */
    assert_int_equal(mr_stub_new("127.0.0.1@9", &s, err, sizeof err), 0);
    slot = mr_stub_send(s, "www.example.com", 1, err, sizeof err);
    t0 = mr_now_ms();
    mr_dns_answer_reset(&ans);
    assert_int_equal(mr_stub_wait(s, slot, t0 + 300, &ans, err, sizeof err),
                     MR_DNS_TIMEOUT);
    assert_true(mr_now_ms() - t0 < 1000);
    mr_stub_free(s);
    shutdown(f.fd, SHUT_RDWR);
    /* recvfrom may not wake on shutdown of UDP: send it an empty datagram. */
    int k = socket(AF_INET, SOCK_DGRAM, 0);
    sendto(k, "", 0, 0, (struct sockaddr *)&sa, sizeof sa);
    close(k);
    pthread_join(t, NULL);
    close(f.fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_wire), cmocka_unit_test(read_answers),
        cmocka_unit_test(live),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
