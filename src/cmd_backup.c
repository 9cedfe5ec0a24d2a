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
#include "mamori/history.h"

enum { OPT_ROOT = CLI_OWN_CODE_MIN, OPT_CONFIG, OPT_VERIFY, OPT_DRILL,
       OPT_SAMPLE, OPT_TIMEOUT, OPT_SUBSET, OPT_NO_MEMO };

typedef struct backup_cmd {
    cli_opts o;
    const char *root;
    int no_memo;
    char state[CLI_PATH_MAX];
    mamori_backup_opts bopts;
} backup_cmd;

static const cli_option backup_options[] = {
    {"config", OPT_CONFIG, "FILE",
     "the declaration to judge (a file of this\n"
     "machine) instead of /etc/mamori/backup.conf", CLI_COMPLETE_FILE},
    {"root", OPT_ROOT, "DIR", "review the system under DIR (a mounted image,\n"
                              "a container's root) instead of /",
     CLI_COMPLETE_DIR},
    {"verify", OPT_VERIFY, NULL,
     "run each repository's check (restic check\n"
     "--read-data-subset 1/10, borg check\n"
     "--verify-data on the newest archive)", NULL},
    {"verify-subset", OPT_SUBSET, "SUBSET",
     "--verify: the part of restic's data read\n"
     "(n/t, n% or nG: restic check's\n"
     "--read-data-subset; default 1/10)", NULL},
    {"drill", OPT_DRILL, NULL,
     "restore a sample of the newest snapshot into\n"
     "a private temporary directory and compare it", NULL},
    {"sample", OPT_SAMPLE, "N", "files a drill restores (default 100, at\n"
                                "most 1000)", NULL},
    {"timeout", OPT_TIMEOUT, "SECONDS",
     "the longest one restic or borg run may take\n"
     "(default 300)", NULL},
    {"no-memo", OPT_NO_MEMO, NULL,
     "run restic for every repository, even when\n"
     "none of its snapshot files changed since the\n"
     "last run (its listing is kept beside the\n"
     "history, in backup/)", NULL},
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
                "  sudo mamori backup --verify --drill --sample 1000\n"
                "  mamori backup --config examples/backup.conf --format json\n"
                "  mamori backup --root /mnt/image\n",
};

/* A whole decimal number from 1 to max; -1 otherwise. */
static long number(const char *s, long max)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > max)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v >= 1 && v <= max ? v : -1;
}

static int own_option(void *user, int c, const char *arg)
{
    backup_cmd *b = user;
    long v;
    switch (c) {
    case OPT_ROOT: b->root = arg; return 0;
    case OPT_CONFIG: b->bopts.config = arg; return 0;
    case OPT_VERIFY: b->bopts.verify = 1; return 0;
    case OPT_DRILL: b->bopts.drill = 1; return 0;
    case OPT_NO_MEMO: b->no_memo = 1; return 0;
    case OPT_SUBSET:
        /* restic reads it as an argument of its own: digits and n/t,
         * n%, nM/nG/nT only, so nothing else reaches its argv. */
        if (!*arg || strspn(arg, "0123456789/%.MGT") != strlen(arg) ||
            strlen(arg) > 32) {
            cli_error(&b->o, "--verify-subset takes n/t, n%% or a size such "
                             "as 2G, not '%s'", arg);
            return CLI_EXIT_USAGE;
        }
        b->bopts.verify_subset = arg;
        return 0;
    case OPT_SAMPLE:
        if ((v = number(arg, 1000)) < 0) {
            cli_error(&b->o, "--sample takes a number of files from 1 to "
                             "1000, not '%s'", arg);
            return CLI_EXIT_USAGE;
        }
        b->bopts.sample = (unsigned)v;
        return 0;
    case OPT_TIMEOUT:
        if ((v = number(arg, 86400)) < 0) {
            cli_error(&b->o, "--timeout takes seconds from 1 to 86400, not "
                             "'%s'", arg);
            return CLI_EXIT_USAGE;
        }
        b->bopts.timeout = (unsigned)v;
        return 0;
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
    if (b.bopts.verify_subset && !b.bopts.verify) {
        cli_error(&b.o, "--verify-subset applies to --verify only");
        return CLI_EXIT_USAGE;
    }
    if (b.bopts.sample && !b.bopts.drill) {
        cli_error(&b.o, "--sample applies to --drill only");
        return CLI_EXIT_USAGE;
    }
    if (optind < argc) {
        cli_error(&b.o, "backup takes no arguments (--config FILE names the "
                        "declaration)");
        return CLI_EXIT_USAGE;
    }
    /* restic's listings are kept beside the history (backup/): where
     * `mamori audit` keeps its state. */
    char *slash;
    if (!b.no_memo &&
        mamori_history_default_path(b.state, sizeof(b.state)) == MAMORI_OK &&
        (slash = strrchr(b.state, '/')) &&
        (size_t)(slash - b.state) + sizeof("/backup") <= sizeof(b.state)) {
        memcpy(slash, "/backup", sizeof("/backup"));
        b.bopts.state_dir = b.state;
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
