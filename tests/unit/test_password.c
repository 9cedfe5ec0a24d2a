/*
 * test_password.c — the password checker's parts: the binary fuse filter
 * (no false negatives, false positives near 1/4096, empty and tiny sets),
 * each pattern finder through the public check (names, dates with eras,
 * keyboard walks, sequences, repeats, look-alikes, context, the old
 * password), the policies and the policy file, the CSV export reader on
 * every format and on broken input, and the policy review on fixtures;
 * MD4 and the NT hash against RFC 1320 and openssl's values, and the
 * user breach list in its three formats with hostile lines.
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

#include "mamori/password.h"
#include "password/fuse.h"
#include "password/pw_breach.h"
#include "password/pw_hash.h"

static mamori_password_checker *ipa;

static int setup(void **state)
{
    (void)state;
    return mamori_password_checker_new(NULL, &ipa) != MAMORI_OK;
}

static int teardown(void **state)
{
    (void)state;
    mamori_password_checker_free(ipa);
    return 0;
}

static mamori_password_result check(const char *pw)
{
    mamori_password_result r;
    mamori_password_check(ipa, pw, strlen(pw), NULL, &r);
    return r;
}

static int has(const mamori_password_result *r, mamori_password_reason why)
{
    for (size_t i = 0; i < r->nreasons; i++)
        if (r->reasons[i] == why)
            return 1;
    return 0;
}

static void fuse_no_false_negatives(void **state)
{
    (void)state;
    enum { N = 50000 };
    uint64_t *keys = malloc(N * sizeof(*keys));
    assert_non_null(keys);
    for (uint64_t i = 0; i < N; i++)
        keys[i] = mr_pw_fmix(i * 2 + 1);
    mr_fuse f;
    assert_int_equal(mr_fuse_build(&f, keys, N), MAMORI_OK);
    assert_int_equal(f.entries, N);
    for (uint64_t i = 0; i < N; i++)
        assert_true(mr_fuse_contains(&f, mr_pw_fmix(i * 2 + 1)));
    unsigned fp = 0;
    for (uint64_t i = 0; i < 100000; i++)
        fp += mr_fuse_contains(&f, mr_pw_fmix(i * 2 + 2));
    /* 12-bit fingerprints: about 24 in 100000 */
    assert_true(fp < 80);
    assert_true(mr_fuse_bytes(&f) < 2 * N);
    mr_fuse_free(&f);
    free(keys);
}

static void fuse_tiny_and_empty(void **state)
{
    (void)state;
    mr_fuse f;
    uint64_t one[3] = {42, 42, 42};
    assert_int_equal(mr_fuse_build(&f, one, 0), MAMORI_OK);
    assert_false(mr_fuse_contains(&f, 42));
    mr_fuse_free(&f);
    assert_int_equal(mr_fuse_build(&f, one, 3), MAMORI_OK);
    assert_int_equal(f.entries, 1);
    assert_true(mr_fuse_contains(&f, 42));
    mr_fuse_free(&f);
}

static void builtin_breach_filter(void **state)
{
    (void)state;
    assert_true(mamori_password_breach_entries() >= 1000000);
    assert_true(mamori_password_breached(ipa, "123456", 6));
    assert_true(mamori_password_breached(ipa, "Password", 8));
    assert_false(mamori_password_breached(ipa, "xK9#mQ2$vL7@abcZ", 16));
}

static void rejects_guidance_examples(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "taro1202", "Suzuki1985!", "qwerty2024", "Hanako0315", "1qaz2wsx",
        "zaq12wsx!", "Letm3!n2025", "1234qwer!", "p@ssw0rd", "Mei19630417",
        "sakura2024", "doraemon1", "S60tanaka..."};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mamori_password_result r = check(bad[i]);
        if (r.accepted)
            fail_msg("accepted %s", bad[i]);
        assert_true(r.score <= 3);
    }
}

