/*
 * test_report.c — the writers of report.h, fed by hand-built findings and
 * summaries: every JSON line and the SARIF log parse (a small strict JSON
 * validator below, so the test needs nothing outside), hostile bytes come
 * out escaped in every format, min_severity filters what is shown but not
 * what is counted, and a full disk is reported as MAMORI_E_IO. The HTML
 * report's own cases are in test_report_html.c.
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

/* ---- a strict JSON validator (RFC 8259) ---------------------------- */

static const char *js_value(const char *p, const char *end, int depth);

static const char *js_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hexval(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

/* Valid UTF-8 length at p, or 0. */
static size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char b = p[0];
    size_t len;
    uint32_t c;

    if (b < 0x80)
        return 1;
    if (b >= 0xC2 && b <= 0xDF)
        len = 2, c = b & 0x1F;
    else if (b >= 0xE0 && b <= 0xEF)
        len = 3, c = b & 0x0F;
    else if (b >= 0xF0 && b <= 0xF4)
        len = 4, c = b & 0x07;
    else
        return 0;
    if ((size_t)(end - p) < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return len;
}

static const char *js_string(const char *p, const char *end)
{
    if (p >= end || *p != '"')
        return NULL;
    p++;
    while (p < end && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            p++;
            if (p >= end)
                return NULL;
            if (*p == 'u') {
                if (end - p < 5 || !hexval(p[1]) || !hexval(p[2]) ||
                    !hexval(p[3]) || !hexval(p[4]))
                    return NULL;
                p += 5;
            } else if (strchr("\"\\/bfnrt", *p) && *p) {
                p++;
            } else {
                return NULL;
            }
            continue;
        }
        size_t n = utf8_len((const unsigned char *)p, (const unsigned char *)end);
        if (!n)
            return NULL;
        p += n;
    }
    return p < end ? p + 1 : NULL;
}

static const char *js_number(const char *p, const char *end)
{
    const char *s = p;
    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else if (p < end && *p >= '1' && *p <= '9')
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (p < end && *p == '.') {
        p++;
        if (p >= end || *p < '0' || *p > '9')
            return NULL;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return p > s ? p : NULL;
}

static const char *js_lit(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

static const char *js_value(const char *p, const char *end, int depth)
{
    if (depth > 64)
        return NULL;
    p = js_ws(p, end);
    if (p >= end)
        return NULL;
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        int obj = *p == '{';
        p = js_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (obj) {
                p = js_string(js_ws(p, end), end);
                if (!p)
                    return NULL;
                p = js_ws(p, end);
                if (p >= end || *p != ':')
                    return NULL;
                p++;
            }
            p = js_value(p, end, depth + 1);
            if (!p)
                return NULL;
            p = js_ws(p, end);
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            return p < end && *p == close ? p + 1 : NULL;
        }
    }
    if (*p == '"')
        return js_string(p, end);
    if (*p == 't')
        return js_lit(p, end, "true");
    if (*p == 'f')
        return js_lit(p, end, "false");
    if (*p == 'n')
        return js_lit(p, end, "null");
    return js_number(p, end);
}

static int json_valid(const char *p, size_t n)
{
    const char *end = p + n;
    const char *q = js_value(p, end, 0);
    return q && js_ws(q, end) == end;
}

/* Every line of a JSON Lines text is one valid JSON value. */
static int jsonl_valid(const char *p, size_t n, size_t *lines)
{
    const char *end = p + n;
    *lines = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl || !json_valid(p, (size_t)(nl - p)))
            return 0;
        (*lines)++;
        p = nl + 1;
    }
    return 1;
}

/* ---- tests ---------------------------------------------------------- */

static void test_format_parse(void **state)
{
    (void)state;
    assert_int_equal(mamori_out_format_parse("text"), MAMORI_OUT_TEXT);
    assert_int_equal(mamori_out_format_parse("json"), MAMORI_OUT_JSON);
    assert_int_equal(mamori_out_format_parse("jsonl"), MAMORI_OUT_JSON);
    assert_int_equal(mamori_out_format_parse("sarif"), MAMORI_OUT_SARIF);
    assert_int_equal(mamori_out_format_parse("html"), MAMORI_OUT_HTML);
    assert_int_equal(mamori_out_format_parse("xml"), -1);
    assert_int_equal(mamori_out_format_parse(NULL), -1);
}

