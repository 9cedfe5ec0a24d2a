/*
 * test_exposure_banner.c — the product and version `mamori exposure`
 * reads from what a service sends first, as a table: SSH identification
 * strings (RFC 4253 4.2), FTP and SMTP greetings (RFC 959, RFC 5321
 * 4.2) as real servers word them, HTTP Server headers (RFC 9110 10.2.4);
 * and the banners that name nothing, which leave both empty. Then which
 * kind of banner a listener gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "exposure/exposure.h"

#define MR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef struct banner_case {
    mr_xp_banner_kind kind;
    const char *text, *product, *version;   /* "" when none */
} banner_case;

static const banner_case cases[] = {
    {MR_XP_BANNER_SSH, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n",
     "OpenSSH", "9.2p1"},
    {MR_XP_BANNER_SSH, "SSH-2.0-dropbear_2022.83\r\n", "dropbear", "2022.83"},
    {MR_XP_BANNER_SSH, "SSH-2.0-libssh-0.9.6\r\n", "libssh", "0.9.6"},
    {MR_XP_BANNER_SSH, "SSH-1.99-Cisco-1.25\r\n", "Cisco", "1.25"},
    {MR_XP_BANNER_SSH, "SSH-2.0-Go\r\n", "Go", ""},
    {MR_XP_BANNER_SSH, "SSH-2.0-\r\n", "", ""},
    {MR_XP_BANNER_SSH, "HTTP/1.1 400 Bad Request\r\n", "", ""},
    {MR_XP_BANNER_FTP, "220 (vsFTPd 3.0.3)\r\n", "vsFTPd", "3.0.3"},
    {MR_XP_BANNER_FTP, "220 ProFTPD 1.3.8 Server (Debian) [::ffff:10.0.0.1]\r\n",
     "ProFTPD", "1.3.8"},
    {MR_XP_BANNER_FTP, "220---------- Welcome to Pure-FTPd [privsep] ----------\r\n",
     "", ""},
    {MR_XP_BANNER_FTP, "220 Microsoft FTP Service\r\n", "", ""},
    {MR_XP_BANNER_FTP, "530 go away\r\n", "", ""},
    {MR_XP_BANNER_SMTP, "220 mx.example.com ESMTP Postfix (Debian/GNU)\r\n",
     "Postfix", ""},
    {MR_XP_BANNER_SMTP, "220 mx.example.com ESMTP OpenSMTPD\r\n", "OpenSMTPD", ""},
    {MR_XP_BANNER_SMTP,
     "220 mx.example.com ESMTP Exim 4.96 Mon, 07 Dec 2026 00:00:00 +0000\r\n",
     "Exim", "4.96"},
    {MR_XP_BANNER_SMTP,
     "220 mx.example.com ESMTP Sendmail 8.17.1.9/8.17.1.9/Debian-2; Mon, 7 Dec 2026\r\n",
     "Sendmail", "8.17.1.9"},
    {MR_XP_BANNER_SMTP, "220 mx.example.com Microsoft ESMTP MAIL Service ready "
                        "at Mon, 7 Dec 2026 00:00:00 +0000\r\n", "", ""},
    {MR_XP_BANNER_SMTP, "554 no SMTP service here\r\n", "", ""},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                        "Server: nginx/1.22.1\r\n\r\n", "nginx", "1.22.1"},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nserver:  Apache/2.4.62 (Debian)\r\n\r\n",
     "Apache", "2.4.62"},
    {MR_XP_BANNER_HTTP, "HTTP/1.0 200 OK\r\nServer: Microsoft-IIS/10.0\r\n\r\n",
     "Microsoft-IIS", "10.0"},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nServer: cloudflare\r\n\r\n",
     "cloudflare", ""},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\n\r\nServer: nginx/1.0\r\n", "", ""},
    {MR_XP_BANNER_HTTP, "HTTP/1.1 200 OK\r\nX-Server: nginx/1.0\r\n\r\n", "", ""},
    {MR_XP_BANNER_HTTP,
     "HTTP/1.1 200 OK\r\nServer: "
     "averyveryveryveryverylongproductnamethatdoesnotfit/1.0\r\n\r\n", "", ""},
};

static void banners(void **state)
{
    (void)state;
    for (size_t i = 0; i < MR_ARRAY_LEN(cases); i++) {
        const banner_case *c = &cases[i];
        mr_xp_version v;
        int r = mr_xp_banner_parse(c->kind, c->text, strlen(c->text), &v);
        if (strcmp(v.product, c->product) || strcmp(v.version, c->version) ||
            (r == 0) != (c->product[0] != '\0'))
            fail_msg("%s: got \"%s\" \"%s\" (%d), want \"%s\" \"%s\"",
                     c->text, v.product, v.version, r, c->product,
                     c->version);
    }
}

static void kinds(void **state)
{
    (void)state;
    assert_int_equal(mr_xp_banner_kind_of("ssh", 2222, NULL, NULL),
                     MR_XP_BANNER_SSH);
    assert_int_equal(mr_xp_banner_kind_of("smtp", 25, NULL, NULL),
                     MR_XP_BANNER_SMTP);
    assert_int_equal(mr_xp_banner_kind_of(NULL, 8443, "/usr/sbin/nginx",
                                          "nginx"),
                     MR_XP_BANNER_HTTP);
    assert_int_equal(mr_xp_banner_kind_of(NULL, 8080, NULL, NULL),
                     MR_XP_BANNER_HTTP);
    assert_int_equal(mr_xp_banner_kind_of("redis", 6379, NULL, NULL),
                     MR_XP_BANNER_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(banners),
        cmocka_unit_test(kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
