/*
 * fuzz_auth_vsftpd.c — vsftpd's own log parser, and the web-login rule
 * matcher over whatever the access-log parser makes of the same bytes.
 */
#include "common.h"

#include "auth/parse.h"
#include "auth/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mr_logformat fmt;
    static mr_auth_web web;
    static int ready;
    char err[128], acct[MR_AUTH_ACCOUNT_BUF];
    mr_auth_event ev;
    mr_http_event hev;
    if (!ready) {
        mr_auth_web_init(&web, NULL, 0, err, sizeof(err));
        ready = 1;
    }
    mr_auth_parse_vsftpd_log((const char *)data, size, &ev);
    mr_logformat_init(&fmt, MR_LOGFORMAT_COMBINED);
    if (mr_logformat_parse_line(&fmt, (const char *)data, size, &hev) == MR_PARSE_OK)
        mr_auth_web_event(&web, &hev, acct, &ev);
    return 0;
}
