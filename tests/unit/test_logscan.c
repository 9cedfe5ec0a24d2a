/*
 * test_logscan.c — the scan driver through the public API: line numbers
 * across chunks and threads, overlong lines, W3C field changes at chunk
 * boundaries, verdicts from size baselines, time windows, and a sink that
 * stops the scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mamori/logscan.h"

#define MAX_SEEN 200000

typedef struct seen {
    size_t n;
    uint64_t line[MAX_SEEN];
    char cat[MAX_SEEN][16];
    char verdict[MAX_SEEN][20];
    int stop_after;            /* 0 = never */
    char request[4][256];      /* of the first findings */
    mamori_summary *summary;
} seen;

static int on_finding(void *user, const mamori_finding *f)
{
    seen *s = user;
    if (s->n < MAX_SEEN) {
        s->line[s->n] = f->line;
        snprintf(s->cat[s->n], sizeof(s->cat[0]), "%s", f->category);
        snprintf(s->verdict[s->n], sizeof(s->verdict[0]), "%s", f->verdict ? f->verdict : "");
        const mamori_field *rq = mamori_finding_get(f, "request");
        if (s->n < 4 && rq)
            snprintf(s->request[s->n], sizeof(s->request[0]), "%.*s", (int)rq->len, rq->str);
        s->n++;
    }
    return s->stop_after && (int)s->n >= s->stop_after;
}

static int on_summary(void *user, mamori_summary *sum)
{
    seen *s = user;
    mamori_summary_free(s->summary);
    s->summary = sum;
    return 0;
}

static int64_t counter(const seen *s, const char *id)
{
    assert_non_null(s->summary);
    for (size_t i = 0; i < mamori_summary_ncounters(s->summary); i++)
        if (strcmp(mamori_summary_counter_at(s->summary, i)->id, id) == 0)
            return mamori_summary_counter_at(s->summary, i)->value;
    return -1;
}

static seen *scan(const char *text, size_t len, unsigned threads, int64_t since)
{
    mamori_ctx ctx;
    mamori_logscan *ls;
    seen *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    mamori_sink sink = {on_finding, on_summary, s};
    mamori_ctx_init(&ctx);
    ctx.threads = threads;
    ctx.since = since;
    assert_int_equal(mamori_logscan_new(&ctx, NULL, &ls), MAMORI_OK);
    mamori_logscan_buffer(ls, "t.log", text, len, &sink);
    mamori_logscan_finish(ls, &sink);
    mamori_logscan_free(ls);
    return s;
}

static void free_seen(seen *s)
{
    mamori_summary_free(s->summary);
    free(s);
}

#define BENIGN "198.51.100.1 - - [01/Nov/2026:10:00:00 +0000] \"GET /item.php?id=7 HTTP/1.1\" 200 5000 \"-\" \"Mozilla/5.0\"\n"
#define SQLI_FMT "203.0.113.7 - - [01/Nov/2026:11:00:00 +0000] \"GET /item.php?id=1%%27%%20UNION%%20SELECT%%20user,password%%20FROM%%20users-- HTTP/1.1\" 200 %d \"-\" \"Mozilla/5.0\"\n"

/* Appends to a growing buffer. */
typedef struct text { char *p; size_t n, cap; } text;
static void add(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        assert_non_null(t->p);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}
static void adds(text *t, const char *s) { add(t, s, strlen(s)); }

static void verdict_from_size_baseline(void **state)
{
    (void)state;
    text t = {0};
    char line[512];
    for (int i = 0; i < 10; i++)
        adds(&t, BENIGN);
    snprintf(line, sizeof(line), SQLI_FMT, 5010);   /* line 11: usual size */
    adds(&t, line);
    snprintf(line, sizeof(line), SQLI_FMT, 90000);  /* line 12: far from it */
    adds(&t, line);
    seen *s = scan(t.p, t.n, 1, INT64_MIN);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->line[0], 11);
    assert_string_equal(s->cat[0], "sqli");
    assert_string_equal(s->verdict[0], "attempt");
    assert_int_equal(s->line[1], 12);
    assert_string_equal(s->verdict[1], "possible-success");
    assert_int_equal(counter(s, "lines"), 12);
    free_seen(s);
    free(t.p);
}

/* Many chunks: the same findings and line numbers on 1, 2 and 5 threads. */
static void chunks_and_threads_agree(void **state)
{
    (void)state;
    text t = {0};
    char line[512];
    size_t lines = 0;
    while (t.n < (5u << 20) + 12345) {
        if (lines % 997 == 500) {
            snprintf(line, sizeof(line), SQLI_FMT, 77);
            adds(&t, line);
        } else {
            adds(&t, BENIGN);
        }
        lines++;
    }
    seen *a = scan(t.p, t.n, 1, INT64_MIN);
    seen *b = scan(t.p, t.n, 2, INT64_MIN);
    seen *c = scan(t.p, t.n, 5, INT64_MIN);
    assert_true(a->n > 10);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->n, c->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_int_equal(a->line[i], 500 + 997 * i + 1);
        assert_int_equal(a->line[i], b->line[i]);
        assert_int_equal(a->line[i], c->line[i]);
        assert_string_equal(a->verdict[i], c->verdict[i]);
    }
    assert_int_equal(counter(a, "lines"), (int64_t)lines);
    assert_int_equal(counter(c, "lines"), (int64_t)lines);
    free_seen(a);
    free_seen(b);
    free_seen(c);
    free(t.p);
}

