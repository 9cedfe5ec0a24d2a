/*
 * parse_ftp.c — FTP servers' login messages:
 *
 *   vsftpd, own log or syslog:
 *     [pid 9] [bob] OK LOGIN: Client "A"
 *     [pid 9] [ftp] OK LOGIN: Client "A", anon password "x"   (anonymous)
 *     [pid 9] [bob] FAIL LOGIN: Client "A"
 *     pam_unix(vsftpd:auth): authentication failure; ... rhost=A user=U
 *   ProFTPD: HOST (NAME[A]) - USER U: Login successful.
 *            ... USER U (Login failed): Incorrect password
 *            ... USER U: no such user found from ...
 *            ... ANON U: Login successful.
 *            ... SECURITY VIOLATION: U login attempted
 *            ... - Maximum login attempts (N) exceeded     (N tries, a
 *                                                            summary)
 *   Pure-FTPd: (?@A) [WARNING] Authentication failed for user [U]
 *              (U@A) [INFO] U is now logged in
 *              (?@A) [INFO] Anonymous user logged in
 *
 * User names are the client's bytes: where a marker could hide in one,
 * the first marker after the user's opening bracket is taken.
 */
#include "common.h"

#include "auth/parse.h"
#include "util/time.h"

static mr_span from_to(const char *a, const char *b)
{
    return mr_span_make(a, (size_t)(b - a));
}

static mr_span rest_after(mr_span s, const char *at, size_t skip)
{
    size_t off = (size_t)(at - s.p) + skip;
    return off <= s.n ? mr_span_make(s.p + off, s.n - off) : MR_SPAN_NULL;
}

static int is_anonymous(mr_span u)
{
    return mr_span_ieq(u, "anonymous") || mr_span_ieq(u, "ftp") ||
           mr_span_ieq(u, "guest");
}

/* "[U] OK LOGIN: Client "A"..." or FAIL LOGIN, after any "[pid N] ". */
static int vsftpd_body(mr_span s, mr_auth_event *ev)
{
    static const char ok[] = "] OK LOGIN: Client \"";
    static const char fail[] = "] FAIL LOGIN: Client \"";
    ev->service = MR_SVC_FTP;
    if (mr_auth_starts(s, "[pid ")) {
        const char *close = memchr(s.p, ']', s.n);
        if (!close)
            return MR_PARSE_MALFORMED;
        s = rest_after(s, close, 1);
        while (s.n && s.p[0] == ' ')
            s = rest_after(s, s.p, 1);
    }
    if (!s.n || s.p[0] != '[')
        return MR_PARSE_SKIP;
    const char *o = mr_auth_find(s, ok), *f = mr_auth_find(s, fail);
    const char *m = o && (!f || o < f) ? o : f;
    if (!m)
        return MR_PARSE_SKIP;
    ev->account = from_to(s.p + 1, m);
    mr_span c = rest_after(s, m, m == o ? sizeof(ok) - 1 : sizeof(fail) - 1);
    const char *q = memchr(c.p, '"', c.n);
    if (!q)
        return MR_PARSE_MALFORMED;
    ev->source = from_to(c.p, q);
    if (m == o) {
        ev->result = MR_AUTH_SUCCESS;
        ev->method = mr_auth_starts(rest_after(c, q, 1), ", anon password") ||
                             is_anonymous(ev->account)
                         ? MR_AM_ANONYMOUS : MR_AM_PASSWORD;
    } else {
        ev->result = MR_AUTH_FAILURE;
        ev->method = MR_AM_PASSWORD;
    }
    return MR_PARSE_OK;
}

/* The value of " key=" up to the next space, or empty. */
static mr_span kv(mr_span s, const char *key)
{
    const char *k = mr_auth_rfind(s, key);
    if (!k)
        return MR_SPAN_NULL;
    return mr_auth_word(rest_after(s, k, strlen(key)));
}

int mr_auth_parse_vsftpd_syslog(mr_span msg, mr_auth_event *ev)
{
    ev->service = MR_SVC_FTP;
    if (mr_auth_find(msg, "authentication failure;")) {
        ev->result = MR_AUTH_FAILURE;
        ev->method = MR_AM_PASSWORD;
        ev->source = kv(msg, " rhost=");
        ev->account = kv(msg, " user=");
        if (!ev->account.n)
            ev->account = kv(msg, " ruser=");
        return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
    }
    return vsftpd_body(msg, ev);
}

int mr_auth_parse_vsftpd_log(const char *line, size_t len, mr_auth_event *ev)
{
    /* "Fri Jan 19 12:20:33 2007 [pid 2] ..." */
    mr_span s = mr_span_make(line, len);
    mr_auth_event_clear(ev);
    if (s.n && s.p[s.n - 1] == '\r')
        s.n--;
    if (s.n < 26 || s.p[3] != ' ' || s.p[7] != ' ')
        return MR_PARSE_MALFORMED;
    int mon = mr_month_from_abbrev(s.p + 4);
    const char *p = s.p + 8;
    int day = 0, h, mi, sec, year = 0;
    if (*p == ' ')
        p++;
    for (int k = 0; k < 2 && *p >= '0' && *p <= '9'; k++)
        day = day * 10 + (*p++ - '0');
    if (!mon || day < 1 || day > 31 || (size_t)(p - s.p) + 15 > s.n ||
        p[0] != ' ' || p[3] != ':' || p[6] != ':' || p[9] != ' ')
        return MR_PARSE_MALFORMED;
    h = (p[1] - '0') * 10 + (p[2] - '0');
    mi = (p[4] - '0') * 10 + (p[5] - '0');
    sec = (p[7] - '0') * 10 + (p[8] - '0');
    for (int i = 10; i < 14; i++) {
        if (p[i] < '0' || p[i] > '9')
            return MR_PARSE_MALFORMED;
        year = year * 10 + (p[i] - '0');
    }
    for (int i = 1; i < 9; i++)
        if (i != 3 && i != 6 && (p[i] < '0' || p[i] > '9'))
            return MR_PARSE_MALFORMED;
    if (h > 23 || mi > 59 || sec > 60 || p[14] != ' ')
        return MR_PARSE_MALFORMED;
    mr_span rest = rest_after(s, p, 15);
    if (!mr_auth_starts(rest, "[pid "))
        return MR_PARSE_MALFORMED;
    ev->time = mr_days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 + h * 3600 + mi * 60 + sec;
    ev->hour = h;
    int r = vsftpd_body(rest, ev);
    if (r == MR_PARSE_OK)
        mr_auth_source_tidy(ev);
    return r == MR_PARSE_MALFORMED ? MR_PARSE_SKIP : r;
}

