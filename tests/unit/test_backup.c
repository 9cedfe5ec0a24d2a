/*
 * test_backup.c — the parts of `mamori backup` (lib/backup) below the
 * command: the INI declaration (keys, continuations, every error with its
 * line, limits, a NUL byte, an over-long line, a byte order mark) and the
 * job lines of cron files and systemd units (tools, repositories,
 * passwords hidden from the evidence). Whole runs on fixture roots and
 * real restic and borg repositories are in t1000-backup.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backup/backup_int.h"

static mr_backup_decl *parse(const char *s, size_t n)
{
    mr_backup_decl *d = malloc(sizeof(*d));
    assert_non_null(d);
    mr_backup_decl_parse(s, n, d);
    return d;
}

static void decl_good(void **state)
{
    (void)state;
    static const char conf[] =
        "\xEF\xBB\xBF; comment\n"
        "[protect www]\n"
        "paths = /srv/www\n"
        "  /etc/nginx, /etc/ssl   ; continued\n"
        "[protect db]\n"
        "paths=/var/lib/pg\n"
        "[copy a]\n"
        "kind = restic\n"
        "location = sftp:u@h:/r\n"
        "protects = www db\n"
        "role = offsite\n"
        "rpo = 2d\n"
        "retention = 30\n"
        "password-file = /etc/p\n"
        "append-only = yes\n"
        "[copy b]\n"
        "kind = dir\n"
        "location = /mnt/b\n";
    mr_backup_decl *d = parse(conf, sizeof(conf) - 1);
    assert_int_equal(d->nerrors, 0);
    assert_int_equal(d->nprotect, 2);
    assert_int_equal(d->protect[0].npaths, 3);
    assert_string_equal(d->protect[0].paths[2], "/etc/ssl");
    assert_int_equal(d->ncopy, 2);
    mr_backup_copy *c = &d->copy[0];
    assert_int_equal(c->kind, MR_BACKUP_KIND_RESTIC);
    assert_int_equal(c->role, MR_BACKUP_ROLE_OFFSITE);
    assert_int_equal(c->rpo, 2 * 86400);
    assert_int_equal(c->retention, 30);
    assert_int_equal(c->nprotects, 2);
    assert_int_equal(c->append_only, 1);
    assert_string_equal(c->password_file, "/etc/p");
    assert_int_equal(d->copy[1].rpo, MAMORI_BACKUP_RPO_DEFAULT);
    assert_int_equal(d->copy[1].append_only, -1);
    assert_int_equal(d->copy[1].nprotects, 0);
    free(d);
}

static void decl_errors(void **state)
{
    (void)state;
    char conf[1024];
    size_t n = 0;
    n += (size_t)snprintf(conf + n, sizeof(conf) - n,
                          "key = outside\n"        /* 1 */
                          "[copy x]\n"             /* 2 */
                          "kind = borg\n"          /* 3 */
                          "kind = restic\n"        /* 4 */
                          "location = /r\n"        /* 5 */
                          "rpo = 0h\n"             /* 6 */
                          "location = ");          /* 7: over-long */
    memset(conf + n, 'a', 300);
    n += 300;
    conf[n++] = '\n';
    memcpy(conf + n, "role = pri\0mary\n", 16);    /* 8: a NUL */
    n += 16;
    n += (size_t)snprintf(conf + n, sizeof(conf) - n,
                          "password-file = a\n"    /* 9 */
                          "[copy]\n"               /* 10 */
                          "[protect p\n");         /* 11 */
    mr_backup_decl *d = parse(conf, n);
    static const uint64_t lines[] = {1, 4, 6, 7, 8, 9, 10, 11};
    assert_int_equal(d->nerrors, (sizeof(lines) / sizeof(lines[0])));
    for (size_t i = 0; i < (sizeof(lines) / sizeof(lines[0])); i++)
        assert_int_equal(d->errors[i].line, lines[i]);
    /* The copy keeps what was right. */
    assert_int_equal(d->ncopy, 1);
    assert_int_equal(d->copy[0].kind, MR_BACKUP_KIND_BORG);
    assert_string_equal(d->copy[0].location, "/r");
    free(d);
    /* Nothing at all. */
    d = parse("", 0);
    assert_int_equal(d->nerrors, 1);
    assert_int_equal(d->errors[0].line, 0);
    free(d);
}

static void decl_limits(void **state)
{
    (void)state;
    size_t cap = 200 * 40;
    char *conf = malloc(cap);
    assert_non_null(conf);
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(conf + n, cap - n, "[protect p%d]\npaths = /a\n",
                              i);
    mr_backup_decl *d = parse(conf, n);
    assert_int_equal(d->nprotect, MR_BACKUP_PROTECT_MAX);
    assert_int_equal(d->nerrors, MR_BACKUP_ERRORS_MAX);
    assert_int_equal(d->more_errors, 200 - MR_BACKUP_PROTECT_MAX -
                                         MR_BACKUP_ERRORS_MAX);
    free(d);
    free(conf);
}

static void job_lines(void **state)
{
    (void)state;
    mr_backup_job j;
    const char *l = "0 3 * * * root RESTIC_PASSWORD=s3cret restic "
                    "--repo=/r backup --password-file /p";
    assert_int_equal(mr_backup_job_line(l, strlen(l), 0, &j), 1);
    assert_string_equal(j.tool, "restic");
    assert_string_equal(j.repository, "/r");
    assert_null(strstr(j.evidence, "s3cret"));
    assert_non_null(strstr(j.evidence, "RESTIC_PASSWORD=<hidden>"));
    l = "ExecStart=/usr/bin/borg create 'ssh://h/./r::{now}' /etc";
    assert_int_equal(mr_backup_job_line(l, strlen(l), 1, &j), 1);
    assert_string_equal(j.tool, "borg");
    assert_string_equal(j.repository, "ssh://h/./r");
    l = "Description=restic backup";   /* not what a unit runs */
    assert_int_equal(mr_backup_job_line(l, strlen(l), 1, &j), 0);
    l = "# 0 3 * * * restic backup";
    assert_int_equal(mr_backup_job_line(l, strlen(l), 0, &j), 0);
    l = "0 1 * * * tar cf /b/x.tar /etc";
    assert_int_equal(mr_backup_job_line(l, strlen(l), 0, &j), 1);
    assert_string_equal(j.repository, "/b/x.tar");
    l = "0 1 * * * echo restictest";
    assert_int_equal(mr_backup_job_line(l, strlen(l), 0, &j), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decl_good),
        cmocka_unit_test(decl_errors),
        cmocka_unit_test(decl_limits),
        cmocka_unit_test(job_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
