/*
 * test_dns_records.c — the parsers of lib/dns/records.h (DMARC, DKIM,
 * MTA-STS, TLS-RPT), the Public Suffix List and the wire-rdata reader,
 * on good records, every error we promise an offset for, and hostile
 * bytes.
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#include "dns/dns.h"
#include "dns/psl.h"
#include "dns/records.h"
#include "dns/resolver.h"

#define S(lit) lit, sizeof(lit) - 1

static void dmarc_good(void **state)
{
    (void)state;
    mr_dmarc m;
    mr_rec_error e;
    assert_true(mr_dmarc_is_record(S("v=DMARC1; p=reject")));
    assert_false(mr_dmarc_is_record(S("v=DMARC10; p=reject")));
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=quarantine; sp=none; "
        "rua=mailto:a@example.com!10m, mailto:b@Report.Example.NET; "
        "pct=50; adkim=s; fo=0:d; ri=3600; zz=1"), &m, &e), 0);
    assert_int_equal(m.p, MR_DMARC_QUARANTINE);
    assert_int_equal(m.sp, MR_DMARC_NONE);
    assert_int_equal(m.pct, 50);
    assert_int_equal(m.adkim, 's');
    assert_int_equal(m.aspf, 'r');
    assert_int_equal(m.n_rua, 2);
    assert_int_equal(m.warn.n, 1);      /* zz */
    char d[MR_DNS_NAME_MAX + 1];
    assert_int_equal(mr_dmarc_uri_domain(m.rua[0], d, sizeof d), 0);
    assert_string_equal(d, "example.com");
    assert_int_equal(mr_dmarc_uri_domain(m.rua[1], d, sizeof d), 0);
    assert_string_equal(d, "report.example.net");
}

static void dmarc_errors(void **state)
{
    (void)state;
    mr_dmarc m;
    mr_rec_error e;
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=rejected"), &m, &e), -1);
    assert_int_equal(e.offset, 10);
    assert_int_equal(mr_dmarc_parse(S("p=reject; v=DMARC1"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; rua=mailto:a@b.c"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=none; pct=101"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=none; p=reject"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=none; rua=nourl"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=none; fo=2"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p=none\x01"), &m, &e), -1);
    assert_int_equal(mr_dmarc_parse(S("v=DMARC1; p"), &m, &e), -1);
}

static void dkim_keys(void **state)
{
    (void)state;
    static mr_dkim_key k;
    mr_rec_error e;
    char why[128];
    /* A 1024-bit RSA SubjectPublicKeyInfo, folded with spaces. */
    static const char rec[] = "v=DKIM1; k=rsa; t=y; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDIRq4IZeXu4/oM1OrgDEmO"
        " 1mvLQ9PbVdkfuf6wcUasi9+cEaaVKpK/uHW3iXr6eZF3JNVt9pGiQcc5ElpU"
        "CpgDhYWqi56HTOR3txRNlns23qMAod94bVP0RUcH18Hs/bvygAKdWQUcappE"
        " /xJhth7gJA3la1aaLmo+hNIhO6ITrQIDAQAB";
    assert_int_equal(mr_dkim_parse(S(rec), &k, &e), 0);
    assert_true(k.testing);
    assert_false(k.revoked);
    int bits = mr_dkim_key_bits(&k, why, sizeof why);
    assert_int_equal(bits, 1024);
    assert_int_equal(mr_dkim_parse(S("v=DKIM1; p="), &k, &e), 0);
    assert_true(k.revoked);
    assert_int_equal(mr_dkim_parse(S("v=DKIM1; p=ab*cd"), &k, &e), -1);
    assert_int_equal(mr_dkim_parse(S("v=DKIM1; k=dsa; p=AAAA"), &k, &e), -1);
    assert_int_equal(mr_dkim_parse(S("k=rsa; v=DKIM1; p=AAAA"), &k, &e), -1);
    assert_int_equal(mr_dkim_parse(S("v=DKIM1"), &k, &e), -1);
    assert_int_equal(mr_dkim_parse(S("v=DKIM1; p=AAAA"), &k, &e), 0);
    assert_int_equal(mr_dkim_key_bits(&k, why, sizeof why), -1);
}

