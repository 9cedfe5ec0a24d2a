/*
 * cmd_password.c — `mamori password`: check passwords as IPA's guidance
 * asks (check), find reused, weak and breached passwords in a password
 * manager's export (audit), and review this machine's password settings
 * (policy). `info` says what the built-in word lists were built from.
 *
 * check reads without echo on a terminal, or one password a line with
 * --stdin (one JSON object a line out). It never prints a password. Every
 * buffer that held one is wiped before it is freed or reused.
 */
#include "common.h"

#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "mamori/password.h"

enum {
    OPT_STDIN = 512, OPT_POLICY, OPT_MFA, OPT_USER, OPT_NAME, OPT_EMAIL,
    OPT_SERVICE, OPT_BREACH, OPT_ROOT
};

#define PW_LINE_MAX (MAMORI_PASSWORD_MAX + 2)  /* a password, \r\n */

/* What check and audit share: the policy and the breach list. */
#define PW_POLICY_OPTIONS \
    {"policy", OPT_POLICY, "P", "ipa (default), nist, or a policy FILE", \
     "ipa nist @file"}, \
    {"mfa", OPT_MFA, NULL, "nist: the account uses MFA (8 characters)", NULL}, \
    {"breach-list", OPT_BREACH, "FILE", \
     "also reject passwords in FILE: one a line,\n" \
     "or the Pwned Passwords SHA-1 or NTLM\n" \
     "download (HASH:COUNT lines)", CLI_COMPLETE_FILE}

