/*
 * test_conf.c — mamori.conf (lib/conf, conf.h) as data: each case is a
 * file's text and what it reads as, written out one "key value" line
 * per setting and one "LINE: message" line per error (see dump()), so
 * that a new case is one more row of the table. The limits (words,
 * errors, the file's size) and the file reader follow the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mamori/conf.h"

#define DUMP_MAX 8192

/* What c reads as: only what was set, then the errors; "" when nothing. */
static void dump(const mamori_conf *c, mamori_err e, char *out, size_t cap)
{
    size_t n = 0;
#define PUT(...) n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__)
    out[0] = '\0';
    for (size_t i = 0; i < c->ndomains; i++)
        PUT("domain %s\n", c->domains[i]);
    for (size_t i = 0; i < c->nsites; i++)
        PUT("site %s\n", c->sites[i]);
    if (c->backup)
        PUT("backup %s\n", c->backup);
    if (c->root)
        PUT("root %s\n", c->root);
    if (c->lang >= 0)
        PUT("lang %s\n", c->lang == MAMORI_LANG_JA ? "ja" : "en");
    if (c->min_severity >= 0)
        PUT("min_severity %s\n",
            mamori_severity_name((mamori_severity)c->min_severity));
    if (c->fail_on >= 0)
        PUT("fail_on %s\n", c->fail_on == MAMORI_SEV_COUNT ? "none"
            : mamori_severity_name((mamori_severity)c->fail_on));
    if (c->history_db)
        PUT("history.db %s\n", c->history_db);
    if (c->push_db)
        PUT("push.db %s\n", c->push_db);
    if (c->host_id)
        PUT("host_id %s\n", c->host_id);
    if (strcmp(c->spool, MAMORI_CONF_SPOOL_DEFAULT))
        PUT("spool %s\n", c->spool);
    if (c->spool_max_mb != MAMORI_CONF_SPOOL_MAX_MB_DEFAULT)
        PUT("spool_max_mb %llu\n", (unsigned long long)c->spool_max_mb);
    for (size_t i = 0; i < c->nerrors; i++)
        PUT("%llu: %s\n", (unsigned long long)c->errors[i].line,
            c->errors[i].msg);
    if (c->more_errors)
        PUT("+%llu\n", (unsigned long long)c->more_errors);
    if ((e == MAMORI_E_FORMAT) != (c->nerrors > 0))
        PUT("wrong return %d\n", (int)e);
#undef PUT
}

