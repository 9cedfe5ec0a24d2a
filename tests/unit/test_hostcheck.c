/*
 * test_hostcheck.c — the parsers and rules of `mamori host`: sshd's time
 * format, sshd_config as sshd reads it (first value wins, keywords in any
 * case, "=" as separator, Match bodies left out until "Match all", quoted
 * values, overlong and NUL-holding lines), sysctl files (last value wins,
 * '/' in keys, "-key"), Include through a sysroot (relative and globbed,
 * a self-include stopped), and the rule table's own consistency (every
 * rule names a check that exists, a fix and a file), sudoers (joined
 * lines, comments and UIDs, Defaults, aliases, tags and runas lists),
 * and base64 as SSH public keys hold it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostcheck/hostcheck.h"
#include "mamori/finding.h"
#include "util/base64.h"

static mr_hc_config *fresh(const char *const *keys)
{
    mr_hc_config *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    for (size_t i = 0; keys[i]; i++)
        assert_non_null(mr_hc_want(c, keys[i]));
    return c;
}

typedef struct sudo_seen {
    char what[8][96];
    size_t n;
} sudo_seen;

static void sudo_collect(void *user, const mr_hc_sudo_spec *spec)
{
    sudo_seen *s = user;
    if (s->n < 8)
        snprintf(s->what[s->n++], sizeof(s->what[0]), "%llu %s%s%s%s",
                 (unsigned long long)spec->line, spec->users,
                 spec->nopasswd ? " nopasswd" : "",
                 spec->all_commands ? " all" : "",
                 spec->noauth ? " noauth" : "");
}

static void sudoers_lines(void **state)
{
    (void)state;
    static const char cfg[] =
        "# a comment with NOPASSWD: ALL\n"
        "Defaults\tenv_reset, !authenticate\n"
        "Defaults:deploy !lecture\n"
        "User_Alias OPS = alice, bob\n"
        "Cmnd_Alias ALLCMD = ALL\n"
        "#1000 ALL = (root) /usr/bin/true # UID 1000: not a comment\n"
        "root\tALL=(ALL:ALL) ALL\n"
        "%ops , bob  ALL = (root) NOPASSWD: /usr/bin/systemctl \\\n"
        "   restart nginx\n"
        "carol host1 = (ALL) SETENV: /bin/ls, ALL : host2 = /bin/true\n"
        "dave ALL = sha256:abcd /bin/x, ROLE=r /bin/y\n"
        "eve ALL = \\";                 /* ends while joined */
    sudo_seen seen;
    memset(&seen, 0, sizeof(seen));
    mr_hc_sudoers *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->fn = sudo_collect;
    s->user = &seen;
    mr_hc_sudoers_buffer(s, "sudoers", cfg, sizeof(cfg) - 1);
    free(s);
    assert_int_equal(seen.n, 4);
    assert_string_equal(seen.what[0], "2 ALL noauth");
    assert_string_equal(seen.what[1], "7 root all");
    assert_string_equal(seen.what[2], "8 %ops,bob nopasswd");
    assert_string_equal(seen.what[3], "10 carol all");
}

static void base64(void **state)
{
    (void)state;
    unsigned char out[16];
    size_t n = 0;
    assert_int_equal(mr_base64_decode("AAAAB3Nz\naC1yc2E=", 17, out,
                                      sizeof(out), &n), 0);
    assert_int_equal(n, 11);
    assert_memory_equal(out + 4, "ssh-rsa", 7);
    assert_int_equal(mr_base64_decode("AA=A", 4, out, sizeof(out), &n), -1);
    assert_int_equal(mr_base64_decode("A", 1, out, sizeof(out), &n), -1);
    assert_int_equal(mr_base64_decode("AA*A", 4, out, sizeof(out), &n), -1);
    /* more than the bound: refused, never written past it */
    assert_int_equal(mr_base64_decode("AAAAAAAAAAAAAAAAAAAAAAAA", 24, out,
                                      sizeof(out), &n), -1);
}