static const cli_option check_options[] = {
    {"stdin", OPT_STDIN, NULL, "one password per line from stdin", NULL},
    PW_POLICY_OPTIONS,
    CLI_HEADING("context the password must not contain"),
    {"user", OPT_USER, "U", "the account name", NULL},
    {"name", OPT_NAME, "N", "the person's name", NULL},
    {"email", OPT_EMAIL, "E", "the mail address", NULL},
    {"service", OPT_SERVICE, "S", "the site or service", NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const cli_option check_common_help[] = {
    {"format", 0, NULL, "text (default) or json (--stdin: JSON Lines only)",
     NULL},
    {"lang", 0, NULL, "language of the feedback: en or ja (default: from\n"
                      "LANG/LC_ALL)", NULL},
    {"quiet", 0, NULL, "no notes on standard error (e.g. about the breach\nlist)",
     NULL},
    {NULL, 0, NULL, NULL, NULL},
};

static const cli_option audit_options[] = {
    PW_POLICY_OPTIONS,
    {NULL, 0, NULL, NULL, NULL},
};

static const cli_option policy_options[] = {
    {"root", OPT_ROOT, "DIR", "review DIR instead of /", CLI_COMPLETE_DIR},
    {NULL, 0, NULL, NULL, NULL},
};

static const char *const audit_checks[] = {
    "password.breached", "password.reused", "password.weak", NULL};
static const char *const policy_checks[] = {"password.policy-", NULL};

const cli_command cli_cmd_password_check = {
    .name = "password check",
    .synopsis =
        "usage: mamori password check [options]        (prompts, no echo)\n"
        "       mamori password check --stdin [options] < passwords\n"
        "\n"
        "Judges a password as IPA's guidance asks: long, hard to guess, no\n"
        "names, dates, sequences, keyboard patterns, dictionary words, default\n"
        "or breached passwords. It never prints the password.\n"
        "--stdin: one password a line in, one JSON object a line out:\n"
        "{\"accepted\":..,\"score\":0-4,\"guesses_log10\":..,\"reasons\":[..],\n"
        "\"feedback\":\"..\"}\n"
        "\n",
    .options = check_options,
    .common = CLI_C_FORMAT | CLI_C_LANG | CLI_C_QUIET,
    .formats = CLI_FORMATS_TEXT_JSON,
    .common_help = check_common_help,
    .exit_status = "\nexit status: 0 accepted (with --stdin: every one), 1 "
                   "rejected, 2 usage error.\n",
    .examples =
        "  mamori password check --user taro --name 'Taro Yamada'\n"
        "  mamori password check --stdin --lang ja < candidates.txt\n",
};

const cli_command cli_cmd_password_audit = {
    .name = "password audit",
    .synopsis =
        "usage: mamori password audit [options] EXPORT.csv...\n"
        "\n"
        "Reads Chrome/Edge, Firefox, Bitwarden, KeePassXC or 1Password CSV\n"
        "exports: reused, weak and breached passwords (sites only; the\n"
        "passwords are never shown).\n"
        "\n",
    .options = audit_options,
    .common = CLI_C_REPORT,
    .check_prefixes = audit_checks,
    .operands = CLI_COMPLETE_FILE,
    .examples = "  mamori password audit --format html -o pw.html chrome.csv\n",
};

const cli_command cli_cmd_password_policy = {
    .name = "password policy",
    .synopsis =
        "usage: mamori password policy [options] [--root DIR]\n"
        "\n"
        "Reviews this machine's password settings: /etc/login.defs, the PAM\n"
        "password stack and sshd.\n"
        "\n",
    .options = policy_options,
    .common = CLI_C_REPORT,
    .check_prefixes = policy_checks,
    .examples = "  sudo mamori password policy\n"
                "  mamori password policy --root /mnt/image --format json\n",
};

const cli_command cli_cmd_password_info = {
    .name = "password info",
    .synopsis =
        "usage: mamori password info\n"
        "\n"
        "Says what the built-in word lists and breach filter were built from.\n"
        "\n",
    .exit_status = "\nexit status: 0, or 2 after a usage error.\n",
};

static const cli_command *const password_verbs[] = {
    &cli_cmd_password_check, &cli_cmd_password_audit, &cli_cmd_password_policy,
    &cli_cmd_password_info, NULL};

const cli_command cli_cmd_password = {
    .name = "password",
    .synopsis =
        "usage: mamori password check [options]        (prompts, no echo)\n"
        "       mamori password check --stdin [options] < passwords\n"
        "       mamori password audit [options] EXPORT.csv...\n"
        "       mamori password policy [options] [--root DIR]\n"
        "       mamori password info\n"
        "\n"
        "check   judges a password as IPA's guidance asks\n"
        "audit   finds reused, weak and breached passwords in a password\n"
        "        manager's CSV export\n"
        "policy  reviews /etc/login.defs, the PAM password stack and sshd\n"
        "info    what the built-in word lists were built from\n"
        "\n"
        "'mamori password VERB --help' shows a verb's options.\n"
        "\n",
    .verbs = password_verbs,
    .exit_status = "\nexit status: 0 accepted / nothing at or above --fail-on, "
                   "1 rejected /\nfindings at or above it, 2 usage error.\n",
    .examples =
        "  mamori password check --user taro --name 'Taro Yamada'\n"
        "  mamori password check --stdin --lang ja < candidates.txt\n"
        "  mamori password audit --format html -o pw.html chrome.csv\n"
        "  sudo mamori password policy\n",
};

typedef struct pw_cmd {
    cli_opts o;
    const char *sub;
    int use_stdin;
    int mfa;
    const char *policy;
    const char *breach_list;
    const char *root;
    mamori_password_context pctx;
} pw_cmd;

static int own_option(void *user, int c, const char *arg)
{
    pw_cmd *p = user;
    switch (c) {
    case OPT_STDIN: p->use_stdin = 1; return 0;
    case OPT_POLICY: p->policy = arg; return 0;
    case OPT_MFA: p->mfa = 1; return 0;
    case OPT_USER: p->pctx.user = arg; return 0;
    case OPT_NAME: p->pctx.real_name = arg; return 0;
    case OPT_EMAIL: p->pctx.email = arg; return 0;
    case OPT_SERVICE: p->pctx.service = arg; return 0;
    case OPT_BREACH: p->breach_list = arg; return 0;
    case OPT_ROOT: p->root = arg; return 0;
    default: return CLI_EXIT_USAGE;
    }
}

/* Diagnostics while the breach list is read: the run's own printer is
 * not set up yet (check prints JSON, not a report), so they go to stderr
 * here, notes only without --quiet. */
static void list_diag(void *user, mamori_diag_level level, const char *file,
                      uint64_t line, const char *msg)
{
    const pw_cmd *p = user;
    if (level == MAMORI_DIAG_NOTE && p->o.wopts.quiet)
        return;
    cli_diag_print("mamori password", level, file, line, msg);
}

static int make_checker(pw_cmd *p, mamori_password_checker **out)
{
    mamori_password_policy pol;
    *out = NULL;
    if (!p->policy || !strcmp(p->policy, "ipa")) {
        mamori_password_policy_init(&pol, MAMORI_PWPOLICY_IPA, p->mfa);
    } else if (!strcmp(p->policy, "nist")) {
        mamori_password_policy_init(&pol, MAMORI_PWPOLICY_NIST, p->mfa);
    } else {
        mamori_password_policy_init(&pol, MAMORI_PWPOLICY_IPA, p->mfa);
        if (mamori_password_policy_load(&pol, &p->o.ctx, p->policy)) {
            cli_error(&p->o, "cannot use the policy file %s", p->policy);
            return CLI_EXIT_USAGE;
        }
    }
    if (mamori_password_checker_new(&pol, out)) {
        cli_error(&p->o, "out of memory");
        return CLI_EXIT_USAGE;
    }
    mamori_ctx lctx = p->o.ctx;
    if (!lctx.diag) {
        lctx.diag = list_diag;
        lctx.diag_user = p;
    }
    if (p->breach_list &&
        mamori_password_checker_add_breach_list(*out, &lctx,
                                                p->breach_list)) {
        cli_error(&p->o, "cannot read the breach list %s", p->breach_list);
        mamori_password_checker_free(*out);
        *out = NULL;
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static void print_json(FILE *f, const mamori_password_result *r,
                       mamori_lang lang)
{
    fprintf(f, "{\"accepted\":%s,\"score\":%d,\"guesses_log10\":%.2f,"
               "\"reasons\":[",
            r->accepted ? "true" : "false", r->score, r->guesses_log10);
    for (size_t i = 0; i < r->nreasons; i++)
        fprintf(f, "%s\"%s\"", i ? "," : "",
                mamori_password_reason_name(r->reasons[i]));
    fputs("],\"feedback\":", f);
    cli_json_string(f, r->feedback[lang]);
    fputs("}\n", f);
}

static int check_stdin(pw_cmd *p, const mamori_password_checker *c)
{
    char line[PW_LINE_MAX + 1];
    mamori_password_result r;
    int any_rejected = 0, rc;
    uint64_t full;
    FILE *out = stdout;
    /* One answer per line, in order: a NUL byte is part of the line and
     * a line longer than any password is judged too long, never split. */
    while ((rc = mamori_read_line(stdin, line, sizeof(line), &full)) > 0) {
        size_t n;
        if (full >= sizeof(line)) {
            n = MAMORI_PASSWORD_MAX + 1;
        } else {
            n = (size_t)full;
            if (n > 0 && line[n - 1] == '\r')
                n--;
        }
        mamori_password_check(c, line, n, &p->pctx, &r);
        mamori_password_wipe(line, sizeof(line));
        any_rejected |= !r.accepted;
        print_json(out, &r, p->o.ctx.lang);
    }
    mamori_password_wipe(line, sizeof(line));
    if (rc < 0) {
        cli_error(&p->o, "reading standard input: %s", strerror(errno));
        return CLI_EXIT_USAGE;
    }
    return any_rejected ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

/* Reads one line without echo when stdin is a terminal. */
static int read_secret(const char *prompt, char *buf, size_t cap, size_t *n)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO);
    if (tty) {
        fputs(prompt, stderr);
        fflush(stderr);
        if (tcgetattr(STDIN_FILENO, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
            quiet.c_lflag |= ICANON;
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        } else {
            tty = 0;
        }
    }
    uint64_t full;
    int ok = mamori_read_line(stdin, buf, cap, &full) > 0;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return -1;
    if (full >= cap) {
        *n = MAMORI_PASSWORD_MAX + 1; /* judged too long, whole */
        return 0;
    }
    size_t len = (size_t)full;
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    *n = len;
    return 0;
}

static int check_one(pw_cmd *p, const mamori_password_checker *c)
{
    char buf[PW_LINE_MAX + 1];
    size_t n = 0;
    mamori_password_result r;
    mamori_lang lang = p->o.ctx.lang;

    if (read_secret(lang == MAMORI_LANG_JA ? "パスワード: " : "Password: ",
                    buf, sizeof(buf), &n)) {
        cli_error(&p->o, "no password given");
        return CLI_EXIT_USAGE;
    }
    mamori_password_check(c, buf, n, &p->pctx, &r);
    mamori_password_wipe(buf, sizeof(buf));
    if (p->o.wopts.format == MAMORI_OUT_JSON) {
        print_json(stdout, &r, lang);
    } else {
        printf("%s (score %d/4, about 10^%.1f guesses)\n",
               r.accepted ? (lang == MAMORI_LANG_JA ? "合格" : "accepted")
                          : (lang == MAMORI_LANG_JA ? "不合格" : "rejected"),
               r.score, r.guesses_log10);
        for (size_t i = 0; i < r.nreasons; i++)
            printf("  - %s\n", mamori_password_reason_name(r.reasons[i]));
        printf("%s\n", r.feedback[lang]);
    }
    return r.accepted ? CLI_EXIT_OK : CLI_EXIT_FINDINGS;
}

static int run_check(pw_cmd *p)
{
    mamori_password_checker *c;
    int status = make_checker(p, &c);
    if (status)
        return status;
    status = p->use_stdin ? check_stdin(p, c) : check_one(p, c);
    mamori_password_checker_free(c);
    return status;
}

static int run_audit(pw_cmd *p, int nfiles, char **files)
{
    mamori_password_checker *c;
    if (nfiles == 0) {
        cli_error(&p->o, "name the exported CSV file(s) to audit");
        return CLI_EXIT_USAGE;
    }
    int status = make_checker(p, &c);
    if (status)
        return status;
    cli_set_inputs(&p->o, nfiles, files);
    p->o.wopts.inputs = (const char *const *)files; /* the report names them */
    p->o.wopts.ninputs = (size_t)nfiles;
    if ((status = cli_run_begin(&p->o)) != 0) {
        mamori_password_checker_free(c);
        return status;
    }
    mamori_sink sink = cli_sink(&p->o);
    for (int i = 0; i < nfiles; i++) {
        mamori_err e = mamori_password_audit_file(&p->o.ctx, c, files[i],
                                                  &sink);
        if (e == MAMORI_E_ABORTED)
            break;
        if (e)
            p->o.input_errors++;
    }
    mamori_password_checker_free(c);
    return cli_run_end(&p->o);
}

static int run_policy(pw_cmd *p)
{
    int status = cli_run_begin(&p->o);
    if (status)
        return status;
    mamori_sink sink = cli_sink(&p->o);
    if (mamori_password_policy_review(&p->o.ctx, p->root ? p->root : "/",
                                      &sink) != MAMORI_OK)
        p->o.input_errors++;
    return cli_run_end(&p->o);
}

int cmd_password(int argc, char **argv)
{
    pw_cmd p;
    const cli_command *cmd = NULL;
    char prog[32];
    memset(&p, 0, sizeof(p));
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        cli_usage(argc < 2 ? stderr : stdout, &cli_cmd_password);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    p.sub = argv[1];
    for (size_t i = 0; password_verbs[i]; i++)
        if (!strcmp(password_verbs[i]->name + strlen("password "), p.sub))
            cmd = password_verbs[i];
    if (!cmd && p.sub[0] == '-') {
        fprintf(stderr, "mamori password: %s does not apply here: options "
                        "follow the verb (check, audit, policy, info)\n", p.sub);
        return CLI_EXIT_USAGE;
    }
    if (!cmd) {
        fprintf(stderr, "mamori password: unknown verb '%s' (check, audit, "
                        "policy, info)\n", p.sub);
        return CLI_EXIT_USAGE;
    }
    snprintf(prog, sizeof(prog), "mamori %s", cmd->name);
    cli_opts_init(&p.o, prog);
    int r = cli_parse(&p.o, argc - 1, argv + 1, cmd, own_option, &p);
    if (r != CLI_CONTINUE)
        return r;
    int rest = argc - 1 - optind;
    char **files = argv + 1 + optind;
    if (cmd == &cli_cmd_password_info) {
        if (rest > 0) {
            cli_error(&p.o, "info takes no arguments");
            return CLI_EXIT_USAGE;
        }
        fputs(mamori_password_data_info(), stdout);
        return CLI_EXIT_OK;
    }
    if (cmd == &cli_cmd_password_check) {
        if (rest > 0) {
            cli_error(&p.o, "check takes no arguments: passwords on the "
                            "command line end up in the shell's history");
            return CLI_EXIT_USAGE;
        }
        if (p.use_stdin && p.o.format_given &&
            p.o.wopts.format != MAMORI_OUT_JSON) {
            cli_error(&p.o, "--stdin writes JSON Lines: --format %s does not "
                            "apply", p.o.wopts.format == MAMORI_OUT_TEXT ? "text"
                                                                        : "other");
            return CLI_EXIT_USAGE;
        }
        return run_check(&p);
    }
    if (cmd == &cli_cmd_password_audit)
        return run_audit(&p, rest, files);
    if (rest > 0) {
        cli_error(&p.o, "policy takes no arguments (--root DIR names another "
                        "root)");
        return CLI_EXIT_USAGE;
    }
    return run_policy(&p);
}
