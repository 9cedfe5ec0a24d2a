/*
 * test_score.c — the grades (lib/score) on cases computed by hand from
 * the formula in score.h: nothing measured is never passed; one high
 * problem costs 20; sightings of one problem count once; the n-th problem
 * of a check costs 1/n; an attempt a tenth; a finding counts for each of
 * its factors; the grades do not depend on the order findings came in;
 * a JSON Lines report gives the same grades as the findings themselves,
 * skipping lines that are not objects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/score.h"

static const mamori_factor_score *factor(const mamori_score *s, const char *id)
{
    for (size_t i = 0; i < mamori_score_nfactors(s); i++)
        if (strcmp(mamori_score_factor(s, i)->id, id) == 0)
            return mamori_score_factor(s, i);
    fail_msg("no factor %s", id);
    abort(); /* not reached: fail_msg ends the test */
}

static void feed(mamori_score *s, const char *check, mamori_severity sev,
                 const char *client, const char *verdict)
{
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(check);
    assert_non_null(f.check);
    f.severity = sev;
    f.category = "test";
    f.verdict = verdict;
    f.file = "/var/log/x";
    mamori_finding_str(&f, "client", client, strlen(client));
    mamori_sink k = mamori_score_sink(s);
    assert_int_equal(k.finding(k.user, &f), 0);
}

static mamori_score *fresh(void)
{
    mamori_score *s = NULL;
    assert_int_equal(mamori_score_new(&s), MAMORI_OK);
    assert_non_null(s);
    return s;
}

static void test_nothing_measured(void **state)
{
    (void)state;
    mamori_score *s = fresh();
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    for (size_t i = 0; i < mamori_score_nfactors(s); i++) {
        assert_false(mamori_score_factor(s, i)->measured);
        assert_int_equal(mamori_score_factor(s, i)->score, -1);
        assert_int_equal(mamori_score_factor(s, i)->grade, '-');
    }
    int score;
    char grade;
    mamori_score_overall(s, &score, &grade);
    assert_int_equal(score, -1);
    assert_int_equal(grade, '-');
    mamori_score_free(s);
}

static void test_one_high_and_capability(void **state)
{
    (void)state;
    mamori_score *s = fresh();
    mamori_score_capability(s, "patch");  /* measured, nothing found: 100 */
    feed(s, "host.ssh.root-login", MAMORI_SEV_HIGH, "a", NULL);
    feed(s, "host.ssh.root-login", MAMORI_SEV_HIGH, "a", NULL); /* same problem */
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    assert_int_equal(factor(s, "config")->score, 80);
    assert_int_equal(factor(s, "config")->grade, 'B');
    assert_int_equal(factor(s, "config")->problems, 1);
    assert_int_equal(factor(s, "patching")->score, 100);
    assert_int_equal(factor(s, "patching")->grade, 'A');
    assert_false(factor(s, "dns")->measured);
    int score;
    char grade;
    mamori_score_overall(s, &score, &grade);
    assert_int_equal(score, 90); /* (80 + 100) / 2 */
    assert_int_equal(grade, 'A');
    const mamori_score_cost *top;
    assert_int_equal(mamori_score_top(s, &top), 1);
    assert_string_equal(top[0].check->id, "host.ssh.root-login");
    mamori_score_free(s);
}

static void test_harmonic_and_attempts(void **state)
{
    (void)state;
    mamori_score *s = fresh();
    /* Three critical problems of one check: 40 + 40/2 + 40/3 = 73.3. */
    feed(s, "patch.pending-security-update", MAMORI_SEV_CRITICAL, "a", NULL);
    feed(s, "patch.pending-security-update", MAMORI_SEV_CRITICAL, "b", NULL);
    feed(s, "patch.pending-security-update", MAMORI_SEV_CRITICAL, "c", NULL);
    /* A critical attempt: 4 points to appsec only (common.server is no
     * factor). */
    feed(s, "logscan.sqli", MAMORI_SEV_CRITICAL, "x", "attempt");
    /* A problem seen once as an attempt and once not is not an attempt. */
    feed(s, "auth.brute-force", MAMORI_SEV_MEDIUM, "y", "attempt");
    feed(s, "auth.brute-force", MAMORI_SEV_MEDIUM, "y", "possible-success");
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    assert_int_equal(factor(s, "patching")->score, 27); /* 26.7 rounded */
    assert_int_equal(factor(s, "patching")->grade, 'F');
    assert_int_equal(factor(s, "appsec")->score, 96);
    assert_false(factor(s, "config")->measured);
    /* auth.brute-force counts for network and passwords: 8 each. */
    assert_int_equal(factor(s, "network")->score, 92);
    assert_int_equal(factor(s, "passwords")->score, 92);
    mamori_score_free(s);
}