/* A line over the limit inside a chunk, and one longer than a chunk. */
static void overlong_lines_keep_numbering(void **state)
{
    (void)state;
    text t = {0};
    char line[512];
    adds(&t, BENIGN);                                   /* 1 */
    char *big = malloc(3u << 20);
    assert_non_null(big);
    memset(big, 'a', 3u << 20);
    add(&t, big, 100000);                               /* 2: > 64 KiB */
    adds(&t, "\n");
    add(&t, big, 3u << 20);                             /* 3: > a chunk */
    adds(&t, "\n");
    snprintf(line, sizeof(line), SQLI_FMT, 1);
    adds(&t, line);                                     /* 4 */
    for (unsigned th = 1; th <= 2; th++) {
        seen *s = scan(t.p, t.n, th, INT64_MIN);
        assert_int_equal(s->n, 1);
        assert_int_equal(s->line[0], 4);
        assert_int_equal(counter(s, "overlong"), 2);
        assert_int_equal(counter(s, "lines"), 4);
        free_seen(s);
    }
    free(big);
    free(t.p);
}

static void time_window(void **state)
{
    (void)state;
    text t = {0};
    char line[512];
    snprintf(line, sizeof(line), SQLI_FMT, 1);
    adds(&t, line);
    /* 2026-11-01T11:00:00Z is 1793530800; since one second later: none. */
    seen *s = scan(t.p, t.n, 1, 1793530801);
    assert_int_equal(s->n, 0);
    assert_int_equal(counter(s, "out_of_window"), 1);
    free_seen(s);
    s = scan(t.p, t.n, 1, 1793530800);
    assert_int_equal(s->n, 1);
    free_seen(s);
    free(t.p);
}

static void sink_can_stop_the_scan(void **state)
{
    (void)state;
    text t = {0};
    char line[512];
    snprintf(line, sizeof(line), SQLI_FMT, 1);
    for (int i = 0; i < 100; i++)
        adds(&t, line);
    mamori_ctx ctx;
    mamori_logscan *ls;
    seen *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->stop_after = 3;
    mamori_sink sink = {on_finding, on_summary, s};
    mamori_ctx_init(&ctx);
    ctx.threads = 2;
    assert_int_equal(mamori_logscan_new(&ctx, NULL, &ls), MAMORI_OK);
    assert_int_equal(mamori_logscan_buffer(ls, "t.log", t.p, t.n, &sink), MAMORI_E_ABORTED);
    assert_int_equal(s->n, 3);
    mamori_logscan_free(ls);
    free_seen(s);
    free(t.p);
}

/* W3C logs the path and query apart: the parser rebuilds the target in a
 * scratch buffer that the next line reuses. A finding must keep its own. */
static void w3c_rebuilt_fields_survive(void **state)
{
    (void)state;
    text t = {0};
    adds(&t, "#Software: Microsoft Internet Information Services 10.0\r\n"
             "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
             "cs-username c-ip cs(User-Agent) sc-status sc-substatus "
             "sc-win32-status time-taken\r\n");
    adds(&t, "2026-11-01 01:00:00 10.0.0.1 GET /default.aspx "
             "id=1%27+UNION+SELECT+name,pass+FROM+users-- 443 - 203.0.113.5 "
             "Mozilla/5.0 200 0 0 15\r\n");
    for (int i = 0; i < 50; i++)
        adds(&t, "2026-11-01 01:00:01 10.0.0.1 GET /benign.aspx page=2 443 - "
                 "198.51.100.1 Mozilla/5.0+(Windows) 200 0 0 15\r\n");
    for (unsigned th = 1; th <= 2; th++) {
        seen *s = scan(t.p, t.n, th, INT64_MIN);
        assert_true(s->n >= 1);
        assert_int_equal(s->line[0], 3);
        assert_non_null(strstr(s->request[0], "UNION"));
        assert_null(strstr(s->request[0], "benign"));
        free_seen(s);
    }
    free(t.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verdict_from_size_baseline),
        cmocka_unit_test(chunks_and_threads_agree),
        cmocka_unit_test(overlong_lines_keep_numbering),
        cmocka_unit_test(time_window),
        cmocka_unit_test(sink_can_stop_the_scan),
        cmocka_unit_test(w3c_rebuilt_fields_survive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
