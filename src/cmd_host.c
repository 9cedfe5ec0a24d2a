/*
 * cmd_host.c — `mamori host`: reviews this machine's settings (or those
 * of an offline root, --root DIR) as IPA's basics ask: sshd's effective
 * configuration, accounts, the modes of the identity files, kernel
 * settings and legacy services. Each finding names the file and line that
 * decided it and the exact change to make. The review is the library's
 * (mamori/hostcheck.h); this file parses options and picks the writer.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "commands.h"
#include "mamori/hostcheck.h"

enum {
    OPT_ROOT = CLI_OWN_CODE_MIN,
    OPT_CONFIGURED,
    OPT_EXCEPTIONS,
    OPT_BASELINE,
    OPT_SAVE_BASELINE,
    OPT_LOG_DAYS
};

typedef struct host_cmd {
    cli_opts o;
    const char *root;
    const char *save_baseline;
    mamori_hostcheck_opts hopts;
} host_cmd;

static const cli_option host_options[] = {
    {"root", OPT_ROOT, "DIR", "review the system under DIR (a mounted image,\n"
                              "a container's root) instead of /",
     CLI_COMPLETE_DIR},
    {"configured", OPT_CONFIGURED, NULL,
     "judge the settings as configured (sysctl.d,\n"
     "sshd_config), not the running values of /proc/sys\n"
     "and sshd -T", NULL},
    {"exceptions", OPT_EXCEPTIONS, "FILE",
     "accepted deviations, one a line:\n"
     "ID [PATH] [until=YYYY-MM-DD] # reason; what one\n"
     "covers is reported as accepted, not hidden",
     CLI_COMPLETE_FILE},
    {"baseline", OPT_BASELINE, "FILE",
     "compare with a saved review: new findings marked,\n"
     "fixed ones listed in the summary", CLI_COMPLETE_FILE},
    {"save-baseline", OPT_SAVE_BASELINE, "FILE",
     "record this review's findings for --baseline", CLI_COMPLETE_FILE},
    {"log-days", OPT_LOG_DAYS, "N",
     "the days of logs an investigation needs (log\n"
     "rotation, journald's limits; default 90; the fix\n"
     "texts name the default)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const host_checks[] = {"host.", NULL};

const cli_command cli_cmd_host = {
    .name = "host",
    .synopsis =
        "usage: mamori host [options] [--root DIR]\n"
        "\n"
        "Reviews this machine's settings as IPA's basics ask (table 1.1,\n"
        "reviewing settings; the common measures for servers): sshd's\n"
        "effective configuration (sshd -T on this machine, else sshd_config\n"
        "with Include and Match) and host keys, accounts, sudo and lockout,\n"
        "the modes of system files, world-writable and unowned SUID files,\n"
        "root's PATH, kernel settings (sysctl.d, and /proc/sys on this\n"
        "machine), legacy services, time sync, logs and their retention,\n"
        "malware scanner, integrity database and firewall. Each finding\n"
        "names the file and line and the exact fix.\n"
        "Accepted deviations (--exceptions) are reported as accepted; a\n"
        "saved review (--save-baseline) tells what changed since\n"
        "(--baseline).\n"
        "\n",
    .options = host_options,
    .common = CLI_C_REPORT,
    .check_prefixes = host_checks,
    .examples = "  sudo mamori host\n"
                "  mamori host --root /mnt/image --format json\n"
                "  sudo mamori host --exceptions /etc/mamori/host.exceptions\n"
                "  sudo mamori host --baseline last.base --save-baseline "
                "now.base\n",
};

static int own_option(void *user, int c, const char *arg)
{
    host_cmd *h = user;
    switch (c) {
    case OPT_ROOT: h->root = arg; return 0;
    case OPT_CONFIGURED: h->hopts.configured_only = 1; return 0;
    case OPT_EXCEPTIONS: h->hopts.exceptions = arg; return 0;
    case OPT_BASELINE: h->hopts.baseline = arg; return 0;
    case OPT_SAVE_BASELINE: h->save_baseline = arg; return 0;
    case OPT_LOG_DAYS: {
        char *end = NULL;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v == 0 || v > MAMORI_HOSTCHECK_LOG_DAYS_MAX) {
            cli_error(&h->o, "--log-days takes 1 to %d", MAMORI_HOSTCHECK_LOG_DAYS_MAX);
            return CLI_EXIT_USAGE;
        }
        h->hopts.log_days = (unsigned)v;
        return 0;
    }
    default: return CLI_EXIT_USAGE;
    }
}

int cmd_host(int argc, char **argv)
{
    host_cmd h;
    memset(&h, 0, sizeof(h));
    cli_opts_init(&h.o, "mamori host");
    int r = cli_parse(&h.o, argc, argv, &cli_cmd_host, own_option, &h);
    if (r != CLI_CONTINUE)
        return r;
    if (optind < argc) {
        cli_error(&h.o, "host takes no arguments (--root DIR names another "
                        "root)");
        return CLI_EXIT_USAGE;
    }
    int status = cli_run_begin(&h.o);
    if (status)
        return status;
    mamori_sink sink = cli_sink(&h.o);
    mamori_sysroot *sr = NULL;
    mamori_hostcheck *hc = NULL;
    mamori_err e = mamori_sysroot_new(h.root, &sr);
    if (e) {
        cli_error(&h.o, "cannot open the root: %s",
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        h.o.input_errors++;
        return cli_run_end(&h.o);
    }
    if ((e = mamori_hostcheck_new(&h.o.ctx, &h.hopts, &hc)) == MAMORI_OK) {
        e = mamori_hostcheck_host(hc, sr, &sink);
        mamori_err f = mamori_hostcheck_finish(hc, &sink);
        if (!e)
            e = f;
    }
    if (e && e != MAMORI_E_ABORTED)
        h.o.input_errors++;
    if (!e && h.save_baseline) {
        /* written whole or not at all (a temporary renamed into place) */
        cli_outfile of;
        if (cli_out_open(&h.o, h.save_baseline, &of) != 0) {
            h.o.input_errors++;
        } else {
            int ok = mamori_hostcheck_save_baseline(hc, of.f) == MAMORI_OK;
            if (cli_out_close(&h.o, &of, ok) != 0 || !ok)
                h.o.input_errors++;
        }
    }
    mamori_hostcheck_free(hc);
    mamori_sysroot_free(sr);
    return cli_run_end(&h.o);
}
