/*
 * test_exposure.c — the readers and judges of `mamori exposure`: the
 * /proc/net/{tcp,udp}{,6} text (listening and bound sockets kept, others
 * and malformed lines left out, IPv6 words in host order), bind scopes,
 * the systemd unit in /proc/PID/cgroup, the catalogue (by executable
 * before port; every entry's texts present) and the nftables ruleset's
 * verdicts (policy, iif lo, ct state, dport sets and ranges, saddr,
 * conditions not modelled, jumps and a loop of them, families), and
 * the probes' reply parsers (Redis, memcached, HTTP, FTP, MongoDB, SNMP,
 * DNS),
 * scan targets and port lists, and pg_hba.conf (lines, and the files of
 * every cluster under a root).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <ftw.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exposure/exposure.h"
#include "mamori/finding.h"

#define MR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Removes the tree at root. */
static int nftw_rm(const char *root)
{
    return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

#define HEAD "  sl  local_address rem_address   st tx_queue rx_queue tr " \
             "tm->when retrnsmt   uid  timeout inode\n"

static void proc_net_v4(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 "
        "00000000     0        0 4242 1 0 100 0 0 10 0\n"
        "   1: 00000000:18EB 00000000:0000 0A 00000000:00000000 00:00000000 "
        "00000000   110        0 777 1 0 100 0 0 10 0\n"
        /* established: not a listener */
        "   2: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 "
        "00000000     0        0 4243 1 0 100 0 0 10 0\n"
        "   3: garbage\n"
        "   4: 0A63000A:0016 00000000:0000 0A 00000000:00000000 00:00000000 "
        "00000000     0        0 99 1 0 100 0 0 10 0";   /* no newline */
    mr_xp_list l;
    uint64_t bad = 0;
    memset(&l, 0, sizeof(l));
    assert_int_equal(mr_xp_parse_proc_net(&l, MR_XP_TCP, AF_INET, text,
                                          strlen(text), &bad), MAMORI_OK);
    assert_int_equal(bad, 1);
    assert_int_equal(l.n, 3);
    mr_xp_list_sort(&l);
    assert_int_equal(l.v[0].port, 22);
    assert_string_equal(l.v[0].address, "10.0.99.10");
    assert_int_equal(l.v[0].scope, MR_XP_ADDRESS);
    assert_int_equal(l.v[1].port, 6379);
    assert_string_equal(l.v[1].address, "0.0.0.0");
    assert_int_equal(l.v[1].scope, MR_XP_ALL);
    assert_int_equal(l.v[1].inode, 777);
    assert_int_equal(l.v[2].port, 8080);
    assert_string_equal(l.v[2].address, "127.0.0.1");
    assert_int_equal(l.v[2].scope, MR_XP_LOOPBACK);
    mr_xp_list_free(&l);
}

static void proc_net_v6_udp(void **state)
{
    (void)state;
    const char *text =
        HEAD
        "  10: 00000000000000000000000001000000:0035 "
        "00000000000000000000000000000000:0000 07 00000000:00000000 "
        "00:00000000 00000000     0        0 55 2 0 0\n"
        "  11: 00000000000000000000000000000000:00A1 "
        "00000000000000000000000000000000:0000 07 00000000:00000000 "
        "00:00000000 00000000     0        0 56 2 0 0\n"
        /* connected to a peer: no stranger reaches it */
        "  12: 00000000000000000000000000000000:1000 "
        "00000000000000000000000001000000:0035 07 00000000:00000000 "
        "00:00000000 00000000     0        0 57 2 0 0\n";
    mr_xp_list l;
    uint64_t bad = 0;
    memset(&l, 0, sizeof(l));
    assert_int_equal(mr_xp_parse_proc_net(&l, MR_XP_UDP, AF_INET6, text,
                                          strlen(text), &bad), MAMORI_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(l.n, 2);
    mr_xp_list_sort(&l);
    assert_int_equal(l.v[0].port, 53);
    assert_string_equal(l.v[0].address, "::1");
    assert_int_equal(l.v[0].scope, MR_XP_LOOPBACK);
    assert_int_equal(l.v[1].port, 161);
    assert_string_equal(l.v[1].address, "::");
    assert_int_equal(l.v[1].scope, MR_XP_ALL);
    mr_xp_list_free(&l);
}

static void scopes(void **state)
{
    (void)state;
    uint8_t a[16];
    assert_int_equal(inet_pton(AF_INET6, "::ffff:127.0.0.5", a), 1);
    assert_int_equal(mr_xp_scope_of(AF_INET6, a), MR_XP_LOOPBACK);
    assert_int_equal(inet_pton(AF_INET6, "::ffff:192.0.2.1", a), 1);
    assert_int_equal(mr_xp_scope_of(AF_INET6, a), MR_XP_ADDRESS);
    assert_int_equal(inet_pton(AF_INET6, "fe80::1", a), 1);
    assert_int_equal(mr_xp_scope_of(AF_INET6, a), MR_XP_ADDRESS);
    assert_int_equal(inet_pton(AF_INET, "127.255.0.1", a), 1);
    assert_int_equal(mr_xp_scope_of(AF_INET, a), MR_XP_LOOPBACK);
}

static void cgroup_units(void **state)
{
    (void)state;
    char u[MR_XP_UNIT_MAX];
    const char *v2 = "0::/system.slice/redis-server.service\n";
    mr_xp_unit_of_cgroup(v2, strlen(v2), u, sizeof(u));
    assert_string_equal(u, "redis-server.service");
    const char *user = "0::/user.slice/user-1000.slice/user@1000.service/"
                       "app.slice/app-x.scope\n";
    mr_xp_unit_of_cgroup(user, strlen(user), u, sizeof(u));
    assert_string_equal(u, "app-x.scope");
    const char *none = "0::/\n";
    mr_xp_unit_of_cgroup(none, strlen(none), u, sizeof(u));
    assert_string_equal(u, "");
    const char *v1 = "12:pids:/system.slice/ssh.service\n"
                     "1:name=systemd:/system.slice/ssh.service\n";
    mr_xp_unit_of_cgroup(v1, strlen(v1), u, sizeof(u));
    assert_string_equal(u, "ssh.service");
}

static void catalogue(void **state)
{
    (void)state;
    size_t n;
    const mr_xp_service *s = mr_xp_services(&n);
    assert_true(n >= 25);
    for (size_t i = 0; i < n; i++) {
        assert_true(s[i].why_en[0] && s[i].why_ja[0] && s[i].fix_en[0] &&
                    s[i].fix_ja[0] && s[i].source[0] && s[i].ports[0]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s[i].id, s[j].id);
    }
    int r = mr_xp_service_find(MR_XP_TCP, 7000, "/usr/bin/redis-server",
                               "redis-server");
    assert_true(r >= 0);
    assert_string_equal(s[r].id, "redis");     /* not Cassandra's 7000 */
    r = mr_xp_service_find(MR_XP_TCP, 3389, "/usr/bin/python3", "python3");
    assert_string_equal(s[r].id, "rdp");
    r = mr_xp_service_find(MR_XP_UDP, 161, NULL, NULL);
    assert_string_equal(s[r].id, "snmp");
    assert_int_equal(mr_xp_service_find(MR_XP_TCP, 8443, "", ""), -1);
    assert_int_equal(mr_xp_service_find(MR_XP_UDP, 3389, "", ""), -1);
}

/* A ruleset in nft's JSON: one inet input chain (policy p) with rules
 * given as JSON expr arrays, and a chain "svc" to jump to. */
static mr_xp_fw *ruleset(const char *policy, const char *const *rules,
                         const char *const *svc)
{
    static char buf[16384];
    size_t used = 0;
    used += (size_t)snprintf(buf + used, sizeof(buf) - used,
        "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}},"
        "{\"table\": {\"family\": \"inet\", \"name\": \"f\"}},"
        "{\"chain\": {\"family\": \"inet\", \"table\": \"f\", \"name\": "
        "\"input\", \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, "
        "\"policy\": \"%s\"}},"
        "{\"chain\": {\"family\": \"inet\", \"table\": \"f\", \"name\": "
        "\"svc\"}}", policy);
    for (size_t i = 0; rules && rules[i]; i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used,
            ",{\"rule\": {\"family\": \"inet\", \"table\": \"f\", \"chain\": "
            "\"input\", \"expr\": %s}}", rules[i]);
    for (size_t i = 0; svc && svc[i]; i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used,
            ",{\"rule\": {\"family\": \"inet\", \"table\": \"f\", \"chain\": "
            "\"svc\", \"expr\": %s}}", svc[i]);
    used += (size_t)snprintf(buf + used, sizeof(buf) - used, "]}");
    assert_true(used < sizeof(buf));
    mr_xp_fw *fw = NULL;
    assert_int_equal(mr_xp_fw_parse(buf, used, &fw), MAMORI_OK);
    return fw;
}

static mr_xp_filtered verdict(const mr_xp_fw *fw, mr_xp_proto proto,
                              int family, uint16_t port)
{
    mr_xp_listener l;
    memset(&l, 0, sizeof(l));
    l.proto = proto;
    l.family = family;
    l.port = port;
    l.scope = MR_XP_ALL;
    return mr_xp_fw_judge(fw, &l);
}

#define DPORT(p, v) "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": " \
    "{\"protocol\": \"" p "\", \"field\": \"dport\"}}, \"right\": " v "}}"
#define LO "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": " \
    "\"iif\"}}, \"right\": \"lo\"}}"
#define EST "{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": " \
    "\"state\"}}, \"right\": [\"established\", \"related\"]}}"
#define SADDR "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": " \
    "{\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"right\": {\"prefix\": " \
    "{\"addr\": \"10.0.0.0\", \"len\": 8}}}}"
#define IIFNAME "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": " \
    "\"iifname\"}}, \"right\": \"eth0\"}}"
#define ACCEPT "{\"accept\": null}"
#define DROP "{\"drop\": null}"
#define REJECT "{\"reject\": {\"type\": \"tcp reset\"}}"
#define JUMP(t) "{\"jump\": {\"target\": \"" t "\"}}"

static void firewall_policy(void **state)
{
    (void)state;
    const char *const rules[] = {
        "[" LO ", " ACCEPT "]",
        "[" EST ", " ACCEPT "]",
        "[" DPORT("tcp", "22") ", {\"counter\": {\"packets\": 0}}, " ACCEPT "]",
        "[" DPORT("tcp", "{\"set\": [80, {\"range\": [8000, 8099]}]}") ", "
            ACCEPT "]",
        "[" SADDR ", " DPORT("tcp", "6379") ", " ACCEPT "]",
        "[" DPORT("udp", "53") ", " DROP "]",
        "[" IIFNAME ", " DPORT("tcp", "3306") ", " ACCEPT "]",
        NULL};
    mr_xp_fw *fw = ruleset("drop", rules, NULL);
    assert_int_equal(mr_xp_fw_input_chains(fw), 1);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET6, 22), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_UDP, AF_INET, 22), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 80), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 8050), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 8100), MR_XP_FILTER_YES);
    /* only from 10/8: limited, so filtered */
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 6379), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_UDP, AF_INET, 53), MR_XP_FILTER_YES);
    /* accepted on one interface: mamori cannot tell */
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 3306),
                     MR_XP_FILTER_UNKNOWN);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 11211), MR_XP_FILTER_YES);
    mr_xp_fw_free(fw);

    const char *const open_rules[] = {
        "[" DPORT("tcp", "11211") ", " REJECT "]",
        "[" DPORT("tcp", "{\"set\": [2375, 2376]}") ", " DROP "]", NULL};
    fw = ruleset("accept", open_rules, NULL);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 11211), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 2376), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 6379), MR_XP_FILTER_NO);
    mr_xp_fw_free(fw);
}

