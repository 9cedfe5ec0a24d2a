/*
 * cmd_patch.c — `mamori patch`: is this machine (or the system under
 * --root DIR) patched: updates waiting, stale package lists, automatic
 * updates, restarts needed, the release's support, and with --tracker
 * FILE the known vulnerabilities of the Debian security tracker's export
 * (lib/patch, patch.h).
 * `--compare-versions` is a filter for scripts and tests: "A B" pairs on
 * standard input, one answer a line on standard output: -1, 0 or 1 as
 * dpkg orders them, or "error" for a line that is not two valid
 * versions (explained on standard error with its line number).
 */
#include "common.h"

#include "cli.h"
#include "commands.h"
#include "mamori/patch.h"

enum { OPT_ROOT = 512, OPT_COMPARE, OPT_TRACKER, OPT_OSV, OPT_RPM };

#define PAIR_LINE_MAX (2 * MAMORI_DEBVERSION_MAX + 16)

static const cli_option patch_options[] = {
    {"root", OPT_ROOT, "DIR", "review DIR (an image or container root)\n"
                              "instead of this machine", CLI_COMPLETE_DIR},
    {"tracker", OPT_TRACKER, "FILE",
     "match the Debian security tracker's JSON\n"
     "export (plain, .gz or .zst): known CVEs",
     CLI_COMPLETE_FILE},
    {"osv", OPT_OSV, "DIR|ZIP",
     "match the OSV records in DIR or in a ZIP\n"
     "(osv.dev's all.zip of Debian, Rocky Linux\n"
     "or AlmaLinux): known CVEs, days exposed,\n"
     "patching cadence", CLI_COMPLETE_FILE},
    {"compare-versions", OPT_COMPARE, NULL,
     "read \"A B\" pairs on standard input and\n"
     "print -1, 0 or 1 per line (Debian order)", NULL},
    {"rpm", OPT_RPM, NULL, "--compare-versions: RPM's order (rpmvercmp)",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const patch_checks[] = {"patch.", NULL};

const cli_command cli_cmd_patch = {
    .name = "patch",
    .synopsis =
        "usage: mamori patch [options] [--root DIR]\n"
        "       mamori patch --compare-versions [--rpm] < pairs\n"
        "\n"
        "Is this machine patched? Updates waiting in apt's lists (security\n"
        "ones apart), package lists not refreshed for a week, automatic\n"
        "updates off or not running, a reboot or service restart needed, and\n"
        "a release past its security support; with --tracker, known CVEs whose\n"
        "fix is out but not installed. Offline: reads dpkg's and apt's own files.\n"
        "\n",
    .options = patch_options,
    .common = CLI_C_REPORT,
    .check_prefixes = patch_checks,
    .examples = "  mamori patch\n"
                "  mamori patch --root /mnt/image --format json\n"
                "  mamori patch --tracker debian-security-tracker.json.gz\n"
                "  mamori patch --osv osv-debian/\n"
                "  echo '1.0~rc1 1.0' | mamori patch --compare-versions\n",
};

typedef struct patch_cmd {
    cli_opts o;
    const char *root;
    const char *tracker;
    const char *osv;
    int compare, rpm;
} patch_cmd;

static int own_option(void *user, int c, const char *arg)
{
    patch_cmd *p = user;
    if (c == OPT_ROOT)
        p->root = arg;
    else if (c == OPT_TRACKER)
        p->tracker = arg;
    else if (c == OPT_OSV)
        p->osv = arg;
    else if (c == OPT_RPM)
        p->rpm = 1;
    else if (c == OPT_COMPARE)
        p->compare = 1;
    return 0;
}

/* Splits a line into two blank-separated words; 0 when it is not two. */
static int two_words(const char *s, size_t n, const char **a, size_t *an,
                     const char **b, size_t *bn)
{
    size_t i = 0;
#define BLANK(c) ((c) == ' ' || (c) == '\t' || (c) == '\r')
    while (i < n && BLANK(s[i]))
        i++;
    *a = s + i;
    while (i < n && !BLANK(s[i]))
        i++;
    *an = (size_t)(s + i - *a);
    while (i < n && BLANK(s[i]))
        i++;
    *b = s + i;
    while (i < n && !BLANK(s[i]))
        i++;
    *bn = (size_t)(s + i - *b);
    while (i < n && BLANK(s[i]))
        i++;
#undef BLANK
    return *an && *bn && i == n;
}

static int compare_versions(patch_cmd *p)
{
    char line[PAIR_LINE_MAX];
    uint64_t full, lineno = 0;
    int rc, bad = 0;
    while ((rc = mamori_read_line(stdin, line, sizeof(line), &full)) > 0) {
        lineno++;
        const char *a, *b, *why = "not two versions";
        size_t an, bn;
        int r = 0;
        if (full >= sizeof(line)) {
            why = "line too long";
        } else if (memchr(line, '\0', (size_t)full)) {
            why = "NUL byte in the line";
        } else if (two_words(line, (size_t)full, &a, &an, &b, &bn) &&
                   (p->rpm ? mamori_rpmversion_compare(a, an, b, bn, &r)
                           : mamori_debversion_compare(a, an, b, bn, &r,
                                                       &why)) == MAMORI_OK) {
            printf("%d\n", r);
            continue;
        }
        bad++;
        fputs("error\n", stdout);
        cli_diag_print(p->o.prog, MAMORI_DIAG_WARN, "-", lineno, why);
    }
    if (rc < 0) {
        cli_error(&p->o, "reading standard input: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    if (fflush(stdout) != 0)
        return CLI_EXIT_USAGE;
    return bad ? CLI_EXIT_USAGE : CLI_EXIT_OK;
}

int cmd_patch(int argc, char **argv)
{
    patch_cmd p;
    memset(&p, 0, sizeof(p));
    cli_opts_init(&p.o, "mamori patch");
    int status = cli_parse(&p.o, argc, argv, &cli_cmd_patch, own_option, &p);
    if (status != CLI_CONTINUE)
        return status;
    if (optind < argc) {
        cli_error(&p.o, "patch takes no arguments (--root DIR names another "
                        "system)");
        return CLI_EXIT_USAGE;
    }
    if (p.rpm && !p.compare) {
        cli_error(&p.o, "--rpm applies to --compare-versions only");
        return CLI_EXIT_USAGE;
    }
    if (p.compare) {
        if (p.root || p.tracker || p.osv) {
            cli_error(&p.o, "--compare-versions reads standard input: --root, "
                            "--tracker and --osv do not apply");
            return CLI_EXIT_USAGE;
        }
        return compare_versions(&p);
    }
    mamori_sysroot *host = NULL;
    mamori_err e = mamori_sysroot_new(p.root, &host);
    if (e) {
        cli_error(&p.o, "cannot open the root %s: %s", p.root,
                  e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return CLI_EXIT_USAGE;
    }
    char *inputs[1] = {(char *)p.tracker};
    cli_set_inputs(&p.o, p.tracker ? 1 : 0, inputs);
    if ((status = cli_run_begin(&p.o)) != 0) {
        mamori_sysroot_free(host);
        return status;
    }
    mamori_sink sink = cli_sink(&p.o);
    mamori_patch *pt = NULL;
    mamori_patch_opts popts = {.tracker = p.tracker, .osv = p.osv};
    e = mamori_patch_new(&p.o.ctx, &popts, &pt);
    if (!e) {
        e = mamori_patch_host(pt, host, &sink);
        mamori_err f = mamori_patch_finish(pt, &sink);
        if (!e)
            e = f;
    }
    if (e && e != MAMORI_E_ABORTED)
        p.o.input_errors++;
    mamori_patch_free(pt);
    mamori_sysroot_free(host);
    return cli_run_end(&p.o);
}
