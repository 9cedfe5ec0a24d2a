/*
 * parse_sshd.c — OpenSSH sshd's messages about logins, in every form its
 * versions log (auth.c, auth2.c, sshd.c, packet.c) and the pam_unix lines
 * sshd writes with UsePAM:
 *
 *   Failed password for [invalid user ]U from A port N ssh2
 *   Failed keyboard-interactive/pam for ...        (password-like)
 *   Failed publickey|hostbased|none|unknown for invalid user U from A ...
 *                                                  (no such account)
 *   Accepted password|publickey|keyboard-interactive/pam for U from A ...
 *   Invalid user U from A [port N]                 (names U, no try)
 *   User U from A not allowed because ...
 *   ROOT LOGIN REFUSED FROM A
 *   message repeated N times: [ <one of these>]    (rsyslog: N attempts)
 *   Disconnected from user U A port N              (end of a session)
 *
 * summaries, counted only when no line above told the same pid's tries
 * (engine.c):
 *   [error: ]maximum authentication attempts exceeded for [invalid user ]U
 *       from A port N ssh2 [preauth]
 *   Disconnecting {authenticating|invalid} user U A port N: Too many
 *       authentication failures [preauth]
 *   {Connection closed by|Disconnected from} invalid user U A port N
 *       [preauth]                                  (OpenSSH 8.x and 9)
 *   pam_unix(sshd:auth): authentication failure; ... rhost=A [user=U]
 *   authentication failure; ... rhost=A user=U     (sshd(pam_unix)[PID]:
 *                                                   of old Red Hat)
 *   (pam_unix) authentication failure; ... rhost=A (Linux-PAM before 0.78)
 *   error: PAM: Authentication failure|authentication error for
 *       [illegal user ]U from A [via L]            (sshd's own PAM report:
 *                                                   FreeBSD, macOS, kbd-int)
 *   Received disconnect from A[ port N]:3: ...Auth fail [preauth]
 *                                                  (the client gave up; the
 *       form with "authenticating user U" before A is not read: U and the
 *       client's text after the code could both hide an address)
 *   Disconnecting invalid user U A port N: Change of username or service
 *       not allowed [preauth]                      (names tried in turn)
 *   PAM N more authentication failures; ... rhost=A [user=U]
 *
 * probes, connections that never tried a login (scanners):
 *   Did not receive identification string from A [port N]
 *   Connection closed by A [port N] [preauth]
 *   Disconnected from A port N [preauth]
 *   banner exchange: Connection from A port N: invalid format
 *   Bad protocol version identification '...' from A [port N]
 *   Unable to negotiate with A port N: no matching ... [preauth]
 *
 * "Failed publickey" and "Failed none" for an account that exists are
 * what every key-based client logs, not attacks; for one that does not,
 * they are a name tried. sshd logs the user name the client sent, so it may
 * hold " from " and anything else: the address is the word after the
 * LAST " from ", and spaces around a name are not part of it (sshd's
 * "Invalid user  0101 from" is user "0101" in its other lines).
 */
#include "common.h"

#include "auth/parse.h"

static mr_span after(mr_span s, const char *at, size_t skip)
{
    size_t off = (size_t)(at - s.p) + skip;
    return mr_span_make(s.p + off, s.n - off);
}

static mr_span before(mr_span s, const char *at)
{
    return mr_span_make(s.p, (size_t)(at - s.p));
}

static mr_span trim(mr_span s)
{
    while (s.n && s.p[0] == ' ') {
        s.p++;
        s.n--;
    }
    while (s.n && s.p[s.n - 1] == ' ')
        s.n--;
    return s;
}

/* s = "U from A ...": the user (everything before the last " from ")
 * and the address word after it. */
static int user_from(mr_span s, mr_auth_event *ev)
{
    const char *from = mr_auth_rfind(s, " from ");
    if (!from)
        return MR_PARSE_MALFORMED;
    ev->account = trim(before(s, from));
    ev->source = mr_auth_word(after(s, from, 6));
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_MALFORMED;
}

/* s = "U A port N...": the user (all before the last space before the
 * last " port ") and the address. */
