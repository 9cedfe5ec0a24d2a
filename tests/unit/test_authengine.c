/*
 * test_authengine.c — the campaign engine alone (auth/engine.h): hand-built
 * event sequences for each category, each threshold on both sides of its
 * edge (4 vs 5 failures in the window, 19 vs 20 accounts...), and the
 * memory bound: a tiny budget evicts the idle sources, counts them, and
 * keeps the attacker. Then one count per attempt when a pid tells it in
 * several lines (pam_unix, sshd, summaries; mail detail and summary),
 * and every category a source meets.
 */
#include "common.h"

#include <setjmp.h>
#include <cmocka.h>

#define MR_AUTH_ENGINE_INTERNAL
#include "auth/engine.h"

#define T0 1700000400 /* the start of a 10-minute window */


static mr_auth_engine *engine(size_t budget)
{
    static mr_auth_cfg cfg;
    mamori_authscan_opts o;
    char err[128];
    memset(&o, 0, sizeof(o));
    o.memory_budget = budget;
    assert_int_equal(mr_auth_cfg_init(&cfg, &o, err, sizeof(err)), 0);
    mr_auth_engine *e = mr_auth_engine_new(&cfg);
    assert_non_null(e);
    return e;
}

static void add(mr_auth_engine *e, int64_t t, const char *src, const char *acct,
                mr_auth_result r, mr_auth_method m)
{
    mr_auth_event ev;
    mr_auth_event_clear(&ev);
    ev.time = t;
    ev.hour = (int)(t % 86400 / 3600);
    ev.source = mr_span_make(src, strlen(src));
    ev.account = mr_span_make(acct, strlen(acct));
    ev.result = r;
    ev.method = m;
    mr_auth_engine_add(e, &ev);
}

static void failure(mr_auth_engine *e, int64_t t, const char *src, const char *acct)
{
    add(e, t, src, acct, MR_AUTH_FAILURE, MR_AM_PASSWORD);
}

/* An event of pid with its origin and count. */
static void told(mr_auth_engine *e, int64_t t, uint32_t pid, const char *src,
                 const char *acct, mr_auth_origin origin, uint32_t count)
{
    mr_auth_event ev;
    mr_auth_event_clear(&ev);
    ev.time = t;
    ev.pid = pid;
    ev.source = mr_span_make(src, strlen(src));
    ev.account = mr_span_make(acct, strlen(acct));
    ev.result = MR_AUTH_FAILURE;
    ev.method = MR_AM_PASSWORD;
    ev.origin = (uint8_t)origin;
    ev.count = count;
    mr_auth_engine_add(e, &ev);
}

static size_t found(mr_auth_engine *e, mr_auth_category cat)
{
    size_t n = 0;
    assert_int_equal(mr_auth_engine_finish(e), 0);
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++)
        n += mr_auth_engine_campaign(e, i)->cat == cat;
    return n;
}

static size_t total(mr_auth_engine *e)
{
    assert_int_equal(mr_auth_engine_finish(e), 0);
    return mr_auth_engine_ncampaigns(e);
}

static void test_brute_force_edge(void **state)
{
    (void)state;
    for (int n = 4; n <= 5; n++) {
        mr_auth_engine *e = engine(0);
        for (int i = 0; i < n; i++)
            failure(e, T0 + i * 10, "203.0.113.5", "root");
        if (n == 4) {
            assert_int_equal(total(e), 0);
        } else {
            assert_int_equal(found(e, MR_AC_BRUTE_FORCE), 1);
            const mr_auth_campaign *c = mr_auth_engine_campaign(e, 0);
            assert_true(c->nsources > 0 && c->naccounts > 0);
            assert_string_equal(c->sources[0], "203.0.113.5");
            assert_string_equal(c->accounts[0], "root");
            assert_int_equal(c->attempts, 5);
            assert_int_equal(c->first, T0);
            assert_int_equal(c->last, T0 + 40);
        }
        mr_auth_engine_free(e);
    }
}

static void test_brute_force_outside_window(void **state)
{
    (void)state;
    /* five failures, but an hour apart each: never 5 in 10 minutes */
    mr_auth_engine *e = engine(0);
    for (int i = 0; i < 5; i++)
        failure(e, T0 + i * 3600, "203.0.113.5", "root");
    assert_int_equal(total(e), 0);
    mr_auth_engine_free(e);
}

