/*
 * test_patch.c — the parts of `mamori patch` (lib/patch) below the
 * command: Debian version parsing (what dpkg refuses, what it only warns
 * about) and comparison (dpkg's own test cases), the bounded stanza
 * parser (continuations, comments, CRLF, limits, malformed lines), the
 * lz4 and xz sources (lib/io) the apt lists need, and the streaming JSON
 * reader the security tracker goes through (escapes, cuts, depth, huge
 * strings), and the source rpm names of the RPM inventory. The whole
 * review runs
 * in t0800-patch.sh on fixture roots; apt's own answer in t0802.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/source.h"
#include "mamori/patch.h"
#include "io/json.h"
#include "host/stanza.h"
#include "patch/patch_int.h"

static int cmp(const char *a, const char *b)
{
    int r = 99;
    assert_int_equal(mamori_debversion_compare(a, strlen(a), b, strlen(b),
                                               &r, NULL), MAMORI_OK);
    return r;
}

static void versions_order(void **state)
{
    (void)state;
    /* From dpkg's t-version.c and deb-version(7). */
    assert_int_equal(cmp("1.0", "1.0"), 0);
    assert_int_equal(cmp("0:1.0", "1.0"), 0);
    assert_int_equal(cmp("1:0.1", "9.9"), 1);
    assert_int_equal(cmp("1.0~rc1", "1.0"), -1);
    assert_int_equal(cmp("1.0~~", "1.0~"), -1);
    assert_int_equal(cmp("1.0~", "1.0"), -1);
    assert_int_equal(cmp("1.0a", "1.0"), 1);
    assert_int_equal(cmp("1.0a", "1.0+"), -1);       /* letters first */
    assert_int_equal(cmp("1.0a", "1.0.1"), -1);
    assert_int_equal(cmp("1.10", "1.9"), 1);          /* numerically */
    assert_int_equal(cmp("1.010", "1.10"), 0);
    assert_int_equal(cmp("1.0-1", "1.0"), 1);
    assert_int_equal(cmp("1.0-0", "1.0"), 0);
    assert_int_equal(cmp("1.0-1", "1.0-1~bpo1"), 1);
    assert_int_equal(cmp("2.30-1+deb12u1", "2.30-1"), 1);
    assert_int_equal(cmp("1-2-3", "1-2-4"), -1);      /* last hyphen */
    assert_int_equal(cmp("99999999999999999999.1", "99999999999999999998.1"),
                     1);                              /* any length */
    assert_int_equal(cmp("  1.0 ", "1.0"), 0);
}

static void versions_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "   ", "1 0", ":1", "a:1", "1:",
                                      "1.0-", "-1", "99999999999:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mamori_debversion v;
        const char *why = NULL;
        assert_int_equal(mamori_debversion_parse(bad[i], strlen(bad[i]), &v,
                                                 &why), MAMORI_E_INVAL);
        assert_non_null(why);
    }
    mamori_debversion v;
    assert_int_equal(mamori_debversion_parse("abc", 3, &v, NULL), MAMORI_OK);
    assert_true(v.warning);               /* dpkg warns but compares */
    assert_int_equal(mamori_debversion_parse("1.0_x-1", 7, &v, NULL),
                     MAMORI_OK);
    assert_true(v.warning);
    assert_int_equal(mamori_debversion_parse("2:1.0-1+b1", 10, &v, NULL),
                     MAMORI_OK);
    assert_false(v.warning);
    assert_int_equal(v.epoch, 2);
    assert_int_equal(v.upstream_len, 3);
    assert_memory_equal(v.revision, "1+b1", 4);
    /* A NUL byte is a character like any other, never an end. */
    assert_int_equal(mamori_debversion_parse("1\0002", 3, &v, NULL),
                     MAMORI_OK);
    assert_true(v.warning);
}

typedef struct seen {
    int n;
    char pkg[4][32];
    uint64_t line[4];
    int truncated[4];
} seen;

static int on_stanza(void *user, const mr_stanza *st)
{
    seen *s = user;
    if (s->n < 4) {
        mr_span p = mr_stanza_get(st, "package");
        snprintf(s->pkg[s->n], sizeof(s->pkg[0]), "%.*s", (int)p.n,
                 p.p ? p.p : "");
        s->line[s->n] = st->line;
        s->truncated[s->n] = st->truncated;
    }
    s->n++;
    return 0;
}

static void stanzas(void **state)
{
    (void)state;
    static const char text[] =
        "\n\nPackage: a\r\nVersion:  1.0  \nDescription: x\n more\n .\n"
        "\n\n# comment\nPackage: b\nno colon here\n\t\n"
        "Package:c\n";
    seen s;
    memset(&s, 0, sizeof(s));
    mr_stanza_parser p;
    mr_stanza_init(&p, on_stanza, &s);
    mr_stanza_buffer(&p, text, sizeof(text) - 1);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.pkg[0], "a");
    assert_string_equal(s.pkg[1], "b");
    assert_string_equal(s.pkg[2], "c");
    assert_int_equal(s.line[0], 3);
    assert_int_equal(p.malformed, 1);
    assert_int_equal(p.first_malformed, 12);
    /* The value is trimmed; continuation lines are not part of it. */
    mr_stanza_init(&p, on_stanza, &s);
    mr_stanza_line(&p, "Version:  1.0  ", 15);
    mr_span v = mr_stanza_get(&p.st, "VERSION");
    assert_int_equal(v.n, 3);
    assert_memory_equal(v.p, "1.0", 3);
    assert_null(mr_stanza_get(&p.st, "Missing").p);
}

