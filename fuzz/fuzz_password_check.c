/*
 * fuzz_password_check.c — arbitrary bytes as a password (first part) and
 * its context (the rest: user, real name and old password split at NUL
 * bytes) through the checker. The result must be consistent: a score of
 * 0-4, a finite estimate, accepted exactly when no reason was found, and
 * feedback that is NUL-terminated in both languages.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/password.h"

static mamori_password_checker *checker;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!checker && mamori_password_checker_new(NULL, &checker))
        abort();
    size_t pwlen = size > 0 ? data[0] % 64 + size / 2 : 0;
    if (pwlen > size)
        pwlen = size;
    char *pw = malloc(pwlen ? pwlen : 1);
    char *rest = calloc(1, size - pwlen + 1);
    if (!pw || !rest)
        abort();
    memcpy(pw, data, pwlen);
    memcpy(rest, data + pwlen, size - pwlen);
    mamori_password_context ctx = {0};
    size_t rl = size - pwlen, at = 0;
    const char **slots[3] = {&ctx.user, &ctx.real_name, &ctx.old_password};
    for (int k = 0; k < 3 && at <= rl; k++) {
        *slots[k] = rest + at;
        at += strlen(rest + at) + 1;
    }
    mamori_password_result r;
    mamori_password_check(checker, pw, pwlen, &ctx, &r);
    if (r.score < 0 || r.score > 4 || !isfinite(r.guesses_log10) ||
        r.accepted != (r.nreasons == 0) ||
        r.nreasons > MAMORI_PASSWORD_REASONS_MAX ||
        !memchr(r.feedback[0], 0, MAMORI_PASSWORD_FEEDBACK_MAX) ||
        !memchr(r.feedback[1], 0, MAMORI_PASSWORD_FEEDBACK_MAX))
        abort();
    for (size_t i = 0; i < r.nreasons; i++)
        if (r.reasons[i] >= MAMORI_PWR_COUNT)
            abort();
    mamori_password_breached(checker, pw, pwlen);
    free(pw);
    free(rest);
    return 0;
}