static void sshd_time(void **state)
{
    (void)state;
    assert_int_equal(mr_hc_sshd_time("90"), 90);
    assert_int_equal(mr_hc_sshd_time("2m"), 120);
    assert_int_equal(mr_hc_sshd_time("1h30m"), 5400);
    assert_int_equal(mr_hc_sshd_time("30s"), 30);
    assert_int_equal(mr_hc_sshd_time(""), -1);
    assert_int_equal(mr_hc_sshd_time("2x"), -1);
    assert_int_equal(mr_hc_sshd_time("-1"), -1);
    assert_int_equal(mr_hc_sshd_time("99999999999999999999"), -1);
}

static void spans(void **state)
{
    (void)state;
    assert_int_equal(mr_hc_span("3600"), 3600);
    assert_int_equal(mr_hc_span("90d"), 90 * 86400);
    assert_int_equal(mr_hc_span("1 month"), 2629800);
    assert_int_equal(mr_hc_span("3M"), 3 * 2629800);
    assert_int_equal(mr_hc_span("5m"), 300);
    assert_int_equal(mr_hc_span("5min 30s"), 330);
    assert_int_equal(mr_hc_span("1y 2w"), 31557600 + 2 * 604800);
    assert_int_equal(mr_hc_span("0"), 0);
    assert_int_equal(mr_hc_span(""), -1);
    assert_int_equal(mr_hc_span("5 fortnights"), -1);
    assert_int_equal(mr_hc_span("d"), -1);
    assert_int_equal(mr_hc_span("99999999999999999999"), -1);
}

/* The judgement of a list every item of which must be allowed (exim's
 * dc_local_interfaces), as a table: value, passes. */
static void all_in(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        int pass;
        const char *bad;
    } cases[] = {
        {"127.0.0.1 ; ::1", 1, ""},
        {"127.0.0.1", 1, ""},
        {"<; 127.0.0.1 ; ::1", 1, ""},
        {"127.0.0.1;::1", 1, ""},
        {"", 0, ""},                     /* empty: every interface */
        {" ; ", 0, ""},
        {"127.0.0.1 ; 192.0.2.7", 0, "192.0.2.7"},
        {"0.0.0.0", 0, "0.0.0.0"},
        {"10.0.0.1, 127.0.0.1, ::", 0, "10.0.0.1,::"},
    };
    mr_hc_rule r;
    memset(&r, 0, sizeof(r));
    r.judge = MR_HC_ALL_IN;
    r.words = "127.0.0.1 ::1 localhost";
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char bad[64];
        assert_int_equal(mr_hc_judge_value(&r, cases[i].value, bad,
                                           sizeof(bad)), cases[i].pass);
        assert_string_equal(bad, cases[i].bad);
    }
    char tiny[4];    /* offenders beyond the buffer: still a failure */
    assert_int_equal(mr_hc_judge_value(&r, "192.0.2.1 192.0.2.2", tiny,
                                       sizeof(tiny)), 0);
}

/* The judgement of exim's relay lists (no item lets everyone in), as a
 * table: value, passes, the items that fail it. */