static void test_user_enumeration_edge(void **state)
{
    (void)state;
    static const char *const users[] = {"admin", "test", "oracle", "guest", "ubuntu"};
    for (int n = 4; n <= 5; n++) {
        mr_auth_engine *e = engine(0);
        for (int i = 0; i < n; i++)
            add(e, T0 + i * 5, "198.51.100.7", users[i], MR_AUTH_INVALID_USER,
                MR_AM_PASSWORD);
        if (n == 4)
            assert_int_equal(total(e), 0);
        else
            assert_int_equal(found(e, MR_AC_USER_ENUM), 1);
        mr_auth_engine_free(e);
    }
}

static void test_spraying_edge(void **state)
{
    (void)state;
    static const char *const users[] = {"alice", "bob", "carol", "dave", "erin"};
    for (int n = 4; n <= 5; n++) {
        mr_auth_engine *e = engine(0);
        for (int i = 0; i < n; i++)
            failure(e, T0 + i * 30, "192.0.2.44", users[i]);
        if (n == 4)
            assert_int_equal(total(e), 0);
        else
            assert_int_equal(found(e, MR_AC_SPRAYING), 1);
        mr_auth_engine_free(e);
    }
}

/* n accounts tried once each, three per source, within one hour. */
static void stuffing(mr_auth_engine *e, int n)
{
    char src[32], acct[32];
    for (int i = 0; i < n; i++) {
        snprintf(src, sizeof(src), "198.18.0.%d", 1 + i / 3);
        snprintf(acct, sizeof(acct), "member%03d", i);
        failure(e, T0 + i * 60, src, acct);
    }
}

static void test_stuffing_edge(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    stuffing(e, 19);
    assert_int_equal(found(e, MR_AC_STUFFING), 0);
    mr_auth_engine_free(e);
    e = engine(0);
    stuffing(e, 30);
    assert_int_equal(found(e, MR_AC_STUFFING), 1);
    assert_int_equal(found(e, MR_AC_SPRAYING), 0); /* part of it, not alone */
    mr_auth_engine_free(e);
}

