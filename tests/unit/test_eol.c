/*
 * test_eol.c — end of upstream support joined with what servers say
 * (lib/eol, data/eol/products.def), as tables: banners and header values
 * as real servers send them, through exposure's banner reader, to the
 * product, the branch and the verdict on a fixed day (2026-12-07);
 * branches found by prefix (never "1.1" for "1.10.3"); the distribution
 * markers; the "name/version" tokens of header values; the day a date
 * ends on; and the table itself (dates well
 * formed, every product named by an alias, no branch twice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "eol/eol.h"
#include "exposure/exposure.h"

#define MR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define DAY 1796601600          /* 2026-12-07T00:00:00Z */
#define NONE ((mamori_severity)-1) /* no finding */

typedef struct eol_case {
    mr_xp_banner_kind kind;
    const char *text;
    const char *product;    /* normalised; NULL: not in the table */
    const char *branch;
    mr_eol_verdict verdict;
    mamori_severity sev;    /* of the finding, NONE when none */
} eol_case;

static const eol_case cases[] = {
    /* Debian 12's own servers: a supported branch, or one Debian ships */
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
     "openssh", "9.2", MR_EOL_DISTRO, NONE},
    {MR_XP_BANNER_FTP, "220 (vsFTPd 3.0.3)\r\n", "vsftpd", "3.0",
     MR_EOL_SUPPORTED, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Apache/2.4.57 (Debian)\r\n"
     "\r\n", "apache-httpd", "2.4", MR_EOL_SUPPORTED, NONE},
    /* Debian's nginx names no distribution: the branch Debian 12 ships
     * is taken for its package */
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n",
     "nginx", "1.22", MR_EOL_DISTRO, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: nginx/1.18.0 (Ubuntu)\r\n"
     "\r\n", "nginx", "1.18", MR_EOL_DISTRO, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: nginx/1.20.2\r\n\r\n",
     "nginx", "1.20", MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: nginx/1.10.3\r\n\r\n",
     "nginx", "1.10", MR_EOL_ENDED, MAMORI_SEV_HIGH},
    /* past every support */
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_7.4\r\n", "openssh", "7.4",
     MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_7.4p1 Debian-10+deb9u7\r\n",
     "openssh", "7.4", MR_EOL_ENDED, MAMORI_SEV_MEDIUM},
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_5.3\r\n", "openssh", "5.3",
     MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/6.0\r\n\r\n",
     "microsoft-iis", "6.0", MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Microsoft-IIS/10.0\r\n\r\n",
     NULL, NULL, MR_EOL_UNKNOWN, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Apache/2.2.15 (CentOS)\r\n"
     "\r\n", "apache-httpd", "2.2", MR_EOL_ENDED, MAMORI_SEV_MEDIUM},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Apache/2.2.34\r\n\r\n",
     "apache-httpd", "2.2", MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: PHP/7.4.33\r\n\r\n",
     "php", "7.4", MR_EOL_ENDED, MAMORI_SEV_HIGH},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: PHP/8.2.26\r\n\r\n",
     "php", "8.2", MR_EOL_SUPPORTED, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: PHP/8.1.2-1ubuntu2.20\r\n"
     "\r\n", "php", "8.1", MR_EOL_DISTRO, NONE},
    /* named, but not judged: no rows, or no version */
    {MR_XP_BANNER_SSH, "SSH-2.0-dropbear_2022.83\r\n", NULL, NULL,
     MR_EOL_UNKNOWN, NONE},
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_10.2\r\n", NULL, NULL,
     MR_EOL_UNKNOWN, NONE},
    {MR_XP_BANNER_SMTP, "220 mx ESMTP Exim 4.96 Mon, 07 Dec 2026\r\n", NULL,
     NULL, MR_EOL_UNKNOWN, NONE},
    {MR_XP_BANNER_SMTP, "220 mx ESMTP Postfix (Debian/GNU)\r\n", NULL, NULL,
     MR_EOL_UNKNOWN, NONE},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: Apache\r\n\r\n", NULL,
     NULL, MR_EOL_UNKNOWN, NONE},
};

