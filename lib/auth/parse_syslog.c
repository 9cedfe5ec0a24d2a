/*
 * parse_syslog.c — syslog lines as rsyslog and syslog-ng write them: the
 * timestamp (traditional "Nov  1 10:00:00" without a year, ISO 8601 /
 * RFC 3339, or an RFC 5424 header with PRI and version), the host, the
 * program tag ("sshd[123]:", "vsftpd:", "proftpd[5] ", "vsftpd(pam_unix)"),
 * then the message handed to its program's parser; and ProFTPD's own
 * SystemLog, whose lines have the same shape after their timestamp.
 *
 * Year-less times take their year from a clock (the file's mtime, or now):
 * a month after the reference month is from the year before, which is how
 * a file written in January holds December's lines. The calendar math is
 * util/time.h's (no timegm/strptime: locale- and TZ-dependent, slow).
 */
#include "common.h"

#include <time.h>

#include "auth/parse.h"
#include "util/time.h"

#define MR_AUTH_SOURCE_MAX 128     /* bytes of a remote address or host */

const char *mr_auth_service_name(mr_auth_service s)
{
    static const char *const names[MR_SVC_COUNT] = {"ssh", "ftp", "web", "mail", "local"};
    return (unsigned)s < MR_SVC_COUNT ? names[s] : "?";
}

void mr_auth_clock_init(mr_auth_clock *c, int64_t ref_unix)
{
    struct tm tm;
    time_t t = ref_unix > 0 ? (time_t)ref_unix : time(NULL);
    if (!gmtime_r(&t, &tm)) {
        c->ref_year = 1970;
        c->ref_month = 12;
        return;
    }
    c->ref_year = tm.tm_year + 1900;
    c->ref_month = tm.tm_mon + 1;
}

static int digit(char c) { return c >= '0' && c <= '9'; }

static int two(const char *p)
{
    return digit(p[0]) && digit(p[1]) ? (p[0] - '0') * 10 + (p[1] - '0') : -1;
}

/* "Nov  1 10:00:00 " / "Nov 1 10:00:00 " / "Nov 01 10:00:00 ": returns
 * the bytes used, 0 if not one. */
static size_t traditional_time(const mr_auth_clock *clk, mr_span s,
                               mr_auth_event *ev)
{
    if (s.n < 15 || s.p[3] != ' ')
        return 0;
    int mon = mr_month_from_abbrev(s.p);
    if (!mon)
        return 0;
    size_t i = 4;
    if (s.p[i] == ' ')
        i++;
    int day = 0;
    if (i < s.n && digit(s.p[i]))
        day = s.p[i++] - '0';
    if (i < s.n && digit(s.p[i]))
        day = day * 10 + (s.p[i++] - '0');
    if (i + 9 > s.n || s.p[i] != ' ' || s.p[i + 3] != ':' || s.p[i + 6] != ':')
        return 0;
    int h = two(s.p + i + 1), mi = two(s.p + i + 4), sec = two(s.p + i + 7);
    if (day < 1 || day > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        sec < 0 || sec > 60)
        return 0;
    i += 9;
    int year = mon <= clk->ref_month ? clk->ref_year : clk->ref_year - 1;
    ev->time = mr_days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
               h * 3600 + mi * 60 + sec;
    ev->hour = h;
    return i;
}

/* An ISO 8601 word "2024-11-01T10:00:00[.frac][Z|+09:00]". */
static size_t iso_time(mr_span s, mr_auth_event *ev)
{
    mr_span w = mr_auth_word(s);
    if (w.n < 19 || w.p[4] != '-' || (w.p[10] != 'T' && w.p[10] != 't'))
        return 0;
    int64_t t = mr_parse_iso_time(w);
    if (t == INT64_MIN)
        return 0;
    ev->time = t;
    ev->hour = two(w.p + 11); /* as written: the local hour of the log */
    return w.n;
}

static mr_span skip_spaces(mr_span s)
{
    while (s.n && s.p[0] == ' ') {
        s.p++;
        s.n--;
    }
    return s;
}

static mr_span advance(mr_span s, size_t n)
{
    return mr_span_make(s.p + n, s.n - n);
}

