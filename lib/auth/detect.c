/*
 * detect.c (auth) — the per-file guess of which parser applies to a file
 * handed to authscan: syslog lines (any header form), vsftpd's own log,
 * or a web access log (the weblog guesser decides which format). It
 * parses the first lines with the very parsers the scan uses, so a file
 * called syslog is one whose lines the syslog parser accepts.
 */
#include "common.h"

#include "auth/parse.h"
#include "weblog/parse.h"

#define MR_AUTH_DETECT_LINES 64   /* lines the format guess looks at */

mr_auth_filekind mr_auth_detect(const char *sample, size_t len,
                                mr_logformat_type *web)
{
    mr_auth_clock clk;
    size_t syslog = 0, vsftpd = 0, lines = 0;
    const char *p = sample, *end = sample + len;

    mr_auth_clock_init(&clk, 0);
    *web = MR_LOGFORMAT_UNKNOWN;
    while (p < end && lines < MR_AUTH_DETECT_LINES) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        mr_auth_event ev;
        if (n) {
            lines++;
            if (mr_auth_parse_syslog(&clk, p, n, &ev) != MR_PARSE_MALFORMED)
                syslog++;
            else if (mr_auth_parse_vsftpd_log(p, n, &ev) != MR_PARSE_MALFORMED)
                vsftpd++;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (lines == 0)
        return MR_AUTH_FILE_UNKNOWN;
    if (syslog * 2 > lines && syslog >= vsftpd)
        return MR_AUTH_FILE_SYSLOG;
    if (vsftpd * 2 > lines)
        return MR_AUTH_FILE_VSFTPD;
    *web = mr_logformat_detect(sample, len);
    return *web == MR_LOGFORMAT_UNKNOWN ? MR_AUTH_FILE_UNKNOWN
                                        : MR_AUTH_FILE_ACCESS;
}