static void test_json_lines(void **state)
{
    run r;
    mamori_finding f;
    size_t lines;
    const char *srcs[] = {"10.0.0.1", "10.0.0.2"};
    (void)state;

    run_start(&r, MAMORI_OUT_JSON, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 1234);
    mamori_finding_list(&f, "sources", srcs, 2, 5);
    feed(&r, &f);
    make_finding(&f, "logscan.xss", MAMORI_SEV_MEDIUM, 0);
    f.time = INT64_MIN;
    f.verdict = NULL;
    f.file = NULL;
    feed(&r, &f);
    assert_int_equal(r.sink.summary(r.sink.user, make_summary(3)), 0);
    run_end(&r);

    assert_true(jsonl_valid(r.buf, r.len, &lines));
    assert_int_equal(lines, 3); /* 2 findings, 1 summary */
    assert_true(has(&r, "{\"type\":\"finding\",\"check\":\"logscan.sqli\","
                        "\"category\":\"sqli\",\"severity\":\"high\""));
    assert_true(has(&r, "\"file\":\"logs/access.log\",\"line\":1234,"
                        "\"time\":\"2026-11-01T12:00:00Z\",\"verdict\":\"attempt\""));
    assert_true(has(&r, "\"file\":null,\"line\":null,\"time\":null,"
                        "\"verdict\":null"));
    assert_true(has(&r, "\"client\":\"203.0.113.9\""));
    assert_true(has(&r, "\"status\":200"));
    assert_true(has(&r, "\"sources\":[\"10.0.0.1\",\"10.0.0.2\"],"
                        "\"sources_more\":5"));
    assert_true(has(&r, "\"countermeasures\":[\"meti.appsec\""));
    /* Escaping: controls as \u00XX, invalid bytes as \u00XX of the byte,
     * valid U+009B passed through as UTF-8, NUL kept. */
    assert_true(has(&r, "\\u001b]0;pwned\\u0007\\r\\u009b\xc2\x9b\\u00ff"
                        "\\u00c3\\u0000z\""));
    assert_true(has(&r, "\"request\":\"GET /?q=\\\"><svg"));
    assert_true(has(&r, "{\"type\":\"summary\",\"capability\":\"logscan\","
                        "\"counters\":{\"lines\":1234}"));
    assert_true(has(&r, "\"tables\":{\"by_category\":[{\"category\":"
                        "\"<script>alert(3)</script>\",\"count\":100}"));
    assert_true(has(&r, "\"series\":{\"over_time\":{\"start\":1793491200,"
                        "\"step\":3600,\"names\":[\"sqli\""));
    assert_true(has(&r, "\"values\":[[1,2,3,0,5,6],[0,1,0,1,0,9]]"));
    assert_false(has(&r, "totals"));
    run_free(&r);
}

