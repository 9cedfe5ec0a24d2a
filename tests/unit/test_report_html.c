/*
 * test_report_html.c — the HTML report of report.h: hostile bytes come out
 * escaped, findings are ordered and headed as the writer promises, at
 * most MAMORI_HTML_FINDINGS_MAX findings are kept (the severe ones first)
 * and the cap is said, and a chart never shows a null cell as a number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/report.h"

#include "report_fixture.h"

/* A numeric column the HTML chart would draw: all null is no chart, a
 * null among numbers is "-", never INT64_MIN. */
static void test_null_cells_in_charts(void **state)
{
    (void)state;
    for (int mixed = 0; mixed < 2; mixed++) {
        run r;
        const char *cols[] = {"product", "days"};
        mamori_summary *s = mamori_summary_new("exposure");
        assert_non_null(s);
        assert_int_equal(mamori_summary_table(s, "eol", "End of life",
                                              "サポート終了", 2, cols), 0);
        const char *names[] = {"nginx", "OpenSSH"};
        for (size_t k = 0; k < 2; k++) {
            mamori_cell c[2] = {{names[k], 0},
                                {NULL, mixed && k ? 42 : MAMORI_CELL_NULL}};
            assert_int_equal(mamori_summary_row(s, c), 0);
        }
        run_start(&r, MAMORI_OUT_HTML, MAMORI_LANG_EN, MAMORI_SEV_INFO);
        assert_int_equal(r.sink.summary(r.sink.user, s), 0);
        run_end(&r);
        assert_false(has(&r, "9223372036854775808"));
        if (mixed) {
            assert_true(has(&r, "<svg class=\"chart bars\""));
            assert_true(has(&r, "<title>nginx: -</title>"));
            assert_true(has(&r, "<title>OpenSSH: 42</title>"));
        } else {
            assert_false(has(&r, "<svg class=\"chart bars\""));
        }
        run_free(&r);
    }
}

static void test_html_escaping(void **state)
{
    run r;
    mamori_finding f;
    (void)state;

    run_start(&r, MAMORI_OUT_HTML, MAMORI_LANG_JA, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.xss", MAMORI_SEV_MEDIUM, 5);
    mamori_finding_str(&f, "user_agent", "<img src=x onerror=alert(4)>", 28);
    feed(&r, &f);
    assert_int_equal(r.sink.summary(r.sink.user, make_summary(3)), 0);
    run_end(&r);

    assert_true(has(&r, "<html lang=\"ja\">"));
    assert_true(has(&r, "Content-Security-Policy\" content=\"default-src "
                        "'none'; style-src 'unsafe-inline'; img-src data:"));
    /* No payload survives as markup, anywhere (text, SVG, attributes). */
    assert_false(has(&r, "<script"));
    assert_false(has(&r, "<svg onload"));
    assert_false(has(&r, "<img"));
    assert_false(has(&r, "\x1b"));
    /* ... but is shown as text, so the test is not passing vacuously. */
    assert_true(has(&r, "&lt;script&gt;alert(1)&lt;/script&gt;\\x1b]0;pwned"));
    assert_true(has(&r, "&quot;&gt;&lt;svg onload=alert(1)&gt;"));
    assert_true(has(&r, "&lt;script&gt;alert(3)&lt;/script&gt;"));
    assert_true(has(&r, "&quot;&gt;&lt;svg onload=alert(2)&gt;"));
    assert_true(has(&r, "&lt;img src=x onerror=alert(4)&gt;"));
    assert_true(has(&r, "\xEF\xBF\xBD")); /* invalid UTF-8 replaced */
    assert_true(has(&r, "<svg class=\"chart bars\""));
    assert_true(has(&r, "<svg class=\"chart time\""));
    assert_true(has(&r, "読み込んだ行数"));
    assert_true(has(&r, "報告先")); /* whom to tell, in Japanese */
    assert_true(has(&r, "</html>\n"));
    run_free(&r);
}

/* The page leads with what to do, most severe first, each check's badge
 * the highest severity of its findings; then the findings; statistics
 * last, counters at zero left out. The header names host, inputs, time
 * and version, escaped like everything else. */
static void test_html_order_and_header(void **state)
{
    run r;
    mamori_finding f;
    mamori_writer_opts o;
    const char *inputs[] = {"access.log", "<b>x</b>.log"};
    (void)state;

    memset(&o, 0, sizeof(o));
    o.format = MAMORI_OUT_HTML;
    o.lang = MAMORI_LANG_EN;
    o.host = "web1<i>";
    o.inputs = inputs;
    o.ninputs = 2;
    memset(&r, 0, sizeof(r));
    r.out = open_memstream(&r.buf, &r.len);
    assert_int_equal(mamori_writer_new(r.out, &o, &r.w), MAMORI_OK);
    r.sink = mamori_writer_sink(r.w);
    make_finding(&f, "logscan.scanner", MAMORI_SEV_LOW, 1);
    feed(&r, &f);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 2); /* declared high */
    feed(&r, &f);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_CRITICAL, 3);
    feed(&r, &f);
    mamori_summary *s = make_summary(2);
    assert_int_equal(mamori_summary_counter(s, "evicted", "Entries evicted",
                                            "追い出し", 0), 0);
    assert_int_equal(r.sink.summary(r.sink.user, s), 0);
    run_end(&r);

    assert_true(has(&r, "<dt>Host</dt><dd class=\"host\">web1&lt;i&gt;</dd>"));
    assert_true(has(&r, "<code>access.log</code> <code>&lt;b&gt;x&lt;/b&gt;.log</code>"));
    assert_true(has(&r, "<dt>Generated (UTC)</dt><dd class=\"when\">20"));
    assert_true(has(&r, "<dd>mamori "));
    const char *todo = strstr(r.buf, "<section id=\"todo\">");
    const char *findings = strstr(r.buf, "<section id=\"findings\">");
    const char *stats = strstr(r.buf, "<section class=\"summary\">");
    assert_true(todo && findings && stats && todo < findings && findings < stats);
    /* SQL injection first, badged critical (its worst finding), 2 of them. */
    const char *sqli = strstr(todo, "<article class=\"check sev-critical\">\n"
                                    "<h3><span class=\"badge sev-critical\">"
                                    "critical</span> SQL injection");
    const char *scan = strstr(todo, "<article class=\"check sev-low\">");
    assert_true(sqli && scan && sqli < scan && scan < findings);
    assert_true(has(&r, "<span class=\"hits\">2 findings</span>"));
    assert_true(has(&r, "<span class=\"hits\">1 finding</span>"));
    assert_false(has(&r, "check sev-high"));
    /* Counters: the non-zero one shown in a closed <details>, zero not. */
    assert_true(has(&r, "<details class=\"counters\"><summary>Counters (1) "
                        "\xC2\xB7 1 at zero, not shown</summary>"));
    assert_false(has(&r, "Entries evicted"));
    assert_false(has(&r, "<details open"));
    /* Cells carry their column's name for the narrow layout. */
    assert_true(has(&r, "<td data-label=\"Request\"><code>"));
    assert_true(has(&r, "<td data-label=\"Category\">"));
    assert_true(has(&r, "<th>Category</th>"));
    assert_false(has(&r, "class=\"scroll\""));
    run_free(&r);

    /* In Japanese: the fixed strings, table headers too. */
    run_start(&r, MAMORI_OUT_HTML, MAMORI_LANG_JA, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 2);
    feed(&r, &f);
    assert_int_equal(r.sink.summary(r.sink.user, make_summary(2)), 0);
    run_end(&r);
    assert_true(has(&r, "<th>カテゴリ</th>"));
    assert_true(has(&r, "<th>重要度</th>"));
    assert_true(has(&r, "今すぐ行うこと"));
    assert_true(has(&r, "<dt>入力</dt><dd class=\"inputs\">指定なし"));
    assert_true(has(&r, "<span class=\"hits\">1 件</span>"));
    assert_false(has(&r, "<th>category</th>"));
    assert_false(has(&r, ">Counters"));
    run_free(&r);
}