static int user_addr_port(mr_span s, mr_auth_event *ev)
{
    const char *port = mr_auth_rfind(s, " port ");
    if (!port)
        return MR_PARSE_SKIP;
    mr_span head = before(s, port);
    const char *sp = mr_auth_rfind(head, " ");
    if (!sp)
        return MR_PARSE_SKIP;
    ev->account = trim(before(head, sp));
    ev->source = after(head, sp, 1);
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}

/* The address word at s, for the probe lines; a trailing ':' (old
 * "Connection closed by A:") is not part of it. */
static int probe(mr_span s, mr_auth_event *ev)
{
    ev->source = mr_auth_word(s);
    while (ev->source.n && ev->source.p[ev->source.n - 1] == ':')
        ev->source.n--;
    ev->result = MR_AUTH_PROBE;
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}

/* The value of " key=" up to the next space, or empty. */
static mr_span kv(mr_span s, const char *key)
{
    const char *k = mr_auth_rfind(s, key);
    if (!k)
        return MR_SPAN_NULL;
    return mr_auth_word(after(s, k, strlen(key)));
}

/* pam_unix's "authentication failure; logname= ... rhost=A  user=U" and
 * "N more authentication failures; ...": s after the verb. */
static int pam_failure(mr_span s, mr_auth_event *ev, mr_auth_origin origin,
                       uint32_t count)
{
    ev->result = MR_AUTH_FAILURE;
    ev->method = MR_AM_PASSWORD;
    ev->origin = (uint8_t)origin;
    ev->count = count;
    ev->source = kv(s, " rhost=");
    ev->account = kv(s, " user=");
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}

/* "N more authentication failure[s];" at s: N, or 0. */
static uint32_t more_count(mr_span s, mr_span *rest)
{
    uint64_t n = 0;
    size_t i = 0;
    while (i < s.n && i < 10 && s.p[i] >= '0' && s.p[i] <= '9')
        n = n * 10 + (uint64_t)(s.p[i++] - '0');
    if (i == 0 || n == 0 || n > MR_AUTH_REPEAT_MAX)
        return 0;
    mr_span r = mr_span_make(s.p + i, s.n - i);
    if (!mr_auth_starts(r, " more authentication failure"))
        return 0;
    *rest = r;
    return (uint32_t)n;
}

static mr_auth_method method_of(mr_span m)
{
    if (mr_span_eq(m, "password") || mr_auth_starts(m, "keyboard-interactive"))
        return MR_AM_PASSWORD;
    if (mr_span_eq(m, "publickey") || mr_span_eq(m, "hostbased") ||
        mr_auth_starts(m, "gssapi"))
        return MR_AM_PUBLICKEY;
    return MR_AM_UNKNOWN;
}

/* "Failed M for ..." / "Accepted M for ...": s after the verb. */
static int verb_line(mr_span s, mr_auth_event *ev, int accepted)
{
    mr_span m = mr_auth_word(s);
    if (m.n == s.n)
        return MR_PARSE_MALFORMED;
    s = after(s, s.p + m.n, 1);
    if (!mr_auth_starts(s, "for "))
        return MR_PARSE_MALFORMED;
    s = after(s, s.p, 4);
    ev->method = method_of(m);
    if (!accepted) {
        ev->result = MR_AUTH_FAILURE;
        if (mr_auth_starts(s, "invalid user ")) {
            ev->result = MR_AUTH_INVALID_USER;
            s = after(s, s.p, 13);
        } else if (ev->method == MR_AM_PUBLICKEY || mr_span_eq(m, "none")) {
            return MR_PARSE_SKIP;
        }
        /* A key's line ends in text the client chose too: a certificate's
         * key id ("RSA-CERT ID K ...") or hostbased's client user and
         * host, either of which may hold " from A": with the user name
         * before the address, no "from" can be trusted there. */
        if (ev->method == MR_AM_PUBLICKEY &&
            (mr_auth_find(s, "-CERT ") || mr_auth_find(s, ", client user ")))
            return MR_PARSE_SKIP;
        /* "none" names the user ahead of the real try, as "Invalid user"
         * does: it counts as that announcement, not as a try */
        if (mr_span_eq(m, "none"))
            ev->announce = 1;
    } else {
        ev->result = MR_AUTH_SUCCESS;
    }
    return user_from(s, ev);
}