/* Yes/no cells: JSON true, false and null; text and HTML the words. */
static void test_bool_cells(void **state)
{
    static const mamori_out_format fmts[] = {MAMORI_OUT_JSON, MAMORI_OUT_TEXT,
                                             MAMORI_OUT_HTML};
    (void)state;
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        run r;
        const char *cols[] = {"product", "supported"};
        mamori_summary *s = mamori_summary_new("exposure");
        assert_non_null(s);
        assert_int_equal(mamori_summary_table(s, "versions", "Versions",
                                              "バージョン", 2, cols), 0);
        const int64_t v[] = {MAMORI_CELL_TRUE, MAMORI_CELL_FALSE,
                             MAMORI_CELL_NULL};
        const char *names[] = {"nginx", "OpenSSH", "vsFTPd"};
        for (size_t k = 0; k < 3; k++) {
            mamori_cell c[2] = {{names[k], 0}, {NULL, v[k]}};
            assert_int_equal(mamori_summary_row(s, c), 0);
        }
        run_start(&r, fmts[i], MAMORI_LANG_EN, MAMORI_SEV_INFO);
        assert_int_equal(r.sink.summary(r.sink.user, s), 0);
        run_end(&r);
        if (fmts[i] == MAMORI_OUT_JSON) {
            assert_true(has(&r, "\"versions\":[{\"product\":\"nginx\","
                                "\"supported\":true},{\"product\":"
                                "\"OpenSSH\",\"supported\":false},"
                                "{\"product\":\"vsFTPd\",\"supported\""
                                ":null}]"));
        } else {
            assert_true(has(&r, "true"));
            assert_true(has(&r, "false"));
        }
        assert_false(has(&r, "-9223372036854775806"));
        assert_false(has(&r, "-9223372036854775807"));
        run_free(&r);
    }
}

/* Random bytes in every string a finding carries: each line still valid. */
static void test_json_any_bytes(void **state)
{
    uint32_t seed = 12345;
    char ev[64], fld[64];
    (void)state;

    for (int iter = 0; iter < 500; iter++) {
        run r;
        mamori_finding f;
        size_t lines;
        run_start(&r, MAMORI_OUT_JSON, MAMORI_LANG_JA, MAMORI_SEV_INFO);
        for (size_t i = 0; i < sizeof(ev); i++) {
            seed = seed * 1103515245u + 12345u;
            ev[i] = (char)(seed >> 16);
            fld[i] = (char)(seed >> 8);
        }
        make_finding(&f, "logscan.traversal", MAMORI_SEV_LOW, 1);
        f.evidence = ev;
        f.evidence_len = (size_t)iter % sizeof(ev);
        mamori_finding_str(&f, "user_agent", fld, sizeof(fld));
        feed(&r, &f);
        run_end(&r);
        assert_true(jsonl_valid(r.buf, r.len, &lines));
        assert_int_equal(lines, 1);
        for (size_t i = 0; i < r.len; i++)
            assert_true((unsigned char)r.buf[i] >= 0x20 || r.buf[i] == '\n');
        run_free(&r);
    }
}

static void test_min_severity_counts(void **state)
{
    run r;
    mamori_finding f;
    size_t lines;
    (void)state;

    run_start(&r, MAMORI_OUT_JSON, MAMORI_LANG_EN, MAMORI_SEV_HIGH);
    make_finding(&f, "logscan.scanner", MAMORI_SEV_LOW, 1);
    feed(&r, &f);
    make_finding(&f, "logscan.xss", MAMORI_SEV_MEDIUM, 2);
    feed(&r, &f);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 3);
    feed(&r, &f);
    make_finding(&f, "logscan.cmdi", MAMORI_SEV_CRITICAL, 4);
    feed(&r, &f);
    run_end(&r);
    assert_true(jsonl_valid(r.buf, r.len, &lines));
    assert_int_equal(lines, 2); /* high, critical */
    assert_false(has(&r, "\"check\":\"logscan.scanner\""));
    assert_false(has(&r, "\"check\":\"logscan.xss\""));
    assert_true(has(&r, "\"check\":\"logscan.cmdi\""));
    assert_int_equal(mamori_writer_count_at_least(r.w, MAMORI_SEV_INFO), 4);
    assert_int_equal(mamori_writer_count_at_least(r.w, MAMORI_SEV_MEDIUM), 3);
    assert_int_equal(mamori_writer_count_at_least(r.w, MAMORI_SEV_HIGH), 2);
    assert_int_equal(mamori_writer_count_at_least(r.w, MAMORI_SEV_CRITICAL), 1);
    run_free(&r);
}

