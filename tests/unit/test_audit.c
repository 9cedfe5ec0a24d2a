/*
 * test_audit.c — the audit table (include/mamori/audit.h) as data: every
 * entry complete and named once, sources NULL-terminated absolute paths,
 * applies() as the command relies on it; the password settings reported
 * once, by the host row (their rules are the host review's); and the
 * password review's lifecycle on a root built here, findings and abort
 * included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mamori/audit.h"
#include "mamori/password.h"

static char root[256];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    char p[512];
    snprintf(root, sizeof(root), "%s/mamori-audit.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(root));
    snprintf(p, sizeof(p), "%s/etc", root);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof(p), "%s/etc/pam.d", root);
    assert_int_equal(mkdir(p, 0755), 0);
    put("etc/login.defs", "ENCRYPT_METHOD DES\n");
    put("etc/pam.d/system-auth",
        "password requisite pam_pwquality.so minlen=6\n"
        "password sufficient pam_unix.so sha512 remember=5\n");
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    (void)state;
    return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void table_is_complete(void **state)
{
    (void)state;
    size_t n = 0;
    const mamori_audit_capability *const *caps = mamori_audit_capabilities(&n);
    assert_true(n >= 4);
    for (size_t i = 0; i < n; i++) {
        const mamori_audit_capability *c = caps[i];
        assert_non_null(c->name);
        assert_non_null(c->help);
        assert_true(strlen(c->help) > 0 && c->help[strlen(c->help) - 1] == '\n');
        assert_non_null(c->sources);
        assert_non_null(c->applies);
        assert_non_null(c->run);
        for (size_t j = 0; c->sources[j]; j++)
            assert_true(c->sources[j][0] == '/');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(c->name, caps[j]->name);
    }
}

static const mamori_audit_capability *find(const char *name)
{
    size_t n;
    const mamori_audit_capability *const *caps = mamori_audit_capabilities(&n);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(caps[i]->name, name))
            return caps[i];
    fail_msg("no audit entry named %s", name);
    abort();    /* not reached: fail_msg leaves the test */
}

static void applies(void **state)
{
    (void)state;
    mamori_sysroot *sr = NULL;
    assert_int_equal(mamori_sysroot_new(NULL, &sr), MAMORI_OK);
    const char *paths[] = {"x.log"};
    const char *domains[] = {"example.test"};
    mamori_audit_input none = {.host = sr, .no_system = 1};
    mamori_audit_input host = {.host = sr};
    mamori_audit_input dom = {.host = sr, .no_system = 1, .domains = domains,
                              .ndomains = 1};
    mamori_audit_input given = {.host = sr, .no_system = 1, .paths = paths,
                                .npaths = 1};
    assert_false(find("logscan")->applies(&none));
    assert_true(find("logscan")->applies(&host));
    assert_true(find("logscan")->applies(&given));
    assert_false(find("authscan")->applies(&dom));
    assert_true(find("host")->applies(&host));
    assert_false(find("host")->applies(&given));
    assert_true(find("dns")->applies(&dom));
    assert_false(find("dns")->applies(&host));
    mamori_sysroot_free(sr);
}

typedef struct got {
    int findings, summaries, stop_after;
    char checks[64][64];
} got;

static int count(const got *g, const char *check)
{
    int n = 0;
    for (int i = 0; i < g->findings && i < 64; i++)
        n += !strcmp(g->checks[i], check);
    return n;
}

static int on_finding(void *user, const mamori_finding *f)
{
    got *g = user;
    if (g->findings < 64)
        snprintf(g->checks[g->findings], sizeof(g->checks[0]), "%s",
                 f->check ? f->check->id : "?");
    g->findings++;
    return g->stop_after && g->findings >= g->stop_after;
}

static int on_summary(void *user, mamori_summary *s)
{
    got *g = user;
    g->summaries++;
    mamori_summary_free(s);
    return 0;
}

static void review_through_table(void **state)
{
    (void)state;
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sysroot *sr = NULL;
    assert_int_equal(mamori_sysroot_new(root, &sr), MAMORI_OK);
    got g;
    memset(&g, 0, sizeof(g));
    mamori_sink sink = {on_finding, on_summary, &g};
    mamori_audit_input in = {.host = sr};
    size_t n;
    const mamori_audit_capability *const *caps = mamori_audit_capabilities(&n);
    for (size_t i = 0; i < n; i++)
        assert_string_not_equal(caps[i]->name, "password-policy");
    assert_int_equal(find("host")->run(&ctx, &in, &sink), MAMORI_OK);
    /* DES hash, minlen 6; history is there (remember=); no sshd_config:
     * the PAM stack's rules are the host row's, and login.defs' hash is
     * judged once (host.account.password-hash, the stricter) */
    assert_int_equal(count(&g, "password.policy-strength"), 1);
    assert_int_equal(count(&g, "password.policy-history"), 0);
    assert_int_equal(count(&g, "password.policy-hash"), 0);
    assert_int_equal(count(&g, "host.account.password-hash"), 1);
    assert_int_equal(g.summaries, 1);

    /* the password view: what `mamori password policy` reports */
    memset(&g, 0, sizeof(g));
    mamori_password_review *rv = NULL;
    assert_int_equal(mamori_password_review_new(&ctx, NULL, &rv), MAMORI_OK);
    assert_int_equal(mamori_password_review_host(rv, sr, &sink), MAMORI_OK);
    assert_int_equal(mamori_password_review_finish(rv, &sink), MAMORI_OK);
    mamori_password_review_free(rv);
    assert_int_equal(g.findings, 2);
    assert_string_equal(g.checks[0], "password.policy-hash");
    assert_string_equal(g.checks[1], "password.policy-strength");
    assert_int_equal(g.summaries, 0);

    /* the sink stops the run: the review says so and sends no more */
    memset(&g, 0, sizeof(g));
    g.stop_after = 1;
    rv = NULL;
    assert_int_equal(mamori_password_review_new(&ctx, NULL, &rv), MAMORI_OK);
    assert_int_equal(mamori_password_review_host(rv, sr, &sink),
                     MAMORI_E_ABORTED);
    assert_int_equal(g.findings, 1);
    assert_int_equal(mamori_password_review_finish(rv, &sink),
                     MAMORI_E_ABORTED);
    mamori_password_review_free(rv);

    /* a stricter minimum from the options */
    memset(&g, 0, sizeof(g));
    mamori_password_review_opts o = {.min_length = 4};
    assert_int_equal(mamori_password_review_new(&ctx, &o, &rv), MAMORI_OK);
    assert_int_equal(mamori_password_review_host(rv, sr, &sink), MAMORI_OK);
    assert_int_equal(g.findings, 1);          /* minlen 6 >= 4: hash only */
    mamori_password_review_free(rv);
    mamori_password_review_free(NULL);
    mamori_sysroot_free(sr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_is_complete),
        cmocka_unit_test(applies),
        cmocka_unit_test(review_through_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