static const struct conf_case {
    const char *name;
    const char *in;
    const char *want;
} cases[] = {
    {"empty", "", ""},
    {"comments only", "; a\n# b\n\n   \n", ""},
    {"everything",
     "\xEF\xBB\xBF[audit]\n"
     "domain = example.jp example.com\n"
     "domain = mail.example.jp\n"
     "site = https://www.example.jp/  https://shop.example.jp:8443/a?b=c\n"
     "backup = /etc/mamori/backup.conf\n"
     "root = /mnt/image\n"
     "lang = ja\n"
     "min_severity = low\n"
     "fail_on = none\n"
     "[history]\n"
     "db = /var/lib/mamori/history.db\n"
     "[push]\n"
     "db = host=pg.example.jp dbname=mamori sslmode=verify-full\n"
     "host_id = web-01.example.jp\n"
     "spool = /var/spool/mamori2\n"
     "spool_max_mb = 128\n",
     "domain example.jp\ndomain example.com\ndomain mail.example.jp\n"
     "site https://www.example.jp/\nsite https://shop.example.jp:8443/a?b=c\n"
     "backup /etc/mamori/backup.conf\nroot /mnt/image\nlang ja\n"
     "min_severity low\nfail_on none\n"
     "history.db /var/lib/mamori/history.db\n"
     "push.db host=pg.example.jp dbname=mamori sslmode=verify-full\n"
     "host_id web-01.example.jp\nspool /var/spool/mamori2\n"
     "spool_max_mb 128\n"},
    {"hyphens, colons, blanks",
     "[ audit ]\nmin-severity: high\nfail-on=medium ; why\n",
     "min_severity high\nfail_on medium\n"},
    {"continued words",
     "[audit]\ndomain = a.example\n  b.example ; more\n\tc.example\n",
     "domain a.example\ndomain b.example\ndomain c.example\n"},
    {"continued conninfo",
     "[push]\ndb = host=pg.example.jp\n  dbname=mamori\n  sslmode=verify-full\n",
     "push.db host=pg.example.jp dbname=mamori sslmode=verify-full\n"},
    {"continued uri",
     "[push]\ndb = postgresql://mamori@pg.example.jp/mamori\n"
     "  ?sslmode=verify-full\n",
     "push.db postgresql://mamori@pg.example.jp/mamori?sslmode=verify-full\n"},
    {"sections repeated", "[audit]\ndomain = a.jp\n[push]\n[audit]\ndomain = b.jp\n",
     "domain a.jp\ndomain b.jp\n"},
    {"unknown section", "[audit]\nlang = en\n[pull]\ndb = x\nhost = y\n[push]\nhost_id = h\n",
     "lang en\nhost_id h\n3: unknown section [pull]: expected [audit], "
     "[history] or [push]\n"},
    {"unknown keys", "[audit]\ndomains = a.jp\n[history]\npath = /x\n",
     "2: unknown key 'domains' in [audit]\n4: unknown key 'path' in [history]\n"},
    {"key of another section", "[audit]\nhost_id = h\n[history]\nspool = /s\n",
     "2: unknown key 'host_id' in [audit]\n4: unknown key 'spool' in [history]\n"},
    {"outside a section", "lang = ja\n[audit]\n",
     "1: 'lang' outside a section ([audit], [history] or [push])\n"},
    {"not a key line", "[audit]\nexample.jp\n",
     "2: not a 'key = value' line\n"},
    {"section not closed", "[audit\nlang = ja\n",
     "1: a section header without its closing ']'\n"},
    {"two words in a header", "[audit now]\n",
     "1: unknown section [audit now]: expected [audit], [history] or [push]\n"},
    {"bad values",
     "[audit]\nlang = fr\nmin_severity = none\nfail_on = severe\n"
     "backup = backup.conf\nroot = ~/img\n"
     "[history]\ndb = history.db\n"
     "[push]\nhost_id = web 01\nspool_max_mb = 0\nspool = spool\n",
     "2: lang: expected en or ja\n"
     "3: min_severity: expected info, low, medium, high or critical\n"
     "4: fail_on: expected info, low, medium, high or critical (or none)\n"
     "5: backup: expected an absolute path\n"
     "6: root: expected an absolute path\n"
     "8: db: expected an absolute path\n"
     "10: host_id: only letters, digits, '.', '_', ':' and '-'\n"
     "11: spool_max_mb: expected a number of megabytes from 1 to 1048576\n"
     "12: spool: expected an absolute path\n"},
    {"numbers",
     "[push]\nspool_max_mb = 1048577\n[push]\n",
     "2: spool_max_mb: expected a number of megabytes from 1 to 1048576\n"},
    {"spool_max_mb junk", "[push]\nspool_max_mb = 12MB\n",
     "2: spool_max_mb: expected a number of megabytes from 1 to 1048576\n"},
    {"spool_max_mb most", "[push]\nspool_max_mb = 1048576\n",
     "spool_max_mb 1048576\n"},
    {"empty values", "[audit]\ndomain =\nlang =\n",
     "2: domain: empty value\n3: lang: empty value\n"},
    {"twice",
     "[audit]\nlang = en\nlang = ja\n[push]\ndb = a=b\n[push]\ndb = c=d\n",
     "lang en\npush.db a=b\n3: lang given twice in [audit]\n"
     "7: db given twice in [push]\n"},
    {"single value continued", "[audit]\nroot = /a\n  /b\nlang = en\n",
     "root /a\nlang en\n3: root takes one value: an indented line cannot "
     "continue it\n"},
    {"bad words", "[audit]\ndomain = a.jp b/c.jp d.jp\nsite = x\x01y z\n",
     "domain a.jp\ndomain d.jp\nsite z\n2: domain: 'b/c.jp' is not a domain "
     "name\n3: site: 'x\x01y' is not a URL\n"},
    {"idn in utf-8", "[audit]\ndomain = 例え.jp\n", "domain 例え.jp\n"},
    {"control in a path", "[audit]\nroot = /a\x1b[2Jb\n",
     "2: root: a control character in the path\n"},
    {"nul byte", "[audit]\nlang = e\0n\nmin_severity = low\n",
     "min_severity low\n2: NUL byte in the line\n"},
    {"no final newline", "[audit]\nlang = ja", "lang ja\n"},
    {"crlf", "[audit]\r\nlang = ja\r\n", "lang ja\n"},
    {"inline comment", "[push]\ndb = host=h password=a;b ; the password\n",
     "push.db host=h password=a;b\n"},
};

static mamori_err parse(const char *s, size_t n, mamori_conf **c)
{
    mamori_err e = mamori_conf_parse(s, n, "test.conf", c);
    assert_non_null(*c);
    assert_string_equal((*c)->path, "test.conf");
    return e;
}

static void table(void **state)
{
    (void)state;
    char got[DUMP_MAX];
    int failed = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct conf_case *k = &cases[i];
        /* "nul byte" holds a NUL: its length is up to the final "\n". */
        size_t n = strlen(k->in);
        if (!strcmp(k->name, "nul byte"))
            n = sizeof("[audit]\nlang = e\0n\nmin_severity = low\n") - 1;
        mamori_conf *c;
        mamori_err e = parse(k->in, n, &c);
        dump(c, e, got, sizeof(got));
        if (strcmp(got, k->want)) {
            print_error("case '%s':\n--- want\n%s--- got\n%s", k->name,
                        k->want, got);
            failed++;
        }
        mamori_conf_free(c);
    }
    assert_int_equal(failed, 0);
}