static void test_logging_by_check_id(void **state)
{
    (void)state;
    mamori_score *s = fresh();
    /* Logging stands for the host.log.* family and the one SSH check,
     * which also count for Configuration (basic.config); a check that
     * only shares the prefix's letters does not count. */
    mamori_score_capability(s, "host");
    feed(s, "host.log.retention", MAMORI_SEV_MEDIUM, "a", NULL); /* 8 */
    feed(s, "host.ssh.log-level", MAMORI_SEV_LOW, "b", NULL);    /* 2 */
    feed(s, "host.ssh.root-login", MAMORI_SEV_HIGH, "c", NULL);  /* config only */
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    assert_true(factor(s, "logging")->measured);
    assert_int_equal(factor(s, "logging")->score, 90);
    assert_int_equal(factor(s, "logging")->problems, 2);
    assert_int_equal(factor(s, "config")->score, 70); /* 100 - 8 - 2 - 20 */
    mamori_score_free(s);
}

static void test_order_does_not_matter(void **state)
{
    (void)state;
    static const mamori_severity sev[] = {MAMORI_SEV_LOW, MAMORI_SEV_CRITICAL,
                                          MAMORI_SEV_MEDIUM, MAMORI_SEV_HIGH};
    static const char *const who[] = {"a", "b", "c", "d"};
    int first = -1;
    /* Every rotation of four problems of one check. */
    for (int rot = 0; rot < 4; rot++) {
        mamori_score *s = fresh();
        for (int i = 0; i < 4; i++)
            feed(s, "host.ssh.root-login", sev[(i + rot) % 4], who[(i + rot) % 4], NULL);
        assert_int_equal(mamori_score_finish(s), MAMORI_OK);
        /* 40 + 20/2 + 8/3 + 2/4 = 53.2 -> 47 */
        assert_int_equal(factor(s, "config")->score, 47);
        if (first < 0)
            first = factor(s, "config")->score;
        assert_int_equal(factor(s, "config")->score, first);
        mamori_score_free(s);
    }
}

static void test_report(void **state)
{
    (void)state;
    const char *report =
        "{\"type\":\"finding\",\"check\":\"host.ssh.root-login\",\"severity\":\"high\","
        "\"file\":\"/etc/ssh/sshd_config\",\"evidence\":\"PermitRootLogin yes\"}\n"
        "not json at all\n"
        "[1,2,3]\n"
        "{\"type\":\"finding\",\"check\":\"no.such.check\",\"severity\":\"high\"}\n"
        "{\"type\":\"finding\",\"check\":\"logscan.sqli\",\"severity\":\"critical\","
        "\"verdict\":\"attempt\",\"client\":\"192.0.2.1\"}\n"
        "{\"type\":\"summary\",\"capability\":\"patch\",\"counters\":{}}\n"
        "\n";
    FILE *f = fmemopen((void *)report, strlen(report), "r");
    assert_non_null(f);
    mamori_score *s = fresh();
    uint64_t bad = 0;
    assert_int_equal(mamori_score_read_report(s, f, &bad), MAMORI_OK);
    fclose(f);
    assert_int_equal(bad, 2);
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    assert_int_equal(factor(s, "config")->score, 80);
    assert_int_equal(factor(s, "appsec")->score, 96);
    assert_int_equal(factor(s, "patching")->score, 100);
    mamori_summary *sum = mamori_score_summary(s, MAMORI_LANG_JA);
    assert_non_null(sum);
    assert_string_equal(mamori_summary_capability(sum), "score");
    assert_int_equal(mamori_summary_ntables(sum), 2);
    const mamori_table *t = mamori_summary_table_at(sum, 0);
    assert_int_equal(t->nrows, mamori_score_nfactors(s));
    mamori_summary_free(sum);
    mamori_score_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_measured),
        cmocka_unit_test(test_one_high_and_capability),
        cmocka_unit_test(test_harmonic_and_attempts),
        cmocka_unit_test(test_logging_by_check_id),
        cmocka_unit_test(test_order_does_not_matter),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