static void narrow(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        int pass;
        const char *bad;
    } cases[] = {
        {"", 1, ""},                     /* relays for nobody */
        {"192.168.0.0/16 ; 10.0.0.0/8", 1, ""},
        {"0.0.0.0/0", 0, "0.0.0.0/0"},
        {"10.0.0.0/7;0.0.0.0/1", 0, "10.0.0.0/7,0.0.0.0/1"},
        {"<; ::1 ; ::/0", 0, "::/0"},
        {"2001:db8::/32", 1, ""},
        {"2001:db8::/31", 0, "2001:db8::/31"},
        {"*", 0, "*"},
        {"*.example.jp", 1, ""},         /* one domain's subdomains */
        {"!0.0.0.0/0", 1, ""},           /* an exclusion */
        {"10.0.0.0/", 0, "10.0.0.0/"},   /* no prefix: unreadable */
        {"10.0.0.0/x", 0, "10.0.0.0/x"},
        {"10.0.0.0/99999999999999999999", 0, "10.0.0.0/99999999999999999999"},
        {"10.0.0.0/0008", 1, ""},
        {"10.0.0.0/0007", 0, "10.0.0.0/0007"},
        /* items between ';' only (issue 14, h31): a blank is no separator */
        {"10.0.0.0/8 0.0.0.0/0", 0, "10.0.0.0/8 0.0.0.0/0"},
        {"10.0.0.0/8, 0.0.0.0/0", 0, "10.0.0.0/8, 0.0.0.0/0"},
        {" 10.0.0.0/8 ;  0.0.0.0/0 ", 0, "0.0.0.0/0"},
        {"! 0.0.0.0/0 ; 10.0.0.0/8", 1, ""},  /* an exclusion */
        {"<, 10.0.0.0/8 , ::/0", 0, "::/0"},
        {"'0.0.0.0/0'", 0, "'0.0.0.0/0'"},     /* unreadable: fails */
        {"300.0.0.0/24", 0, "300.0.0.0/24"},
        {"0/0", 0, "0/0"},
        /* private IPv6 networks are nobody's from the internet */
        {"fc00::/7 ; fe80::/10 ; fd12:3456::/16", 1, ""},
        {"fc00::/6", 0, "fc00::/6"},
        {"2000::/3", 0, "2000::/3"},
        /* public-suffix wildcards and regular expressions */
        {"*.com", 0, "*.com"},
        {"*com ; example.jp", 0, "*com"},
        {"^.*\\.jp$", 0, "^.*\\.jp$"},
        {"*.example.jp ; example.com ; @[] ; localhost", 1, ""},
    };
    mr_hc_rule r;
    memset(&r, 0, sizeof(r));
    r.judge = MR_HC_NARROW;
    r.limit = 8;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char bad[64];
        assert_int_equal(mr_hc_judge_value(&r, cases[i].value, bad,
                                           sizeof(bad)), cases[i].pass);
        assert_string_equal(bad, cases[i].bad);
    }
    char tiny[4];    /* offenders beyond the buffer: still a failure */
    assert_int_equal(mr_hc_judge_value(&r, "0.0.0.0/0 ::/0", tiny,
                                       sizeof(tiny)), 0);
}

/* systemd's sizes and the time an archived journal file's name carries,
 * as tables. */
static void journald_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        long long v;
    } sizes[] = {
        {"4096", 4096}, {"50M", 50LL << 20}, {"1G", 1LL << 30},
        {"2T", 2LL << 40}, {"512K", 512LL << 10}, {"10MiB", -1},
        {"7 G", 7LL << 30}, {"100B", 100}, {"", -1}, {"lots", -1},
        {"5X", -1}, {"-1M", -1}, {"1.5G", 3LL << 29}, {"9E", -1},
        {"99999999999999999999", -1}, {"1G extra", -1},
        /* parse_size's decimals and parts (issue 14, h31) */
        {"3.5 K", 3584}, {" 4 M 11.5K", (4LL << 20) + 11776}, {"10.M", 10LL << 20},
        {"1G 512M", (1LL << 30) + (512LL << 20)}, {"512M 1G", -1}, {"5MB", -1},
        {"1G 5", (1LL << 30) + 5}, {"50M ", 50LL << 20}, {"1.5.5G", -1}, {"+5M", -1},
    };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        assert_true(mr_hc_size(sizes[i].s) == sizes[i].v);
    static const struct {
        const char *name;
        long long t;
    } names[] = {
        {"system@00112233445566778899aabbccddeeff-0000000000000001-"
         "0005f3c2d1e0a123.journal", 0x0005f3c2d1e0a123LL / 1000000},
        {"user-1000@00112233445566778899aabbccddeeff-00000000000000aa-"
         "00060000000f4240.journal", 0x00060000000f4240LL / 1000000},
        {"system.journal", -1},
        {"system@x-1-0005f3c2d1e0a123.journal~", -1},
        {"system@x-1-0005F3C2D1E0A123.journal", -1},
        {"system@x-1-005f3c2d1e0a123.journal", -1},
        {"@-0005f3c2d1e0a123.journal", 0x0005f3c2d1e0a123LL / 1000000},
        {"nope-0005f3c2d1e0a123.journal", -1},
        {".journal", -1},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        assert_true(mr_hc_journal_head(names[i].name) == names[i].t);
}

