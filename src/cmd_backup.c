/*
 * cmd_backup.c — `mamori backup`: are the backups there, recent,
 * separate, unalterable and restorable (IPA's 3-2-1-1-0 rule)? The
 * declaration (/etc/mamori/backup.conf, or --config FILE) names what is
 * protected and every copy; without one, the backup jobs of cron and
 * systemd are reported. The review is the library's (mamori/backup.h);
 * this file parses options and picks the writer.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "commands.h"
#include "mamori/backup.h"

enum { OPT_ROOT = CLI_OWN_CODE_MIN, OPT_CONFIG };

typedef struct backup_cmd {
    cli_opts o;
    const char *root;
    mamori_backup_opts bopts;
} backup_cmd;

static const cli_option backup_options[] = {
    {"config", OPT_CONFIG, "FILE",
     "the declaration to judge (a file of this\n"
     "machine) instead of /etc/mamori/backup.conf", CLI_COMPLETE_FILE},
    {"root", OPT_ROOT, "DIR", "review the system under DIR (a mounted image,\n"
                              "a container's root) instead of /",
     CLI_COMPLETE_DIR},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const backup_checks[] = {"backup.", NULL};

const cli_command cli_cmd_backup = {
    .name = "backup",
    .synopsis =
        "usage: mamori backup [options] [--config FILE] [--root DIR]\n"
        "\n"
        "Are the backups there, recent, separate, unalterable and restorable?\n"
        "The 3-2-1-1-0 rule of IPA's guidance: three copies, two media, one\n"
        "off site, one offline or immutable, zero errors when restored. The\n"
        "declaration (/etc/mamori/backup.conf, see man mamori-backup) names\n"
        "what is protected and every copy; without one, the backup jobs of\n"
        "cron and systemd are reported as found and what is missing.\n"
        "\n",
    .options = backup_options,
    .common = CLI_C_REPORT,
    .check_prefixes = backup_checks,
    .examples = "  sudo mamori backup\n"
                "  mamori backup --config examples/backup.conf --format json\n"
                "  mamori backup --root /mnt/image\n",
};

static int own_option(void *user, int c, const char *arg)
{
    backup_cmd *b = user;
    switch (c) {
    case OPT_ROOT: b->root = arg; return 0;
    case OPT_CONFIG: b->bopts.config = arg; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

int cmd_backup(int argc, char **argv)
{
    backup_cmd b;
    memset(&b, 0, sizeof(b));
    cli_opts_init(&b.o, "mamori backup");
    int r = cli_parse(&b.o, argc, argv, &cli_cmd_backup, own_option, &b);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&b.o, "backup takes no arguments (--config FILE names the "
                        "declaration)");
        return CLI_EXIT_USAGE;
    }
    int status = cli_run_begin(&b.o);
    if (status)
        return status;
    mamori_sink sink = cli_sink(&b.o);
    mamori_sysroot *sr = NULL;
    mamori_backup *bk = NULL;
    mamori_err e = mamori_sysroot_new(b.root, &sr);
    if (e) {
        cli_error(&b.o, "cannot open the root: %s",
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        b.o.input_errors++;
        return cli_run_end(&b.o);
    }
    if ((e = mamori_backup_new(&b.o.ctx, &b.bopts, &bk)) == MAMORI_OK) {
        e = mamori_backup_host(bk, sr, &sink);
        mamori_err f = mamori_backup_finish(bk, &sink);
        if (!e)
            e = f;
    }
    if (e && e != MAMORI_E_ABORTED)
        b.o.input_errors++;
    mamori_backup_free(bk);
    mamori_sysroot_free(sr);
    return cli_run_end(&b.o);
}