static void test_html_cap(void **state)
{
    run r;
    mamori_finding f;
    char note[64];
    (void)state;

    run_start(&r, MAMORI_OUT_HTML, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    for (uint64_t i = 0; i < MAMORI_HTML_FINDINGS_MAX + 7; i++) {
        make_finding(&f, "logscan.rfi", MAMORI_SEV_HIGH, i + 1);
        feed(&r, &f);
    }
    run_end(&r);
    snprintf(note, sizeof(note), "<p class=\"note\">7 findings were not listed");
    assert_true(has(&r, note));
    assert_int_equal(count_of(r.buf, r.len, "<tr class=\"sev-high\">"),
                     MAMORI_HTML_FINDINGS_MAX);
    assert_int_equal(mamori_writer_count_at_least(r.w, MAMORI_SEV_HIGH),
                     MAMORI_HTML_FINDINGS_MAX + 7);
    run_free(&r);
}

/* A full list makes room for more severe findings and lists them first. */
static void test_html_cap_keeps_severe(void **state)
{
    run r;
    mamori_finding f;
    (void)state;

    run_start(&r, MAMORI_OUT_HTML, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    for (uint64_t i = 0; i < MAMORI_HTML_FINDINGS_MAX + 100; i++) {
        make_finding(&f, "logscan.scanner", MAMORI_SEV_LOW, i + 1);
        feed(&r, &f);
    }
    make_finding(&f, "logscan.cmdi", MAMORI_SEV_CRITICAL, 999999);
    feed(&r, &f);
    run_end(&r);
    assert_int_equal(count_of(r.buf, r.len, "<tr class=\"sev-critical\">"), 1);
    assert_int_equal(count_of(r.buf, r.len, "<tr class=\"sev-low\">"),
                     MAMORI_HTML_FINDINGS_MAX - 1);
    const char *crit = strstr(r.buf, "<tr class=\"sev-critical\">");
    const char *low = strstr(r.buf, "<tr class=\"sev-low\">");
    assert_true(crit && low && crit < low);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_cells_in_charts),
        cmocka_unit_test(test_html_escaping),
        cmocka_unit_test(test_html_order_and_header),
        cmocka_unit_test(test_html_cap),
        cmocka_unit_test(test_html_cap_keeps_severe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
