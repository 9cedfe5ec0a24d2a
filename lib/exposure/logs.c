/*
 * logs.c — ties the exposure of SSH to what its logs saw: the login-attack
 * scanner (mamori/authscan.h, through its public API as any client uses
 * it) reads the auth logs it is given, and the attacks on SSH it finds
 * (brute force, user enumeration, spraying, credential stuffing,
 * distributed brute force, break-ins) are counted. SSH reachable from
 * everywhere with password logins on, under such attacks, is the case
 * METI's second item warns of: exposure.c raises the finding's severity
 * and says why.
 */
#include "common.h"

#include "exposure/exposure.h"
#include "mamori/authscan.h"

static const char *const attacks[] = {
    "brute-force", "user-enumeration", "spraying", "credential-stuffing",
    "distributed-brute-force", "break-in", NULL};

typedef struct counting {
    uint64_t n;
} counting;

static int on_finding(void *user, const mamori_finding *f)
{
    counting *c = user;
    const mamori_field *svc = mamori_finding_get(f, "service");
    if (!svc || svc->kind != MAMORI_FIELD_STR || !svc->str ||
        !memmem(svc->str, svc->len, "ssh", 3))
        return 0;
    for (size_t i = 0; attacks[i]; i++)
        if (!strcmp(f->category, attacks[i]))
            c->n++;
    return 0;
}

static int on_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

mamori_err mr_xp_ssh_attacks(const mamori_ctx *ctx, const char *const *logs,
                             uint64_t *n)
{
    *n = 0;
    mamori_authscan *as = NULL;
    mamori_err e = mamori_authscan_new(ctx, NULL, &as);
    if (e)
        return e;
    for (size_t i = 0; logs[i] && !e; i++)
        e = mamori_authscan_path(as, logs[i]);
    counting c = {0};
    mamori_sink sink = {on_finding, on_summary, &c};
    mamori_err f = mamori_authscan_finish(as, &sink);
    mamori_authscan_free(as);
    *n = c.n;
    return e ? e : f;
}