static void firewall_jumps(void **state)
{
    (void)state;
    const char *const rules[] = {"[" JUMP("svc") "]", NULL};
    const char *const svc[] = {"[" DPORT("tcp", "6379") ", " ACCEPT "]",
                               "[" DPORT("tcp", "11211") ", " DROP "]",
                               "[{\"return\": null}]", NULL};
    mr_xp_fw *fw = ruleset("drop", rules, svc);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 6379), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 11211), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22), MR_XP_FILTER_YES);
    mr_xp_fw_free(fw);

    /* svc jumps to itself: a loop ends as unknown, not a hang */
    const char *const loop[] = {"[" JUMP("svc") "]", NULL};
    fw = ruleset("accept", rules, loop);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22),
                     MR_XP_FILTER_UNKNOWN);
    mr_xp_fw_free(fw);

    /* a jump to a chain that is not there */
    const char *const nowhere[] = {"[" JUMP("gone") "]", NULL};
    fw = ruleset("accept", nowhere, NULL);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22),
                     MR_XP_FILTER_UNKNOWN);
    mr_xp_fw_free(fw);
}

/* firewalld's shape: accept DNATed and loopback first, zones by
 * interface then the default zone (goto), a final reject. */
static void firewall_firewalld(void **state)
{
    (void)state;
    const char *const rules[] = {
        "[" EST ", " ACCEPT "]",
        "[{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": "
            "\"status\"}}, \"right\": \"dnat\"}}, " ACCEPT "]",
        "[" LO ", " ACCEPT "]",
        "[{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": "
            "\"pkttype\"}}, \"right\": \"broadcast\"}}, " DROP "]",
        "[{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
            "{\"protocol\": \"icmp\", \"field\": \"type\"}}, \"right\": "
            "\"echo-request\"}}, " ACCEPT "]",
        "[" JUMP("svc") "]",
        "[" REJECT "]",
        NULL};
    const char *const svc[] = {
        "[" DPORT("tcp", "22") ", {\"match\": {\"op\": \"in\", \"left\": "
            "{\"ct\": {\"key\": \"state\"}}, \"right\": [\"new\", "
            "\"untracked\"]}}, " ACCEPT "]",
        NULL};
    mr_xp_fw *fw = ruleset("accept", rules, svc);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET6, 22), MR_XP_FILTER_NO);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 6379), MR_XP_FILTER_YES);
    assert_int_equal(verdict(fw, MR_XP_UDP, AF_INET, 161), MR_XP_FILTER_YES);
    mr_xp_fw_free(fw);
}