/* The tag after the host: program name, optional "(...)", "[pid]", ':'. */
static int parse_tag(mr_span *s, mr_span *prog, mr_auth_event *ev)
{
    size_t i = 0;
    while (i < s->n && i < MR_AUTH_PROG_MAX && s->p[i] != '[' &&
           s->p[i] != ':' && s->p[i] != ' ' && s->p[i] != '(')
        i++;
    if (i == 0 || i >= s->n || i == MR_AUTH_PROG_MAX)
        return -1;
    *prog = mr_span_make(s->p, i);
    if (s->p[i] == '(') { /* vsftpd(pam_unix) */
        const char *close = memchr(s->p + i, ')', s->n - i);
        if (!close)
            return -1;
        i = (size_t)(close - s->p) + 1;
    }
    if (i < s->n && s->p[i] == '[') {
        uint64_t pid = 0;
        size_t j = i + 1;
        while (j < s->n && digit(s->p[j]) && j - i < 11)
            pid = pid * 10 + (uint64_t)(s->p[j++] - '0');
        if (j >= s->n || s->p[j] != ']')
            return -1;
        ev->pid = pid <= UINT32_MAX ? (uint32_t)pid : 0;
        i = j + 1;
    }
    if (i < s->n && s->p[i] == ':')
        i++;
    *s = skip_spaces(advance(*s, i));
    return 0;
}

/* RFC 5424 after "<PRI>1 ": TIMESTAMP HOST APP PROCID MSGID SD MSG. */
static int parse_5424(mr_span s, mr_auth_event *ev, mr_span *prog,
                      mr_span *msg)
{
    size_t used = iso_time(s, ev);
    if (!used) {
        if (!mr_auth_starts(s, "- "))
            return -1;
        used = 1;
    }
    s = skip_spaces(advance(s, used));
    mr_span host = mr_auth_word(s);
    s = skip_spaces(advance(s, host.n));
    *prog = mr_auth_word(s);
    if (prog->n == 0 || prog->n > MR_AUTH_PROG_MAX)
        return -1;
    s = skip_spaces(advance(s, prog->n));
    mr_span procid = mr_auth_word(s);
    uint64_t pid;
    if (mr_span_u64(procid, UINT32_MAX, &pid) == 0)
        ev->pid = (uint32_t)pid;
    s = skip_spaces(advance(s, procid.n));
    mr_span msgid = mr_auth_word(s);
    s = skip_spaces(advance(s, msgid.n));
    if (mr_auth_starts(s, "- ") || (s.n == 1 && s.p[0] == '-')) {
        s = advance(s, 1);
    } else if (s.n && s.p[0] == '[') { /* structured data: skip elements */
        while (s.n && s.p[0] == '[') {
            /* a ']' inside a quoted PARAM-VALUE must be escaped (RFC 5424
             * 6.3.3); some senders do not, so quotes are followed too */
            size_t i = 1;
            int quoted = 0;
            while (i < s.n && (quoted || s.p[i] != ']')) {
                if (s.p[i] == '\\' && i + 1 < s.n)
                    i++;
                else if (s.p[i] == '"')
                    quoted = !quoted;
                i++;
            }
            if (i >= s.n)
                return -1;
            s = advance(s, i + 1);
        }
    } else {
        return -1;
    }
    s = skip_spaces(s);
    if (mr_auth_starts(s, "\xEF\xBB\xBF"))
        s = advance(s, 3);
    *msg = s;
    return 0;
}

static int alnums(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'z') ||
              (p[i] >= 'A' && p[i] <= 'Z')))
            return 0;
    return 1;
}

/* Does an Exim mainlog message start here? A message id (6-6-2 before
 * Exim 4.97, 6-11-4 since) or one of the daemon's own phrases. */
static int exim_like(mr_span m)
{
    if (m.n && m.p[0] == '[') { /* log_selector +pid */
        const char *close = memchr(m.p, ']', m.n);
        if (!close)
            return 0;
        m = advance(m, (size_t)(close - m.p) + 1);
        while (m.n && m.p[0] == ' ')
            m = advance(m, 1);
    }
    if (m.n > 16 && m.p[6] == '-' && m.p[13] == '-' && m.p[16] == ' ' &&
        alnums(m.p, 6) && alnums(m.p + 7, 6) && alnums(m.p + 14, 2))
        return 1;
    if (m.n > 23 && m.p[6] == '-' && m.p[18] == '-' && m.p[23] == ' ' &&
        alnums(m.p, 6) && alnums(m.p + 7, 11) && alnums(m.p + 19, 4))
        return 1;
    return mr_auth_find(m, " authenticator failed for ") || mr_auth_starts(m, "H=") ||
           mr_auth_starts(m, "SMTP ") || mr_auth_find(m, "queue run") ||
           mr_auth_starts(m, "exim ") || mr_auth_starts(m, "TLS error");
}

