/*
 * test_spf.c — unit tests of the SPF engine (lib/dns/spf*.c): parser
 * errors and their offsets, the macro examples of RFC 7208 7.4, and the
 * processing limits and hostile answers of check_host(), through a tiny
 * table-driven resolver. The RFC 7208 suite itself runs in spf-rfc7208.
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>
#include <strings.h>

#include "dns/spf.h"

/* ---- parser ------------------------------------------------------------- */

static void parse_ok(const char *rec, mr_spf_record *r)
{
    mr_spf_error err;
    int rc = mr_spf_parse(rec, strlen(rec), r, &err);
    if (rc != 0)
        fail_msg("'%s': %s", rec, err.msg);
}

static void test_parse_terms(void **state)
{
    (void)state;
    static mr_spf_record r;
    parse_ok("v=spf1 -ip4:192.0.2.0/24 ~a:%{d}.example.com/28//64 "
             "?mx ptr include:_spf.example.net exists:%{i}.bl.example "
             "ip6:2001:db8::/32 foo=bar redirect=x.example.com "
             "exp=why.example.com +all", &r);
    assert_int_equal(r.n_terms, 11);
    assert_int_equal(r.terms[0].kind, MR_SPF_IP4);
    assert_int_equal(r.terms[0].qualifier, '-');
    assert_int_equal(r.terms[0].cidr4, 24);
    assert_int_equal(r.terms[0].addr[0], 192);
    assert_int_equal(r.terms[1].kind, MR_SPF_A);
    assert_int_equal(r.terms[1].qualifier, '~');
    assert_int_equal(r.terms[1].cidr4, 28);
    assert_int_equal(r.terms[1].cidr6, 64);
    assert_int_equal(r.terms[1].domain.n, strlen("%{d}.example.com"));
    assert_int_equal(r.terms[2].kind, MR_SPF_MX);
    assert_int_equal(r.terms[2].cidr4, 32);
    assert_int_equal(r.terms[2].domain.n, 0);
    assert_int_equal(r.terms[6].kind, MR_SPF_IP6);
    assert_int_equal(r.terms[6].cidr6, 32);
    assert_int_equal(r.terms[7].kind, MR_SPF_UNKNOWN_MOD);
    assert_int_equal(r.redirect, 8);
    assert_int_equal(r.exp, 9);
    assert_int_equal(r.terms[10].kind, MR_SPF_ALL);
    assert_int_equal(r.terms[10].offset, strlen(r.text) - 4);

    parse_ok("v=spf1", &r);
    assert_int_equal(r.n_terms, 0);
    parse_ok("V=SPF1   A  -ALL   ", &r);
    assert_int_equal(r.n_terms, 2);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *rec;
        size_t offset;
        const char *msg;
    } cases[] = {
        {"v=spf1 ip4:1.2.3.4 -all moo", 24, "unknown mechanism 'moo'"},
        {"v=spf1 -all.", 8, "unknown mechanism 'all.'"},
        {"v=spf1 ip4:1.2.3.4/33", 19, "invalid prefix length"},
        {"v=spf1 ip4:1.2.3.4/032", 19, "invalid prefix length"},
        {"v=spf1 ip4:1.2.3", 11, "invalid IPv4 address '1.2.3'"},
        {"v=spf1 ip4:01.2.3.4", 11, "invalid IPv4 address"},
        {"v=spf1 ip6::CAFE::BABE", 11, "invalid IPv6 address"},
        {"v=spf1 a/24/64", 12, "invalid prefix length '/64'"},
        {"v=spf1 mx//129", 11, "invalid prefix length"},
        {"v=spf1 a:museum", 9, "not a domain name with a top label"},
        {"v=spf1 a:1.2.3.4", 9, "use ip4:1.2.3.4"},
        {"v=spf1 a:example.-com", 17, "invalid top label"},
        {"v=spf1 include:", 15, "empty domain-spec"},
        {"v=spf1 exists", 13, "exists needs ':'"},
        {"v=spf1 ptr/0", 10, "no prefix length"},
        {"v=spf1 all:x", 10, "takes no argument"},
        {"v=spf1 1up=foo", 7, "invalid modifier name '1up'"},
        {"v=spf1 =all", 7, "empty name"},
        {"v=spf1 exp=a.example exp=b.example", 21, "second exp="},
        {"v=spf1 redirect=a.example -all redirect=a.example", 31,
         "second redirect="},
        {"v=spf1 foo=%abc", 11, "'%' must be followed"},
        {"v=spf1 a:%{x}.example.com", 11, "unknown macro letter"},
        {"v=spf1 a:%{r}.example.com", 11, "only in explanations"},
        {"v=spf1 a:%{d0}.example.com", 12, "must not be zero"},
        {"v=spf1 a:%{d.example.com", 13, "not closed"},
        {"v=spf1 a:example.com%", 20, "at the end"},
        {"v=spf1 a:example.com\r-all", 20, "control byte 0x0D"},
        {"v=spf1 \x80" "a", 7, "non-ASCII byte 0x80"},
        {"v=spf10 a", 0, "not an SPF record"},
        {"spf1", 0, "not an SPF record"},
    };
    static mr_spf_record r;
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++) {
        mr_spf_error err;
        int rc = mr_spf_parse(cases[i].rec, strlen(cases[i].rec), &r, &err);
        if (rc == 0)
            fail_msg("'%s' parsed", cases[i].rec);
        if (err.offset != cases[i].offset ||
            strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("'%s': got '%s' (offset %zu), want '%s' at %zu",
                     cases[i].rec, err.msg, err.offset, cases[i].msg,
                     cases[i].offset);
    }
}