static void stanza_limits(void **state)
{
    (void)state;
    seen s;
    memset(&s, 0, sizeof(s));
    mr_stanza_parser p;
    mr_stanza_init(&p, on_stanza, &s);
    char line[MR_STANZA_VALUE_MAX + 64];
    memset(line, 'x', sizeof(line));
    memcpy(line, "Long: ", 6);
    mr_stanza_line(&p, "Package: big", 12);
    mr_stanza_line(&p, line, sizeof(line));       /* too long a value */
    for (int i = 0; i < MR_STANZA_FIELDS_MAX + 10; i++) {
        char f[32];
        int n = snprintf(f, sizeof(f), "F%d: v", i);
        mr_stanza_line(&p, f, (size_t)n);
    }
    mr_stanza_end(&p);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.pkg[0], "big");
    assert_true(s.truncated[0]);
    assert_true(p.st.used <= MR_STANZA_BUF);
}

/* "hello\n" compressed by lz4 -c and by xz -c. */
static const unsigned char lz4_hello[] = {
    0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0x06, 0x00, 0x00, 0x80, 0x68,
    0x65, 0x6c, 0x6c, 0x6f, 0x0a, 0x00, 0x00, 0x00, 0x00, 0xf9, 0x5b, 0x6b,
    0x94,
};
static const unsigned char xz_hello[] = {
    0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46,
    0x02, 0x00, 0x21, 0x01, 0x16, 0x00, 0x00, 0x00, 0x74, 0x2f, 0xe5, 0xa3,
    0x01, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a, 0x00, 0x00, 0x00,
    0xa5, 0x60, 0x97, 0xf1, 0x94, 0xf6, 0xfd, 0xe0, 0x00, 0x01, 0x1e, 0x06,
    0xc1, 0x2f, 0xa4, 0x1d, 0x1f, 0xb6, 0xf3, 0x7d, 0x01, 0x00, 0x00, 0x00,
    0x00, 0x04, 0x59, 0x5a,
};

static void compressed_sources(void **state)
{
    (void)state;
    mr_source *s = NULL;
    char buf[64];
    size_t got = 0;
    assert_int_equal(mr_source_open_mem(lz4_hello, sizeof(lz4_hello), &s),
                     MAMORI_OK);
    assert_int_equal(mr_source_compression(s), MR_COMP_LZ4);
    assert_int_equal(mr_source_read(s, buf, sizeof(buf), &got), MAMORI_OK);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(mr_source_read(s, buf, sizeof(buf), &got), MAMORI_OK);
    assert_int_equal(got, 0);
    mr_source_close(s);
    /* Cut short: every byte before the cut, then TRUNCATED. */
    assert_int_equal(mr_source_open_mem(lz4_hello, sizeof(lz4_hello) - 6, &s),
                     MAMORI_OK);
    mamori_err e;
    size_t total = 0;
    while ((e = mr_source_read(s, buf, sizeof(buf), &got)) == MAMORI_OK && got)
        total += got;
    assert_int_equal(e, MAMORI_E_TRUNCATED);
    mr_source_close(s);
    (void)total;
    assert_int_equal(mr_source_open_mem(xz_hello, sizeof(xz_hello), &s),
                     MAMORI_OK);
    assert_int_equal(mr_source_compression(s), MR_COMP_XZ);
    assert_int_equal(mr_source_read(s, buf, sizeof(buf), &got), MAMORI_OK);
    assert_int_equal(got, 6);
    assert_memory_equal(buf, "hello\n", 6);
    assert_int_equal(mr_source_read(s, buf, sizeof(buf), &got), MAMORI_OK);
    assert_int_equal(got, 0);
    mr_source_close(s);
    assert_int_equal(mr_source_open_mem(xz_hello, sizeof(xz_hello) - 8, &s),
                     MAMORI_OK);
    while ((e = mr_source_read(s, buf, sizeof(buf), &got)) == MAMORI_OK && got)
        ;
    assert_true(e == MAMORI_E_TRUNCATED || e == MAMORI_E_CORRUPT);
    mr_source_close(s);
}

typedef struct jseen {
    int opens, closes, scalars;
    unsigned maxdepth;
    char last[64], lastkey[MR_JSON_KEY_MAX];
    int cut;
} jseen;

static int j_open(void *u, const mr_json_path *p, int a)
{
    jseen *s = u;
    (void)a;
    s->opens++;
    if (p->depth > s->maxdepth)
        s->maxdepth = p->depth;
    return 0;
}

