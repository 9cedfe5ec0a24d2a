/*
 * auth_lines.c — what the login-log parsers (lib/auth/parse.h) make of
 * each line, for conformance drivers that hold other tools' test logs
 * (tests/conformance/fail2ban_logs.py). Reads lines on stdin:
 *
 *   S <TAB> a syslog line, or one of vsftpd's own log
 *   M <TAB> program <TAB> message        (a journal's MESSAGE field)
 *
 * and prints one line each: the result (failure, invalid-user, success,
 * session-end, probe; "-" when the line is no login event, "malformed"
 * when the parser refused it), the source and the account as parsed,
 * tab-separated, bytes outside printable ASCII as \xHH.
 */
#include "common.h"

#include <stdio.h>

#include "auth/parse.h"

#define AUTH_LINES_MAX (64 * 1024)

static void put_span(mr_span s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x20 || c >= 0x7f || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static const char *result_name(mr_auth_result r)
{
    switch (r) {
    case MR_AUTH_FAILURE: return "failure";
    case MR_AUTH_INVALID_USER: return "invalid-user";
    case MR_AUTH_SUCCESS: return "success";
    case MR_AUTH_SESSION_END: return "session-end";
    case MR_AUTH_PROBE: return "probe";
    }
    return "?";
}

int main(void)
{
    static char line[AUTH_LINES_MAX];
    mr_auth_clock clk;
    mr_auth_clock_init(&clk, 0);
    while (fgets(line, sizeof(line), stdin)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        mr_auth_event ev;
        mr_auth_event_clear(&ev);
        int r = MR_PARSE_MALFORMED;
        if (n > 2 && line[0] == 'S' && line[1] == '\t') {
            /* as authscan tells files apart: syslog, else vsftpd's log */
            r = mr_auth_parse_syslog(&clk, line + 2, n - 2, &ev);
            if (r == MR_PARSE_MALFORMED)
                r = mr_auth_parse_vsftpd_log(line + 2, n - 2, &ev);
        } else if (n > 2 && line[0] == 'M' && line[1] == '\t') {
            char *tab = strchr(line + 2, '\t');
            if (tab) {
                mr_span prog = mr_span_make(line + 2, (size_t)(tab - line - 2));
                mr_span msg = mr_span_make(tab + 1, n - (size_t)(tab + 1 - line));
                r = mr_auth_parse_message(prog, msg, &ev);
            }
        }
        if (r == MR_PARSE_MALFORMED) {
            puts("malformed\t\t");
            continue;
        }
        if (r != MR_PARSE_OK) {
            puts("-\t\t");
            continue;
        }
        printf("%s\t", result_name(ev.result));
        put_span(ev.source);
        putchar('\t');
        put_span(ev.account);
        putchar('\n');
    }
    return 0;
}