static void banners(void **state)
{
    (void)state;
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++) {
        const eol_case *c = &cases[i];
        mr_xp_version v;
        mr_eol_result r;
        (void)mr_xp_banner_parse(c->kind, c->text, strlen(c->text), &v);
        mr_eol_judge(v.product, strlen(v.product),
                     v.version[0] ? v.version : NULL, v.distro, DAY, &r);
        const char *p = r.row ? r.row->product : NULL;
        const char *b = r.row ? r.row->branch : NULL;
        mamori_severity sev = r.report ? r.severity : NONE;
        if ((p == NULL) != (c->product == NULL) ||
            (p && (strcmp(p, c->product) || strcmp(b, c->branch))) ||
            r.verdict != c->verdict || sev != c->sev)
            fail_msg("%s: got %s %s %s sev %d, want %s %s %s sev %d",
                     c->text, p ? p : "-", b ? b : "-",
                     mr_eol_verdict_name(r.verdict), (int)sev,
                     c->product ? c->product : "-",
                     c->branch ? c->branch : "-",
                     mr_eol_verdict_name(c->verdict), (int)c->sev);
    }
}

typedef struct find_case {
    const char *product, *version, *branch; /* branch NULL: none */
} find_case;

static const find_case finds[] = {
    {"openssl", "1.0.2k-fips", "1.0.2"}, {"openssl", "1.1.1w", "1.1.1"},
    {"openssl", "3.0.13", "3.0"},         {"openssl", "3.00", NULL},
    {"nginx", "1.10.3", "1.10"},          {"nginx", "1.1", NULL},
    {"nginx", "1.22", "1.22"},            {"nginx", "1.221", NULL},
    {"php", "7.4.33", "7.4"},             {"php", "v7.4", NULL},
    {"php", "", NULL},                    {"microsoft-iis", "7.5", "7.5"},
    {"openssh", "9.2p1", "9.2"},          {"nosuch", "1.0", NULL},
};

static void branches(void **state)
{
    (void)state;
    for (size_t i = 0; i < MR_ARRAY_LEN(finds); i++) {
        const find_case *c = &finds[i];
        const mr_eol_row *r = mr_eol_find(c->product, c->version,
                                          strlen(c->version));
        if ((r == NULL) != (c->branch == NULL) ||
            (r && strcmp(r->branch, c->branch)))
            fail_msg("%s %s: got %s, want %s", c->product, c->version,
                     r ? r->branch : "-", c->branch ? c->branch : "-");
    }
}

static void markers(void **state)
{
    static const struct {
        const char *text;
        int distro;
    } m[] = {
        {"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", 1},
        {"nginx/1.18.0 (Ubuntu)", 1},
        {"OpenSSH_8.4p1 Raspbian-5+deb11u1", 1},
        {"openssh 1:9.2p1-2+deb12u1", 1},
        {"Apache/2.4.6 (Red Hat Enterprise Linux)", 1},
        {"Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips", 1},
        {"Apache/2.4.57 (Unix)", 0},
        {"nginx/1.22.1", 0},
        {"debug deb12", 0},           /* "deb" and digits but no 'u' */
        {"SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10", 1},
        {"PHP/8.1.2-1ubuntu2.20", 1},
        {"Apache/2.4.51 (Linux/SUSE)", 1},
        {"220 mx ESMTP Postfix (Debian/GNU)", 1},
        /* host names are no markers */
        {"220 mail.rocky-mountain.example ESMTP Postfix", 0},
        {"220 ubuntu-mx ESMTP Exim 4.96", 0},
        {"220 debian.example.org ESMTP", 0},
        {"220 mx.fedora-fans.example ESMTP", 0},
        {"220 ubuntu2 ESMTP", 0},
        {"deb", 0},
        {"", 0},
    };
    (void)state;
    for (size_t i = 0; i < MR_ARRAY_LEN(m); i++)
        if (mr_eol_distro_marker(m[i].text, strlen(m[i].text)) !=
            m[i].distro)
            fail_msg("%s: want %d", m[i].text, m[i].distro);
}

static int collect(void *user, const char *name, size_t nn,
                   const char *ver, size_t vn)
{
    char *out = user;
    size_t used = strlen(out);
    snprintf(out + used, 256 - used, "%s%.*s=%.*s", used ? "|" : "",
             (int)nn, name, (int)vn, ver);
    return 0;
}

