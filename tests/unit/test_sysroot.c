/*
 * test_sysroot.c — the root-aware reader (lib/host/sysroot.c) on a tree
 * built in a temporary directory: reads stay inside the root whatever
 * the image's symlinks say (absolute links to /etc/shadow, runs of "..",
 * a linked directory, loops), reads are bounded, missing files and
 * FIFOs are errors, listings and globs are sorted and skip dotfiles.
 * Every case runs twice: through openat2(RESOLVE_IN_ROOT) and through
 * the component walk used where the kernel lacks it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/sysroot.h"

#define SHADOW "root:fixture-not-the-host:19000:0:99999:7:::\n"

static char root[256];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static void link_(const char *target, const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "%s/mamori-sysroot.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    assert_non_null(mkdtemp(root));
    dir("etc");
    dir("etc/pam.d");
    dir("etc/ssh");
    dir("etc/ssh/sshd_config.d");
    dir("var");
    dir("var/log");
    put("etc/shadow", SHADOW);
    put("etc/login.defs", "# comment\nENCRYPT_METHOD SHA512\r\nUMASK 022");
    put("etc/pam.d/common-auth", "auth required pam_unix.so\n");
    put("etc/pam.d/common-password", "password required pam_unix.so\n");
    put("etc/pam.d/.hidden", "x\n");
    put("etc/ssh/sshd_config.d/50-cloud.conf", "PasswordAuthentication yes\n");
    put("etc/ssh/sshd_config.d/10-a.conf", "x\n");
    put("etc/ssh/sshd_config.d/README", "x\n");
    /* escapes an image might hold */
    link_("/etc/shadow", "etc/abs-shadow");
    link_("../../../../../../../../etc/shadow", "etc/dotdot-shadow");
    link_("/etc", "var/etc-link");
    link_("/", "var/top");
    link_("loop-b", "etc/loop-a");
    link_("loop-a", "etc/loop-b");
    link_("/nonexistent/x", "etc/dangling");
    link_("../etc/pam.d", "var/pam-rel");
    char p[512];
    snprintf(p, sizeof(p), "%s/etc/fifo", root);
    assert_int_equal(mkfifo(p, 0600), 0);
    /* one byte over a 4 KiB bound */
    char *big = malloc(4098);
    assert_non_null(big);
    memset(big, 'a', 4097);
    big[4097] = '\0';
    put("etc/big", big);
    free(big);
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag,
                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    (void)state;
    return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static mamori_sysroot *open_root(int walk)
{
    mamori_sysroot *sr = NULL;
    assert_int_equal(mamori_sysroot_new(root, &sr), MAMORI_OK);
    mr_sysroot_force_walk(sr, walk);
    return sr;
}

static void expect_text(mamori_sysroot *sr, const char *path,
                        const char *want)
{
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(mr_sysroot_read(sr, path, 0, &data, &len), MAMORI_OK);
    assert_int_equal(len, strlen(want));
    assert_string_equal(data, want);
    free(data);
}

static void escapes_both(int walk)
{
    mamori_sysroot *sr = open_root(walk);
    expect_text(sr, "/etc/shadow", SHADOW);
    expect_text(sr, "/etc/abs-shadow", SHADOW);
    expect_text(sr, "/etc/dotdot-shadow", SHADOW);
    expect_text(sr, "/var/etc-link/shadow", SHADOW);
    expect_text(sr, "/var/top/var/top/etc/shadow", SHADOW);
    expect_text(sr, "/../../../etc/shadow", SHADOW);
    expect_text(sr, "etc/../../etc/shadow", SHADOW);
    expect_text(sr, "/var/pam-rel/common-auth", "auth required pam_unix.so\n");
    char out[MAMORI_SYSROOT_PATH_MAX], want[MAMORI_SYSROOT_PATH_MAX];
    assert_int_equal(mamori_sysroot_resolve(sr, "/var/etc-link/abs-shadow",
                                            out, sizeof(out)), MAMORI_OK);
    snprintf(want, sizeof(want), "%s/etc/shadow", root);
    assert_string_equal(out, want);
    assert_int_equal(mamori_sysroot_resolve(sr, "/var/top", out, sizeof(out)),
                     MAMORI_OK);
    snprintf(want, sizeof(want), "%s/", root);
    assert_string_equal(out, want);
    mamori_sysroot_free(sr);
}

static void escapes(void **state)
{
    (void)state;
    escapes_both(0);
    escapes_both(1);
}