/* Exim's own log: "2024-11-01 10:00:00[.mmm] [+0900 ][[pid] ]msg", the
 * time read as UTC, as the year-less syslog times are, unless the zone is
 * written. */
static int exim_mainlog(mr_span s, mr_auth_event *ev)
{
    if (s.n < 20 || s.p[4] != '-' || s.p[7] != '-' || s.p[10] != ' ' ||
        s.p[13] != ':' || s.p[16] != ':')
        return MR_PARSE_MALFORMED;
    char iso[32];
    memcpy(iso, s.p, 19);
    iso[10] = 'T';
    size_t i = 19, n = 19;
    if (i < s.n && s.p[i] == '.')
        while (++i < s.n && digit(s.p[i]))
            ;
    if (i + 6 < s.n && s.p[i] == ' ' && (s.p[i + 1] == '+' || s.p[i + 1] == '-') &&
        digit(s.p[i + 2]) && digit(s.p[i + 5]) && s.p[i + 6] == ' ') {
        memcpy(iso + n, s.p + i + 1, 3);
        iso[n + 3] = ':';
        memcpy(iso + n + 4, s.p + i + 4, 2);
        n += 6;
        i += 6;
    } else {
        iso[n++] = 'Z';
    }
    int64_t t = mr_parse_iso_time(mr_span_make(iso, n));
    if (t == INT64_MIN || i >= s.n || s.p[i] != ' ')
        return MR_PARSE_MALFORMED;
    mr_span msg = advance(s, i + 1), prog, rest = msg;
    if (!exim_like(msg)) {
        /* Dovecot's own log with log_timestamp "%Y-%m-%d %H:%M:%S ": the
         * process is the tag; else an IIS or application log */
        if (parse_tag(&rest, &prog, ev) || !mr_auth_dovecot_process(prog) ||
            rest.p == msg.p)
            return MR_PARSE_MALFORMED;
        ev->time = t;
        ev->hour = two(s.p + 11);
        return mr_auth_parse_message(prog, rest, ev);
    }
    ev->time = t;
    ev->hour = two(s.p + 11);
    return mr_auth_parse_message(MR_SPAN_LIT("exim"), msg, ev);
}

/* ProFTPD's own SystemLog (Debian's default: /var/log/proftpd/proftpd.log)
 * "2024-11-01 10:00:00,123 HOST proftpd[PID] ...", local time without a
 * zone, read as UTC as the year-less syslog times are. */
static int proftpd_systemlog(mr_span s, mr_auth_event *ev)
{
    if (s.n < 25 || s.p[4] != '-' || s.p[7] != '-' || s.p[10] != ' ' ||
        s.p[13] != ':' || s.p[16] != ':' || s.p[19] != ',' || s.p[23] != ' ' ||
        !digit(s.p[20]) || !digit(s.p[21]) || !digit(s.p[22]))
        return MR_PARSE_MALFORMED;
    char iso[20];
    memcpy(iso, s.p, 19);
    iso[10] = 'T';
    int64_t t = mr_parse_iso_time(mr_span_make(iso, 19));
    if (t == INT64_MIN)
        return MR_PARSE_MALFORMED;
    s = skip_spaces(advance(s, 24));
    mr_span host = mr_auth_word(s), prog;
    if (host.n == 0 || host.n == s.n)
        return MR_PARSE_MALFORMED;
    s = skip_spaces(advance(s, host.n));
    if (parse_tag(&s, &prog, ev) || !mr_span_eq(prog, "proftpd"))
        return MR_PARSE_MALFORMED;
    ev->time = t;
    ev->hour = two(iso + 11);
    return mr_auth_parse_message(prog, s, ev);
}

