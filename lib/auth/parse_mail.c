/*
 * parse_mail.c — mail servers' login messages (IMAP, POP3 and SMTP AUTH
 * accounts are what list-based attacks try first):
 *
 *   Dovecot, login processes (one line per connection; always logged):
 *     imap-login: Disconnected (auth failed, N attempts in S secs):
 *         user=<U>, method=PLAIN, rip=A, lip=L, ...
 *     pop3-login: Aborted login (auth failed, N attempts in S secs): ...
 *     imap-login: Login aborted: Connection closed (auth failed, N
 *         attempts in S secs) (auth_failed): user=<U>, ..., rip=A, ...
 *     imap-login: Login: user=<U>, method=PLAIN, rip=A, ...   (success)
 *     imap-login: Disconnected (no auth attempts in S secs): user=<>,
 *         rip=A, ...                                        (a probe)
 *     imap-login: Aborted login (tried to use disabled plaintext auth):
 *         rip=A, ...                               (a password refused)
 *   Dovecot, auth process (auth_verbose=yes; each try, before the line
 *   of its login process):
 *     auth: pam(U,A[,<session>]): pam_authenticate() failed: ...
 *     auth-worker(N): passwd-file(U,A): unknown user | Password mismatch
 *   Both through syslog ("dovecot: imap-login: ...") or in Dovecot's own
 *   log file (log_path: the process is the tag, "Info: " before the text).
 *   Postfix smtpd (any service name: postfix/submission/smtpd too):
 *     warning: HOST[A][:PORT]: SASL LOGIN authentication failed: why[,
 *         sasl_username=U]
 *     QUEUEID: client=HOST[A], sasl_method=PLAIN, sasl_username=U
 *   Exim (syslog or its own mainlog, after the timestamp and ids):
 *     NAME authenticator failed for [H=][host ][(helo) ][A][:port] ...:
 *         535 Incorrect authentication data (set_id=U)
 *
 * The auth process's line and the Postfix/login-process line tell the
 * same try: the first counts, the summary after it only for the tries
 * no detail line told (origins MR_AO_PAM and MR_AO_TOTAL without a pid,
 * engine.c). These daemons serve many connections per process, so the
 * pid says nothing here and is dropped.
 */
#include "common.h"

#include "auth/parse.h"

static mr_span from_to(const char *a, const char *b)
{
    return mr_span_make(a, (size_t)(b - a));
}

#define MR_DOVE_KEY_MAX 16   /* ", " and a field name such as "rip=" */

static mr_span rest_after(mr_span s, const char *at, size_t skip)
{
    size_t off = (size_t)(at - s.p) + skip;
    return off <= s.n ? mr_span_make(s.p + off, s.n - off) : MR_SPAN_NULL;
}

/* Dovecot's "key=<value>" or "key=value," field after the ": " that ends
 * the message text. The user name comes first and its sender chose it,
 * so it may hold ", rip=192.0.2.77" to frame another address: a plain
 * field is the LAST ", key" of the line (the server's own fields follow
 * the user name), a "<...>" one the first, up to its last ">, ". */
static mr_span dove_field(mr_span s, const char *key, int angle)
{
    const char *k;
    size_t skip = strlen(key);
    if (angle) {
        k = mr_auth_find(s, key);
    } else {
        char pat[MR_DOVE_KEY_MAX];
        int n = snprintf(pat, sizeof pat, ", %s", key);
        if (n < 0 || (size_t)n >= sizeof pat)
            return MR_SPAN_NULL;
        k = mr_auth_rfind(s, pat);
        skip += 2;
        if (!k && mr_auth_starts(s, key)) { /* the first field, no user before */
            k = s.p;
            skip -= 2;
        }
    }
    if (!k)
        return MR_SPAN_NULL;
    mr_span v = rest_after(s, k, skip);
    if (angle) {
        const char *close = mr_auth_rfind(v, ">, ");
        if (!close)
            close = v.n && v.p[v.n - 1] == '>' ? v.p + v.n - 1 : NULL;
        return close ? from_to(v.p, close) : MR_SPAN_NULL;
    }
    size_t i = 0;
    while (i < v.n && v.p[i] != ',' && v.p[i] != ' ')
        i++;
    return mr_span_make(v.p, i);
}