static void firewall_none_and_broken(void **state)
{
    (void)state;
    const char *empty = "{\"nftables\": [{\"metainfo\": {}}]}";
    mr_xp_fw *fw = NULL;
    assert_int_equal(mr_xp_fw_parse(empty, strlen(empty), &fw), MAMORI_OK);
    assert_int_equal(mr_xp_fw_input_chains(fw), 0);
    assert_int_equal(verdict(fw, MR_XP_TCP, AF_INET, 22), MR_XP_FILTER_NO);
    mr_xp_fw_free(fw);
    const char *cut = "{\"nftables\": [{\"chain\": {\"family\": \"in";
    assert_int_not_equal(mr_xp_fw_parse(cut, strlen(cut), &fw), MAMORI_OK);
    assert_null(fw);
}

static void replies(void **state)
{
    (void)state;
    assert_int_equal(mr_xp_redis_reply("+PONG\r\n", 7), MR_XP_AUTH_NONE);
    const char *noauth = "-NOAUTH Authentication required.\r\n";
    assert_int_equal(mr_xp_redis_reply(noauth, strlen(noauth)),
                     MR_XP_AUTH_REQUIRED);
    const char *denied = "-DENIED Redis is running in protected mode\r\n";
    assert_int_equal(mr_xp_redis_reply(denied, strlen(denied)),
                     MR_XP_AUTH_REQUIRED);
    assert_int_equal(mr_xp_redis_reply("+PON", 4), MR_XP_AUTH_UNPROBED);
    const char *stat = "STAT pid 42\r\nSTAT uptime 9\r\n";
    assert_int_equal(mr_xp_memcached_reply(stat, strlen(stat)),
                     MR_XP_AUTH_NONE);
    const char *sasl = "CLIENT_ERROR unauthenticated\r\n";
    assert_int_equal(mr_xp_memcached_reply(sasl, strlen(sasl)),
                     MR_XP_AUTH_REQUIRED);
    const char *ok = "HTTP/1.1 200 OK\r\n";
    const char *unauth = "HTTP/1.0 401 Unauthorized\r\n";
    assert_int_equal(mr_xp_http_reply(ok, strlen(ok)), MR_XP_AUTH_NONE);
    assert_int_equal(mr_xp_http_reply(unauth, strlen(unauth)),
                     MR_XP_AUTH_REQUIRED);
    assert_int_equal(mr_xp_http_reply("HTTP/1.1", 8), MR_XP_AUTH_UNPROBED);
    /* FTP: the last complete line decides; an unfinished one waits */
    const char *multi = "220-Welcome\r\n220-to\r\n220 ready\r\n";
    assert_int_equal(mr_xp_ftp_code(multi, strlen(multi)), 220);
    assert_int_equal(mr_xp_ftp_code("230 Login", 9), 0);
    assert_int_equal(mr_xp_ftp_code("230 Login ok\r\n", 14), 230);
    assert_int_equal(mr_xp_ftp_code("220-x\r\n", 7), 0);
    /* SNMP: a GetResponse to the community sent */
    static const uint8_t snmp_ok[] = {0x30, 0x10, 0x02, 0x01, 0x01, 0x04,
                                      0x06, 'p', 'u', 'b', 'l', 'i', 'c',
                                      0xa2, 0x03, 0x02, 0x01, 0x00};
    assert_int_equal(mr_xp_snmp_reply(snmp_ok, sizeof(snmp_ok)),
                     MR_XP_AUTH_NONE);
    assert_int_equal(mr_xp_snmp_reply(snmp_ok, 13), MR_XP_AUTH_UNPROBED);
    static const uint8_t snmp_lying[] = {0x30, 0x10, 0x02, 0x01, 0x01,
                                         0x04, 0x7f, 'p'};
    assert_int_equal(mr_xp_snmp_reply(snmp_lying, sizeof(snmp_lying)),
                     MR_XP_AUTH_UNPROBED);
    /* DNS: RA and NOERROR answer strangers; REFUSED or no RA does not */
    uint8_t dns[12] = {0x6d, 0x6d, 0x81, 0x80};
    assert_int_equal(mr_xp_dns_reply(dns, sizeof(dns)), MR_XP_AUTH_NONE);
    dns[3] = 0x85;
    assert_int_equal(mr_xp_dns_reply(dns, sizeof(dns)), MR_XP_AUTH_REQUIRED);
    dns[3] = 0x00;
    assert_int_equal(mr_xp_dns_reply(dns, sizeof(dns)), MR_XP_AUTH_REQUIRED);
    dns[2] = 0x01;                                   /* a query, not an answer */
    assert_int_equal(mr_xp_dns_reply(dns, sizeof(dns)), MR_XP_AUTH_UNPROBED);
    assert_int_equal(mr_xp_dns_reply(dns, 11), MR_XP_AUTH_UNPROBED);
    size_t qlen = 0;
    assert_non_null(mr_xp_udp_request("dns", &qlen));
    assert_int_equal(qlen, 17);
    assert_null(mr_xp_udp_request("redis", &qlen));
    /* MongoDB OP_MSG: {ok: 1.0}, then {ok: 0.0, code: 13} */
    uint8_t msg[64];
    for (int okv = 1; okv >= 0; okv--) {
        memset(msg, 0, sizeof(msg));
        uint8_t *d = msg + 21;
        size_t k = 4;
        d[k++] = 0x01;
        memcpy(d + k, "ok", 3);
        k += 3;
        double v = okv;
        memcpy(d + k, &v, 8);
        k += 8;
        d[k++] = 0x10;
        memcpy(d + k, "code", 5);
        k += 5;
        d[k] = okv ? 0 : 13;
        k += 4;
        d[k++] = 0;
        d[0] = (uint8_t)k;
        msg[0] = (uint8_t)(21 + k);
        msg[12] = 2013 & 0xff;
        msg[13] = 2013 >> 8;
        assert_int_equal(mr_xp_mongo_reply(msg, 21 + k),
                         okv ? MR_XP_AUTH_NONE : MR_XP_AUTH_REQUIRED);
        /* a document that says it is longer than the message */
        d[0] = 60;
        assert_int_equal(mr_xp_mongo_reply(msg, 21 + k),
                         MR_XP_AUTH_UNPROBED);
    }
}