static void test_parse_bounds(void **state)
{
    (void)state;
    static mr_spf_record r;
    static char big[MR_SPF_RECORD_MAX + 2];
    mr_spf_error err;
    /* Too many terms: "v=spf1" and 300 " a". */
    size_t n = (size_t)snprintf(big, sizeof big, "v=spf1");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, " a");
    assert_int_equal(mr_spf_parse(big, n, &r, &err), -1);
    assert_non_null(strstr(err.msg, "more than 256 terms"));
    /* Over the record maximum. */
    memset(big, 'a', sizeof big);
    memcpy(big, "v=spf1 ", 7);
    assert_int_equal(mr_spf_parse(big, sizeof big, &r, &err), -1);
    assert_non_null(strstr(err.msg, "more than the 4096"));
    /* A NUL inside the record is a byte like any other: an error. */
    assert_int_equal(mr_spf_parse("v=spf1 a\0 -all", 14, &r, &err), -1);
    assert_int_equal(err.offset, 8);
}

/* ---- macros (RFC 7208 7.4) -------------------------------------------- */

static const char *expand_with(const char *ip, const char *spec,
                               mr_spf_macro_mode mode)
{
    static char out[MR_SPF_EXP_MAX + 1];
    mr_spf_macro_env env = {.local_part = "strong-bad",
                            .sender_domain = "email.example.com",
                            .domain = "email.example.com",
                            .helo = "mx.example.org"};
    assert_int_equal(mr_ip_parse(ip, strlen(ip), &env.ip), 0);
    int n = mr_spf_macro_expand(&env, mr_span_make(spec, strlen(spec)), mode,
                                out, sizeof out);
    if (n < 0)
        fail_msg("'%s' did not expand", spec);
    return out;
}

static void test_macro_rfc_examples(void **state)
{
    (void)state;
    static const struct { const char *spec, *want; } cases[] = {
        {"%{s}", "strong-bad@email.example.com"},
        {"%{o}", "email.example.com"},
        {"%{d}", "email.example.com"},
        {"%{d4}", "email.example.com"},
        {"%{d3}", "email.example.com"},
        {"%{d2}", "example.com"},
        {"%{d1}", "com"},
        {"%{dr}", "com.example.email"},
        {"%{d2r}", "example.email"},
        {"%{l}", "strong-bad"},
        {"%{l-}", "strong.bad"},
        {"%{lr}", "strong-bad"},
        {"%{lr-}", "bad.strong"},
        {"%{l1r-}", "strong"},
        {"%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"},
        {"%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"},
        {"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
         "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
        {"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
         "3.2.0.192.in-addr.strong.lp._spf.example.com"},
        {"%{d2}.trusted-domains.example.net",
         "example.com.trusted-domains.example.net"},
        {"%%%_%-", "% %20"},
        {"%{h}", "mx.example.org"},
        {"%{p}", "unknown"},
    };
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++) {
        const char *got = expand_with("192.0.2.3", cases[i].spec,
                                      MR_SPF_MACRO_EXP);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s: got '%s', want '%s'", cases[i].spec, got,
                     cases[i].want);
    }
    assert_string_equal(expand_with("2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
                                     MR_SPF_MACRO_DOMAIN),
                        "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B."
                        "D.0.1.0.0.2.ip6._spf.example.com");
    assert_string_equal(expand_with("2001:db8::cb01", "%{c} %{v}",
                                     MR_SPF_MACRO_EXP), "2001:db8::cb01 ip6");
    /* IPv4-mapped IPv6 is IPv4 (RFC 7208 5). */
    assert_string_equal(expand_with("::ffff:192.0.2.3", "%{i} %{v}",
                                    MR_SPF_MACRO_EXP), "192.0.2.3 in-addr");
}