static void test_stuffing_with_success_is_break_in(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    stuffing(e, 30);
    /* a source of the campaign logs in to an account it never failed on */
    add(e, T0 + 2000, "198.18.0.4", "member999", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    assert_int_equal(found(e, MR_AC_BREAK_IN), 1);
    mr_auth_engine_free(e);
}

static void distributed(mr_auth_engine *e, int failures)
{
    char src[32];
    for (int i = 0; i < failures; i++) {
        snprintf(src, sizeof(src), "100.64.%d.9", i / 2);
        failure(e, T0 + i * 90, src, "admin");
    }
}

static void test_distributed_edge(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    distributed(e, 19); /* 10 sources, 19 failures */
    assert_int_equal(found(e, MR_AC_DISTRIBUTED), 0);
    mr_auth_engine_free(e);
    e = engine(0);
    distributed(e, 20); /* 10 sources, 20 failures */
    assert_int_equal(found(e, MR_AC_DISTRIBUTED), 1);
    assert_int_equal(found(e, MR_AC_BRUTE_FORCE), 0); /* 2 per source */
    mr_auth_engine_free(e);
}

static void test_break_in_edge(void **state)
{
    (void)state;
    for (int n = 4; n <= 5; n++) {
        mr_auth_engine *e = engine(0);
        /* failures spread over hours (no brute-force window), then in */
        for (int i = 0; i < n; i++)
            failure(e, T0 + i * 3600, "203.0.113.77", "alice");
        add(e, T0 + n * 3600, "203.0.113.77", "alice", MR_AUTH_SUCCESS,
            MR_AM_PASSWORD);
        assert_int_equal(found(e, MR_AC_BREAK_IN), n == 5);
        mr_auth_engine_free(e);
    }
}

static void test_typo_is_not_break_in(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    failure(e, T0, "10.0.0.5", "bob");
    add(e, T0 + 20, "10.0.0.5", "bob", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    assert_int_equal(total(e), 0);
    mr_auth_engine_free(e);
}

static void test_privileged_password_only(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    add(e, T0, "10.0.0.5", "root", MR_AUTH_SUCCESS, MR_AM_PUBLICKEY);
    assert_int_equal(total(e), 0);
    mr_auth_engine_free(e);
    e = engine(0);
    add(e, T0, "10.0.0.5", "root", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    assert_int_equal(found(e, MR_AC_PRIVILEGED), 1);
    mr_auth_engine_free(e);
}

static void test_anonymous_ftp(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    add(e, T0, "192.0.2.8", "anonymous", MR_AUTH_SUCCESS, MR_AM_ANONYMOUS);
    assert_int_equal(found(e, MR_AC_ANONYMOUS), 1);
    mr_auth_engine_free(e);
}

static void test_eviction_keeps_the_attacker(void **state)
{
    (void)state;
    mr_auth_engine *e = engine((size_t)4 << 20); /* the smallest budget */
    char src[32];
    for (int i = 0; i < 200000; i++) {
        snprintf(src, sizeof(src), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
        failure(e, T0 + i / 100, src, "nobody");
        if (i % 1000 == 0) /* the attacker, all along */
            failure(e, T0 + i / 100, "203.0.113.66", "root");
    }
    mr_auth_counts c;
    mr_auth_engine_counts(e, &c);
    assert_true(c.evicted_sources > 100000);
    assert_int_equal(c.events, 200000 + 200);
    int seen = 0;
    assert_int_equal(mr_auth_engine_finish(e), 0);
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *cp = mr_auth_engine_campaign(e, i);
        if (cp->cat == MR_AC_BRUTE_FORCE && cp->nsources &&
            strcmp(cp->sources[0], "203.0.113.66") == 0)
            seen = 1;
    }
    assert_true(seen);
    mr_auth_engine_free(e);
}

static void test_hostile_names(void **state)
{
    (void)state;
    /* names longer than the tables keep, NULs, empty: no crash, cut */
    char longname[600];
    memset(longname, 'A', sizeof(longname));
    mr_auth_engine *e = engine(0);
    mr_auth_event ev;
    for (int i = 0; i < 6; i++) {
        mr_auth_event_clear(&ev);
        ev.time = T0 + i;
        ev.source = mr_span_make("203.0.113.9\0x", 13);
        ev.account = mr_span_make(longname, sizeof(longname) - (size_t)i);
        mr_auth_engine_add(e, &ev);
    }
    mr_auth_event_clear(&ev);
    ev.source = mr_span_make(longname, sizeof(longname));
    ev.result = MR_AUTH_SUCCESS;
    mr_auth_engine_add(e, &ev);
    assert_int_equal(mr_auth_engine_finish(e), 0);
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *c = mr_auth_engine_campaign(e, i);
        for (size_t k = 0; k < c->naccounts; k++)
            assert_true(strlen(c->accounts[k]) <= MR_AUTH_ACCT_KEY_CAP);
    }
    mr_auth_engine_free(e);
}

static void test_one_count_per_attempt(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    mr_auth_counts c;
    /* sshd with UsePAM: pam line, 1 + 3 Failed, maximum exceeded, PAM more */
    told(e, T0, 10, "host.example", "root", MR_AO_PAM, 1);
    told(e, T0 + 2, 10, "192.0.2.1", "root", MR_AO_DIRECT, 1);
    told(e, T0 + 9, 10, "192.0.2.1", "root", MR_AO_DIRECT, 3);
    told(e, T0 + 9, 10, "192.0.2.1", "root", MR_AO_TOTAL, 1);
    told(e, T0 + 9, 10, "host.example", "root", MR_AO_MORE, 3);
    /* pam_unix only: each line counts, and "N more" adds N */
    told(e, T0 + 20, 11, "192.0.2.2", "root", MR_AO_PAM, 1);
    told(e, T0 + 21, 12, "192.0.2.2", "root", MR_AO_PAM, 1);
    told(e, T0 + 22, 12, "192.0.2.2", "root", MR_AO_MORE, 2);
    /* sudo: pam line, then "3 incorrect password attempts" in all */
    told(e, T0 + 30, 13, "bob", "bob", MR_AO_PAM, 1);
    told(e, T0 + 35, 13, "bob", "bob", MR_AO_TOTAL, 3);
    /* mail (no pid): a detail line, then its summary; a bare summary */
    told(e, T0 + 40, 0, "192.0.2.3", "alice", MR_AO_PAM, 1);
    told(e, T0 + 41, 0, "192.0.2.3", "alice", MR_AO_TOTAL, 1);
    told(e, T0 + 42, 0, "192.0.2.3", "carol", MR_AO_TOTAL, 2);
    assert_int_equal(mr_auth_engine_finish(e), 0);
    mr_auth_engine_counts(e, &c);
    assert_int_equal(c.failures, 4 + 4 + 3 + 3);
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *cp = mr_auth_engine_campaign(e, i);
        assert_true(cp->nsources > 0);
        assert_string_not_equal(cp->sources[0], "host.example");
    }
    mr_auth_engine_free(e);
}

/* sshd's own "error: PAM: ..." report of a try stands in for the
 * pam_unix line before it and gives way to the "Failed" line after it. */
static void test_pam_echo_counts_once(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    mr_auth_counts c;
    /* all three lines of one try */
    told(e, T0, 20, "192.0.2.9", "root", MR_AO_PAM, 1);
    told(e, T0, 20, "192.0.2.9", "root", MR_AO_PAM_ECHO, 1);
    told(e, T0 + 1, 20, "192.0.2.9", "root", MR_AO_DIRECT, 1);
    /* pam_unix and the echo, no Failed line (LogLevel ERROR): two tries */
    told(e, T0 + 10, 21, "192.0.2.9", "root", MR_AO_PAM, 1);
    told(e, T0 + 10, 21, "192.0.2.9", "root", MR_AO_PAM_ECHO, 1);
    told(e, T0 + 12, 21, "192.0.2.9", "root", MR_AO_PAM, 1);
    told(e, T0 + 12, 21, "192.0.2.9", "root", MR_AO_PAM_ECHO, 1);
    /* the echo alone (FreeBSD, macOS) */
    told(e, T0 + 20, 22, "192.0.2.9", "root", MR_AO_PAM_ECHO, 1);
    assert_int_equal(mr_auth_engine_finish(e), 0);
    mr_auth_engine_counts(e, &c);
    assert_int_equal(c.failures, 1 + 2 + 1);
    mr_auth_engine_free(e);
}

static void test_every_category(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    static const char *const names[] = {"a1", "a2", "a3", "a4", "a5", "a6"};
    /* 30 tries on root and one on each of six unknown names */
    for (int k = 0; k < 30; k++)
        failure(e, T0 + k, "192.0.2.9", "root");
    for (size_t k = 0; k < MR_ARRAY_LEN(names); k++)
        add(e, T0 + 40 + (int64_t)k, "192.0.2.9", names[k], MR_AUTH_INVALID_USER,
            MR_AM_PASSWORD);
    /* six passwords on each of six names: a dictionary, no enumeration */
    for (int k = 0; k < 36; k++)
        add(e, T0 + k, "192.0.2.10", names[k / 6], MR_AUTH_INVALID_USER, MR_AM_PASSWORD);
    assert_int_equal(mr_auth_engine_finish(e), 0);
    int bf9 = 0, en9 = 0, bf10 = 0, en10 = 0;
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *c = mr_auth_engine_campaign(e, i);
        assert_true(c->nsources > 0);
        int nine = strcmp(c->sources[0], "192.0.2.9") == 0;
        if (c->cat == MR_AC_BRUTE_FORCE) {
            *(nine ? &bf9 : &bf10) += 1;
            if (nine)
                assert_true(c->privileged);
        }
        if (c->cat == MR_AC_USER_ENUM)
            *(nine ? &en9 : &en10) += 1;
    }
    assert_int_equal(bf9, 1);
    assert_int_equal(en9, 1);
    assert_int_equal(bf10, 1);
    assert_int_equal(en10, 0);
    mr_auth_engine_free(e);
}