/* "[UNKNOWN]U from A ...": a password failure of the given origin, of an
 * account that does not exist when the line says so with `unknown`. */
static int failure_from(mr_span s, mr_auth_event *ev, mr_auth_origin origin,
                        const char *unknown)
{
    ev->result = MR_AUTH_FAILURE;
    ev->method = MR_AM_PASSWORD;
    ev->origin = (uint8_t)origin;
    if (mr_auth_starts(s, unknown)) {
        ev->result = MR_AUTH_INVALID_USER;
        s = after(s, s.p, strlen(unknown));
    }
    return user_from(s, ev);
}

/* "[invalid user ]U from A port N ..." of the maximum-attempts line. */
static int summary_user_from(mr_span s, mr_auth_event *ev)
{
    return failure_from(s, ev, MR_AO_TOTAL, "invalid user ");
}

/* "{authenticating|invalid} user U A port N..." of the close lines. */
static int summary_user_addr(mr_span s, mr_auth_event *ev)
{
    ev->method = MR_AM_PASSWORD;
    ev->origin = MR_AO_TOTAL;
    if (mr_auth_starts(s, "invalid user ")) {
        ev->result = MR_AUTH_INVALID_USER;
        return user_addr_port(after(s, s.p, 13), ev);
    }
    if (mr_auth_starts(s, "authenticating user ")) {
        ev->result = MR_AUTH_FAILURE;
        return user_addr_port(after(s, s.p, 20), ev);
    }
    return MR_PARSE_SKIP;
}

/* sshd's own report of a PAM failure (auth-pam.c): "PAM: MSG for
 * [illegal user ]U from A[ via L]", s after "PAM: ". Only PAM's failure
 * texts count; the try is also a pam_unix line before it and a "Failed
 * ..." line after it when those are logged, so it stands in for the
 * first and gives way to the second (MR_AO_PAM_ECHO). */
static int pam_error(mr_span s, mr_auth_event *ev)
{
    static const char *const fails[] = {"Authentication failure for ",
                                        "authentication failure for ",
                                        "Authentication error for ",
                                        "authentication error for ",
                                        ("User not known to the underlying "
                                         "authentication module for ")};
    for (size_t i = 0; i < sizeof(fails) / sizeof(fails[0]); i++) {
        if (!mr_auth_starts(s, fails[i]))
            continue;
        return failure_from(after(s, s.p, strlen(fails[i])), ev, MR_AO_PAM_ECHO,
                            "illegal user ");
    }
    return MR_PARSE_SKIP;
}

/* "A[ port N]:3: ...: Auth fail [preauth]" after "Received disconnect
 * from ": a client (JSch and its kin) telling the server it gave up after
 * failing; its tries are also their own lines when they were passwords,
 * so it counts only where none told them (MR_AO_TOTAL). */
static int disconnect(mr_span s, mr_auth_event *ev)
{
    if (!mr_auth_rfind(s, "Auth fail"))
        return MR_PARSE_SKIP;
    /* the address is the first word, before the client's own text: "A:"
     * then " 3: " (before OpenSSH 7.4), or "A" then " port N:3: " */
    mr_span addr = mr_auth_word(s), rest = after(s, s.p + addr.n, 0);
    if (addr.n > 1 && addr.p[addr.n - 1] == ':') {
        addr.n--;
        if (!mr_auth_starts(rest, " 3: "))
            return MR_PARSE_SKIP;
    } else {
        if (!mr_auth_starts(rest, " port "))
            return MR_PARSE_SKIP;
        rest = after(rest, rest.p, 6);
        size_t i = 0;
        while (i < rest.n && rest.p[i] >= '0' && rest.p[i] <= '9')
            i++;
        rest = after(rest, rest.p, i);
        if (i == 0 || !(mr_auth_starts(rest, ":3: ") || mr_auth_starts(rest, ": 3: ")))
            return MR_PARSE_SKIP;
    }
    ev->source = addr;
    ev->result = MR_AUTH_FAILURE;
    ev->method = MR_AM_UNKNOWN;
    ev->origin = MR_AO_TOTAL;
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}