static void scan_targets(void **state)
{
    (void)state;
    mr_xp_target t;
    char a[64];
    assert_int_equal(mr_xp_target_parse("192.0.2.7", &t), MAMORI_OK);
    assert_int_equal(t.hosts, 1);
    assert_int_equal(mr_xp_target_parse("192.0.2.9/24", &t), MAMORI_OK);
    assert_int_equal(t.hosts, 256);
    assert_string_equal(inet_ntop(AF_INET, t.addr, a, sizeof(a)),
                        "192.0.2.0");
    assert_int_equal(mr_xp_target_parse("fd00::1:ff/120", &t), MAMORI_OK);
    assert_int_equal(t.family, AF_INET6);
    assert_int_equal(t.hosts, 256);
    assert_string_equal(inet_ntop(AF_INET6, t.addr, a, sizeof(a)),
                        "fd00::1:0");
    assert_int_equal(mr_xp_target_parse("10.0.0.0/16", &t), MAMORI_OK);
    assert_int_equal(t.hosts, 65536);
    assert_int_equal(mr_xp_target_parse("10.0.0.0/8", &t),
                     MAMORI_E_TOO_LARGE);
    assert_int_equal(mr_xp_target_parse("example.com", &t), MAMORI_E_INVAL);
    assert_int_equal(mr_xp_target_parse("192.0.2.1/33", &t), MAMORI_E_INVAL);
    assert_int_equal(mr_xp_target_parse("192.0.2.1/", &t), MAMORI_E_INVAL);
    assert_int_equal(mr_xp_target_parse("/24", &t), MAMORI_E_INVAL);
}

