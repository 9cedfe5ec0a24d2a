/*
 * web.h — web logins from access-log events: a POST to a login path is an
 * attempt, and the path's rule says which statuses mean success (a login
 * form answers a failure with the form again, 200, and a success with a
 * redirect, 302/303). A 401 with a user name is a failed HTTP
 * authentication. The account is the logged user when there is one; a
 * form login logs none, so the login path itself stands for the account
 * ("[/wp-login.php]"): many sources on it is a distributed attack.
 */
#ifndef MR_AUTH_WEB_H
#define MR_AUTH_WEB_H

#include "auth/event.h"
#include "weblog/event.h"

#define MR_AUTH_PATH_MAX 256          /* bytes of a login path */
#define MR_AUTH_ACCOUNT_BUF (MR_AUTH_PATH_MAX + 2)

typedef struct mr_auth_login_rule {
    char path[MR_AUTH_PATH_MAX];
    size_t len;
    uint64_t success[8];              /* bit per status 100..611 */
} mr_auth_login_rule;

typedef struct mr_auth_web {
    mr_auth_login_rule rules[64];
    size_t nrules;
} mr_auth_web;

/* Built-in rules (WordPress, Drupal, Devise, Django, Java EE, generic
 * /login) when specs is NULL; else "PATH[:RULE]" each, RULE a comma list
 * of statuses or classes ("302,303", "3xx"); no RULE = 3xx. -1 with a
 * message in err on a bad spec. */
int mr_auth_web_init(mr_auth_web *w, const char *const *specs, size_t n,
                     char *err, size_t errlen);
/* An attempt from ev, or 0 when the request is not one. `acct_buf`
 * (MR_AUTH_ACCOUNT_BUF bytes) holds the bracketed path when used. */
int mr_auth_web_event(const mr_auth_web *w, const mr_http_event *ev,
                      char *acct_buf, mr_auth_event *out);

#endif