/* Every rule's view is known, and the password view is what `mamori
 * password policy` always reported (its checks, and sshd's there only). */
static void views(void **state)
{
    (void)state;
    size_t n, pw = 0, both = 0;
    const mr_hc_rule *r = mr_hc_rules(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(r[i].view != 0);
        assert_true((r[i].view & ~(MR_HC_VIEW_HOST | MR_HC_VIEW_PASSWORD)) ==
                    0);
        if (!(r[i].view & MR_HC_VIEW_PASSWORD))
            continue;
        pw++;
        both += (r[i].view & MR_HC_VIEW_HOST) != 0;
        assert_true(strncmp(r[i].check, "password.policy-", 16) == 0);
        if (r[i].source == MR_HC_SSHD || r[i].source == MR_HC_LOGINDEFS)
            assert_false(r[i].view & MR_HC_VIEW_HOST);
    }
    assert_int_equal(pw, 8);
    assert_int_equal(both, 4);
}

static void sshd_lines(void **state)
{
    (void)state;
    static const char *const keys[] = {"PermitRootLogin", "X11Forwarding",
                                       "Ciphers", "Banner", "MaxAuthTries",
                                       NULL};
    mr_hc_config *c = fresh(keys);
    static const char cfg[] =
        "# comment\n"
        "  permitrootlogin=no\r\n"
        "PermitRootLogin yes\n"           /* later: ignored, as sshd */
        "Match User backup\n"
        "X11Forwarding yes\n"              /* Match body: not global */
        "Match all\n"
        "X11Forwarding no\n"
        "Banner \"/etc/issue net\"\n"
        "Ciphers aes128-cbc,aes256-ctr\n"
        "MaxAuthTries";                    /* no value, no newline */
    mr_hc_buffer(c, "cfg", cfg, sizeof(cfg) - 1, mr_hc_sshd_line);
    mr_hc_setting *s = mr_hc_get(c, "PermitRootLogin");
    assert_true(s->found);
    assert_string_equal(s->value, "no");
    assert_int_equal(s->line, 2);
    s = mr_hc_get(c, "X11Forwarding");
    assert_string_equal(s->value, "no");
    assert_int_equal(s->line, 7);
    assert_string_equal(mr_hc_get(c, "Banner")->value, "/etc/issue net");
    assert_string_equal(mr_hc_get(c, "Ciphers")->value,
                        "aes128-cbc,aes256-ctr");
    assert_true(mr_hc_get(c, "MaxAuthTries")->found);
    assert_string_equal(mr_hc_get(c, "MaxAuthTries")->value, "");
    free(c);
}

static void hostile_lines(void **state)
{
    (void)state;
    static const char *const keys[] = {"PermitRootLogin", NULL};
    mr_hc_config *c = fresh(keys);
    size_t n = 100000;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'A', n);
    memcpy(big, "PermitRootLogin ", 16);
    mr_hc_buffer(c, "big", big, n, mr_hc_sshd_line);
    mr_hc_setting *s = mr_hc_get(c, "PermitRootLogin");
    assert_true(s->found);
    assert_true(strlen(s->value) < MR_HC_VALUE_MAX);
    free(c);
    c = fresh(keys);
    static const char nul[] = "PermitRootLogin n\0yes\n";
    mr_hc_buffer(c, "nul", nul, sizeof(nul) - 1, mr_hc_sshd_line);
    assert_string_equal(mr_hc_get(c, "PermitRootLogin")->value, "n");
    free(c);
    free(big);
}