static void mta_sts(void **state)
{
    (void)state;
    static mr_sts_policy p;
    mr_rec_error e;
    char id[MR_STS_ID_MAX + 1];
    size_t n;
    assert_int_equal(mr_sts_txt_parse(S("v=STSv1; id=20260101T0"), id, &e), 0);
    assert_string_equal(id, "20260101T0");
    assert_int_equal(mr_sts_txt_parse(S("v=STSv1; id=a-b"), id, &e), -1);
    assert_int_equal(mr_sts_txt_parse(S("v=STSv1"), id, &e), -1);
    assert_int_equal(mr_sts_policy_parse(S("version: STSv1\r\nmode: enforce\r\n"
        "mx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n"), &p, &e), 0);
    assert_int_equal(p.mode, MR_STS_ENFORCE);
    assert_int_equal(p.n_mx, 2);
    assert_true(mr_sts_mx_match(p.mx[1], "mx1.example.net."));
    assert_false(mr_sts_mx_match(p.mx[1], "a.mx1.example.net"));
    assert_false(mr_sts_mx_match(p.mx[1], "example.net"));
    assert_true(mr_sts_mx_match(p.mx[0], "MAIL.example.com"));
    assert_int_equal(mr_sts_policy_parse(S("version: STSv1\nmode: enforce\nmax_age: 1\n"), &p, &e), -1);
    assert_int_equal(mr_sts_policy_parse(S("version: STSv1\nmode: sometimes\n"), &p, &e), -1);
    assert_int_equal(mr_sts_policy_parse(S("garbage"), &p, &e), -1);
    assert_int_equal(mr_tlsrpt_parse(S("v=TLSRPTv1; rua=mailto:a@b.c,https://r.example/x"), &n, &e), 0);
    assert_int_equal(n, 2);
    assert_int_equal(mr_tlsrpt_parse(S("v=TLSRPTv1; rua=ftp://x"), &n, &e), -1);
}

static void psl(void **state)
{
    (void)state;
    char o[MR_DNS_NAME_MAX + 1];
    mr_psl *l = mr_psl_load(NULL);
    if (l == NULL) {
        skip();
        return;
    }
    assert_true(mr_psl_count(l) > 1000);
    assert_int_equal(mr_psl_org_domain(l, "mail.example.co.jp", o, sizeof o), 0);
    assert_string_equal(o, "example.co.jp");
    assert_int_equal(mr_psl_org_domain(l, "a.b.Example.COM.", o, sizeof o), 0);
    assert_string_equal(o, "example.com");
    assert_int_equal(mr_psl_org_domain(l, "co.jp", o, sizeof o), -1);
    assert_int_equal(mr_psl_org_domain(l, "x.good.test", o, sizeof o), 0);
    assert_string_equal(o, "good.test");
    mr_psl_free(l);
}

static void rdata(void **state)
{
    (void)state;
    static mr_dns_answer a;
    mr_dns_answer_reset(&a);
    static const unsigned char txt[] = {3, 'a', 'b', 'c', 0, 2, 'd', 'e'};
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_TXT, txt, sizeof txt), 0);
    assert_int_equal(a.rr[0].len, 5);
    assert_memory_equal(mr_dns_rr_data(&a, 0), "abcde", 5);
    static const unsigned char bad_txt[] = {9, 'a'};
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_TXT, bad_txt, sizeof bad_txt), -1);
    static const unsigned char mx[] = {0, 10, 2, 'm', 'x', 1, 'a', 0};
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_MX, mx, sizeof mx), 0);
    assert_int_equal(a.rr[1].pref, 10);
    assert_memory_equal(mr_dns_rr_data(&a, 1), "mx.a", 4);
    static const unsigned char nullmx[] = {0, 0, 0};
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_MX, nullmx, 3), 0);
    assert_memory_equal(mr_dns_rr_data(&a, 2), ".", 1);
    static const unsigned char ptr[] = {0, 10, 0xc0, 0x0c};   /* compression */
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_MX, ptr, sizeof ptr), -1);
    static const unsigned char odd[] = {0, 10, 3, 'a', '.', 0xff, 0};
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_MX, odd, sizeof odd), 0);
    assert_memory_equal(mr_dns_rr_data(&a, 3), "a\\046\\255", 9);
    assert_int_equal(mr_dns_answer_add_rdata(&a, MR_DNS_T_A, txt, 5), -1);
    assert_int_equal(a.n, 4);
}

static void server_spec(void **state)
{
    (void)state;
    char b[80];
    assert_int_equal(mr_ub_server_spec("127.0.0.1:5353", b, sizeof b), 0);
    assert_string_equal(b, "127.0.0.1@5353");
    assert_int_equal(mr_ub_server_spec("::1", b, sizeof b), 0);
    assert_string_equal(b, "::1@53");
    assert_int_equal(mr_ub_server_spec("[::1]:99", b, sizeof b), 0);
    assert_string_equal(b, "::1@99");
    assert_int_equal(mr_ub_server_spec("host.example:53", b, sizeof b), -1);
    assert_int_equal(mr_ub_server_spec("127.0.0.1:0", b, sizeof b), -1);
    assert_int_equal(mr_ub_server_spec("127.0.0.1:99999", b, sizeof b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dmarc_good), cmocka_unit_test(dmarc_errors),
        cmocka_unit_test(dkim_keys), cmocka_unit_test(mta_sts),
        cmocka_unit_test(psl), cmocka_unit_test(rdata),
        cmocka_unit_test(server_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