static uint32_t attempts_in(mr_span s)
{
    const char *a = mr_auth_find(s, "(auth failed, ");
    if (!a)
        return 0;
    mr_span r = rest_after(s, a, 14);
    uint64_t n = 0;
    size_t i = 0;
    while (i < r.n && i < 10 && r.p[i] >= '0' && r.p[i] <= '9')
        n = n * 10 + (uint64_t)(r.p[i++] - '0');
    return (uint32_t)MR_MIN(MR_MAX(n, (uint64_t)1), (uint64_t)MR_AUTH_REPEAT_MAX);
}

/* "imap-login: ..." after the process name. */
static int dovecot_login(mr_span s, mr_auth_event *ev)
{
    /* The fields follow the message text's last "): " or "Login: "; the
     * user name comes first when the client sent one. */
    const char *u = mr_auth_find(s, "user=<");
    if (!u)
        u = mr_auth_find(s, "): ");
    if (!u)
        return MR_PARSE_SKIP;
    mr_span head = from_to(s.p, u), fields = rest_after(s, u, 0);
    if (fields.n && *u == ')') { /* no user: "(auth failed, 1 attempts): method=" */
        fields = rest_after(fields, fields.p, 3);   /* "): " */
        head = mr_span_make(s.p, head.n + 1);
    }
    ev->source = dove_field(fields, "rip=", 0);
    if (mr_auth_starts(s, "Login: ")) {
        ev->account = dove_field(fields, "user=<", 1);
        ev->result = MR_AUTH_SUCCESS;
        return MR_PARSE_OK;
    }
    if (mr_auth_find(head, "(auth failed, ")) {
        ev->account = dove_field(fields, "user=<", 1);
        ev->result = MR_AUTH_FAILURE;
        ev->origin = MR_AO_TOTAL;
        ev->count = attempts_in(head);
        return MR_PARSE_OK;
    }
    if (mr_auth_find(head, "plaintext auth)")) {
        /* "Aborted login (tried to use disabled|disallowed plaintext
         * auth)": a password sent where the server refuses it in clear */
        ev->result = MR_AUTH_FAILURE;
        ev->origin = MR_AO_TOTAL;
        return MR_PARSE_OK;
    }
    if (mr_auth_find(head, "(no auth attempts")) {
        ev->result = MR_AUTH_PROBE;
        ev->method = MR_AM_UNKNOWN;
        return MR_PARSE_OK;
    }
    return MR_PARSE_SKIP;
}

/* "auth: DRIVER(U,A[,<session>]): MESSAGE" after "auth[-worker(N)]: ". */
static int dovecot_auth(mr_span s, mr_auth_event *ev)
{
    const char *open = memchr(s.p, '(', s.n);
    if (!open)
        return MR_PARSE_SKIP;
    mr_span in = rest_after(s, open, 1);
    /* The last "): ": the user name (the sender's choice) may hold one
     * with an address of its own before it; Dovecot's messages after
     * it ("Password mismatch", "unknown user", "pam_authenticate()
     * failed: ...") hold none. */
    const char *close = mr_auth_rfind(in, "): ");
    if (!close)
        return MR_PARSE_SKIP;
    mr_span args = from_to(in.p, close), msg = rest_after(in, close, 3);
    if (args.n && args.p[args.n - 1] == ',')   /* "ldap(U,A,)": no session */
        args.n--;
    const char *comma = memrchr(args.p, ',', args.n);
    if (comma && comma + 1 < args.p + args.n && comma[1] == '<') { /* session */
        args = from_to(args.p, comma);
        comma = memrchr(args.p, ',', args.n);
    }
    if (!comma)
        return MR_PARSE_SKIP;
    ev->account = from_to(args.p, comma);
    ev->source = rest_after(args, comma, 1);
    if (mr_auth_starts(msg, "unknown user"))
        ev->result = MR_AUTH_INVALID_USER;
    else if (mr_auth_starts(msg, "Password mismatch") ||
             mr_auth_starts(msg, "pam_authenticate() failed") ||
             mr_auth_starts(msg, "Invalid password") ||
             mr_auth_starts(msg, "invalid credentials"))   /* ldap */
        ev->result = MR_AUTH_FAILURE;
    else
        return MR_PARSE_SKIP;
    ev->origin = MR_AO_PAM;
    return MR_PARSE_OK;
}

