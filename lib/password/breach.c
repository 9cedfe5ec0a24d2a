/*
 * breach.c — "is this password known from a breach?": the compiled-in
 * binary fuse filter built from the common-password lists at build time,
 * and a filter of the user's own list (--breach-list FILE). A password is
 * looked up as typed and in lower case (lists are mostly lower case and
 * people capitalize the first letter). A filter answers "maybe" with
 * about 1 false positive in 4096, never a false negative.
 */
#include "common.h"

#include "password/pw_data.h"
#include "password/pw_hash.h"
#include "password/pw_internal.h"

#define BREACH_LINE_MAX 1024
#define BREACH_KEYS_MAX (1u << 28)   /* 268M entries: 2 GiB of hashes */

static int in_filters(const mamori_password_checker *c, uint64_t h)
{
    return mr_fuse_contains(&mr_pw_breach_builtin, h) ||
           (c && mr_fuse_contains(&c->user_breach, h));
}

int mr_pw_breach_lookup(const mamori_password_checker *c, const char *pw,
                        size_t n)
{
    char low[MAMORI_PASSWORD_MAX];
    int hit, changed = 0;

    if (n == 0 || n > MAMORI_PASSWORD_MAX)
        return 0;
    if (in_filters(c, mr_pw_hash(pw, n)))
        return 1;
    for (size_t i = 0; i < n; i++) {
        char ch = pw[i];
        low[i] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        changed |= low[i] != ch;
    }
    hit = changed && in_filters(c, mr_pw_hash(low, n));
    explicit_bzero(low, n);
    return hit;
}

int mamori_password_breached(const mamori_password_checker *c,
                             const char *pw, size_t len)
{
    return mr_pw_breach_lookup(c, pw, len);
}

mamori_err mamori_password_checker_add_breach_list(mamori_password_checker *c,
                                                   const mamori_ctx *ctx,
                                                   const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0, "cannot open: %s",
                     strerror(errno));
        return MAMORI_E_IO;
    }
    size_t cap = 4096, n = 0, skipped = 0;
    uint64_t *keys = malloc(cap * sizeof(*keys));
    char line[BREACH_LINE_MAX];
    mamori_err err = keys ? MAMORI_OK : MAMORI_E_NOMEM;
    while (!err && fgets(line, sizeof(line), f)) {
        size_t len = strcspn(line, "\r\n");
        if (len == sizeof(line) - 1) {
            /* over-long line: skip the rest of it */
            int ch;
            while ((ch = getc(f)) != EOF && ch != '\n')
                ;
            skipped++;
            continue;
        }
        if (len == 0 || len > MAMORI_PASSWORD_MAX) {
            skipped += len != 0;
            continue;
        }
        if (n == cap) {
            uint64_t *k = cap * 2 > BREACH_KEYS_MAX ? NULL
                        : realloc(keys, cap * 2 * sizeof(*keys));
            if (!k) {
                err = cap * 2 > BREACH_KEYS_MAX ? MAMORI_E_TOO_LARGE
                                                : MAMORI_E_NOMEM;
                break;
            }
            keys = k;
            cap *= 2;
        }
        keys[n++] = mr_pw_hash(line, len);
        explicit_bzero(line, len);
    }
    if (!err && ferror(f))
        err = MAMORI_E_IO;
    fclose(f);
    if (skipped)
        mamori_diagf(ctx, MAMORI_DIAG_NOTE, path, 0,
                     "%zu lines over %d bytes skipped", skipped,
                     MAMORI_PASSWORD_MAX);
    if (!err) {
        mr_fuse_free(&c->user_breach);
        err = mr_fuse_build(&c->user_breach, keys, n);
    }
    free(keys);
    return err;
}