int mr_auth_parse_proftpd(mr_span msg, mr_auth_event *ev)
{
    ev->service = MR_SVC_FTP;
    ev->method = MR_AM_PASSWORD;
    /* "HOST (NAME[A])" then ": " or " - " then the message. */
    const char *open = memchr(msg.p, '(', msg.n);
    if (!open)
        return MR_PARSE_SKIP;
    mr_span r = rest_after(msg, open, 1);
    const char *close = mr_auth_find(r, "])");
    if (!close)
        return MR_PARSE_SKIP;
    mr_span inner = from_to(r.p, close);
    const char *lb = memrchr(inner.p, '[', inner.n);
    if (!lb)
        return MR_PARSE_SKIP;
    ev->source = from_to(lb + 1, close);
    mr_span s = rest_after(r, close, 2);
    while (s.n && (s.p[0] == ' ' || s.p[0] == ':' || s.p[0] == '-'))
        s = rest_after(s, s.p, 1);
    const char *m;
    if (mr_auth_starts(s, "USER ") || mr_auth_starts(s, "ANON ")) {
        int anon = s.p[0] == 'A';
        mr_span u = rest_after(s, s.p, 5);
        if ((m = mr_auth_find(u, " (Login failed)"))) {
            ev->account = from_to(u.p, m);
            ev->result = MR_AUTH_FAILURE;
        } else if ((m = mr_auth_find(u, ": no such user found"))) {
            ev->account = from_to(u.p, m);
            ev->result = MR_AUTH_INVALID_USER;
        } else if ((m = mr_auth_find(u, ": Login successful"))) {
            ev->account = from_to(u.p, m);
            ev->result = MR_AUTH_SUCCESS;
            if (anon || is_anonymous(ev->account))
                ev->method = MR_AM_ANONYMOUS;
        } else {
            return MR_PARSE_SKIP;
        }
        return MR_PARSE_OK;
    }
    if (mr_auth_starts(s, "Maximum login attempts (")) {
        /* its tries were each a "(Login failed)" line: a summary */
        mr_span n = rest_after(s, s.p, 24);
        uint64_t count = 0;
        size_t i = 0;
        while (i < n.n && i < 10 && n.p[i] >= '0' && n.p[i] <= '9')
            count = count * 10 + (uint64_t)(n.p[i++] - '0');
        if (i == 0 || !mr_auth_starts(rest_after(n, n.p, i), ") exceeded"))
            return MR_PARSE_SKIP;
        ev->result = MR_AUTH_FAILURE;
        ev->origin = MR_AO_TOTAL;
        ev->count = (uint32_t)MR_MIN(MR_MAX(count, (uint64_t)1), (uint64_t)MR_AUTH_REPEAT_MAX);
        return MR_PARSE_OK;
    }
    if (mr_auth_starts(s, "SECURITY VIOLATION: ") &&
        (m = mr_auth_find(s, " login attempted"))) {
        ev->account = from_to(s.p + 20, m);
        ev->result = MR_AUTH_FAILURE;
        return MR_PARSE_OK;
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_pureftpd(mr_span msg, mr_auth_event *ev)
{
    ev->service = MR_SVC_FTP;
    ev->method = MR_AM_PASSWORD;
    if (!msg.n || msg.p[0] != '(')
        return MR_PARSE_SKIP;
    const char *end = mr_auth_find(msg, ") [");
    if (!end)
        return MR_PARSE_SKIP;
    mr_span who = from_to(msg.p + 1, end);
    const char *at = memrchr(who.p, '@', who.n);
    if (!at)
        return MR_PARSE_SKIP;
    ev->source = from_to(at + 1, end);
    mr_span s = rest_after(msg, end, 2);
    const char *m;
    if (mr_auth_starts(s, "[WARNING] Authentication failed for user [")) {
        mr_span u = rest_after(s, s.p, 42);
        const char *rb = memrchr(u.p, ']', u.n);
        if (!rb)
            return MR_PARSE_SKIP;
        ev->account = from_to(u.p, rb);
        ev->result = MR_AUTH_FAILURE;
        return MR_PARSE_OK;
    }
    if (mr_auth_starts(s, "[INFO] Anonymous user logged in")) {
        ev->account = MR_SPAN_LIT("anonymous");
        ev->result = MR_AUTH_SUCCESS;
        ev->method = MR_AM_ANONYMOUS;
        return MR_PARSE_OK;
    }
    if (mr_auth_starts(s, "[INFO] ") &&
        (m = mr_auth_rfind(s, " is now logged in"))) {
        ev->account = from_to(s.p + 7, m);
        ev->result = MR_AUTH_SUCCESS;
        return MR_PARSE_OK;
    }
    return MR_PARSE_SKIP;
}