static void test_macro_escape_and_truncate(void **state)
{
    (void)state;
    mr_spf_macro_env env = {.local_part = "~jack&jill=up a",
                            .sender_domain = "example.com",
                            .domain = "a.example.com", .helo = "h"};
    char out[MR_SPF_EXP_MAX + 1];
    const char *spec = "%{L}";
    assert_int_equal(mr_ip_parse("192.0.2.1", 9, &env.ip), 0);
    mr_spf_macro_expand(&env, mr_span_make(spec, strlen(spec)),
                        MR_SPF_MACRO_EXP, out, sizeof out);
    assert_string_equal(out, "~jack%26jill%3Dup%20a");

    /* 7 x 40 + 12 = 292 bytes: the final dot goes (291), then whole
     * labels from the left: abcdefghij. klmnopqrstuvwxyz. example. com.
     * leave 251 bytes, starting at the second copy (RFC 7208 7.3). */
    env.domain = "abcdefghij.klmnopqrstuvwxyz.example.com";   /* 39 */
    spec = "%{d}.%{d}.%{d}.%{d}.%{d}.%{d}.%{d}.end.example.";
    int n = mr_spf_macro_expand(&env, mr_span_make(spec, strlen(spec)),
                                MR_SPF_MACRO_DOMAIN, out, sizeof out);
    assert_int_equal(n, 251);
    assert_int_equal(strlen(out), 251);
    assert_true(strncmp(out, "abcdefghij.klmnopqrstuvwxyz.example.com."
                             "abcdefghij.", 51) == 0);
    assert_true(strcmp(out + n - 12, ".end.example") == 0);

    /* An expansion far over the scratch buffer keeps its right end. */
    static char many[6 * 2000 + 16];
    size_t k = 0;
    for (int i = 0; i < 2000; i++)
        k += (size_t)snprintf(many + k, sizeof many - k, "%%{d}.");
    k += (size_t)snprintf(many + k, sizeof many - k, "tail.example");
    n = mr_spf_macro_expand(&env, mr_span_make(many, k),
                            MR_SPF_MACRO_DOMAIN, out, sizeof out);
    assert_true(n > 0 && n <= MR_DNS_NAME_MAX);
    assert_true(strcmp(out + n - 13, ".tail.example") == 0);
    assert_true(out[0] != '.');

    /* Invalid macro-strings do not expand. */
    spec = "%{q}";
    assert_int_equal(mr_spf_macro_expand(&env, mr_span_make(spec, 4),
                                         MR_SPF_MACRO_EXP, out, sizeof out), -1);
}

/* ---- check_host() through a table resolver ----------------------------- */

typedef struct fake_rr {
    const char *name;
    int type;            /* MR_DNS_T_*, or 0: the name times out */
    const char *data;    /* TXT, MX/PTR name, A/AAAA text */
} fake_rr;

static const fake_rr *fake_zone;
static size_t fake_n;
static int fake_repeat;  /* > 0: every TXT answer holds this many copies */

static int fake_query(void *user, const char *name, int type,
                      mr_dns_answer *ans)
{
    (void)user;
    bool exists = false;
    for (size_t i = 0; i < fake_n; i++) {
        const fake_rr *rr = &fake_zone[i];
        if (strcasecmp(rr->name, name) != 0)
            continue;
        exists = true;
        if (rr->type == 0)
            return MR_DNS_TIMEOUT;
        if (rr->type == MR_DNS_T_CNAME)
            return MR_DNS_LOOP;
        if (rr->type != type)
            continue;
        mr_ip ip;
        if (type == MR_DNS_T_A || type == MR_DNS_T_AAAA) {
            if (mr_ip_parse(rr->data, strlen(rr->data), &ip) == 0)
                mr_dns_answer_add(ans, type, 0, ip.b, type == MR_DNS_T_A ? 4 : 16);
        } else {
            for (int k = 0; k < (fake_repeat && type == MR_DNS_T_TXT ?
                                 fake_repeat : 1); k++)
                mr_dns_answer_add(ans, type, 0, rr->data, strlen(rr->data));
        }
    }
    return exists ? MR_DNS_NOERROR : MR_DNS_NXDOMAIN;
}