static void reasons_name_the_pattern(void **state)
{
    (void)state;
    mamori_password_result r = check("Suzuki1985!");
    assert_true(has(&r, MAMORI_PWR_NAME));
    assert_true(has(&r, MAMORI_PWR_DATE));
    r = check("Qwertyuiop!1");
    assert_true(has(&r, MAMORI_PWR_KEYBOARD) || has(&r, MAMORI_PWR_COMMON));
    r = check("H12yamada!xyz");
    assert_true(has(&r, MAMORI_PWR_DATE));
    r = check("Abcdefghij1!");
    assert_true(has(&r, MAMORI_PWR_SEQUENCE) || has(&r, MAMORI_PWR_COMMON));
    r = check("Xq!Xq!Xq!Xq!Xq!");
    assert_true(has(&r, MAMORI_PWR_REPEAT));
    r = check("short");
    assert_true(has(&r, MAMORI_PWR_TOO_SHORT));
    r = check("");
    assert_true(has(&r, MAMORI_PWR_EMPTY));
    assert_false(r.accepted);
}

static void strong_ones_pass(void **state)
{
    (void)state;
    static const char *const good[] = {
        "xK9#mQ2$vL7@abcZ", "correct horse battery staple",
        "tundra-velvet-oxidize-pancake-ledger", "9vT!qR2#LmZ8wP"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        mamori_password_result r = check(good[i]);
        if (!r.accepted)
            fail_msg("rejected %s: %s", good[i], r.feedback[0]);
        assert_int_equal(r.score, 4);
        assert_int_equal(r.nreasons, 0);
        assert_non_null(strstr(r.feedback[MAMORI_LANG_JA], "強い"));
    }
}

static void context_and_old_password(void **state)
{
    (void)state;
    mamori_password_context ctx = {.user = "kmatsumoto",
                                   .real_name = "Kenta Matsumoto",
                                   .email = "kenta@example.co.jp",
                                   .old_password = "Zebra!Lamp7Quiet"};
    mamori_password_result r;
    const char *pw = "Xq7!Matsumoto#Vw";
    mamori_password_check(ipa, pw, strlen(pw), &ctx, &r);
    assert_false(r.accepted);
    assert_true(has(&r, MAMORI_PWR_CONTEXT));
    pw = "Zebra!Lamp8Quiet";
    mamori_password_check(ipa, pw, strlen(pw), &ctx, &r);
    assert_false(r.accepted);
    assert_true(has(&r, MAMORI_PWR_OLD_PASSWORD));
    pw = "Harbor$Violet93Kite";
    mamori_password_check(ipa, pw, strlen(pw), &ctx, &r);
    assert_true(r.accepted);
}

static void hostile_bytes(void **state)
{
    (void)state;
    char buf[MAMORI_PASSWORD_MAX + 10];
    memset(buf, 'a', sizeof(buf));
    mamori_password_result r;
    mamori_password_check(ipa, buf, sizeof(buf), NULL, &r);
    assert_true(has(&r, MAMORI_PWR_TOO_LONG));
    mamori_password_check(ipa, buf, MAMORI_PASSWORD_MAX, NULL, &r);
    assert_false(r.accepted);
    const char nul[] = "abc\0def\xff\xfeghijkl";
    mamori_password_check(ipa, nul, sizeof(nul) - 1, NULL, &r);
    assert_true(has(&r, MAMORI_PWR_INVALID_UTF8));
}

