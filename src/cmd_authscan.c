/*
 * cmd_authscan.c — `mamori authscan`: login attacks in SSH, FTP and
 * web-login logs and the systemd journal. Declares its options (the
 * table below, read by cli.c), feeds every input to one scanner, and with
 * --emit writes the offending sources as a block list file (nftables
 * set, fail2ban-readable list, hosts.deny). It only writes that file: it
 * never touches the firewall.
 */
#include "common.h"

#include <arpa/inet.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mamori/authscan.h"

enum {
    OPT_JOURNAL = 600, OPT_JOURNAL_DIR, OPT_ALLOW, OPT_HOURS, OPT_LOGIN_PATH,
    OPT_EMIT, OPT_EMIT_FILE, OPT_MEMORY, OPT_PRIVILEGED, OPT_THRESHOLD, OPT_FOLLOW
};

#define AS_CLI_LIST_MAX 64

static const cli_option authscan_options[] = {
    CLI_HEADING("inputs"),
    {"journal", OPT_JOURNAL, NULL, "this machine's systemd journal", NULL},
    {"journal-dir", OPT_JOURNAL_DIR, "DIR",
     "journal files copied from another machine", CLI_COMPLETE_DIR},
    {"login-path", OPT_LOGIN_PATH, "P[:S]",
     "a web login path and the statuses that mean\n"
     "success (default 3xx); repeatable; replaces the\n"
     "built-in WordPress/Drupal/Devise/Django paths", NULL},
    {"follow", OPT_FOLLOW, NULL,
     "follow links to directories outside the one\n"
     "given (skipped by default, with a note)", NULL},
    CLI_HEADING("checks on successful logins"),
    {"allow", OPT_ALLOW, "CIDR",
     "logins are expected from here only (repeatable)", NULL},
    {"hours", OPT_HOURS, "H-H", "usual login hours, e.g. 8-19 or 22-6", NULL},
    {"privileged", OPT_PRIVILEGED, "NAME",
     "privileged account (repeatable; default root, toor)", NULL},
    CLI_HEADING("thresholds (defaults and their reasons: man mamori-authscan)"),
    {"threshold", OPT_THRESHOLD, "NAME=N",
     "bf-failures=5 bf-window=600 enum-accounts=5\n"
     "spray-accounts=5 spray-per-account=3\n"
     "stuffing-accounts=20 stuffing-sources=3\n"
     "stuffing-window=3600 distributed-sources=10\n"
     "distributed-failures=20 breakin-failures=5\n"
     "breakin-other-accounts=3 long-session=43200",
     "bf-failures= bf-window= enum-accounts= spray-accounts= "
     "spray-per-account= stuffing-accounts= stuffing-sources= "
     "stuffing-window= distributed-sources= distributed-failures= "
     "breakin-failures= breakin-other-accounts= long-session="},
    {"memory", OPT_MEMORY, "MB", "memory for the state tables (default 256)",
     NULL},
    CLI_HEADING("block list"),
    {"emit", OPT_EMIT, "KIND", "nft, fail2ban or hosts-deny",
     "nft fail2ban hosts-deny"},
    {"emit-file", OPT_EMIT_FILE, "FILE",
     "where to write it (required with --emit);\n"
     "written as -o is: whole, never through a\n"
     "symbolic link or over an input", CLI_COMPLETE_FILE},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const authscan_checks[] = {"auth.", NULL};

const cli_command cli_cmd_authscan = {
    .name = "authscan",
    .synopsis =
        "usage: mamori authscan [options] [FILE|DIR|-]...\n"
        "\n"
        "Finds login attacks in SSH (sshd), FTP (vsftpd, ProFTPD, Pure-FTPd)\n"
        "and web-login logs and in the systemd journal, grouped into campaigns:\n"
        "brute force, user enumeration, password spraying, list-based attacks\n"
        "(credential stuffing) across sources, distributed brute force; and the\n"
        "logins that matter: successes after an attack (break-ins), root logins\n"
        "by password, logins outside --allow or --hours, anonymous FTP, long\n"
        "sessions. Syslog files (auth.log, secure; any timestamp form), vsftpd's\n"
        "own log and web access logs are told apart per file; .gz and .zst are\n"
        "read; directories recursively; standard input for '-'. With no input\n"
        "named it stops with a usage error ('mamori audit' reads this\n"
        "machine's usual sources).\n"
        "\n",
    .options = authscan_options,
    .common = CLI_C_REPORT | CLI_C_PROGRESS | CLI_C_TIME | CLI_C_THREADS,
    .check_prefixes = authscan_checks,
    .operands = CLI_COMPLETE_FILE,
    .examples =
        "  mamori authscan --journal\n"
        "  mamori authscan /var/log/auth.log* /var/log/vsftpd.log --hours 8-20\n"
        "  mamori authscan --format json access.log | jq 'select(.category==\"break-in\")'\n"
        "  mamori authscan /var/log --emit nft --emit-file /tmp/mamori-block.nft\n",
};

typedef struct threshold_name {
    const char *name;
    size_t off;
    int is64;
} threshold_name;

#define TH(n, field, w) {n, offsetof(mamori_authscan_opts, field), w}
static const threshold_name thresholds[] = {
    TH("bf-failures", bf_failures, 0), TH("bf-window", bf_window, 1),
    TH("enum-accounts", enum_accounts, 0), TH("spray-accounts", spray_accounts, 0),
    TH("spray-per-account", spray_per_account, 0),
    TH("stuffing-accounts", stuffing_accounts, 0),
    TH("stuffing-sources", stuffing_sources, 0),
    TH("stuffing-window", stuffing_window, 1),
    TH("distributed-sources", distributed_sources, 0),
    TH("distributed-failures", distributed_failures, 0),
    TH("breakin-failures", breakin_failures, 0),
    TH("breakin-other-accounts", breakin_other_accounts, 0),
    TH("long-session", long_session, 1),
};

static int parse_num(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || v < 1 || v > max || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

static int set_threshold(cli_opts *o, mamori_authscan_opts *ao, const char *arg)
{
    const char *eq = strchr(arg, '=');
    unsigned long long v;
    for (size_t i = 0; eq && i < MR_ARRAY_LEN(thresholds); i++) {
        if (strlen(thresholds[i].name) != (size_t)(eq - arg) ||
            strncmp(arg, thresholds[i].name, (size_t)(eq - arg)) != 0)
            continue;
        if (parse_num(eq + 1, thresholds[i].is64 ? 100000000ULL : 1000000ULL, &v))
            break;
        char *field = (char *)ao + thresholds[i].off;
        if (thresholds[i].is64) {
            int64_t x = (int64_t)v;
            memcpy(field, &x, sizeof(x));
        } else {
            unsigned x = (unsigned)v;
            memcpy(field, &x, sizeof(x));
        }
        return 0;
    }
    cli_error(o, "--threshold wants NAME=N with a known NAME and N >= 1 "
                 "(see --help): '%s'", arg);
    return -1;
}

static int parse_hours(const char *s, int *from, int *to)
{
    unsigned long long a, b;
    char buf[16];
    const char *dash = strchr(s, '-');
    if (!dash || (size_t)(dash - s) >= sizeof(buf))
        return -1;
    memcpy(buf, s, (size_t)(dash - s));
    buf[dash - s] = 0;
    if ((strcmp(buf, "0") == 0 ? (a = 0, 0) : parse_num(buf, 23, &a)) ||
        (strcmp(dash + 1, "0") == 0 ? (b = 0, 0) : parse_num(dash + 1, 24, &b)) ||
        a == b)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* ---- --emit ----------------------------------------------------------- */

/* Never the source of a packet: the limited broadcast address (RFC 1122)
 * and a multicast address (RFC 4291). They stand in an empty nft set. */
#define NFT_NONE_V4 "255.255.255.255"
#define NFT_NONE_V6 "ff00::"

typedef struct emit_state {
    FILE *f;
    int kind;                /* 0 nft, 1 fail2ban, 2 hosts-deny */
    unsigned long n4, n6;
    int pass;                /* nft writes v4 then v6 */
} emit_state;

/* Only well-formed addresses reach a block list: a source is a log's
 * bytes, and a host name or junk must not become a firewall rule. */
static int addr_family(const char *a, const char **norm)
{
    unsigned char buf[16];
    *norm = a;
    if (strncasecmp(a, "::ffff:", 7) == 0 && inet_pton(AF_INET, a + 7, buf) == 1) {
        *norm = a + 7;
        return 4;
    }
    if (inet_pton(AF_INET, a, buf) == 1)
        return 4;
    if (inet_pton(AF_INET6, a, buf) == 1)
        return 6;
    return 0;
}

static int emit_one(void *user, const char *addr)
{
    emit_state *st = user;
    const char *a;
    int fam = addr_family(addr, &a);
    if (!fam)
        return 0;
    switch (st->kind) {
    case 0:
        if ((st->pass == 4) != (fam == 4))
            return 0;
        fprintf(st->f, "%s\t%s", (fam == 4 ? st->n4++ : st->n6++) ? ",\n" : "", a);
        return 0;
    case 1:
        fprintf(st->f, "%s\n", a);
        break;
    default:
        fprintf(st->f, fam == 6 ? "ALL: [%s]\n" : "ALL: %s\n", a);
        break;
    }
    st->n4++;
    return 0;
}

/* Writes the block list through cli_out_open() (never over an input or
 * through a link, complete or not at all). -1 on any write error. */
static int write_emit(cli_opts *o, mamori_authscan *as, int kind, const char *path)
{
    emit_state st = {.kind = kind};
    cli_outfile of;
    if (cli_out_open(o, path, &of) != 0)
        return -1;
    st.f = of.f;
    static const char *const head[] = {
        "# nftables sets of the sources mamori authscan found attacking logins.\n"
        "# Load into a table of yours with: nft -f FILE (after reviewing it).\n"
        "# nft refuses an empty set, so a set with no source holds one address\n"
        "# that is never a packet's source (" NFT_NONE_V4 ", " NFT_NONE_V6 ").\n",
        "# Sources mamori authscan found attacking logins, one address a line\n"
        "# (fail2ban-client set JAIL banip ADDRESS..., or any list reader).\n",
        "# hosts.deny lines for the sources mamori authscan found attacking\n"
        "# logins (for services built with tcp_wrappers). Review before use.\n"};
    fputs(head[kind], st.f);
    if (kind == 0) {
        fputs("define mamori_block_v4 = {\n", st.f);
        st.pass = 4;
        mamori_authscan_offenders(as, emit_one, &st);
        if (st.n4 == 0)
            fputs("\t" NFT_NONE_V4, st.f);
        fputs("\n}\ndefine mamori_block_v6 = {\n", st.f);
        st.pass = 6;
        mamori_authscan_offenders(as, emit_one, &st);
        if (st.n6 == 0)
            fputs("\t" NFT_NONE_V6, st.f);
        fputs("\n}\n", st.f);
    } else {
        mamori_authscan_offenders(as, emit_one, &st);
    }
    return cli_out_close(o, &of, 1);
}

typedef struct authscan_cli {
    cli_opts o;
    mamori_authscan_opts ao;
    const char *allow[AS_CLI_LIST_MAX], *paths_login[AS_CLI_LIST_MAX],
        *priv[AS_CLI_LIST_MAX], *journal_dirs[AS_CLI_LIST_MAX];
    size_t njdirs;
    int journal, emit_kind;
    const char *emit_file;
} authscan_cli;

static int own_option(void *user, int c, const char *arg)
{
    authscan_cli *a = user;
    unsigned long long mb;
    switch (c) {
    case OPT_JOURNAL:
        a->journal = 1;
        return 0;
    case OPT_FOLLOW:
        a->ao.follow = 1;
        return 0;
    case OPT_JOURNAL_DIR:
    case OPT_ALLOW:
    case OPT_LOGIN_PATH:
    case OPT_PRIVILEGED: {
        const char **list = c == OPT_JOURNAL_DIR ? a->journal_dirs
                          : c == OPT_ALLOW ? a->allow
                          : c == OPT_LOGIN_PATH ? a->paths_login : a->priv;
        size_t *n = c == OPT_JOURNAL_DIR ? &a->njdirs
                  : c == OPT_ALLOW ? &a->ao.nallow
                  : c == OPT_LOGIN_PATH ? &a->ao.nlogin_paths : &a->ao.nprivileged;
        if (*n >= AS_CLI_LIST_MAX) {
            cli_error(&a->o, "too many repeated options (at most %d each)",
                      AS_CLI_LIST_MAX);
            return CLI_EXIT_USAGE;
        }
        list[(*n)++] = arg;
        return 0;
    }
    case OPT_HOURS:
        if (parse_hours(arg, &a->ao.hours_from, &a->ao.hours_to)) {
            cli_error(&a->o, "--hours wants FROM-TO in hours 0..24, e.g. 8-19 or 22-6");
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_THRESHOLD:
        if (set_threshold(&a->o, &a->ao, arg))
            return CLI_EXIT_USAGE;
        return 0;
    case OPT_MEMORY:
        if (parse_num(arg, 1048576, &mb) || mb < 4) {
            cli_error(&a->o, "--memory wants megabytes, from 4 to 1048576");
            return CLI_EXIT_USAGE;
        }
        a->ao.memory_budget = (size_t)mb << 20;
        return 0;
    case OPT_EMIT:
        if (strcmp(arg, "nft") == 0)
            a->emit_kind = 0;
        else if (strcmp(arg, "fail2ban") == 0)
            a->emit_kind = 1;
        else if (strcmp(arg, "hosts-deny") == 0)
            a->emit_kind = 2;
        else {
            cli_error(&a->o, "--emit wants nft, fail2ban or hosts-deny");
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_EMIT_FILE:
        a->emit_file = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

int cmd_authscan(int argc, char **argv)
{
    authscan_cli a;
    int status;

    memset(&a, 0, sizeof(a));
    a.emit_kind = -1;
    cli_opts_init(&a.o, "mamori authscan");
    status = cli_parse(&a.o, argc, argv, &cli_cmd_authscan, own_option, &a);
    if (status != CLI_CONTINUE)
        return status;
    if ((a.emit_kind >= 0) != (a.emit_file != NULL)) {
        cli_error(&a.o, "--emit and --emit-file go together");
        return CLI_EXIT_USAGE;
    }
    a.ao.allow = a.allow;
    a.ao.login_paths = a.ao.nlogin_paths ? a.paths_login : NULL;
    a.ao.privileged = a.ao.nprivileged ? a.priv : NULL;
    char **paths = argv + optind;
    int npaths = argc - optind;
    if (npaths == 0 && !a.journal && a.njdirs == 0) {
        /* Reading nothing would end in a clean "files read 0": no input
         * named is a usage error, whatever standard input is. */
        cli_error(&a.o, "nothing to read. Name log files or directories, '-' "
                      "for standard input, or --journal; 'mamori audit' reads "
                      "this machine's usual sources. See 'mamori authscan --help'.");
        return CLI_EXIT_USAGE;
    }
    cli_set_inputs(&a.o, npaths, paths);
    if ((status = cli_run_begin(&a.o)) != 0)
        return status;
    mamori_authscan *as = NULL;
    mamori_err e = mamori_authscan_new(&a.o.ctx, &a.ao, &as);
    if (e) {
        if (e != MAMORI_E_INVAL)
            cli_error(&a.o, "cannot start the scan: %s", mamori_strerror(e));
        cli_run_end(&a.o);
        return CLI_EXIT_USAGE;
    }
    int bad_input = 0;
    if (a.journal && mamori_authscan_journal(as, NULL) == MAMORI_E_IO)
        bad_input = 1;
    for (size_t i = 0; i < a.njdirs; i++)
        if (mamori_authscan_journal(as, a.journal_dirs[i]) == MAMORI_E_IO)
            bad_input = 1;
    for (int i = 0; i < npaths; i++) {
        e = mamori_authscan_path(as, paths[i]);
        if (e && e != MAMORI_E_FORMAT)
            bad_input = 1;
    }
    mamori_sink sink = cli_sink(&a.o);
    mamori_authscan_finish(as, &sink);
    /* A block list that could not be written is exit 2 whatever was
     * found: whoever loads it must not take a partial list for the whole. */
    int write_failed = a.emit_kind >= 0 &&
                       write_emit(&a.o, as, a.emit_kind, a.emit_file) != 0;
    mamori_authscan_free(as);
    status = cli_run_end(&a.o);
    if (write_failed)
        return CLI_EXIT_USAGE;
    return bad_input && status == CLI_EXIT_OK ? CLI_EXIT_USAGE : status;
}
