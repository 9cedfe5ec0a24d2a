/*
 * test_fleet.c — lib/fleet without a server: the spool file parser as a
 * table of texts and whether each is accepted (a spooled run is sent only
 * when whole), the spool's bound (the oldest dropped first, in order,
 * counted) and its marker, and host ids. t1310 drives the rest against a
 * real PostgreSQL.
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

#include "fleet/fleet_int.h"
#include "fleet/spool.h"

#define UUID "0123abcd-0000-4000-8000-00000000abcd"
#define R "R\t" UUID "\thost-1\t1700000000\t1700000030\t0\t2\t0\t0\t0\t1\t1\t0" \
          "\tC\t61\tweb1\tDebian\t6.1\tmamori audit\troot=/\t0.1.0\t/\n"
#define F1 "F\t1\tlogscan.sqli\t3\tsqli\tmeti.appsec\t0123456789abcdef0123456789abcdef\t{\"a\":\"x\\\\ty\"}\n"
#define F2 "F\t2\thost.x\t2\tconfig\tbasic.config\t0123456789abcdef0123456789abcdef\t{}\n"

static const struct {
    const char *text;
    int ok;
    size_t grades, findings;
} cases[] = {
    {MR_PAYLOAD_MAGIC R, 1, 0, 0},
    {MR_PAYLOAD_MAGIC R "G\toverall\t61\tC\nG\tdns\t-1\t\n" F1 F2, 1, 2, 2},
    {"", 0, 0, 0},
    {"mamori-fleet-run 2\n" R, 0, 0, 0},               /* unknown version */
    {MR_PAYLOAD_MAGIC, 0, 0, 0},                       /* no run */
    {MR_PAYLOAD_MAGIC R F1 "F\t3\tx", 0, 0, 0},        /* cut short */
    {MR_PAYLOAD_MAGIC R F1 "G\toverall\t61\tC\n", 0, 0, 0}, /* grade after findings */
    {MR_PAYLOAD_MAGIC R R, 0, 0, 0},                   /* two runs */
    {MR_PAYLOAD_MAGIC F1 R, 0, 0, 0},                  /* findings first */
    {MR_PAYLOAD_MAGIC "R\tnot-a-uuid\thost-1\n", 0, 0, 0},
    {MR_PAYLOAD_MAGIC R "F\tx\tc\t3\ta\tb\tfp\t{}\n", 0, 0, 0}, /* seq */
    {MR_PAYLOAD_MAGIC R "F\t1\tc\t7\ta\tb\tfp\t{}\n", 0, 0, 0}, /* severity */
    {MR_PAYLOAD_MAGIC R "F\t1\tc\t3\ta\tb\tfp\tnull\n", 0, 0, 0}, /* not an object */
    {MR_PAYLOAD_MAGIC R "F\t1\tc\t3\ta\\x\tb\tfp\t{}\n", 0, 0, 0}, /* bad escape */
    {MR_PAYLOAD_MAGIC R "F\t1\tc\t3\ta\rb\tb\tfp\t{}\n", 0, 0, 0}, /* raw CR */
    {MR_PAYLOAD_MAGIC R "X\t1\n", 0, 0, 0},
};

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mr_run_rec rec;
        mamori_err e = mr_payload_parse(cases[i].text, strlen(cases[i].text), &rec);
        if ((e == MAMORI_OK) != cases[i].ok)
            fail_msg("case %zu: %s", i, e ? "refused" : "accepted");
        if (e)
            continue;
        assert_string_equal(rec.f[1], UUID);
        assert_string_equal(rec.f[2], "host-1");
        assert_string_equal(rec.f[21], "/");
        assert_int_equal(rec.ngrades, cases[i].grades);
        assert_int_equal(rec.nfindings, cases[i].findings);
        mr_run_rec_free(&rec);
    }
}

