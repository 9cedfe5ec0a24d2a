/*
 * cmd_exposure.c — `mamori exposure`: which services of this machine
 * other hosts can reach and whether they let strangers in (METI's second
 * item, Network Security): every listening socket with its process, unit
 * and bind scope, the nftables ruleset's verdict for each, the risky
 * services named by the catalogue and confirmed by short probes. The
 * review is the library's (mamori/exposure.h); this file parses options
 * and picks the writer.
 */
#include "common.h"

#include <getopt.h>

#include "cli.h"
#include "commands.h"
#include "mamori/exposure.h"

enum {
    OPT_ROOT = CLI_OWN_CODE_MIN,
    OPT_NO_PROBE,
    OPT_NO_FIREWALL,
    OPT_RULESET,
    OPT_PROBE_MS,
    OPT_AUTH_LOG,
    OPT_SCAN,
    OPT_PORTS,
    OPT_TOP,
    OPT_RATE,
    OPT_CONCURRENCY,
    OPT_HOST_MS,
    OPT_NO_UDP
};

#define XP_AUTH_LOGS_MAX 64 /* --auth-log given at most */

#define XP_PROBE_MS_MAX 60000u /* a probe's deadline at most: one minute */

typedef struct exposure_cmd {
    cli_opts o;
    const char *root;
    mamori_exposure_opts xopts;
    const char *logs[XP_AUTH_LOGS_MAX + 1];
    size_t nlogs;
    int scan;
} exposure_cmd;

static const cli_option exposure_options[] = {
    {"root", OPT_ROOT, "DIR", "review the system under DIR (no live sockets\n"
                              "there: the firewalls it configures are\n"
                              "judged on their own)",
     CLI_COMPLETE_DIR},
    {"no-probe", OPT_NO_PROBE, NULL,
     "do not connect to the listeners (no probes)", NULL},
    {"no-firewall", OPT_NO_FIREWALL, NULL,
     "do not read the firewall (every listener: filtered unknown)", NULL},
    {"ruleset", OPT_RULESET, "FILE",
     "read the nftables ruleset from FILE (the output of\n"
     "`nft -j list ruleset`) instead of the live one",
     CLI_COMPLETE_FILE},
    {"probe-timeout", OPT_PROBE_MS, "MS",
     "deadline of one probe in milliseconds (default 300)", NULL},
    {"auth-log", OPT_AUTH_LOG, "FILE",
     "an auth log to read for login attacks on SSH: SSH\n"
     "open to all with passwords on, under attack, is\n"
     "critical (repeatable)",
     CLI_COMPLETE_FILE},
    {"scan", OPT_SCAN, NULL,
     "scan the hosts and ranges named as arguments\n"
     "(ADDRESS or ADDRESS/PREFIX: your own) instead of\n"
     "reviewing this machine",
     NULL},
    {"ports", OPT_PORTS, "LIST",
     "--scan these ports (22,80,8000-8100; 1-65535 for\n"
     "all); default: the 1000 most frequent of nmap-services\n"
     "and the risky services' ports",
     NULL},
    {"top", OPT_TOP, "N", "--scan the N most frequent ports (default 1000)",
     NULL},
    {"rate", OPT_RATE, "N",
     "--scan: connects started per second at most\n(default 20000)", NULL},
    {"concurrency", OPT_CONCURRENCY, "N",
     "--scan: connects in flight at most (default 512)", NULL},
    {"host-timeout", OPT_HOST_MS, "MS",
     "--scan: all ports of one host within MS\n(default 120000)", NULL},
    {"no-udp", OPT_NO_UDP, NULL,
     "--scan: TCP only (no DNS, NTP, SNMP questions)", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const exposure_checks[] = {"exposure.", NULL};

const cli_command cli_cmd_exposure = {
    .name = "exposure",
    .synopsis =
        "usage: mamori exposure [options]\n"
        "       mamori exposure --scan [options] TARGET...\n"
        "\n"
        "Lists every listening TCP socket and bound UDP socket of this\n"
        "machine (IPv4 and IPv6) with its process, systemd unit and scope\n"
        "(loopback, one address, all), asks the nftables ruleset whether\n"
        "other hosts may reach it, and reports the risky services they can\n"
        "reach (Telnet, FTP, SMB, RDP, databases, Redis, memcached, Docker\n"
        "and Kubernetes APIs, open mail relays...), probing them over their\n"
        "own address to see whether they let strangers in. Secrets are never\n"
        "reported. The firewalls configured to load at boot (nftables.conf,\n"
        "iptables-persistent, ufw, firewalld) are read too.\n"
        "With --scan, a TCP connect scan of your own hosts and ranges\n"
        "instead, with the same findings for what it finds open.\n"
        "\n",
    .options = exposure_options,
    .common = CLI_C_REPORT,
    .check_prefixes = exposure_checks,
    .examples = "  sudo mamori exposure\n"
                "  sudo mamori exposure --format json --no-probe\n"
                "  mamori exposure --scan 192.0.2.0/24 --ports 1-65535\n",
};

/* An unsigned option value in [1, max] into *out. */
static int number(exposure_cmd *x, const char *name, const char *arg,
                  unsigned long max, unsigned *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || v == 0 || v > max) {
        cli_error(&x->o, "--%s takes 1 to %lu", name, max);
        return CLI_EXIT_USAGE;
    }
    *out = (unsigned)v;
    return 0;
}

static int own_option(void *user, int c, const char *arg)
{
    exposure_cmd *x = user;
    switch (c) {
    case OPT_SCAN: x->scan = 1; return 0;
    case OPT_NO_UDP: x->xopts.scan_no_udp = 1; return 0;
    case OPT_PORTS: x->xopts.scan_ports = arg; return 0;
    case OPT_TOP: return number(x, "top", arg, 65535, &x->xopts.scan_top);
    case OPT_RATE:
        return number(x, "rate", arg, 1000000, &x->xopts.scan_rate);
    case OPT_CONCURRENCY:
        return number(x, "concurrency", arg, 16384,
                      &x->xopts.scan_concurrency);
    case OPT_HOST_MS:
        return number(x, "host-timeout", arg, 86400000,
                      &x->xopts.scan_host_ms);
    case OPT_ROOT: x->root = arg; return 0;
    case OPT_NO_PROBE: x->xopts.no_probe = 1; return 0;
    case OPT_NO_FIREWALL: x->xopts.no_firewall = 1; return 0;
    case OPT_RULESET: x->xopts.ruleset_file = arg; return 0;
    case OPT_AUTH_LOG:
        if (x->nlogs >= XP_AUTH_LOGS_MAX) {
            cli_error(&x->o, "--auth-log: at most %d logs",
                      XP_AUTH_LOGS_MAX);
            return CLI_EXIT_USAGE;
        }
        x->logs[x->nlogs++] = arg;
        x->xopts.auth_logs = x->logs;
        return 0;
    case OPT_PROBE_MS: {
        char *end = NULL;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno || end == arg || *end || v == 0 || v > XP_PROBE_MS_MAX) {
            cli_error(&x->o, "--probe-timeout takes 1 to %u milliseconds",
                      XP_PROBE_MS_MAX);
            return CLI_EXIT_USAGE;
        }
        x->xopts.probe_ms = (unsigned)v;
        return 0;
    }
    default: return CLI_EXIT_USAGE;
    }
}