static int sshd_line(mr_span msg, mr_auth_event *ev, int depth);

/* rsyslog's "message repeated N times: [ MSG]": MSG, N times. */
static int repeated(mr_span s, mr_auth_event *ev, int depth)
{
    uint64_t n = 0;
    size_t i = 0;
    while (i < s.n && i < 10 && s.p[i] >= '0' && s.p[i] <= '9')
        n = n * 10 + (uint64_t)(s.p[i++] - '0');
    mr_span r = mr_span_make(s.p + i, s.n - i);
    if (i == 0 || n == 0 || depth > 0 || !mr_auth_starts(r, " times: ["))
        return MR_PARSE_SKIP;
    r = trim(after(r, r.p, 9));
    if (!r.n || r.p[r.n - 1] != ']')
        return MR_PARSE_SKIP;
    r.n--;
    int res = sshd_line(r, ev, depth + 1);
    if (res == MR_PARSE_OK && ev->origin == MR_AO_DIRECT &&
        ev->result != MR_AUTH_PROBE && ev->result != MR_AUTH_SESSION_END)
        ev->count = (uint32_t)MR_MIN(n, (uint64_t)MR_AUTH_REPEAT_MAX);
    return res;
}

static int sshd_line(mr_span msg, mr_auth_event *ev, int depth)
{
    mr_span s = msg, rest;
    uint32_t n;
    ev->service = MR_SVC_SSH;
    if (mr_auth_starts(s, "error: "))
        s = after(s, s.p, 7);
    if (mr_auth_starts(s, "PAM: "))
        return pam_error(after(s, s.p, 5), ev);
    if (mr_auth_starts(s, "Received disconnect from "))
        return disconnect(after(s, s.p, 25), ev);
    if (mr_auth_starts(s, "Failed "))
        return verb_line(after(s, s.p, 7), ev, 0);
    if (mr_auth_starts(s, "Accepted "))
        return verb_line(after(s, s.p, 9), ev, 1);
    if (mr_auth_starts(s, "Invalid user ")) {
        ev->result = MR_AUTH_INVALID_USER;
        ev->announce = 1;
        return user_from(after(s, s.p, 13), ev);
    }
    if (mr_auth_starts(s, "User ")) {
        const char *why = mr_auth_rfind(s, " not allowed because ");
        if (!why || why < s.p + 5)
            return MR_PARSE_SKIP;
        ev->result = MR_AUTH_FAILURE;
        return user_from(before(after(s, s.p, 5), why), ev);
    }
    if (mr_auth_starts(s, "ROOT LOGIN REFUSED FROM ")) {
        ev->result = MR_AUTH_FAILURE;
        ev->account = MR_SPAN_LIT("root");
        ev->source = mr_auth_word(after(s, s.p, 24));
        return ev->source.n ? MR_PARSE_OK : MR_PARSE_MALFORMED;
    }
    if (mr_auth_starts(s, "message repeated "))
        return repeated(after(s, s.p, 17), ev, depth);
    if (mr_auth_starts(s, "pam_unix(sshd:auth): authentication failure;"))
        return pam_failure(after(s, s.p, 44), ev, MR_AO_PAM, 1);
    if (mr_auth_starts(s, "authentication failure;")) /* sshd(pam_unix) */
        return pam_failure(after(s, s.p, 23), ev, MR_AO_PAM, 1);
    if (mr_auth_starts(s, "PAM ") && (n = more_count(after(s, s.p, 4), &rest)))
        return pam_failure(rest, ev, MR_AO_MORE, n);
    if ((n = more_count(s, &rest)))
        return pam_failure(rest, ev, MR_AO_MORE, n);
    if (mr_auth_starts(s, "maximum authentication attempts exceeded for "))
        return summary_user_from(after(s, s.p, 45), ev);
    /* The last ": Too many...": an invalid user's name may hold one, with
     * an address of the sender's choosing before it. */
    if (mr_auth_starts(s, "Disconnecting ") &&
        mr_auth_rfind(s, ": Too many authentication failures"))
        return summary_user_addr(before(after(s, s.p, 14),
                                        mr_auth_rfind(s, ": Too many authentication failures")), ev);
    /* a client that switched user names mid-login: one more name tried */
    if (mr_auth_starts(s, "Disconnecting ") &&
        mr_auth_rfind(s, ": Change of username or service not allowed"))
        return summary_user_addr(before(after(s, s.p, 14),
                                        mr_auth_rfind(s, ": Change of username or service not allowed")), ev);
    if (mr_auth_starts(s, "Did not receive identification string from "))
        return probe(after(s, s.p, 43), ev);
    if (mr_auth_starts(s, "banner exchange: Connection from "))
        return probe(after(s, s.p, 33), ev);
    if (mr_auth_starts(s, "Unable to negotiate with "))
        return probe(after(s, s.p, 25), ev);
    if (mr_auth_starts(s, "Bad protocol version identification ")) {
        const char *from = mr_auth_rfind(s, " from ");
        return from ? probe(after(s, from, 6), ev) : MR_PARSE_SKIP;
    }
    if (mr_auth_starts(s, "Connection closed by ") ||
        mr_auth_starts(s, "Disconnected from ")) {
        rest = after(s, s.p, s.p[0] == 'C' ? 21 : 18);
        if (mr_auth_starts(rest, "user ")) { /* end of a session */
            if (s.p[0] == 'C')
                return MR_PARSE_SKIP;
            if (user_addr_port(after(rest, rest.p, 5), ev) != MR_PARSE_OK)
                return MR_PARSE_SKIP;
            ev->result = MR_AUTH_SESSION_END;
            return MR_PARSE_OK;
        }
        if (mr_auth_starts(rest, "invalid user ") ||
            mr_auth_starts(rest, "authenticating user ")) {
            /* after failures, or a key-only try: a summary of invalid
             * users only (a known user's closes say nothing new) */
            if (!mr_auth_starts(rest, "invalid user "))
                return MR_PARSE_SKIP;
            return summary_user_addr(rest, ev);
        }
        /* "A port N [preauth]" / "A [preauth]": closed before a login */
        if (!mr_auth_rfind(rest, "[preauth]"))
            return MR_PARSE_SKIP;
        return probe(rest, ev);
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_pam_unix(mr_span prog, mr_span msg, mr_auth_event *ev)
{
    static const struct {
        const char *name;
        mr_auth_service service;
    } services[] = {
        {"sshd", MR_SVC_SSH},      {"dovecot", MR_SVC_MAIL},
        {"vsftpd", MR_SVC_FTP},    {"proftpd", MR_SVC_FTP},
        {"pure-ftpd", MR_SVC_FTP},
    };
    mr_span svc;
    if (mr_auth_starts(msg, "(pam_unix) ")) {
        svc = prog;
        msg = after(msg, msg.p, 11);
    } else if (mr_auth_starts(msg, "pam_unix(")) {
        mr_span in = after(msg, msg.p, 9);
        const char *colon = memchr(in.p, ':', in.n);
        if (!colon || !mr_auth_starts(after(in, colon, 0), ":auth): "))
            return MR_PARSE_SKIP;
        svc = before(in, colon);
        msg = after(in, colon, 8);
        /* the program must be the service's own: any program may log any
         * text, and "myapp: pam_unix(sshd:auth)" is no sshd try */
        int own = svc.n == prog.n && memcmp(svc.p, prog.p, svc.n) == 0;
        if (!own &&
            !(mr_span_eq(svc, "dovecot") &&
              (mr_span_eq(prog, "dovecot-auth") || mr_auth_dovecot_process(prog))))
            return MR_PARSE_SKIP;
    } else {
        return MR_PARSE_SKIP;
    }
    if (!mr_auth_starts(msg, "authentication failure;"))
        return MR_PARSE_SKIP;
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        if (!mr_span_eq(svc, services[i].name))
            continue;
        ev->service = services[i].service;
        if (ev->service != MR_SVC_SSH)
            ev->pid = 0;   /* daemons that serve many connections a process */
        return pam_failure(after(msg, msg.p, 23), ev, MR_AO_PAM, 1);
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_sshd(mr_span msg, mr_auth_event *ev)
{
    return sshd_line(msg, ev, 0);
}