static void tokens(void **state)
{
    static const struct {
        const char *value, *want;
    } t[] = {
        {"Apache/2.4.6 (CentOS) OpenSSL/1.0.2k-fips PHP/5.4.16",
         "Apache=2.4.6|OpenSSL=1.0.2k-fips|PHP=5.4.16"},
        {"nginx/1.18.0 (Ubuntu)", "nginx=1.18.0"},
        {"nginx/1.18.0(Ubuntu)", "nginx=1.18.0"},
        {"Apache/2.4.6(CentOS) PHP/7.4.33(x)", "Apache=2.4.6|PHP=7.4.33"},
        {"PHP/7.4.33", "PHP=7.4.33"},
        {"Microsoft-IIS/6.0", "Microsoft-IIS=6.0"},
        {"ASP.NET, PHP/8.2.1;x", "PHP=8.2.1"},
        {"(Apache/2.4.1)", "Apache=2.4.1"},
        {"cloudflare", ""},
        {"a/b/1.0", "b=1.0"},
        {"/1.0 x/ y/z", ""},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < MR_ARRAY_LEN(t); i++) {
        char got[256] = "";
        size_t n = mr_eol_tokens(t[i].value, strlen(t[i].value), collect,
                                 got);
        if (strcmp(got, t[i].want) || (n == 0) != (t[i].want[0] == 0))
            fail_msg("%s: got \"%s\", want \"%s\"", t[i].value, got,
                     t[i].want);
    }
}

/* A date is the last day covered: PHP 8.2 (to 2026-12-31) is supported
 * all that day and ended the next. */
static void last_day(void **state)
{
    mr_eol_result r;
    (void)state;
    mr_eol_judge("PHP", 3, "8.2.26", 0, 1798718400 /* 12-31 12:00 */, &r);
    assert_int_equal(r.verdict, MR_EOL_SUPPORTED);
    assert_int_equal(mr_eol_supported_cell(&r), MAMORI_CELL_TRUE);
    assert_string_equal(mr_eol_date(&r), "2026-12-31");
    mr_eol_judge("PHP", 3, "8.2.26", 0, 1798761600 /* 2027-01-01 */, &r);
    assert_int_equal(r.verdict, MR_EOL_DISTRO);
    assert_int_equal(mr_eol_supported_cell(&r), MAMORI_CELL_NULL);
    mr_eol_judge("Apache", 6, "2.4.62", 0, DAY, &r);
    assert_int_equal(r.verdict, MR_EOL_SUPPORTED);
    assert_null(mr_eol_date(&r));
    mr_eol_judge("nginx", 5, "1.20.2", 0, DAY, &r);
    assert_int_equal(mr_eol_supported_cell(&r), MAMORI_CELL_FALSE);
    char ev[512];
    mr_eol_evidence(&r, "nginx", 5, "1.20.2", ev, sizeof(ev));
    assert_non_null(strstr(ev, "1.20 branch ended 2022-05-24"));
    mr_eol_evidence(&r, "nginx", 5, "1.20.2", ev, 8);
    assert_int_equal(strlen(ev), 7);
}

static int is_date(const char *d)
{
    if (!d[0])
        return 1;
    if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return 0;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return 0;
    return strcmp(d + 5, "01-01") >= 0 && strcmp(d + 5, "12-31") <= 0;
}

/* OpenSSH maintains only its newest release: from 8.0 to 9.9 every
 * branch has a row, each ending after the one before it. */
static void openssh_rows(void **state)
{
    const char *prev = "";
    (void)state;
    for (unsigned v = 80; v <= 99; v++) {
        char br[8];
        snprintf(br, sizeof(br), "%u.%u", v / 10, v % 10);
        const mr_eol_row *r = mr_eol_find("openssh", br, strlen(br));
        if (!r || strcmp(r->branch, br))
            fail_msg("openssh %s: no row", br);
        if (!r->end[0] || strcmp(r->end, prev) <= 0)
            fail_msg("openssh %s: ends %s, after %s?", br, r->end, prev);
        prev = r->end;
    }
}

static void table(void **state)
{
    size_t n;
    const mr_eol_row *rows = mr_eol_rows(&n);
    (void)state;
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        const mr_eol_row *r = &rows[i];
        if (!is_date(r->end) || !is_date(r->distro_end))
            fail_msg("%s %s: a date is not YYYY-MM-DD", r->product,
                     r->branch);
        if (mr_eol_find(r->product, r->branch, strlen(r->branch)) != r)
            fail_msg("%s %s: twice, or not found", r->product, r->branch);
        if (strncmp(r->source, "https://", 8) != 0)
            fail_msg("%s %s: no source", r->product, r->branch);
        if (!mr_eol_product(r->product, strlen(r->product)))
            fail_msg("%s: no alias names it", r->product);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(banners),  cmocka_unit_test(branches),
        cmocka_unit_test(markers),  cmocka_unit_test(tokens),
        cmocka_unit_test(last_day),
        cmocka_unit_test(openssh_rows),
        cmocka_unit_test(table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
