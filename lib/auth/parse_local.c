/*
 * parse_local.c — local password checks by su and sudo, where the
 * "source" is the local user who typed (ruser, or the login name) and
 * the account is the one whose password was tried:
 *
 *   su[PID]: pam_unix(su:auth): authentication failure; logname=L uid=N
 *       euid=0 tty=T ruser=R rhost=  user=U         (su-l, su too)
 *   su(pam_unix)[PID]: authentication failure; ...  (old Red Hat)
 *   su[PID]: FAILED SU (to U) R on T                 (util-linux su)
 *   su[PID]: FAILED su for U by R                    (shadow su)
 *   sudo[PID]: pam_unix(sudo:auth): authentication failure; ... ruser=R
 *       rhost=  user=U
 *   sudo[PID]: R : N incorrect password attempt[s] ; TTY=T ; PWD=P ;
 *       USER=U ; COMMAND=C                          (sudo's summary of
 *                                                    R's own password)
 *
 * The pam_unix line comes first; su's FAILED line tells the same try and
 * sudo's summary all of them, so both are matched by pid (engine.c).
 */
#include "common.h"

#include "auth/parse.h"

static mr_span rest_after(mr_span s, const char *at, size_t skip)
{
    size_t off = (size_t)(at - s.p) + skip;
    return off <= s.n ? mr_span_make(s.p + off, s.n - off) : MR_SPAN_NULL;
}

static mr_span kv(mr_span s, const char *key)
{
    const char *k = mr_auth_rfind(s, key);
    if (!k)
        return MR_SPAN_NULL;
    return mr_auth_word(rest_after(s, k, strlen(key)));
}

static int pam_local(mr_span s, mr_auth_event *ev)
{
    ev->result = MR_AUTH_FAILURE;
    ev->origin = MR_AO_PAM;
    ev->account = kv(s, " user=");
    ev->source = kv(s, " ruser=");
    if (!ev->source.n)
        ev->source = kv(s, "logname=");
    if (!ev->source.n)
        ev->source = kv(s, " tty=");
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}

int mr_auth_parse_su(mr_span msg, mr_auth_event *ev)
{
    const char *m;
    ev->service = MR_SVC_LOCAL;
    ev->method = MR_AM_PASSWORD;
    if (mr_auth_starts(msg, "pam_unix(su") &&
        (m = mr_auth_find(msg, ":auth): authentication failure;")))
        return pam_local(rest_after(msg, m, 31), ev);
    if (mr_auth_starts(msg, "authentication failure;")) /* su(pam_unix) */
        return pam_local(rest_after(msg, msg.p, 23), ev);
    if (mr_auth_starts(msg, "FAILED SU (to ")) {
        mr_span r = rest_after(msg, msg.p, 14);
        const char *close = mr_auth_find(r, ") ");
        if (!close)
            return MR_PARSE_SKIP;
        ev->account = mr_span_make(r.p, (size_t)(close - r.p));
        ev->source = mr_auth_word(rest_after(r, close, 2));
        ev->result = MR_AUTH_FAILURE;
        return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
    }
    if (mr_auth_starts(msg, "FAILED su for ") && (m = mr_auth_rfind(msg, " by "))) {
        mr_span r = rest_after(msg, msg.p, 14);
        ev->account = mr_span_make(r.p, (size_t)(m - r.p));
        ev->source = mr_auth_word(rest_after(msg, m, 4));
        ev->result = MR_AUTH_FAILURE;
        return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
    }
    return MR_PARSE_SKIP;
}

int mr_auth_parse_sudo(mr_span msg, mr_auth_event *ev)
{
    const char *m;
    ev->service = MR_SVC_LOCAL;
    ev->method = MR_AM_PASSWORD;
    if (mr_auth_starts(msg, "pam_unix(sudo") &&
        (m = mr_auth_find(msg, ":auth): authentication failure;")))
        return pam_local(rest_after(msg, m, 31), ev);
    if (mr_auth_starts(msg, "authentication failure;")) /* sudo(pam_unix) */
        return pam_local(rest_after(msg, msg.p, 23), ev);
    /* "R : N incorrect password attempt[s] ; TTY=..." (sudo pads R) */
    while (msg.n && msg.p[0] == ' ')
        msg = rest_after(msg, msg.p, 1);
    if (!(m = mr_auth_find(msg, " incorrect password attempt")))
        return MR_PARSE_SKIP;
    mr_span head = mr_span_make(msg.p, (size_t)(m - msg.p));
    const char *colon = mr_auth_rfind(head, " : ");
    if (!colon)
        return MR_PARSE_SKIP;
    mr_span num = rest_after(head, colon, 3);
    uint64_t n;
    if (mr_span_u64(num, MR_AUTH_REPEAT_MAX, &n) || n == 0)
        return MR_PARSE_SKIP;
    ev->source = ev->account = mr_span_make(msg.p, (size_t)(colon - msg.p));
    ev->result = MR_AUTH_FAILURE;
    ev->origin = MR_AO_TOTAL;
    ev->count = (uint32_t)n;
    return ev->source.n ? MR_PARSE_OK : MR_PARSE_SKIP;
}
