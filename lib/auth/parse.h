/*
 * parse.h (auth) — parsers of authentication log lines, and the per-file
 * guess of which one applies.
 *
 *   syslog lines   "Nov  1 10:00:00 host sshd[123]: msg" (no year: the
 *                  clock infers it), "2024-11-01T10:00:00+09:00 host ..."
 *                  (rsyslog) and RFC 5424 "<38>1 2024-... host sshd 123 -
 *                  - msg"; the message is handed to the parser of its
 *                  program (sshd, vsftpd, proftpd, pure-ftpd, dovecot,
 *                  postfix/.../smtpd, exim, su, sudo);
 *   Exim's mainlog "2024-11-01 10:00:00 [+0900 ][[pid] ]msg";
 *   vsftpd's log   "Mon Nov  1 10:00:00 2024 [pid 9] [bob] OK LOGIN: ...";
 *   web logins     access-log events (weblog/parse.h) turned into login
 *                  attempts by login-path rules (auth/web.h).
 *
 * Lines are hostile bytes (attackers choose the user names sshd logs):
 * parsers move a bounded cursor, never write, and give MR_PARSE_OK with
 * *ev filled (spans into the line), MR_PARSE_SKIP (not an auth event) or
 * MR_PARSE_MALFORMED (not a line of this kind).
 */
#ifndef MR_AUTH_PARSE_H
#define MR_AUTH_PARSE_H

#include <stddef.h>
#include <string.h>

#include "auth/event.h"
#include "weblog/parse.h"

#define MR_AUTH_PROG_MAX 64       /* bytes of a syslog program name */
#define MR_AUTH_REPEAT_MAX 1000   /* attempts one line may stand for */

/* Infers the year of year-less syslog times: a month after the reference
 * month belongs to the year before (a December line in a file written in
 * January), so one file may cross New Year. */
typedef struct mr_auth_clock {
    int ref_year;                 /* e.g. 2025 */
    int ref_month;                /* 1..12 */
} mr_auth_clock;

void mr_auth_clock_init(mr_auth_clock *c, int64_t ref_unix);

/* A syslog line: header, then the message dispatched on the program. */
int mr_auth_parse_syslog(const mr_auth_clock *clk, const char *line,
                         size_t len, mr_auth_event *ev);
/* A message of program `prog` ("sshd", "sshd-session", "vsftpd",
 * "proftpd", "pure-ftpd", "dovecot", "postfix/smtpd", "exim4", "su",
 * "sudo"); used by the syslog parser and the journal.
 * Fills the message fields of ev, keeps its time. */
int mr_auth_parse_message(mr_span prog, mr_span msg, mr_auth_event *ev);
/* vsftpd's own log (vsftpd.log with xferlog_std_format=NO). */
int mr_auth_parse_vsftpd_log(const char *line, size_t len,
                             mr_auth_event *ev);

/* The per-program message parsers (parse_sshd.c, parse_ftp.c). */
int mr_auth_parse_sshd(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_vsftpd_syslog(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_proftpd(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_pureftpd(mr_span msg, mr_auth_event *ev);
/* Mail (parse_mail.c) and local password checks (parse_local.c). */
int mr_auth_parse_dovecot(mr_span msg, mr_auth_event *ev);
/* Dovecot's own log file: the process ("imap-login", "auth-worker(N)")
 * is the tag; whether a tag names one, and its message. */
int mr_auth_dovecot_process(mr_span proc);
int mr_auth_parse_dovecot_process(mr_span proc, mr_span msg, mr_auth_event *ev);
/* "pam_unix(SERVICE:auth): authentication failure; ... rhost=A user=U"
 * from any program, and the older "(pam_unix) authentication failure;
 * ..." of program prog, for the services mamori knows (sshd, dovecot,
 * the FTP servers); MR_PARSE_SKIP for the others. */
int mr_auth_parse_pam_unix(mr_span prog, mr_span msg, mr_auth_event *ev);
/* After a parser: "::ffff:192.0.2.1" is 192.0.2.1 (one host, one key). */
void mr_auth_source_tidy(mr_auth_event *ev);
int mr_auth_parse_postfix_smtpd(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_exim(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_su(mr_span msg, mr_auth_event *ev);
int mr_auth_parse_sudo(mr_span msg, mr_auth_event *ev);

typedef enum mr_auth_filekind {
    MR_AUTH_FILE_UNKNOWN = 0,
    MR_AUTH_FILE_SYSLOG,          /* syslog lines (any header form) */
    MR_AUTH_FILE_VSFTPD,          /* vsftpd's own log */
    MR_AUTH_FILE_ACCESS           /* a web access log */
} mr_auth_filekind;

/* Guesses from the first whole lines of a file; *web receives the access
 * log format when the answer is MR_AUTH_FILE_ACCESS. */
mr_auth_filekind mr_auth_detect(const char *sample, size_t len,
                                mr_logformat_type *web);

/* Cursor helpers shared by the parsers. Inline: called with literals,
 * so the compiler folds their lengths and the short compares (these were
 * a tenth of authscan's time as calls into strlen and memcmp). */
const char *mr_auth_find(mr_span s, const char *lit);      /* first */

static inline int mr_auth_starts(mr_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* The last occurrence of lit in s, or NULL. */
static inline const char *mr_auth_rfind(mr_span s, const char *lit)
{
    size_t n = strlen(lit);
    if (n == 0 || s.n < n)
        return NULL;
    for (size_t i = s.n - n + 1; i-- > 0;)
        if (s.p[i] == lit[0] && memcmp(s.p + i, lit, n) == 0)
            return s.p + i;
    return NULL;
}

/* The word at s (up to a space or the end). */
static inline mr_span mr_auth_word(mr_span s)
{
    const char *sp = s.n ? memchr(s.p, ' ', s.n) : NULL;
    return mr_span_make(s.p, sp ? (size_t)(sp - s.p) : s.n);
}

#endif