static void sysctl_lines(void **state)
{
    (void)state;
    static const char *const keys[] = {"net.ipv4.ip_forward",
                                       "kernel.randomize_va_space", NULL};
    mr_hc_config *c = fresh(keys);
    static const char cfg[] = "; comment\n"
                              "net.ipv4.ip_forward = 1\n"
                              "net/ipv4/ip_forward=0\n"
                              "-kernel.randomize_va_space =  2  \n"
                              "garbage line\n"
                              "=\n";
    mr_hc_buffer(c, "s", cfg, sizeof(cfg) - 1, mr_hc_sysctl_line);
    mr_hc_setting *s = mr_hc_get(c, "net.ipv4.ip_forward");
    assert_string_equal(s->value, "0");
    assert_int_equal(s->line, 3);
    assert_string_equal(mr_hc_get(c, "kernel.randomize_va_space")->value,
                        "2");
    free(c);
}

static void put(const char *dir, const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void includes(void **state)
{
    (void)state;
    char dir[] = "/tmp/mamori-test-hc.XXXXXX";
    char p[512];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof(p), "%s/etc", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/etc/ssh", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof(p), "%s/etc/ssh/d", dir);
    mkdir(p, 0755);
    put(dir, "etc/ssh/sshd_config",
        "Include d/*.conf\nInclude /etc/ssh/sshd_config\n"
        "PermitRootLogin yes\nX11Forwarding yes\n");
    put(dir, "etc/ssh/d/10-a.conf", "Match User x\nPermitRootLogin no\n");
    put(dir, "etc/ssh/d/20-b.conf", "X11Forwarding no\n");
    mamori_sysroot *sr = NULL;
    assert_int_equal(mamori_sysroot_new(dir, &sr), MAMORI_OK);
    static const char *const keys[] = {"PermitRootLogin", "X11Forwarding",
                                       NULL};
    mr_hc_config *c = fresh(keys);
    c->sr = sr;
    mr_hc_sshd_file(c, "/etc/ssh/sshd_config");
    /* 10-a's Match ends with its file: 20-b is global again */
    assert_string_equal(mr_hc_get(c, "X11Forwarding")->value, "no");
    assert_non_null(strstr(mr_hc_get(c, "X11Forwarding")->file, "20-b.conf"));
    /* the self-include stops at the depth; the main file's line wins */
    assert_string_equal(mr_hc_get(c, "PermitRootLogin")->value, "yes");
    assert_true(c->files <= MR_HC_FILES_MAX);
    free(c);
    mamori_sysroot_free(sr);
    snprintf(p, sizeof(p), "rm -rf '%s'", dir);
    assert_int_equal(system(p), 0);
}

static void rule_table(void **state)
{
    (void)state;
    size_t n;
    const mr_hc_rule *r = mr_hc_rules(&n);
    assert_true(n >= 28);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(mamori_check_find(r[i].check));
        assert_non_null(r[i].fix);
        assert_non_null(r[i].file);
        assert_non_null(r[i].setting);
        assert_true(r[i].file[0] == '/');
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(r[i].id, r[k].id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sshd_time),
        cmocka_unit_test(sshd_lines),
        cmocka_unit_test(hostile_lines),
        cmocka_unit_test(sysctl_lines),
        cmocka_unit_test(includes),
        cmocka_unit_test(rule_table),
        cmocka_unit_test(sudoers_lines),
        cmocka_unit_test(base64),
        cmocka_unit_test(spans),
        cmocka_unit_test(all_in),
        cmocka_unit_test(narrow),
        cmocka_unit_test(journald_sizes),
        cmocka_unit_test(views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
