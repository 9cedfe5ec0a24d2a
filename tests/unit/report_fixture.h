/*
 * report_fixture.h — what test_report.c and test_report_html.c share:
 * hand-built findings and summaries with hostile bytes in them, and a
 * writer of report.h run into memory. Static inline, so each test file
 * takes what it uses; include it after <cmocka.h> (its asserts).
 */
#ifndef MR_TEST_REPORT_FIXTURE_H
#define MR_TEST_REPORT_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/report.h"

/* ---- building findings and running a writer ------------------------ */

typedef struct run {
    char *buf;
    size_t len;
    FILE *out;
    mamori_writer *w;
    mamori_sink sink;
} run;

static inline void run_start(run *r, mamori_out_format fmt, mamori_lang lang,
                             mamori_severity min)
{
    mamori_writer_opts o;
    memset(&o, 0, sizeof(o));
    o.format = fmt;
    o.lang = lang;
    o.min_severity = min;
    memset(r, 0, sizeof(*r));
    r->out = open_memstream(&r->buf, &r->len);
    assert_non_null(r->out);
    assert_int_equal(mamori_writer_new(r->out, &o, &r->w), MAMORI_OK);
    r->sink = mamori_writer_sink(r->w);
}

static inline void run_end(run *r)
{
    assert_int_equal(mamori_writer_finish(r->w), MAMORI_OK);
    fclose(r->out);
}

static inline void run_free(run *r)
{
    mamori_writer_free(r->w);
    free(r->buf);
}

static const char hostile_ev[] =
    "<script>alert(1)</script>\x1b]0;pwned\x07\r\x9b\xc2\x9b\xff\xc3\x00z";
#define HOSTILE_EV_LEN (sizeof(hostile_ev) - 1)
static const char hostile_req[] =
    "GET /?q=\"><svg onload=alert(1)> HTTP/1.1";

static inline void make_finding(mamori_finding *f, const char *check,
                                mamori_severity sev, uint64_t line)
{
    memset(f, 0, sizeof(*f));
    f->check = mamori_check_find(check);
    assert_non_null(f->check);
    f->severity = sev;
    f->category = strchr(check, '.') + 1;
    f->verdict = "attempt";
    f->file = "logs/access.log";
    f->line = line;
    f->time = 1793534400; /* 2026-11-01T12:00:00Z */
    f->evidence = hostile_ev;
    f->evidence_len = HOSTILE_EV_LEN;
    mamori_finding_str(f, "client", "203.0.113.9", 11);
    mamori_finding_str(f, "request", hostile_req, strlen(hostile_req));
    mamori_finding_int(f, "status", 200);
}

static inline void feed(run *r, const mamori_finding *f)
{
    assert_int_equal(r->sink.finding(r->sink.user, f), 0);
}

static inline mamori_summary *make_summary(size_t rows)
{
    mamori_summary *s = mamori_summary_new("logscan");
    assert_non_null(s);
    const char *cols[] = {"category", "count"};
    const char *names[] = {"sqli", "\"><svg onload=alert(2)>"};
    uint64_t values[2 * 6] = {1, 2, 3, 0, 5, 6, 0, 1, 0, 1, 0, 9};

    assert_non_null(s);
    assert_int_equal(mamori_summary_counter(s, "lines", "Lines read",
                                            "読み込んだ行数", 1234), 0);
    assert_int_equal(mamori_summary_table(s, "by_category", "Per category",
                                          "カテゴリ別", 2, cols), 0);
    for (size_t i = 0; i < rows; i++) {
        mamori_cell c[2] = {{i == 0 ? "<script>alert(3)</script>" : "xss", 0},
                            {NULL, (int64_t)(100 - i)}};
        assert_int_equal(mamori_summary_row(s, c), 0);
    }
    assert_int_equal(mamori_summary_series(s, "over_time", "Over time",
                                           "推移", 1793491200, 3600, 6, 2,
                                           names, values), 0);
    return s;
}

static inline size_t count_of(const char *hay, size_t n, const char *needle)
{
    size_t k = 0, nl = strlen(needle);
    for (size_t i = 0; i + nl <= n; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            k++;
    return k;
}

static inline int has(const run *r, const char *needle)
{
    return count_of(r->buf, r->len, needle) > 0;
}

#endif