static int login_process(mr_span proc)
{
    return mr_span_eq(proc, "imap-login") || mr_span_eq(proc, "pop3-login") ||
           mr_span_eq(proc, "submission-login") || mr_span_eq(proc, "managesieve-login");
}

static int auth_process(mr_span proc)
{
    /* "auth", "auth-worker" (the syslog tag parser leaves "(N)" out) and
     * the "auth(default)" / "auth-worker(N)" words of syslog messages */
    if (!mr_auth_starts(proc, "auth"))
        return 0;
    mr_span rest = rest_after(proc, proc.p, 4);
    if (mr_auth_starts(rest, "-worker"))
        rest = rest_after(rest, rest.p, 7);
    return rest.n == 0 || rest.p[0] == '(';
}

int mr_auth_dovecot_process(mr_span proc)
{
    return login_process(proc) || auth_process(proc);
}

int mr_auth_parse_dovecot_process(mr_span proc, mr_span msg, mr_auth_event *ev)
{
    ev->service = MR_SVC_MAIL;
    ev->method = MR_AM_PASSWORD;
    ev->pid = 0;
    /* its own log file writes the level before the text */
    static const char *const levels[] = {"Info: ", "Warning: ", "Error: ", "Debug: "};
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        if (mr_auth_starts(msg, levels[i])) {
            msg = rest_after(msg, msg.p, strlen(levels[i]));
            break;
        }
    if (login_process(proc))
        return dovecot_login(msg, ev);
    if (auth_process(proc)) {
        if (mr_auth_starts(msg, "pam_unix("))   /* its PAM stack's own line */
            return mr_auth_parse_pam_unix(proc, msg, ev);
        /* "conn unix:auth-worker (uid=143): auth-worker<13247>: sql(...)" */
        const char *inner = mr_auth_find(msg, ": auth-worker<");
        if (inner && mr_auth_starts(msg, "conn ")) {
            msg = rest_after(msg, inner, 2);
            mr_span w = mr_auth_word(msg);
            msg = rest_after(msg, msg.p + w.n, w.n < msg.n ? 1 : 0);
        }
        return dovecot_auth(msg, ev);
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_dovecot(mr_span msg, mr_auth_event *ev)
{
    for (int hop = 0; hop < 2; hop++) {
        mr_span proc = mr_auth_word(msg);
        if (proc.n < 2 || proc.p[proc.n - 1] != ':')
            return MR_PARSE_SKIP;
        mr_span rest = rest_after(msg, proc.p + proc.n, proc.n < msg.n ? 1 : 0);
        proc.n--;
        if (!mr_span_eq(proc, "dovecot")) /* "dovecot: dovecot: auth(...)" */
            return mr_auth_parse_dovecot_process(proc, rest, ev);
        msg = rest;
    }
    return MR_PARSE_SKIP;
}

/* "HOST[A]" ending at `end` (the ']'). */
static mr_span bracket_addr(mr_span s, const char *end)
{
    mr_span head = from_to(s.p, end);
    const char *lb = memrchr(head.p, '[', head.n);
    return lb ? from_to(lb + 1, end) : MR_SPAN_NULL;
}

/* The ']' of "warning: HOST[A]: SASL " or, with smtpd_client_port_logging,
 * "warning: HOST[A]:PORT: SASL ". */
static const char *sasl_client_end(mr_span msg)
{
    const char *m = mr_auth_find(msg, ": SASL ");
    if (!m)
        return NULL;
    const char *p = m;
    while (p > msg.p && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p < m && p > msg.p && p[-1] == ':')
        p--;
    return p > msg.p && p[-1] == ']' ? p - 1 : NULL;
}

/* Failures that say nothing of the client's password: the server lost
 * its authentication backend, or the client asked for a mechanism the
 * server does not offer. The reason is Postfix's, right after the first
 * " authentication failed: " past the client; the user name after it is
 * the client's choice and never looked at. */
static int sasl_server_side(mr_span msg, const char *client_end)
{
    mr_span rest = rest_after(msg, client_end, 1);
    const char *f = mr_auth_find(rest, " authentication failed: ");
    if (!f)
        return 0;
    mr_span why = rest_after(rest, f, 24);
    return mr_auth_starts(why, "Connection lost to authentication server") ||
           mr_auth_starts(why, "Invalid authentication mechanism");
}

int mr_auth_parse_postfix_smtpd(mr_span msg, mr_auth_event *ev)
{
    const char *m;
    ev->service = MR_SVC_MAIL;
    ev->method = MR_AM_PASSWORD;
    ev->pid = 0;
    if (mr_auth_starts(msg, "warning: ") && (m = sasl_client_end(msg)) &&
        mr_auth_find(rest_after(msg, m, 1), " authentication failed") &&
        !sasl_server_side(msg, m)) {
        ev->source = bracket_addr(msg, m);
        const char *u = mr_auth_rfind(msg, ", sasl_username=");
        if (u)
            ev->account = rest_after(msg, u, 16);
        ev->result = MR_AUTH_FAILURE;
        ev->origin = MR_AO_TOTAL;
        return MR_PARSE_OK;
    }
    if ((m = mr_auth_find(msg, ": client=")) &&
        (m = mr_auth_find(rest_after(msg, m, 9), "], sasl_method="))) {
        const char *u = mr_auth_find(msg, ", sasl_username=");
        if (!u)
            return MR_PARSE_SKIP;
        ev->source = bracket_addr(msg, m);
        ev->account = mr_auth_word(rest_after(msg, u, 16));
        while (ev->account.n && ev->account.p[ev->account.n - 1] == ',')
            ev->account.n--;
        ev->result = MR_AUTH_SUCCESS;
        return MR_PARSE_OK;
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_exim(mr_span msg, mr_auth_event *ev)
{
    ev->service = MR_SVC_MAIL;
    ev->method = MR_AM_PASSWORD;
    ev->pid = 0;
    const char *m = mr_auth_find(msg, " authenticator failed for ");
    if (!m)
        return MR_PARSE_SKIP;
    mr_span s = rest_after(msg, m, 26);
    if (mr_auth_starts(s, "H="))
        s = rest_after(s, s.p, 2);
    /* host name (from DNS), then "(helo)": HELO names are limited to
     * host-name characters and IP literals, so no ')' inside */
    if (s.n && s.p[0] != '(' && s.p[0] != '[') {
        mr_span host = mr_auth_word(s);
        s = rest_after(s, s.p + host.n, host.n < s.n ? 1 : 0);
    }
    if (s.n && s.p[0] == '(') {
        const char *close = memchr(s.p, ')', s.n);
        if (!close)
            return MR_PARSE_SKIP;
        s = rest_after(s, close, 1);
        while (s.n && s.p[0] == ' ')
            s = rest_after(s, s.p, 1);
    }
    if (!s.n || s.p[0] != '[')
        return MR_PARSE_SKIP;
    const char *rb = memchr(s.p, ']', s.n);
    if (!rb)
        return MR_PARSE_SKIP;
    ev->source = from_to(s.p + 1, rb);
    const char *id = mr_auth_rfind(s, "(set_id=");
    if (id) {
        mr_span v = rest_after(s, id, 8);
        const char *close = memrchr(v.p, ')', v.n);
        ev->account = close ? from_to(v.p, close) : v;
    }
    ev->result = MR_AUTH_FAILURE;
    return MR_PARSE_OK;
}