static void test_text(void **state)
{
    run r;
    mamori_finding f;
    (void)state;

    run_start(&r, MAMORI_OUT_TEXT, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 1234);
    feed(&r, &f);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 1240);
    feed(&r, &f);
    assert_int_equal(r.sink.summary(r.sink.user, make_summary(20)), 0);
    run_end(&r);

    assert_true(has(&r, "logs/access.log:1234: high sqli [attempt] "
                        "203.0.113.9 \"GET /?q=\"><svg onload=alert(1)> "
                        "HTTP/1.1\" 200"));
    /* No byte that could drive a terminal. */
    for (size_t i = 0; i < r.len; i++) {
        unsigned char c = (unsigned char)r.buf[i];
        assert_true(c >= 0x20 || c == '\n');
        assert_true(c != 0x7f);
    }
    assert_true(has(&r, "\\x1b]0;pwned\\x07\\x0d\\x9b\\u009b\\xff\\xc3\\x00z"));
    /* The check is explained once, in the recap, with its count. */
    assert_int_equal(count_of(r.buf, r.len, mamori_check_find("logscan.sqli")
                                                ->title[MAMORI_LANG_EN]), 1);
    assert_true(has(&r, "== What to do now (most severe first) ==\n  high      "
                        "SQL injection"));
    assert_true(has(&r, ": 2 findings [logscan.sqli; meti.appsec"));
    assert_true(has(&r, "== Whom to tell ==\n  logscan.sqli:\n      "));
    assert_true(has(&r, "Lines read"));
    assert_true(has(&r, "    Category"));        /* headers translated */
    assert_true(has(&r, "... 5 more")); /* 20 rows, 15 shown */
    assert_true(has(&r, "Over time (from 2026-11-01T00:00:00Z, one column = 1 h)"));
    assert_true(has(&r, ". : - = + * # % @")); /* the chart's legend */
    assert_true(has(&r, "high 2"));
    /* The recap comes after the statistics, right before the totals. */
    const char *stats = strstr(r.buf, "== Summary");
    const char *todo = strstr(r.buf, "== What to do now");
    const char *total = strstr(r.buf, "\nFindings: critical 0, high 2");
    assert_true(stats && todo && total && stats < todo && todo < total);
    run_free(&r);
}

/* Display columns of a UTF-8 line, East Asian wide characters 2. */
static size_t line_cols(const char *p, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)p[i];
        size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        uint32_t c = len == 1 ? b : b & (0x3F >> (len - 1));
        for (size_t k = 1; k < len && i + k < n; k++)
            c = (c << 6) | ((unsigned char)p[i + k] & 0x3F);
        cols += (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                        (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6)
                    ? 2
                    : 1;
        i += len;
    }
    return cols;
}

/* In both languages, every line but a finding's own fits 120 columns,
 * and the recap lists the most severe check first, whatever the
 * declared severity of the check (its findings decide). */