int mr_auth_parse_syslog(const mr_auth_clock *clk, const char *line,
                         size_t len, mr_auth_event *ev)
{
    mr_span s = mr_span_make(line, len), prog, msg;
    mr_auth_event_clear(ev);
    if (s.n && s.p[s.n - 1] == '\r')
        s.n--;
    if (s.n && s.p[0] == '<') { /* PRI */
        size_t i = 1;
        while (i < s.n && i < 5 && digit(s.p[i]))
            i++;
        if (i == 1 || i >= s.n || s.p[i] != '>')
            return MR_PARSE_MALFORMED;
        s = advance(s, i + 1);
        if (mr_auth_starts(s, "1 ")) {
            if (parse_5424(advance(s, 2), ev, &prog, &msg))
                return MR_PARSE_MALFORMED;
            return mr_auth_parse_message(prog, msg, ev);
        }
    }
    size_t used = traditional_time(clk, s, ev);
    if (!used)
        used = iso_time(s, ev);
    if (!used)
        return s.n > 19 && s.p[19] == ',' ? proftpd_systemlog(s, ev) : exim_mainlog(s, ev);
    s = skip_spaces(advance(s, used));
    mr_span host = mr_auth_word(s);
    if (host.n == 0 || host.n == s.n)
        return MR_PARSE_MALFORMED;
    /* no host field (BSD syslogd's local lines, Dovecot's own log): the
     * first word is the tag, and no host name ends with ':' */
    if (host.p[host.n - 1] != ':')
        s = skip_spaces(advance(s, host.n));
    if (parse_tag(&s, &prog, ev))
        return MR_PARSE_MALFORMED;
    return mr_auth_parse_message(prog, s, ev);
}

/* Solaris's syslog puts "[ID 800047 auth.info] " before the message. */
static mr_span solaris_id(mr_span msg)
{
    if (!mr_auth_starts(msg, "[ID "))
        return msg;
    const char *close = memchr(msg.p, ']', msg.n);
    if (!close || (size_t)(close - msg.p) > 64)
        return msg;
    return skip_spaces(advance(msg, (size_t)(close - msg.p) + 1));
}

int mr_auth_parse_message(mr_span prog, mr_span msg, mr_auth_event *ev)
{
    int r;
    if (msg.n && msg.p[msg.n - 1] == '\r')
        msg.n--;
    msg = solaris_id(msg);
    if (mr_auth_starts(msg, "(pam_unix) "))   /* Linux-PAM before 0.78 */
        r = mr_auth_parse_pam_unix(prog, msg, ev);
    else if (mr_span_eq(prog, "sshd") || mr_span_eq(prog, "sshd-session") ||
        mr_span_eq(prog, "sshd-auth"))
        r = mr_auth_parse_sshd(msg, ev);
    else if (mr_span_eq(prog, "vsftpd"))
        r = mr_auth_parse_vsftpd_syslog(msg, ev);
    else if (mr_span_eq(prog, "proftpd"))
        r = mr_auth_parse_proftpd(msg, ev);
    else if (mr_span_eq(prog, "pure-ftpd"))
        r = mr_auth_parse_pureftpd(msg, ev);
    else if (mr_span_eq(prog, "dovecot"))
        r = mr_auth_parse_dovecot(msg, ev);
    else if (mr_auth_starts(prog, "postfix") && prog.n >= 6 &&
             memcmp(prog.p + prog.n - 6, "/smtpd", 6) == 0)
        r = mr_auth_parse_postfix_smtpd(msg, ev);
    else if (mr_span_eq(prog, "exim") || mr_span_eq(prog, "exim4"))
        r = mr_auth_parse_exim(msg, ev);
    else if (mr_span_eq(prog, "su") || mr_span_eq(prog, "su-l"))
        r = mr_auth_parse_su(msg, ev);
    else if (mr_span_eq(prog, "sudo"))
        r = mr_auth_parse_sudo(msg, ev);
    else if (mr_auth_dovecot_process(prog))
        r = mr_auth_parse_dovecot_process(prog, msg, ev);
    else
        r = mr_auth_parse_pam_unix(prog, msg, ev); /* "auth:", "dovecot-auth:" */
    if (r == MR_PARSE_OK)
        mr_auth_source_tidy(ev);
    if (r == MR_PARSE_OK &&
        (ev->source.n == 0 || ev->source.n > MR_AUTH_SOURCE_MAX))
        return MR_PARSE_SKIP;
    return r == MR_PARSE_OK ? MR_PARSE_OK : MR_PARSE_SKIP;
}
