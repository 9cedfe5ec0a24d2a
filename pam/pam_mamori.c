/*
 * pam_mamori.c — a PAM password module that enforces mamori's password
 * policy when a password is changed (passwd, chpasswd via PAM, ...).
 *
 *   password requisite pam_mamori.so [policy=ipa|nist|FILE] [mfa]
 *            [retry=N] [remember=N] [history=PATH] [lang=en|ja]
 *            [use_authtok] [breach_list=FILE] [debug]
 *   password [success=1 default=ignore] pam_unix.so use_authtok yescrypt
 *
 * It asks for the new password (twice) unless use_authtok takes it from an
 * earlier module, judges it with the user's name, real name (GECOS) and
 * the old password as context, tells the user why a password is refused
 * in their language (lang=, else PAM's or the process's LANG), and keeps
 * a salted hash history (pam_history.h) so old passwords cannot return.
 *
 * A resource it cannot use turns off that resource alone, with a syslog
 * warning (LOG_AUTHPRIV): an unreadable policy file gives the built-in
 * policy (ipa, or nist for policy=nist), a missing or unusable breach
 * list leaves the built-in breach filter, an unreadable history turns
 * off the reuse check; the built-in checks always run. It never locks
 * anyone out because of itself: only out of memory (no checker at all)
 * makes it defer, still collecting the new password for the modules
 * after it and returning PAM_IGNORE. Only a password it judged weak or
 * reused gets PAM_AUTHTOK_ERR.
 */
#include "common.h"

#include <pwd.h>
#include <syslog.h>

#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "mamori/password.h"
#include "pam_history.h"

/* The module is built with -fvisibility=hidden: only PAM's entry points
 * are exported, so nothing of libmamori can clash with another module. */
#define MR_PAM_EXPORT __attribute__((visibility("default")))

#define PAM_RETRY_MAX 10
#define PAM_REMEMBER_DEFAULT 5
#define PAM_GECOS_BUF 4096

typedef struct pam_opts {
    const char *policy;
    const char *history;
    const char *breach_list;
    unsigned retry, remember;
    int mfa, debug, lang;
} pam_opts;

static int parse_opts(pam_handle_t *pamh, int argc, const char **argv,
                      pam_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->history = MR_HISTORY_DEFAULT;
    o->retry = 3;
    o->remember = PAM_REMEMBER_DEFAULT;
    o->lang = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        char *end;
        if (!strncmp(a, "policy=", 7)) {
            o->policy = a + 7;
        } else if (!strncmp(a, "history=", 8)) {
            o->history = a + 8;
        } else if (!strncmp(a, "breach_list=", 12)) {
            o->breach_list = a + 12;
        } else if (!strncmp(a, "retry=", 6)) {
            unsigned long v = strtoul(a + 6, &end, 10);
            o->retry = (unsigned)MR_MIN(v, PAM_RETRY_MAX);
            if (*end || o->retry == 0)
                o->retry = 1;
        } else if (!strncmp(a, "remember=", 9)) {
            unsigned long v = strtoul(a + 9, &end, 10);
            o->remember = (unsigned)MR_MIN(v, MR_HISTORY_REMEMBER_MAX);
        } else if (!strncmp(a, "lang=", 5)) {
            o->lang = mamori_lang_parse(a + 5);
        } else if (!strcmp(a, "mfa")) {
            o->mfa = 1;
        } else if (!strcmp(a, "debug")) {
            o->debug = 1;
        } else if (strcmp(a, "use_authtok") && strcmp(a, "try_first_pass") &&
                   strcmp(a, "use_first_pass")) {
            pam_syslog(pamh, LOG_WARNING, "unknown option '%s' ignored", a);
        }
    }
    if (o->lang < 0) {
        const char *l = pam_getenv(pamh, "LANG");
        if (!l)
            l = getenv("LC_ALL");
        if (!l)
            l = getenv("LANG");
        o->lang = l ? mamori_lang_parse(l) : MAMORI_LANG_EN;
        if (o->lang < 0)
            o->lang = MAMORI_LANG_EN;
    }
    return 0;
}

static mamori_password_checker *make_checker(pam_handle_t *pamh,
                                             const pam_opts *o)
{
    mamori_password_policy pol;
    mamori_password_checker *c = NULL;
    int nist = o->policy && !strcmp(o->policy, "nist");
    mamori_password_policy_init(&pol, nist ? MAMORI_PWPOLICY_NIST
                                           : MAMORI_PWPOLICY_IPA, o->mfa);
    if (o->policy && strcmp(o->policy, "nist") && strcmp(o->policy, "ipa") &&
        mamori_password_policy_load(&pol, NULL, o->policy) != MAMORI_OK) {
        /* A load may stop halfway: start again from the built-in one. */
        mamori_password_policy_init(&pol, MAMORI_PWPOLICY_IPA, o->mfa);
        pam_syslog(pamh, LOG_WARNING, "cannot use policy file %s; using the "
                   "built-in ipa policy", o->policy);
    }
    if (mamori_password_checker_new(&pol, &c) != MAMORI_OK) {
        pam_syslog(pamh, LOG_ERR, "out of memory");
        return NULL;
    }
    if (o->breach_list &&
        mamori_password_checker_add_breach_list(c, NULL, o->breach_list))
        pam_syslog(pamh, LOG_WARNING, "cannot use breach list %s; checking "
                   "without it (the built-in checks still run)",
                   o->breach_list);
    return c;
}