static void test_text_recap_width(void **state)
{
    (void)state;

    for (int l = 0; l < MAMORI_LANG_COUNT; l++) {
        run r;
        mamori_finding f;
        mamori_summary *s = mamori_summary_new("logscan");
        assert_non_null(s);
        const char *cols[] = {"client", "attacks", "possible_success",
                              "categories", "first", "last", "sample"};
        static char longcell[200];

        memset(longcell, 'x', sizeof(longcell) - 1);
        run_start(&r, MAMORI_OUT_TEXT, (mamori_lang)l, MAMORI_SEV_INFO);
        make_finding(&f, "logscan.scanner", MAMORI_SEV_LOW, 1);
        feed(&r, &f);
        make_finding(&f, "logscan.sqli", MAMORI_SEV_CRITICAL, 2);
        feed(&r, &f);
        make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 3);
        feed(&r, &f);
        assert_int_equal(mamori_summary_table(s, "top_clients", "Top", "上位",
                                              7, cols), 0);
        mamori_cell row[7] = {{"2001:db8:4a2:1c::7", 0}, {NULL, 67}, {NULL, 1},
                              {"xss,traversal,sensitive-file,scanner", 0},
                              {"2026-11-20T18:12:05Z", 0},
                              {"2026-11-20T18:13:44Z", 0}, {longcell, 0}};
        assert_int_equal(mamori_summary_row(s, row), 0);
        assert_int_equal(r.sink.summary(r.sink.user, s), 0);
        run_end(&r);

        for (const char *p = r.buf; p < r.buf + r.len;) {
            const char *nl = memchr(p, '\n', (size_t)(r.buf + r.len - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(r.buf + r.len - p);
            if (!(n > 5 && memcmp(p, "logs/", 5) == 0)) /* a finding line */
                assert_in_range(line_cols(p, n), 0, 120);
            p += n + 1;
        }
        const mamori_check *sqli = mamori_check_find("logscan.sqli");
        const mamori_check *scan = mamori_check_find("logscan.scanner");
        const char *a = strstr(r.buf, sqli->title[l]);
        const char *b = strstr(r.buf, scan->title[l]);
        assert_true(a && b && a < b);
        /* Times are never cut; the long sample is left out, and said. */
        assert_true(has(&r, "2026-11-20T18:13:44Z"));
        assert_false(has(&r, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert_true(has(&r, l == MAMORI_LANG_JA ? "リクエスト例" : "Sample request"));
        if (l == MAMORI_LANG_JA) {
            assert_true(has(&r, "クライアント")); /* headers in Japanese */
            assert_true(has(&r, "緊急      "));
            assert_true(has(&r, "今すぐ行うこと"));
            assert_false(has(&r, "Whom to tell"));
        }
        run_free(&r);
    }
}

/* Long values are cut on the line, never mid-escape, and marked. */
static void test_text_long_values(void **state)
{
    run r;
    mamori_finding f;
    static char ev[2000];
    (void)state;

    for (size_t i = 0; i < sizeof(ev); i++)
        ev[i] = (char)(i % 2 ? 'A' : 0x1b);
    run_start(&r, MAMORI_OUT_TEXT, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.cmdi", MAMORI_SEV_CRITICAL, 3);
    f.evidence = ev;
    f.evidence_len = sizeof(ev);
    feed(&r, &f);
    run_end(&r);
    const char *line_end = memchr(r.buf, '\n', r.len);
    assert_non_null(line_end);
    assert_true(line_end - r.buf < 700);
    assert_memory_equal(line_end - 4, "A...", 4); /* cut and marked */
    assert_int_equal(count_of(r.buf, r.len, "\x1b"), 0);
    run_free(&r);
}

static void test_text_quiet_ja_color(void **state)
{
    mamori_writer_opts o;
    mamori_writer *w;
    mamori_finding f;
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    (void)state;

    memset(&o, 0, sizeof(o));
    o.format = MAMORI_OUT_TEXT;
    o.lang = MAMORI_LANG_JA;
    o.quiet = 1;
    o.color = 1;
    assert_int_equal(mamori_writer_new(out, &o, &w), 0);
    mamori_sink s = mamori_writer_sink(w);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 7);
    assert_int_equal(s.finding(s.user, &f), 0);
    assert_int_equal(s.summary(s.user, make_summary(2)), 0);
    assert_int_equal(mamori_writer_finish(w), 0);
    fclose(out);
    assert_null(strstr(buf, "access.log:7"));       /* quiet */
    assert_non_null(strstr(buf, "読み込んだ行数"));  /* Japanese titles */
    assert_non_null(strstr(buf, "カテゴリ別"));
    assert_non_null(strstr(buf, "\033[1m"));        /* colour asked for */
    assert_null(strstr(buf, "\033]"));              /* but no input ESC */
    assert_int_equal(mamori_writer_count_at_least(w, MAMORI_SEV_HIGH), 1);
    mamori_writer_free(w);
    free(buf);
}

static void test_sarif(void **state)
{
    run r;
    mamori_finding f;
    (void)state;

    run_start(&r, MAMORI_OUT_SARIF, MAMORI_LANG_EN, MAMORI_SEV_INFO);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_CRITICAL, 10);
    feed(&r, &f);
    make_finding(&f, "logscan.xss", MAMORI_SEV_MEDIUM, 11);
    f.file = "/var/log/nginx/a b%.log";
    feed(&r, &f);
    make_finding(&f, "logscan.sqli", MAMORI_SEV_LOW, 0);
    feed(&r, &f);
    assert_int_equal(r.sink.summary(r.sink.user, make_summary(2)), 0);
    run_end(&r);

    assert_true(json_valid(r.buf, r.len));
    assert_true(has(&r, "\"$schema\":\"https://json.schemastore.org/"
                        "sarif-2.1.0.json\",\"version\":\"2.1.0\""));
    assert_true(has(&r, "{\"ruleId\":\"logscan.sqli\",\"ruleIndex\":0,"
                        "\"level\":\"error\""));
    assert_true(has(&r, "{\"ruleId\":\"logscan.xss\",\"ruleIndex\":1,"
                        "\"level\":\"warning\""));
    assert_true(has(&r, "\"ruleIndex\":0,\"level\":\"note\""));
    assert_true(has(&r, "\"uri\":\"logs/access.log\"},\"region\":"
                        "{\"startLine\":10}"));
    assert_true(has(&r, "\"uri\":\"file:///var/log/nginx/a%20b%25.log\""));
    assert_true(has(&r, "\"message\":{\"text\":\"SQL injection"));
    assert_true(has(&r, "\"tool\":{\"driver\":{\"name\":\"mamori\""));
    assert_true(has(&r, "\"rules\":[\n{\"id\":\"logscan.sqli\","
                        "\"shortDescription\":{\"text\":"));
    assert_int_equal(count_of(r.buf, r.len, "{\"id\":\"logscan."), 2);
    assert_true(has(&r, "\"summaries\":[\n{\"capability\":\"logscan\""));
    assert_true(has(&r, "</script>\\u001b]0;pwned"));
    run_free(&r);
}

static void test_full_disk(void **state)
{
    static const mamori_out_format fmts[] = {MAMORI_OUT_TEXT, MAMORI_OUT_JSON,
                                             MAMORI_OUT_SARIF, MAMORI_OUT_HTML};
    (void)state;

    for (size_t i = 0; i < 4; i++) {
        FILE *out = fopen("/dev/full", "w");
        if (!out)
            skip();
        mamori_writer_opts o;
        mamori_writer *w;
        mamori_finding f;
        memset(&o, 0, sizeof(o));
        o.format = fmts[i];
        assert_int_equal(mamori_writer_new(out, &o, &w), 0);
        mamori_sink s = mamori_writer_sink(w);
        make_finding(&f, "logscan.sqli", MAMORI_SEV_HIGH, 1);
        s.finding(s.user, &f);
        assert_int_equal(mamori_writer_finish(w), MAMORI_E_IO);
        mamori_writer_free(w);
        fclose(out);
    }
}

static void test_bad_args_and_unused_summaries(void **state)
{
    mamori_writer_opts o;
    mamori_writer *w = NULL;
    (void)state;

    memset(&o, 0, sizeof(o));
    o.format = (mamori_out_format)9;
    assert_int_equal(mamori_writer_new(stdout, &o, &w), MAMORI_E_INVAL);
    assert_null(w);
    assert_int_equal(mamori_writer_new(NULL, &o, &w), MAMORI_E_INVAL);
    /* A writer freed without finish still frees the summaries it owns
     * (the sanitizer build would report a leak). */
    o.format = MAMORI_OUT_HTML;
    assert_int_equal(mamori_writer_new(stdout, &o, &w), 0);
    mamori_sink s = mamori_writer_sink(w);
    for (int i = 0; i < 70; i++)
        assert_int_equal(s.summary(s.user, make_summary(1)), 0);
    mamori_writer_free(w);
    mamori_writer_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test(test_json_lines),
        cmocka_unit_test(test_json_any_bytes),
        cmocka_unit_test(test_min_severity_counts),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_text_recap_width),
        cmocka_unit_test(test_text_long_values),
        cmocka_unit_test(test_text_quiet_ja_color),
        cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_bool_cells),
        cmocka_unit_test(test_full_disk),
        cmocka_unit_test(test_bad_args_and_unused_summaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
