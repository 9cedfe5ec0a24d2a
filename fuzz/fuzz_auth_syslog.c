/*
 * fuzz_auth_syslog.c — the syslog auth parser (header forms and the
 * sshd / vsftpd / proftpd / pure-ftpd / dovecot / postfix / exim / su /
 * sudo message parsers, Exim's mainlog form) on any bytes.
 */
#include "common.h"

#include "auth/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_auth_clock clk;
    mr_auth_event ev;
    mr_logformat_type web;
    mr_auth_clock_init(&clk, 1700000000);
    if (mr_auth_parse_syslog(&clk, (const char *)data, size, &ev) == MR_PARSE_OK) {
        /* the source always lies inside the input (an account may be a
         * literal: "ROOT LOGIN REFUSED" names root) */
        if (ev.source.n && (ev.source.p < (const char *)data ||
                            ev.source.p + ev.source.n > (const char *)data + size))
            __builtin_trap();
    }
    mr_auth_detect((const char *)data, size, &web);
    return 0;
}