static void policies(void **state)
{
    (void)state;
    mamori_password_policy p;
    mamori_password_policy_init(&p, MAMORI_PWPOLICY_NIST, 0);
    assert_int_equal(p.min_length, 15);
    assert_int_equal(p.min_classes, 0);
    mamori_password_policy_init(&p, MAMORI_PWPOLICY_NIST, 1);
    assert_int_equal(p.min_length, 8);

    char path[] = "/tmp/mamori-pwpolicy-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("# test\npolicy = nist\nmin_length = 12\ncheck_breached = no\n", f);
    fclose(f);
    mamori_password_policy_init(&p, MAMORI_PWPOLICY_IPA, 0);
    assert_int_equal(mamori_password_policy_load(&p, NULL, path), MAMORI_OK);
    assert_int_equal(p.min_length, 12);
    assert_int_equal(p.min_classes, 0);
    assert_int_equal(p.check_breached, 0);
    f = fopen(path, "w");
    fputs("min_lenght = 12\n", f);
    fclose(f);
    assert_int_equal(mamori_password_policy_load(&p, NULL, path),
                     MAMORI_E_FORMAT);
    f = fopen(path, "w");
    fputs("min_classes = 9\n", f);
    fclose(f);
    assert_int_equal(mamori_password_policy_load(&p, NULL, path),
                     MAMORI_E_FORMAT);
    unlink(path);
    assert_int_equal(mamori_password_policy_load(&p, NULL, path),
                     MAMORI_E_IO);

    /* NIST: no composition rule, length 15 */
    mamori_password_checker *nist;
    mamori_password_policy_init(&p, MAMORI_PWPOLICY_NIST, 0);
    assert_int_equal(mamori_password_checker_new(&p, &nist), MAMORI_OK);
    mamori_password_result r;
    const char *pw = "wkzbqtrvmplxjdh";
    mamori_password_check(nist, pw, strlen(pw), NULL, &r);
    assert_true(r.accepted);
    pw = "Xk9!mQ2$vL";
    mamori_password_check(nist, pw, strlen(pw), NULL, &r);
    assert_true(has(&r, MAMORI_PWR_TOO_SHORT));
    mamori_password_checker_free(nist);
}

typedef struct seen {
    char sites[8][64];
    char users[8][64];
    size_t n;
} seen;

static int collect(void *user, const mamori_pwcsv_entry *e)
{
    seen *s = user;
    if (s->n < 8) {
        snprintf(s->sites[s->n], 64, "%.*s", (int)e->site_len, e->site);
        snprintf(s->users[s->n], 64, "%.*s", (int)e->user_len, e->user);
        s->n++;
    }
    return 0;
}