static void defaults(void **state)
{
    (void)state;
    mamori_conf *c;
    assert_int_equal(parse("", 0, &c), MAMORI_OK);
    assert_int_equal(c->ndomains, 0);
    assert_non_null(c->domains);
    assert_non_null(c->sites);
    assert_null(c->push_db);
    assert_null(c->host_id);
    assert_string_equal(c->spool, MAMORI_CONF_SPOOL_DEFAULT);
    assert_int_equal(c->spool_max_mb, MAMORI_CONF_SPOOL_MAX_MB_DEFAULT);
    assert_int_equal(c->lang, -1);
    assert_int_equal(c->min_severity, -1);
    assert_int_equal(c->fail_on, -1);
    mamori_conf_free(c);
    mamori_conf_free(NULL);
}

static void limits(void **state)
{
    (void)state;
    size_t cap = 64 * 1024;
    char *s = malloc(cap);
    assert_non_null(s);
    /* words: MAMORI_CONF_DOMAINS_MAX kept, the rest are errors */
    size_t n = (size_t)snprintf(s, cap, "[audit]\n");
    for (int i = 0; i < MAMORI_CONF_DOMAINS_MAX + 3; i++)
        n += (size_t)snprintf(s + n, cap - n, "domain = d%d.jp\n", i);
    mamori_conf *c;
    assert_int_equal(parse(s, n, &c), MAMORI_E_FORMAT);
    assert_int_equal(c->ndomains, MAMORI_CONF_DOMAINS_MAX);
    assert_int_equal(c->nerrors, 3);
    assert_string_equal(c->errors[0].msg, "more than 64 domains");
    assert_int_equal(c->errors[0].line, 2 + MAMORI_CONF_DOMAINS_MAX);
    mamori_conf_free(c);
    /* errors: MAMORI_CONF_ERRORS_MAX kept, the rest counted */
    n = 0;
    for (int i = 0; i < 100; i++)
        n += (size_t)snprintf(s + n, cap - n, "x%d = y\n", i);
    assert_int_equal(parse(s, n, &c), MAMORI_E_FORMAT);
    assert_int_equal(c->nerrors, MAMORI_CONF_ERRORS_MAX);
    assert_int_equal(c->more_errors, 100 - MAMORI_CONF_ERRORS_MAX);
    assert_int_equal(c->errors[MAMORI_CONF_ERRORS_MAX - 1].line,
                     MAMORI_CONF_ERRORS_MAX);
    mamori_conf_free(c);
    /* a line libinih cannot hold whole */
    n = (size_t)snprintf(s, cap, "[push]\ndb = ");
    memset(s + n, 'a', 300);
    n += 300;
    n += (size_t)snprintf(s + n, cap - n, "\nhost_id = h\n");
    assert_int_equal(parse(s, n, &c), MAMORI_E_FORMAT);
    assert_null(c->push_db);
    assert_string_equal(c->host_id, "h");
    assert_int_equal(c->errors[0].line, 2);
    assert_string_equal(c->errors[0].msg, "line longer than 198 bytes "
                        "(continue a long value on indented lines)");
    mamori_conf_free(c);
    /* a conninfo continued past its maximum */
    n = (size_t)snprintf(s, cap, "[push]\ndb = a=b\n");
    for (int i = 0; i < 40; i++) {
        s[n++] = ' ';
        memset(s + n, 'c', 150);
        n += 150;
        s[n++] = '\n';
    }
    assert_int_equal(parse(s, n, &c), MAMORI_E_FORMAT);
    assert_true(strlen(c->push_db) < MAMORI_CONF_CONNINFO_MAX);
    assert_int_equal(c->nerrors, 1);
    assert_string_equal(c->errors[0].msg, "db: longer than 4095 bytes");
    mamori_conf_free(c);
    /* a domain word over its maximum (continued lines of one word can't
     * make one: a word is on one line; 198 bytes < 253) and a URL */
    n = (size_t)snprintf(s, cap, "[audit]\nsite = https://");
    memset(s + n, 'a', 180);
    n += 180;
    s[n++] = '\n';
    assert_int_equal(parse(s, n, &c), MAMORI_OK);
    assert_int_equal(c->nsites, 1);
    mamori_conf_free(c);
    free(s);
}

static void load(void **state)
{
    (void)state;
    char path[] = "/tmp/test_conf.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char text[] = "[audit]\ndomain = example.jp\n[push]\ndb = dbname=m\n";
    assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
    close(fd);
    mamori_conf *c;
    assert_int_equal(mamori_conf_load(path, &c), MAMORI_OK);
    assert_string_equal(c->path, path);
    assert_string_equal(c->domains[0], "example.jp");
    assert_string_equal(c->push_db, "dbname=m");
    mamori_conf_free(c);
    /* over MAMORI_CONF_SIZE_MAX */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < MAMORI_CONF_SIZE_MAX / 8 + 1; i++)
        fputs("; 45678\n", f);
    fclose(f);
    assert_int_equal(mamori_conf_load(path, &c), MAMORI_E_TOO_LARGE);
    assert_null(c);
    unlink(path);
    assert_int_equal(mamori_conf_load(path, &c), MAMORI_E_IO);
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table),
        cmocka_unit_test(defaults),
        cmocka_unit_test(limits),
        cmocka_unit_test(load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