static void errors_both(int walk)
{
    mamori_sysroot *sr = open_root(walk);
    char *data = (char *)1;
    size_t len = 1;
    assert_int_equal(mr_sysroot_read(sr, "/etc/missing", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, ENOENT);
    assert_null(data);
    assert_int_equal(mr_sysroot_read(sr, "/etc/dangling", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(mr_sysroot_read(sr, "/etc/loop-a", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, ELOOP);
    assert_int_equal(mr_sysroot_read(sr, "/etc/pam.d", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, EISDIR);
    /* a FIFO is refused at once, never waited on */
    assert_int_equal(mr_sysroot_read(sr, "/etc/fifo", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(mr_sysroot_read(sr, "/etc/shadow/x", 0, &data, &len),
                     MAMORI_E_IO);
    assert_int_equal(errno, ENOTDIR);
    assert_int_equal(mr_sysroot_read(sr, "/etc/big", 4096, &data, &len),
                     MAMORI_E_TOO_LARGE);
    assert_null(data);
    assert_int_equal(mr_sysroot_read(sr, "/etc/big", 4097, &data, &len),
                     MAMORI_OK);
    assert_int_equal(len, 4097);
    free(data);
    assert_true(mr_sysroot_exists(sr, "/etc/abs-shadow"));
    assert_false(mr_sysroot_exists(sr, "/etc/dangling"));
    struct stat st;
    assert_int_equal(mr_sysroot_stat(sr, "/var/etc-link", &st), MAMORI_OK);
    assert_true(S_ISDIR(st.st_mode));
    mamori_sysroot_free(sr);
}

static void errors(void **state)
{
    (void)state;
    errors_both(0);
    errors_both(1);
}

typedef struct seen {
    int n;
    char lines[8][64];
    uint64_t nos[8];
} seen;

static int on_line(void *user, char *line, size_t len, uint64_t no)
{
    seen *s = user;
    assert_int_equal(strlen(line), len);
    snprintf(s->lines[s->n], sizeof(s->lines[0]), "%s", line);
    s->nos[s->n++] = no;
    return 0;
}

static int stop_at_two(void *user, char *line, size_t len, uint64_t no)
{
    (void)line;
    (void)len;
    *(uint64_t *)user = no;
    return no == 2;
}

static void lines(void **state)
{
    (void)state;
    mamori_sysroot *sr = open_root(0);
    seen s;
    memset(&s, 0, sizeof(s));
    assert_int_equal(mr_sysroot_lines(sr, "/etc/login.defs", 0, on_line, &s),
                     MAMORI_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.lines[0], "# comment");
    assert_string_equal(s.lines[1], "ENCRYPT_METHOD SHA512\r");
    assert_string_equal(s.lines[2], "UMASK 022");   /* no final newline */
    assert_int_equal(s.nos[2], 3);
    uint64_t last = 0;
    assert_int_equal(mr_sysroot_lines(sr, "/etc/login.defs", 0, stop_at_two,
                                      &last), MAMORI_E_ABORTED);
    assert_int_equal(last, 2);
    mamori_sysroot_free(sr);
}

static void listing_both(int walk)
{
    mamori_sysroot *sr = open_root(walk);
    mr_sysroot_names l;
    assert_int_equal(mr_sysroot_list(sr, "/etc/pam.d", NULL, &l), MAMORI_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "common-auth");
    assert_string_equal(l.names[1], "common-password");
    mr_sysroot_names_free(&l);
    assert_int_equal(mr_sysroot_glob(sr, "/etc/pam.d/*", &l), MAMORI_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "/etc/pam.d/common-auth");
    mr_sysroot_names_free(&l);
    assert_int_equal(mr_sysroot_glob(sr, "/etc/ssh/sshd_config.d/*.conf", &l),
                     MAMORI_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.names[0], "/etc/ssh/sshd_config.d/10-a.conf");
    assert_string_equal(l.names[1], "/etc/ssh/sshd_config.d/50-cloud.conf");
    mr_sysroot_names_free(&l);
    /* through a link that tries to leave the root */
    assert_int_equal(mr_sysroot_glob(sr, "/var/etc-link/pam.d/common-*", &l),
                     MAMORI_OK);
    assert_int_equal(l.n, 2);
    mr_sysroot_names_free(&l);
    assert_int_equal(mr_sysroot_glob(sr, "/etc/none.d/*", &l), MAMORI_OK);
    assert_int_equal(l.n, 0);
    mr_sysroot_names_free(&l);
    assert_int_equal(mr_sysroot_list(sr, "/etc/none.d", NULL, &l),
                     MAMORI_E_IO);
    mamori_sysroot_free(sr);
}

static void listing(void **state)
{
    (void)state;
    listing_both(0);
    listing_both(1);
}

static void live_and_names(void **state)
{
    (void)state;
    mamori_sysroot *sr = NULL;
    char out[MAMORI_SYSROOT_PATH_MAX];
    assert_int_equal(mamori_sysroot_new(NULL, &sr), MAMORI_OK);
    assert_true(mamori_sysroot_is_live(sr));
    assert_null(mamori_sysroot_root(sr));
    assert_int_equal(mamori_sysroot_display(sr, "/etc/login.defs", out,
                                            sizeof(out)), MAMORI_OK);
    assert_string_equal(out, "/etc/login.defs");
    assert_int_equal(mamori_sysroot_display(sr, "etc/x", out, sizeof(out)),
                     MAMORI_OK);
    assert_string_equal(out, "/etc/x");
    assert_true(mr_sysroot_exists(sr, "/proc/self/status"));
    mamori_sysroot_free(sr);
    assert_int_equal(mamori_sysroot_new("///", &sr), MAMORI_OK);
    assert_true(mamori_sysroot_is_live(sr));
    mamori_sysroot_free(sr);

    char given[300];
    snprintf(given, sizeof(given), "%s//", root);
    assert_int_equal(mamori_sysroot_new(given, &sr), MAMORI_OK);
    assert_false(mamori_sysroot_is_live(sr));
    assert_string_equal(mamori_sysroot_root(sr), root);
    assert_int_equal(mamori_sysroot_display(sr, "/etc/login.defs", out,
                                            sizeof(out)), MAMORI_OK);
    char want[400];
    snprintf(want, sizeof(want), "%s/etc/login.defs", root);
    assert_string_equal(out, want);
    assert_int_equal(mamori_sysroot_display(sr, "/etc/login.defs", out, 8),
                     MAMORI_E_TOO_LARGE);
    mamori_sysroot_free(sr);
    assert_int_equal(mamori_sysroot_new("/nonexistent-root-dir", &sr),
                     MAMORI_E_IO);
    assert_null(sr);
    mamori_sysroot_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes),
        cmocka_unit_test(errors),
        cmocka_unit_test(lines),
        cmocka_unit_test(listing),
        cmocka_unit_test(live_and_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
