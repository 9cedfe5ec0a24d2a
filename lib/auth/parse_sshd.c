/*
 * parse_sshd.c — OpenSSH sshd's messages about logins:
 *
 *   Failed password for [invalid user ]U from A port N ssh2
 *   Failed keyboard-interactive/pam for ...        (password-like)
 *   Accepted password|publickey|keyboard-interactive/pam for U from A ...
 *   Invalid user U from A [port N]
 *   User U from A not allowed because ...
 *   ROOT LOGIN REFUSED FROM A
 *   Disconnected from user U A port N              (end of a session)
 *
 * Duplicates of those (pam_unix "authentication failure", "maximum
 * authentication attempts exceeded", "Connection closed by authenticating
 * user") are skipped so each attempt counts once; "Failed publickey" and
 * "Failed none" are what every key-based client logs, not attacks.
 *
 * sshd logs the user name the client sent, so it may hold " from " and
 * anything else: the address is the word after the LAST " from ".
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

/* s = "U from A ...": the user (everything before the last " from ")
 * and the address word after it. */
static int user_from(mr_span s, mr_auth_event *ev)
{
    const char *from = mr_auth_rfind(s, " from ");
    if (!from)
        return MR_PARSE_MALFORMED;
    ev->account = before(s, from);
    ev->source = mr_auth_word(after(s, from, 6));
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_MALFORMED;
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
        if (ev->method != MR_AM_PASSWORD)
            return MR_PARSE_SKIP;
        ev->result = MR_AUTH_FAILURE;
        if (mr_auth_starts(s, "invalid user ")) {
            ev->result = MR_AUTH_INVALID_USER;
            s = after(s, s.p, 13);
        }
    } else {
        ev->result = MR_AUTH_SUCCESS;
    }
    return user_from(s, ev);
}

int mr_auth_parse_sshd(mr_span msg, mr_auth_event *ev)
{
    mr_span s = msg;
    ev->service = MR_SVC_SSH;
    if (mr_auth_starts(s, "error: "))
        s = after(s, s.p, 7);
    if (mr_auth_starts(s, "Failed "))
        return verb_line(after(s, s.p, 7), ev, 0);
    if (mr_auth_starts(s, "Accepted "))
        return verb_line(after(s, s.p, 9), ev, 1);
    if (mr_auth_starts(s, "Invalid user ")) {
        ev->result = MR_AUTH_INVALID_USER;
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
    if (mr_auth_starts(s, "Disconnected from user ")) {
        /* "Disconnected from user U A port N": user is all but the last
         * three words. */
        mr_span rest = after(s, s.p, 23);
        const char *port = mr_auth_rfind(rest, " port ");
        if (!port)
            return MR_PARSE_SKIP;
        mr_span head = before(rest, port);
        const char *sp = mr_auth_rfind(head, " ");
        if (!sp)
            return MR_PARSE_SKIP;
        ev->account = before(head, sp);
        ev->source = after(head, sp, 1);
        ev->result = MR_AUTH_SESSION_END;
        return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
    }
    return MR_PARSE_SKIP;
}