static void csv_formats(void **state)
{
    (void)state;
    static const struct {
        const char *csv;
        mamori_pwcsv_format fmt;
        const char *site;
    } cases[] = {
        {"name,url,username,password,note\nex,https://ex.com/,u,pw1,\n",
         MAMORI_PWCSV_CHROME, "ex"},
        {"\"url\",\"username\",\"password\",\"httpRealm\",\"formActionOrigin\","
         "\"guid\"\r\n\"https://ex.com\",\"u\",\"p,\"\"w\",,\"\",\"{1}\"\r\n",
         MAMORI_PWCSV_FIREFOX, "https://ex.com"},
        {"folder,favorite,type,name,notes,fields,reprompt,login_uri,"
         "login_username,login_password,login_totp\n"
         ",,login,Ex,,,0,https://ex.com,u,pw,\n",
         MAMORI_PWCSV_BITWARDEN, "Ex"},
        {"\xef\xbb\xbf\"Group\",\"Title\",\"Username\",\"Password\",\"URL\","
         "\"Notes\"\n\"Root\",\"Ex\",\"u\",\"pw\",\"https://ex.com\",\"a\nb\"\n",
         MAMORI_PWCSV_KEEPASSXC, "Ex"},
        {"Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\n"
         "Ex,https://ex.com,u,pw,,false,false,,\n",
         MAMORI_PWCSV_1PASSWORD, "Ex"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        seen s = {0};
        mamori_pwcsv_format fmt;
        assert_int_equal(mamori_pwcsv_parse(cases[i].csv,
                                            strlen(cases[i].csv), &fmt,
                                            collect, &s),
                         MAMORI_OK);
        assert_int_equal(fmt, cases[i].fmt);
        assert_int_equal(s.n, 1);
        assert_string_equal(s.sites[0], cases[i].site);
        assert_string_equal(s.users[0], "u");
    }
}

static void csv_broken(void **state)
{
    (void)state;
    seen s = {0};
    mamori_pwcsv_format fmt;
    assert_int_equal(mamori_pwcsv_parse("a,b,c\n1,2,3\n", 12, &fmt, collect,
                                        &s),
                     MAMORI_E_FORMAT);
    assert_int_equal(fmt, MAMORI_PWCSV_UNKNOWN);
    assert_int_equal(mamori_pwcsv_parse("", 0, &fmt, collect, &s),
                     MAMORI_E_FORMAT);
    /* unterminated quote, NUL bytes, short rows: no crash, no entry */
    const char bad[] = "name,url,username,password\n\"ex\0,\"unterminated";
    assert_int_equal(mamori_pwcsv_parse(bad, sizeof(bad) - 1, &fmt, collect,
                                        &s),
                     MAMORI_OK);
    assert_int_equal(s.n, 0);
}

static void hex_of(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void md4_and_nt_hash(void **state)
{
    (void)state;
    static const char *const rfc[][2] = {
        {"", "31d6cfe0d16ae931b73c59d7e0c089c0"},
        {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
        {"abc", "a448017aaf21d8525fc10ae87aa6729d"},
        {"message digest", "d9130a8164549fe818874806e1c7014b"},
        {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
        {"1234567890123456789012345678901234567890123456789012345678901234"
         "5678901234567890", "e33b4ddc9c38f2199c3e7b164fcc0536"}};
    /* NT hashes from `iconv -t UTF-16LE | openssl dgst -md4` */
    static const char *const nt[][2] = {
        {"password", "8846f7eaee8fb117ad06bdd830b7586c"},
        {"\xe6\x9d\xb1\xe4\xba\xac\xe3\x82\xbf\xe3\x83\xaf\xe3\x83\xbc"
         "333m!Sky", "d898379c9931fee855400b7225f6b29d"},   /* 東京タワー */
        {"\xf0\x9f\x94\x91key", "08636ad2dbbe22210305db7278de577f"}};
    unsigned char d[MR_MD4_LEN];
    char hex[2 * MR_MD4_LEN + 1];
    for (size_t i = 0; i < sizeof(rfc) / sizeof(rfc[0]); i++) {
        mr_md4(rfc[i][0], strlen(rfc[i][0]), d);
        hex_of(d, sizeof(d), hex);
        assert_string_equal(hex, rfc[i][1]);
    }
    for (size_t i = 0; i < sizeof(nt) / sizeof(nt[0]); i++) {
        mr_ntlm_hash(nt[i][0], strlen(nt[i][0]), d);
        hex_of(d, sizeof(d), hex);
        assert_string_equal(hex, nt[i][1]);
    }
    /* invalid UTF-8 and a NUL: hashed, no crash */
    mr_ntlm_hash("\xff\xc3\0\xed\xa0\x80", 6, d);
}

static void breach_list_formats(void **state)
{
    (void)state;
    mamori_password_checker *c;
    const char *strong = "Vq3!zzTop#Kestrel";
    assert_int_equal(mamori_password_checker_new(NULL, &c), MAMORI_OK);
    assert_false(mamori_password_breached(c, strong, strlen(strong)));

    /* Pwned Passwords SHA-1: CRLF, counts, one junk line, no final \n */
    static const char sha1[] =
        "84DCDB68A50C79C8ACEA47EF94FCC8962719603E:12\r\n"
        "not a hash\r\n"
        "5ad243e0db3443efe3d9b68c5b2a8db0e06a9798:3";
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", sha1, sizeof(sha1) - 1), MAMORI_OK);
    assert_int_equal(mamori_password_breach_list_format(c),
                     MAMORI_BREACH_SHA1);
    assert_int_equal(mamori_password_breach_list_entries(c), 2);
    assert_true(mamori_password_breached(c, strong, strlen(strong)));
    assert_true(mamori_password_breached(c, "Mixedcase!long#pass9", 20));
    assert_false(mamori_password_breached(c, "Vq3!zzTop#Kestrem", 17));

    /* NTLM replaces it */
    static const char ntlm[] = "B8D3DAE559D986C7E70110A89FCC8ECB:1\n";
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", ntlm, sizeof(ntlm) - 1), MAMORI_OK);
    assert_int_equal(mamori_password_breach_list_format(c),
                     MAMORI_BREACH_NTLM);
    assert_true(mamori_password_breached(c, strong, strlen(strong)));
    assert_false(mamori_password_breached(c, "Mixedcase!long#pass9", 20));

    /* plain, with a NUL inside a password and an overlong line */
    char plain[3000];
    size_t n = 0;
    memcpy(plain + n, "ab\0cd\n", 6);
    n += 6;
    memset(plain + n, 'x', 2000);
    n += 2000;
    plain[n++] = '\n';
    memcpy(plain + n, strong, strlen(strong));
    n += strlen(strong);
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", plain, n), MAMORI_OK);
    assert_int_equal(mamori_password_breach_list_format(c),
                     MAMORI_BREACH_PLAIN);
    assert_int_equal(mamori_password_breach_list_entries(c), 2);
    assert_true(mamori_password_breached(c, "ab\0cd", 5));
    assert_true(mamori_password_breached(c, strong, strlen(strong)));

    /* nothing usable: an error, and the list before stays */
    char junk[MAMORI_BREACH_LINE_MAX + 10];
    memset(junk, 'y', sizeof(junk));
    junk[300] = '\n';                  /* a plain line over 256 bytes */
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", junk, sizeof(junk)),
                     MAMORI_E_FORMAT);
    /* hash lines with junk in every other one: still a hash list */
    static const char mixed[] =
        "hello\n84DCDB68A50C79C8ACEA47EF94FCC8962719603E\n"
        "84DCDB68A50C79C8ACEA47EF94FCC8962719603E:1:2\n"
        "5AD243E0DB3443EFE3D9B68C5B2A8DB0E06A9798:99999999999999999999\n";
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", mixed, sizeof(mixed) - 1), MAMORI_OK);
    assert_int_equal(mamori_password_breach_list_format(c),
                     MAMORI_BREACH_SHA1);
    assert_int_equal(mamori_password_breach_list_entries(c), 2);
    assert_int_equal(mamori_password_checker_add_breach_data(
                         c, NULL, "t", plain, n), MAMORI_OK);
    assert_true(mamori_password_breached(c, strong, strlen(strong)));
    /* an empty list is an error too (a failed download must not turn
     * the check off), and the list before stays */
    assert_int_equal(mamori_password_checker_add_breach_data(c, NULL, "t",
                                                             NULL, 0),
                     MAMORI_E_FORMAT);
    assert_int_equal(mamori_password_checker_add_breach_data(c, NULL, "t",
                                                             "\n\r\n", 3),
                     MAMORI_E_FORMAT);
    assert_int_equal(mamori_password_breach_list_entries(c), 2);
    mamori_password_checker_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fuse_no_false_negatives),
        cmocka_unit_test(fuse_tiny_and_empty),
        cmocka_unit_test(builtin_breach_filter),
        cmocka_unit_test(rejects_guidance_examples),
        cmocka_unit_test(reasons_name_the_pattern),
        cmocka_unit_test(strong_ones_pass),
        cmocka_unit_test(context_and_old_password),
        cmocka_unit_test(hostile_bytes),
        cmocka_unit_test(policies),
        cmocka_unit_test(csv_formats),
        cmocka_unit_test(csv_broken),
        cmocka_unit_test(md4_and_nt_hash),
        cmocka_unit_test(breach_list_formats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