#define ZONE(z) (fake_zone = (z), fake_n = MR_ARRAY_LEN(z))

static mr_spf_result check(const char *ip, const char *from, mr_spf_verdict *v)
{
    mr_dns_resolver res = {fake_query, NULL};
    mr_spf_request req = {.ip = ip, .mail_from = from, .helo = "mx.example.org"};
    assert_int_equal(mr_spf_check(&res, &req, v), 0);
    return v->result;
}

static void test_eval_basics(void **state)
{
    (void)state;
    static const fake_rr zone[] = {
        {"example.com", MR_DNS_T_TXT, "google-site-verification=xyz"},
        {"example.com", MR_DNS_T_TXT, "v=spf1 mx include:_spf.example.net "
                                      "-all exp=why.example.com"},
        {"example.com", MR_DNS_T_MX, "mail.example.com."},
        {"mail.example.com", MR_DNS_T_A, "192.0.2.10"},
        {"_spf.example.net", MR_DNS_T_TXT, "v=spf1 ip6:2001:db8::/32 ~all"},
        {"why.example.com", MR_DNS_T_TXT, "%{i} may not send for %{d}"},
        {"slow.example.com", 0, NULL},
    };
    mr_spf_verdict v;
    ZONE(zone);
    assert_int_equal(check("192.0.2.10", "a@example.com", &v), MR_SPF_PASS);
    assert_string_equal(v.mechanism, "mx");
    assert_int_equal(check("2001:db8::5", "a@example.com", &v), MR_SPF_PASS);
    assert_string_equal(v.mechanism, "include:_spf.example.net");
    assert_int_equal(check("198.51.100.1", "a@example.com", &v), MR_SPF_FAIL);
    assert_string_equal(v.explanation, "198.51.100.1 may not send for "
                                       "example.com");
    assert_int_equal(v.dns_terms, 2);
    assert_int_equal(check("198.51.100.1", "a@nowhere.example", &v),
                     MR_SPF_NONE);
    assert_int_equal(check("198.51.100.1", "a@slow.example.com", &v),
                     MR_SPF_TEMPERROR);
    assert_non_null(strstr(v.reason, "timeout"));
    assert_int_equal(check("198.51.100.1", "a@[192.0.2.1]", &v), MR_SPF_NONE);
    mr_dns_resolver res = {fake_query, NULL};
    mr_spf_request bad = {.ip = "not-an-ip", .mail_from = "a@example.com"};
    assert_int_equal(mr_spf_check(&res, &bad, &v), -1);
}

