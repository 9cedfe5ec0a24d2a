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

static void usage(FILE *f)
{
    fputs("usage: mamori password check [options]        (prompts, no echo)\n"
          "       mamori password check --stdin [options] < passwords\n"
          "       mamori password audit [options] EXPORT.csv...\n"
          "       mamori password policy [options] [--root DIR]\n"
          "       mamori password info\n"
          "\n"
          "check   judges a password as IPA's guidance asks: long, hard to guess,\n"
          "        no names, dates, sequences, keyboard patterns, dictionary words,\n"
          "        default or breached passwords. Exit 0 accepted, 1 rejected.\n"
          "        --stdin: one password a line in, one JSON object a line out:\n"
          "        {\"accepted\":..,\"score\":0-4,\"guesses_log10\":..,\"reasons\":[..],\n"
          "        \"feedback\":\"..\"}\n"
          "audit   reads Chrome/Edge, Firefox, Bitwarden, KeePassXC or 1Password CSV\n"
          "        exports: reused, weak and breached passwords (sites only; the\n"
          "        passwords are never shown)\n"
          "policy  reviews /etc/login.defs, the PAM password stack and sshd\n"
          "\n"
          "      --stdin             check: one password per line from stdin\n"
          "      --policy P          ipa (default), nist, or a policy FILE\n"
          "      --mfa               nist: the account uses MFA (8 characters)\n"
          "      --user U, --name N, --email E, --service S\n"
          "                          check: context the password must not contain\n"
          "      --breach-list FILE  also reject passwords in FILE: one a line,\n"
          "                          or the Pwned Passwords SHA-1 or NTLM\n"
          "                          download (HASH:COUNT lines)\n"
          "      --root DIR          policy: review DIR instead of /\n",
          f);
    cli_common_help(f);
    fputs("\nexamples:\n"
          "  mamori password check --user taro --name 'Taro Yamada'\n"
          "  mamori password check --stdin --lang ja < candidates.txt\n"
          "  mamori password audit --format html -o pw.html chrome.csv\n"
          "  sudo mamori password policy\n",
          f);
}

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

static int parse_args(pw_cmd *p, int argc, char **argv)
{
    struct option longopts[40];
    struct option mine[] = {
        {"stdin", no_argument, NULL, OPT_STDIN},
        {"policy", required_argument, NULL, OPT_POLICY},
        {"mfa", no_argument, NULL, OPT_MFA},
        {"user", required_argument, NULL, OPT_USER},
        {"name", required_argument, NULL, OPT_NAME},
        {"email", required_argument, NULL, OPT_EMAIL},
        {"service", required_argument, NULL, OPT_SERVICE},
        {"breach-list", required_argument, NULL, OPT_BREACH},
        {"root", required_argument, NULL, OPT_ROOT},
        {NULL, 0, NULL, 0},
    };
    memcpy(longopts, cli_common_longopts,
           cli_common_nlongopts * sizeof(longopts[0]));
    memcpy(longopts + cli_common_nlongopts, mine, sizeof(mine));
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts, NULL)) !=
           -1) {
        int r = cli_common_option(&p->o, c, optarg);
        if (r < 0)
            return CLI_EXIT_USAGE;
        if (r > 0)
            continue;
        switch (c) {
        case 'h': usage(stdout); return -1;
        case OPT_STDIN: p->use_stdin = 1; break;
        case OPT_POLICY: p->policy = optarg; break;
        case OPT_MFA: p->mfa = 1; break;
        case OPT_USER: p->pctx.user = optarg; break;
        case OPT_NAME: p->pctx.real_name = optarg; break;
        case OPT_EMAIL: p->pctx.email = optarg; break;
        case OPT_SERVICE: p->pctx.service = optarg; break;
        case OPT_BREACH: p->breach_list = optarg; break;
        case OPT_ROOT: p->root = optarg; break;
        default:
            fputs("Try 'mamori password --help'.\n", stderr);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

/* Diagnostics while the breach list is read: the run's own printer is
 * not set up yet (check prints JSON, not a report), so they go to stderr
 * here, notes only without --quiet. */
static void list_diag(void *user, mamori_diag_level level, const char *file,
                      uint64_t line, const char *msg)
{
    static const char *const names[] = {"note", "warning", "error"};
    const pw_cmd *p = user;
    if (level == MAMORI_DIAG_NOTE && p->o.wopts.quiet)
        return;
    fprintf(stderr, "mamori password: ");
    if (file && line)
        fprintf(stderr, "%s:%llu: ", file, (unsigned long long)line);
    else if (file)
        fprintf(stderr, "%s: ", file);
    fprintf(stderr, "%s: %s\n", names[(unsigned)level < 3 ? level : 2], msg);
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

/* Writes s as a JSON string (UTF-8 passes through; controls escaped). */
static void json_string(FILE *f, const char *s)
{
    putc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
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
    json_string(f, r->feedback[lang]);
    fputs("}\n", f);
}

static int check_stdin(pw_cmd *p, const mamori_password_checker *c)
{
    char line[PW_LINE_MAX + 1];
    mamori_password_result r;
    int any_rejected = 0;
    FILE *out = stdout;
    while (fgets(line, sizeof(line), stdin)) {
        size_t n = strlen(line);
        int whole = n > 0 && line[n - 1] == '\n';
        if (!whole && !feof(stdin)) {
            /* Longer than any password we accept: judge it too long and
             * drop the rest of the line. */
            int ch;
            while ((ch = getchar()) != EOF && ch != '\n')
                ;
            n = MAMORI_PASSWORD_MAX + 1;
        } else {
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
        }
        mamori_password_check(c, line, n, &p->pctx, &r);
        mamori_password_wipe(line, sizeof(line));
        any_rejected |= !r.accepted;
        print_json(out, &r, p->o.ctx.lang);
    }
    mamori_password_wipe(line, sizeof(line));
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
    int ok = fgets(buf, (int)cap, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stderr);
    }
    if (!ok)
        return -1;
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
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
    memset(&p, 0, sizeof(p));
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    p.sub = argv[1];
    if (!strcmp(p.sub, "info")) {
        fputs(mamori_password_data_info(), stdout);
        return CLI_EXIT_OK;
    }
    cli_opts_init(&p.o, "mamori password");
    int r = parse_args(&p, argc - 1, argv + 1);
    if (r)
        return r < 0 ? CLI_EXIT_OK : r;
    int rest = argc - 1 - optind;
    char **files = argv + 1 + optind;
    if (!strcmp(p.sub, "check")) {
        if (rest > 0) {
            cli_error(&p.o, "check takes no arguments: passwords on the "
                            "command line end up in the shell's history");
            return CLI_EXIT_USAGE;
        }
        return run_check(&p);
    }
    if (!strcmp(p.sub, "audit"))
        return run_audit(&p, rest, files);
    if (!strcmp(p.sub, "policy"))
        return run_policy(&p);
    cli_error(&p.o, "unknown subcommand '%s' (check, audit, policy, info)",
              p.sub);
    return CLI_EXIT_USAGE;
}
