/*
 * test_selfcheck.c — the self-assessment (lib/selfcheck): 25 questions in
 * three parts; answers parsed in English and Japanese; an answers file
 * with bad lines keeps the good ones and counts the bad; points per part
 * and SECURITY ACTION's steps; answers taken from the grades only where a
 * factor was measured and no person answered; the report's findings and
 * severities; the form has every question and its one script is the one
 * its Content-Security-Policy allows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "mamori/selfcheck.h"

static void test_questions(void **state)
{
    (void)state;
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    int per_part[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        assert_true(q[i].part >= 1 && q[i].part <= 3);
        per_part[q[i].part]++;
        assert_non_null(mamori_check_find(q[i].check));
        assert_true(strlen(q[i].text[MAMORI_LANG_EN]) > 10);
        assert_true(strlen(q[i].text[MAMORI_LANG_JA]) > 10);
    }
    assert_int_equal(per_part[1], 5);
    assert_int_equal(per_part[2] + per_part[3], 20);
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(mamori_answer_parse("done"), MAMORI_ANSWER_DONE);
    assert_int_equal(mamori_answer_parse("YES"), MAMORI_ANSWER_DONE);
    assert_int_equal(mamori_answer_parse("実施している"), MAMORI_ANSWER_DONE);
    assert_int_equal(mamori_answer_parse("一部実施している"), MAMORI_ANSWER_PARTLY);
    assert_int_equal(mamori_answer_parse("実施していない"), MAMORI_ANSWER_NO);
    assert_int_equal(mamori_answer_parse("わからない"), MAMORI_ANSWER_UNKNOWN);
    assert_int_equal(mamori_answer_parse("-1"), MAMORI_ANSWER_UNKNOWN);
    assert_int_equal(mamori_answer_parse("maybe"), MAMORI_ANSWER_NONE);
    assert_int_equal(mamori_answer_parse(""), MAMORI_ANSWER_NONE);
}

static void test_read_file(void **state)
{
    (void)state;
    const char *text = "# saved by the form\n"
                       "q01 = done\n"
                       "  q02=partly  \r\n"
                       "q03 = no # not yet\n"
                       "q04 = sometimes\n"
                       "q26 = done\n"
                       "q05 = わからない\n"
                       "just words\n"
                       "\n";
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    mamori_selfcheck sc;
    mamori_selfcheck_init(&sc);
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    assert_int_equal(mamori_selfcheck_read(&sc, f, "t", &ctx), 3);
    fclose(f);
    assert_int_equal(sc.answer[0], MAMORI_ANSWER_DONE);
    assert_int_equal(sc.answer[1], MAMORI_ANSWER_PARTLY);
    assert_int_equal(sc.answer[2], MAMORI_ANSWER_NO);
    assert_int_equal(sc.answer[3], MAMORI_ANSWER_NONE);
    assert_int_equal(sc.answer[4], MAMORI_ANSWER_UNKNOWN);
    mamori_selfcheck_result r;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.total, 4 + 2 + 0 - 1);
    assert_int_equal(r.part[0], 5);
    assert_int_equal(r.answered, 4);
    assert_int_equal(r.stars, 0);
}

static void test_stars(void **state)
{
    (void)state;
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    mamori_selfcheck sc;
    mamori_selfcheck_result r;
    mamori_selfcheck_init(&sc);
    for (size_t i = 0; i < 5; i++)
        sc.answer[i] = MAMORI_ANSWER_DONE;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.stars, 1);
    assert_int_equal(r.total, 20);
    for (size_t i = 5; i < MAMORI_SELFCHECK_QUESTIONS; i++)
        sc.answer[i] = MAMORI_ANSWER_NO;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.stars, 1); /* all answered, but no written policy */
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++)
        if (strcmp(q[i].check, "selfcheck.policy") == 0)
            sc.answer[i] = MAMORI_ANSWER_DONE;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.stars, 2);
    sc.answer[0] = MAMORI_ANSWER_PARTLY;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.stars, 0);
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++)
        sc.answer[i] = MAMORI_ANSWER_DONE;
    mamori_selfcheck_result_of(&sc, &r);
    assert_int_equal(r.total, 100);
}

