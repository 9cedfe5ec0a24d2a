/*
 * policy.c — the built-in policies and the policy file.
 *
 * ipa: the guidance (seed 000) asks for long passwords hard to guess, and
 * NISC's handbook for 10 or more characters mixing upper and lower case,
 * digits and symbols: 10 characters with 3 of the 4 classes, or a
 * passphrase of 4 words and 20 characters; at least 1e10 guesses; not
 * breached. nist: SP 800-63B rev. 4, 15 characters (8 with MFA), no
 * composition rules, the blocklist and the guess estimate.
 *
 * The file is "key = value" lines, '#' comments, read with a bound per
 * line; a bad line names itself and fails the load (a typo in a security
 * policy must not pass silently).
 */
#include "common.h"

#include "mamori/password.h"

#define POLICY_LINE_MAX 512
#define POLICY_FILE_MAX (64 * 1024)

void mamori_password_policy_init(mamori_password_policy *p,
                                 mamori_password_policy_kind kind, int mfa)
{
    memset(p, 0, sizeof(*p));
    p->min_guesses_log10 = 10;
    p->check_breached = 1;
    if (kind == MAMORI_PWPOLICY_NIST) {
        p->min_length = mfa ? 8 : 15;
        return;
    }
    p->min_length = 10;
    p->min_classes = 3;
    p->passphrase_words = 4;
    p->passphrase_length = 20;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
                     s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static int parse_uint(const char *v, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (errno || end == v || *end || x > max || v[0] == '-')
        return -1;
    *out = (unsigned)x;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(v, "0") || !strcmp(v, "no") || !strcmp(v, "false")) {
        *out = 0;
        return 0;
    }
    return -1;
}

static int apply(mamori_password_policy *p, const char *k, const char *v,
                 int *mfa, int *kind)
{
    unsigned u;
    if (!strcmp(k, "policy")) {
        if (!strcmp(v, "ipa"))
            *kind = MAMORI_PWPOLICY_IPA;
        else if (!strcmp(v, "nist"))
            *kind = MAMORI_PWPOLICY_NIST;
        else
            return -1;
        mamori_password_policy_init(p, (mamori_password_policy_kind)*kind,
                                    *mfa);
        return 0;
    }
    if (!strcmp(k, "mfa")) {
        if (parse_bool(v, mfa))
            return -1;
        if (*kind == MAMORI_PWPOLICY_NIST)
            p->min_length = *mfa ? 8 : 15;
        return 0;
    }
    if (!strcmp(k, "check_breached"))
        return parse_bool(v, &p->check_breached);
    if (!strcmp(k, "min_guesses_log10")) {
        if (parse_uint(v, 40, &u))
            return -1;
        p->min_guesses_log10 = u;
        return 0;
    }
    unsigned *field = !strcmp(k, "min_length") ? &p->min_length
                    : !strcmp(k, "min_classes") ? &p->min_classes
                    : !strcmp(k, "passphrase_words") ? &p->passphrase_words
                    : !strcmp(k, "passphrase_length") ? &p->passphrase_length
                    : NULL;
    if (!field || parse_uint(v, !strcmp(k, "min_classes") ? 4 : 256, &u))
        return -1;
    *field = u;
    return 0;
}

mamori_err mamori_password_policy_load(mamori_password_policy *p,
                                       const mamori_ctx *ctx,
                                       const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0,
                     "cannot open the policy file: %s", strerror(errno));
        return MAMORI_E_IO;
    }
    char line[POLICY_LINE_MAX];
    uint64_t lineno = 0;
    size_t total = 0;
    int mfa = 0, kind = MAMORI_PWPOLICY_IPA;
    mamori_err err = MAMORI_OK;
    uint64_t full;
    int rc;
    while ((rc = mamori_read_line(f, line, sizeof(line), &full)) > 0) {
        lineno++;
        total += full + 1;
        if (total > POLICY_FILE_MAX || full >= sizeof(line) - 1) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, lineno,
                         "line or file too long");
            err = MAMORI_E_TOO_LARGE;
            break;
        }
        if (memchr(line, '\0', (size_t)full)) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, lineno,
                         "NUL byte in the line");
            err = MAMORI_E_FORMAT;
            break;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, lineno,
                         "expected 'key = value'");
            err = MAMORI_E_FORMAT;
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        if (apply(p, k, v, &mfa, &kind)) {
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, lineno,
                         "unknown key or bad value for '%s'", k);
            err = MAMORI_E_FORMAT;
            break;
        }
    }
    if (rc < 0 && err == MAMORI_OK) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0,
                     "cannot read the policy file: %s", strerror(errno));
        err = MAMORI_E_IO;
    }
    fclose(f);
    return err;
}