static void test_escape_roundtrip(void **state)
{
    (void)state;
    mr_payload p = {0};
    static const char odd[] = "a\tb\nc\\d\re";
    assert_int_equal(mr_payload_raw(&p, MR_PAYLOAD_MAGIC "R\t" UUID "\thost-1",
                                    strlen(MR_PAYLOAD_MAGIC "R\t" UUID "\thost-1")), 0);
    for (int i = 3; i < MR_RUN_FIELDS; i++) {
        assert_int_equal(mr_payload_raw(&p, "\t", 1), 0);
        if ((i >= 3 && i <= 12) || i == 14)
            assert_int_equal(mr_payload_raw(&p, "-1", 2), 0);
        else
            assert_int_equal(mr_payload_esc(&p, odd, sizeof(odd) - 1), 0);
    }
    assert_int_equal(mr_payload_raw(&p, "\n", 1), 0);
    mr_run_rec rec;
    assert_int_equal(mr_payload_parse(p.text, p.len, &rec), MAMORI_OK);
    assert_string_equal(rec.f[15], odd);
    assert_string_equal(rec.f[21], odd);
    mr_run_rec_free(&rec);
    mr_payload_free(&p);
}

static void put_run(const char *dir, uint64_t max, int n, unsigned *dropped)
{
    mr_payload p = {0};
    snprintf(p.uuid, sizeof(p.uuid), "00000000-0000-4000-8000-%012d", n);
    char body[100];
    memset(body, 'x', sizeof(body));
    assert_int_equal(mr_payload_raw(&p, body, sizeof(body)), 0);
    assert_int_equal(mr_spool_add(NULL, dir, max, &p, dropped), MAMORI_OK);
    mr_payload_free(&p);
}

static void test_spool_bound(void **state)
{
    (void)state;
    char dir[] = "/tmp/mamori-spool-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    unsigned dropped = 0;
    for (int i = 1; i <= 4; i++)
        put_run(dir, 250, i, &dropped);   /* room for two of 100 bytes */
    assert_int_equal(dropped, 2);
    mr_spool_files l;
    assert_int_equal(mr_spool_scan(dir, &l), MAMORI_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.files[0].name, "00000000000000000003-00000000-0000-4000-8000-000000000003.run");
    assert_string_equal(l.files[1].name, "00000000000000000004-00000000-0000-4000-8000-000000000004.run");
    /* One larger than the whole spool is refused, nothing dropped. */
    mr_payload big = {0};
    char blob[300];
    memset(blob, 'y', sizeof(blob));
    assert_int_equal(mr_payload_raw(&big, blob, sizeof(blob)), 0);
    assert_int_equal(mr_spool_add(NULL, dir, 250, &big, &dropped), MAMORI_E_TOO_LARGE);
    assert_int_equal(dropped, 2);
    mr_payload_free(&big);
    char uuid[MR_SPOOL_UUID_MAX];
    assert_int_equal(mr_spool_marker_get(dir, uuid), -1);
    assert_int_equal(mr_spool_marker_set(dir, UUID), 0);
    assert_int_equal(mr_spool_marker_get(dir, uuid), 0);
    assert_string_equal(uuid, UUID);
    for (size_t i = 0; i < l.n; i++) {
        char path[4096];
        assert_int_equal(mr_spool_path(dir, l.files[i].name, path, sizeof(path)), 0);
        unlink(path);
    }
    mr_spool_files_free(&l);
    char path[4096];
    snprintf(path, sizeof(path), "%s/sent", dir);
    unlink(path);
    assert_int_equal(rmdir(dir), 0);
}

static void test_host_ids(void **state)
{
    (void)state;
    assert_true(mamori_fleet_host_id_ok("0123456789abcdef0123456789abcdef"));
    assert_true(mamori_fleet_host_id_ok("web-1.example:eu"));
    assert_false(mamori_fleet_host_id_ok(""));
    assert_false(mamori_fleet_host_id_ok("web 1"));
    assert_false(mamori_fleet_host_id_ok("web'1"));
    char longid[MAMORI_FLEET_HOST_ID_MAX + 2];
    memset(longid, 'a', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    assert_false(mamori_fleet_host_id_ok(longid));
    longid[MAMORI_FLEET_HOST_ID_MAX] = '\0';
    assert_true(mamori_fleet_host_id_ok(longid));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_escape_roundtrip),
        cmocka_unit_test(test_spool_bound),
        cmocka_unit_test(test_host_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