static void test_from_score(void **state)
{
    (void)state;
    mamori_score *s = NULL;
    assert_int_equal(mamori_score_new(&s), MAMORI_OK);
    assert_non_null(s);
    mamori_score_capability(s, "patch"); /* measured, clean: A */
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find("password.policy-empty");
    assert_non_null(f.check);
    f.severity = MAMORI_SEV_CRITICAL;
    f.category = "x";
    for (int i = 0; i < 3; i++) { /* three critical problems: F */
        char who[8];
        snprintf(who, sizeof(who), "u%d", i);
        memset(f.fields, 0, sizeof(f.fields));
        f.nfields = 0;
        mamori_finding_str(&f, "user", who, strlen(who));
        mamori_sink k = mamori_score_sink(s);
        k.finding(k.user, &f);
    }
    assert_int_equal(mamori_score_finish(s), MAMORI_OK);
    mamori_selfcheck sc;
    mamori_selfcheck_init(&sc);
    sc.answer[0] = MAMORI_ANSWER_NO; /* a person's answer stays */
    mamori_selfcheck_from_score(&sc, s);
    const mamori_selfcheck_question *q = mamori_selfcheck_questions();
    for (size_t i = 0; i < MAMORI_SELFCHECK_QUESTIONS; i++) {
        if (i == 0) {
            assert_int_equal(sc.answer[i], MAMORI_ANSWER_NO);
            assert_false(sc.from_evidence[i]);
        } else if (q[i].factor && strcmp(q[i].factor, "passwords") == 0) {
            assert_int_equal(sc.answer[i], MAMORI_ANSWER_NO);
            assert_true(sc.from_evidence[i]);
        } else if (q[i].factor && strcmp(q[i].factor, "antivirus") == 0) {
            assert_int_equal(sc.answer[i], MAMORI_ANSWER_NONE); /* not measured */
        }
    }
    mamori_score_free(s);
}

typedef struct got {
    int findings, critical, summaries;
} got;

static int on_finding(void *user, const mamori_finding *f)
{
    got *g = user;
    g->findings++;
    g->critical += f->severity == MAMORI_SEV_CRITICAL;
    assert_non_null(mamori_finding_get(f, "answer"));
    return 0;
}

static int on_summary(void *user, mamori_summary *s)
{
    got *g = user;
    g->summaries++;
    assert_string_equal(mamori_summary_capability(s), "selfcheck");
    mamori_summary_free(s);
    return 0;
}

static void test_report(void **state)
{
    (void)state;
    mamori_selfcheck sc;
    mamori_selfcheck_init(&sc);
    sc.answer[0] = MAMORI_ANSWER_NO;      /* part 1: critical */
    sc.answer[1] = MAMORI_ANSWER_DONE;    /* no finding */
    sc.answer[10] = MAMORI_ANSWER_UNKNOWN;
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    got g = {0, 0, 0};
    mamori_sink sink = {on_finding, on_summary, &g};
    assert_int_equal(mamori_selfcheck_report(&sc, &ctx, &sink), MAMORI_OK);
    assert_int_equal(g.findings, 2);
    assert_int_equal(g.critical, 1);
    assert_int_equal(g.summaries, 1);
}

static void test_form(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    mamori_selfcheck sc;
    mamori_selfcheck_init(&sc);
    sc.answer[2] = MAMORI_ANSWER_PARTLY;
    assert_int_equal(mamori_selfcheck_form(&sc, MAMORI_LANG_JA, out), MAMORI_OK);
    fclose(out);
    int fieldsets = 0, checked = 0;
    for (const char *p = buf; (p = strstr(p, "<fieldset")); p++)
        fieldsets++;
    for (const char *p = buf; (p = strstr(p, " checked>")); p++)
        checked++;
    assert_int_equal(fieldsets, MAMORI_SELFCHECK_QUESTIONS);
    assert_int_equal(checked, 1);
    assert_non_null(strstr(buf, "value=\"partly\" checked"));
    /* The policy's hash is the script's. */
    const char *s = strstr(buf, "<script>"), *e = strstr(buf, "</script>");
    assert_non_null(s);
    assert_non_null(e);
    s += strlen("<script>");
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char b64[64], want[128];
    assert_true(EVP_Digest(s, (size_t)(e - s), d, &n, EVP_sha256(), NULL));
    EVP_EncodeBlock((unsigned char *)b64, d, (int)n);
    snprintf(want, sizeof(want), "script-src 'sha256-%s'", b64);
    assert_non_null(strstr(buf, want));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_questions),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_read_file),
        cmocka_unit_test(test_stars),
        cmocka_unit_test(test_from_score),
        cmocka_unit_test(test_report),
        cmocka_unit_test(test_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