int cmd_exposure(int argc, char **argv)
{
    exposure_cmd x;
    memset(&x, 0, sizeof(x));
    cli_opts_init(&x.o, "mamori exposure");
    int r = cli_parse(&x.o, argc, argv, &cli_cmd_exposure, own_option, &x);
    if (r != CLI_CONTINUE)
        return r;
    if (!x.scan && optind < argc) {
        cli_error(&x.o, "exposure takes no arguments (--scan TARGET... "
                        "scans hosts)");
        return CLI_EXIT_USAGE;
    }
    if (x.scan && optind >= argc) {
        cli_error(&x.o, "--scan needs at least one ADDRESS or "
                        "ADDRESS/PREFIX");
        return CLI_EXIT_USAGE;
    }
    int status = cli_run_begin(&x.o);
    if (status)
        return status;
    mamori_sink sink = cli_sink(&x.o);
    mamori_sysroot *sr = NULL;
    mamori_exposure *xp = NULL;
    mamori_err e = mamori_sysroot_new(x.root, &sr);
    if (e) {
        cli_error(&x.o, "cannot open the root: %s",
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        x.o.input_errors++;
        return cli_run_end(&x.o);
    }
    if ((e = mamori_exposure_new(&x.o.ctx, &x.xopts, &xp)) == MAMORI_OK) {
        e = x.scan ? mamori_exposure_scan(xp, sr,
                                          (const char *const *)argv + optind,
                                          (size_t)(argc - optind), &sink)
                   : mamori_exposure_host(xp, sr, &sink);
        mamori_err f = mamori_exposure_finish(xp, &sink);
        if (!e)
            e = f;
    }
    if (e && e != MAMORI_E_ABORTED)
        x.o.input_errors++;
    mamori_exposure_free(xp);
    mamori_sysroot_free(sr);
    return cli_run_end(&x.o);
}