static int j_close(void *u, const mr_json_path *p, int a)
{
    (void)p;
    (void)a;
    ((jseen *)u)->closes++;
    return 0;
}

static int j_scalar(void *u, const mr_json_path *p, mr_json_kind k,
                    const char *str, size_t n, int cut)
{
    jseen *s = u;
    (void)k;
    s->scalars++;
    snprintf(s->last, sizeof(s->last), "%.*s", (int)(n < 60 ? n : 60), str);
    snprintf(s->lastkey, sizeof(s->lastkey), "%s", p->keys[p->depth]);
    s->cut |= cut;
    return 0;
}

static mamori_err jread(const char *text, size_t len, jseen *s)
{
    mr_source *src = NULL;
    memset(s, 0, sizeof(*s));
    assert_int_equal(mr_source_open_mem(text, len, &src), MAMORI_OK);
    mr_json_cb cb = {j_open, j_close, j_scalar, s};
    mamori_err e = mr_json_read(src, &cb, NULL);
    mr_source_close(src);
    return e;
}

static void json_reader(void **state)
{
    (void)state;
    jseen s;
    static const char ok_doc[] =
        " {\"a\": {\"k\": [1, -2.5e3, true, false, null]},"
        " \"b\\\"q\": \"x\\u00e9\\ud83d\\ude00\\n\"} ";
    assert_int_equal(jread(ok_doc, sizeof(ok_doc) - 1, &s), MAMORI_OK);
    assert_int_equal(s.opens, 3);
    assert_int_equal(s.closes, 3);
    assert_int_equal(s.scalars, 6);
    assert_string_equal(s.lastkey, "b\"q");
    assert_string_equal(s.last, "x\xc3\xa9\xf0\x9f\x98\x80\n");
    /* Cut, corrupt, trailing bytes, control characters. */
    assert_int_equal(jread("{\"a\": [1, 2", 11, &s), MAMORI_E_TRUNCATED);
    assert_int_equal(jread("{\"a\" 1}", 7, &s), MAMORI_E_CORRUPT);
    assert_int_equal(jread("{} x", 4, &s), MAMORI_E_CORRUPT);
    assert_int_equal(jread("\"a\nb\"", 5, &s), MAMORI_E_CORRUPT);
    assert_int_equal(jread("", 0, &s), MAMORI_E_TRUNCATED);
    /* Nesting deeper than followed: stops there. */
    char deep[MR_JSON_DEPTH_MAX * 2 + 8];
    memset(deep, '[', sizeof(deep));
    assert_int_equal(jread(deep, sizeof(deep), &s), MAMORI_E_TOO_LARGE);
    assert_true(s.maxdepth <= MR_JSON_DEPTH_MAX);
    /* A string longer than kept: cut, the rest read past. */
    size_t big = MR_JSON_STR_MAX * 3;
    char *doc = malloc(big + 16);
    assert_non_null(doc);
    doc[0] = '[';
    doc[1] = '"';
    memset(doc + 2, 'z', big);
    memcpy(doc + 2 + big, "\",7]", 4);
    assert_int_equal(jread(doc, big + 6, &s), MAMORI_OK);
    assert_true(s.cut);
    assert_int_equal(s.scalars, 2);
    assert_string_equal(s.last, "7");
    free(doc);
}

/* The SOURCERPM names librpm gives (rpmdb.c): name and version-release
 * split at the last two '-', the suffix dropped; no split without two. */
static void srpm_names(void **state)
{
    static const struct {
        const char *in, *name, *vr;
    } cases[] = {
        {"openssl-3.0.7-24.el9.src.rpm", "openssl", "3.0.7-24.el9"},
        {"python3-pip-21.3.1-1.el9.src.rpm", "python3-pip", "21.3.1-1.el9"},
        {"kernel-5.14.0-427.13.1.el9_4.nosrc.rpm", "kernel",
         "5.14.0-427.13.1.el9_4"},
        {"a-1-2", "a", "1-2"},
        {"noversion.src.rpm", NULL, NULL},
        {"-1-2.src.rpm", NULL, NULL},
        {"", NULL, NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mr_span name, vr;
        mr_patch_split_srpm(cases[i].in, &name, &vr);
        if (!cases[i].name) {
            assert_int_equal(name.n, 0);
            assert_int_equal(vr.n, 0);
            continue;
        }
        assert_int_equal(name.n, strlen(cases[i].name));
        assert_memory_equal(name.p, cases[i].name, name.n);
        assert_int_equal(vr.n, strlen(cases[i].vr));
        assert_memory_equal(vr.p, cases[i].vr, vr.n);
    }
    mr_span name, vr;
    mr_patch_split_srpm(NULL, &name, &vr);
    assert_int_equal(name.n + vr.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(versions_order),
        cmocka_unit_test(versions_refused),
        cmocka_unit_test(stanzas),
        cmocka_unit_test(stanza_limits),
        cmocka_unit_test(compressed_sources),
        cmocka_unit_test(json_reader),
        cmocka_unit_test(srpm_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
