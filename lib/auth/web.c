/*
 * web.c — see web.h: login-path rules and turning an access-log request
 * into a login attempt.
 */
#include "common.h"

#include "auth/web.h"

static const char *const builtin[] = {
    "/wp-login.php:302",          /* WordPress: 302 to wp-admin on success */
    "/xmlrpc.php:",               /* WordPress XML-RPC: always 200, unknown */
    "/user/login:302,303",        /* Drupal */
    "/users/sign_in:302,303",     /* Rails Devise */
    "/accounts/login/:302",       /* Django */
    "/admin/login/:302",          /* Django admin */
    "/j_security_check:302,303",  /* Java EE form login */
    "/login:302,303",             /* many frameworks */
};

static void set_bit(uint64_t *bits, unsigned status)
{
    if (status >= 100 && status < 612)
        bits[(status - 100) / 64] |= (uint64_t)1 << ((status - 100) % 64);
}

static int get_bit(const uint64_t *bits, int status)
{
    if (status < 100 || status >= 612)
        return 0;
    return (int)((bits[(status - 100) / 64] >> ((status - 100) % 64)) & 1);
}

static int parse_rule(mr_auth_login_rule *r, const char *rule)
{
    const char *p = rule;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n != 3 || p[0] < '1' || p[0] > '5')
            return -1;
        if ((p[1] == 'x' || p[1] == 'X') && (p[2] == 'x' || p[2] == 'X')) {
            for (unsigned s = 0; s < 100; s++)
                set_bit(r->success, (unsigned)(p[0] - '0') * 100 + s);
        } else if (p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9') {
            set_bit(r->success, (unsigned)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0')));
        } else {
            return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

int mr_auth_web_init(mr_auth_web *w, const char *const *specs, size_t n,
                     char *err, size_t errlen)
{
    memset(w, 0, sizeof(*w));
    if (!specs) {
        specs = builtin;
        n = MR_ARRAY_LEN(builtin);
    }
    if (n > MR_ARRAY_LEN(w->rules)) {
        snprintf(err, errlen, "more than %zu --login-path rules", MR_ARRAY_LEN(w->rules));
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        mr_auth_login_rule *r = &w->rules[i];
        const char *spec = specs[i] ? specs[i] : "";
        const char *colon = strchr(spec, ':');
        size_t plen = colon ? (size_t)(colon - spec) : strlen(spec);
        if (plen == 0 || spec[0] != '/' || plen >= sizeof(r->path) ||
            (colon && parse_rule(r, colon + 1)) || (!colon && parse_rule(r, "3xx"))) {
            snprintf(err, errlen, "--login-path '%s': want /PATH[:STATUS,...] "
                     "(statuses like 302 or classes like 3xx)", spec);
            return -1;
        }
        memcpy(r->path, spec, plen);
        r->len = plen;
    }
    w->nrules = n;
    return 0;
}

static mr_span path_of(mr_span target)
{
    const char *q = memchr(target.p, '?', target.n);
    return mr_span_make(target.p, q ? (size_t)(q - target.p) : target.n);
}

int mr_auth_web_event(const mr_auth_web *w, const mr_http_event *ev,
                      char *acct_buf, mr_auth_event *out)
{
    mr_auth_event_clear(out);
    out->time = ev->time;
    if (ev->time != INT64_MIN)
        out->hour = (int)(((ev->time % 86400) + 86400) % 86400 / 3600);
    out->source = ev->client;
    out->service = MR_SVC_WEB;
    out->method = MR_AM_PASSWORD;
    if (!ev->client.n)
        return 0;
    int has_user = ev->user.n && !(ev->user.n == 1 && ev->user.p[0] == '-');
    if (ev->status == 401 && has_user) {
        out->account = ev->user;
        out->result = MR_AUTH_FAILURE;
        return 1;
    }
    if (!mr_span_eq(ev->method, "POST"))
        return 0;
    mr_span path = path_of(ev->target);
    for (size_t i = 0; i < w->nrules; i++) {
        const mr_auth_login_rule *r = &w->rules[i];
        if (path.n != r->len || memcmp(path.p, r->path, r->len) != 0)
            continue;
        out->result = get_bit(r->success, ev->status) ? MR_AUTH_SUCCESS
                                                       : MR_AUTH_FAILURE;
        if (has_user) {
            out->account = ev->user;
        } else {
            acct_buf[0] = '[';
            memcpy(acct_buf + 1, r->path, r->len);
            acct_buf[r->len + 1] = ']';
            out->account = mr_span_make(acct_buf, r->len + 2);
        }
        return 1;
    }
    return 0;
}