static void test_break_in_before_failures(void **state)
{
    (void)state;
    mr_auth_engine *e = engine(0);
    /* success first, then the same source brute-forces another account */
    add(e, T0, "192.0.2.20", "carol", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    for (int k = 0; k < 10; k++)
        failure(e, T0 + 10 + k, "192.0.2.20", "backup");
    /* a fresh address of its /24 logs in ten minutes after */
    add(e, T0 + 620, "192.0.2.99", "dave", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    /* another network, the same time: nothing */
    add(e, T0 + 620, "198.51.100.1", "erin", MR_AUTH_SUCCESS, MR_AM_PASSWORD);
    assert_int_equal(found(e, MR_AC_BREAK_IN), 2);
    size_t bf = 0;
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *c = mr_auth_engine_campaign(e, i);
        if (c->cat == MR_AC_BRUTE_FORCE) {
            bf = c->id;
            assert_int_equal(c->successes, 2);
        }
    }
    for (size_t i = 0; i < mr_auth_engine_ncampaigns(e); i++) {
        const mr_auth_campaign *c = mr_auth_engine_campaign(e, i);
        if (c->cat == MR_AC_BREAK_IN)
            assert_int_equal(c->link, bf);
    }
    mr_auth_engine_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_brute_force_edge),
        cmocka_unit_test(test_brute_force_outside_window),
        cmocka_unit_test(test_user_enumeration_edge),
        cmocka_unit_test(test_spraying_edge),
        cmocka_unit_test(test_stuffing_edge),
        cmocka_unit_test(test_stuffing_with_success_is_break_in),
        cmocka_unit_test(test_distributed_edge),
        cmocka_unit_test(test_break_in_edge),
        cmocka_unit_test(test_typo_is_not_break_in),
        cmocka_unit_test(test_privileged_password_only),
        cmocka_unit_test(test_anonymous_ftp),
        cmocka_unit_test(test_eviction_keeps_the_attacker),
        cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_one_count_per_attempt),
        cmocka_unit_test(test_pam_echo_counts_once),
        cmocka_unit_test(test_every_category),
        cmocka_unit_test(test_break_in_before_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