static void scan_ports(void **state)
{
    (void)state;
    uint16_t *p = NULL;
    size_t n = 0;
    assert_int_equal(mr_xp_ports_parse("8002,22,80,8000-8002,22", &p, &n),
                     MAMORI_OK);
    assert_int_equal(n, 5);
    assert_int_equal(p[0], 22);
    assert_int_equal(p[1], 80);
    assert_int_equal(p[2], 8000);
    assert_int_equal(p[4], 8002);
    free(p);
    assert_int_equal(mr_xp_ports_parse("1-65535", &p, &n), MAMORI_OK);
    assert_int_equal(n, 65535);
    assert_int_equal(p[65534], 65535);
    free(p);
    static const char *const bad[] = {"", "0", "65536", "5-3", "22;80",
                                      "x", "-5", "1-", NULL};
    for (size_t i = 0; bad[i]; i++) {
        assert_int_equal(mr_xp_ports_parse(bad[i], &p, &n), MAMORI_E_INVAL);
        assert_null(p);
    }
}

static void pg_hba_lines(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int want;
    } cases[] = {
        {"host all all 0.0.0.0/0 scram-sha-256", MR_XP_HBA_PASSWORD},
        {"hostssl all all ::/0 md5", MR_XP_HBA_PASSWORD},
        {"host all all all trust", MR_XP_HBA_TRUST},
        {"host\tall\tall\t0.0.0.0\t0.0.0.0\ttrust", MR_XP_HBA_TRUST},
        {"host all all 10.0.0.0 255.0.0.0 trust", 0},
        {"host all all 127.0.0.1/32 trust", 0},
        {"local all all trust", 0},
        {"host all all 0.0.0.0/0 reject", 0},
        {"# host all all 0.0.0.0/0 trust", 0},
        {"host all all 0.0.0.0/0 # trust", 0},
        {"host \"all db\" all 0.0.0.0/0 password", MR_XP_HBA_PASSWORD},
        {"host all", 0},
        {"", 0},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++)
        assert_int_equal(mr_xp_hba_line(cases[i].line,
                                        strlen(cases[i].line)),
                         cases[i].want);
}