static const char *reused_text(int lang)
{
    return lang == MAMORI_LANG_JA
               ? "以前に使ったパスワードは使えません。新しいパスワードにしてください。"
               : "This password was used before on this machine. Choose a new one.";
}

MR_PAM_EXPORT PAM_EXTERN int pam_sm_chauthtok(pam_handle_t *pamh, int flags, int argc,
                                const char **argv)
{
    pam_opts o;
    const char *user = NULL, *old = NULL, *pw = NULL;
    char gecos_buf[PAM_GECOS_BUF];
    struct passwd pwd, *pent = NULL;

    if (flags & PAM_PRELIM_CHECK)
        return PAM_SUCCESS;
    if (!(flags & PAM_UPDATE_AUTHTOK))
        return PAM_IGNORE;
    parse_opts(pamh, argc, argv, &o);
    if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user || !*user) {
        pam_syslog(pamh, LOG_ERR, "no user name; deferring to the stack");
        return PAM_IGNORE;
    }
    mamori_password_checker *c = make_checker(pamh, &o);
    if (!c) {
        /* Still ask for the new password, so that the modules after us
         * (pam_unix use_authtok) can change it: defer, never block. */
        pam_get_authtok(pamh, PAM_AUTHTOK, &pw, NULL);
        return PAM_IGNORE;
    }
    pam_get_item(pamh, PAM_OLDAUTHTOK, (const void **)&old);
    getpwnam_r(user, &pwd, gecos_buf, sizeof(gecos_buf), &pent);
    mamori_password_context ctx = {0};
    ctx.user = user;
    ctx.real_name = pent ? pent->pw_gecos : NULL;
    ctx.old_password = old;
    pam_get_item(pamh, PAM_SERVICE, (const void **)&ctx.service);

    int ret = PAM_AUTHTOK_ERR;
    for (unsigned attempt = 0; attempt < o.retry; attempt++) {
        mamori_password_result r;
        int rc = pam_get_authtok(pamh, PAM_AUTHTOK, &pw, NULL);
        if (rc != PAM_SUCCESS) {
            /* The user gave up or the two entries differ: not our error. */
            ret = rc;
            if (rc != PAM_AUTHTOK_RECOVERY_ERR && rc != PAM_TRY_AGAIN)
                break;
            continue;
        }
        mamori_password_check(c, pw, strlen(pw), &ctx, &r);
        int reused = 0;
        if (r.accepted && o.remember > 0) {
            reused = mr_history_contains(o.history, user, pw);
            if (reused < 0) {
                pam_syslog(pamh, LOG_WARNING, "cannot read history %s; not "
                           "checking reuse this time", o.history);
                reused = 0;
            }
        }
        if (r.accepted && !reused) {
            if (o.remember > 0 &&
                ((old && *old && mr_history_add(o.history, user, old,
                                                o.remember)) ||
                 mr_history_add(o.history, user, pw, o.remember)))
                pam_syslog(pamh, LOG_ERR, "cannot update history %s: %m",
                           o.history);
            if (o.debug)
                pam_syslog(pamh, LOG_DEBUG, "password for %s accepted "
                           "(score %d)", user, r.score);
            ret = PAM_SUCCESS;
            break;
        }
        pam_error(pamh, "%s", reused ? reused_text(o.lang)
                                     : r.feedback[o.lang]);
        if (o.debug)
            pam_syslog(pamh, LOG_DEBUG, "password for %s rejected", user);
        pam_set_item(pamh, PAM_AUTHTOK, NULL);
        ret = PAM_AUTHTOK_ERR;
        if (o.retry > 1 && !(flags & PAM_SILENT) && attempt + 1 < o.retry)
            continue;
    }
    explicit_bzero(gecos_buf, sizeof(gecos_buf));
    mamori_password_checker_free(c);
    return ret;
}

/* pam_mamori only takes part in password changes. */
MR_PAM_EXPORT PAM_EXTERN int pam_sm_authenticate(pam_handle_t *pamh, int flags, int argc,
                                   const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}

MR_PAM_EXPORT PAM_EXTERN int pam_sm_setcred(pam_handle_t *pamh, int flags, int argc,
                              const char **argv)
{
    (void)pamh; (void)flags; (void)argc; (void)argv;
    return PAM_IGNORE;
}