static void test_eval_limits(void **state)
{
    (void)state;
    static const fake_rr zone[] = {
        /* a chain of 11 includes */
        {"c0.example", MR_DNS_T_TXT, "v=spf1 include:c1.example -all"},
        {"c1.example", MR_DNS_T_TXT, "v=spf1 include:c2.example"},
        {"c2.example", MR_DNS_T_TXT, "v=spf1 include:c3.example"},
        {"c3.example", MR_DNS_T_TXT, "v=spf1 include:c4.example"},
        {"c4.example", MR_DNS_T_TXT, "v=spf1 include:c5.example"},
        {"c5.example", MR_DNS_T_TXT, "v=spf1 include:c6.example"},
        {"c6.example", MR_DNS_T_TXT, "v=spf1 include:c7.example"},
        {"c7.example", MR_DNS_T_TXT, "v=spf1 include:c8.example"},
        {"c8.example", MR_DNS_T_TXT, "v=spf1 include:c9.example"},
        {"c9.example", MR_DNS_T_TXT, "v=spf1 include:c10.example"},
        {"c10.example", MR_DNS_T_TXT, "v=spf1 include:c11.example"},
        {"c11.example", MR_DNS_T_TXT, "v=spf1 +all"},
        /* a loop */
        {"loop.example", MR_DNS_T_TXT, "v=spf1 redirect=loop.example"},
        /* three void lookups */
        {"void.example", MR_DNS_T_TXT, "v=spf1 a:n1.example a:n2.example "
                                       "a:n3.example ?all"},
        /* eleven MX records */
        {"mx.example", MR_DNS_T_TXT, "v=spf1 mx ?all"},
        {"mx.example", MR_DNS_T_MX, "m1.example"}, {"mx.example", MR_DNS_T_MX, "m2.example"},
        {"mx.example", MR_DNS_T_MX, "m3.example"}, {"mx.example", MR_DNS_T_MX, "m4.example"},
        {"mx.example", MR_DNS_T_MX, "m5.example"}, {"mx.example", MR_DNS_T_MX, "m6.example"},
        {"mx.example", MR_DNS_T_MX, "m7.example"}, {"mx.example", MR_DNS_T_MX, "m8.example"},
        {"mx.example", MR_DNS_T_MX, "m9.example"}, {"mx.example", MR_DNS_T_MX, "m10.example"},
        {"mx.example", MR_DNS_T_MX, "m11.example"},
        /* two records */
        {"two.example", MR_DNS_T_TXT, "v=spf1 -all"},
        {"two.example", MR_DNS_T_TXT, "v=spf1 +all"},
        /* a CNAME loop on the address lookup: temperror */
        {"cname.example", MR_DNS_T_TXT, "v=spf1 a:looping.example -all"},
        {"looping.example", MR_DNS_T_CNAME, "looping.example"},
    };
    mr_spf_verdict v;
    ZONE(zone);
    assert_int_equal(check("192.0.2.1", "x@c0.example", &v), MR_SPF_PERMERROR);
    assert_non_null(strstr(v.reason, "more than 10 DNS-querying terms"));
    assert_int_equal(v.dns_terms, 11);
    assert_int_equal(check("192.0.2.1", "x@loop.example", &v),
                     MR_SPF_PERMERROR);
    assert_int_equal(check("192.0.2.1", "x@void.example", &v),
                     MR_SPF_PERMERROR);
    assert_non_null(strstr(v.reason, "void lookups"));
    assert_int_equal(v.void_lookups, 3);
    assert_int_equal(check("192.0.2.1", "x@mx.example", &v), MR_SPF_PERMERROR);
    assert_non_null(strstr(v.reason, "more than 10 MX"));
    assert_int_equal(check("192.0.2.1", "x@two.example", &v),
                     MR_SPF_PERMERROR);
    assert_int_equal(check("192.0.2.1", "x@cname.example", &v),
                     MR_SPF_TEMPERROR);
    assert_non_null(strstr(v.reason, "CNAME loop"));
}

static void test_eval_hostile_answers(void **state)
{
    (void)state;
    static char huge[MR_SPF_RECORD_MAX + 100];
    memset(huge, 'a', sizeof huge - 1);
    memcpy(huge, "v=spf1 ", 7);
    for (size_t i = 8; i + 1 < sizeof huge; i += 2)
        huge[i] = ' ';
    static const fake_rr many[] = {
        {"many.example", MR_DNS_T_TXT, "unrelated text record"},
    };
    mr_spf_verdict v;
    fake_rr zone[] = {{"huge.example", MR_DNS_T_TXT, huge}};
    ZONE(zone);
    assert_int_equal(check("192.0.2.1", "x@huge.example", &v),
                     MR_SPF_PERMERROR);
    assert_non_null(strstr(v.reason, "more than the 4096"));
    /* More TXT records than an answer keeps: truncated, a permerror. */
    ZONE(many);
    fake_repeat = MR_DNS_ANSWER_MAX_RRS + 5;
    assert_int_equal(check("192.0.2.1", "x@many.example", &v),
                     MR_SPF_PERMERROR);
    fake_repeat = 0;
    assert_int_equal(check("192.0.2.1", "x@many.example", &v), MR_SPF_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_terms),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_bounds),
        cmocka_unit_test(test_macro_rfc_examples),
        cmocka_unit_test(test_macro_escape_and_truncate),
        cmocka_unit_test(test_eval_basics),
        cmocka_unit_test(test_eval_limits),
        cmocka_unit_test(test_eval_hostile_answers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