static void pg_hba_files(void **state)
{
    (void)state;
    char root[256], path[512];
    snprintf(root, sizeof(root), "%s/mamori-pghba.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(root));
    static const char *const dirs[] = {"etc", "etc/postgresql",
                                       "etc/postgresql/15",
                                       "etc/postgresql/15/main",
                                       "etc/postgresql/16",
                                       "etc/postgresql/16/main", NULL};
    for (size_t i = 0; dirs[i]; i++) {
        snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
        assert_int_equal(mkdir(path, 0755), 0);
    }
    snprintf(path, sizeof(path), "%s/etc/postgresql/15/main/pg_hba.conf",
             root);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("local all postgres peer\nhost all all 0.0.0.0/0 md5\n", f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/etc/postgresql/16/main/pg_hba.conf",
             root);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("# cluster 16\n\nhost all all 127.0.0.1/32 md5\n"
          "host all all all trust\n", f);
    fclose(f);
    mamori_sysroot *sr = NULL;
    assert_int_equal(mamori_sysroot_new(root, &sr), MAMORI_OK);
    char file[MAMORI_SYSROOT_PATH_MAX];
    uint64_t line = 0;
    assert_int_equal(mr_xp_pg_hba(sr, file, sizeof(file), &line),
                     MR_XP_HBA_TRUST);
    assert_string_equal(file, "/etc/postgresql/16/main/pg_hba.conf");
    assert_int_equal(line, 4);
    mamori_sysroot_free(sr);
    assert_int_equal(nftw_rm(root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(proc_net_v4),
        cmocka_unit_test(proc_net_v6_udp),
        cmocka_unit_test(scopes),
        cmocka_unit_test(cgroup_units),
        cmocka_unit_test(catalogue),
        cmocka_unit_test(firewall_policy),
        cmocka_unit_test(firewall_jumps),
        cmocka_unit_test(firewall_firewalld),
        cmocka_unit_test(firewall_none_and_broken),
        cmocka_unit_test(replies),
        cmocka_unit_test(scan_targets),
        cmocka_unit_test(scan_ports),
        cmocka_unit_test(pg_hba_lines),
        cmocka_unit_test(pg_hba_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
